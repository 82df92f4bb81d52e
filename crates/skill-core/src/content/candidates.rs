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
    /// order, each starting a line: a few byte searches over the whole text
    /// instead of one multi-pattern search per block. Starting a search
    /// costs some hundreds of instructions and a block is a paragraph or a
    /// list, and on a whole text the vectorised `memchr` family passes over
    /// prose faster than the multi-pattern search; a check that reads only
    /// the blocks an edit touched asks [`Candidates::of`] of those instead.
    ///
    /// No pair can run from one block into the next: a block ends with a
    /// line break, which starts no pair (pairs that would are not counted
    /// anyway).
    pub fn of_blocks(text: &str, blocks: &[TextRange]) -> Vec<Candidates> {
        let (str_text, text) = (text, text.as_bytes());
        let mut found = vec![Candidates(0); blocks.len()];
        let mut mark = |at: usize, len: usize, kind: u8, block_of: &mut BlockOf| {
            let b = block_of.at(at).filter(|&b| at + len <= blocks[b].end)?;
            found[b].0 |= kind;
            Some(blocks[b].end)
        };
        // A byte that tells a kind alone: once a block has it, on to the next block.
        let mut block_of = BlockOf { blocks, next: 0 };
        let mut at = 0;
        while let Some(i) = memchr::memchr(b'{', &text[at..]) {
            at = mark(at + i, 1, Self::BRACE, &mut block_of).unwrap_or(at + i + 1);
        }
        for (b1, b2, b3) in [(0xD8, 0xE1, 0xE2), (0xE3, 0xEF, 0xF3)] {
            let mut block_of = BlockOf { blocks, next: 0 };
            let mut at = 0;
            while let Some(i) = memchr::memchr3(b1, b2, b3, &text[at..]) {
                let found =
                    hidden::starts_candidate(str_text, at + i).then(|| mark(at + i, 1, Self::HIDDEN, &mut block_of));
                at = found.flatten().unwrap_or(at + i + 1);
            }
        }
        // Pairs: by their rarer byte.
        let mut block_of = BlockOf { blocks, next: 0 };
        for at in memchr::memchr_iter(b'\\', text) {
            if at > 0 && text[at - 1] == b':' {
                mark(at - 1, 2, Self::HOME, &mut block_of);
            }
        }
        let mut block_of = BlockOf { blocks, next: 0 };
        for at in memchr::memchr_iter(b'<', text) {
            if text.get(at + 1) == Some(&b'!') {
                mark(at, 2, Self::COMMENT, &mut block_of);
            }
        }
        // `/h` and `/U` by their `/`: one byte search instead of a pair
        // search for each (a pair search costs more per byte than a byte
        // search, and `/`s are a few per line at most).
        let mut block_of = BlockOf { blocks, next: 0 };
        for at in memchr::memchr_iter(b'/', text) {
            if matches!(text.get(at + 1), Some(b'h' | b'U')) {
                mark(at, 2, Self::HOME, &mut block_of);
            }
        }
        let mut block_of = BlockOf { blocks, next: 0 };
        for at in memchr::memchr_iter(b'[', text) {
            if text.get(at + 1) == Some(&b'T') {
                mark(at, 2, Self::TODO, &mut block_of);
            }
            let Some(b) = block_of.at(at) else { continue };
            if starts_line(text, blocks[b].start, at) {
                mark(at, 1, Self::BRACKET_LINE, &mut block_of);
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
