//! SK199 `step-title-empty`: a workflow step heading with no title.
//!
//! The example rule of CONTRIBUTING.md ("Adding a rule"), which shows this
//! file verbatim: it compiles and its tests run, but it is not in `ALL`.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::profile::Profiles;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK199",
    name: "step-title-empty",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a workflow step heading with no title",
    docs: DOCS,
    profiles: Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every workflow step heading has a title after its number. The range is
the heading.

## Why it matters

Agents and the Compliance Checklist name steps by their titles: a step
without one cannot be ticked off or referred to.

## Example

Bad:

```markdown
### Step 3:
```

Good:

```markdown
### Step 3: Load Context
```

## Fix

Inserts a `Title` placeholder to replace. Unsafe: the author names the step.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(workflow) = &doc.workflow else { return };
    for step in workflow.steps.iter().filter(|s| s.title.trim().is_empty()) {
        let heading = doc.md.headings[step.heading].range;
        // The heading's text without its line ending: the title goes there.
        let end = heading.start + doc.text[heading.start..heading.end].trim_end().len();
        let title = if doc.text[..end].ends_with(':') {
            " Title"
        } else {
            ": Title"
        };
        let fix = Fix::unsafe_("Give the step a title", vec![Edit::insert(end, title)]);
        sink.report_fix(
            heading,
            format!(
                "step {} has no title: agents and the checklist name steps by their titles; say what the step does",
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
    fn a_step_without_a_title_is_reported_and_given_one() {
        let text = "---\nname: demo\n---\n# Demo\n\n## Workflow\n\n### Step 1: Scope\n\n### Step 2:\n";
        let d = run(&RULE, text, "demo");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]).trim_end(), "### Step 2:");
        assert!(fixed(text, &d[0]).ends_with("### Step 2: Title\n"));
    }
}
