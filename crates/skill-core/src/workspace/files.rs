//! A cache of linked files: whether they exist, and their headings' anchors.
//!
//! Links from skills point at a handful of files (the interface documents,
//! a few context files), so each is read once per workspace and forgotten
//! when a watcher says it changed. Bounded: files over
//! [`super::MAX_FILE_BYTES`] give no anchors, and the cache is emptied when it
//! holds more than [`MAX_CACHED`] paths.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::bytes_map::BytesMap;
use super::read::{read_expecting, with_read};
use crate::syntax::frontmatter;
use crate::syntax::markdown::{self, MdDoc};

/// How many paths the cache remembers before starting over.
pub const MAX_CACHED: usize = 4096;

/// The maps below are keyed by a path's bytes ([`BytesMap`]): every check
/// asks them of each link and of its skill's folder, and a `PathBuf` key
/// hashes component by component with SipHash, which cost more than the
/// rest of a look-up. A path spelt otherwise (`a//b` for `a/b`) is only
/// looked up afresh; forgetting a path compares paths, as before.
#[derive(Debug, Default)]
pub struct FileCache {
    /// Markdown files: their anchors, `None` when the file does not exist or cannot be read.
    entries: Mutex<BytesMap<OsString, Option<Arc<[String]>>>>,
    /// Any path: whether it exists (file or folder).
    exists: Mutex<BytesMap<OsString, bool>>,
    /// Linked files not read for their size: path → bytes. Kept so that what
    /// was skipped can be named (see [`super::Workspace::skipped`]).
    too_large: Mutex<BTreeMap<PathBuf, u64>>,
    /// Skill folders: their bundled files, read once (see [`super::bundle`]).
    bundles: Mutex<BytesMap<OsString, Arc<super::bundle::Bundle>>>,
    /// Skill folders listed by a caller before their bundle was asked for
    /// (see [`super::Workspace::offer_listing`]): the bundle's reading
    /// takes its folder's listing from here instead of listing it again.
    /// A few at a time (`check` offers one a thread), so found by comparing
    /// paths' bytes, with no hashing of paths.
    listings: Mutex<Vec<(PathBuf, super::bundle::Listing)>>,
}

/// How many offered listings are kept at most.
const MAX_OFFERED: usize = 64;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl FileCache {
    /// The heading anchors of the Markdown file at `path` (GitHub-style
    /// slugs, in order, duplicates numbered), `None` when it does not exist
    /// or cannot be read.
    pub fn anchors(&self, path: &Path) -> Option<Arc<[String]>> {
        if let Some(found) = lock(&self.entries).get(path.as_os_str()) {
            return found.clone();
        }
        let read = match read_indexed(path) {
            Read::Text(text) => Some(Arc::<[String]>::from(anchors_of(&text))),
            Read::TooLarge(bytes) => {
                let mut big = lock(&self.too_large);
                if big.len() >= MAX_CACHED {
                    big.clear();
                }
                big.insert(path.to_path_buf(), bytes);
                None
            }
            Read::Unavailable => None,
        };
        let mut entries = lock(&self.entries);
        if entries.len() >= MAX_CACHED {
            entries.clear();
        }
        entries.insert(path.as_os_str().to_owned(), read.clone());
        read
    }

    /// Whether a file or folder exists at `path`.
    pub fn exists(&self, path: &Path) -> bool {
        if let Some(found) = lock(&self.exists).get(path.as_os_str()) {
            return *found;
        }
        let found = path.exists();
        let mut map = lock(&self.exists);
        if map.len() >= MAX_CACHED {
            map.clear();
        }
        map.insert(path.as_os_str().to_owned(), found);
        found
    }

    /// Forgets what is known of `path` (a watched file changed).
    pub fn invalidate(&self, path: &Path) {
        // Compared as paths, not bytes: a watcher may spell it otherwise.
        lock(&self.entries).retain(|p, _| Path::new(p) != path);
        lock(&self.exists).retain(|p, _| Path::new(p) != path);
        lock(&self.too_large).remove(path);
        // A file added, changed or removed anywhere in a skill's folder changes its bundle.
        lock(&self.bundles).retain(|dir, _| !path.starts_with(dir));
        lock(&self.listings).retain(|(dir, _)| !path.starts_with(dir));
    }

    /// The bundled files of the skill folder `dir`, read on first use; with
    /// `verify`, read again when a file changed since (for folders no
    /// watcher reports on).
    pub fn bundle(&self, dir: &Path, verify: bool) -> Arc<super::bundle::Bundle> {
        if let Some(found) = lock(&self.bundles).get(dir.as_os_str()).cloned() {
            if !verify || found.is_current() {
                return found;
            }
        }
        let listed = self.take_listing(dir);
        let read = Arc::new(match listed {
            Some(listing) => super::bundle::Bundle::read_listed(dir, &listing),
            None => super::bundle::Bundle::read(dir),
        });
        let mut map = lock(&self.bundles);
        if map.len() >= MAX_CACHED {
            map.clear();
        }
        map.insert(dir.as_os_str().to_owned(), read.clone());
        read
    }

    /// Forgets the bundle of the skill folder `dir` (read again if asked for).
    pub fn forget_bundle(&self, dir: &Path) {
        lock(&self.bundles).retain(|d, _| Path::new(d) != dir);
        self.take_listing(dir);
    }

    /// Keeps `listing`, just made of the skill folder `dir`, for the first
    /// reading of its bundle.
    pub fn offer_listing(&self, dir: &Path, listing: super::bundle::Listing) {
        let mut offered = lock(&self.listings);
        if offered.len() >= MAX_OFFERED {
            offered.clear();
        }
        offered.push((dir.to_path_buf(), listing));
    }

    /// The listing offered for the folder `dir`, taken.
    fn take_listing(&self, dir: &Path) -> Option<super::bundle::Listing> {
        let mut offered = lock(&self.listings);
        let i = offered.iter().position(|(d, _)| d.as_os_str() == dir.as_os_str())?;
        Some(offered.swap_remove(i).1)
    }

    /// The linked files asked for so far that were too large to read, with their sizes.
    pub fn too_large(&self) -> Vec<(PathBuf, u64)> {
        lock(&self.too_large).iter().map(|(p, n)| (p.clone(), *n)).collect()
    }
}

