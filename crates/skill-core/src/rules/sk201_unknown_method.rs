//! SK201 `unknown-method`: a method the interface does not define (`contextProvider.getIndex`).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::workspace::catalogue::{self, Method};
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK201",
    name: "unknown-method",
    severity: Severity::Error,
    fix: FixAvailability::Unsafe,
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
the workspace has none. The range is the method name. A document too
large to read (over 2 MiB) is not used, and the message says so.

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
`getDomainIndex`). Unsafe: the author should confirm the method does what
the step wants. When two methods are equally close, the message names both
and each is offered as its own fix, neither preferred nor applied by
`check --fix`. A method the call's arguments fit no form of is named but
not offered as a fix: the arguments cannot be rewritten mechanically
(`memoryStore.updateSkillMemory(skill, project, {fields})` is close to
`update`, which takes one file type and its content per call, and which
file each field belongs in only the author knows), and a rename alone would
trade this finding for SK202. No fix when nothing is close.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for call in &ctx.doc.calls {
        let Some(iface) = ctx.ws.catalogue.interface(&call.receiver) else {
            continue; // a near-miss receiver: SK207
        };
        if iface.methods.iter().any(|m| m.name == call.method) {
            continue;
        }
        let listed: Vec<&str> = iface.methods.iter().map(|m| m.name.as_str()).collect();
        let suggestions = lookup::closest_methods(&call.method, listed.iter().copied());
        let source = match (&iface.doc, ctx.ws.skipped_interface_doc(&call.receiver)) {
            (Some(_), _) => "its interface document".to_string(),
            // The workspace has a document, but it was too large to read:
            // say so, or the author looks for the method in it in vain.
            (None, Some(skipped)) => format!(
                "the built-in interface ({}, so the built-in methods apply)",
                skipped.summary(ctx.ws.root.as_deref())
            ),
            (None, None) => "the interface".to_string(),
        };
        // Suggested methods whose forms the call's arguments do not fit:
        // renaming to them would leave a call no provider can carry out.
        let misfits: Vec<&Method> = suggestions
            .iter()
            .filter_map(|s| iface.methods.iter().find(|m| m.name == *s))
            .filter(|m| !call.is_mention && catalogue::best_fit(m, &call.args).is_err())
            .collect();
        let advice = if suggestions.is_empty() {
            format!("use one of {}", listed.join(", "))
        } else {
            let mut advice = lookup::did_you_mean(&suggestions, str::to_string);
            for m in &misfits {
                let forms: Vec<String> = m
                    .forms()
                    .map(|f| format!("`{}`", catalogue::format_form(&m.name, f)))
                    .collect();
                advice.push_str(&format!(
                    " `{}` takes {}, which these arguments do not fit: rewrite them as well as the name",
                    m.name,
                    lookup::or_list(&forms)
                ));
            }
            advice
        };
        let message = format!(
            "`{}` has no method `{}`: {source} does not define it, so an agent or provider following this step has nothing to call; {advice}",
            call.receiver, call.method
        );
        let fixes = suggestions
            .iter()
            .filter(|s| !misfits.iter().any(|m| m.name == **s))
            .map(|s| {
                Fix::unsafe_(
                    format!("Replace `{}` with `{s}`", call.method),
                    vec![Edit::replace(call.method_range, *s)],
                )
            })
            .collect();
        // Equally close methods are the author's choice: all offered, none preferred.
        let fix = if suggestions.len() > 1 {
            Fix::one_of(fixes).map(|f| Fix { ambiguous: true, ..f })
        } else {
            Fix::one_of(fixes)
        };
        sink.report_fix(call.method_range, message, fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::corpus;
    use crate::workspace::{Role, Skipped, Workspace};

    /// A workspace whose `interfaces/memory_store.md` was too large to read:
    /// the finding says so, since the author sees the method in that file.
    #[test]
    fn a_document_too_large_to_read_is_named_in_the_message() {
        let root = std::path::PathBuf::from("/ws");
        let skipped = Skipped::too_large(
            root.join("interfaces/memory_store.md"),
            Role::InterfaceDoc("memoryStore"),
            3_300_000,
        );
        let ws = Workspace {
            root: Some(root.clone()),
            skipped_while_indexing: vec![skipped],
            ..Workspace::detached()
        };
        let text = "---\nname: demo\n---\n# Demo\n\n1. `memoryStore.hugeMethod(\"x\")`\n2. `skillInvoker.nothing()`\n";
        let doc = crate::SkillDoc::parse(text, Some(root.join("skills/demo/SKILL.md")));
        let found: Vec<_> = crate::check(&doc, &ws, &crate::Config::default())
            .into_iter()
            .filter(|d| d.code == "SK201")
            .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        let huge = found.iter().find(|d| d.message.contains("hugeMethod")).unwrap();
        assert!(
            huge.message
                .contains("interfaces/memory_store.md was not read: 3.1 MiB, over the 2 MiB limit"),
            "{}",
            huge.message
        );
        let other = found.iter().find(|d| d.message.contains("`nothing`")).unwrap();
        assert!(!other.message.contains("was not read"), "{}", other.message);
    }

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
            // `getDomainIndex` takes the domain `getIndex` was given: the one
            // obvious mend, preferred in the editor.
            assert!(get_index.iter().all(|f| f
                .diagnostic
                .fix
                .as_ref()
                .is_some_and(|x| x.edits[0].new_text == "getDomainIndex" && !x.ambiguous)));
            // `update` takes one file type and its content, not an object of
            // fields: named, but not offered as a rename that SK202 would flag.
            let update_skill_memory: Vec<_> = found.iter().filter(|f| f.text == "updateSkillMemory").collect();
            assert_eq!(update_skill_memory.len(), 4, "{tree}");
            for f in update_skill_memory {
                assert!(f.diagnostic.fix.is_none(), "{tree} {}", f.skill);
                assert!(
                    f.diagnostic
                        .message
                        .contains("did you mean `update`? `update` takes `update(id, content)`, ")
                        && f.diagnostic
                            .message
                            .ends_with("which these arguments do not fit: rewrite them as well as the name"),
                    "{}",
                    f.diagnostic.message
                );
            }
        }
    }
}
