//! One pass over a piece of text that tells which of the content scans can
//! find anything in it, so that each scan reads only the blocks holding what
//! it looks for instead of every block: most blocks of a skill hold no home
//! folder, no HTML comment, no reference definition and no placeholder.
//! (Secrets are not among them: the letters they start with are common, and
//! their scan passes over words as fast as this pass would.)
//!
//! Each kind is a necessary condition only: a block that has it may still
//! hold nothing (the scan decides), a block that lacks it holds nothing.

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
    /// A leading byte a hidden character's encoding starts with
    /// ([`super::hidden`]: `D8`, `E1`, `E2`, `E3`, `EF`, `F3`).
    pub const HIDDEN: u8 = 1 << 5;

    /// What `text` holds; `text` starts a line.
    pub fn of(text: &[u8]) -> Candidates {
        let mut found = bracket_line_at(text, 0);
        for (i, &b) in text.iter().enumerate() {
            if !INTERESTING[b as usize] {
                continue;
            }
            let next = text.get(i + 1).copied();
            found |= match (b, next) {
                (b'/', Some(b'h' | b'U')) | (b':', Some(b'\\')) => Self::HOME,
                (b'<', Some(b'!')) => Self::COMMENT,
                (b'[', Some(b'T')) => Self::TODO,
                (b'{', _) => Self::BRACE,
                (b'\n', _) => bracket_line_at(text, i + 1),
                (0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF3, _) => Self::HIDDEN,
                _ => 0,
            };
        }
        Candidates(found)
    }

    /// Whether the text holds a candidate of `kind` (one of the constants).
    pub fn has(self, kind: u8) -> bool {
        self.0 & kind != 0
    }
}

/// [`Candidates::BRACKET_LINE`] when the line at `at` starts with `[` after
/// at most three spaces.
fn bracket_line_at(text: &[u8], at: usize) -> u8 {
    let line = &text[at.min(text.len())..];
    let spaces = line.iter().take(4).take_while(|&&b| b == b' ').count();
    if spaces <= 3 && line.get(spaces) == Some(&b'[') {
        Candidates::BRACKET_LINE
    } else {
        0
    }
}

/// The bytes [`Candidates::of`] looks at: the first byte of every pair it
/// tests, and the line break.
static INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"/:<[{\n\xD8\xE1\xE2\xE3\xEF\xF3";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_kind_and_nothing_in_plain_prose() {
        let of = |t: &str| Candidates::of(t.as_bytes());
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
    }
}
