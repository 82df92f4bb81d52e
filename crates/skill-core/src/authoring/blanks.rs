//! The blanks skill-lsp writes for the author to fill in: in the step
//! skeletons of the step writer (fixes, completion, `skill-lsp new`), the
//! Purpose section SK121 inserts and the Version History entry SK401 adds.
//! Every writer takes its blank from here, and SK123 reports each one left
//! in, so nothing the tool writes passes as the skill's content.

/// The title of a core step the workflow does not name.
pub(crate) const CORE_TITLE: &str = "{Core Action Name}";
/// The purpose of a core step (Purpose/Actions bodies).
pub(crate) const CORE_PURPOSE: &str = "{Describe the purpose of this step}";
/// The instruction of a core step.
pub(crate) const CORE_ACTION: &str = "{Describe the core action of this step}";
/// The validation item of a core step.
pub(crate) const CORE_VALIDATION: &str = "{Validation criterion}";
/// A Version History entry's changes.
pub(crate) const CHANGES: &str = "{Describe the changes}";
/// A Purpose section's text, when the description gives none.
pub(crate) const PURPOSE: &str = "{Explain what this skill does and when to use it}";

/// Every blank above. Placeholders the format keeps on purpose
/// (`{project-name}` in a call, `{YYYY-MM-DD}` in an output path) are none.
pub(crate) const BLANKS: [&str; 6] = [CORE_TITLE, CORE_PURPOSE, CORE_ACTION, CORE_VALIDATION, CHANGES, PURPOSE];
