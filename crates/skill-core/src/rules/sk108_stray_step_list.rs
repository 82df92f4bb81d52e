//! SK108 `stray-step-list`: a second step list outside the workflow section (pasted above it).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{SkillDoc, StepList, Workflow};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK108",
    name: "stray-step-list",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a second step list outside the workflow section (pasted above it)",
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it checks

That `Step N` headings stand only in the workflow section. Step headings
elsewhere — typically a plain `### Step 1` ... `### Step 6` list pasted
above the workflow by a bulk edit — form a second step list. The range is
the first heading of that list.

## Why it matters

An agent reading the skill top-down meets the stray list first and may
follow its generic steps instead of the skill's real workflow, or run both.
Tools that attribute interface calls to steps also get confused.

## Example

Bad:

```markdown
## File Structure
- **SKILL.md** (this file): Main instructions

### Step 1: Initial Analysis

Gather inputs and determine scope and requirements.

### Step 2: Load Memory
...
## MANDATORY WORKFLOW (MUST FOLLOW EXACTLY)

### ⚠️ STEP 1: Scope the FastAPI Engagement (REQUIRED)
```

Good: the same without the pasted `### Step 1` ... list.

## Fix

Deletes the stray list. Safe when it only repeats the workflow — each step
a short stub (no code, no sub-headings) titled like a step of the workflow
or of the canonical template; unsafe otherwise, since the list's text may
hold something the author wants to keep.";

/// Canonical step titles, as the template and bulk-pasted lists write them.
const CANONICAL: [&str; 7] = [
    "initial analysis",
    "load memory",
    "load context",
    "core implementation",
    "core action",
    "generate output",
    "update memory",
];

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let wf_heading = &doc.md.headings[w.heading];
    for list in &doc.stray_step_lists {
        let Some(first) = list.steps.first() else { continue };
        let numbers: Vec<String> = list
            .steps
            .iter()
            .map(|s| doc.slice(s.number_range).to_string())
            .collect();
        let where_ = if list.range.start < w.range.start {
            "above"
        } else {
            "below"
        };
        let duplicate = repeats_workflow(doc, w, list);
        let title = if list.steps.len() == 1 {
            "Delete the stray step"
        } else {
            "Delete the stray step list"
        };
        let edits = vec![Edit::delete(list.range)];
        let fix = if duplicate {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        };
        let what = if numbers.len() == 1 {
            format!("a stray `Step {}` heading", numbers[0])
        } else {
            format!("a second step list (steps {})", numbers.join(", "))
        };
        sink.report_fix(
            doc.md.headings[first.heading].range,
            format!(
                "{what} stands outside the workflow section, {where_} `{}`: an agent may follow it instead of the real workflow, or both; delete it{}",
                wf_heading.text,
                if duplicate { "" } else { " or move what it says into the workflow's steps" }
            ),
            Some(fix),
        );
    }
}

/// Whether the list only repeats the workflow: every step a short stub with
/// a canonical title or the title of a workflow step.
fn repeats_workflow(doc: &SkillDoc, w: &Workflow, list: &StepList) -> bool {
    list.steps.iter().all(|s| {
        let title = s.title.to_lowercase();
        let known = CANONICAL.iter().any(|c| title.starts_with(c))
            || w.steps.iter().any(|ws| ws.title.eq_ignore_ascii_case(&s.title));
        let body = doc.text.get(s.body.start..s.body.end).unwrap_or("");
        let lines = body.lines().filter(|l| !l.trim().is_empty()).count();
        let has_code = doc.md.code_blocks.iter().any(|b| s.body.contains(b.range.start));
        let has_heading = doc.md.headings.iter().any(|h| s.body.contains(h.range.start));
        known && lines <= 6 && !has_code && !has_heading
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;
    use crate::rules::skeleton::testing::{at, fixed, run};

    #[test]
    fn a_pasted_stub_list_is_deleted_safely() {
        let text = "# T\n\n## Files\n- a\n\n### Step 1: Initial Analysis\n\nGather inputs.\n\n### Step 2: Load Memory\n\nLoad memory.\n\n## MANDATORY WORKFLOW\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "### Step 1: Initial Analysis");
        assert!(
            d[0].message.contains("steps 1, 2") && d[0].message.contains("above"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].fix.as_ref().unwrap().applicability, Applicability::Safe);
        assert_eq!(
            fixed(text, &d[0]),
            "# T\n\n## Files\n- a\n\n## MANDATORY WORKFLOW\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n"
        );
    }

    #[test]
    fn a_list_with_its_own_content_is_an_unsafe_deletion() {
        let text = "# T\n\n### Step 1: Set Up the Cluster\n\n```sh\nkubectl apply\n```\n\n## Mandatory Workflow\n\n### Step 1: A\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d[0].fix.as_ref().unwrap().applicability, Applicability::Unsafe);
    }

    #[test]
    fn silent_without_a_workflow_or_strays() {
        assert!(run(&RULE, "# T\n\n### Step 1: A\n", "t").is_empty());
        assert!(run(&RULE, "# T\n\n## Workflow\n\n### Step 1: A\n", "t").is_empty());
    }
}
