//! Invisible and bidirectional characters: text a reader does not see but an
//! agent reads (zero-width characters, bidi overrides and isolates, Unicode
//! tag characters), and the cases where such a character carries meaning and
//! must stay (a joiner inside an emoji sequence or between letters of a
//! script that uses it, tags of a flag emoji, a byte-order mark at the start).

use crate::text::TextRange;

/// What kind of hidden character a run holds, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HiddenKind {
    /// Unicode tag characters (U+E0000–U+E007F) outside a flag emoji: ASCII
    /// text that renders as nothing.
    Tag,
    /// Bidi embeddings, overrides and isolates: text shown in another order
    /// than it is read.
    Bidi,
    /// Zero-width characters and other invisible formatting.
    ZeroWidth,
}

impl HiddenKind {
    pub fn describe(self) -> &'static str {
        match self {
            HiddenKind::Tag => "Unicode tag characters (invisible text)",
            HiddenKind::Bidi => "bidirectional control characters (text shown in another order than it is read)",
            HiddenKind::ZeroWidth => "zero-width characters",
        }
    }
}

/// One run of adjacent hidden characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenRun {
    pub range: TextRange,
    pub kind: HiddenKind,
    /// The code points, `U+200B U+200B`.
    pub chars: Vec<char>,
    /// The ASCII text tag characters spell, when they spell any.
    pub tag_text: String,
}

impl HiddenRun {
    /// `U+200B, U+202E` (at most four, then `...`).
    pub fn code_points(&self) -> String {
        let mut seen: Vec<char> = Vec::new();
        for &c in &self.chars {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        let mut out: Vec<String> = seen.iter().take(4).map(|c| format!("U+{:04X}", *c as u32)).collect();
        if seen.len() > 4 {
            out.push("...".into());
        }
        out.join(", ")
    }
}

fn is_tag(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Marks that only orient neutral characters: meaningful in right-to-left text.
fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}' | '\u{115F}' | '\u{1160}' | '\u{3164}'
    ) || is_joiner(c)
}

/// Whether `c` may be hidden content at all (cheap first test).
fn candidate(c: char) -> bool {
    is_tag(c) || is_bidi_control(c) || is_bidi_mark(c) || is_zero_width(c)
}

/// Where the first [`candidate`] character at or after `from` starts, if
/// any. Every candidate is encoded in UTF-8 with a leading byte of `D8`
/// (U+061C), `E1` (U+115F, U+1160, U+180E), `E2` (U+200B–U+206F), `E3`
/// (U+3164), `EF` (U+FEFF) or `F3` (tags), so only characters starting
/// with one of those bytes are decoded; the rest of the text is skipped.
///
/// Bundled files are read whole, and all but a few hold no candidate, so
/// this pass is most of what reading them for hidden characters costs: the
/// text is read eight bytes to a word. An all-ASCII block of 64 bytes (most
/// of most texts) is told by its eight words' high bits alone; in the
/// others, the bytes of at least `D8` (no Latin, Greek or Cyrillic letter
/// starts with one) are found a word at a time ([`at_least_d8`]) and only
/// they are looked at ([`starts_candidate`]).
fn next_candidate(text: &str, from: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let bytes = &text.as_bytes()[from..];
    let mut blocks = bytes.chunks_exact(BLOCK);
    for (n, block) in blocks.by_ref().enumerate() {
        let word = |k: usize| {
            let mut word = [0; 8];
            word.copy_from_slice(&block[k * 8..k * 8 + 8]);
            u64::from_le_bytes(word)
        };
        // Written out: a fold kept the words in memory, not registers.
        let any = word(0) | word(1) | word(2) | word(3) | word(4) | word(5) | word(6) | word(7);
        if any & HIGH_BITS == 0 {
            continue;
        }
        for k in 0..BLOCK / 8 {
            let mut high = at_least_d8(word(k));
            while high != 0 {
                // Little-endian: the lowest set bit is the first such byte.
                let at = from + n * BLOCK + k * 8 + high.trailing_zeros() as usize / 8;
                if starts_candidate(text, at) {
                    return Some(at);
                }
                high &= high - 1;
            }
        }
    }
    let tail = text.len() - blocks.remainder().len();
    (tail..text.len()).find(|&at| starts_candidate(text, at))
}

