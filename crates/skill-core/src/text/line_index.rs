//! Conversion between byte offsets and line/column pairs in UTF-8, UTF-16 or UTF-32 units.
//!
//! Every line/column that leaves the core (CLI output, the language server)
//! is computed here, so encodings are handled in exactly one place.

use serde::Serialize;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    Utf8,
    /// The LSP default.
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A zero-based line and column (column in the units of an [`Encoding`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct LineCol {
    pub line: u32,
    #[serde(rename = "character")]
    pub col: u32,
}

/// A byte offset's line and its column in each [`Encoding`]
/// ([`LineIndex::columns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub line: u32,
    pub utf8: u32,
    pub utf16: u32,
    pub utf32: u32,
}

impl Columns {
    /// The line and column in `enc` units.
    pub fn at(&self, enc: Encoding) -> LineCol {
        let col = match enc {
            Encoding::Utf8 => self.utf8,
            Encoding::Utf16 => self.utf16,
            Encoding::Utf32 => self.utf32,
        };
        LineCol { line: self.line, col }
    }
}

/// Inserted texts longer than this are indexed with the text ([`LineIndex::edited`]).
const LONG_INSERTION: usize = 4096;

/// Start offsets of every line of one text: the one line model of skill-lsp.
///
/// A line ends at `\n`, `\r\n` or a lone `\r`, as the Language Server
/// Protocol counts lines (U+2028 and other separators are ordinary
/// characters, as they are in editors). `\r\n` is one terminator, so a
/// column never points between `\r` and `\n`. The CLI, the language server
/// and the fixes all count lines here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // Room for lines of 32 bytes on average: more than half of the
        // corpus's skills have shorter ones than 40, and the vector then
        // grew once, a copy and a reallocation.
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        push_line_ends(text, &mut line_starts);
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The index of `text`, made from `self` (the index of the text before
    /// one edit) and `edit`: the byte range of the old text that was
    /// replaced, and the length of what replaced it. Equal to
    /// [`LineIndex::new`] of `text`; only the edited span (and the byte
    /// either side of it, for a `\r\n` the edit joined or split) is read,
    /// the other line starts are copied, those after the edit moved. A
    /// keystroke in a large document then costs a copy of its line starts,
    /// not a pass over its text.
    pub fn edited(&self, text: &str, edit: std::ops::Range<usize>, inserted: usize) -> LineIndex {
        let old_len = self.len;
        let edit_start = edit.start.min(old_len);
        let edit_end = edit.end.clamp(edit_start, old_len);
        let inserted_end = edit_start + inserted;
        let consistent = text.len() == old_len - (edit_end - edit_start) + inserted;
        // A long insertion (a paste, the whole text) is indexed whole, by
        // the faster `memchr` pass; so is a text that is not the edit claimed.
        if !consistent || inserted > LONG_INSERTION {
            return LineIndex::new(text);
        }
        // A start `s` is decided by the bytes at `s - 1` and `s`: before the
        // edit's start both are unchanged, past its end both moved with it.
        let before = self.line_starts.partition_point(|&s| s < edit_start.max(1));
        let after = self.line_starts.partition_point(|&s| s <= edit_end);
        let mut line_starts = Vec::with_capacity(before + (self.line_starts.len() - after) + 16);
        line_starts.extend_from_slice(&self.line_starts[..before]);
        // Terminators at `edit_start - 1 ..= inserted_end - 1` give the
        // starts in `edit_start ..= inserted_end` (a `\r` looks one byte on).
        let bytes = text.as_bytes();
        line_starts.extend((edit_start.saturating_sub(1)..inserted_end).filter_map(|i| {
            let ends = bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            ends.then_some(i + 1)
        }));
        let shift = |s: usize| s - edit_end + inserted_end;
        line_starts.extend(self.line_starts[after..].iter().map(|&s| shift(s)));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The length of the text indexed, in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Where each line starts, in order (the first at 0): a parser that
    /// reads the text line by line takes its lines from here.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// Byte offset where line `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Zero-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of line `line`'s content, without the terminator.
    pub fn line_content(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let Some(&next) = self.line_starts.get(line + 1) else {
            return Some(start..self.len);
        };
        let bytes = text.as_bytes();
        // `next - 1` is the terminator's last byte: `\n` (maybe after a `\r`) or a lone `\r`.
        let crlf = bytes.get(next - 1) == Some(&b'\n') && next >= start + 2 && bytes.get(next - 2) == Some(&b'\r');
        let end = next - 1 - usize::from(crlf);
        Some(start..end.max(start))
    }

    /// The line/column of byte `offset`. An offset inside a multi-byte
    /// character or past the end is clamped to the nearest boundary before it.
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let (line, start, offset) = self.clamped(text, offset);
        let col: usize = match enc {
            Encoding::Utf8 => offset - start,
            _ => text[start..offset].chars().map(|c| enc.width(c)).sum(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// [`LineIndex::position`] in every encoding at once: one search for
    /// the line and one pass over its characters, not three.
    pub fn columns(&self, text: &str, offset: usize) -> Columns {
        let (line, start, offset) = self.clamped(text, offset);
        let before = &text[start..offset];
        let (utf16, utf32) = if before.is_ascii() {
            (before.len(), before.len())
        } else {
            before
                .chars()
                .fold((0, 0), |(utf16, utf32), c| (utf16 + c.len_utf16(), utf32 + 1))
        };
        Columns {
            line: line as u32,
            utf8: before.len() as u32,
            utf16: utf16 as u32,
            utf32: utf32 as u32,
        }
    }

    /// The line of byte `offset`, its start, and `offset` clamped to a
    /// character boundary of the text, before the line's terminator.
    fn clamped(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let mut offset = offset.min(self.len).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        // Inside a terminator (between `\r` and `\n`): the end of the line's content.
        if let Some(content) = self.line_content(text, line) {
            offset = offset.min(content.end);
        }
        (line, start, offset)
    }

    /// The byte offset of a line/column. A column past the line's end, or
    /// inside a character (half of a UTF-16 surrogate pair), is clamped to a
    /// character boundary; a line past the end gives the end of the text.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let Some(content) = self.line_content(text, pos.line as usize) else {
            return self.len;
        };
        let want = pos.col as usize;
        let mut units = 0;
        for (i, c) in text[content.clone()].char_indices() {
            let w = enc.width(c);
            if units + w > want {
                return content.start + i;
            }
            units += w;
        }
        content.end
    }
}

/// Pushes the offset just after each line terminator of `text` onto `out`.
/// A text without a `\r` (nearly all) has its `\n`s found 64 bytes at a
/// time ([`lf_mask`]) on x86_64: `memchr` costs a call per line, about 100
/// instructions a line with the iterator around it, and the lines of a
/// skill are short; this runs on every parse and every keystroke.
/// [`line_ends`] is the general reading, and the tests' oracle.
fn push_line_ends(text: &str, out: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    #[cfg(target_arch = "x86_64")]
    if memchr::memchr(b'\r', bytes).is_none() {
        const CHUNK: usize = 64;
        let mut chunks = bytes.chunks_exact(CHUNK);
        for (n, chunk) in chunks.by_ref().enumerate() {
            let mut lf = lf_mask(chunk);
            while lf != 0 {
                out.push(n * CHUNK + lf.trailing_zeros() as usize + 1);
                lf &= lf - 1;
            }
        }
        let tail = bytes.len() - chunks.remainder().len();
        out.extend(memchr::memchr_iter(b'\n', &bytes[tail..]).map(|i| tail + i + 1));
        return;
    }
    out.extend(line_ends(text));
}

/// Bit `i` set when `chunk[i]` (64 bytes) is `\n`: SSE2's byte comparison
/// and mask, 16 bytes at a time (the compiler does not find them in a loop
/// over the bytes).
#[cfg(target_arch = "x86_64")]
fn lf_mask(chunk: &[u8]) -> u64 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let word = |at: usize| i64::from_le_bytes(chunk[at..at + 8].try_into().expect("eight bytes"));
    let mut mask = 0;
    for at in (0..64).step_by(16) {
        // SAFETY: SSE2 is part of x86_64's baseline (every x86_64 processor
        // has it); the intrinsics only read their arguments.
        let bits = unsafe {
            let lf = _mm_set1_epi8(b'\n' as i8);
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_set_epi64x(word(at + 8), word(at)), lf))
        };
        mask |= u64::from(bits as u16) << at;
    }
    mask
}

