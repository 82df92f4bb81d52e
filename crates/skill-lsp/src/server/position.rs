//! LSP positions ↔ byte offsets, in the position encoding negotiated with the
//! client. Every position that crosses the protocol boundary goes through this
//! module; the core speaks byte ranges only.
//!
//! This is a thin adapter over the core's one line model,
//! [`skill_core::LineIndex`]: lines end at `\n`, `\r\n` or a lone `\r`, as
//! the protocol counts them (U+2028 and friends are ordinary characters, as
//! they are in editors), and the CLI counts lines the same way. Conversions
//! clamp: a line past the end is the end of the text, a column past the end
//! of its line is the line's end (before its terminator), a column inside a
//! character (half a surrogate pair, the middle of a UTF-8 sequence) is that
//! character's start. Nothing here panics on any input.

use std::sync::Arc;

use skill_core::{LineCol, LineIndex, TextRange};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// How the client and server count columns: the core's encodings.
pub use skill_core::Encoding as PositionEncoding;

/// UTF-8 when the client offers it (no conversion of columns at all),
/// else UTF-32 when offered, else UTF-16 (the protocol's default, which
/// every client supports).
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    let offered = offered.unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        PositionEncoding::Utf32
    } else {
        PositionEncoding::Utf16
    }
}

/// The protocol's name of an encoding.
pub fn kind(enc: PositionEncoding) -> PositionEncodingKind {
    match enc {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// A text with its line index: what positions convert against. Cloning
/// shares both, so a snapshot costs O(1) to take.
#[derive(Debug, Clone)]
pub struct Lines {
    text: Arc<str>,
    index: Arc<LineIndex>,
}

impl Default for Lines {
    fn default() -> Self {
        Lines::new("")
    }
}

impl Lines {
    pub fn new(text: impl Into<Arc<str>>) -> Lines {
        let text = text.into();
        let index = Arc::new(LineIndex::new(&text));
        Lines { text, index }
    }

    /// The lines of `text`, which is this text with the byte range `edit`
    /// replaced by `inserted` bytes: the line index is updated, not rebuilt
    /// (see [`LineIndex::edited`]).
    pub fn edited(&self, text: Arc<str>, edit: TextRange, inserted: usize) -> Lines {
        let index = Arc::new(self.index.edited(&text, edit.start..edit.end, inserted));
        Lines { text, index }
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The text's line index (the parse of the text shares it).
    pub fn index(&self) -> &Arc<LineIndex> {
        &self.index
    }

    #[cfg(test)]
    pub fn len_lines(&self) -> usize {
        self.index.line_count()
    }
}

/// The byte offset of `pos`, clamped as the module docs say.
pub fn offset(lines: &Lines, pos: Position, enc: PositionEncoding) -> usize {
    let at = LineCol {
        line: pos.line,
        col: pos.character,
    };
    lines.index.offset(&lines.text, at, enc)
}

/// The position of byte `offset`, clamped as the module docs say (an offset
/// inside a line terminator is the end of that line's content).
pub fn position(lines: &Lines, offset: usize, enc: PositionEncoding) -> Position {
    let at = lines.index.position(&lines.text, offset, enc);
    Position::new(at.line, at.col)
}

/// The LSP range of a byte range.
pub fn range(lines: &Lines, range: TextRange, enc: PositionEncoding) -> Range {
    Range::new(position(lines, range.start, enc), position(lines, range.end, enc))
}

/// The byte range of an LSP range; a reversed range is read as empty at its start.
pub fn text_range(lines: &Lines, range: Range, enc: PositionEncoding) -> TextRange {
    let start = offset(lines, range.start, enc);
    let end = offset(lines, range.end, enc).max(start);
    TextRange::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf8};

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn negotiates_utf8_then_utf32_when_offered() {
        assert_eq!(negotiate(None), Utf16);
        assert_eq!(negotiate(Some(&[PositionEncodingKind::UTF16])), Utf16);
        assert_eq!(negotiate(Some(&[PositionEncodingKind::UTF32])), PositionEncoding::Utf32);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(negotiate(Some(&both)), Utf8);
        let all = [
            PositionEncodingKind::UTF32,
            PositionEncodingKind::UTF16,
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(negotiate(Some(&all)), Utf8);
    }

    #[test]
    fn astral_characters_take_two_utf16_units_and_four_bytes() {
        let text = "a😀b\n";
        let lines = Lines::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(position(&lines, b, Utf16), pos(0, 3));
        assert_eq!(position(&lines, b, Utf8), pos(0, 5));
        assert_eq!(position(&lines, b, PositionEncoding::Utf32), pos(0, 2));
        assert_eq!(offset(&lines, pos(0, 2), PositionEncoding::Utf32), b);
        assert_eq!(offset(&lines, pos(0, 3), Utf16), b);
        assert_eq!(offset(&lines, pos(0, 5), Utf8), b);
        // Half a surrogate pair, or inside the UTF-8 sequence: the emoji's start.
        assert_eq!(offset(&lines, pos(0, 2), Utf16), 1);
        assert_eq!(offset(&lines, pos(0, 3), Utf8), 1);
        // Inside the emoji as a byte offset: clamped back to its start.
        assert_eq!(position(&lines, 3, Utf16), pos(0, 1));
    }

    #[test]
    fn cjk_is_one_utf16_unit_and_three_bytes() {
        let text = "名前: 中文テキスト\n";
        let lines = Lines::new(text);
        let t = text.find('テ').unwrap();
        assert_eq!(position(&lines, t, Utf16), pos(0, 6));
        assert_eq!(position(&lines, t, Utf8), pos(0, t as u32));
        assert_eq!(offset(&lines, pos(0, 6), Utf16), t);
        assert_eq!(offset(&lines, pos(0, t as u32 + 1), Utf8), t);
    }

    #[test]
    fn crlf_is_one_terminator_and_columns_stop_before_it() {
        let text = "ab\r\ncd\r\n";
        let lines = Lines::new(text);
        assert_eq!(lines.len_lines(), 3);
        assert_eq!(position(&lines, text.find('c').unwrap(), Utf16), pos(1, 0));
        // Past the end of line 0: before "\r\n", never between \r and \n.
        assert_eq!(offset(&lines, pos(0, 99), Utf16), 2);
        assert_eq!(position(&lines, 3, Utf16), pos(0, 2));
        assert_eq!(position(&lines, text.len(), Utf16), pos(2, 0));
    }

    #[test]
    fn a_lone_cr_ends_a_line_and_line_separators_do_not() {
        let text = "a\rb\u{2028}c\n";
        let lines = Lines::new(text);
        assert_eq!(position(&lines, 2, Utf16), pos(1, 0));
        let c = text.find('c').unwrap();
        assert_eq!(position(&lines, c, Utf16), pos(1, 2));
    }

    #[test]
    fn a_bom_counts_as_one_character_of_the_first_line() {
        let text = "\u{feff}---\nname: x\n";
        let lines = Lines::new(text);
        assert_eq!(position(&lines, 3, Utf16), pos(0, 1));
        assert_eq!(position(&lines, 3, Utf8), pos(0, 3));
        assert_eq!(offset(&lines, pos(0, 1), Utf16), 3);
        assert_eq!(offset(&lines, pos(0, 0), Utf16), 0);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let lines = Lines::new("ab\ncd");
        assert_eq!(offset(&lines, pos(7, 0), Utf16), 5);
        assert_eq!(offset(&lines, pos(1, 99), Utf16), 5);
        assert_eq!(offset(&lines, pos(u32::MAX, u32::MAX), Utf8), 5);
        assert_eq!(offset(&lines, pos(0, u32::MAX), Utf16), 2);
        assert_eq!(position(&lines, 999, Utf16), pos(1, 2));
        let empty = Lines::default();
        assert_eq!(offset(&empty, pos(3, 3), Utf16), 0);
        assert_eq!(position(&empty, 3, Utf16), pos(0, 0));
        let reversed = Range::new(pos(1, 1), pos(0, 1));
        assert_eq!(text_range(&lines, reversed, Utf16), TextRange::empty(4));
    }

    #[test]
    fn every_boundary_round_trips_in_both_encodings() {
        let text = "\u{feff}---\r\nname: x😀y\r\n中文: \"é\"\n\n# T😀\rz";
        let lines = Lines::new(text);
        for enc in [Utf8, Utf16, PositionEncoding::Utf32] {
            for (off, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if text[..off].ends_with('\r') && text[off..].starts_with('\n') {
                    continue; // between \r and \n is not addressable
                }
                let p = position(&lines, off, enc);
                assert_eq!(offset(&lines, p, enc), off, "{enc:?} at {off}");
            }
        }
    }
}
