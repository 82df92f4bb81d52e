//! Words around an offset: the identifier before the cursor, the word under
//! it. Lexical only (what a word is does not depend on the document's
//! structure); every structural question goes to the model's parse.

use crate::text::TextRange;

pub(super) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The word (ASCII letters, digits, `_`, `-`) touching `offset`, if any.
pub fn word_at(text: &str, offset: usize) -> Option<TextRange> {
    let offset = floor_boundary(text, offset);
    let b = text.as_bytes();
    let mut start = offset;
    while start > 0 && is_word(b[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < b.len() && is_word(b[end]) {
        end += 1;
    }
    (start < end).then(|| TextRange::new(start, end))
}

/// The identifier characters just before `offset` (possibly none).
pub fn ident_before(text: &str, offset: usize) -> TextRange {
    let b = text.as_bytes();
    let mut start = offset.min(b.len());
    while start > 0 && is_ident(b[start - 1]) {
        start -= 1;
    }
    TextRange::new(start, offset.min(b.len()).max(start))
}

/// The end of the run of `pred` bytes from `offset`.
pub(super) fn run_end(text: &str, offset: usize, pred: impl Fn(u8) -> bool) -> usize {
    let b = text.as_bytes();
    let mut end = offset;
    while end < b.len() && pred(b[end]) {
        end += 1;
    }
    end
}

/// `offset` clamped to the text and moved back to a character boundary.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
