//! SK210 `unknown-skill`: a `skillInvoker` call invokes a skill the workspace does not have.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::workspace::graph::invocations;
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK210",
    name: "unknown-skill",
    severity: Severity::Error,
    fix: FixAvailability::Unsafe,
    summary: "a `skillInvoker` call names a skill the workspace does not have",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every skill a `skillInvoker` call names (`skillInvoker.invoke(\"python-code-review\", ...)`,
`delegateAnalysis(\"...\", ...)`) is a skill of the workspace: a
`skills/<folder>/SKILL.md` with that `name`. The range is the name argument.
Only checked in a skills root (a folder holding `interfaces/`), where the
skills are known; placeholders (`\"{skill-name}\"`) are left alone.

## Why it matters

An agent following the skill tries to load a skill that is not there: the
delegated work is silently skipped, or the agent improvises it. It happens
when a skill is renamed or removed and its callers are not updated.

## Example

Bad (no skill is named `python-review`):

```markdown
`skillInvoker.invoke(\"python-review\", { target: \"src/\" })`
```

Good:

```markdown
`skillInvoker.invoke(\"python-code-review\", { target: \"src/\" })`
```

## Fix

Replaces the name with the closest skill name, keeping its quotes; where
several names are equally close, each is offered and none is applied in bulk.
Unsafe: the closest name may not be the skill meant.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let ws = ctx.ws;
    if ws.root.is_none() || ws.skills.is_empty() {
        return;
    }
    for inv in invocations(ctx.doc, &ws.catalogue) {
        if ws.skills.contains_key(&inv.target) {
            continue;
        }
        let close = ws.closest_skills(&inv.target);
        let quote = ctx
            .doc
            .slice(inv.range)
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''));
        let fixes = close
            .iter()
            .map(|name| {
                let q = quote.map(String::from).unwrap_or_default();
                Fix::unsafe_(
                    format!("Invoke `{name}`"),
                    vec![Edit::replace(inv.range, format!("{q}{name}{q}"))],
                )
            })
            .collect();
        let hint = match lookup::did_you_mean(&close, str::to_string) {
            advice if advice.is_empty() => advice,
            advice => format!("; {advice}"),
        };
        sink.report_fix(
            inv.range,
            format!(
                "skill `{}` does not exist in this workspace: the agent cannot load what `{}` delegates to it{hint}",
                inv.target, inv.method
            ),
            Fix::one_of(fixes),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::testing::run_in;
    use crate::workspace::{SkillEntry, Workspace};

    /// A rooted workspace holding skills of these names.
    pub(crate) fn with_skills(names: &[&str]) -> Workspace {
        let skills = names
            .iter()
            .map(|n| {
                let entry = SkillEntry {
                    name: n.to_string(),
                    path: format!("/nowhere/skills/{n}/SKILL.md").into(),
                    description: String::new(),
                };
                (n.to_string(), entry)
            })
            .collect();
        Workspace {
            root: Some("/nowhere".into()),
            skills,
            ..Workspace::detached()
        }
    }

    #[test]
    fn a_misspelt_skill_gets_the_closest_name() {
        let text = "---\nname: a\n---\n# A\n\nRun `skillInvoker.invoke(\"python-cod-review\", { target: \"src\" })` and `skillInvoker.invoke(\"python-code-review\", { target: \"src\" })`.\n";
        let d = run_in(
            &RULE,
            text,
            "a",
            &with_skills(&["a", "python-code-review"]),
            &Config::default(),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("`python-cod-review` does not exist"),
            "{}",
            d[0].message
        );
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].new_text, "\"python-code-review\"");
    }
}
