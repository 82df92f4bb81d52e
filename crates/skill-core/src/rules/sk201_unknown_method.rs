//! SK201 `unknown-method`: a method the interface does not define (`contextProvider.getIndex`).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK201",
    name: "unknown-method",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "a method the interface does not define (`contextProvider.getIndex`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

Every interface call in inline code or a code block
(`memoryStore.…`, `contextProvider.…`, `skillInvoker.…`,
`executionContext.…`) names a method its interface defines. The methods are
read from the workspace's interface documents (`interfaces/memory_store.md`
and the others: one heading per method), or from the built-in catalogue when
the workspace has none. The range is the method name.

## Why it matters

An agent following the skill calls the method; a provider implementing the
interface has no such method, so the step fails or the agent improvises.
`contextProvider.getIndex` in particular is not defined: the domain index is
`getDomainIndex`.

## Example

Bad:

```markdown
1. Use `contextProvider.getIndex(\"python\")` to see what context exists
```

Good:

```markdown
1. Use `contextProvider.getDomainIndex(\"python\")` to see what context exists
```

## Fix

Replaces the name with the defined method it most likely means: one a typo
away, or one with the same verb and a word added or dropped (`getIndex` →
`getDomainIndex`, `updateSkillMemory` → `update`). Unsafe: it is a guess,
and the arguments may need to change too. No fix when nothing is close.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for call in &ctx.doc.calls {
        let Some(iface) = ctx.ws.catalogue.interface(&call.receiver) else {
            continue; // a near-miss receiver: SK207
        };
        if iface.methods.iter().any(|m| m.name == call.method) {
            continue;
        }
        let names = iface.methods.iter().map(|m| m.name.as_str());
        let suggestion = lookup::closest_method(&call.method, names);
        let listed: Vec<&str> = iface.methods.iter().map(|m| m.name.as_str()).collect();
        let source = match &iface.doc {
            Some(_) => "its interface document",
            None => "the interface",
        };
        let advice = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of {}", listed.join(", ")),
        };
        let message = format!(
            "`{}` has no method `{}`: {source} does not define it, so an agent or provider following this step has nothing to call; {advice}",
            call.receiver, call.method
        );
        let fix = suggestion.map(|s| {
            Fix::guess(
                format!("Replace `{}` with `{s}`", call.method),
                vec![Edit::replace(call.method_range, s)],
            )
        });
        sink.report_fix(call.method_range, message, fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::workspace::corpus;

    /// Both corpus trees call `contextProvider.getIndex` (52 times in 16
    /// skills) and a few other undefined methods; every accepted form is quiet.
    #[test]
    fn corpus_undefined_methods_and_nothing_else() {
        for tree in ["forge", "forge-clean"] {
            let Some(found) = corpus::findings(tree, &["SK201"]) else {
                return;
            };
            let get_index: Vec<_> = found.iter().filter(|f| f.text == "getIndex").collect();
            assert_eq!(get_index.len(), 52, "{tree}");
            let skills: std::collections::BTreeSet<_> = get_index.iter().map(|f| f.skill.as_str()).collect();
            assert_eq!(skills.len(), 16, "{tree}");
            let mut others: Vec<&str> = found
                .iter()
                .filter(|f| f.text != "getIndex")
                .map(|f| f.text.as_str())
                .collect();
            others.sort();
            others.dedup();
            assert_eq!(
                others,
                ["getByTags", "load", "loadDomains", "updateSkillMemory"],
                "{tree}"
            );
            assert!(get_index.iter().all(|f| f
                .diagnostic
                .fix
                .as_ref()
                .is_some_and(|x| x.edits[0].new_text == "getDomainIndex")));
        }
    }
}
