//! SK105 `step-without-instructions`: a step with no numbered instruction list.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{SkillDoc, Step};
use crate::rules::skeleton::{content_end, instruction_block, intro_line, role, Style};
use crate::rules::step_promise::expected_count;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK105",
    name: "step-without-instructions",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a step with no numbered instruction list",
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it checks

That every workflow step gives its instructions as a numbered list —
introduced by `**YOU MUST:**` or, in the template's style, by `**Actions**:`.
The range is the step's heading.

## Why it matters

A numbered list is what an agent executes item by item and what a reviewer
checks off. A step that only describes its goal in a sentence, or lists
loose bullets, leaves the agent to decide what to do and in which order.

## Example

Bad:

```markdown
### Step 6: Generate Output

Create deliverables and save to `/claudedocs/`.
```

Good:

```markdown
### Step 6: Generate Output

**Actions**:
1. Write the output to `/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md`
2. Make every finding specific and actionable
```

## Fix

When the step has a bullet list of one-line items, turns it into a numbered
list introduced in the skill's style (safe: the instructions stay the
author's). Otherwise inserts an introduced list with the canonical
instructions for the step's number, before the gate line if there is one
(unsafe: to be checked and completed).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let style = Style::of(doc);
    let count = expected_count(doc, ctx.config).max(w.steps.iter().map(|s| s.number).max().unwrap_or(0));
    for step in &w.steps {
        if step.numbered_list.is_some() || step.instructions.as_ref().is_some_and(|i| i.list.is_some()) {
            continue;
        }
        let fix = number_bullets(doc, step, &style).or_else(|| insert_block(doc, step, &style, count));
        sink.report_fix(
            doc.md.headings[step.heading].range,
            format!(
                "step {} has no numbered instruction list: an agent executes a step item by item, and without a list it must guess what to do and in which order; give the step a `{}` numbered list",
                step.number,
                intro_line(style.body)
            ),
            fix,
        );
    }
}

/// Turns the step's first bullet list (one-line items only) into a numbered
/// list, with the skill's intro line above it when the step has none.
fn number_bullets(doc: &SkillDoc, step: &Step, style: &Style) -> Option<Fix> {
    let md = &doc.md;
    let list = md.lists.iter().find(|l| {
        l.depth == 0
            && l.ordered.is_none()
            && step.body.contains(l.range.start)
            && md.heading_before(l.range.start) == Some(step.heading)
            && l.items
                .iter()
                .all(|&i| md.items.get(i).is_some_and(|it| it.task.is_none()))
    })?;
    let mut edits = Vec::new();
    for (k, &i) in list.items.iter().enumerate() {
        let item = md.items.get(i)?;
        let raw = doc.text.get(item.range.start..item.range.end)?;
        if raw.contains('\n') {
            return None; // nested content would need re-indenting
        }
        if !raw.starts_with(['-', '*', '+']) {
            return None;
        }
        edits.push(Edit::replace(
            crate::text::TextRange::new(item.range.start, item.range.start + 1),
            format!("{}.", k + 1),
        ));
    }
    if step.instructions.is_none() {
        let eol = style.eol;
        edits.push(Edit::insert(
            list.range.start,
            format!("{}{eol}", intro_line(style.body)),
        ));
    }
    Some(Fix::safe("Number the step's instructions", edits))
}

/// Inserts the canonical instructions for the step's number.
fn insert_block(doc: &SkillDoc, step: &Step, style: &Style, count: u32) -> Option<Fix> {
    let eol = style.eol;
    let block = instruction_block(doc, style, role(step.number.max(1), count));
    let edit = match step.gate {
        Some(gate) => Edit::insert(gate.start, format!("{block}{eol}{eol}")),
        None => {
            let end = content_end(&doc.text, step.body);
            if end <= step.body.start {
                let gap = if style.blank_after_heading {
                    format!("{eol}{eol}")
                } else {
                    eol.to_string()
                };
                Edit::insert(step.body.start, format!("{gap}{block}"))
            } else {
                Edit::insert(end, format!("{eol}{eol}{block}"))
            }
        }
    };
    Some(Fix::unsafe_("Insert a numbered instruction list", vec![edit]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::skeleton::testing::{at, fixed, run};

    #[test]
    fn bullets_become_a_numbered_list() {
        let text = "# T\n\n## MANDATORY WORKFLOW\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n**YOU MUST:**\n1. Ask\n\n**DO NOT PROCEED**\n\n### ⚠️ STEP 2: Output (REQUIRED)\n\nCreate deliverables:\n- Follow the naming\n- Include all sections\n\n**DO NOT PROCEED**\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "### ⚠️ STEP 2: Output (REQUIRED)");
        assert_eq!(
            d[0].fix.as_ref().unwrap().applicability,
            crate::fix::Applicability::Safe
        );
        assert!(fixed(text, &d[0])
            .contains("Create deliverables:\n**YOU MUST:**\n1. Follow the naming\n2. Include all sections\n"));
    }

    #[test]
    fn prose_gets_the_canonical_instructions() {
        let text = "---\nname: demo\n---\n# T\n\n## Mandatory Workflow\n\n### Step 2: Load Memory\n\nLoad project memory.\n\n## Next\n";
        let d = run(&RULE, text, "demo");
        assert_eq!(d.len(), 1);
        let out = fixed(text, &d[0]);
        assert!(
            out.contains("Load project memory.\n\n**Actions**:\n1. Load project memory with `memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`\n"),
            "{out}"
        );
    }
}
