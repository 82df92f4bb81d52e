//! Support for the core's own tests (compiled only for them): running a
//! rule on a text, a text with a cursor in it, and checking the corpus of
//! real skills.

pub(crate) mod corpus;
mod rules;

pub(crate) use rules::*;

use crate::model::SkillDoc;

/// A skill's text with `|` marking the cursor: the document without it (as
/// `skills/demo/SKILL.md`) and the offset where it stood, for the editor
/// features' tests.
pub(crate) fn with_cursor(marked: &str) -> (SkillDoc, usize) {
    let offset = marked.find('|').expect("a | marks the cursor");
    let text = marked.replacen('|', "", 1);
    (SkillDoc::parse(text, Some("skills/demo/SKILL.md".into())), offset)
}
