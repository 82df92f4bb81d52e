//! Code lenses: a line of facts above a heading.
//!
//! - on a skill's title: how many findings it has, and "fix all" when some
//!   of them have a safe fix;
//! - on the workflow heading: how many steps, and whether the Compliance
//!   Checklist has an item for each;
//! - on each method heading of an interface document (`interfaces/*.md`):
//!   how many skills use the method, with the uses for the editor to list.

use std::collections::BTreeSet;

use super::navigation::{interface_of, interface_uses, Location, ReadFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Applicability, Fix};
use crate::model::SkillDoc;
use crate::text::TextRange;
use crate::workspace::{catalogue, Workspace};

/// What choosing a lens does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LensAction {
    /// Nothing: the lens only tells.
    Label,
    /// Applies every safe fix of the document (the editor's fix-all).
    FixAll,
    /// Lists these places (the uses of an interface method).
    ShowReferences(Vec<Location>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    /// The heading the lens stands above.
    pub range: TextRange,
    pub title: String,
    pub action: LensAction,
}

/// The lenses of a skill: its findings on its title, its steps and checklist
/// on the workflow heading. `findings` are the document's diagnostics as
/// checked with its configuration.
pub fn skill_lenses(doc: &SkillDoc, findings: &[Diagnostic]) -> Vec<Lens> {
    let mut out = Vec::new();
    let title = doc
        .md
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| h.range)
        .or_else(|| doc.name().map(|(_, r)| r))
        .unwrap_or(TextRange::empty(0));
    out.push(Lens {
        range: title,
        title: findings_title(findings),
        action: LensAction::Label,
    });
    let fixable = findings
        .iter()
        .any(|d| d.fix.as_ref().and_then(Fix::bulk_applicability) == Some(Applicability::Safe));
    if fixable {
        out.push(Lens {
            range: title,
            title: "fix all".into(),
            action: LensAction::FixAll,
        });
    }
    if let Some(w) = &doc.workflow {
        let n = w.steps.len();
        let steps = if n == 1 {
            "1 step".to_string()
        } else {
            format!("{n} steps")
        };
        let checklist = match &doc.checklist {
            None => "no checklist".to_string(),
            // Outcome checklists (`- [ ] Output saved`) name no steps to count.
            Some(c) if !c.is_per_step() => "checklist lists outcomes".to_string(),
            Some(c) => match c.steps_without_item(&w.steps).len() {
                0 => "checklist complete".to_string(),
                1 => "1 checklist item missing".to_string(),
                m => format!("{m} checklist items missing"),
            },
        };
        out.push(Lens {
            range: doc.md.headings[w.heading].range,
            title: format!("{steps}, {checklist}"),
            action: LensAction::Label,
        });
    }
    out
}

