//! LSP positions ↔ byte offsets, in the position encoding negotiated with the
//! client. Every position that crosses the protocol boundary goes through this
//! module; the core speaks byte ranges only.
//!
//! Lines end at `\n`, `\r\n` or `\r`, as the protocol counts them (ropey is
//! built with `cr_lines` and without `unicode_lines`, so U+2028 and friends
//! are ordinary characters here, as they are in editors). Conversions clamp:
//! a line past the end is the end of the text, a column past the end of its
//! line is the line's end (before its terminator), a column inside a
//! character (half a surrogate pair, the middle of a UTF-8 sequence) is that
//! character's start. Nothing here panics on any input.

use ropey::Rope;
use skill_core::TextRange;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// How the client and server count columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    /// The protocol's default, which every client supports.
    #[default]
    Utf16,
    /// Columns in characters (Unicode scalar values).
    Utf32,
}

impl PositionEncoding {
    /// UTF-8 when the client offers it (no conversion of columns at all),
    /// else UTF-32 when offered, else UTF-16.
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

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Byte offsets of line `line`'s start and of the end of its content (before
/// its terminator). `line` must be a line of the rope.
fn line_bounds(rope: &Rope, line: usize) -> (usize, usize) {
    let start = rope.line_to_byte(line);
    let mut end = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        rope.len_bytes()
    };
    if end > start && rope.byte(end - 1) == b'\n' {
        end -= 1;
    }
    if end > start && rope.byte(end - 1) == b'\r' {
        end -= 1;
    }
    (start, end)
}

/// The start of the character holding byte `offset` (clamped to the text).
fn floor_char_boundary(rope: &Rope, offset: usize) -> usize {
    let offset = offset.min(rope.len_bytes());
    rope.char_to_byte(rope.byte_to_char(offset))
}

/// The byte offset of `pos`, clamped as the module docs say.
pub fn offset(rope: &Rope, pos: Position, enc: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let (start, end) = line_bounds(rope, line);
    let col = pos.character as usize;
    match enc {
        PositionEncoding::Utf8 => floor_char_boundary(rope, start.saturating_add(col).min(end)),
        PositionEncoding::Utf16 => {
            let start_char = rope.byte_to_char(start);
            let end_char = rope.byte_to_char(end);
            let want = rope
                .char_to_utf16_cu(start_char)
                .saturating_add(col)
                .min(rope.len_utf16_cu());
            // A unit inside a surrogate pair maps to the pair's character.
            let target = rope.utf16_cu_to_char(want).min(end_char);
            rope.char_to_byte(target)
        }
        PositionEncoding::Utf32 => {
            let end_char = rope.byte_to_char(end);
            let target = rope.byte_to_char(start).saturating_add(col).min(end_char);
            rope.char_to_byte(target)
        }
    }
}

