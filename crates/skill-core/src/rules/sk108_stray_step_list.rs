//! SK108 `stray-step-list`: a second step list outside the workflow section (pasted above it).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{SkillDoc, StepList, Workflow};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK108",
    name: "stray-step-list",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a second step list outside the workflow section (pasted above it)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
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
        let stubs: Vec<Option<usize>> = list.steps.iter().map(|s| stub_end(doc, s)).collect();
        let whole = stubs
            .iter()
            .zip(&list.steps)
            .all(|(end, s)| end.is_some_and(|e| doc.text.get(e..s.body.end).unwrap_or("").trim().is_empty()));
        let duplicate = whole && repeats_workflow(doc, w, list);
        let title = if list.steps.len() == 1 {
            "Delete the stray step"
        } else {
            "Delete the stray step list"
        };
        let fix = if duplicate {
            Fix::safe(title, vec![Edit::delete(list.range)])
        } else {
            // Text of its own may follow a pasted heading (a bulk edit that
            // pasted into the middle of a list): take out only the headings and
            // their stub sentences, and leave the rest for the author to place.
            let edits: Vec<Edit> = list
                .steps
                .iter()
                .zip(&stubs)
                .map(|(s, end)| {
                    let start = doc.md.headings[s.heading].range.start;
                    let end = end.unwrap_or(doc.md.headings[s.heading].range.end);
                    let rest_is_prose = doc.text.get(end..s.body.end).is_some_and(|r| !r.trim().is_empty());
                    // Text continuing right after the stub joins what stood above the heading.
                    let start = if rest_is_prose {
                        doc.text[..start].trim_end().len() + line_break_len(&doc.text, start)
                    } else {
                        start
                    };
                    Edit::delete(TextRange::new(start.min(end), end))
                })
                .collect();
            Fix::guess(if whole { title } else { "Delete the stray step headings" }, edits)
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

/// The length of the line break that ends the text before `at` once its
/// trailing blank lines are dropped.
fn line_break_len(text: &str, at: usize) -> usize {
    let kept = text[..at].trim_end().len();
    if text[kept..at].starts_with("\r\n") {
        2
    } else {
        usize::from(text[kept..at].starts_with('\n'))
    }
}

/// Where a step's stub ends: its heading, one short paragraph, and — when
/// that paragraph ends with a colon — the list or code block it introduces,
/// with the blank lines after them. `None` when the body opens with
/// something else (a heading, a table, a list of its own).
fn stub_end(doc: &SkillDoc, step: &crate::model::Step) -> Option<usize> {
    let text = &doc.text;
    let lines = lines_with_breaks(text, step.body);
    let mut i = 1; // past the end of the heading line
    let blank = |k: usize| lines.get(k).is_some_and(|(_, l)| l.trim().is_empty());
    while blank(i) {
        i += 1;
    }
    let is_item = |l: &str| {
        let t = l.trim_start();
        t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("+ ")
            || t.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok())
    };
    let opens_block = |l: &str| is_item(l) || l.trim_start().starts_with(['#', '|', '`', '>']);
    let para_start = i;
    while lines
        .get(i)
        .is_some_and(|(_, l)| !l.trim().is_empty() && !opens_block(l))
    {
        i += 1;
    }
    if i == para_start {
        return None;
    }
    if lines[i - 1].1.trim_end().ends_with(':') {
        let mut fenced = false;
        while let Some((_, l)) = lines.get(i) {
            let t = l.trim_start();
            if t.starts_with("```") {
                fenced = !fenced;
            } else {
                let continues = fenced || is_item(l) || (l.starts_with("  ") && !t.is_empty());
                if !continues {
                    break; // neither an item, its continuation, nor code
                }
            }
            i += 1;
        }
    }
    while blank(i) {
        i += 1;
    }
    Some(lines.get(i).map_or(step.body.end, |(start, _)| *start))
}