/// Whether a [`candidate`] character starts at `at` (any byte of `text`).
/// The characters of `E2` that are candidates are all below U+2080, a
/// second byte of `80` or `81`: the box-drawing characters, arrows and
/// check marks that most of the bytes from `D8` start are passed over
/// without decoding. Inlined: the pass asks it of every byte from `D8`,
/// and a call cost more than the test.
#[inline(always)]
pub(crate) fn starts_candidate(text: &str, at: usize) -> bool {
    // A leading byte starts a character, so this is a char boundary.
    may_start_candidate(text.as_bytes(), at) && text[at..].chars().next().is_some_and(candidate)
}

/// Whether `bytes[at]` and the byte after it may begin a [`candidate`]
/// (see [`starts_candidate`]).
#[inline(always)]
fn may_start_candidate(bytes: &[u8], at: usize) -> bool {
    match bytes[at] {
        0xE2 => matches!(bytes.get(at + 1), Some(0x80 | 0x81)),
        0xD8 | 0xE1 | 0xE3 | 0xEF | 0xF3 => true,
        _ => false,
    }
}

/// The high bit of each byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is at least `D8`, no other bit.
/// A byte is at least `D8` when its high bit is set and its low seven bits
/// are at least `58`; adding `28` to those seven bits carries into the high
/// bit exactly then, and never out of the byte (`7F + 28 = A7`).
fn at_least_d8(word: u64) -> u64 {
    const LOW_BITS: u64 = !HIGH_BITS;
    word & ((word & LOW_BITS) + 0x2828_2828_2828_2828) & HIGH_BITS
}

fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A character a joiner may legitimately stand next to: a letter of a
/// non-Latin script (Arabic, Persian, Indic scripts use ZWJ/ZWNJ) or an
/// emoji-like symbol (ZWJ sequences, skin tones, variation selector 16).
fn joinable(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_ascii() && !candidate(c) && !c.is_whitespace())
}

/// What the scan knows before a character: the character before it, and
/// whether that one stood in a flag's tag sequence (U+1F3F4 followed by
/// tags up to U+E007F).
#[derive(Debug, Clone, Copy)]
struct Before {
    prev: Option<char>,
    in_flag: bool,
}

impl Before {
    /// What `c` (at `start` of `text`, `next` after it in the range read)
    /// is, if hidden content; the state moves past it.
    fn read(&mut self, text: &str, start: usize, c: char, next: Option<char>) -> Option<HiddenKind> {
        let prev = self.prev;
        let hidden = if !candidate(c) {
            None
        } else if is_tag(c) {
            if prev == Some('\u{1F3F4}') {
                self.in_flag = true;
            }
            if self.in_flag {
                if c == '\u{E007F}' {
                    self.in_flag = false;
                }
                None
            } else {
                Some(HiddenKind::Tag)
            }
        } else if is_bidi_control(c) {
            Some(HiddenKind::Bidi)
        } else if is_bidi_mark(c) {
            let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |p| p + 1);
            let line_end = text[start..].find(['\n', '\r']).map_or(text.len(), |p| start + p);
            (!text[line_start..line_end].chars().any(is_rtl)).then_some(HiddenKind::Bidi)
        } else if (c == '\u{FEFF}' && start == 0) || (is_joiner(c) && joinable(prev) && joinable(next)) {
            // A byte order mark opening the file, a joiner inside a word or emoji.
            None
        } else {
            Some(HiddenKind::ZeroWidth)
        };
        if !is_tag(c) {
            self.in_flag = false;
        }
        self.prev = Some(c);
        hidden
    }
}

/// Every run of hidden characters in `text[range]`, in order, leaving out the
/// ones that carry meaning where they stand.
///
/// Only the [`candidate`] characters are read, found by [`next_candidate`]:
/// any other character leaves the state what the next one needs (it is
/// the one before, and not a tag), so the characters between are skipped.
pub fn scan(text: &str, range: TextRange) -> Vec<HiddenRun> {
    let mut out: Vec<HiddenRun> = Vec::new();
    let Some(slice) = text.get(range.start..range.end) else {
        return out;
    };
    let mut before = Before {
        prev: text.get(..range.start).and_then(|t| t.chars().next_back()),
        in_flag: false,
    };
    // Where the last character read ends, in `slice`.
    let mut read_to = 0;
    while let Some(i) = next_candidate(slice, read_to) {
        if i > read_to {
            before = Before {
                prev: slice[..i].chars().next_back(),
                in_flag: false,
            };
        }
        let Some(c) = slice[i..].chars().next() else { break };
        read_to = i + c.len_utf8();
        let next = slice[read_to..].chars().next();
        if let Some(kind) = before.read(text, range.start + i, c, next) {
            add(&mut out, range.start + i, c, kind);
        }
    }
    spell_tags(&mut out);
    out
}

