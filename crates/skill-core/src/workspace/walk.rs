//! Bounded folder listing for indexing: entries of one folder, never
//! following a symbolic link out of the workspace root, at most
//! [`super::MAX_DIR_ENTRIES`] per folder ([`super::MAX_SKILLS`] for the
//! `skills/` folder).

use std::path::{Path, PathBuf};

/// Whether `path` (maybe a symbolic link) resolves inside `root`.
fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => false,
    }
}

/// How many entries past [`super::MAX_DIR_ENTRIES`] are counted (not read)
/// to say how many were skipped.
const MAX_COUNTED: usize = 1_000_000;

/// An entry of a folder, as [`entries`] lists it.
pub(crate) struct Entry {
    pub name: String,
    pub path: PathBuf,
    /// A folder, or a link to one.
    pub is_dir: bool,
    /// Whether the entry itself is a symbolic link (known from the listing,
    /// so callers need not ask the file system again).
    pub linked: bool,
}

/// The entries of `dir`, sorted by name, links leading out of `root` left
/// out; and how many entries were skipped because the folder holds more
/// than `limit`.
fn entries(root: &Path, dir: &Path, limit: usize) -> (Vec<Entry>, usize) {
    // A folder reached through a link out of the root (`skills/` linking
    // elsewhere) is not listed at all.
    if !inside(root, dir) {
        return (Vec::new(), 0);
    }
    let Ok(read) = std::fs::read_dir(dir) else {
        return (Vec::new(), 0);
    };
    let mut read = read.flatten();
    let mut out = Vec::new();
    for entry in read.by_ref().take(limit) {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        let linked = ft.is_symlink();
        let is_dir = if linked {
            if !inside(root, &path) {
                continue;
            }
            path.is_dir()
        } else {
            ft.is_dir()
        };
        out.push(Entry {
            name,
            path,
            is_dir,
            linked,
        });
    }
    let skipped = read.take(MAX_COUNTED).count();
    // Names are unique within a folder.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    (out, skipped)
}

/// The sub-folders of `dir`: `(name, path)`; and how many entries of `dir`
/// were skipped (see [`entries`]).
pub(crate) fn dirs(root: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, usize) {
    let (dirs, skipped) = dirs_up_to(root, dir, super::MAX_DIR_ENTRIES);
    (dirs.into_iter().map(|e| (e.name, e.path)).collect(), skipped)
}

/// The sub-folders of `dir` among its first `limit` entries, as listed
/// ([`Entry`]); and how many entries were skipped.
pub(crate) fn dirs_up_to(root: &Path, dir: &Path, limit: usize) -> (Vec<Entry>, usize) {
    let (entries, skipped) = entries(root, dir, limit);
    (entries.into_iter().filter(|e| e.is_dir).collect(), skipped)
}

/// The files of `dir`: `(name, path)`; and how many entries of `dir` were
/// skipped (see [`entries`]).
pub(crate) fn files(root: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, usize) {
    let (entries, skipped) = entries(root, dir, super::MAX_DIR_ENTRIES);
    let files = entries
        .into_iter()
        .filter(|e| !e.is_dir)
        .map(|e| (e.name, e.path))
        .collect();
    (files, skipped)
}

/// Whether `path` is a folder inside `root`. A link out of it does not
/// count, whether it is `path` itself or a folder on the way (`interfaces/`
/// linking elsewhere), so the path is resolved whole.
pub(crate) fn is_dir_inside(root: &Path, path: &Path) -> bool {
    path.is_dir() && inside(root, path)
}

/// Whether `path` is a regular file inside `root` (resolved whole, as for
/// [`is_dir_inside`]); pipes and devices are not files to read.
pub(crate) fn is_file_inside(root: &Path, path: &Path) -> bool {
    path.is_file() && inside(root, path)
}