/// The position of byte `offset`, clamped as the module docs say (an offset
/// inside a line terminator is the end of that line's content).
pub fn position(rope: &Rope, offset: usize, enc: PositionEncoding) -> Position {
    let offset = floor_char_boundary(rope, offset);
    let line = rope.byte_to_line(offset);
    let (start, end) = line_bounds(rope, line);
    let offset = offset.min(end);
    let col = match enc {
        PositionEncoding::Utf8 => offset - start,
        PositionEncoding::Utf16 => {
            rope.char_to_utf16_cu(rope.byte_to_char(offset)) - rope.char_to_utf16_cu(rope.byte_to_char(start))
        }
        PositionEncoding::Utf32 => rope.byte_to_char(offset) - rope.byte_to_char(start),
    };
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// The LSP range of a byte range.
pub fn range(rope: &Rope, range: TextRange, enc: PositionEncoding) -> Range {
    Range::new(position(rope, range.start, enc), position(rope, range.end, enc))
}

/// The byte range of an LSP range; a reversed range is read as empty at its start.
pub fn text_range(rope: &Rope, range: Range, enc: PositionEncoding) -> TextRange {
    let start = offset(rope, range.start, enc);
    let end = offset(rope, range.end, enc).max(start);
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
        assert_eq!(PositionEncoding::negotiate(None), Utf16);
        assert_eq!(PositionEncoding::negotiate(Some(&[PositionEncodingKind::UTF16])), Utf16);
        assert_eq!(
            PositionEncoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            PositionEncoding::Utf32
        );
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(PositionEncoding::negotiate(Some(&both)), Utf8);
        let all = [
            PositionEncodingKind::UTF32,
            PositionEncodingKind::UTF16,
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(PositionEncoding::negotiate(Some(&all)), Utf8);
    }

    #[test]
    fn astral_characters_take_two_utf16_units_and_four_bytes() {
        let text = "a😀b\n";
        let rope = Rope::from_str(text);
        let b = text.find('b').unwrap();
        assert_eq!(position(&rope, b, Utf16), pos(0, 3));
        assert_eq!(position(&rope, b, Utf8), pos(0, 5));
        assert_eq!(position(&rope, b, PositionEncoding::Utf32), pos(0, 2));
        assert_eq!(offset(&rope, pos(0, 2), PositionEncoding::Utf32), b);
        assert_eq!(offset(&rope, pos(0, 3), Utf16), b);
        assert_eq!(offset(&rope, pos(0, 5), Utf8), b);
        // Half a surrogate pair, or inside the UTF-8 sequence: the emoji's start.
        assert_eq!(offset(&rope, pos(0, 2), Utf16), 1);
        assert_eq!(offset(&rope, pos(0, 3), Utf8), 1);
        // Inside the emoji as a byte offset: clamped back to its start.
        assert_eq!(position(&rope, 3, Utf16), pos(0, 1));
    }

    #[test]
    fn cjk_is_one_utf16_unit_and_three_bytes() {
        let text = "名前: 中文テキスト\n";
        let rope = Rope::from_str(text);
        let t = text.find('テ').unwrap();
        assert_eq!(position(&rope, t, Utf16), pos(0, 6));
        assert_eq!(position(&rope, t, Utf8), pos(0, t as u32));
        assert_eq!(offset(&rope, pos(0, 6), Utf16), t);
        assert_eq!(offset(&rope, pos(0, t as u32 + 1), Utf8), t);
    }

    #[test]
    fn crlf_is_one_terminator_and_columns_stop_before_it() {
        let text = "ab\r\ncd\r\n";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 3);
        assert_eq!(position(&rope, text.find('c').unwrap(), Utf16), pos(1, 0));
        // Past the end of line 0: before "\r\n", never between \r and \n.
        assert_eq!(offset(&rope, pos(0, 99), Utf16), 2);
        assert_eq!(position(&rope, 3, Utf16), pos(0, 2));
        assert_eq!(position(&rope, text.len(), Utf16), pos(2, 0));
    }

    #[test]
    fn a_lone_cr_ends_a_line_and_line_separators_do_not() {
        let text = "a\rb\u{2028}c\n";
        let rope = Rope::from_str(text);
        assert_eq!(position(&rope, 2, Utf16), pos(1, 0));
        let c = text.find('c').unwrap();
        assert_eq!(position(&rope, c, Utf16), pos(1, 2));
    }

    #[test]
    fn a_bom_counts_as_one_character_of_the_first_line() {
        let text = "\u{feff}---\nname: x\n";
        let rope = Rope::from_str(text);
        assert_eq!(position(&rope, 3, Utf16), pos(0, 1));
        assert_eq!(position(&rope, 3, Utf8), pos(0, 3));
        assert_eq!(offset(&rope, pos(0, 1), Utf16), 3);
        assert_eq!(offset(&rope, pos(0, 0), Utf16), 0);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\ncd");
        assert_eq!(offset(&rope, pos(7, 0), Utf16), 5);
        assert_eq!(offset(&rope, pos(1, 99), Utf16), 5);
        assert_eq!(offset(&rope, pos(u32::MAX, u32::MAX), Utf8), 5);
        assert_eq!(offset(&rope, pos(0, u32::MAX), Utf16), 2);
        assert_eq!(position(&rope, 999, Utf16), pos(1, 2));
        let empty = Rope::new();
        assert_eq!(offset(&empty, pos(3, 3), Utf16), 0);
        assert_eq!(position(&empty, 3, Utf16), pos(0, 0));
        let reversed = Range::new(pos(1, 1), pos(0, 1));
        assert_eq!(text_range(&rope, reversed, Utf16), TextRange::empty(4));
    }

    #[test]
    fn every_boundary_round_trips_in_both_encodings() {
        let text = "\u{feff}---\r\nname: x😀y\r\n中文: \"é\"\n\n# T😀\rz";
        let rope = Rope::from_str(text);
        for enc in [Utf8, Utf16, PositionEncoding::Utf32] {
            for (off, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if text[..off].ends_with('\r') && text[off..].starts_with('\n') {
                    continue; // between \r and \n is not addressable
                }
                let p = position(&rope, off, enc);
                assert_eq!(offset(&rope, p, enc), off, "{enc:?} at {off}");
            }
        }
    }
}
