//! Where a skill says how many steps its workflow has: "the 6-step workflow",
//! "8-step mandatory workflow", "Execute ALL 6 steps", a heading such as
//! `### Mandatory Workflow (8 Steps)`. The skill's own word on its length
//! counts for more than the project default: SK102 and SK104 measure against
//! it, and SK124 checks that the workflow keeps it.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock, Weak};

use crate::model::SkillDoc;
use crate::text::TextRange;

/// A stated step count and where the number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Promise {
    pub count: u32,
    pub range: TextRange,
}

const WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

/// For each letter (`a` first), the words of [`WORDS`] that end with it:
/// bit `i` for `WORDS[i]`.
const WORDS_ENDING_WITH: [u16; 26] = {
    let mut table = [0; 26];
    let mut i = 0;
    while i < WORDS.len() {
        let word = WORDS[i].as_bytes();
        table[(word[word.len() - 1] - b'a') as usize] |= 1 << i;
        i += 1;
    }
    table
};

/// Every statement of the workflow's step count in prose and headings,
/// outside code and outside the Version History (which tells of earlier
/// versions, not this one).
///
/// Nine rules ask for it on every check, and finding the statements scans
/// the whole body, so the answer for the last document seen on this thread
/// is kept (see [`TextMemo`]).
pub(crate) fn promises(doc: &SkillDoc) -> Vec<Promise> {
    with_promises(doc, <[Promise]>::to_vec)
}

/// `f` of [`promises`], lent from the memo rather than copied out of it
/// (most rules ask only for the count). `f` must not ask for promises.
fn with_promises<R>(doc: &SkillDoc, f: impl FnOnce(&[Promise]) -> R) -> R {
    thread_local! {
        static LAST: RefCell<TextMemo<Vec<Promise>>> = const { RefCell::new(TextMemo::new()) };
    }
    LAST.with(|memo| f(memo.borrow_mut().get_ref_or(&doc.text, || scan(doc))))
}

/// A value derived from one text, remembered until asked about another.
///
/// The text is recognised by its allocation: the memo holds a [`Weak`] to
/// it, which keeps the allocation (not a copy) from being freed and reused,
/// so a live `Arc` at the same address is the same, immutable, text. Holds
/// at most one text's allocation per thread.
pub(crate) struct TextMemo<T> {
    text: Option<Weak<str>>,
    value: Option<T>,
}

impl<T: Clone> TextMemo<T> {
    pub(crate) const fn new() -> TextMemo<T> {
        TextMemo {
            text: None,
            value: None,
        }
    }

    /// The value for `text`, computed by `derive` unless it is the text of the last call.
    /// `derive` must depend on nothing but the text.
    pub(crate) fn get_or(&mut self, text: &Arc<str>, derive: impl FnOnce() -> T) -> T {
        self.get_ref_or(text, derive).clone()
    }

    /// [`TextMemo::get_or`], lent rather than copied.
    pub(crate) fn get_ref_or(&mut self, text: &Arc<str>, derive: impl FnOnce() -> T) -> &T {
        let same = self
            .text
            .as_ref()
            .is_some_and(|w| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(text)));
        if !same {
            self.text = Some(Arc::downgrade(text));
            self.value = None;
        }
        self.value.get_or_insert_with(derive)
    }
}

