//! SK111 `checklist-missing`: no `Compliance Checklist` section.

use crate::authoring::canonical_title_in;
use crate::authoring::expected_count;
use crate::authoring::renumber::problems;
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::line_range_at;

pub static RULE: Rule = Rule {
    code: "SK111",
    name: "checklist-missing",
    severity: Severity::Error,
    fix: FixAvailability::Unsafe,
    summary: "no `Compliance Checklist` section",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the skill has a `## Compliance Checklist` section (any heading at H2
or H3 naming a checklist). The range is the workflow's heading (or the
title when there is no workflow).

## Why it matters

The checklist is what the agent verifies before it reports the skill as
done: one item per step, so a skipped step shows. Without it nothing checks
that memory was loaded and updated.

## Example

Bad: a skill whose workflow is followed directly by `## Version History`.

Good:

```markdown
## Compliance Checklist
- [ ] Step 1: Initial Analysis
- [ ] Step 2: Load Memory
...
```

## Fix

Inserts a `## Compliance Checklist` section after the workflow section, with
a `- [ ] Step N: Title` item for each step of the workflow. Unsafe: a new
section the author should review and extend.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    if doc.checklist.is_some() {
        return;
    }
    let eol = doc.eol;
    let items: Vec<String> = match doc.workflow.as_ref().filter(|w| !w.steps.is_empty()) {
        Some(w) => {
            // While the steps are misnumbered (SK103 renumbers them by position
            // in the same pass), the items take the numbers the steps will have.
            let by_position = !problems(doc, expected_count(doc, ctx.config)).is_empty();
            w.steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let n = if by_position {
                        (i + 1).to_string()
                    } else {
                        doc.slice(s.number_range).to_string()
                    };
                    format!("- [ ] Step {n}: {}", s.title)
                })
                .collect()
        }
        None => {
            let n = ctx.config.step_count;
            (1..=n)
                .map(|i| format!("- [ ] Step {i}: {}", canonical_title_in(ctx.ws, ctx.config, i, n)))
                .collect()
        }
    };
    let section = format!("## Compliance Checklist{eol}{eol}{}", items.join(eol));
    let (range, edit) = match doc.workflow.as_ref() {
        Some(w) if w.range.end < doc.text.len() => (
            doc.md.headings[w.heading].range,
            Edit::insert(w.range.end, format!("{section}{eol}{eol}")),
        ),
        other => {
            let range = match other {
                Some(w) => doc.md.headings[w.heading].range,
                None => doc
                    .md
                    .headings
                    .iter()
                    .find(|h| h.level == 1)
                    .map_or_else(|| line_range_at(&doc.text, doc.md.body_start), |h| h.range),
            };
            let lead = if doc.text.ends_with('\n') {
                eol.to_string()
            } else {
                format!("{eol}{eol}")
            };
            (range, Edit::insert(doc.text.len(), format!("{lead}{section}{eol}")))
        }
    };
    let fix = Fix::unsafe_("Add a Compliance Checklist with one item per step", vec![edit]);
    sink.report_fix(
        range,
        "this skill has no `## Compliance Checklist`: it is what the agent verifies before reporting the skill done, one item per step, so a skipped step shows; add one",
        Some(fix),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    #[test]
    fn appends_one_item_per_step_after_the_workflow() {
        let text =
            "# T\n\n## Mandatory Workflow\n\n### Step 1: Scope\n\n### Step 2: Load Memory\n\n## Version History\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "## Mandatory Workflow");
        assert!(fixed(text, &d[0]).contains(
            "### Step 2: Load Memory\n\n## Compliance Checklist\n\n- [ ] Step 1: Scope\n- [ ] Step 2: Load Memory\n\n## Version History\n"
        ));
    }

    #[test]
    fn silent_with_a_checklist() {
        assert!(run(&RULE, "# T\n\n## Compliance Checklist\n- [ ] Step 1: A\n", "t").is_empty());
    }
}
