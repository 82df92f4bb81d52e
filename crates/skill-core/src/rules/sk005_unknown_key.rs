//! SK005 `unknown-key`: a key the schema does not know (range: the key).

use crate::clients::Client;
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::schema::{display_path, same_key, ProblemKind};

pub static RULE: Rule = Rule {
    code: "SK005",
    name: "unknown-key",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a key the schema does not know (range: the key)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That every key of the front matter, and of its `context` and `memory` maps,
is one the schema defines. The range is the key. Legacy keys
(`context.primary`, `memory.scope`, `triggers`, ...) are known: SK010
reports them instead. The Agent Skills standard keys (`license`,
`compatibility`, `metadata`, `allowed-tools`) are known too; free-form data
belongs under `metadata`. In the `agentskills` profile the known keys are
the standard's six and those the clients that load skills define:
`version`, `memory` or `tags` at the top level are reported (put them under
`metadata`).

The keys clients define beyond the standard (Claude Code's `when_to_use`,
`model`, `context`...; `docs/profiles.md` lists them) are known while
their client counts: every client by default, or the ones `clients` in
`skill-lsp.toml` names (`clients = [\"codex\"]`). A key only other clients
define is then reported, and its value is not checked.

Keys read before a YAML syntax error (SK002) are checked; keys after it are
not read.

## Why it matters

Tools ignore keys they do not know, so a misspelt key (`descripton`,
`file-budget`) silently loses its value.

## Example

Bad:

```yaml
context:
  primary_domain: python
  file-budget: 4
```

Good:

```yaml
context:
  primary_domain: python
  file_budget: 4
```

## Fix

Renames the key when exactly one known key is close to it (at most a few
letters apart) and the map does not already have that key. Safe when the two
differ only in case or in `-` versus `_`; unsafe otherwise.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(fm) = &doc.front_matter else { return };
    let schema = ctx.schema();
    for p in ctx.schema_problems().iter().filter(|p| p.kind == ProblemKind::Unknown) {
        let Some(key) = p.key.as_deref() else { continue };
        let path: Vec<&str> = p.path.iter().map(String::as_str).collect();
        let known = schema.keys_at(&path);
        let present = |k: &str| {
            fm.root
                .as_ref()
                .and_then(|r| r.at_path(&path))
                .is_some_and(|m| m.entry(k).is_some())
        };
        let here = if path.is_empty() {
            "the front matter".to_string()
        } else {
            format!("`{}`", display_path(&path))
        };
        // A key some client defines, but not one the workspace writes for.
        if let Some(defined) = path.is_empty().then(|| schema.property(&[key])).flatten() {
            let by: Vec<&str> = defined
                .clients
                .iter()
                .filter_map(|id| Client::parse(id))
                .map(Client::title)
                .collect();
            sink.report(
                p.range,
                format!(
                    "`{key}` is a key of {} only, and the clients these skills are written for ({}, `clients` in {}) ignore its value",
                    by.join(" and "),
                    ctx.config.clients.titles(),
                    crate::config::FILE_NAME
                ),
            );
            continue;
        }
        match schema.closest_key(&path, key).filter(|s| !present(s)) {
            Some(better) => {
                let written = doc.slice(p.range);
                let replacement = match written.chars().next() {
                    Some(q @ ('"' | '\'')) => format!("{q}{better}{q}"),
                    _ => better.to_string(),
                };
                let title = format!("Rename `{key}` to `{better}`");
                let edits = vec![Edit::replace(p.range, replacement)];
                let fix = if same_key(key, better) {
                    Fix::safe(title, edits)
                } else {
                    Fix::guess(title, edits)
                };
                sink.report_fix(
                    p.range,
                    format!("`{key}` is not a key of {here}, so tools ignore its value; did you mean `{better}`?"),
                    Some(fix),
                );
            }
            None => {
                let current: Vec<String> = known
                    .iter()
                    .filter(|k| k.deprecated.is_none() && ctx.config.clients.count_key(&k.clients))
                    .map(|k| format!("`{}`", k.key))
                    .collect();
                let allowed = if current.is_empty() {
                    String::new()
                } else {
                    format!("; the keys here are {}", current.join(", "))
                };
                sink.report(
                    p.range,
                    format!("`{key}` is not a key of {here}, so tools ignore its value{allowed}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::closest_key;

    fn suggest(key: &str, path: &[&str]) -> Option<String> {
        closest_key(path, key).map(str::to_string)
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("descrption", &[]).as_deref(), Some("description"));
        assert_eq!(suggest("file-budget", &["context"]).as_deref(), Some("file_budget"));
        assert_eq!(
            suggest("Primary_Domain", &["context"]).as_deref(),
            Some("primary_domain")
        );
        assert_eq!(suggest("tag", &[]).as_deref(), Some("tags"));
        assert_eq!(suggest("trigger", &[]).as_deref(), Some("triggers"));
        assert_eq!(suggest("author", &[]), None);
        assert_eq!(suggest("typ", &["memory", "scopes", "0"]).as_deref(), Some("type"));
    }
}
