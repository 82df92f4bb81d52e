//! The front matter JSON Schema (`schemas/skill.schema.json`, embedded) and
//! validation of a YAML tree against it, with each error mapped back to the
//! YAML key or value it is about.

/// The schema text, embedded from the repository's `schemas/` folder.
pub const SKILL_SCHEMA: &str = include_str!("../../../../schemas/skill.schema.json");
