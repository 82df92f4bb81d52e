//! SK101 `workflow-missing`: no workflow section.

use crate::authoring::{between, configured_step};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::SkillDoc;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::{line_range_at, TextRange};

pub static RULE: Rule = Rule {
    code: "SK101",
    name: "workflow-missing",
    severity: Severity::Error,
    fix: FixAvailability::Unsafe,
    summary: "no workflow section",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the skill has a workflow section: a heading that contains \"workflow\" or
\"mandatory steps\" (`## Mandatory Workflow`, `## MANDATORY WORKFLOW (MUST
FOLLOW EXACTLY)`, `### MANDATORY STEPS (Must Execute in Order)`). The range
is the skill's title (or the start of the body when it has none).

## Why it matters

The workflow is what an agent follows when it runs the skill: scope, load
memory, load context, do the work, write the output, update memory. Without
it the agent improvises, skips memory and context, and runs differ.

## Example

Bad:

```markdown
# FastAPI Expert

## Focus Areas
...
```

Good:

```markdown
# FastAPI Expert

## Mandatory Workflow

### Step 1: Initial Analysis
...
### Step 6: Update Memory
...
```

## Fix

Inserts a `## Mandatory Workflow` section with a skeleton for each step
(six, or the configured count), before the Compliance Checklist (or the
Version History, or at the end). The steps carry the canonical titles (or the
team's `[workflow] titles`) and the interface calls, with those the team's
`[workflow.calls]` require, with the skill's name and domain filled in; the core
step is a placeholder. Unsafe: the skeleton must be filled in.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    if doc.workflow.is_some() {
        return;
    }
    let range = anchor(doc);
    let count = ctx.config.step_count;
    let style = ctx.style();
    let eol = style.eol;
    // Each step as completion and the missing-step fix write it.
    let steps: Vec<String> = (1..=count)
        .map(|n| configured_step(doc, ctx.ws, ctx.config, style, n, count).1)
        .collect();
    let section = format!("## Mandatory Workflow{eol}{eol}{}", steps.join(&between(style)));
    let (at, text) = match insertion_point(doc) {
        Some(at) => (at, format!("{section}{eol}{eol}")),
        None => {
            let lead = if doc.text.ends_with('\n') {
                eol.to_string()
            } else {
                format!("{eol}{eol}")
            };
            (doc.text.len(), format!("{lead}{section}{eol}"))
        }
    };
    let fix = Fix::unsafe_(
        format!("Add a workflow section with {count} step skeletons"),
        vec![Edit::insert(at, text)],
    );
    sink.report_fix(
        range,
        format!(
            "this skill has no workflow section: an agent running it has no steps to follow, so it skips memory and context and improvises; add a `## Mandatory Workflow` section with steps 1 to {count}"
        ),
        Some(fix),
    );
}

/// The title, else the first line of the body.
fn anchor(doc: &SkillDoc) -> TextRange {
    match doc.md.headings.iter().find(|h| h.level == 1) {
        Some(h) => h.range,
        None => line_range_at(&doc.text, doc.md.body_start),
    }
}

/// Before the Compliance Checklist, else before the Version History.
fn insertion_point(doc: &SkillDoc) -> Option<usize> {
    let heading = doc
        .checklist
        .as_ref()
        .map(|c| c.heading)
        .or(doc.history.as_ref().map(|h| h.heading))?;
    // Step back over a `---` rule directly above the heading, so the section lands before it.
    let at = doc.md.headings[heading].range.start;
    let before = doc.text.get(..at).unwrap_or("").trim_end();
    if before.ends_with("\n---") {
        return Some(before.len() - 3);
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;
    use crate::testing::{at, fixed, run};

    #[test]
    fn inserts_six_steps_before_the_checklist() {
        let text = "---\nname: demo\ncontext:\n  primary_domain: python\n---\n# Demo\n\n## Compliance Checklist\n- [ ] Step 1: Scope\n";
        let d = run(&RULE, text, "demo");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "# Demo");
        assert_eq!(d[0].fix.as_ref().unwrap().applicability, Applicability::Unsafe);
        let out = fixed(text, &d[0]);
        assert!(
            out.contains("# Demo\n\n## Mandatory Workflow\n\n### Step 1: Initial Analysis\n\n**Purpose**"),
            "{out}"
        );
        assert!(out.contains("`memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`"));
        assert!(out.contains("`contextProvider.getDomainIndex(\"python\")`"));
        assert!(out.contains("### Step 6: Update Memory"));
        assert!(
            out.ends_with("---\n\n## Compliance Checklist\n- [ ] Step 1: Scope\n")
                || out.contains("\n\n## Compliance Checklist")
        );
        let again = SkillDoc::parse(out.as_str(), None);
        assert_eq!(again.workflow.unwrap().steps.len(), 6);
    }

    #[test]
    fn the_skeleton_follows_the_teams_titles_and_calls() {
        let team = crate::config::Config::from_toml(
            "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Record\"]\n[workflow.calls]\n2 = [\"memoryStore.getByProject\"]\n",
        )
        .unwrap();
        let ws = crate::workspace::Workspace::detached();
        let text = "---\nname: demo\n---\n# Demo\n";
        let d = crate::testing::run_in(&RULE, text, "demo", &ws, &team);
        let out = fixed(text, &d[0]);
        assert!(out.contains("### Step 2: Recall\n"), "{out}");
        assert!(out.contains("`memoryStore.getByProject(\"{project-name}\")`"), "{out}");
        assert!(out.contains("### Step 3: Record\n") && !out.contains("Step 4"), "{out}");
    }

    #[test]
    fn silent_with_a_workflow() {
        assert!(run(&RULE, "# T\n\n## Workflow\n\n### Step 1: A\n", "t").is_empty());
    }
}