/// [`promises`], found afresh. Reads the text as it is: every comparison
/// is blind to ASCII case (a lower-cased copy of a 1 MB body cost more than
/// the search; `tests::reading_the_text_as_it_is_finds_what_the_lower_cased_copy_finds`
/// keeps that copy's reading as the oracle).
fn scan(doc: &SkillDoc) -> Vec<Promise> {
    let text = &doc.text;
    let start = doc.md.body_start.min(text.len());
    let body = &text[start..];
    let bytes = body.as_bytes();
    let history = doc.history.as_ref().map(|h| doc.md.section(h.heading, text.len()));
    let in_code = |at: usize| doc.md.in_code(at);
    let mut out = Vec::new();
    // `at` is where `step` starts, relative to `start`.
    // One searcher for every scan: building it cost more than a line's search.
    static STEP: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let step = STEP.get_or_init(|| memchr::memmem::Finder::new(b"step"));
    for at in find_ignoring_ascii_case(bytes, step) {
        let Some((count, num_start)) = number_before(body, at) else {
            continue;
        };
        let abs = start + num_start;
        if in_code(abs) || history.is_some_and(|h| h.contains(abs)) {
            continue;
        }
        let after = &body[at + 4..];
        let hyphenated = body[..at].ends_with('-');
        let plural = after.as_bytes().first().is_some_and(|b| b.eq_ignore_ascii_case(&b's'));
        let promise = if hyphenated {
            // "6-step workflow", "8-step mandatory workflow": the noun follows closely.
            let window = after.char_indices().nth(30).map_or(after, |(i, _)| &after[..i]);
            after.starts_with([' ', '*'])
                && window
                    .as_bytes()
                    .windows(8)
                    .any(|w| w.eq_ignore_ascii_case(b"workflow"))
        } else {
            // "ALL 6 steps", "(8 Steps)", "the 6 mandatory steps".
            let before = body[..num_start].trim_end();
            plural
                && !after[1..].starts_with(|c: char| c.is_alphanumeric())
                && (ends_with_ignoring_ascii_case(before, "all")
                    || before.ends_with('(')
                    || ends_with_ignoring_ascii_case(before, "the")
                    || ends_with_ignoring_ascii_case(before, "these"))
        };
        if promise {
            let end = start + at + 4 + usize::from(plural && !hyphenated);
            out.push(Promise {
                count,
                range: TextRange::new(abs, end),
            });
        }
    }
    out
}

/// Where the needle of `finder` (lower-case ASCII letters) starts in `haystack`, in any
/// ASCII case, in order. Each piece of the haystack is folded into one
/// piece-sized buffer and searched there (memchr's vectorised search): no
/// copy of the whole haystack, and a search as fast as on lower-case text.
/// The buffer holds only what was copied (a zeroed array on the stack cost
/// a write of its every byte per call, most skills being shorter).
///
/// Folded, not lower-cased: with bit 5 set, a byte equals a lower-case
/// letter exactly when it was that letter in either case (other bytes
/// change too, but into no letter), and an OR of every byte is one vector
/// instruction for 16 bytes, where `to_ascii_lowercase` took a comparison
/// and a select per byte.
fn find_ignoring_ascii_case(haystack: &[u8], finder: &memchr::memmem::Finder) -> Vec<usize> {
    const PIECE: usize = 4096;
    const MAX_NEEDLE: usize = 16;
    let needle = finder.needle();
    debug_assert!((1..=MAX_NEEDLE).contains(&needle.len()));
    debug_assert!(needle.iter().all(u8::is_ascii_lowercase));
    let mut buf = Vec::with_capacity(haystack.len().min(PIECE + MAX_NEEDLE));
    let mut out = Vec::new();
    for from in (0..haystack.len()).step_by(PIECE) {
        // The piece and the needle's length less one after it, so a match
        // starting in the piece is found whole; one starting after it is
        // the next piece's.
        let to = (from + PIECE + needle.len() - 1).min(haystack.len());
        buf.clear();
        buf.extend(haystack[from..to].iter().map(|b| b | 0x20));
        out.extend(finder.find_iter(&buf).filter(|&i| i < PIECE).map(|i| from + i));
    }
    out
}

/// Whether `text` ends with `suffix` (ASCII) in any ASCII case.
fn ends_with_ignoring_ascii_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len() && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// `text` without `suffix` (ASCII) at its end, in any ASCII case.
fn strip_suffix_ignoring_ascii_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    // An ASCII suffix starts a character, so the cut is a character boundary.
    ends_with_ignoring_ascii_case(text, suffix).then(|| &text[..text.len() - suffix.len()])
}

