//! SK112 `checklist-item-missing`: no checklist item for step N.

use crate::authoring::expected_count;
use crate::authoring::renumber::problems;
use crate::authoring::{checklist_item_edit, looks_pasted};
use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK112",
    name: "checklist-item-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "no checklist item for step N",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That a Compliance Checklist written step by step (`- [ ] Step 1: ...`) has
an item for every step of the workflow. Checklists that list outcomes
instead (`- [ ] Output saved to /claudedocs/`), as older skills do, are
not checked. The range is the checklist's heading.

## Why it matters

The checklist is how the agent proves it ran every step. A step without an
item is the step most likely to be skipped unnoticed — often one added to
the workflow after the checklist was written.

## Example

Bad:

```markdown
- [ ] Step 1: Scope defined
- [ ] Step 3: Context loaded
```

Good:

```markdown
- [ ] Step 1: Scope defined
- [ ] Step 2: Load Memory
- [ ] Step 3: Context loaded
```

## Fix

Inserts `- [ ] Step N: <the step's title>` in order among the step items.
Safe: it only names a step the workflow has — unless that step looks pasted
in (another heading style, no instruction block), when it may be deleted
instead.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let (Some(w), Some(c)) = (doc.workflow.as_ref(), doc.checklist.as_ref()) else {
        return;
    };
    if !problems(doc, expected_count(doc, ctx.config)).is_empty() {
        return; // the steps are renumbered first (SK103); items are matched after
    }
    if !c.is_per_step() {
        return;
    }
    let heading = &doc.md.headings[c.heading];
    for step in c.steps_without_item(&w.steps) {
        let n = step.number;
        let edit = checklist_item_edit(doc, n, &step.title);
        let title = format!("Add `Step {n}` to the checklist");
        // A step that looks pasted in may be deleted rather than kept.
        let fix = edit.map(|e| {
            if looks_pasted(doc, step) {
                Fix::guess(title, vec![e])
            } else {
                Fix::safe(title, vec![e])
            }
        });
        sink.report_fix(
            heading.range,
            format!(
                "the Compliance Checklist has no item for step {n} ({}): the checklist is how the agent shows it ran every step, and a step without an item is the one skipped unnoticed; add `- [ ] Step {n}: ...`",
                step.title
            ),
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    const WF: &str =
        "# T\n\n## Workflow\n\n### Step 1: Scope\n\n### Step 2: Load Memory\n\n### Step 3: Load Context\n\n";

    #[test]
    fn inserts_the_item_in_order() {
        let text = format!("{WF}## Compliance Checklist\n- [ ] Step 1: Scope defined\n- [ ] Step 3: Context loaded\n");
        let d = run(&RULE, &text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "## Compliance Checklist");
        assert!(fixed(&text, &d[0])
            .ends_with("- [ ] Step 1: Scope defined\n- [ ] Step 2: Load Memory\n- [ ] Step 3: Context loaded\n"));
        let text = format!("{WF}## Compliance Checklist\n- [ ] Step 1: Scope defined\n- [ ] Step 2: x\n\nAfter.\n");
        let d = run(&RULE, &text, "t");
        assert!(fixed(&text, &d[0]).ends_with("- [ ] Step 2: x\n- [ ] Step 3: Load Context\n\nAfter.\n"));
    }

    #[test]
    fn outcome_checklists_are_not_checked() {
        let text = format!("{WF}## Compliance Checklist\n- [ ] Memory loaded (Step 2)\n- [ ] Output saved\n");
        assert!(run(&RULE, &text, "t").is_empty());
    }
}
