//! Which ASCII letters a heading's text holds, found once per parse, so the
//! searches of the headings for what they name (`workflow`, `version
//! history`, `checklist`, each over every heading) pass over the headings
//! that lack a letter of the words without reading them again.

use crate::syntax::markdown::MdDoc;
use crate::text::lowercase_contains;

/// A set of ASCII letters, case blind: bit 0 `a` ... bit 25 `z`.
pub(crate) type Letters = u32;

/// Every letter: what a text with a byte outside ASCII holds, as far as
/// [`letters`] tells (its lower case may hold letters the text does not:
/// KELVIN SIGN lower-cases to `k`).
const ALL: Letters = (1 << 26) - 1;

/// The letters `text` holds in either case; [`ALL`] when it holds a byte
/// outside ASCII.
pub(crate) const fn letters(text: &str) -> Letters {
    let bytes = text.as_bytes();
    let mut set = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !b.is_ascii() {
            return ALL;
        }
        let letter = (b | 0x20).wrapping_sub(b'a');
        if letter < 26 {
            set |= 1 << letter;
        }
        i += 1;
    }
    set
}

/// The [`letters`] of each heading of `md`, in order.
pub(crate) fn of_headings(md: &MdDoc) -> Vec<Letters> {
    md.headings.iter().map(|h| letters(&h.text)).collect()
}

/// A word searched for in headings (ASCII lower case), with its [`letters`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word<'w> {
    pub text: &'w str,
    letters: Letters,
}

impl<'w> Word<'w> {
    pub(crate) const fn new(text: &'w str) -> Word<'w> {
        Word {
            text,
            letters: letters(text),
        }
    }

    /// `lowercase_contains(hay, self.text)`, where `hay_letters` are the
    /// [`letters`] of `hay`: a text missing a letter of the word is passed
    /// over unread (a letter of the lower-cased text is one of the text's
    /// in either case unless the text is outside ASCII).
    pub(crate) fn in_text(self, hay: &str, hay_letters: Letters) -> bool {
        self.letters & !hay_letters == 0 && lowercase_contains(hay, self.text)
    }
}

/// What a heading naming a checklist says: the checklist's heading, and
/// none of the workflow's.
pub(crate) const CHECKLIST: Word<'static> = Word::new("checklist");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_case_blind_and_non_ascii_holds_them_all() {
        assert_eq!(letters("aZ"), 1 | 1 << 25);
        assert_eq!(letters("Ab-1 "), 0b11);
        assert_eq!(letters(""), 0);
        assert_eq!(letters("\u{212a}"), ALL);
    }

    const PIECES: &[&str] = &[
        "work",
        "WORK",
        "flow",
        "Flow",
        "w",
        "k",
        "\u{212a}",
        "\u{130}",
        "i",
        "I",
        "version",
        " ",
        "history",
        "HISTORY",
        "checklist",
        "ß",
        "⚠️",
        "x",
        "mandatory",
        " steps",
        "Steps",
        "-",
    ];

    proptest::proptest! {
        /// The search that passes over texts missing a letter finds what
        /// the search of every text finds.
        #[test]
        fn passing_over_texts_missing_a_letter_finds_what_searching_all_finds(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..8),
            word in proptest::sample::select(&["workflow", "version history", "checklist", "mandatory steps", "k", "i"][..]),
        ) {
            let hay = pieces.concat();
            let word = Word::new(word);
            proptest::prop_assert_eq!(word.in_text(&hay, letters(&hay)), lowercase_contains(&hay, word.text));
        }
    }
}
