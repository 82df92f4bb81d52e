//! Which profile a document is checked in: its override comment, the
//! configured profile, else the evidence of the workspace (a skills root)
//! and of the document itself.

use crate::config::Config;
use crate::model::SkillDoc;
use crate::profile::{Override, Profile};
use crate::workspace::Workspace;

impl Profile {
    /// The profile `doc` is checked in: its override comment, else the
    /// configured profile, else [`Profile::detect`].
    pub fn resolve(doc: &SkillDoc, ws: &Workspace, config: &Config) -> Profile {
        if let Some(Override { profile: Some(p), .. }) = Override::of(doc) {
            return p;
        }
        config.profile.unwrap_or_else(|| Profile::detect(doc, ws))
    }

    /// The automatic choice: `workflow` inside a skills root. For a skill on
    /// its own, whichever format it shows more marks of: top-level keys only
    /// one format defines (`license`, `allowed-tools`, ... against `version`,
    /// `context`, `memory`, ...), and for the workflow format its body (a
    /// numbered workflow, a compliance checklist, interface calls, a Version
    /// History, which count double). A tie, a bare `name` and `description`
    /// included, is the open standard's.
    pub fn detect(doc: &SkillDoc, ws: &Workspace) -> Profile {
        if ws.root.is_some() {
            return Profile::Workflow;
        }
        let count_keys = |keys: &[&str]| {
            doc.front_matter
                .as_ref()
                .and_then(|f| f.root.as_ref())
                .map_or(0, |root| keys.iter().filter(|k| root.get(k).is_some()).count())
        };
        let body_marks = doc.workflow.as_ref().is_some_and(|w| !w.steps.is_empty())
            || !doc.stray_step_lists.is_empty()
            || doc.checklist.is_some()
            || doc.history.is_some()
            || doc
                .calls
                .iter()
                .any(|c| c.is_known_receiver() || c.near_miss_of().is_some());
        let standard = count_keys(STANDARD_KEYS);
        let workflow = count_keys(WORKFLOW_KEYS) + if body_marks { 2 } else { 0 };
        if workflow > standard {
            Profile::Workflow
        } else {
            Profile::AgentSkills
        }
    }
}

/// Top-level keys only the Agent Skills standard defines.
const STANDARD_KEYS: &[&str] = &["license", "compatibility", "metadata", "allowed-tools"];
/// Top-level keys only the workflow format defines (current and legacy).
const WORKFLOW_KEYS: &[&str] = &["version", "context", "memory", "tags", "triggers"];
