//! SK114 `checklist-item-ticked`: a checklist item already ticked (`- [x]`).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK114",
    name: "checklist-item-ticked",
    severity: Severity::Warning,
    fix: FixAvailability::Safe,
    summary: "a checklist item already ticked (`- [x]`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That no item of the Compliance Checklist is ticked in the skill itself. The
range is the `[x]` marker.

## Why it matters

The checklist is filled in by the agent on each run. An item ticked in the
file tells every run that the step is already done, so it is never checked.

## Example

Bad:

```markdown
- [x] Step 2: Project memory loaded
```

Good:

```markdown
- [ ] Step 2: Project memory loaded
```

## Fix

Unticks the item. Safe.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(c) = doc.checklist.as_ref() else { return };
    for item in c.items.iter().filter(|i| i.checked) {
        let fix = Fix::safe("Untick the item", vec![Edit::replace(item.marker, "[ ]")]);
        sink.report_fix(
            item.marker,
            "this checklist item is already ticked: the agent ticks items as it runs, and one ticked in the file is never checked; untick it",
            Some(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    #[test]
    fn unticks() {
        let text = "## Compliance Checklist\n- [ ] Step 1: a\n- [x] Step 2: b\n- [X] Step 3: c\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["[x]", "[X]"]);
        assert_eq!(
            fixed(text, &d[0]),
            "## Compliance Checklist\n- [ ] Step 1: a\n- [ ] Step 2: b\n- [X] Step 3: c\n"
        );
    }
}