/// Adds hidden character `c` at `start` to the run it continues, or as a new run.
fn add(out: &mut Vec<HiddenRun>, start: usize, c: char, kind: HiddenKind) {
    let end = start + c.len_utf8();
    match out.last_mut() {
        Some(run) if run.range.end == start => {
            run.range = TextRange::new(run.range.start, end);
            run.kind = run.kind.min(kind);
            run.chars.push(c);
        }
        _ => out.push(HiddenRun {
            range: TextRange::new(start, end),
            kind,
            chars: vec![c],
            tag_text: String::new(),
        }),
    }
}

/// Fills in the ASCII text each run's tag characters spell.
fn spell_tags(runs: &mut [HiddenRun]) {
    for run in runs {
        run.tag_text = run
            .chars
            .iter()
            .filter(|c| is_tag(**c))
            .filter_map(|c| char::from_u32(*c as u32 - 0xE0000))
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .collect();
    }
}

/// A file's bytes as text when they are one (valid UTF-8 without a NUL
/// byte), and where [`scan`] of it must start: at its first [`candidate`]
/// character, if any.
///
/// One pass instead of three (a search for NUL, the standard library's
/// UTF-8 check, then the scan's own pre-pass): bundled files are read
/// whole and nearly all of their bytes are ASCII, which this tells 64
/// bytes at a time ([`notable_mask`]); only the other characters are
/// decoded ([`char_len_at`]). `memchr` + `String::from_utf8` is the
/// tests' oracle.
pub fn decode(bytes: Vec<u8>) -> Option<(String, Option<usize>)> {
    const BLOCK: usize = 64;
    let mut scan_from = None;
    // Where the character last decoded ends: the bits before it are its
    // continuation bytes.
    let mut read_to = 0;
    let mut start = 0;
    while start < bytes.len() {
        // A loop of its own over the plain blocks, the most of any file.
        while let Some(block) = bytes.get(start..start + BLOCK) {
            if notable_mask(block) != 0 {
                break;
            }
            start += BLOCK;
        }
        let block = &bytes[start..bytes.len().min(start + BLOCK)];
        let mut mask = notable_mask(block);
        let block_start = start;
        start += block.len();
        while mask != 0 {
            let at = block_start + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if at < read_to {
                continue;
            }
            let len = char_len_at(&bytes, at)?;
            read_to = at + len;
            if scan_from.is_none() && may_start_candidate(&bytes, at) {
                // SAFETY: `char_len_at` found these bytes one well-formed
                // character (a second check here cost more than the rest
                // of the pass: `—` and `•` start as candidates do).
                let c = unsafe { std::str::from_utf8_unchecked(&bytes[at..read_to]) }
                    .chars()
                    .next();
                scan_from = c.is_some_and(candidate).then_some(at);
            }
        }
    }
    debug_assert!(std::str::from_utf8(&bytes).is_ok());
    // SAFETY: every byte is ASCII or in a character `char_len_at` found
    // well formed: each one the mask did not mark is ASCII (not NUL), and
    // each one it marked starts a character or continues the one before.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    Some((text, scan_from))
}

/// Bit `i` set when `block[i]` (at most 64 bytes) is NUL or not ASCII:
/// at most `0` as a signed byte. On x86_64 SSE2 tells a whole block, 16
/// bytes to a comparison; [`notable_mask_bytewise`] is the general
/// reading, for the tail and the tests.
#[inline(always)]
fn notable_mask(block: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if let Ok(block) = <&[u8; 64]>::try_from(block) {
        use std::arch::x86_64::{_mm_cmpgt_epi8, _mm_set1_epi8};
        // SAFETY: SSE2 is part of x86_64's baseline.
        return super::block_mask_sse2(block, |x| unsafe { _mm_cmpgt_epi8(_mm_set1_epi8(1), x) });
    }
    notable_mask_bytewise(block)
}

