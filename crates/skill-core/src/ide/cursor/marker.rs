//! The marker reparse: what the model's own parsers make of the text with a
//! marker written at the cursor.
//!
//! Half-typed text parses as something else, or as nothing: `skill=` is no
//! keyword argument until it has a value, `update(` with nothing after it
//! has no argument for the cursor to stand in, a code span still missing
//! its closing backtick is prose to Markdown, and a YAML key without its `:`
//! is a syntax error. rust-analyzer's completion meets the same problem by
//! inserting an identifier at the cursor and parsing that copy of the file;
//! the cursor query does the same with the model's parsers (calls, YAML),
//! closing on the cursor's line what the author has not closed yet, and maps
//! what it finds back to the text as written.

use crate::text::TextRange;

/// The identifier written at the cursor: one no skill writes.
pub(super) const MARKER: &str = "skillLspCursorMarker";

/// A copy of a text with pieces inserted, and the way back to the original.
pub(super) struct Marked {
    pub text: String,
    /// Each insertion: its offset in the original and its length, in order.
    inserts: Vec<(usize, usize)>,
}

impl Marked {
    /// `text` with each `(offset, piece)` of `inserts` (in offset order,
    /// on character boundaries) written in.
    pub fn new(text: &str, inserts: &[(usize, &str)]) -> Marked {
        let mut out = String::with_capacity(text.len() + inserts.iter().map(|(_, s)| s.len()).sum::<usize>());
        let mut at = 0;
        for &(offset, piece) in inserts {
            out.push_str(&text[at..offset]);
            out.push_str(piece);
            at = offset;
        }
        out.push_str(&text[at..]);
        Marked {
            text: out,
            inserts: inserts.iter().map(|&(o, s)| (o, s.len())).collect(),
        }
    }

    /// Where an offset of the copy stands in the original: an offset inside
    /// (or at the start of) an inserted piece is the place it was written.
    pub fn original(&self, offset: usize) -> usize {
        let mut shift = 0;
        for &(at, len) in &self.inserts {
            let start = at + shift;
            if offset < start {
                break;
            }
            if offset < start + len {
                return at;
            }
            shift += len;
        }
        offset - shift
    }

    pub fn original_range(&self, r: TextRange) -> TextRange {
        let start = self.original(r.start);
        TextRange::new(start, self.original(r.end).max(start))
    }

    /// Where a range of the original stands in the copy: a piece inserted
    /// at its start or end (or inside) is inside it.
    pub fn copy_range(&self, r: TextRange) -> TextRange {
        let before = |limit: usize, inclusive: bool| -> usize {
            self.inserts
                .iter()
                .filter(|(o, _)| *o < limit || (inclusive && *o == limit))
                .map(|(_, l)| l)
                .sum()
        };
        TextRange::new(r.start + before(r.start, false), r.end + before(r.end, true))
    }

    /// Where the marker written at original offset `at` stands in the copy.
    pub fn marker_at(&self, at: usize) -> TextRange {
        let before: usize = self.inserts.iter().take_while(|(o, _)| *o < at).map(|(_, l)| l).sum();
        TextRange::new(at + before, at + before + MARKER.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_around_each_insertion() {
        let m = Marked::new("ab(cd", &[(3, MARKER), (5, "`")]);
        assert_eq!(m.text, format!("ab({MARKER}cd`"));
        let at = m.marker_at(3);
        assert_eq!(&m.text[at.start..at.end], MARKER);
        assert_eq!(m.original(2), 2);
        assert_eq!(m.original(at.start), 3);
        assert_eq!(m.original(at.start + 4), 3);
        assert_eq!(m.original(at.end), 3);
        assert_eq!(m.original(at.end + 2), 5, "the end of the text before the backtick");
        assert_eq!(m.original(m.text.len()), 5);
        // A range holding the cursor holds the marker in the copy.
        let r = m.copy_range(TextRange::new(3, 5));
        assert_eq!(&m.text[r.start..r.end], format!("{MARKER}cd`"));
        assert_eq!(m.copy_range(TextRange::new(0, 2)), TextRange::new(0, 2));
    }
}
