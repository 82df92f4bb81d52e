//! SK124 `step-count-promise`: prose promises a step count ("5-step workflow") the workflow does not have.

use crate::authoring::promises;
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK124",
    name: "step-count-promise",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "prose promises a step count (\"5-step workflow\") the workflow does not have",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That where the skill states how many steps its workflow has — \"the 6-step
workflow outlined in this document\", \"Execute ALL 6 steps\", `## Mandatory
Workflow (8 Steps)` — the workflow has that many. The Version History is
not checked: it tells of earlier versions. The range is the stated count.

## Why it matters

Agents take the stated count as a contract: told \"6 steps\" and given 5
(or 7) they look for the missing one, or stop early. A wrong count is also
the usual trace of a step added or removed without updating the prose.

## Example

Bad (the workflow has six steps):

```markdown
**CRITICAL**: The 5-step workflow outlined in this document MUST be followed.
```

Good:

```markdown
**CRITICAL**: The 6-step workflow outlined in this document MUST be followed.
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref().filter(|w| !w.steps.is_empty()) else {
        return;
    };
    let actual = w.steps.len() as u32;
    for p in promises(doc).into_iter().filter(|p| p.count != actual) {
        sink.report(
            p.range,
            format!(
                "this says the workflow has {} steps, but it has {actual}: agents take the stated count as a contract and look for a step that is not there, or stop early; make the count match",
                p.count
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn a_count_the_workflow_does_not_have() {
        let text = "# T\n\nThe 5-step workflow below.\n\n## Mandatory Workflow\n\n### Step 1: A\n\n### Step 2: B\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["5-step"]);
        let text = "# T\n\nThe 2-step workflow below.\n\n## Mandatory Workflow\n\n### Step 1: A\n\n### Step 2: B\n";
        assert!(run(&RULE, text, "t").is_empty());
    }
}
