//! Text primitives: byte ranges inside the core, line/column only at the edges.

mod date;
mod line_index;
mod shared;

pub use date::{date_of, today};
pub use line_index::{with_bare_cr_as_lf, Columns, Encoding, LineCol, LineIndex};
pub use shared::SharedStr;

use serde::Serialize;

/// A half-open byte range `[start, end)` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "range {start}..{end} is reversed");
        TextRange { start, end }
    }

    /// An empty range at `offset`, where an insertion goes.
    pub fn empty(offset: usize) -> Self {
        TextRange {
            start: offset,
            end: offset,
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Like `contains`, but also true at the end (a cursor just after a token).
    pub fn touches(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn overlaps(&self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn shift(&self, by: usize) -> Self {
        TextRange {
            start: self.start + by,
            end: self.end + by,
        }
    }

    pub fn cover(&self, other: TextRange) -> Self {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl From<std::ops::Range<usize>> for TextRange {
    fn from(r: std::ops::Range<usize>) -> Self {
        TextRange::new(r.start, r.end)
    }
}

/// One contiguous change between two texts: `old[start..old_end]` became
/// `new[start..new_end]`, the rest is equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Change {
    /// The change that turns `old` into `new`: their common prefix and suffix
    /// left out, cut at character boundaries. `None` when they are equal.
    pub fn between(old: &str, new: &str) -> Option<Change> {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut start = common_prefix(a, b);
        if start == a.len() && start == b.len() {
            return None;
        }
        // Where the texts differ inside a character, both hold the same
        // lead bytes of it: the change starts at that character.
        while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
            start -= 1;
        }
        let mut suffix = common_suffix(&a[start..], &b[start..]);
        while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
            suffix -= 1;
        }
        Some(Change {
            start,
            old_end: a.len() - suffix,
            new_end: b.len() - suffix,
        })
    }

    /// How much later a byte after the change stands in the new text.
    pub fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }
}

/// Slices compare with `memcmp`; bytes one by one only in the last block.
const COMPARE_BLOCK: usize = 128;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + COMPARE_BLOCK <= n && a[i..i + COMPARE_BLOCK] == b[i..i + COMPARE_BLOCK] {
        i += COMPARE_BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + COMPARE_BLOCK <= n && a[ea - i - COMPARE_BLOCK..ea - i] == b[eb - i - COMPARE_BLOCK..eb - i] {
        i += COMPARE_BLOCK;
    }
    while i < n && a[ea - i - 1] == b[eb - i - 1] {
        i += 1;
    }
    i
}

/// The range of the line holding `offset`, without its line terminator
/// (`\n`, `\r\n` or a lone `\r`, as [`LineIndex`] counts lines).
pub fn line_range_at(text: &str, offset: usize) -> TextRange {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // Between the `\r` and `\n` of one terminator: the line the `\r` ends.
    if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
        offset -= 1;
    }
    // Byte searches: both terminators are ASCII, so where they stand is a
    // character boundary (a `char` pattern decodes every character).
    let bytes = text.as_bytes();
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &bytes[offset..]).map_or(text.len(), |i| offset + i);
    TextRange::new(start, end.max(start))
}

/// The line ending the document mostly uses, so inserted text matches it.
pub fn line_ending(text: &str) -> &'static str {
    // Most texts hold no `\r` at all: one `memchr` pass answers for them.
    let Some(first_cr) = memchr::memchr(b'\r', text.as_bytes()) else {
        return "\n";
    };
    if text[first_cr..].contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') && !text.contains('\n') {
        "\r"
    } else {
        "\n"
    }
}