/// "no findings", "1 error", "3 findings: 1 error, 2 warnings".
fn findings_title(findings: &[Diagnostic]) -> String {
    let count = |s: Severity| findings.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error", "errors"),
        (count(Severity::Warning), "warning", "warnings"),
        (count(Severity::Information), "note", "notes"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
    .collect();
    match parts.len() {
        0 => "no findings".into(),
        1 => parts[0].clone(),
        _ => format!("{} findings: {}", findings.len(), parts.join(", ")),
    }
}

/// The lenses of an interface document of the workspace: above each method's
/// heading, how many of the workspace's skills use the method. Empty for any
/// other document.
pub fn interface_lenses(doc: &SkillDoc, ws: &Workspace, read: ReadFile) -> Vec<Lens> {
    let (Some(path), Some(iface)) = (doc.path.as_deref(), interface_of(doc, ws)) else {
        return Vec::new();
    };
    // The document as the editor has it, not as it was indexed.
    let parsed = catalogue::parse_interface(&iface.receiver, &doc.text, None);
    let uses: Vec<_> = interface_uses(doc, ws, &iface.receiver, None, read)
        .into_iter()
        .filter(|u| !super::location::same_file(&u.at.path, path))
        .collect();
    parsed
        .methods
        .iter()
        .filter_map(|m| {
            let heading = m.heading?;
            let places: Vec<Location> = uses
                .iter()
                .filter(|u| u.method == m.name)
                .map(|u| u.at.clone())
                .collect();
            let skills: BTreeSet<_> = places.iter().map(|l| &l.path).collect();
            let title = match skills.len() {
                0 => "used by no skill".to_string(),
                1 => "used by 1 skill".to_string(),
                n => format!("used by {n} skills"),
            };
            Some(Lens {
                range: heading,
                title,
                action: LensAction::ShowReferences(places),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use std::path::Path;
    use std::sync::Arc;

    fn finding(severity: Severity, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            code: "SK112",
            severity,
            range: TextRange::empty(0),
            message: String::new(),
            fix,
            related: Vec::new(),
        }
    }

    const SKILL: &str = "---\nname: t\n---\n# T\n\n## Workflow\n\n### Step 1: A\n\nx\n\n### Step 2: B\n\ny\n\n### Step 3: C\n\nz\n\n## Compliance Checklist\n\n- [ ] Step 1: a\n";

    fn titles(lenses: &[Lens], text: &str) -> Vec<(String, String)> {
        lenses
            .iter()
            .map(|l| (text[l.range.start..l.range.end].to_string(), l.title.clone()))
            .collect()
    }

    #[test]
    fn a_skill_shows_findings_fix_all_and_its_checklist() {
        let doc = SkillDoc::parse(SKILL, None);
        let safe = Fix::safe("add", vec![]);
        let findings = [
            finding(Severity::Error, Some(safe)),
            finding(Severity::Error, None),
            finding(Severity::Warning, None),
        ];
        let lenses = skill_lenses(&doc, &findings);
        assert_eq!(
            titles(&lenses, SKILL),
            [
                ("# T".into(), "3 findings: 2 errors, 1 warning".into()),
                ("# T".into(), "fix all".into()),
                ("## Workflow".into(), "3 steps, 2 checklist items missing".into()),
            ]
        );
        assert_eq!(lenses[1].action, LensAction::FixAll);
        // No safe fix: no "fix all"; a complete checklist says so.
        let complete = SKILL.replace(
            "- [ ] Step 1: a\n",
            "- [ ] Step 1: a\n- [ ] Step 2: b\n- [ ] Step 3: c\n",
        );
        let doc = SkillDoc::parse(complete.as_str(), None);
        let guess = Fix::guess("maybe", vec![]);
        let lenses = skill_lenses(&doc, &[finding(Severity::Warning, Some(guess))]);
        assert_eq!(
            titles(&lenses, &complete),
            [
                ("# T".into(), "1 warning".into()),
                ("## Workflow".into(), "3 steps, checklist complete".into()),
            ]
        );
        let bare = "---\nname: t\n---\nNo title.\n";
        let lenses = skill_lenses(&SkillDoc::parse(bare, None), &[]);
        assert_eq!(titles(&lenses, bare), [("t".into(), "no findings".into())]);
    }

    #[test]
    fn an_interface_method_counts_the_skills_using_it() {
        let dir = test_corpus::scratch_dir("skill-core-lens");
        let files = [
            (
                "interfaces/memory_store.md",
                "# MemoryStore Interface\n\n### 1. `getSkillMemory(skillName, projectName)`\n\nLoads: `memoryStore.getSkillMemory(\"x\", \"y\")`.\n\n### 2. `update(id, content)`\n\nWrites.\n\n### 3. `list()`\n\nLists.\n",
            ),
            (
                "skills/a/SKILL.md",
                "---\nname: a\n---\n# A\n\n`memoryStore.getSkillMemory(\"a\", \"p\")` and `memoryStore.getSkillMemory(\"a\", \"q\")`, `memoryStore.update(1, 2)`\n",
            ),
            ("skills/b/SKILL.md", "---\nname: b\n---\n# B\n\n`memoryStore.getSkillMemory(\"b\", \"p\")`\n"),
            ("skills/c/SKILL.md", "---\nname: c\n---\n# C\n\nNo calls.\n"),
        ];
        for (rel, text) in files {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let ws = Workspace::load(&dir);
        let disk = |p: &Path| std::fs::read_to_string(p).ok().map(Arc::<str>::from);
        let path = dir.join("interfaces/memory_store.md");
        let doc = SkillDoc::parse(std::fs::read_to_string(&path).unwrap(), Some(path));
        let lenses = interface_lenses(&doc, &ws, &disk);
        assert_eq!(
            titles(&lenses, &doc.text),
            [
                (
                    "### 1. `getSkillMemory(skillName, projectName)`".into(),
                    "used by 2 skills".into()
                ),
                ("### 2. `update(id, content)`".into(), "used by 1 skill".into()),
                ("### 3. `list()`".into(), "used by no skill".into()),
            ]
        );
        // Every use is listed (two in skill a), none in the interface document itself.
        let LensAction::ShowReferences(places) = &lenses[0].action else {
            panic!("{:?}", lenses[0].action)
        };
        assert_eq!(places.len(), 3);
        // A skill has no interface lenses.
        let skill = dir.join("skills/a/SKILL.md");
        let a = SkillDoc::parse(std::fs::read_to_string(&skill).unwrap(), Some(skill));
        assert!(interface_lenses(&a, &ws, &disk).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
