//! SK106 `step-without-gate`: a `⚠️ STEP` style step without its `**DO NOT ...**` gate line.

use crate::authoring::expected_count;
use crate::authoring::{content_end, gate_line, role};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::StepStyle;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK106",
    name: "step-without-gate",
    severity: Severity::Warning,
    fix: FixAvailability::Safe,
    summary: "a `⚠️ STEP` style step without its `**DO NOT ...**` gate line",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every step written as `### ⚠️ STEP N: Title (REQUIRED)` ends with its
gate line, a bold `**DO NOT PROCEED ...**` line (or another bold line
saying `DO NOT`), before the next step. The last step, with nothing to
proceed to, may omit it; steps in the other heading styles have no gate.
The range is the step's heading.

## Why it matters

In this style the gate is what stops an agent from moving on before the
step is done; the other steps of the skill have one, so the missing gate
reads as permission to skip ahead.

## Example

Bad:

```markdown
### ⚠️ STEP 2: Load Project Memory (REQUIRED)
**YOU MUST:**
1. Load memory with `memoryStore.getSkillMemory(\"fastapi\", \"{project-name}\")`
```

Good:

```markdown
### ⚠️ STEP 2: Load Project Memory (REQUIRED)
**YOU MUST:**
1. Load memory with `memoryStore.getSkillMemory(\"fastapi\", \"{project-name}\")`

**DO NOT PROCEED WITHOUT CHECKING MEMORY**
```

## Fix

Inserts the gate line for the step's role (`**DO NOT PROCEED WITHOUT CHECKING
MEMORY**` for step 2, `**DO NOT FINISH WITHOUT UPDATING MEMORY**` for the
last step) after the step's content. Safe: it states what the workflow
already requires.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let eol = doc.eol;
    let count = expected_count(doc, ctx.config).max(w.steps.iter().map(|s| s.number).max().unwrap_or(0));
    // The last step has nothing to proceed to: a gate there is common but optional.
    let last = w.steps.len().saturating_sub(1);
    for step in w.steps[..last]
        .iter()
        .filter(|s| s.style == StepStyle::Warning && s.gate.is_none())
    {
        let gate = gate_line(role(step.number.max(1), count));
        let end = content_end(&doc.text, step.body);
        let fix = Fix::safe(
            format!("Add the gate line {gate}"),
            vec![Edit::insert(end, format!("{eol}{eol}{gate}"))],
        );
        sink.report_fix(
            doc.md.headings[step.heading].range,
            format!(
                "step {} has no `**DO NOT ...**` gate line: in this style the gate is what keeps an agent from moving on before the step is done; end the step with {gate}",
                step.number
            ),
            Some(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    #[test]
    fn adds_the_gate_after_the_steps_content() {
        let text = "# T\n\n## MANDATORY WORKFLOW\n\n### ⚠️ STEP 2: Load Memory (REQUIRED)\n**YOU MUST:**\n1. Load\n\n---\n\n### ⚠️ STEP 3: Last (REQUIRED)\n1. x\n\n## Next\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "### ⚠️ STEP 2: Load Memory (REQUIRED)");
        assert!(fixed(text, &d[0]).contains("1. Load\n\n**DO NOT PROCEED WITHOUT CHECKING MEMORY**\n\n---\n"));
    }

    #[test]
    fn other_styles_need_no_gate() {
        assert!(run(&RULE, "# T\n\n## Workflow\n\n### Step 1: A\n1. x\n", "t").is_empty());
    }
}
