//! SK204 `domain-argument`: the domain of a context call differs from
//! `context.primary_domain` and is not a cross-domain call.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::Call;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK204",
    name: "domain-argument",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "the domain of a context call differs from `context.primary_domain` and is not a cross-domain call",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

The `domain` argument of `contextProvider` calls against the domain the
front matter declares (`context.primary_domain`, or the legacy
`context.primary`). Loading other domains as well is normal — a Python
review also loads `security` — so a different domain counts as a
cross-domain load, and is not reported, when:

- the call is `getCrossDomainContext`, or
- the front matter lists the domain (legacy `context.primary` or
  `context.secondary`), or
- the skill also loads its declared domain somewhere, and the argument is
  not a misspelling of it.

What is reported: a misspelt declared domain (`\"pyhton\"` for `python`;
SK208 then stays quiet about that call, as this rule knows which domain was
meant),
and calls in a skill that never loads the domain it declares (a skill
copied from another and only half adapted). Placeholders (`\"{domain}\"`)
are left alone; skills declaring no domain are not checked.

## Why it matters

The declared domain decides which context the skill gets. Calls that load
another one give the agent guidance for the wrong stack, or nothing.

## Example

Bad (with `primary_domain: \"python\"`):

```markdown
2. Load guidance via `contextProvider.getConditionalContext(\"pyhton\", \"flask_patterns\")`
```

Good:

```markdown
2. Load guidance via `contextProvider.getConditionalContext(\"python\", \"flask_patterns\")`
```

## Fix

Replaces the argument with the declared domain. Safe for a misspelling;
unsafe otherwise (the front matter may be what is wrong).";

/// The literal domain argument of a context call.
fn domain_of<'c>(ctx: &RuleCtx, call: &'c Call) -> Option<&'c crate::model::Arg> {
    if call.receiver != "contextProvider" {
        return None;
    }
    let arg = ctx.arg_for(call, &["domain"])?;
    lookup::literal(arg).map(|_| arg)
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let (primary, listed) = ctx.declared_domains();
    if primary.is_empty() {
        return;
    }
    let declared = |d: &str| primary.iter().chain(listed).any(|p| p == d);
    let loads_declared = ctx
        .doc
        .calls
        .iter()
        .filter_map(|c| domain_of(ctx, c))
        .any(|a| a.as_str().is_some_and(declared));
    for call in &ctx.doc.calls {
        if call.method == "getCrossDomainContext" {
            continue;
        }
        let Some(arg) = domain_of(ctx, call) else { continue };
        let Some(domain) = arg.as_str() else { continue };
        if declared(domain) {
            continue;
        }
        // A domain the workspace has is a domain of its own, however close its name.
        let misspelt = ctx.ws.misspelt_declared_domain(domain, primary);
        if misspelt.is_none() && loads_declared {
            continue; // a cross-domain load alongside the declared domain
        }
        let target = misspelt.or((primary.len() == 1).then(|| primary[0].as_str()));
        let written = ctx.doc.slice(arg.value_range);
        let quote = written
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))
            .unwrap_or('"');
        let fix = target.map(|t| {
            let edits = vec![Edit::replace(arg.value_range, format!("{quote}{t}{quote}"))];
            let title = format!("Use the declared domain `{t}`");
            if misspelt.is_some() {
                Fix::safe(title, edits)
            } else {
                Fix::guess(title, edits)
            }
        });
        let declared_list = primary.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
        let message = match misspelt {
            Some(m) => format!(
                "`contextProvider.{}` loads domain `{domain}`, a misspelling of the declared domain `{m}`: the provider finds no such domain and the step gets no context; write `\"{m}\"`",
                call.method
            ),
            None => format!(
                "`contextProvider.{}` loads domain `{domain}`, but the skill declares {declared_list} and never loads it: the agent gets context for another stack; load the declared domain, use `getCrossDomainContext` for an extra one, or correct `context.primary_domain`",
                call.method
            ),
        };
        sink.report_fix(arg.value_range, message, fix);
    }
}
