//! SK102 `step-missing`: step N (1..6) missing from the workflow.

use crate::authoring::renumber::problems;
use crate::authoring::{between, configured_step, insert_step_fix, role, Role, Style};
use crate::authoring::{expected_count, stated_count};
use crate::diagnostic::{Related, Severity};
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK102",
    name: "step-missing",
    severity: Severity::Error,
    fix: FixAvailability::Unsafe,
    summary: "step N (1..6) missing from the workflow",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the workflow has every step from 1 to its length: the configured count
(6 by default: initial analysis, load memory, load context, the core
action, generate output, update memory), or the count the skill itself
states (\"the 5-step workflow outlined in this document\"). A gap (steps 3
and 5 but no 4) is always reported; a workflow that stops early only when
its last step does not write memory, since older skills fold output and
memory into one closing step. The range is the heading of the step after
the gap (or of the last step).

## Why it matters

A missing step is work the agent will not do: without step 2 it never loads
what earlier runs learned; without the last step it never records what this
run learned.

## Example

Bad:

```markdown
### Step 3: Load Context
...
### Step 5: Generate Output
```

Good:

```markdown
### Step 3: Load Context
...
### Step 4: Review the Code
...
### Step 5: Generate Output
```

## Fix

Inserts step N between its neighbours, in the skill's heading style and body
style (`**YOU MUST:**` with a gate line, or Purpose/Actions/Validation), with
the canonical title for its number (the team's `[workflow] titles` in
`skill-lsp.toml`, else the workspace's `SKILL_TEMPLATE.md` when there is
one, else built in) and the interface calls the step needs — its role's
and those the team's `[workflow.calls]` require of it — carrying the
skill's `name`, `primary_domain` and `{project-name}`. It is the very step
editor completion offers after step N-1 and `skill-lsp new` writes. A
step-by-step Compliance Checklist gets the step's item in order too.
Unsafe: the skeleton is a starting point to fill in.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let expected = expected_count(doc, ctx.config);
    let style = ctx.style();
    if w.steps.is_empty() {
        report_empty(ctx, sink, expected, style);
        return;
    }
    if !problems(doc, expected).is_empty() {
        // Numbering first (SK103, which also owns a gap whose next step is
        // the missing one numbered too high); gaps are judged after renumbering.
        return;
    }
    let max = w.steps.iter().map(|s| s.number).max().unwrap_or(0);
    let closes_with_memory = w.last_step().is_some_and(|s| s.writes_memory(&doc.text));
    let trailing_end = if closes_with_memory { max } else { expected.max(max) };
    let source = match stated_count(doc) {
        Some(n) => format!("the {n} steps this skill states"),
        None => format!("the project's {expected} steps"),
    };
    for n in 1..=trailing_end {
        if w.steps.iter().any(|s| s.number == n) {
            continue;
        }
        let next = w.steps.iter().find(|s| s.number > n);
        let anchor = next
            .or(w.steps.last())
            .map_or(doc.md.headings[w.heading].range, |s| doc.md.headings[s.heading].range);
        let count = expected.max(max);
        let r = role(n, count);
        // The step as editor completion offers it (the team's title and
        // calls), with its checklist item.
        let fix = insert_step_fix(doc, ctx.ws, ctx.config, style, n, count);
        let place = match (n.checked_sub(1).filter(|p| *p > 0), next) {
            (Some(p), Some(s)) => format!("between step {p} and step {}", s.number),
            (None, Some(s)) => format!("before step {}", s.number),
            (Some(p), None) => format!("after step {p}, the last of {source}"),
            (None, None) => String::new(),
        };
        // The checklist item that still names the step, where there is one.
        let related = doc
            .checklist
            .iter()
            .flat_map(|c| &c.items)
            .find(|i| i.step == Some(n))
            .map(|i| Related {
                path: None,
                range: doc.md.items[i.item].first_line,
                message: format!("the checklist still lists step {n}"),
            });
        sink.report_related(
            anchor,
            format!(
                "step {n} is missing from the workflow ({place}): an agent following it skips {}; insert step {n}",
                what_it_does(r)
            ),
            fix,
            related.into_iter().collect(),
        );
    }
}