/// The count written just before `step` at `at` (`6-`, `6 `, `six-`, `6 mandatory `),
/// with where it starts.
fn number_before(text: &str, at: usize) -> Option<(u32, usize)> {
    let head = &text[..at];
    let head = head.strip_suffix('-').or_else(|| head.strip_suffix(' '))?;
    let head = strip_suffix_ignoring_ascii_case(head, " mandatory")
        .unwrap_or(head)
        .trim_end_matches(' ');
    let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let num_start = head.len() - digits;
        let ok = head[..num_start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '.');
        return ok.then(|| Some((head[num_start..].parse().ok()?, num_start))).flatten();
    }
    // Most heads (`the`, `each`, `next`) end with no number word: only the
    // words that end with the head's last letter are compared, found in a
    // table by that letter.
    let last = head.as_bytes().last()?.to_ascii_lowercase();
    let mut ending = match last.checked_sub(b'a') {
        Some(letter) if letter < 26 => WORDS_ENDING_WITH[usize::from(letter)],
        _ => 0,
    };
    // The set bits, lowest first: the words in their order.
    let mut words = std::iter::from_fn(|| {
        let i = ending.trailing_zeros() as usize;
        ending &= ending.wrapping_sub(1);
        (i < WORDS.len()).then(|| (i, WORDS[i]))
    });
    words.find_map(|(i, w)| {
        let num_start = strip_suffix_ignoring_ascii_case(head, w)?.len();
        let boundary = head[..num_start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        boundary.then_some((i as u32 + 1, num_start))
    })
}

/// The step count the skill states, when every statement agrees.
pub(crate) fn stated_count(doc: &SkillDoc) -> Option<u32> {
    with_promises(doc, |all| {
        let first = all.first()?.count;
        all.iter().all(|p| p.count == first).then_some(first)
    })
}

