//! Open documents: each a lines with its version, edited in place and handed
//! out as immutable snapshots (a lines clone shares its nodes, so a snapshot
//! costs O(1) to take).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::position::Lines;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{self, PositionEncoding};

/// One version of one open document, as a value.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub uri: Uri,
    /// The client's version of this text.
    pub version: i32,
    /// Server-wide counter: a later edit of any document has a larger one.
    /// Unlike `version`, it never repeats when a document is closed and reopened.
    pub revision: u64,
    pub language_id: Arc<str>,
    pub lines: Lines,
}

impl Snapshot {
    /// The whole text, as the core wants it.
    pub fn text(&self) -> Arc<str> {
        self.lines.text().clone()
    }

    /// The file behind the document, for `file:` URIs.
    pub fn path(&self) -> Option<PathBuf> {
        file_path(&self.uri)
    }
}

/// The path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

#[derive(Debug)]
struct Document {
    lines: Lines,
    version: i32,
    revision: u64,
    language_id: Arc<str>,
}

/// The open documents. The lock is held only to edit or clone a lines, never
/// across an `.await`.
#[derive(Debug, Default)]
pub struct DocumentStore {
    docs: Mutex<HashMap<Uri, Document>>,
    revisions: AtomicU64,
}

impl DocumentStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic while holding the lock leaves the map consistent (every
        // edit is applied to a lines in one statement), so keep going.
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn next_revision(&self) -> u64 {
        self.revisions.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// `textDocument/didOpen`; reopening replaces the text.
    pub fn open(&self, uri: Uri, language_id: &str, version: i32, text: &str) -> Snapshot {
        let doc = Document {
            lines: Lines::new(text),
            version,
            revision: self.next_revision(),
            language_id: language_id.into(),
        };
        let snap = snapshot(&uri, &doc);
        self.lock().insert(uri, doc);
        snap
    }

    /// `textDocument/didChange`: applies the changes in order. `None` when
    /// the document is not open (the client broke the protocol; nothing to do).
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) -> Option<Snapshot> {
        let revision = self.next_revision();
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        for change in changes {
            apply(&mut doc.lines, change, enc);
        }
        doc.version = version;
        doc.revision = revision;
        Some(snapshot(uri, doc))
    }

    /// `textDocument/didClose`: whether it was open.
    pub fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub fn get(&self, uri: &Uri) -> Option<Snapshot> {
        self.lock().get(uri).map(|doc| snapshot(uri, doc))
    }

    /// Every open document.
    pub fn all(&self) -> Vec<Snapshot> {
        self.lock().iter().map(|(uri, doc)| snapshot(uri, doc)).collect()
    }

    /// The current revision of a document, `None` when it is not open.
    pub fn revision(&self, uri: &Uri) -> Option<u64> {
        self.lock().get(uri).map(|doc| doc.revision)
    }
}

fn snapshot(uri: &Uri, doc: &Document) -> Snapshot {
    Snapshot {
        uri: uri.clone(),
        version: doc.version,
        revision: doc.revision,
        language_id: doc.language_id.clone(),
        lines: doc.lines.clone(),
    }
}

/// Applies one change event: a range replacement, or the whole text when it
/// has no range.
pub fn apply(lines: &mut Lines, change: &TextDocumentContentChangeEvent, enc: PositionEncoding) {
    let Some(range) = change.range else {
        *lines = Lines::new(change.text.as_str());
        return;
    };
    let bytes = position::text_range(lines, range, enc);
    let old = lines.text();
    let text = joined([&old[..bytes.start], &change.text, &old[bytes.end..]]);
    *lines = lines.edited(text, bytes, change.text.len());
}

/// `parts` one after the other, in one shared string, written once. Going
/// through a `String` would copy a large document twice per keystroke
/// (`Arc<str>::from(String)` copies), each copy into fresh pages the
/// kernel must clear first.
fn joined(parts: [&str; 3]) -> Arc<str> {
    let len = parts.iter().map(|p| p.len()).sum();
    let mut buf = Arc::<[u8]>::new_uninit_slice(len);
    let Some(dst) = Arc::get_mut(&mut buf) else {
        // Never: the buffer was just made and is not shared.
        return Arc::from(parts.concat());
    };
    let mut at = 0;
    for part in parts {
        // SAFETY: `at + part.len() <= len`, the length of `dst`; `part`
        // cannot overlap a buffer allocated just now.
        unsafe { std::ptr::copy_nonoverlapping(part.as_ptr(), dst[at..].as_mut_ptr().cast::<u8>(), part.len()) };
        at += part.len();
    }
    // SAFETY: the copies above wrote all `len` bytes; they are three `str`s
    // one after the other, so valid UTF-8, and `str` has the layout of `[u8]`.
    unsafe { Arc::from_raw(Arc::into_raw(buf.assume_init()) as *const str) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    fn uri() -> Uri {
        "file:///ws/skills/demo/SKILL.md".parse().unwrap()
    }

    #[test]
    fn changes_apply_in_order_within_one_notification() {
        let store = DocumentStore::default();
        store.open(uri(), "markdown", 1, "ab\r\ncd\n");
        // Each change's range refers to the text after the previous one.
        let changes = [edit(0, 1, 0, 1, "X"), edit(0, 0, 0, 2, ""), edit(1, 0, 1, 2, "中😀")];
        let snap = store.change(&uri(), 2, &changes, PositionEncoding::Utf16).unwrap();
        assert_eq!(&*snap.text(), "b\r\n中😀\n");
        assert_eq!(snap.version, 2);
        // Insert after the emoji: column 3 in UTF-16, 7 in UTF-8.
        let snap = store
            .change(&uri(), 3, &[edit(1, 3, 1, 3, "!")], PositionEncoding::Utf16)
            .unwrap();
        assert_eq!(&*snap.text(), "b\r\n中😀!\n");
        let snap = store
            .change(&uri(), 4, &[edit(1, 7, 1, 8, "?")], PositionEncoding::Utf8)
            .unwrap();
        assert_eq!(&*snap.text(), "b\r\n中😀?\n");
    }

    #[test]
    fn a_change_without_range_replaces_everything() {
        let store = DocumentStore::default();
        let first = store.open(uri(), "markdown", 1, "old");
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new\n".into(),
        };
        let snap = store.change(&uri(), 2, &[full], PositionEncoding::Utf16).unwrap();
        assert_eq!(&*snap.text(), "new\n");
        assert!(snap.revision > first.revision);
        // The old snapshot is unaffected.
        assert_eq!(&*first.text(), "old");
    }

    #[test]
    fn edits_out_of_range_clamp_and_unknown_documents_are_ignored() {
        let store = DocumentStore::default();
        store.open(uri(), "markdown", 1, "a😀b");
        let snap = store
            .change(&uri(), 2, &[edit(0, 2, 9, 9, "!")], PositionEncoding::Utf16)
            .unwrap();
        assert_eq!(&*snap.text(), "a!");
        let other: Uri = "file:///elsewhere/SKILL.md".parse().unwrap();
        assert!(store
            .change(&other, 1, &[edit(0, 0, 0, 0, "x")], PositionEncoding::Utf16)
            .is_none());
        assert!(store.close(&uri()));
        assert!(store.get(&uri()).is_none());
    }
}