/// A workflow heading with no steps under it: one finding, all steps inserted.
fn report_empty(ctx: &RuleCtx, sink: &mut Sink, count: u32, style: &Style) {
    let doc = ctx.doc;
    let Some(w) = doc.workflow.as_ref() else { return };
    let eol = style.eol;
    let steps: Vec<String> = (1..=count)
        .map(|n| configured_step(doc, ctx.ws, ctx.config, style, n, count).1)
        .collect();
    let heading = &doc.md.headings[w.heading];
    let fix = Fix::unsafe_(
        format!("Insert {count} step skeletons"),
        vec![Edit::insert(
            heading.range.end,
            format!("{eol}{eol}{}", steps.join(&between(style))),
        )],
    );
    sink.report_fix(
        heading.range,
        format!(
            "the workflow section has no `Step N:` headings, so an agent finds no steps to follow; write steps 1 to {count} as `### Step N: Title` headings"
        ),
        Some(fix),
    );
}

fn what_it_does(r: Role) -> &'static str {
    match r {
        Role::Analysis => "scoping the task",
        Role::Memory => "loading what earlier runs learned about the project",
        Role::Context => "loading the domain context",
        Role::Core => "part of the skill's core work",
        Role::Output => "generating the output",
        Role::UpdateMemory => "recording what this run learned in memory",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run, run_in};
    use crate::{Config, Workspace};

    const FM: &str = "---\nname: demo\ncontext:\n  primary_domain: python\nmemory:\n  scopes:\n    - type: skill-specific\n      files: [notes.md]\n---\n# Demo\n\n## MANDATORY WORKFLOW\n\n";

    fn warn_step(n: u32, t: &str) -> String {
        format!("### ⚠️ STEP {n}: {t} (REQUIRED)\n**YOU MUST:**\n1. Do {t}\n\n**DO NOT PROCEED WITHOUT {t}**\n\n")
    }

    #[test]
    fn the_checklist_item_of_a_missing_step_is_a_related_place() {
        let steps: String = [1, 2, 4, 5, 6]
            .iter()
            .map(|&n| warn_step(n, &format!("Part {n}")))
            .collect();
        let text = format!(
            "{FM}{steps}## Compliance Checklist\n\n- [ ] Step 1: Part 1 done\n- [ ] Step 3: Part 3 done\n- [ ] Step 6: Part 6 done\n"
        );
        let diags = run(&RULE, &text, "demo");
        assert_eq!(diags.len(), 1, "{diags:?}");
        let related = &diags[0].related;
        assert_eq!(related.len(), 1, "{related:?}");
        assert_eq!(related[0].path, None);
        assert_eq!(
            &text[related[0].range.start..related[0].range.end],
            "Step 3: Part 3 done"
        );
        assert_eq!(related[0].message, "the checklist still lists step 3");
    }

    #[test]
    fn a_gap_gets_the_step_in_the_skills_style() {
        let steps = [
            warn_step(1, "Scope"),
            warn_step(2, "Memory"),
            warn_step(3, "Context"),
            warn_step(5, "Report"),
        ];
        let last = "### ⚠️ STEP 6: Update Memory (REQUIRED)\n**YOU MUST:**\n1. `memoryStore.update(\"demo\", \"{project-name}\", ...)`\n\n**DO NOT FINISH**\n";
        let text = format!("{FM}{}{last}", steps.concat());
        let d = run(&RULE, &text, "demo");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(at(&text, &d[0]), "### ⚠️ STEP 5: Report (REQUIRED)");
        let out = fixed(&text, &d[0]);
        let want = "**DO NOT PROCEED WITHOUT Context**\n\n### ⚠️ STEP 4: {Core Action Name} (REQUIRED)\n**YOU MUST:**\n1. {Describe the core action of this step}\n2. Apply the patterns from memory and the practices from context\n\n**DO NOT PROCEED UNTIL THIS STEP IS COMPLETE**\n\n### ⚠️ STEP 5: Report";
        assert!(out.contains(want), "{out}");
    }

    #[test]
    fn a_missing_last_step_writes_memory_with_the_skills_files() {
        let steps: String = ["Scope", "Load Memory", "Load Context", "Work", "Output"]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                format!(
                    "### Step {}: {t}\n\n**Purpose**: p\n\n**Actions**:\n1. a\n\n---\n\n",
                    i + 1
                )
            })
            .collect();
        let text = format!("{FM}{steps}## Compliance Checklist\n");
        let d = run(&RULE, &text, "demo");
        assert_eq!(d.len(), 1, "{d:?}");
        let out = fixed(&text, &d[0]);
        assert!(
            out.contains("1. a\n\n---\n\n### Step 6: Update Memory\n\n**Purpose**: Store what this run learned for the next one.\n\n**Actions**:\n1. Update memory with `memoryStore.update(\"demo\", \"{project-name}\", ...)`:\n   - `notes.md`\n2. Record"),
            "{out}"
        );
        assert!(
            out.contains("- [ ] Memory files updated via memoryStore\n\n---\n\n## Compliance Checklist"),
            "{out}"
        );
    }

    #[test]
    fn a_short_workflow_closing_with_memory_or_stating_its_length_is_complete() {
        let five = |last: &str| {
            let mut s: String = (1..=4).map(|n| format!("### Step {n}: S{n}\n\n1. x\n\n")).collect();
            s.push_str(&format!("### Step 5: {last}\n\n1. x\n"));
            s
        };
        assert!(run(
            &RULE,
            &format!("{FM}{}", five("Generate Report & Update Memory")),
            "demo"
        )
        .is_empty());
        let stated = format!("{FM}Follow the 5-step workflow below.\n\n{}", five("Report"));
        assert!(run(&RULE, &stated, "demo").is_empty());
        assert_eq!(run(&RULE, &format!("{FM}{}", five("Report")), "demo").len(), 1);
    }

    #[test]
    fn an_empty_workflow_is_one_finding() {
        let text = format!("{FM}Some prose.\n");
        let d = run(&RULE, &text, "demo");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "## MANDATORY WORKFLOW");
    }

    /// Under a team's `[workflow]`, the fix inserts the team's title and the
    /// calls it requires of the step, filled in for the skill — exactly the
    /// step editor completion offers on a line after step 1.
    #[test]
    fn the_fix_inserts_the_teams_step_as_completion_offers_it() {
        let team = Config::from_toml(
            "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Research\", \"Record\"]\n[workflow.calls]\n2 = [\"memoryStore.getByProject\"]\n",
        )
        .unwrap();
        let ws = Workspace::detached();
        let head = format!("{FM}### Step 1: Scope\n\n**Actions**:\n1. Ask\n\n---\n\n");
        let tail = "### Step 3: Research\n\n**Actions**:\n1. Read\n\n---\n\n### Step 4: Record\n\n**Actions**:\n1. `memoryStore.update(\"demo\", \"{project-name}\", ...)`\n";
        let text = format!("{head}{tail}");
        let d = run_in(&RULE, &text, "demo", &ws, &team);
        assert_eq!(d.len(), 1, "{d:?}");
        let fix = d[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.title, "Insert step 2: Recall");
        assert_eq!(
            fix.applicability,
            crate::fix::Applicability::Unsafe,
            "a skeleton to fill in"
        );
        let out = fixed(&text, &d[0]);
        let inserted = &out[head.len()..out.len() - tail.len()];
        assert!(
            inserted.starts_with("### Step 2: Recall\n\n**Purpose**: "),
            "{inserted}"
        );
        assert!(
            inserted.contains("1. Load project memory with `memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`"),
            "{inserted}"
        );
        assert!(
            inserted.contains(
                "3. Call `memoryStore.getByProject(\"{project-name}\")` as this workspace's workflow requires"
            ),
            "{inserted}"
        );

        // Completion on a blank line after step 1 offers the same step.
        let cursor = head.len() - 1;
        let doc = crate::SkillDoc::parse(text.as_str(), Some("skills/demo/SKILL.md".into()));
        let items = crate::ide::completion::complete(&doc, &ws, &team, cursor, false);
        let whole = items
            .iter()
            .find(|i| i.label == "Step 2: Recall (with body)")
            .unwrap_or_else(|| panic!("{items:?}"));
        assert_eq!(format!("{}\n\n---\n\n", whole.insert), inserted);
    }
}