/// The count the workflow is measured against: the skill's own statement,
/// else the configured count.
pub(crate) fn expected_count(doc: &SkillDoc, config: &crate::config::Config) -> u32 {
    stated_count(doc).unwrap_or(config.step_count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(body: &str) -> Vec<(u32, String)> {
        let text = format!("---\nname: x\n---\n{body}");
        let doc = SkillDoc::parse(text.as_str(), None);
        promises(&doc)
            .iter()
            .map(|p| (p.count, text[p.range.start..p.range.end].to_string()))
            .collect()
    }

    #[test]
    fn finds_stated_counts() {
        assert_eq!(
            counts("The 6-step workflow outlined here.\n"),
            [(6, "6-step".to_string())]
        );
        assert_eq!(counts("an 8-step mandatory workflow\n"), [(8, "8-step".to_string())]);
        assert_eq!(
            counts("## Mandatory Workflow (7 Steps)\n"),
            [(7, "7 Steps".to_string())]
        );
        assert_eq!(counts("Execute ALL 6 steps in order.\n"), [(6, "6 steps".to_string())]);
        assert_eq!(
            counts("Follow the five-step workflow.\n"),
            [(5, "five-step".to_string())]
        );
    }

    #[test]
    fn every_number_word_is_read_in_any_case() {
        for (i, word) in WORDS.iter().enumerate() {
            for word in [word.to_string(), word.to_ascii_uppercase()] {
                let stated = format!("{word}-step");
                assert_eq!(
                    counts(&format!("Follow the {stated} workflow.\n")),
                    [(i as u32 + 1, stated.clone())],
                    "{stated}"
                );
            }
        }
    }

    #[test]
    fn remembered_answers_follow_the_text() {
        let six = SkillDoc::parse("---\nname: x\n---\nThe 6-step workflow.\n", None);
        let eight = SkillDoc::parse("---\nname: x\n---\nThe 8-step workflow.\n", None);
        for _ in 0..2 {
            assert_eq!(stated_count(&six), Some(6));
            assert_eq!(stated_count(&eight), Some(8));
        }
        // A text freed and another parsed in its place is never mistaken for it.
        for n in 1..50u32 {
            let doc = SkillDoc::parse(format!("---\nname: x\n---\nThe {n}-step workflow.\n"), None);
            assert_eq!(stated_count(&doc), Some(n));
            assert_eq!(stated_count(&doc.clone()), Some(n));
        }
    }

    /// [`scan`] as it first read the text: a lower-cased copy of the body,
    /// searched and compared exactly.
    fn scan_lowercased(doc: &SkillDoc) -> Vec<Promise> {
        let text = &doc.text;
        let start = doc.md.body_start.min(text.len());
        let lower = text[start..].to_ascii_lowercase();
        let history = doc.history.as_ref().map(|h| doc.md.section(h.heading, text.len()));
        let mut out = Vec::new();
        for at in memchr::memmem::find_iter(lower.as_bytes(), b"step") {
            let Some((count, num_start)) = number_before(&lower, at) else {
                continue;
            };
            let abs = start + num_start;
            if doc.md.in_code(abs) || history.is_some_and(|h| h.contains(abs)) {
                continue;
            }
            let after = &lower[at + 4..];
            let hyphenated = lower[..at].ends_with('-');
            let promise = if hyphenated {
                let window: String = after.chars().take(30).collect();
                after.starts_with([' ', '*']) && window.contains("workflow")
            } else {
                let before = lower[..num_start].trim_end();
                after.starts_with('s')
                    && !after[1..].starts_with(|c: char| c.is_alphanumeric())
                    && (before.ends_with("all")
                        || before.ends_with('(')
                        || before.ends_with("the")
                        || before.ends_with("these"))
            };
            if promise {
                let end = start + at + 4 + usize::from(after.starts_with('s') && !hyphenated);
                out.push(Promise {
                    count,
                    range: TextRange::new(abs, end),
                });
            }
        }
        out
    }

    const PIECES: &[&str] = &[
        "6",
        "12",
        "1.",
        "six",
        "SIX",
        "Twelve",
        "-",
        " ",
        "  ",
        "step",
        "STEP",
        "StEp",
        "Steps",
        "s",
        "S",
        "x",
        "workflow",
        "WorkFlow",
        "WORKFLOW",
        " mandatory",
        " MANDATORY",
        "all",
        "ALL",
        "(",
        "the",
        "These",
        "*",
        "\n",
        "\n\n",
        "é",
        "Ⅻ",
        "ß",
        "`",
        "## Version History\n",
        "```\n",
        "# Heading\n",
        "- ",
    ];

    proptest::proptest! {
        /// The scan that reads the text as it is finds what searching a
        /// lower-cased copy found, on text built from what it looks for.
        #[test]
        fn reading_the_text_as_it_is_finds_what_the_lower_cased_copy_finds(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..60),
        ) {
            let text = format!("---\nname: x\n---\n{}", pieces.concat());
            let doc = SkillDoc::parse(text.as_str(), None);
            proptest::prop_assert_eq!(scan(&doc), scan_lowercased(&doc));
        }
    }

    proptest::proptest! {
        /// The search piece by piece finds what a search of the whole
        /// lower-cased text finds, matches across the pieces' seams too.
        #[test]
        fn searching_piece_by_piece_finds_what_searching_a_lower_cased_copy_finds(
            pieces in proptest::collection::vec(proptest::sample::select(&["x", "st", "STEP", "ep", "s", "é", "Step"][..]), 0..3000),
        ) {
            let text = pieces.concat();
            let lower = text.to_ascii_lowercase();
            let expected: Vec<usize> = memchr::memmem::find_iter(lower.as_bytes(), b"step").collect();
            proptest::prop_assert_eq!(find_ignoring_ascii_case(text.as_bytes(), &memchr::memmem::Finder::new(b"step")), expected);
        }
    }

    #[test]
    fn reading_the_corpus_as_it_is_finds_what_the_lower_cased_copy_finds() {
        for tree in ["forge", "forge-clean"] {
            for (_, path, text) in crate::testing::corpus(tree).0 {
                let doc = SkillDoc::parse(text.as_str(), Some(path));
                assert_eq!(scan(&doc), scan_lowercased(&doc));
            }
        }
    }

    #[test]
    fn ignores_other_mentions() {
        assert!(counts("Takes 3 steps to deploy. A 2-step verification.\n").is_empty());
        assert!(counts("`the 6-step workflow`\n").is_empty());
        assert!(counts("## Version History\n- v1.0.0 (2026-02-12): Mandatory 5-step workflow\n").is_empty());
    }
}