/// A file as indexing reads it.
pub(crate) enum Read<T = String> {
    /// Its text (invalid UTF-8 replaced), or its bytes before decoding.
    Text(T),
    /// Not read: a regular file of this many bytes, over [`super::MAX_FILE_BYTES`].
    TooLarge(u64),
    /// Missing, not a regular file, or unreadable.
    Unavailable,
}

/// Reads a text file of at most [`super::MAX_FILE_BYTES`]; the size of a
/// larger one comes from the metadata read anyway, so saying why it was
/// skipped costs nothing.
pub(crate) fn read_indexed(path: &Path) -> Read {
    match read_indexed_bytes(path) {
        Read::Text(bytes) => Read::Text(decode(bytes)),
        Read::TooLarge(bytes) => Read::TooLarge(bytes),
        Read::Unavailable => Read::Unavailable,
    }
}

/// [`read_indexed`] before decoding: for a caller that can tell from the
/// bytes whether the text is worth decoding at all.
pub(crate) fn read_indexed_bytes(path: &Path) -> Read<Vec<u8>> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Read::Unavailable;
    };
    if !meta.is_file() {
        return Read::Unavailable;
    }
    if meta.len() > super::MAX_FILE_BYTES {
        return Read::TooLarge(meta.len());
    }
    match read_known_size(path, meta.len()) {
        Ok(bytes) => Read::Text(bytes),
        Err(_) => Read::Unavailable,
    }
}

/// The bytes of the file at `path`, whose size a listing or a `stat` gave
/// as `len` (bounded by the caller), with no `stat` of its own
/// (`std::fs::read` asks for the size again): see [`read_expecting`]. A
/// file that changed size since is still read whole.
pub(crate) fn read_known_size(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    read_expecting(std::fs::File::open(path)?, len)
}

/// `f` of the bytes of the file at `path`, as [`read_known_size`] reads
/// them, for a caller that needs only to look at them: no allocation.
pub fn with_known_size<R>(path: &Path, len: u64, f: impl FnOnce(&[u8]) -> R) -> std::io::Result<R> {
    with_read(std::fs::File::open(path)?, len, f)
}

/// A file's bytes as text, invalid UTF-8 replaced; valid UTF-8 (nearly
/// every file) keeps its buffer instead of being copied.
pub(crate) fn decode(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Reads a text file of at most [`super::MAX_FILE_BYTES`].
pub(crate) fn read_bounded(path: &Path) -> Option<String> {
    match read_indexed(path) {
        Read::Text(text) => Some(text),
        Read::TooLarge(_) | Read::Unavailable => None,
    }
}

/// The anchors of a Markdown text (front matter skipped): its headings'
/// slugs and the `id`/`name` of its HTML anchors (`<a id="x"></a>`).
pub fn anchors_of(text: &str) -> Vec<String> {
    let text = &*crate::text::with_bare_cr_as_lf(text);
    let body_start = frontmatter::locate(text).map_or(0, |b| b.body_start);
    let md = markdown::parse(text, body_start);
    let mut out = heading_anchors(&md);
    out.extend(html_anchors(text));
    out
}

/// The anchors of a parsed document's headings, in order, repeated ones
/// numbered as GitHub does (`usage`, `usage-1`).
pub fn heading_anchors(md: &MdDoc) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(md.headings.len());
    for h in &md.headings {
        // `## Title {#id}`: an explicit id (Pandoc, kramdown, MkDocs) is the
        // anchor renderers that read it give the heading, kept beside the slug
        // of the title for those that do not.
        let (title, id) = explicit_id(&h.text);
        if let Some(id) = id {
            out.push(id.to_string());
        }
        let base = slug(title);
        let n = seen.entry(base.clone()).or_insert(0);
        out.push(if *n == 0 { base.clone() } else { format!("{base}-{n}") });
        *n += 1;
    }
    out
}

