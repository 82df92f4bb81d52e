//! SK203 `skill-name-argument`: the skill-name argument of a memory call differs from `name`.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::schema::is_kebab;
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK203",
    name: "skill-name-argument",
    severity: Severity::Error,
    fix: FixAvailability::Safe,
    summary: "the skill-name argument of a memory call differs from `name`",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That `memoryStore` calls name this skill: the `skillName` argument of
`getSkillMemory`, a `skill=`/`skillName=` keyword (in any memory call, also
one such as `update(layer=..., skill=..., project=...)` that no form of the
method fits), the first argument of the
template's `update(\"<skill>\", \"{project-name}\", ...)`. The range is the
argument. Placeholders (`\"{skill-name}\"`) are left alone.

## Why it matters

Memory is stored under the skill's name. A call with another name reads or
writes another skill's memory (or none at all): what this skill learns is
lost, and what it loads belongs to someone else. It happens when a skill is
copied or renamed.

## Example

Bad (in a skill with `name: flask-helper`):

```markdown
1. Load memory with `memoryStore.getSkillMemory(\"flask\", \"{project-name}\")`
```

Good:

```markdown
1. Load memory with `memoryStore.getSkillMemory(\"flask-helper\", \"{project-name}\")`
```

## Fix

Replaces the argument with the skill's `name`, keeping its quotes. Safe:
the skill's memory is the one it means.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some((name, _)) = ctx.doc.name() else { return };
    if !is_kebab(name) {
        return; // a broken or placeholder name: SK003/SK123 say so
    }
    for call in ctx.doc.calls.iter().filter(|c| c.receiver == "memoryStore") {
        // A call no form of the method fits (`update(layer=..., skill=...,
        // project=...)`) still names its skill by keyword.
        let keyword = || {
            (!call.is_mention)
                .then(|| {
                    call.args.iter().find(|a| {
                        a.keyword
                            .as_ref()
                            .is_some_and(|(k, _)| k == "skill" || k == "skillName")
                    })
                })
                .flatten()
        };
        let Some(arg) = ctx.arg_for(call, &["skillName"]).or_else(keyword) else {
            continue;
        };
        let Some(value) = lookup::literal(arg) else { continue };
        if value == name {
            continue;
        }
        let written = ctx.doc.slice(arg.value_range);
        let quote = written
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))
            .unwrap_or('"');
        let fix = Fix::safe(
            format!("Use the skill's name `{name}`"),
            vec![Edit::replace(arg.value_range, format!("{quote}{name}{quote}"))],
        );
        sink.report_fix(
            arg.value_range,
            format!(
                "`memoryStore.{}` names the skill `{value}`, but this skill is `{name}`: memory is kept under the skill's name, so this call reads or writes another skill's memory; use `\"{name}\"`",
                call.method
            ),
            Some(fix),
        );
    }
}