fn notable_mask_bytewise(block: &[u8]) -> u64 {
    (block.iter().enumerate())
        .filter(|(_, &b)| b == 0 || b >= 0x80)
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// The length of the well-formed UTF-8 character starting at `bytes[at]`
/// (not ASCII), if one does: the leading byte's length and the ranges of
/// the bytes after it of the Unicode Standard's table 3-7 (no overlong
/// form, no surrogate, nothing above U+10FFFF).
fn char_len_at(bytes: &[u8], at: usize) -> Option<usize> {
    let tail = |i: usize| bytes.get(at + i).copied().unwrap_or(0);
    let cont = |b: u8| (0x80..=0xBF).contains(&b);
    let (len, second) = match bytes[at] {
        0xC2..=0xDF => (2, 0x80..=0xBF),
        0xE0 => (3, 0xA0..=0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80..=0xBF),
        0xED => (3, 0x80..=0x9F),
        0xF0 => (4, 0x90..=0xBF),
        0xF1..=0xF3 => (4, 0x80..=0xBF),
        0xF4 => (4, 0x80..=0x8F),
        _ => return None,
    };
    (second.contains(&tail(1)) && (2..len).all(|i| cont(tail(i)))).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The block test passes over no candidate, wherever it stands
        /// against the 64-byte blocks and their words.
        #[test]
        fn the_block_pre_pass_misses_no_candidate(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("abcdefghijklmno"), Just("é"), Just("—"), Just("→"), Just("✅"),
                    Just("\u{200B}"), Just("\u{202E}"), Just("\u{FEFF}"), Just("\u{E0041}"), Just("\u{061C}"),
                    Just("\u{3164}"), Just("日本"), Just("\u{1F600}"),
                ],
                0..40,
            ),
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(next_candidate(&text, 0).is_some(), text.chars().any(candidate));
        }
    }

    /// [`scan`] reading every character: what skipping to the candidates must find.
    fn scan_every_char(text: &str, range: TextRange) -> Vec<HiddenRun> {
        let mut out = Vec::new();
        let slice = &text[range.start..range.end];
        let mut before = Before {
            prev: text[..range.start].chars().next_back(),
            in_flag: false,
        };
        let mut chars = slice.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if let Some(kind) = before.read(text, range.start + i, c, next) {
                add(&mut out, range.start + i, c, kind);
            }
        }
        spell_tags(&mut out);
        out
    }

    proptest! {
        /// Skipping from candidate to candidate finds what reading every
        /// character finds: joiners between letters, emoji and spaces, flags
        /// and loose tags, marks in and out of right-to-left lines, a BOM,
        /// in any part of a text and across the 64-byte blocks.
        #[test]
        fn skipping_to_the_candidates_finds_what_reading_every_character_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just(" "), Just("\n"), Just("é"), Just("—"), Just("\u{200D}"), Just("\u{200C}"),
                    Just("\u{200B}"), Just("\u{1F468}"), Just("\u{1F3F4}"), Just("\u{E0067}"), Just("\u{E007F}"),
                    Just("\u{E0041}"), Just("\u{200F}"), Just("\u{05E9}"), Just("\u{FEFF}"), Just("\u{202E}"),
                    Just("abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz abcdefghij"),
                ],
                0..40,
            ),
            skip in 0usize..4,
            cut in 0usize..4,
        ) {
            let text: String = parts.concat();
            let range = crate::testing::inner_range(&text, skip, cut);
            prop_assert_eq!(scan(&text, range), scan_every_char(&text, range));
        }
    }

    /// Bytes that are text, and bytes that nearly are: ASCII, characters
    /// of every length, candidates, NUL, and single bytes of any value
    /// (stray continuation bytes, cut characters, overlong forms,
    /// surrogates), across the 64-byte blocks.
    fn bytes_near_text() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                4 => Just(b"abcdefghijklmnopqrstuvwxyz 0123456789\n".to_vec()),
                2 => prop_oneof![Just("é"), Just("—"), Just("\u{200B}"), Just("\u{1F600}"), Just("\u{E0041}"),
                    Just("\u{061C}"), Just("\u{FEFF}"), Just("日本")]
                .prop_map(|s| s.as_bytes().to_vec()),
                1 => any::<u8>().prop_map(|b| vec![b]),
                1 => prop_oneof![Just(vec![0xE0, 0x80, 0x80]), Just(vec![0xED, 0xA0, 0x80]), Just(vec![0xF4, 0x90, 0x80, 0x80]),
                    Just(vec![0xC0, 0xAF]), Just(vec![0xE2, 0x80])],
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// One pass decides what NUL search and UTF-8 check decide, and the
        /// scan from where it says finds what the scan of the whole text finds.
        #[test]
        fn decode_is_the_std_check_and_the_scan_from_its_start_the_whole_scan(bytes in bytes_near_text()) {
            let expected = (memchr::memchr(0, &bytes).is_none())
                .then(|| String::from_utf8(bytes.clone()).ok())
                .flatten();
            let decoded = decode(bytes.clone());
            prop_assert_eq!(decoded.as_ref().map(|(text, _)| text), expected.as_ref());
            if let Some((text, scan_from)) = decoded {
                prop_assert_eq!(scan_from, next_candidate(&text, 0));
                let whole = scan(&text, TextRange::new(0, text.len()));
                let from = scan_from.map_or_else(Vec::new, |from| scan(&text, TextRange::new(from, text.len())));
                prop_assert_eq!(from, whole);
            }
        }

        /// The vector mask of a whole block is the byte-by-byte one.
        #[test]
        fn the_block_mask_is_the_bytewise_one(block in proptest::array::uniform32(any::<u8>()), other in proptest::array::uniform32(any::<u8>())) {
            let block: Vec<u8> = block.into_iter().chain(other).collect();
            prop_assert_eq!(notable_mask(&block), notable_mask_bytewise(&block));
        }
    }

    #[test]
    fn char_len_at_accepts_exactly_the_well_formed_characters() {
        // Every leading byte with every second byte, and the tails of the
        // longer forms around their ranges' ends: std's check decides.
        for lead in 0x80..=0xFFu8 {
            for second in 0..=0xFFu8 {
                for rest in [0x7F, 0x80, 0xBF, 0xC0] {
                    let bytes = [lead, second, rest, rest];
                    let expected = (2..=4).find(|&n| std::str::from_utf8(&bytes[..n]).is_ok());
                    assert_eq!(char_len_at(&bytes, 0), expected, "{bytes:02X?}");
                }
            }
        }
    }

    fn found(text: &str) -> Vec<(String, HiddenKind)> {
        scan(text, TextRange::new(0, text.len()))
            .into_iter()
            .map(|r| (r.code_points(), r.kind))
            .collect()
    }

    #[test]
    fn finds_zero_width_bidi_and_tags() {
        assert_eq!(found("pass\u{200B}word"), [("U+200B".into(), HiddenKind::ZeroWidth)]);
        assert_eq!(found("a \u{202E}cba\u{202C} b").len(), 2);
        let smuggled: String = "hi"
            .chars()
            .map(|c| char::from_u32(0xE0000 + c as u32).unwrap())
            .collect();
        let runs = scan(&format!("ok{smuggled}"), TextRange::new(0, 2 + smuggled.len()));
        assert_eq!(runs[0].kind, HiddenKind::Tag);
        assert_eq!(runs[0].tag_text, "hi");
    }

    #[test]
    fn the_word_test_marks_exactly_the_bytes_from_d8() {
        // Every byte value at every place of a word, among bytes either side of `D8`.
        for b in 0..=255u8 {
            for place in 0..8 {
                let mut bytes = [0xD7, 0x41, 0xFF, 0x80, 0xD8, 0x7F, 0x00, 0x58];
                bytes[place] = b;
                let expected = bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, &x)| x >= 0xD8)
                    .fold(0u64, |m, (k, _)| m | 0x80 << (8 * k));
                assert_eq!(at_least_d8(u64::from_le_bytes(bytes)), expected, "{bytes:02X?}");
            }
        }
    }

    #[test]
    fn the_byte_prefilter_sees_every_candidate() {
        // Every scalar value after text, in the short tail and inside a
        // whole block: the leading-byte test never misses one.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut text = String::from("a\u{2014}");
            text.push(c);
            assert_eq!(next_candidate(&text, 0).is_some(), candidate(c), "U+{:04X}", c as u32);
            text.push_str(&"x".repeat(32));
            assert_eq!(
                next_candidate(&text, 0).is_some(),
                candidate(c),
                "U+{:04X} in a block",
                c as u32
            );
        }
    }

    #[test]
    fn keeps_what_carries_meaning() {
        // Family emoji: man ZWJ woman ZWJ girl.
        assert!(found("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}").is_empty());
        // Persian word with ZWNJ.
        assert!(found("\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}").is_empty());
        // Flag of England: black flag, tags g b e n g, cancel tag.
        assert!(found("\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}").is_empty());
        // A byte-order mark at the start; an RLM in Hebrew text.
        assert!(found("\u{FEFF}---").is_empty());
        assert!(found("\u{05E9}\u{05DC}\u{05D5}\u{05DD}\u{200F} (x)").is_empty());
        // A ZWJ between ASCII letters carries nothing.
        assert_eq!(found("a\u{200D}b").len(), 1);
        assert_eq!(found("x\u{200F}y").len(), 1);
    }
}
