//! Profiles: which format a skill is checked against. `workflow` is the
//! six-step format of a skills repository with `interfaces/` (memory, context,
//! checklist, version history); `agentskills` is the open Agent Skills
//! standard (`name`, `description`, optional `license`, `compatibility`,
//! `metadata`, `allowed-tools`, a free-form body).
//!
//! The profile of a document is, in order: a per-file override comment in the
//! front matter (`# skill-lsp: profile=agentskills`), the `profile` key of
//! `skill-lsp.toml` (or the editor's setting), else chosen automatically:
//! `workflow` inside a skills root (a folder holding `interfaces/`, or the
//! `root` a config names), `agentskills` everywhere else. The automatic
//! choice reads only evidence an author put there on purpose; headings such
//! as `### Step 2` or a "Checklist" occur in plenty of standard skills and
//! say nothing about the format.
//!
//! The choice reads the workspace, so it lives there
//! (`workspace/profile_choice.rs`); this module is the value and the
//! override comment.

use crate::model::SkillDoc;
use crate::text::TextRange;

/// A format skills are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// The six-step workflow format (`skill-format.md`).
    Workflow,
    /// The open Agent Skills standard.
    AgentSkills,
}

impl Profile {
    /// Every profile, in the order they are documented.
    pub const ALL: [Profile; 2] = [Profile::Workflow, Profile::AgentSkills];

    /// The name used in `skill-lsp.toml`, settings and the override comment.
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Workflow => "workflow",
            Profile::AgentSkills => "agentskills",
        }
    }

    /// Reads a profile name; `agent-skills`, `standard` and any case are accepted too.
    pub fn parse(name: &str) -> Option<Profile> {
        let n = name.trim().to_ascii_lowercase().replace(['-', '_', ' '], "");
        match n.as_str() {
            "workflow" => Some(Profile::Workflow),
            "agentskills" | "standard" | "agentskill" => Some(Profile::AgentSkills),
            _ => None,
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The profiles a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profiles(u8);

impl Profiles {
    /// The workflow format only.
    pub const WORKFLOW: Profiles = Profiles(1);
    /// The Agent Skills standard only.
    pub const AGENTSKILLS: Profiles = Profiles(2);
    /// Every profile: rules about what any skill file must get right.
    pub const ALL: Profiles = Profiles(3);

    pub const fn contains(self, p: Profile) -> bool {
        let bit = match p {
            Profile::Workflow => 1,
            Profile::AgentSkills => 2,
        };
        self.0 & bit != 0
    }

    /// The profiles included, in documented order.
    pub fn list(self) -> Vec<Profile> {
        Profile::ALL.into_iter().filter(|p| self.contains(*p)).collect()
    }
}

/// The marker of a per-file override comment.
pub const OVERRIDE_MARKER: &str = "skill-lsp:";

/// A per-file override comment in the front matter:
/// `# skill-lsp: profile=agentskills` (or `profile: agentskills`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The profile named, `None` when the name is none of the profiles.
    pub profile: Option<Profile>,
    /// The name as written.
    pub value: String,
    /// Where the name is written.
    pub range: TextRange,
}

impl Override {
    /// The first override comment of the document's front matter.
    pub fn of(doc: &SkillDoc) -> Option<Override> {
        let fm = doc.front_matter.as_ref()?;
        let yaml = fm.block.yaml;
        let text = doc.text.get(yaml.start..yaml.end)?;
        // Most front matters hold no override: the lines are read only
        // where one may stand (checked twice per skill, by the profile
        // choice and by SK504).
        if !may_hold_override(text) {
            return None;
        }
        first_override(text, yaml.start)
    }
}

/// Whether `text` may hold an override comment: some `#` has the marker
/// after it past white space (what [`parse_line`] needs of a line, at least).
fn may_hold_override(text: &str) -> bool {
    memchr::memchr_iter(b'#', text.as_bytes()).any(|i| text[i + 1..].trim_start().starts_with(OVERRIDE_MARKER))
}

/// The first override comment among the lines of `text`, which starts at
/// `offset` in its document.
fn first_override(text: &str, mut offset: usize) -> Option<Override> {
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some(found) = parse_line(line) else { continue };
        let (start, end) = found;
        let value = line.get(start..end).unwrap_or("").to_string();
        return Some(Override {
            profile: Profile::parse(&value),
            value,
            range: TextRange::new(here + start, here + end),
        });
    }
    None
}

