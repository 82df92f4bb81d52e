//! SK105 `step-without-instructions`: a step with no numbered instruction list.

use crate::authoring::expected_count;
use crate::authoring::{content_end, instruction_block, intro_line, role, Style};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{SkillDoc, Step};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK105",
    name: "step-without-instructions",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "a step with no numbered instruction list",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every workflow step gives its instructions as a list — a numbered list
introduced by `**YOU MUST:**` or `**Actions**:`, as the template does, or the
bullets many skills use — or in a code block, or by pointing to a shared
procedure (`> Follow [Standard Memory Loading](...)`). A step with prose
only is reported, and so is a step whose only list is a `**Validation**`
checklist (`- [ ] ...`): checks to confirm are not instructions to follow. The range is the step's heading.

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

Inserts a numbered list introduced in the skill's style (`**YOU MUST:**` or
`**Actions**:`) with the canonical instructions for the step's number —
the interface calls it needs, with the skill's name and domain — after the
step's prose and before its gate line. Unsafe: to be checked and completed.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let style = ctx.style();
    let count = expected_count(doc, ctx.config).max(w.steps.iter().map(|s| s.number).max().unwrap_or(0));
    for step in w.steps.iter().filter(|s| !has_instructions(doc, s)) {
        sink.report_fix(
            doc.md.headings[step.heading].range,
            format!(
                "step {} gives no instructions, only prose: an agent executes a step item by item, and without a list it must guess what to do and in which order; give the step a `{}` numbered list",
                step.number,
                intro_line(style.body)
            ),
            insert_block(doc, step, style, count),
        );
    }
}

/// A list (numbered, bullets as many skills write them, or a checklist), a code block, or
/// a pointer to a shared procedure (`> Follow [Standard Memory Loading](...)`)
/// all tell the agent what to do.
fn has_instructions(doc: &SkillDoc, step: &Step) -> bool {
    let md = &doc.md;
    let inside = |at: usize| step.body.contains(at);
    step.numbered_list.is_some()
        || md
            .lists
            .iter()
            .any(|l| inside(l.range.start) && !is_validation_checklist(doc, l))
        || md.code_blocks.iter().any(|b| inside(b.range.start))
        || md
            .links
            .iter()
            .any(|l| inside(l.range.start) && l.dest.contains("shared_loading_patterns"))
}

/// A task list under a `**Validation**` label: checks to confirm once the
/// step is done, not instructions (a template step whose `**Actions**:`
/// block is gone keeps its `**Purpose**` and this).
fn is_validation_checklist(doc: &SkillDoc, list: &crate::syntax::markdown::List) -> bool {
    let md = &doc.md;
    let all_tasks = !list.items.is_empty() && list.items.iter().all(|&i| md.items[i].task.is_some());
    if !all_tasks {
        return false;
    }
    let before = doc.text[..list.range.start].trim_end();
    let label_line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let label = label_line.trim().trim_start_matches(['*', '_']).to_ascii_lowercase();
    label.starts_with("validation")
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
    use crate::testing::{at, fixed, run};

    #[test]
    fn lists_code_and_shared_procedures_are_instructions() {
        let text = "# T\n\n## Workflow\n\n### Step 1: A\n- do a\n\n### Step 2: B\n```\nx\n```\n\n### Step 3: C\n> Follow [Standard Context Loading](../../interfaces/shared_loading_patterns.md#p)\n\n### Step 4: D\n1. d\n\n### Step 5: E\n\nJust prose.\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["### Step 5: E"]);
    }

    #[test]
    fn a_validation_checklist_is_no_instructions() {
        let text = "# T\n\n## Workflow\n\n### Step 1: A\n\n**Purpose**: Load things.\n\n**Validation**:\n- [ ] Things loaded\n\n### Step 2: B\n\n**Purpose**: Do b.\n\n**Actions**:\n1. do b\n\n**Validation**:\n- [ ] b done\n\n### Step 3: C\n- [ ] check the input\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["### Step 1: A"]);
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
