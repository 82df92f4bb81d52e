//! Property tests of the document store: random sequences of incremental
//! edits, in every position encoding the server speaks (UTF-8, UTF-16 and
//! UTF-32), applied to the store and to a plain `String` through an
//! independent reference conversion; the two texts must stay equal after
//! every notification.
//!
//! Positions are drawn mostly inside the text and sometimes far outside it,
//! ranges sometimes reversed, so the clamping rules of `position.rs` are
//! exercised as much as ordinary typing. `PROPTEST_CASES=N` raises the number
//! of sequences (see `docs/reliability.md`).

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use super::documents::DocumentStore;
use super::position::PositionEncoding;

/// `PROPTEST_CASES` when set, else `default` (small enough for CI in debug).
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The units a column counts in `enc`.
fn width(c: char, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => c.len_utf8(),
        PositionEncoding::Utf16 => c.len_utf16(),
        PositionEncoding::Utf32 => 1,
    }
}

/// Reference: `(start, content_end)` byte offsets of each line, lines ending
/// at `\n`, `\r\n` or a lone `\r`, as the protocol counts them.
fn reference_lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                lines.push((start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push((start, text.len()));
    lines
}

/// Reference: the byte offset of a position, clamped as `position.rs`
/// documents (past the last line: the end; past the line's end: the line's
/// end; inside a character: its start).
fn reference_offset(text: &str, pos: Position, enc: PositionEncoding) -> usize {
    let lines = reference_lines(text);
    let Some(&(start, end)) = lines.get(pos.line as usize) else {
        return text.len();
    };
    let want = pos.character as usize;
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units + width(c, enc) > want {
            return start + i;
        }
        units += width(c, enc);
    }
    end
}

/// Reference: applies one change to a `String`.
fn reference_apply(text: &mut String, change: &TextDocumentContentChangeEvent, enc: PositionEncoding) {
    let Some(range) = change.range else {
        *text = change.text.clone();
        return;
    };
    let start = reference_offset(text, range.start, enc);
    let end = reference_offset(text, range.end, enc).max(start);
    text.replace_range(start..end, &change.text);
}

/// A position mostly near the text (a few lines, a few dozen columns),
/// sometimes far past it.
fn position() -> impl Strategy<Value = Position> {
    let line = prop_oneof![8 => 0..10u32, 1 => any::<u32>()];
    let col = prop_oneof![8 => 0..30u32, 1 => any::<u32>()];
    (line, col).prop_map(|(line, character)| Position { line, character })
}

/// Inserted text: line endings of all kinds, characters of every width.
fn inserted() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(&["a", "b", " ", "\n", "\r\n", "\r", "é", "中", "😀", "\u{feff}", "---\n"][..])
            .prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

fn change() -> impl Strategy<Value = TextDocumentContentChangeEvent> {
    prop_oneof![
        20 => (position(), position(), inserted()).prop_map(|(start, end, text)| TextDocumentContentChangeEvent {
            range: Some(Range { start, end }),
            range_length: None,
            text,
        }),
        1 => inserted().prop_map(|text| TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text,
        }),
    ]
}

/// One `didChange`: one or more changes, applied in order.
fn notification() -> impl Strategy<Value = Vec<TextDocumentContentChangeEvent>> {
    proptest::collection::vec(change(), 1..4)
}

const INITIAL: &str = "---\r\nname: démo\nversion: \"1.0.0\"\r---\n# Tïtle 😀\n\n中文 text\r\nend";

fn run_sequence(enc: PositionEncoding, notifications: &[Vec<TextDocumentContentChangeEvent>]) {
    let uri: Uri = "file:///ws/skills/demo/SKILL.md".parse().unwrap();
    let store = DocumentStore::default();
    let first = store.open(uri.clone(), "markdown", 1, INITIAL);
    let mut reference = INITIAL.to_string();
    for (i, changes) in notifications.iter().enumerate() {
        let version = i as i32 + 2;
        let snap = store.change(&uri, version, changes, enc).expect("the document is open");
        for change in changes {
            reference_apply(&mut reference, change, enc);
        }
        assert_eq!(
            &*snap.text(),
            reference.as_str(),
            "{enc:?} after notification {i}: {changes:?}"
        );
        assert_eq!(snap.version, version);
        // The line index, updated edit by edit, is the index of the text.
        assert_eq!(**snap.lines.index(), skill_core::LineIndex::new(&reference));
    }
    // Snapshots are values: the first is unchanged by everything after it.
    assert_eq!(&*first.text(), INITIAL);
    assert_eq!(&*store.get(&uri).unwrap().text(), reference.as_str());
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn incremental_edits_match_a_reference_string_in_utf16(
        notifications in proptest::collection::vec(notification(), 1..24)
    ) {
        run_sequence(PositionEncoding::Utf16, &notifications);
    }

    #[test]
    fn incremental_edits_match_a_reference_string_in_utf32(
        notifications in proptest::collection::vec(notification(), 1..24)
    ) {
        run_sequence(PositionEncoding::Utf32, &notifications);
    }

    #[test]
    fn incremental_edits_match_a_reference_string_in_utf8(
        notifications in proptest::collection::vec(notification(), 1..24)
    ) {
        run_sequence(PositionEncoding::Utf8, &notifications);
    }
}

#[test]
fn reference_lines_follow_the_protocol() {
    assert_eq!(reference_lines("a\r\nb\rc\nd"), [(0, 1), (3, 4), (5, 6), (7, 8)]);
    assert_eq!(reference_lines(""), [(0, 0)]);
    let p = |line, character| Position { line, character };
    assert_eq!(reference_offset("a😀b\r\n", p(0, 2), PositionEncoding::Utf16), 1);
    assert_eq!(reference_offset("a😀b\r\n", p(0, 99), PositionEncoding::Utf16), 6);
    assert_eq!(reference_offset("a😀b\r\n", p(7, 0), PositionEncoding::Utf8), 8);
    assert_eq!(reference_offset("a😀b\r\n", p(0, 2), PositionEncoding::Utf32), 5);
}