/// The offset just after each line terminator. `memchr`'s vector search
/// finds each `\n` (the standard library's `char` search costs a call and
/// a word-at-a-time loop per line, 330 instructions per line of the 1 MB
/// skill; a test of eight bytes at a time, 1.3 times this).
fn line_ends(text: &str) -> Box<dyn Iterator<Item = usize> + '_> {
    let bytes = text.as_bytes();
    if memchr::memchr(b'\r', bytes).is_none() {
        return Box::new(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    }
    Box::new(memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(move |i| {
        // The `\r` of a `\r\n` ends nothing: its `\n` does.
        (!(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n'))).then_some(i + 1)
    }))
}

/// The text with every lone `\r` (an old Mac line end) replaced by `\n`:
/// the same length and the same line starts, so every byte offset into one
/// is the same offset into the other. Parsers look for `\n` only; they read
/// this. `\r\n` stays as it is.
pub fn with_bare_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let out: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    // Replacing one ASCII byte by another keeps the text valid UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The 64-byte pass finds what the general reading finds, across
        /// chunk boundaries and in the tail, with and without `\r`.
        #[test]
        fn line_starts_are_the_general_readings(text in "[a\r\né中]{0,20}[a\né]{0,300}", crlf in any::<bool>()) {
            let text = if crlf { text } else { text.replace('\r', "") };
            let expected: Vec<usize> = std::iter::once(0).chain(line_ends(&text)).collect();
            prop_assert_eq!(LineIndex::new(&text).line_starts, expected);
        }

        /// Every offset, also inside a character or a `\r\n`, and past the end.
        #[test]
        fn columns_are_the_positions_in_each_encoding(text in "[a\r\né😀中]{0,16}", extra in 0usize..3) {
            let idx = LineIndex::new(&text);
            for offset in 0..=text.len() + extra {
                let c = idx.columns(&text, offset);
                for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                    prop_assert_eq!(c.at(enc), idx.position(&text, offset, enc));
                }
            }
        }
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "a😀b\n中文x\r\nend";
        let idx = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(idx.position(text, b, Encoding::Utf16), LineCol { line: 0, col: 3 });
        assert_eq!(idx.position(text, b, Encoding::Utf8), LineCol { line: 0, col: 5 });
        assert_eq!(idx.position(text, b, Encoding::Utf32), LineCol { line: 0, col: 2 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x, Encoding::Utf16), LineCol { line: 1, col: 2 });
        assert_eq!(idx.offset(text, LineCol { line: 1, col: 2 }, Encoding::Utf16), x);
    }

    #[test]
    fn offsets_clamp_inside_pairs_and_past_line_end() {
        let text = "a😀b\r\nz";
        let idx = LineIndex::new(text);
        // Column 2 is the middle of the surrogate pair: clamp to the emoji's start.
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16), 1);
        // Past the end of the line: the line's end, before "\r\n".
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16), 6);
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn a_lone_cr_ends_a_line_like_lf_and_crlf() {
        let text = "a\rb\r\nc\nd\r";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 5);
        assert_eq!(idx.position(text, 2, Encoding::Utf16), LineCol { line: 1, col: 0 });
        assert_eq!(idx.line_content(text, 0), Some(0..1));
        assert_eq!(idx.line_content(text, 1), Some(2..3));
        assert_eq!(idx.line_content(text, 3), Some(7..8));
        assert_eq!(idx.line_content(text, 4), Some(9..9));
        // Between \r and \n: the end of line 1.
        assert_eq!(idx.position(text, 4, Encoding::Utf16), LineCol { line: 1, col: 1 });
        // U+2028 is no line end.
        let sep = "a\u{2028}b";
        assert_eq!(LineIndex::new(sep).line_count(), 1);
        // Parsers see the same offsets and lines with `\n` in place of each lone `\r`.
        let lf = with_bare_cr_as_lf(text);
        assert_eq!(lf, "a\nb\r\nc\nd\n");
        assert_eq!(LineIndex::new(&lf), idx);
        assert!(matches!(with_bare_cr_as_lf("a\r\nb"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn an_edited_index_equals_a_fresh_one() {
        let texts = [
            "",
            "a",
            "\r",
            "\n",
            "a\r\nb",
            "a\rb\nc\r\n",
            "x\r\r\n\n\ry",
            "中\r\n😀\n",
        ];
        let inserts = ["", "\n", "\r", "\r\n", "z", "\n\r", "a\nb\rc", "é\r"];
        for old in texts {
            let index = LineIndex::new(old);
            let cuts: Vec<usize> = (0..=old.len()).filter(|&i| old.is_char_boundary(i)).collect();
            for (i, &start) in cuts.iter().enumerate() {
                for &end in &cuts[i..] {
                    for ins in inserts {
                        let text = format!("{}{ins}{}", &old[..start], &old[end..]);
                        assert_eq!(
                            index.edited(&text, start..end, ins.len()),
                            LineIndex::new(&text),
                            "{old:?} with {start}..{end} replaced by {ins:?}"
                        );
                    }
                }
            }
        }
        // An edit that does not match the text: indexed afresh.
        assert_eq!(LineIndex::new("ab").edited("a\nbcd", 0..0, 0), LineIndex::new("a\nbcd"));
    }

    #[test]
    fn round_trip_every_boundary() {
        let text = "\u{feff}---\nname: x😀\r\n中\n\n# T😀\rz\r";
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (off, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if text[..off].ends_with('\r') && text[off..].starts_with('\n') {
                    continue; // between \r and \n is not addressable
                }
                let pos = idx.position(text, off, enc);
                assert_eq!(idx.offset(text, pos, enc), off, "{enc:?} at {off}");
            }
        }
    }
}
