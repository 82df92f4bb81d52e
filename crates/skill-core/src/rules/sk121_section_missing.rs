//! SK121 `section-missing`: a standard section missing (Purpose, Interface References, Version History).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{SkillDoc, Word};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::today;
use crate::text::{line_range_at, TextRange};

pub static RULE: Rule = Rule {
    code: "SK121",
    name: "section-missing",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "a standard section missing (Purpose, Interface References, Version History)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the skill has its standard sections:

- what it is for: `## Purpose`, or what older skills use in its place —
  `## Focus Areas`, `## Inputs`/`## Outputs`, `## Overview`, or the
  `## Title` section of the generator skills;
- `## Interface References` (H2 or H3): links to the interface documents;
- `## Version History`.

The range is the skill's title. A workspace whose `skill-lsp.toml` lists
`[workflow] sections` requires exactly those headings instead (each as an
H2 or deeper heading containing the name; Purpose, Interface References and
Version History keep their equivalents and fixes above).

## Why it matters

Agents decide from the purpose whether the skill fits the task; the
interface references tell them (and the checker) where the methods the
skill calls are defined; the version history records what changed.

## Example

Bad: a skill with a title and a workflow only.

Good:

```markdown
# FastAPI Expert

## Purpose
Guidance for building FastAPI services ...

## Interface References
- **Memory**: Accessed via [MemoryStore Interface](../../interfaces/memory_store.md)
```

## Fix

Inserts the section: Purpose after the title's introduction, holding the
front matter `description`; Interface References before the workflow, with
a link for each interface the body uses; Version History at the end, with a
row for the front matter `version` dated today. Unsafe: review the text.";

/// Whether a heading below the title holds one of `needles` (lower case)
/// in its lower-cased text; an ASCII needle is looked for without the copy.
fn has_heading(doc: &SkillDoc, needles: &[&str]) -> bool {
    // Needle by needle (the answer is the same): each needle's letters are
    // found once, and the headings lacking one are passed over unread.
    let sections = || doc.md.headings.iter().enumerate().filter(|(_, h)| h.level >= 2);
    needles.iter().any(|n| {
        if n.is_ascii() {
            let word = Word::new(n);
            sections().any(|(i, _)| doc.heading_contains(i, word))
        } else {
            sections().any(|(_, h)| h.text.to_lowercase().contains(n))
        }
    })
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let anchor = match doc.md.headings.iter().find(|h| h.level == 1) {
        Some(h) => h.range,
        None => line_range_at(&doc.text, doc.md.body_start),
    };
    let eol = doc.eol;
    // The team's required sections, else the three standard ones.
    let configured = ctx.config.workflow.sections.as_deref();
    let wants = |name: &str| configured.is_none_or(|c| c.iter().any(|s| s.eq_ignore_ascii_case(name)));
    let purpose_like = ["purpose", "focus areas", "inputs", "outputs", "overview"];
    let has_purpose = has_heading(doc, &purpose_like)
        || doc
            .md
            .headings
            .iter()
            .any(|h| h.level == 2 && h.text.eq_ignore_ascii_case("title"));
    if wants("purpose") && !has_purpose {
        let description = doc
            .front_matter
            .as_ref()
            .and_then(|f| f.str_at(&["description"]))
            .map(|(d, _)| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| crate::authoring::blanks::PURPOSE.to_string());
        let at = first_h2(doc).unwrap_or(doc.text.len());
        let edit = insert_section(doc, at, &format!("## Purpose{eol}{eol}{description}"));
        sink.report_fix(
            anchor,
            "this skill has no `## Purpose` section (nor Focus Areas, Inputs/Outputs or Overview): agents decide from it whether the skill fits the task; add one",
            Some(Fix::unsafe_("Add a Purpose section", vec![edit])),
        );
    }
    if wants("interface references") && !has_heading(doc, &["interface references"]) {
        let links = interface_links(doc, eol);
        let at = doc
            .workflow
            .as_ref()
            .and_then(|w| enclosing_h2(doc, w.heading))
            .or_else(|| first_h2(doc))
            .unwrap_or(doc.text.len());
        let edit = insert_section(doc, at, &format!("## Interface References{eol}{eol}{links}"));
        sink.report_fix(
            anchor,
            "this skill has no `## Interface References` section: it links the interface documents that define the methods the skill calls, so readers and tools can look them up; add one",
            Some(Fix::unsafe_("Add an Interface References section", vec![edit])),
        );
    }
    if wants("version history") && doc.history.is_none() && !has_heading(doc, &["version history", "changelog"]) {
        let version = doc
            .front_matter
            .as_ref()
            .and_then(|f| f.str_at(&["version"]))
            .map_or("1.0.0", |(v, _)| v);
        let table = format!(
            "## Version History{eol}{eol}| Version | Date | Changes |{eol}|---------|------|---------|{eol}| {version} | {} | Initial release |",
            today()
        );
        let edit = insert_section(doc, doc.text.len(), &table);
        sink.report_fix(
            anchor,
            "this skill has no `## Version History`: it records what changed in each version, and its latest row should match the front matter `version`; add one",
            Some(Fix::unsafe_("Add a Version History section", vec![edit])),
        );
    }
    for name in configured.unwrap_or_default() {
        let lower = name.to_lowercase();
        if ["purpose", "interface references", "version history"].contains(&lower.as_str())
            || has_heading(doc, &[&lower])
        {
            continue;
        }
        let edit = insert_section(doc, doc.text.len(), &format!("## {name}"));
        sink.report_fix(
            anchor,
            format!("this skill has no `## {name}` section, which this workspace requires of every skill (`[workflow] sections` in skill-lsp.toml); add it"),
            Some(Fix::unsafe_(format!("Add a {name} section"), vec![edit])),
        );
    }
}

/// The start of the first H2 heading.
fn first_h2(doc: &SkillDoc) -> Option<usize> {
    doc.md.headings.iter().find(|h| h.level == 2).map(|h| h.range.start)
}

/// The start of the H2 section holding heading `i` (itself when it is an H2).
fn enclosing_h2(doc: &SkillDoc, i: usize) -> Option<usize> {
    doc.md.headings[..=i]
        .iter()
        .rev()
        .find(|h| h.level <= 2)
        .filter(|h| h.level == 2)
        .map(|h| h.range.start)
}

/// Inserts `section` before the heading at `at` (or at the end of the text).
fn insert_section(doc: &SkillDoc, at: usize, section: &str) -> Edit {
    let eol = doc.eol;
    if at >= doc.text.len() {
        let lead = if doc.text.ends_with('\n') {
            eol.to_string()
        } else {
            format!("{eol}{eol}")
        };
        return Edit::insert(doc.text.len(), format!("{lead}{section}{eol}"));
    }
    Edit {
        range: TextRange::empty(at),
        new_text: format!("{section}{eol}{eol}"),
    }
}

/// A link line for each interface the body uses, as skills write them.
fn interface_links(doc: &SkillDoc, eol: &str) -> String {
    let body = doc.text.get(doc.md.body_start..).unwrap_or("");
    let all = [
        (
            "contextProvider.",
            "- **Context**: Loaded via [ContextProvider Interface](../../interfaces/context_provider.md)",
        ),
        (
            "memoryStore.",
            "- **Memory**: Accessed via [MemoryStore Interface](../../interfaces/memory_store.md)",
        ),
        (
            "skillInvoker.",
            "- **Skills**: Invoked via [SkillInvoker Interface](../../interfaces/skill_invoker.md)",
        ),
    ];
    let used: Vec<&str> = all.iter().filter(|(r, _)| body.contains(r)).map(|(_, l)| *l).collect();
    let lines = if used.is_empty() {
        all[..2].iter().map(|(_, l)| *l).collect()
    } else {
        used
    };
    lines.join(eol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    const REST: &str = "## Interface References\n- x\n\n## Mandatory Workflow\n\n### Step 1: A\n\n## Version History\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-01 | a |\n";

    #[test]
    fn the_team_chooses_the_required_sections() {
        let text = "---\nname: demo\n---\n# Demo\n\n## Purpose\nx\n\n## Mandatory Workflow\n";
        let config = crate::Config::from_toml("[workflow]\nsections = [\"Purpose\", \"Examples\"]\n").unwrap();
        let d = crate::testing::run_in(&RULE, text, "demo", &crate::Workspace::detached(), &config);
        assert_eq!(
            d.len(),
            1,
            "only Examples: no Interface References or Version History asked for"
        );
        assert!(d[0].message.contains("`## Examples`"));
        assert!(fixed(text, &d[0]).ends_with("## Mandatory Workflow\n\n## Examples\n"));
        assert_eq!(run(&RULE, text, "demo").len(), 2, "the standard three by default");
    }

    #[test]
    fn purpose_gets_the_description() {
        let text = format!("---\nname: t\ndescription: Reviews APIs.\n---\n# T\n\nIntro.\n\n{REST}");
        let d = run(&RULE, &text, "t");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "# T");
        assert!(fixed(&text, &d[0]).contains("Intro.\n\n## Purpose\n\nReviews APIs.\n\n## Interface References"));
    }

    #[test]
    fn older_purpose_sections_count() {
        for h in [
            "## Focus Areas",
            "## Review Focus Areas",
            "## Inputs",
            "## Overview",
            "## Title",
        ] {
            let text = format!("# T\n\n{h}\nx\n\n{REST}");
            assert!(run(&RULE, &text, "t").is_empty(), "{h}");
        }
    }

    #[test]
    fn interface_references_before_the_workflow_with_the_used_interfaces() {
        let text = "# T\n\n## Purpose\nx\n\n## Mandatory Workflow\n\n### Step 2: Load\n1. `memoryStore.getSkillMemory(\"t\", \"{project-name}\")`\n\n## Version History\n- v1.0.0 (2026-01-01): a\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.len(), 1);
        assert!(fixed(text, &d[0]).contains(
            "x\n\n## Interface References\n\n- **Memory**: Accessed via [MemoryStore Interface](../../interfaces/memory_store.md)\n\n## Mandatory Workflow"
        ));
    }
}
