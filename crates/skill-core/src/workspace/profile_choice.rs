//! Which profile a document is checked in: its override comment, else the
//! configured profile, else the evidence of the workspace (a skills root).

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
        config.profile.unwrap_or_else(|| Profile::detect(ws))
    }

    /// The automatic choice: `workflow` inside a skills root (where the
    /// format's interfaces exist), the open standard everywhere else,
    /// whatever the skill's headings or keys look like.
    pub fn detect(ws: &Workspace) -> Profile {
        if ws.root.is_some() {
            Profile::Workflow
        } else {
            Profile::AgentSkills
        }
    }
}
