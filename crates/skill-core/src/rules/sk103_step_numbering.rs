//! SK103 `step-numbering`: steps out of order, a number skipped or repeated.

use crate::authoring::renumber;
use crate::authoring::{expected_count, insert_step_fix};
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
after `Step 9`). The range is the step's number.

A gap inside the usual steps (1, 2, 4, 5) is a misnumbering when the step
after it is evidently the step its position makes it: `Step 4: Load
Context` right after step 2 is step 3 numbered one too high, not a lost
step 3. Its title (or, for loading steps, the calls it makes) tells. Any
other gap is reported by SK102 as a missing step.

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
keeps naming the same step, and a statement of the workflow's length that
counted the old highest number (\"the 8-step workflow\" when 7 steps are
numbered up to 8). Safe: the steps and their order stay as written —
except where one of two steps sharing a number looks pasted in (another
heading style, no instruction block), where deleting it may be the better
fix. For a misnumbering after a gap, inserting the step the numbers skip is
offered as an alternative (unsafe, not preferred): the author may know a
step was lost after all.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let expected = expected_count(doc, ctx.config);
    let Some(plan) = renumber::plan(doc, expected) else {
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
            (Problem::Shifted, Some(p)) => format!(
                "step {written} ({}) follows step {p} and does step {should}'s work: the steps from here on are numbered {} too high, rather than missing a step {should}",
                s.title,
                (s.number as usize).saturating_sub(should)
            ),
            (_, None) => format!("the first step is numbered {written}"),
        };
        let mut fix = if plan.guesses {
            Fix::guess(RENUMBER, plan.edits.clone())
        } else {
            Fix::safe(RENUMBER, plan.edits.clone())
        };
        let message = if problem == Problem::Shifted {
            // The lesser mend, offered beside renumbering: the author may
            // know a step was lost after all.
            let count = expected.max(w.steps.iter().map(|s| s.number).max().unwrap_or(0));
            let n = u32::try_from(should).unwrap_or(u32::MAX);
            fix.alternatives
                .extend(insert_step_fix(doc, ctx.ws, ctx.config, ctx.style(), n, count));
            format!("{what}; renumber it {should} and the steps after it, so that references to \"step N\" point at the right step")
        } else {
            format!("{what}: steps must be numbered 1, 2, 3, ... in the order they stand, or references to \"step N\" point at the wrong step; this is step {should}, renumber it")
        };
        sink.report_fix(s.number_range, message, Some(fix));
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

    /// Steps 1, 2, 4, 5 where step 4 loads context: step 3 numbered one too
    /// high. The preferred fix renumbers the headings, the checklist and the
    /// "N-step workflow" that counted the old highest number; inserting a
    /// step 3 stays a lesser, unsafe alternative.
    #[test]
    fn a_gap_whose_next_step_is_the_missing_one_is_misnumbering() {
        let text = format!(
            "{HEAD}Follow the 5-step workflow.\n\n### Step 1: Scope\n\n1. a\n\n### Step 2: Load Memory\n\n1. b\n\n### Step 4: Load Context\n\n1. `contextProvider.getDomainIndex(\"python\")`\n\n### Step 5: Review\n\n1. c\n\n## Compliance Checklist\n- [ ] Step 4: Context loaded\n- [ ] Step 5: Reviewed\n"
        );
        let d = run(&RULE, &text, "t");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(at(&text, &d[0]), "4");
        assert!(
            d[0].message
                .starts_with("step 4 (Load Context) follows step 2 and does step 3's work"),
            "{}",
            d[0].message
        );
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, crate::fix::Applicability::Safe);
        assert!(fix.preferred() && !fix.is_choice());
        let out = fixed(&text, &d[0]);
        assert!(out.contains("the 4-step workflow"), "{out}");
        assert!(
            out.contains("### Step 3: Load Context") && out.contains("### Step 4: Review"),
            "{out}"
        );
        assert!(
            out.ends_with("- [ ] Step 3: Context loaded\n- [ ] Step 4: Reviewed\n"),
            "{out}"
        );
        assert_eq!(fix.alternatives.len(), 1);
        let insert = &fix.alternatives[0];
        assert!(insert.title.starts_with("Insert step 3"), "{}", insert.title);
        assert_eq!(insert.applicability, crate::fix::Applicability::Unsafe);
        // SK102 leaves the gap to this rule.
        let sk102 = run(&crate::rules::sk102_step_missing::RULE, &text, "t");
        assert!(sk102.is_empty(), "{sk102:?}");
    }

    #[test]
    fn gaps_in_the_usual_steps_are_left_to_sk102() {
        let text = format!("{HEAD}### Step 1: A\n\n### Step 2: B\n\n### Step 4: D\n");
        assert!(run(&RULE, &text, "t").is_empty());
    }
}
