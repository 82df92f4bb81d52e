//! Telling the user what indexing a skills root skipped: an interface
//! document over the size limit (its methods then come built in, and calls
//! of the others are unknown), a `skills/` folder over the entry limit
//! (skills missing from completion and navigation), and the like.
//!
//! A warning message (`window/showMessage`) for each skip the root's
//! previous index did not have: once when the root is first indexed, and
//! after a reload only for what is new, so saving an unrelated file never
//! repeats it. A skip that went away and came back is told again. The
//! skipped files are not skills, so they get no diagnostics of their own;
//! the findings they cause (SK201) say why in their message. A file a skill
//! links to, found too large to read its headings while checking, is told
//! of once per session. Everything is logged as well.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use skill_core::workspace::{Role, Skipped};
use skill_core::Workspace;
use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::Client;

/// At most this many skips of one indexing are shown one by one; the rest
/// are counted in one more message (and all are logged).
pub const MAX_SHOWN: usize = 3;

/// Where messages for the user go (the client's `window/showMessage`).
type Sink = Box<dyn Fn(String) + Send + Sync>;

/// A skip, as told: a file or folder and how it was skipped. The size is
/// left out, so a file that grows further is not told of again.
type Key = (PathBuf, &'static str);

#[derive(Default)]
pub struct IndexNotices {
    /// Root → the skips of its latest index.
    told: Mutex<HashMap<PathBuf, BTreeSet<Key>>>,
    /// Linked files told of as too large.
    linked: Mutex<HashSet<PathBuf>>,
    sink: OnceLock<Sink>,
}

impl std::fmt::Debug for IndexNotices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexNotices").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl IndexNotices {
    /// Sets where messages go; the first call wins. Until then skips are
    /// only logged.
    pub fn set_sink(&self, sink: impl Fn(String) + Send + Sync + 'static) {
        let _ = self.sink.set(Box::new(sink));
    }

    /// `root` was (re)indexed as `ws`: tells of each skip its previous
    /// index did not have. Blocking-thread safe; never waits on the client.
    pub fn indexed(&self, root: &Path, ws: &Workspace) {
        for message in self.new_messages(root, &ws.skipped_while_indexing) {
            self.tell(root, message);
        }
    }

    /// A check against `ws` finished: tells of linked files it found too
    /// large to read that were not told of yet. Cheap when there are none
    /// (one lock of the file cache's short list).
    pub fn checked(&self, ws: &Workspace) {
        let Some(root) = ws.root.as_deref() else { return };
        for (path, bytes) in ws.files.too_large() {
            if !lock(&self.linked).insert(path.clone()) {
                continue;
            }
            let skipped = Skipped::too_large(path, Role::Linked, bytes);
            self.tell(root, format!("skill-lsp: {}", skipped.message(Some(root))));
        }
    }

    fn tell(&self, root: &Path, message: String) {
        tracing::warn!(root = %root.display(), "{message}");
        if let Some(sink) = self.sink.get() {
            sink(message);
        }
    }

    /// The messages for the skips of `root` not in its previous index, and
    /// remembers `skipped` as its latest.
    fn new_messages(&self, root: &Path, skipped: &[Skipped]) -> Vec<String> {
        let keys: BTreeSet<Key> = skipped.iter().map(key).collect();
        let before = lock(&self.told).insert(root.to_path_buf(), keys).unwrap_or_default();
        let fresh: Vec<&Skipped> = skipped.iter().filter(|s| !before.contains(&key(s))).collect();
        let mut out: Vec<String> = fresh
            .iter()
            .take(MAX_SHOWN)
            .map(|s| format!("skill-lsp: {}", s.message(Some(root))))
            .collect();
        if fresh.len() > MAX_SHOWN {
            let rest = &fresh[MAX_SHOWN..];
            let names: Vec<String> = rest.iter().map(|s| s.display_path(Some(root))).collect();
            out.push(format!(
                "skill-lsp: {} more files or folders of {} were not indexed whole for their size ({}); \
                 see the server log",
                rest.len(),
                root.display(),
                shorten(&names)
            ));
        }
        out
    }
}

/// A sink showing each message to the user as a warning. Must be called
/// inside the runtime; the sink may then be called from any thread.
pub fn show_messages(client: &Client) -> impl Fn(String) + Send + Sync + 'static {
    let client = client.clone();
    let runtime = tokio::runtime::Handle::current();
    move |message| {
        let client = client.clone();
        runtime.spawn(async move { client.show_message(MessageType::WARNING, message).await });
    }
}

fn key(s: &Skipped) -> Key {
    (s.path.clone(), s.kind())
}

/// The first few names, then how many more.
fn shorten(names: &[String]) -> String {
    const LISTED: usize = 5;
    let mut out = names.iter().take(LISTED).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > LISTED {
        out.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(root: &Path, bytes: u64) -> Skipped {
        Skipped::too_large(
            root.join("interfaces/memory_store.md"),
            Role::InterfaceDoc("memoryStore"),
            bytes,
        )
    }

    #[test]
    fn each_skip_is_told_once_until_it_goes_away() {
        let notices = IndexNotices::default();
        let root = Path::new("/ws");
        let first = notices.new_messages(root, &[doc(root, 3 << 20)]);
        assert_eq!(first.len(), 1);
        assert!(
            first[0].starts_with("skill-lsp: interfaces/memory_store.md was not read: 3 MiB, over the 2 MiB limit"),
            "{first:?}"
        );
        // Reindexed with the file still too large (even larger): nothing new.
        assert!(notices.new_messages(root, &[doc(root, 4 << 20)]).is_empty());
        // Another root's skips are its own.
        assert_eq!(
            notices
                .new_messages(Path::new("/other"), &[doc(Path::new("/other"), 3 << 20)])
                .len(),
            1
        );
        // Fixed, then too large again: told again.
        assert!(notices.new_messages(root, &[]).is_empty());
        assert_eq!(notices.new_messages(root, &[doc(root, 3 << 20)]).len(), 1);
    }

    #[test]
    fn many_skips_are_summed_up_after_the_first_few() {
        let notices = IndexNotices::default();
        let root = Path::new("/ws");
        let skipped: Vec<Skipped> = (0..10)
            .map(|i| Skipped::too_large(root.join(format!("skills/s{i}/SKILL.md")), Role::Skill, 3 << 20))
            .collect();
        let messages = notices.new_messages(root, &skipped);
        assert_eq!(messages.len(), MAX_SHOWN + 1);
        let last = messages.last().unwrap();
        assert!(
            last.contains("7 more files or folders") && last.contains("and 2 more"),
            "{last}"
        );
    }
}
