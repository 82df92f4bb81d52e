//! One pass over a piece of text that tells which of the content scans can
//! find anything in it, so that each scan reads only the blocks holding what
//! it looks for instead of every block: most blocks of a skill hold no home
//! folder, no HTML comment, no reference definition and no placeholder.
//! (Secrets are not among them: the letters they start with are common, and
//! their scan passes over words as fast as this pass would.)
//!
//! Each kind is a necessary condition only: a block that has it may still
//! hold nothing (the scan decides), a block that lacks it holds nothing.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::hidden;
use crate::text::TextRange;

/// The kinds of candidate a piece of text holds (a set of the constants below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Candidates(u8);

impl Candidates {
    /// `/h`, `/U` or `:\`: how `/home/`, `/Users/`, `/mnt/c/Users/` and
    /// `C:\Users\` start (personal paths).
    pub const HOME: u8 = 1;
    /// `<!`: how an HTML comment starts.
    pub const COMMENT: u8 = 1 << 1;
    /// A line starting with `[` after at most three spaces: how a link
    /// reference definition starts.
    pub const BRACKET_LINE: u8 = 1 << 2;
    /// `[T`: how `[TODO` starts.
    pub const TODO: u8 = 1 << 3;
    /// `{`: how a template blank starts.
    pub const BRACE: u8 = 1 << 4;
    /// A character that may be hidden content ([`hidden::starts_candidate`]):
    /// found by the leading bytes such a character's encoding starts with
    /// (`D8`, `E1`, `E2`, `E3`, `EF`, `F3`), then looked at, for `—`, `•`
    /// and `…` start as some of them do and are in most blocks that hold
    /// anything but ASCII.
    pub const HIDDEN: u8 = 1 << 5;

    /// What `text` holds; `text` starts a line.
    ///
    /// The pairs and bytes are found together by one multi-pattern search
    /// ([`PATTERNS`], vectorised where the processor allows), which stops
    /// once every kind it looks for is found; bracket lines are the `[`s
    /// (one `memchr` search) with at most three spaces before them on
    /// their line.
    pub fn of(text: &str) -> Candidates {
        const SEARCHED: u8 =
            Candidates::HOME | Candidates::COMMENT | Candidates::TODO | Candidates::BRACE | Candidates::HIDDEN;
        let mut found = 0;
        for m in PATTERNS.find_iter(text) {
            let kind = KINDS[m.pattern().as_usize()].1;
            if kind == Self::HIDDEN && !hidden::starts_candidate(text, m.start()) {
                continue;
            }
            found |= kind;
            if found == SEARCHED {
                break;
            }
        }
        let text = text.as_bytes();
        let bracket_line = memchr::memchr_iter(b'[', text).any(|at| starts_line(text, 0, at));
        if bracket_line {
            found |= Self::BRACKET_LINE;
        }
        Candidates(found)
    }

    /// [`Candidates::of`] each of `blocks`, consecutive pieces of `text` in
    /// order, each starting a line: one pass over the whole text instead of
    /// one multi-pattern search per block (starting a search costs some
    /// hundreds of instructions, and a block is a paragraph or a list).
    /// The pass finds the bytes a kind starts with ([`Notable`], 64 bytes
    /// at a time; in most blocks of 64 bytes there is none) and looks at
    /// each: seven byte searches, one per byte, cost more, for each
    /// restarted at every `/` and `[` of the text.
    ///
    /// No pair can run from one block into the next: a block ends with a
    /// line break, which starts no pair (pairs that would are not counted
    /// anyway).
    pub fn of_blocks(text: &str, blocks: &[TextRange]) -> Vec<Candidates> {
        let bytes = text.as_bytes();
        let mut found = vec![Candidates(0); blocks.len()];
        let mut block_of = BlockOf { blocks, next: 0 };
        // Asked in text order: a pair is marked at its first byte, and
        // only `:\\` is found by its second (`:` is no notable byte, so
        // none was found between the two).
        let mut mark = |at: usize, len: usize, kind: u8, block_of: &mut BlockOf| {
            if let Some(b) = block_of.at(at).filter(|&b| at + len <= blocks[b].end) {
                found[b].0 |= kind;
            }
        };
        for at in Notable::new(bytes) {
            let next = bytes.get(at + 1).copied();
            match bytes[at] {
                b'{' => mark(at, 1, Self::BRACE, &mut block_of),
                b'\\' if at > 0 && bytes[at - 1] == b':' => mark(at - 1, 2, Self::HOME, &mut block_of),
                b'<' if next == Some(b'!') => mark(at, 2, Self::COMMENT, &mut block_of),
                b'/' if matches!(next, Some(b'h' | b'U')) => mark(at, 2, Self::HOME, &mut block_of),
                b'[' => {
                    if next == Some(b'T') {
                        mark(at, 2, Self::TODO, &mut block_of);
                    }
                    if block_of.at(at).is_some_and(|b| starts_line(bytes, blocks[b].start, at)) {
                        mark(at, 1, Self::BRACKET_LINE, &mut block_of);
                    }
                }
                0xD8.. if hidden::starts_candidate(text, at) => mark(at, 1, Self::HIDDEN, &mut block_of),
                _ => {}
            }
        }
        found
    }