/// The lines of `range` with the offsets where they start (the text of each
/// without its line break).
fn lines_with_breaks(text: &str, range: TextRange) -> Vec<(usize, &str)> {
    let slice = text.get(range.start..range.end).unwrap_or("");
    let mut at = range.start;
    slice
        .split_inclusive('\n')
        .map(|l| {
            let start = at;
            at += l.len();
            (start, l.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

/// Whether the list only repeats the workflow: every step titled like a
/// canonical step or a step of the workflow, and none carrying code.
fn repeats_workflow(doc: &SkillDoc, w: &Workflow, list: &StepList) -> bool {
    list.steps.iter().all(|s| {
        let title = s.title.to_lowercase();
        let known = CANONICAL.iter().any(|c| title.starts_with(c))
            || w.steps.iter().any(|ws| ws.title.eq_ignore_ascii_case(&s.title));
        let has_code = doc.md.code_blocks.iter().any(|b| s.body.contains(b.range.start));
        known && !has_code
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;
    use crate::testing::{at, fixed, run};

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
    fn a_heading_pasted_into_a_list_leaves_the_list_whole() {
        let text = "# T\n\n## Mandatory Workflow\n\n### Step 1: A\n\n## Notes\n\n### For You\n- **DO NOT** skip steps\n\n### Step 1: Initial Analysis\n\nGather inputs.\n- **DO** review changed files\n- **DO** update memory\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].fix.as_ref().unwrap().applicability, Applicability::Unsafe);
        assert_eq!(
            fixed(text, &d[0]),
            "# T\n\n## Mandatory Workflow\n\n### Step 1: A\n\n## Notes\n\n### For You\n- **DO NOT** skip steps\n- **DO** review changed files\n- **DO** update memory\n"
        );
    }

    /// The 26 damaged corpus skills with a step list pasted outside the
    /// workflow are found, no other; the fix takes out the pasted lines and
    /// nothing the clean file has.
    #[test]
    fn corpus_pasted_lists_are_found_and_only_they_are_deleted() {
        let forge = crate::testing::check_corpus("forge");
        if forge.is_empty() {
            return; // corpus not present
        }
        let (clean, _) = crate::testing::corpus("forge-clean");
        let mut found = Vec::new();
        for (name, text, diags) in &forge {
            let Some(d) = diags.iter().find(|d| d.code == "SK108") else {
                continue;
            };
            found.push(name.as_str());
            let after = fixed(text, d);
            let clean_text = &clean.iter().find(|(n, _, _)| n == name).expect(name).2;
            let clean_lines: std::collections::HashSet<&str> = clean_text.lines().collect();
            let kept: std::collections::HashSet<&str> = after.lines().collect();
            for line in text.lines().filter(|l| !l.trim().is_empty() && !kept.contains(l)) {
                assert!(
                    !clean_lines.contains(line),
                    "{name}: the fix deletes `{line}`, which the clean file has"
                );
            }
        }
        let pasted = [
            "commit-helper",
            "create-agents",
            "dev-tools",
            "django",
            "dotnet-code-review",
            "dotnet-core",
            "excel-skills",
            "fastapi",
            "feature-forge",
            "fullstack-development",
            "generate-azure-bicep",
            "generate-azure-pipelines",
            "generate-jest-unit-tests",
            "generate-more-skills-with-claude",
            "generate-python-unit-tests",
            "get-git-diff",
            "jupyter-notebook-skills",
            "legacy-modernizer",
            "mcp-developer",
            "monitoring-expert",
            "nestjs",
            "pandas",
            "php",
            "rails",
            "test-cli-tools",
            "websocket-engineer",
        ];
        assert_eq!(found, pasted);
        let clean_hits = crate::testing::check_corpus("forge-clean")
            .into_iter()
            .filter(|(_, _, d)| d.iter().any(|d| d.code == "SK108"))
            .count();
        assert_eq!(clean_hits, 0);
    }

    #[test]
    fn silent_without_a_workflow_or_strays() {
        assert!(run(&RULE, "# T\n\n### Step 1: A\n", "t").is_empty());
        assert!(run(&RULE, "# T\n\n## Workflow\n\n### Step 1: A\n", "t").is_empty());
    }
}
