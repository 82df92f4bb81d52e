//! SK113 `checklist-item-extra`: a checklist item for a step that does not exist, or twice for one step.

use crate::authoring::expected_count;
use crate::authoring::renumber::problems;
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK113",
    name: "checklist-item-extra",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a checklist item for a step that does not exist, or twice for one step",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That each Compliance Checklist item naming a step (`Step 7`) names a step
the workflow has, and that no step has two items starting with its number.
Checklists that give several sub-checks to more than one step do so on
purpose; there only an item repeated word for word is reported. The range
is the item's `Step N`.

## Why it matters

An item for a step that is not there asks the agent to confirm work the
workflow never describes — usually a step that was removed or renumbered
while the checklist stayed behind. Two items for one step usually mean one
of them names the wrong step.

## Example

Bad (a five-step workflow):

```markdown
- [ ] Step 5: Report written
- [ ] Step 6: Memory updated
```

Good: the items follow the workflow's steps (merge step 6's item into step
5's, or add the step).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let (Some(w), Some(c)) = (doc.workflow.as_ref(), doc.checklist.as_ref()) else {
        return;
    };
    if !problems(doc, expected_count(doc, ctx.config)).is_empty() {
        return; // the steps are renumbered first (SK103); items are matched after
    }
    if w.steps.is_empty() {
        return;
    }
    // Checklists that give several items to more than one step do so on
    // purpose (sub-checks per step); there only a verbatim repeat is a slip.
    // A tree: a checklist has a few dozen items (see `numbering::problems`).
    let mut per_step = std::collections::BTreeMap::new();
    for item in c.items.iter().filter(|i| i.leads_with_step) {
        *per_step.entry(item.step).or_insert(0usize) += 1;
    }
    let multi_item_style = per_step.values().filter(|n| **n > 1).count() > 1;
    let mut seen: Vec<(u32, String)> = Vec::new();
    for item in &c.items {
        let (Some(n), Some(range)) = (item.step, item.step_range) else {
            continue;
        };
        if !w.steps.iter().any(|s| s.number == n) {
            let last = w.steps.iter().map(|s| s.number).max().unwrap_or(0);
            sink.report(
                range,
                format!(
                    "this checklist item is for step {n}, but the workflow has no step {n} (its steps end at {last}): the agent is asked to confirm work no step describes; match the item to a step, or add the step"
                ),
            );
            continue;
        }
        if !item.leads_with_step {
            continue;
        }
        let rest = item_text_after(doc, item);
        let repeated = seen.iter().any(|(m, r)| *m == n && (!multi_item_style || *r == rest));
        if repeated {
            sink.report(
                range,
                format!(
                    "a second checklist item for step {n}: one of the two probably names the wrong step, or was pasted twice; keep one item per step"
                ),
            );
        }
        seen.push((n, rest));
    }
}

/// What an item says after its `Step N`, normalised for comparison.
fn item_text_after(doc: &crate::model::SkillDoc, item: &crate::model::ChecklistItem) -> String {
    let Some(it) = doc.md.items.get(item.item) else {
        return String::new();
    };
    let from = item.step_range.map_or(it.first_line.start, |r| r.end);
    let text = doc.text.get(from..it.first_line.end).unwrap_or("");
    text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn items_for_missing_steps_and_twice_for_one() {
        let text = "# T\n\n## Workflow\n\n### Step 1: A\n\n### Step 2: B\n\n## Compliance Checklist\n- [ ] Step 1: a\n- [ ] Step 2: b\n- [ ] Step 2: again\n- [ ] Step 3: gone\n";
        let d = run(&RULE, text, "t");
        let got: Vec<_> = d.iter().map(|d| (at(text, d), d.message.contains("second"))).collect();
        assert_eq!(got, [("Step 2", true), ("Step 3", false)]);
    }

    #[test]
    fn sub_checks_per_step_are_a_style() {
        let text = "# T\n\n## Workflow\n\n### Step 1: A\n\n### Step 2: B\n\n## Compliance Checklist\n- [ ] **Step 1**: a\n- [ ] **Step 1**: b\n- [ ] **Step 2**: c\n- [ ] **Step 2**: d\n- [ ] **Step 2**: c\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.start, text.rfind("Step 2").unwrap());
    }
}
