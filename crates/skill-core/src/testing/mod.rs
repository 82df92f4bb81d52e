//! Support for the core's own tests (compiled only for them): running a
//! rule on a text, a text with a cursor in it, and checking the corpus of
//! real skills.

pub(crate) mod corpus;
mod rules;

pub(crate) use rules::*;

use crate::model::SkillDoc;
use crate::text::TextRange;

/// A skill's text with `|` marking the cursor: the document without it (as
/// `skills/demo/SKILL.md`) and the offset where it stood, for the editor
/// features' tests.
pub(crate) fn with_cursor(marked: &str) -> (SkillDoc, usize) {
    let offset = marked.find('|').expect("a | marks the cursor");
    let text = marked.replacen('|', "", 1);
    (SkillDoc::parse(text, Some("skills/demo/SKILL.md".into())), offset)
}

/// `text` cut into consecutive pieces at some of its line starts (the
/// first piece starts at 0; `cuts` says, cycled, at which line starts a new
/// piece begins), as a document's blocks are cut.
pub(crate) fn cut_at_lines(text: &str, cuts: &[bool]) -> Vec<TextRange> {
    let mut starts: Vec<usize> = vec![0];
    let line_starts = text.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < text.len());
    starts.extend(
        line_starts
            .zip(cuts.iter().cycle())
            .filter(|(_, &cut)| cut)
            .map(|(i, _)| i),
    );
    let ends = starts[1..].iter().copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&s, e)| TextRange::new(s, e)).collect()
}

/// The range of `text` without its first `skip` characters and its last
/// `cut` ones (empty where they overlap): a block inside a text, for the
/// scans' property tests.
pub(crate) fn inner_range(text: &str, skip: usize, cut: usize) -> TextRange {
    let start = text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i);
    let end = match cut {
        0 => text.len(),
        _ => text.char_indices().rev().nth(cut - 1).map_or(0, |(i, _)| i),
    }
    .max(start);
    TextRange::new(start, end)
}
