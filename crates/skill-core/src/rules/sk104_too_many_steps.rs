//! SK104 `too-many-steps`: more steps than the configured count (default 6).

use crate::authoring::stated_count;
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK104",
    name: "too-many-steps",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "more steps than the configured count (default 6)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the workflow has no more steps than the project's workflow: six by
default, `[workflow] steps = N` in `skill-lsp.toml` to change it. A skill
that states its own length (\"the 8-step workflow\", `## Mandatory Workflow
(8 Steps)`) is measured against that instead; SK124 checks the statement.
A longer workflow that keeps the canonical frame — its last step writes
memory, the core work is simply split into more steps — is accepted; what is
reported is a step after the memory update (or past the count, when no step
writes memory). The range is that step's heading.

## Why it matters

Tools and people expect the canonical shape: memory loaded in step 2,
context in step 3, memory written in the last step. Extra steps are often a
step pasted in by a bulk edit, or work that belongs inside the core step.

## Example

Bad (six steps configured):

```markdown
### Step 6: Update Memory
...
### Step 7: Generate Output
```

Good: fold the extra work into the step it belongs to, or state the length
(\"this 7-step workflow\") or configure `[workflow] steps = 7`.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let stated = stated_count(doc);
    let limit = stated.map_or(ctx.config.step_count, |s| s.max(ctx.config.step_count)) as usize;
    let count = w.steps.len();
    if count <= limit {
        return;
    }
    // A longer workflow that still closes by writing memory keeps the
    // canonical frame (its core work split into more steps); steps after
    // the memory update, or a long workflow that never writes memory, do not.
    let closing = w.steps.iter().rposition(|s| s.writes_memory(&doc.text));
    let first_extra = match closing {
        Some(m) if m + 1 == count => return,
        Some(m) => (m + 1).max(limit),
        None => limit,
    };
    let Some(extra) = w.steps.get(first_extra) else { return };
    let source = match stated {
        Some(n) if n >= ctx.config.step_count => format!("the {n} steps the skill states"),
        _ => format!(
            "the project's {} (`[workflow] steps` in skill-lsp.toml)",
            ctx.config.step_count
        ),
    };
    let after = match closing {
        Some(m) => format!(
            ", and step {} comes after the memory update in step {}",
            doc.slice(extra.number_range),
            doc.slice(w.steps[m].number_range)
        ),
        None => String::new(),
    };
    sink.report(
        doc.md.headings[extra.heading].range,
        format!(
            "the workflow has {count} steps, more than {source}{after}: memory is written in the last step, and steps beyond it are usually pasted in by mistake; fold this step into the one it belongs to, or state the workflow's length"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    fn steps(n: u32) -> String {
        (1..=n).map(|i| format!("### Step {i}: S{i}\n\n1. x\n\n")).collect()
    }

    #[test]
    fn reports_the_first_step_past_the_count() {
        let text = format!("# T\n\n## Mandatory Workflow\n\n{}", steps(7));
        let d = run(&RULE, &text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "### Step 7: S7");
    }

    #[test]
    fn steps_after_the_memory_update_are_reported() {
        let mut text = format!("# T\n\n## Mandatory Workflow\n\n{}", steps(5));
        text.push_str("### Step 6: Update Memory\n\n1. x\n\n### Step 7: Generate Output\n\n1. y\n");
        let d = run(&RULE, &text, "t");
        assert_eq!(
            d.iter().map(|d| at(&text, d)).collect::<Vec<_>>(),
            ["### Step 7: Generate Output"]
        );
        let long = format!(
            "# T\n\n## Mandatory Workflow\n\n{}### Step 9: Update Memory\n\n1. x\n",
            steps(8)
        );
        assert!(run(&RULE, &long, "t").is_empty());
    }

    #[test]
    fn a_stated_length_is_respected() {
        let text = format!(
            "# T\n\nThe 8-step workflow below.\n\n## Mandatory Workflow\n\n{}",
            steps(8)
        );
        assert!(run(&RULE, &text, "t").is_empty());
        let text = format!("# T\n\n## Mandatory Workflow\n\n{}", steps(6));
        assert!(run(&RULE, &text, "t").is_empty());
    }
}
