//! SK004 `required-key-missing`: a required key is missing (range: the parent key, or the opening `---`).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{semver_key, FrontMatter, SkillDoc};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::schema::{ProblemKind, Schema, SchemaProblem};
use crate::text::line_range_at;

pub static RULE: Rule = Rule {
    code: "SK004",
    name: "required-key-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "a required key is missing (range: the parent key, or the opening `---`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That the front matter has every key the schema requires: `name`,
`description` and `version` at the top level, and `type` in each entry of
`memory.scopes`. The range is the key that holds the incomplete map (the
first key of a list entry), or the opening `---` for a top-level key. In
the `agentskills` profile only `name` and `description` are required.

Not reported while the front matter is unclosed (SK001) or the YAML parser
stopped early (SK002): a key may then be present but unread, and reporting it
missing would be wrong. Fix those first; this rule then runs on the whole
front matter.

## Why it matters

Agents list and choose skills by `name` and `description`; `version` ties the
skill to its Version History. A memory scope without a `type` names no
memory layer.

## Example

Bad:

```yaml
---
name: api-design
description: Designs REST APIs.
---
```

Good:

```yaml
---
name: api-design
description: Designs REST APIs.
version: \"1.0.0\"
---
```

## Fix

Inserts the key with a placeholder value, in schema order and at the map's
indentation: `name` from the folder name, `version` from the Version History
(else `1.0.0`), the schema's default or a `TODO` text otherwise. Unsafe: the
author must check the value — except a `version` taken from the Version
History, which is the author's own record (safe). No insert is offered when a key of the same map
looks like a misspelling of the missing one (`descripton`): renaming it
(SK005) is the fix, and inserting the key too would set it twice.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(fm) = &doc.front_matter else { return };
    let schema = ctx.schema();
    for p in ctx.schema_problems().iter().filter(|p| p.kind == ProblemKind::Missing) {
        let message = capitalize(p.message.trim_end_matches('.'));
        // A misspelt key standing for it (`descripton`): renaming it (SK005)
        // is the fix; inserting the key as well would set it twice.
        if let Some(typo) = misspelling_of(schema, fm, p) {
            sink.report(p.range, format!("{message}; `{typo}` looks like a misspelling of it"));
            continue;
        }
        let fix = insert_fix(schema, doc, fm, p);
        sink.report_fix(p.range, format!("{message}; add it"), fix);
    }
}

/// An unknown key of the same map that is close to the missing one.
fn misspelling_of<'f>(schema: &'static Schema, fm: &'f FrontMatter, p: &SchemaProblem) -> Option<&'f str> {
    let missing = p.key.as_deref()?;
    let path: Vec<&str> = p.path.iter().map(String::as_str).collect();
    let map = fm.root.as_ref()?.at_path(&path)?;
    let known = schema.keys_at(&path);
    map.as_map()?
        .iter()
        .map(|e| e.key.as_str())
        .filter(|k| !known.iter().any(|p| p.key == *k))
        .find(|k| schema.closest_key(&path, k) == Some(missing))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Inserts `key: placeholder` into the map at `p.path`, after the closest
/// key that precedes it in schema order, at the map's indentation.
fn insert_fix(schema: &'static Schema, doc: &SkillDoc, fm: &FrontMatter, p: &SchemaProblem) -> Option<Fix> {
    let key = p.key.as_deref()?;
    let text = &*doc.text;
    let le = doc.eol;
    let path: Vec<&str> = p.path.iter().map(String::as_str).collect();
    let mut full = path.clone();
    full.push(key);
    let line = format!("{key}: {}", schema.placeholder(&full, doc));
    let title = format!("Insert `{key}`");

    let map = match &fm.root {
        Some(root) => root.at_path(&path)?,
        // An empty front matter: the key goes first.
        None if path.is_empty() => {
            return Some(Fix::unsafe_(
                title,
                vec![Edit::insert(fm.block.yaml.start, format!("{line}{le}"))],
            ));
        }
        None => return None,
    };
    let entries = map.as_map()?;
    let first = entries.first()?;
    if text[map.range.start..].starts_with('{') {
        return None; // a flow map `{a: 1}`: no line to add
    }
    let first_line = line_range_at(text, first.key_range.start);
    let indent = " ".repeat(text[first_line.start..first.key_range.start].chars().count());

    // The closest key before `key` in schema order that the map has.
    let order: Vec<String> = schema.keys_at(&path).into_iter().map(|k| k.key).collect();
    let pos = order.iter().position(|k| k == key).unwrap_or(order.len());
    let before = order[..pos]
        .iter()
        .rev()
        .find_map(|k| entries.iter().find(|e| &e.key == k));
    let edit = match before {
        Some(entry) => {
            let end = if entry.value.range.is_empty() {
                entry.key_range.end
            } else {
                entry.value.range.end
            };
            let at = line_range_at(text, end.max(entry.key_range.start)).end;
            Edit::insert(at, format!("{le}{indent}{line}"))
        }
        None => Edit::insert(first.key_range.start, format!("{line}{le}{indent}")),
    };
    // The version the Version History records is the author's own: inserting it is safe.
    if full == ["version"] && history_version(doc).is_some() {
        return Some(Fix::safe(title, vec![edit]));
    }
    Some(Fix::unsafe_(title, vec![edit]))
}

/// The highest semantic version the Version History records, if any.
fn history_version(doc: &SkillDoc) -> Option<(u64, u64, u64, bool)> {
    let rows = &doc.history.as_ref()?.rows;
    rows.iter()
        .filter_map(|r| semver_key(r.version.trim().trim_start_matches(['v', 'V'])))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_fixes;
    use crate::rules::RuleCtx;
    use crate::rules::Sink;
    use crate::{Config, Workspace};

    fn diagnostics(text: &str) -> Vec<crate::Diagnostic> {
        let doc = SkillDoc::parse(text, Some("skills/demo/SKILL.md".into()));
        let ws = Workspace::detached();
        // The workflow format's keys; a skill on its own may read as the standard's.
        let config = Config {
            profile: Some(crate::Profile::Workflow),
            ..Config::default()
        };
        let mut sink = Sink::new(RULE.code, RULE.severity);
        check(&RuleCtx::new(&doc, &ws, &config), &mut sink);
        sink.into_diagnostics()
    }

    /// The ranges reported on `text`, and the text after fixing round after
    /// round (two keys inserted at one place take two rounds).
    fn fixed(text: &str) -> (Vec<String>, String) {
        let ranges = diagnostics(text)
            .iter()
            .map(|d| text[d.range.start..d.range.end].to_string())
            .collect();
        let mut out = text.to_string();
        for _ in 0..5 {
            let d = diagnostics(&out);
            let (next, n) = apply_fixes(&out, d.iter().filter_map(|d| d.fix.as_ref()));
            if n == 0 {
                break;
            }
            out = next;
        }
        (ranges, out)
    }

    #[test]
    fn inserts_top_level_keys_in_schema_order() {
        let (ranges, out) = fixed("---\nname: demo\ntags: [a]\n---\n# Demo\n");
        assert_eq!(ranges, ["---", "---"]);
        assert_eq!(out, "---\nname: demo\ndescription: \"TODO: what this skill does and when to use it\"\nversion: \"1.0.0\"\ntags: [a]\n---\n# Demo\n");
        let (_, out) = fixed("---\ndescription: \"x\"  # what it does\nversion: \"1.0.0\"\n---\n");
        assert_eq!(
            out,
            "---\nname: demo\ndescription: \"x\"  # what it does\nversion: \"1.0.0\"\n---\n"
        );
    }

    #[test]
    fn inserts_into_a_list_entry_at_its_indentation() {
        let text = "---\nname: demo\ndescription: x\nversion: \"1.0.0\"\nmemory:\n  scopes:\n    - files: [a.md]\n      usage: reference\n---\n";
        let (ranges, out) = fixed(text);
        assert_eq!(ranges, ["files"]);
        assert!(
            out.contains("    - type: \"skill-specific\"\n      files: [a.md]\n      usage: reference\n"),
            "{out}"
        );
    }

    #[test]
    fn empty_front_matter_and_crlf() {
        let (_, out) = fixed("---\r\n---\r\n");
        assert_eq!(out, "---\r\nname: demo\r\ndescription: \"TODO: what this skill does and when to use it\"\r\nversion: \"1.0.0\"\r\n---\r\n");
    }

    #[test]
    fn inserts_after_a_value_ending_in_a_wide_character() {
        let (_, out) = fixed("---\nname: demo\ndescription: Résumé ✓\n---\n");
        assert_eq!(out, "---\nname: demo\ndescription: Résumé ✓\nversion: \"1.0.0\"\n---\n");
    }

    #[test]
    fn no_insert_when_a_misspelt_key_stands_for_it() {
        let text = "---\nname: demo\ndescripton: x\nversion: \"1.0.0\"\n---\n";
        let d = diagnostics(text);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
        assert!(
            d[0].message.contains("`descripton` looks like a misspelling"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn nothing_while_the_yaml_is_broken_or_unclosed() {
        assert_eq!(fixed("---\nname: demo\nbroken line\n---\n").0, Vec::<String>::new());
        assert_eq!(fixed("---\nname: demo\n\n# Demo\n\nText.\n").0, Vec::<String>::new());
    }
}
