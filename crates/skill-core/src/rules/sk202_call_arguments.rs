//! SK202 `call-arguments`: a call whose arguments fit no accepted form of the method.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;
use crate::workspace::catalogue::{self, Misfit};

pub static RULE: Rule = Rule {
    code: "SK202",
    name: "call-arguments",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a call whose arguments fit no accepted form of the method",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the arguments of an interface call fit the method: not more than it
takes, every required parameter given, keywords that name its parameters.
Besides the documented parameter list, the forms real skills use are
accepted: `memoryStore.update(\"<skill>\", \"{project-name}\", filename,
content)` as the template writes it, and the keyword form
`memoryStore.update(layer=\"skill-specific\", skill=\"x\", project=\"...\")`.
A keyword may shorten a `...Name` parameter (`skill=` for `skillName`), `...`
stands for the rest, and an empty `()` only mentions the method, so its
arguments are not checked.

## Why it matters

A call with the wrong arguments cannot be carried out as written: the agent
guesses what was meant, differently each time.

## Example

Bad:

```markdown
Load memory with `memoryStore.getSkillMemory(\"fastapi\")`
```

Good:

```markdown
Load memory with `memoryStore.getSkillMemory(\"fastapi\", \"{project-name}\")`
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for call in &ctx.doc.calls {
        if call.is_mention {
            continue;
        }
        let Some(method) = ctx.ws.catalogue.method(&call.receiver, &call.method) else {
            continue; // undefined: SK201
        };
        let Some(misfit) = ctx.misfit(call) else {
            continue;
        };
        let forms: Vec<String> = method
            .forms()
            .map(|f| catalogue::format_form(&method.name, f))
            .collect();
        let accepted = if forms.len() == 1 {
            format!("it takes `{}`", forms[0])
        } else {
            format!(
                "accepted forms: {}",
                forms.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let what = format!("`{}.{}`", call.receiver, call.method);
        let (range, problem): (TextRange, String) = match misfit {
            Misfit::TooMany { index } => {
                let extra = &call.args[index];
                (extra.range, format!("{what} is given more arguments than it takes"))
            }
            Misfit::Missing(names) => {
                let range = if call.args_range.is_empty() {
                    call.range
                } else {
                    call.args_range
                };
                (
                    range,
                    format!(
                        "{what} is missing {}",
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
            }
            Misfit::UnknownKeyword { index } => {
                let arg = &call.args[index];
                let (k, r) = arg.keyword.clone().unwrap_or_default();
                (r, format!("{what} has no parameter `{k}`"))
            }
            Misfit::Repeated { index } => {
                let arg = &call.args[index];
                let (k, r) = arg.keyword.clone().unwrap_or_default();
                (r, format!("{what} is given `{k}` twice"))
            }
        };
        sink.report(
            range,
            format!("{problem}; {accepted}. An agent cannot carry out a call that fits no form of the method: fix the arguments (write `...` for ones left to the agent)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::corpus;

    /// Every call in both corpus trees fits an accepted form, names its own
    /// skill, loads its declared domain (others alongside) and uses exact receivers.
    #[test]
    fn corpus_calls_fit_accepted_forms() {
        for tree in ["forge", "forge-clean"] {
            let Some(found) = corpus::findings(tree, &["SK202", "SK203", "SK204", "SK207"]) else {
                return;
            };
            let shown: Vec<String> = found
                .iter()
                .map(|f| format!("{} {} {}", f.diagnostic.code, f.skill, f.text))
                .collect();
            assert!(shown.is_empty(), "{tree}: {shown:#?}");
        }
    }
}