    /// Whether the text holds a candidate of `kind` (one of the constants).
    pub fn has(self, kind: u8) -> bool {
        self.0 & kind != 0
    }
}

/// Whether the byte at `at` starts its line after at most three spaces,
/// as a link reference definition does; `start` (a line start) is as far
/// back as the line is looked at.
fn starts_line(text: &[u8], start: usize, at: usize) -> bool {
    let spaces = text[start..at].iter().rev().take(4).take_while(|&&b| b == b' ').count();
    spaces <= 3 && (at - spaces == start || text[at - spaces - 1] == b'\n')
}

/// The block holding a byte, asked in text order (so the answer only moves
/// forward).
struct BlockOf<'b> {
    blocks: &'b [TextRange],
    next: usize,
}

impl BlockOf<'_> {
    fn at(&mut self, at: usize) -> Option<usize> {
        let blocks = self.blocks;
        while self.next < blocks.len() && blocks[self.next].end <= at {
            self.next += 1;
        }
        (self.next < blocks.len() && blocks[self.next].start <= at).then_some(self.next)
    }
}

/// The places of the bytes a kind of candidate starts with, or is told
/// by ([`is_notable`]: `{`, `\\`, `<`, `/`, `[`, and the bytes from `D8`
/// that hidden characters start with), in order.
struct Notable<'t> {
    bytes: &'t [u8],
    /// Whether the processor has AVX2 ([`notable_mask`]).
    avx2: bool,
    /// Where the block of [`notable_mask`] last asked starts.
    base: usize,
    /// Its notable bytes not yet given, bit `i` for `bytes[base + i]`.
    mask: u64,
    /// Where the next block starts.
    next: usize,
}

impl<'t> Notable<'t> {
    fn new(bytes: &'t [u8]) -> Notable<'t> {
        Notable {
            bytes,
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            avx2: false,
            base: 0,
            mask: 0,
            next: 0,
        }
    }
}

impl Iterator for Notable<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            let rest = self.bytes.get(self.next..).filter(|rest| !rest.is_empty())?;
            self.base = self.next;
            self.mask = notable_mask(&rest[..rest.len().min(64)], self.avx2);
            self.next += 64;
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// Whether `b` starts or tells a kind of candidate (see [`Notable`]).
fn is_notable(b: u8) -> bool {
    matches!(b, b'{' | b'\\' | b'<' | b'/' | b'[' | 0xD8..)
}

/// Bit `i` set when `block[i]` (at most 64 bytes) [`is_notable`]. On
/// x86_64 a whole block is told 32 bytes to a comparison with AVX2
/// ([`notable_mask_avx2`]), else 16 with SSE2 (a byte is from `D8` when
/// it is the unsigned maximum of itself and `D8`), and most blocks hold
/// none, told by one test; [`notable_mask_bytewise`] is the general
/// reading, for the tail and the tests.
#[inline(always)]
fn notable_mask(block: &[u8], avx2: bool) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if let Ok(block) = <&[u8; 64]>::try_from(block) {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_max_epu8, _mm_or_si128, _mm_set1_epi8};
        if avx2 {
            // SAFETY: `avx2` says the processor has AVX2.
            return unsafe { notable_mask_avx2(block) };
        }
        // SAFETY: SSE2 is part of x86_64's baseline.
        return super::block_mask_sse2(block, |x| unsafe {
            let is = |b: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8));
            let high = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0xD8u8 as i8)), x);
            _mm_or_si128(
                _mm_or_si128(_mm_or_si128(is(b'{'), is(b'\\')), _mm_or_si128(is(b'<'), is(b'/'))),
                _mm_or_si128(is(b'['), high),
            )
        });
    }
    notable_mask_bytewise(block)
}

