//! SK208 `unknown-domain`: a domain that is no folder of the workspace's `context/`.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK208",
    name: "unknown-domain",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a domain that is no folder of the workspace's `context/`",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

Domains the skill names — the `domain` argument of `contextProvider` calls
and `context.primary_domain` (or the legacy `context.primary`) in the front
matter — against the folders of the workspace's `context/`. Only where the
workspace has a `context/` folder; placeholders (`\"{domain}\"`) are left
alone. A call loading a misspelling of the domain the skill declares
(`\"pyhton\"` with `primary_domain: python`) is SK204's finding, not this
rule's: one defect, one finding, and SK204 knows which domain was meant.

## Why it matters

`contextProvider` loads `context/<domain>/`. A domain with no folder loads
nothing: the step that should bring the domain's guidance silently brings
none.

## Example

Bad (the workspace has `context/python/`):

```markdown
1. Use `contextProvider.getDomainIndex(\"pyhton\")`
```

Good:

```markdown
1. Use `contextProvider.getDomainIndex(\"python\")`
```

## Fix

Replaces the domain with the closest existing one: one a typo away, or
else one extending it. Safe: the name is misspelt. When several are
equally close (`nodej` with both `context/node/` and `context/nodejs/`),
the message names them all and each is offered as its own fix, none
preferred and none applied by `check --fix`: which was meant is the
author's call.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let ws = ctx.ws;
    if ws.context_dir.is_none() {
        return;
    }
    let doc = ctx.doc;
    // `what` is written into the message only when there is one: most
    // domains named are folders of `context/`.
    let mut report = |domain: &str, range: TextRange, what: std::fmt::Arguments| {
        if ws.domains.contains_key(domain) {
            return;
        }
        let closest = lookup::closest_names(domain, ws.domains.keys().map(String::as_str));
        let written = doc.slice(range);
        let quote = written.chars().next().filter(|c| matches!(c, '"' | '\''));
        // One fix per equally close domain: safe when there is one, the author's choice when several.
        let fix = Fix::one_of(
            closest
                .iter()
                .map(|c| {
                    let new = quote.map_or(c.to_string(), |q| format!("{q}{c}{q}"));
                    Fix::safe(format!("Use the domain `{c}`"), vec![Edit::replace(range, new)])
                })
                .collect(),
        );
        let advice = if closest.is_empty() {
            let all: Vec<&str> = ws.domains.keys().map(String::as_str).collect();
            format!("the domains are {}", all.join(", "))
        } else {
            lookup::did_you_mean(&closest, str::to_string)
        };
        sink.report_fix(
            range,
            format!("{what} names domain `{domain}`, which is no folder of `context/`: the provider loads nothing for it; {advice}"),
            fix,
        );
    };
    if let Some(fm) = &doc.front_matter {
        let (primary, _) = ctx.declared_domains();
        for key in ["primary_domain", "primary"] {
            let Some(node) = fm.node_at(&["context", key]) else {
                continue;
            };
            let nodes: Vec<&crate::syntax::yaml::YamlNode> = match node.as_seq() {
                Some(items) => items.iter().collect(),
                None => vec![node],
            };
            for n in nodes {
                let Some(d) = n.as_str().map(str::trim) else { continue };
                if primary.iter().any(|p| p == d) {
                    report(d, n.range, format_args!("`context.{key}`"));
                }
            }
        }
    }
    let (primary, listed) = ctx.declared_domains();
    for call in doc.calls.iter().filter(|c| c.receiver == "contextProvider") {
        let Some(arg) = ctx.arg_for(call, &["domain"]) else {
            continue;
        };
        let Some(domain) = lookup::literal(arg) else { continue };
        let declared = primary.iter().chain(listed).any(|d| d == domain);
        if call.method != "getCrossDomainContext" && !declared && ws.misspelt_declared_domain(domain, primary).is_some()
        {
            continue; // SK204's: a misspelt declared domain
        }
        report(
            domain,
            arg.value_range,
            format_args!("`contextProvider.{}`", call.method),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::corpus;

    /// The damaged tree's `context/` has nine domains; skills also load
    /// domains it never had. The clean snapshot has no `context/`: nothing to check.
    #[test]
    fn corpus_domains_without_a_folder() {
        let Some(found) = corpus::findings("forge", &["SK208"]) else {
            return;
        };
        let mut domains: Vec<&str> = found.iter().map(|f| f.text.trim_matches('"')).collect();
        domains.sort();
        domains.dedup();
        assert_eq!(
            domains,
            ["architecture", "cli", "database", "docker", "kubernetes", "testing"]
        );
        let Some(clean) = corpus::findings("forge-clean", &["SK208", "SK209"]) else {
            return;
        };
        assert!(clean.is_empty());
    }
}