/// `hay.to_lowercase().contains(needle)` for an ASCII lower-case `needle`,
/// without building the lower-case copy: the model asks it of every heading
/// of every parse. Lower-casing maps an ASCII byte to its ASCII lower case
/// and every other character to characters with no ASCII byte, except the
/// two below, so outside them an ASCII-case-insensitive byte search finds
/// the same matches.
pub fn lowercase_contains(hay: &str, needle: &str) -> bool {
    debug_assert!(!needle.bytes().any(|b| b.is_ascii_uppercase()));
    if lowers_into_ascii(hay) {
        return hay.to_lowercase().contains(needle);
    }
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    // The word-at-a-time search, not the vectorised one: a heading is a few
    // dozen bytes, and choosing and entering the vector routine cost more
    // than the search itself.
    memchr::arch::all::memchr::Two::new(first, first.to_ascii_uppercase())
        .iter(&hay[..=last_start])
        .any(|i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

/// `hay.to_lowercase() == word` for an ASCII lower-case `word`, without the copy.
pub fn lowercase_eq(hay: &str, word: &str) -> bool {
    if lowers_into_ascii(hay) {
        return hay.to_lowercase() == word;
    }
    hay.eq_ignore_ascii_case(word)
}

/// The characters outside ASCII whose lower case holds an ASCII letter:
/// KELVIN SIGN (`k`) and LATIN CAPITAL LETTER I WITH DOT ABOVE (`i` and a
/// combining dot); a test checks every character.
fn lowers_into_ascii(text: &str) -> bool {
    // Their UTF-8 (`C4 B0`, `E2 84 AA`) found from their first bytes, which
    // only ever start a character: a `char` search decodes every character.
    let b = text.as_bytes();
    !text.is_ascii()
        && memchr::memchr2_iter(0xC4, 0xE2, b).any(|i| matches!(b[i..], [0xC4, 0xB0, ..] | [0xE2, 0x84, 0xAA, ..]))
}

/// The bytes of `set` as a table (`table[usize::from(b)]`): for scans that
/// ask it of every byte, a load instead of a comparison with each.
pub(crate) const fn byte_set(set: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < set.len() {
        table[set[i] as usize] = true;
        i += 1;
    }
    table
}

/// Whether a byte of `bytes` is in `table` (a [`byte_set`]).
pub(crate) fn any_in_set(bytes: &[u8], table: &[bool; 256]) -> bool {
    position_in_set(bytes, table).is_some()
}

/// Where the first byte of `bytes` that is in `table` (a [`byte_set`])
/// stands: eight bytes a test, their loads joined, so the loop's branch is
/// paid once for eight; the eight that hold one are then looked through.
pub(crate) fn position_in_set(bytes: &[u8], table: &[bool; 256]) -> Option<usize> {
    let in_set = |b: &u8| table[usize::from(*b)];
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in words.by_ref() {
        let hit = |i: usize| in_set(&w[i]);
        if hit(0) | hit(1) | hit(2) | hit(3) | hit(4) | hit(5) | hit(6) | hit(7) {
            return w.iter().position(in_set).map(|i| at + i);
        }
        at += 8;
    }
    words.remainder().iter().position(in_set).map(|i| at + i)
}

/// Whether `hay` holds `a`, `b` or `c`: `memchr3`, without its dispatch
/// and set-up, which cost more than the search in the short texts this is
/// asked of (a paragraph of a line or two, about a hundred instructions a
/// call). Sixteen bytes a test on x86_64, the last test overlapping.
pub(crate) fn holds_any3(hay: &[u8], a: u8, b: u8, c: u8) -> bool {
    #[cfg(target_arch = "x86_64")]
    if (16..=256).contains(&hay.len()) {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
        // SAFETY: SSE2 is part of x86_64's baseline; each load reads the
        // 16 bytes from `at`, and `at + 16 <= hay.len()`.
        let hit = |at: usize| unsafe {
            let v = _mm_loadu_si128(hay.as_ptr().add(at).cast());
            let eq = |x: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(x as i8));
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(eq(a), eq(b)), eq(c))) != 0
        };
        let last = hay.len() - 16;
        return (0..last).step_by(16).any(hit) || hit(last);
    }
    if hay.len() < 16 {
        return hay.iter().any(|&x| x == a || x == b || x == c);
    }
    memchr::memchr3(a, b, c, hay).is_some()
}

/// `s.lines().count()` without walking the lines one by one: the line
/// feeds, and a last line that has none. Rules measure whole bodies with it
/// on every check, and a large skill has tens of thousands of lines.
pub fn count_lines(s: &str) -> usize {
    let feeds = memchr::memchr_iter(b'\n', s.as_bytes()).count();
    feeds + usize::from(!s.is_empty() && !s.ends_with('\n'))
}