/// [`notable_mask`] of a block of 64 bytes, 32 bytes to a comparison.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn notable_mask_avx2(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{__m256i, _mm256_loadu_si256, _mm256_movemask_epi8};
    let a = notable_avx2(_mm256_loadu_si256(block.as_ptr().cast::<__m256i>()));
    let b = notable_avx2(_mm256_loadu_si256(block.as_ptr().add(32).cast::<__m256i>()));
    u64::from(_mm256_movemask_epi8(a) as u32) | u64::from(_mm256_movemask_epi8(b) as u32) << 32
}

/// Each byte of `x` all ones when it [`is_notable`], else zero.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn notable_avx2(x: std::arch::x86_64::__m256i) -> std::arch::x86_64::__m256i {
    use std::arch::x86_64::{_mm256_cmpeq_epi8, _mm256_max_epu8, _mm256_or_si256, _mm256_set1_epi8};
    let is = |b: u8| _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b as i8));
    let high = _mm256_cmpeq_epi8(_mm256_max_epu8(x, _mm256_set1_epi8(0xD8u8 as i8)), x);
    _mm256_or_si256(
        _mm256_or_si256(
            _mm256_or_si256(is(b'{'), is(b'\\')),
            _mm256_or_si256(is(b'<'), is(b'/')),
        ),
        _mm256_or_si256(is(b'['), high),
    )
}

fn notable_mask_bytewise(block: &[u8]) -> u64 {
    (block.iter().enumerate())
        .filter(|(_, &b)| is_notable(b))
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// What [`Candidates::of`] searches for, each with the kind it tells.
/// No pattern's second byte starts one, so the search, which does not
/// report overlapping matches, misses no start.
const KINDS: [(&[u8], u8); 12] = [
    (b"/h", Candidates::HOME),
    (b"/U", Candidates::HOME),
    (b":\\", Candidates::HOME),
    (b"<!", Candidates::COMMENT),
    (b"[T", Candidates::TODO),
    (b"{", Candidates::BRACE),
    (b"\xD8", Candidates::HIDDEN),
    (b"\xE1", Candidates::HIDDEN),
    (b"\xE2", Candidates::HIDDEN),
    (b"\xE3", Candidates::HIDDEN),
    (b"\xEF", Candidates::HIDDEN),
    (b"\xF3", Candidates::HIDDEN),
];

/// [`KINDS`] as one searcher.
static PATTERNS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(KINDS.iter().map(|(p, _)| p))
        .expect("a handful of short literal patterns")
});