/// The byte range, within `line`, of the profile name of an override comment.
fn parse_line(line: &str) -> Option<(usize, usize)> {
    let trimmed = line.trim_start();
    let after_hash = trimmed.strip_prefix('#')?;
    let rest = after_hash.trim_start().strip_prefix(OVERRIDE_MARKER)?;
    let rest = rest.trim_start().strip_prefix("profile")?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
    let value = rest.trim_start();
    let len = value
        .find(|c: char| c.is_whitespace() || c == '#')
        .unwrap_or(value.len());
    if len == 0 {
        return None;
    }
    let start = line.len() - value.len();
    Some((start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Workspace};

    fn doc(text: &str, folder: &str) -> SkillDoc {
        SkillDoc::parse(text, Some(format!("{folder}/SKILL.md").into()))
    }

    #[test]
    fn names_parse_in_any_spelling() {
        assert_eq!(Profile::parse("agentskills"), Some(Profile::AgentSkills));
        assert_eq!(Profile::parse("Agent-Skills"), Some(Profile::AgentSkills));
        assert_eq!(Profile::parse("standard"), Some(Profile::AgentSkills));
        assert_eq!(Profile::parse(" workflow "), Some(Profile::Workflow));
        assert_eq!(Profile::parse("six-step"), None);
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn the_override_comment_is_found_with_its_range() {
        let text = "---\nname: pdf\n# skill-lsp: profile=agentskills\ndescription: x\n---\n";
        let d = doc(text, "pdf");
        let o = Override::of(&d).unwrap();
        assert_eq!(o.profile, Some(Profile::AgentSkills));
        assert_eq!(&text[o.range.start..o.range.end], "agentskills");
        let text = "---\n#skill-lsp: profile: workflow # the team's format\nname: pdf\n---\n";
        let o = Override::of(&doc(text, "pdf")).unwrap();
        assert_eq!((o.profile, o.value.as_str()), (Some(Profile::Workflow), "workflow"));
        let o = Override::of(&doc("---\n# skill-lsp: profile=wrkflow\n---\n", "x")).unwrap();
        assert_eq!(o.profile, None);
        assert_eq!(Override::of(&doc("---\n# profile=workflow\n---\n", "x")), None);
        assert_eq!(
            Override::of(&doc("# skill-lsp: profile=workflow\n", "x")),
            None,
            "only in front matter"
        );
    }

    #[test]
    fn resolution_order_is_comment_config_then_detection() {
        let ws = Workspace::detached();
        let standard = doc(
            "---\nname: pdf\ndescription: Fills PDF forms. Use when a PDF is involved.\nlicense: MIT\n---\n# PDF\n",
            "pdf",
        );
        let mut config = Config::default();
        assert_eq!(Profile::resolve(&standard, &ws, &config), Profile::AgentSkills);
        config.profile = Some(Profile::Workflow);
        assert_eq!(Profile::resolve(&standard, &ws, &config), Profile::Workflow);
        let overridden = doc(
            "---\n# skill-lsp: profile=agentskills\nname: pdf\nversion: \"1.0.0\"\n---\n",
            "pdf",
        );
        assert_eq!(Profile::resolve(&overridden, &ws, &config), Profile::AgentSkills);
    }

    #[test]
    fn detection_reads_the_root_only() {
        let detached = Workspace::detached();
        let rooted = Workspace {
            root: Some("/ws".into()),
            ..Workspace::detached()
        };
        assert_eq!(Profile::detect(&detached), Profile::AgentSkills);
        assert_eq!(Profile::detect(&rooted), Profile::Workflow);
        // Headings, calls and workflow keys make no skill a workflow skill
        // outside a skills root: standard skills have them too.
        let config = Config::default();
        for text in [
            "# T\n\n## Mandatory Workflow\n\n### Step 1: Scope\n\nDo it.\n\n## Checklist\n\n- [ ] done\n",
            "# T\n\nRun `memoryStore.getSkillMemory(\"t\", \"p\")`.\n",
            "---\nname: t\nversion: \"1\"\ntags: [a]\ncontext: fork\n---\n",
        ] {
            assert_eq!(
                Profile::resolve(&doc(text, "t"), &detached, &config),
                Profile::AgentSkills,
                "{text}"
            );
            assert_eq!(
                Profile::resolve(&doc(text, "t"), &rooted, &config),
                Profile::Workflow,
                "{text}"
            );
        }
    }

    /// Checked on their own, away from their repository, the corpus's
    /// workflow skills are standard skills: only their root makes them
    /// workflow skills, and inside it they are.
    #[test]
    fn corpus_skills_read_as_workflow_skills_in_their_root_only() {
        let Some(root) = crate::testing::corpus::root("forge") else {
            return;
        };
        let ws = Workspace::load(&root);
        assert_eq!(Profile::detect(&ws), Profile::Workflow);
        assert_eq!(Profile::detect(&Workspace::detached()), Profile::AgentSkills);
    }

    #[test]
    fn rule_profile_sets() {
        assert!(Profiles::ALL.contains(Profile::Workflow) && Profiles::ALL.contains(Profile::AgentSkills));
        assert!(!Profiles::WORKFLOW.contains(Profile::AgentSkills));
        assert_eq!(Profiles::AGENTSKILLS.list(), [Profile::AgentSkills]);
    }

    /// The quick check never rules out a front matter whose lines hold an
    /// override comment (the line reading is its oracle).
    #[test]
    fn the_quick_check_passes_every_override() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config as ProptestConfig, TestRunner};
        // Lines with the parts of an override comment, each part maybe
        // missing or replaced, between white space of any kind.
        let blank = || proptest::sample::select(&["", " ", "\t", "\u{a0}", "\u{2003}", "\n"][..]);
        let part = |p: &'static str| proptest::sample::select(vec![p, p, p, "", "x", "#"]);
        let line = (
            (blank(), part("#"), blank(), part("skill-lsp:"), blank()),
            (
                part("profile"),
                blank(),
                part("="),
                blank(),
                part("workflow"),
                part("\n"),
            ),
        )
            .prop_map(|((a, b, c, d, e), (f, g, h, i, j, k))| [a, b, c, d, e, f, g, h, i, j, k].concat());
        let texts = proptest::collection::vec(line, 1..4).prop_map(|l| l.concat());
        let mut runner = TestRunner::new(ProptestConfig {
            cases: 5_000,
            failure_persistence: None,
            ..ProptestConfig::default()
        });
        let (found, skipped) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        runner
            .run(&texts, |text| {
                let overrides = first_override(&text, 0).is_some();
                found.set(found.get() + usize::from(overrides));
                skipped.set(skipped.get() + usize::from(!may_hold_override(&text)));
                prop_assert!(may_hold_override(&text) || !overrides, "{text:?}");
                Ok(())
            })
            .unwrap();
        let (found, skipped) = (found.get(), skipped.get());
        assert!(found > 50 && skipped > 50, "{found} found, {skipped} skipped");
    }
}
