//! skill-core: everything skill-lsp knows about agent skills, without any
//! protocol or async runtime. Text in, diagnostics and fixes (plain data) out.
//!
//! Layers, each using only those before it: [`text`] (ranges, line/column
//! conversion) → [`syntax`] (front matter, YAML, Markdown) → [`model`] (the
//! skill as a value) → [`workspace`] (what a skill refers to) → [`rules`] →
//! [`analysis`] (the entry points).

pub mod analysis;
pub mod authoring;
pub mod baseline;
pub mod clients;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod fix;
pub mod format;
pub mod ide;
pub mod model;
pub mod overrides;
pub mod profile;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod suppress;
pub mod syntax;
#[cfg(test)]
mod testing;
pub mod text;
pub mod workspace;

pub use analysis::{check, check_reusing, fix_document, BlockFindings, FixOutcome};
pub use config::Config;
pub use diagnostic::{Diagnostic, Related, Severity};
pub use fix::{Applicability, Edit, Fix};
pub use model::SkillDoc;
pub use profile::Profile;
pub use text::{Change, Columns, Encoding, LineCol, LineIndex, TextRange};
pub use workspace::Workspace;
