//! SK107 `mixed-step-styles`: step headings of mixed styles in one workflow.

use crate::authoring::{intro_line, looks_pasted};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::StepStyle;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK107",
    name: "mixed-step-styles",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "step headings of mixed styles in one workflow",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That all step headings of the workflow are written in one style: `### Step
N: Title`, `### ⚠️ STEP N: Title (REQUIRED)` or `#### **Step N: Title**`.
Each heading in a style other than the majority's is reported (range: the
heading).

## Why it matters

A step in a different style is almost always a step pasted in from
elsewhere — a bulk edit adding `### Step 6: Generate Output` under five
`⚠️ STEP` steps — and it often lacks what the skill's other steps have (the
`**YOU MUST:**` list, the gate line). Readers also take the odd one for a
sub-step.

## Example

Bad:

```markdown
### ⚠️ STEP 5: Generate Report & Update Memory (REQUIRED)
...
### Step 6: Generate Output
```

Good:

```markdown
### ⚠️ STEP 5: Generate Report & Update Memory (REQUIRED)
...
### ⚠️ STEP 6: Generate Output (REQUIRED)
```

## Fix

Rewrites the heading in the majority style and level, keeping its number
and title. Safe — unless the step also lacks the instruction block the
other steps have: then it was probably pasted in, deleting it may be the
right fix, and the rewrite is unsafe.";

fn style_name(s: StepStyle) -> &'static str {
    match s {
        StepStyle::Plain => "`Step N: Title`",
        StepStyle::Warning => "`⚠️ STEP N: Title (REQUIRED)`",
        StepStyle::Bold => "`**Step N: Title**`",
    }
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let style = ctx.style();
    let majority = w.steps.iter().filter(|s| s.style == style.heading).count();
    for step in w.steps.iter().filter(|s| s.style != style.heading) {
        let heading = &doc.md.headings[step.heading];
        let number = doc.slice(step.number_range);
        let line = style.heading_line(number, &step.title);
        let title = format!("Write the heading as {}", style_name(style.heading));
        let edits = vec![Edit::replace(heading.range, line)];
        let pasted = looks_pasted(doc, step);
        let (fix, hint) = if pasted {
            (
                Fix::guess(title, edits),
                format!(
                    "; it also lacks the `{}` list the other steps have, so it may have been pasted in: check whether it belongs in the workflow at all",
                    intro_line(style.body)
                ),
            )
        } else {
            (Fix::safe(title, edits), String::new())
        };
        sink.report_fix(
            heading.range,
            format!(
                "step {number} is written as {} but {majority} of the workflow's {} steps as {}: a step in another style is usually one pasted in, and readers take it for something else; write it like the others{hint}",
                style_name(step.style),
                w.steps.len(),
                style_name(style.heading)
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
    fn the_odd_heading_takes_the_majority_style_and_level() {
        let text = "# T\n\n## Mandatory Workflow\n\n#### **Step 1: A**\n\n#### **Step 2: B**\n\n### Step 3: Generate Output\n\nx\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "### Step 3: Generate Output");
        assert!(fixed(text, &d[0]).contains("#### **Step 3: Generate Output**\n"));
        let text =
            "# T\n\n## W workflow\n\n### ⚠️ STEP 1: A (REQUIRED)\n\n### ⚠️ STEP 2: B (REQUIRED)\n\n### Step 3: C\n";
        let d = run(&RULE, text, "t");
        assert!(fixed(text, &d[0]).contains("### ⚠️ STEP 3: C (REQUIRED)"));
    }

    #[test]
    fn a_step_that_looks_pasted_is_restyled_only_on_request() {
        let step = |n: u32| format!("### ⚠️ STEP {n}: S{n} (REQUIRED)\n**YOU MUST:**\n1. x\n\n**DO NOT PROCEED**\n\n");
        let text = format!(
            "# T\n\n## Workflow\n\n{}{}### Step 3: Generate Output\n\nCreate deliverables.\n",
            step(1),
            step(2)
        );
        let d = run(&RULE, &text, "t");
        assert_eq!(
            d[0].fix.as_ref().unwrap().applicability,
            crate::fix::Applicability::Unsafe
        );
        assert!(d[0].message.contains("pasted in"), "{}", d[0].message);
    }

    #[test]
    fn one_style_is_silent() {
        assert!(run(&RULE, "# T\n\n## Workflow\n\n### Step 1: A\n\n### Step 2: B\n", "t").is_empty());
    }
}
