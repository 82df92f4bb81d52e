//! SK103 `step-numbering`: steps out of order, a number skipped or repeated.

use crate::authoring::expected_count;
use crate::authoring::renumber;
use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::model::numbering::Problem;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK103",
    name: "step-numbering",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "steps out of order, a number skipped or repeated (`Step 100`, two STEP 2)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const RENUMBER: &str = "Renumber the steps 1, 2, 3, ... in order";

const DOCS: &str = "\
## What it checks

That the workflow's steps are numbered 1, 2, 3, ... in the order they are
written: no number twice, none going backwards, no placeholder instead of a
number (`Step N-1`), and no jump past the end of the workflow (`Step 100`
after `Step 9`). The range is the step's number. A gap inside the usual
steps (1, 2, 3, 5) is reported by SK102 as a missing step instead.

## Why it matters

Agents and people refer to steps by number (\"memory will be created in
Step 6\", checklist items, other steps). A repeated or wild number means two
steps answer to one name, or one step to none; it is usually the trace of a
bulk edit that pasted a step in.

## Example

Bad:

```markdown
#### **Step 9: Update Project Memory**
### Step 100: Generate Output
```

Good:

```markdown
#### **Step 9: Update Project Memory**
### Step 10: Generate Output
```

## Fix

Renumbers the steps 1, 2, 3, ... in the order they stand, and every
`Step N` that names a renumbered step with it (Compliance Checklist items,
cross-references in the body; not code or the Version History), so each
keeps naming the same step. Safe: the steps
and their order stay as written — except where one of two steps sharing a
number looks pasted in (another heading style, no instruction block), where
deleting it may be the better fix.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let Some(plan) = renumber::plan(doc, expected_count(doc, ctx.config)) else {
        return;
    };
    for (i, problem) in &plan.problems {
        let (i, problem) = (*i, *problem);
        let s = &w.steps[i];
        let written = doc.slice(s.number_range);
        let should = i + 1;
        let prev = i.checked_sub(1).map(|p| w.steps[p].number);
        let what = match (problem, prev) {
            (Problem::Placeholder, _) => format!("`Step {written}` has no number"),
            (Problem::Repeated, _) => format!("step {written} is numbered twice"),
            (Problem::Backwards, Some(p)) => format!("step {written} comes after step {p}"),
            (Problem::Jump, Some(p)) => format!("step {written} follows step {p}"),
            (_, None) => format!("the first step is numbered {written}"),
        };
        let fix = if plan.guesses {
            Fix::guess(RENUMBER, plan.edits.clone())
        } else {
            Fix::safe(RENUMBER, plan.edits.clone())
        };
        sink.report_fix(
            s.number_range,
            format!(
                "{what}: steps must be numbered 1, 2, 3, ... in the order they stand, or references to \"step N\" point at the wrong step; this is step {should}, renumber it"
            ),
            Some(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    const HEAD: &str = "---\nname: t\n---\n# T\n\n## Mandatory Workflow\n\n";

    #[test]
    fn checklist_items_follow_their_renumbered_steps() {
        let text = format!(
            "{HEAD}### Step 1: A\n\n### Step 3: B\n\n### Step 2: C\n\n## Compliance Checklist\n- [ ] Step 1: A done\n- [ ] Step 3: B done\n- [ ] Step 2: C done\n"
        );
        let d = run(&RULE, &text, "t");
        let out = fixed(&text, &d[0]);
        assert!(out.contains("### Step 2: B\n\n### Step 3: C"), "{out}");
        assert!(
            out.ends_with("- [ ] Step 1: A done\n- [ ] Step 2: B done\n- [ ] Step 3: C done\n"),
            "{out}"
        );
    }

    #[test]
    fn step_100_after_step_9_is_renumbered() {
        let steps: String = (1..=9).map(|n| format!("#### **Step {n}: S{n}**\n\nx\n\n")).collect();
        let text = format!("{HEAD}{steps}### Step 100: Generate Output\n\ny\n");
        let d = run(&RULE, &text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "100");
        assert!(d[0].message.contains("follows step 9"), "{}", d[0].message);
        assert!(fixed(&text, &d[0]).contains("### Step 10: Generate Output"));
    }

    #[test]
    fn a_repeated_number_and_a_placeholder() {
        let text = format!("{HEAD}### Step 1: A\n\n### Step 2: B\n\n### ⚠️ STEP 2: C (REQUIRED)\n\n### Step N-1: D\n");
        let d = run(&RULE, &text, "t");
        let got: Vec<_> = d.iter().map(|d| at(&text, d)).collect();
        assert_eq!(got, ["2", "N-1"]);
        let out = fixed(&text, &d[0]);
        assert!(out.contains("STEP 3: C") && out.contains("Step 4: D"), "{out}");
    }

    /// `Step 100` in the three damaged corpus skills, and the step 2 pasted
    /// twice into two others; nothing in the clean corpus.
    #[test]
    fn corpus_step_100_and_repeated_numbers() {
        let forge = crate::testing::check_corpus("forge");
        if forge.is_empty() {
            return; // corpus not present
        }
        let found: Vec<(&str, &str)> = forge
            .iter()
            .flat_map(|(name, text, diags)| {
                diags
                    .iter()
                    .filter(|d| d.code == "SK103")
                    .map(move |d| (name.as_str(), &text[d.range.start..d.range.end]))
            })
            .collect();
        assert_eq!(
            found,
            [
                ("email-writer", "2"),
                ("generate-azure-functions", "100"),
                ("generate-mock-service", "100"),
                ("generate-tilt-dev-environment", "100"),
                ("slack-message-composer", "2"),
            ]
        );
        let clean = crate::testing::check_corpus("forge-clean");
        assert!(clean.iter().all(|(_, _, d)| d.iter().all(|d| d.code != "SK103")));
    }

    #[test]
    fn gaps_in_the_usual_steps_are_left_to_sk102() {
        let text = format!("{HEAD}### Step 1: A\n\n### Step 2: B\n\n### Step 4: D\n");
        assert!(run(&RULE, &text, "t").is_empty());
    }
}
