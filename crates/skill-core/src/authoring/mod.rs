//! What the project knows about writing a workflow skill, between the model
//! and the rules: the skill's own style (heading style, body style, gates,
//! rules between steps), the canonical workflow (each step's role, title,
//! instructions and gate line, as the team's `skill-lsp.toml` and the
//! workspace's template say), the step writer, call text filled in with the
//! skill's name and domain, checklist items, and the step count a skill
//! promises.
//!
//! Rules, their fixes, completion, hover and `skill-lsp new` all write steps
//! through here, so what a fix inserts is what completion offers and what a
//! new skill starts with.

pub(crate) mod blanks;
mod promise;
pub(crate) mod renumber;
mod steps;

pub(crate) use promise::*;
pub(crate) use steps::*;

/// The most body lines the Agent Skills standard recommends (SK501; SK507
/// leaves a body past it to SK501).
pub(crate) const MAX_BODY_LINES: usize = 500;