/// The Damerau–Levenshtein distance of `a` and `b` in characters, as
/// `strsim::damerau_levenshtein` gives it, with their common prefix and
/// suffix taken off first: edits never need to touch those, and a
/// misspelt or shortened name shares most of itself with the one meant
/// (`updateskillmemory` and `update` differ by a suffix alone).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let prefix: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.chars().count(),
        (_, true) => a.chars().count(),
        _ => strsim::damerau_levenshtein(a, b),
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// As the `char` search it replaced finds the two characters.
        #[test]
        fn lowers_into_ascii_finds_what_a_char_search_finds(text in "[aİKĠ\u{2129}\u{212A}\u{212B}⚠]{0,6}") {
            proptest::prop_assert_eq!(super::lowers_into_ascii(&text), !text.is_ascii() && text.contains(['\u{212A}', '\u{130}']));
        }

        /// As the `char` searches it replaced find the terminators, at
        /// every offset (inside characters, between `\r` and `\n`, past the end).
        #[test]
        fn line_range_at_finds_the_terminators_char_searches_find(text in "[a\r\né]{0,12}") {
            for offset in 0..=text.len() + 1 {
                let mut at = offset.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n') {
                    at -= 1;
                }
                let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
                proptest::prop_assert_eq!(super::line_range_at(&text, offset), super::TextRange::new(start, end.max(start)));
            }
        }

        /// Taking off the common ends changes no distance (strsim on the
        /// whole strings is the oracle), on a small alphabet so that
        /// shared ends and transpositions are common.
        #[test]
        fn edit_distance_is_strsims(a in "[abcé]{0,9}", b in "[abcé]{0,9}", ends in "[abé]{0,3}") {
            let (a, b) = (format!("{ends}{a}{ends}"), format!("{ends}{b}"));
            proptest::prop_assert_eq!(edit_distance(&a, &b), strsim::damerau_levenshtein(&a, &b));
            proptest::prop_assert_eq!(edit_distance(&b, &a), strsim::damerau_levenshtein(&b, &a));
        }
    }

    #[test]
    fn count_lines_counts_what_lines_yields() {
        for s in [
            "",
            "a",
            "a\n",
            "a\nb",
            "\n",
            "\n\n",
            "a\r\nb\r\n",
            "a\r\n\r\n",
            "\r",
            "x\n\ny",
            "é\n😀",
        ] {
            assert_eq!(count_lines(s), s.lines().count(), "{s:?}");
        }
    }

    use super::*;

    proptest::proptest! {
        /// Eight bytes at a time, the answer a byte at a time gives.
        #[test]
        fn any_in_set_is_any_byte_in_it(
            bytes in proptest::collection::vec(0u8..8, 0..40),
            set in proptest::collection::vec(0u8..8, 0..3),
        ) {
            let table = byte_set(&set);
            proptest::prop_assert_eq!(any_in_set(&bytes, &table), bytes.iter().any(|b| set.contains(b)));
            proptest::prop_assert_eq!(position_in_set(&bytes, &table), bytes.iter().position(|b| set.contains(b)));
        }

        /// What `memchr3` finds, in texts short and long (past 256 bytes),
        /// with one of the bytes put anywhere (in the overlapping last test
        /// too) or none.
        #[test]
        fn holds_any3_is_memchr3(
            mut bytes in proptest::collection::vec(0u8..250, 0..300),
            needles in [250u8..=255, 250u8..=255, 250u8..=255],
            at in proptest::option::of(proptest::prelude::any::<proptest::sample::Index>()),
            which in 0usize..3,
        ) {
            if let (Some(at), false) = (at, bytes.is_empty()) {
                let i = at.index(bytes.len());
                bytes[i] = needles[which];
            }
            let [a, b, c] = needles;
            proptest::prop_assert_eq!(holds_any3(&bytes, a, b, c), memchr::memchr3(a, b, c, &bytes).is_some());
        }
    }

    #[test]
    fn lower_casing_makes_ascii_only_of_ascii_and_two_characters() {
        for c in (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii())
        {
            let ascii = c.to_lowercase().any(|l| l.is_ascii());
            assert_eq!(ascii, lowers_into_ascii(c.encode_utf8(&mut [0; 4])), "{c:?}");
        }
    }

    proptest::proptest! {
        /// The search finds what lower-casing finds wherever the needle
        /// stands, at the haystack's end too.
        #[test]
        fn lower_case_search_finds_what_lower_casing_finds_anywhere(
            parts in proptest::collection::vec(
                proptest::sample::select(&["w", "W", "ork", "ORK", "flow", "FLow", "x", " ", "\u{212A}", "İ", "é"][..]),
                0..12,
            ),
        ) {
            let hay = parts.concat();
            for needle in ["workflow", "w", "kflow"] {
                proptest::prop_assert_eq!(lowercase_contains(&hay, needle), hay.to_lowercase().contains(needle));
            }
        }
    }

    #[test]
    fn lower_case_search_without_a_copy_finds_what_lower_casing_finds() {
        for hay in [
            "Mandatory WORKFLOW",
            "⚠️ Workflow",
            "WOR\u{212A}FLOW",
            "Version History",
            "Chängelog",
            "x",
            "",
        ] {
            for needle in ["workflow", "version history", "changelog", "k", ""] {
                assert_eq!(
                    lowercase_contains(hay, needle),
                    hay.to_lowercase().contains(needle),
                    "{hay:?} {needle:?}"
                );
                assert_eq!(
                    lowercase_eq(hay, needle),
                    hay.to_lowercase() == needle,
                    "{hay:?} {needle:?}"
                );
            }
        }
    }

    #[test]
    fn a_change_is_the_text_between_the_common_prefix_and_suffix() {
        let change = |a: &str, b: &str| Change::between(a, b).map(|c| (c.start, c.old_end, c.new_end));
        assert_eq!(change("abc", "abc"), None);
        assert_eq!(change("abc", "abxc"), Some((2, 2, 3)));
        assert_eq!(change("abxc", "abc"), Some((2, 3, 2)));
        assert_eq!(change("", "x"), Some((0, 0, 1)));
        // Repeated text: the prefix is taken first, the suffix never overlaps it.
        assert_eq!(change("aa", "aaa"), Some((2, 2, 3)));
        // Texts longer than one comparison block, differing near either end.
        let long = "x".repeat(1000);
        assert_eq!(
            change(&format!("{long}a{long}"), &format!("{long}{long}")),
            Some((1000, 1001, 1000))
        );
        // Characters that share their lead bytes change whole.
        assert_eq!(change("é", "è"), Some((0, 2, 2)));
        assert_eq!(change("a😀b", "a😃b"), Some((1, 5, 5)));
    }
}