/// A heading's title and the explicit id of a trailing `{#id}` (or
/// `{#id .class}`) attribute block, if it has one.
fn explicit_id(text: &str) -> (&str, Option<&str>) {
    let trimmed = text.trim_end();
    let Some(open) = trimmed.rfind("{#").filter(|_| trimmed.ends_with('}')) else {
        return (text, None);
    };
    let inner = &trimmed[open + 2..trimmed.len() - 1];
    let id = inner.split_whitespace().next().unwrap_or("");
    if id.is_empty() || id.contains(['{', '}']) {
        return (text, None);
    }
    (trimmed[..open].trim_end(), Some(id))
}

/// `id="..."` and `name="..."` of `<a ...>` tags.
fn html_anchors(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("<a ") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..tag_end];
        for attr in ["id=\"", "name=\""] {
            if let Some(a) = tag.find(attr) {
                let v = &tag[a + attr.len()..];
                if let Some(end) = v.find('"') {
                    out.push(v[..end].to_string());
                }
            }
        }
        rest = &rest[tag_end.max(i + 3).min(rest.len())..];
    }
    out
}

/// The anchor GitHub gives a heading: lower case, punctuation and symbols
/// dropped, each space a `-` (`Pattern 1: Standard Memory Loading` →
/// `pattern-1-standard-memory-loading`).
pub fn slug(heading_text: &str) -> String {
    heading_text
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_its_listed_size_is_read_whole_whatever_size_was_said() {
        use super::super::read::read_owned;
        let dir = test_corpus::scratch_dir("skill-core-read");
        let file = dir.join("data.md");
        let text: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&file, &text).unwrap();
        for said in [0, 1, 8192, 19_999, 20_000, 20_001, 1 << 20] {
            assert_eq!(read_known_size(&file, said).unwrap(), text, "{said}");
            let opened = std::fs::File::open(&file).unwrap();
            assert_eq!(read_owned(&opened, said).unwrap(), text, "{said}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn explicit_heading_ids_are_anchors() {
        assert_eq!(
            anchors_of("# Setup {#install}\n## Usage {#use .wide}\n## Braces {x}\n"),
            ["install", "setup", "use", "usage", "braces-x"]
        );
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(
            slug("Pattern 1: Standard Memory Loading"),
            "pattern-1-standard-memory-loading"
        );
        assert_eq!(slug("1. `create(entry)`"), "1-createentry");
        assert_eq!(slug("Step 2: Load Indexes & Memory"), "step-2-load-indexes--memory");
        assert_eq!(slug("Ünïcode — Überschrift"), "ünïcode--überschrift");
        assert_eq!(slug("snake_case and-dash"), "snake_case-and-dash");
    }

    #[test]
    fn repeated_headings_are_numbered_and_front_matter_is_skipped() {
        let text = "---\ntitle: x\n---\n# Steps\n## Step N: Update\n```\n# not a heading\n```\n## Step N: Update\n";
        assert_eq!(anchors_of(text), ["steps", "step-n-update", "step-n-update-1"]);
        assert_eq!(
            anchors_of("# A\n<a id=\"custom\"></a> <a name=\"old\">x</a>\n"),
            ["a", "custom", "old"]
        );
    }

    #[test]
    fn cache_reads_once_and_forgets_on_invalidate() {
        let dir = test_corpus::scratch_dir("skill-core-files");
        let file = dir.join("doc.md");
        std::fs::write(&file, "# One\n").unwrap();
        let cache = FileCache::default();
        assert_eq!(cache.anchors(&file).as_deref(), Some(&["one".to_string()][..]));
        std::fs::write(&file, "# Two\n").unwrap();
        assert_eq!(cache.anchors(&file).as_deref(), Some(&["one".to_string()][..]));
        // Forgotten under another spelling of the same path too.
        cache.invalidate(&dir.join(".").join("doc.md"));
        assert_eq!(cache.anchors(&file).as_deref(), Some(&["two".to_string()][..]));
        assert!(cache.exists(&file));
        assert!(cache.anchors(&dir.join("missing.md")).is_none());
        assert!(!cache.exists(&dir.join("missing.md")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