/// Builds [`PATTERNS`] now, on the calling thread
/// ([`crate::analysis::prewarm`]).
pub(crate) fn prewarm() {
    LazyLock::force(&PATTERNS);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The first form of [`Candidates::of`]: every byte looked at.
    fn of_every_byte(str_text: &str) -> Candidates {
        let text = str_text.as_bytes();
        let mut found = bracket_line_at(text, 0);
        for (i, &b) in text.iter().enumerate() {
            let next = text.get(i + 1).copied();
            found |= match (b, next) {
                (b'/', Some(b'h' | b'U')) | (b':', Some(b'\\')) => Candidates::HOME,
                (b'<', Some(b'!')) => Candidates::COMMENT,
                (b'[', Some(b'T')) => Candidates::TODO,
                (b'{', _) => Candidates::BRACE,
                (b'\n', _) => bracket_line_at(text, i + 1),
                (0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF3, _) if hidden::starts_candidate(str_text, i) => {
                    Candidates::HIDDEN
                }
                _ => 0,
            };
        }
        Candidates(found)
    }

    /// [`Candidates::BRACKET_LINE`] when the line at `at` starts with `[`
    /// after at most three spaces.
    fn bracket_line_at(text: &[u8], at: usize) -> u8 {
        let line = &text[at.min(text.len())..];
        let spaces = line.iter().take(4).take_while(|&&b| b == b' ').count();
        if spaces <= 3 && line.get(spaces) == Some(&b'[') {
            Candidates::BRACKET_LINE
        } else {
            0
        }
    }

    proptest! {
        #[test]
        fn the_search_finds_what_looking_at_every_byte_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("/"), Just("h"), Just("U"), Just(":"), Just("\\"), Just("<"), Just("!"), Just("["),
                    Just("T"), Just("{"), Just("\n"), Just(" "), Just("  "), Just("x"), Just("\u{200B}"),
                    Just("é"), Just("\u{E0041}"), Just("\u{061C}"), Just("\u{1160}"), Just("\u{FEFF}"), Just("—"),
                    Just("\u{2022}"), Just("\u{1100}"), Just("\u{FF01}"),
                ],
                0..40,
            ),
        ) {
            let text = parts.concat();
            prop_assert_eq!(Candidates::of(&text), of_every_byte(&text));
        }
    }

    fn each_block_alone(text: &str, blocks: &[TextRange]) -> Vec<Candidates> {
        blocks.iter().map(|b| Candidates::of(&text[b.start..b.end])).collect()
    }

    proptest! {
        /// One search over the whole text tells of each block what a search
        /// of the block alone tells.
        #[test]
        fn one_search_tells_each_block_what_its_own_search_tells(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("/"), Just("h"), Just("U"), Just(":"), Just("\\"), Just("<"), Just("!"), Just("["),
                    Just("T"), Just("{"), Just("\n"), Just("\n"), Just(" "), Just("  "), Just("x"), Just("\u{200B}"),
                    Just("é"), Just("\u{FEFF}"), Just("\r\n"), Just("—"), Just("\u{202E}"),
                ],
                0..60,
            ),
            cuts in proptest::collection::vec(any::<bool>(), 1..8),
        ) {
            let text = parts.concat();
            let blocks = crate::testing::cut_at_lines(&text, &cuts);
            prop_assert_eq!(Candidates::of_blocks(&text, &blocks), each_block_alone(&text, &blocks));
        }
    }

    /// The same on the blocks of every Markdown file of the corpus, as parsed.
    #[test]
    fn one_search_tells_the_corpus_blocks_what_their_own_searches_tell() {
        for (path, doc) in crate::testing::corpus::markdown_docs().unwrap_or_default() {
            assert_eq!(
                Candidates::of_blocks(&doc.text, &doc.blocks),
                each_block_alone(&doc.text, &doc.blocks),
                "{}",
                path.display()
            );
        }
    }

    proptest! {
        /// The vector test marks the bytes the byte test marks.
        #[test]
        fn the_block_mask_marks_the_notable_bytes(block in proptest::collection::vec(prop_oneof![
            Just(b'{'), Just(b'\\'), Just(b'<'), Just(b'/'), Just(b'['), Just(0xD7u8), Just(0xD8), Just(0xFF),
            Just(b'a'), Just(b' '), any::<u8>(),
        ], 64)) {
            prop_assert_eq!(notable_mask(&block, false), notable_mask_bytewise(&block));
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                prop_assert_eq!(notable_mask(&block, true), notable_mask_bytewise(&block));
            }
        }
    }

    #[test]
    fn finds_each_kind_and_nothing_in_plain_prose() {
        let of = |t: &str| Candidates::of(t);
        assert_eq!(of("Plain prose, with a link.\n"), Candidates(0));
        assert!(of("see /home/ada/x").has(Candidates::HOME));
        assert!(of("C:\\Users\\ada").has(Candidates::HOME));
        assert!(of("a <!-- b -->").has(Candidates::COMMENT));
        assert!(of("x\n   [a]: b").has(Candidates::BRACKET_LINE));
        assert!(!of("x\n    [a]: b").has(Candidates::BRACKET_LINE));
        assert!(of("[a]: b").has(Candidates::BRACKET_LINE));
        assert!(of("[TODO x]").has(Candidates::TODO));
        assert!(of("{Core Action Name}").has(Candidates::BRACE));
        assert!(of("a\u{200B}b").has(Candidates::HIDDEN));
        assert!(!of("café").has(Candidates::HIDDEN));
        // Dashes, bullets and ellipses start as hidden characters do, and are none.
        assert!(!of("a \u{2014} b \u{2022} c\u{2026}").has(Candidates::HIDDEN));
    }
}
