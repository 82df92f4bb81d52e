//! Bounded folder listing for indexing: entries of one folder, never
//! following a symbolic link out of the workspace root, at most
//! [`super::MAX_DIR_ENTRIES`] per folder ([`super::MAX_SKILLS`] for the
//! `skills/` folder).

use std::path::{Path, PathBuf};

use rayon::slice::ParallelSliceMut;

use super::raw_dir::{RawDir, Type};

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

/// An entry of a folder, as [`entries`] lists it (its path is the folder's
/// joined with its name: made by whoever needs it, on whichever thread).
pub(crate) struct Entry {
    pub name: String,
    /// A folder, or a link to one.
    pub is_dir: bool,
    /// Whether the entry itself is a symbolic link (known from the listing,
    /// so callers need not ask the file system again).
    pub linked: bool,
}

impl Entry {
    /// Its name, and its path in the folder `dir` it was listed from.
    fn with_path(self, dir: &Path) -> (String, PathBuf) {
        let path = dir.join(&self.name);
        (self.name, path)
    }
}

/// The entries of `dir`, sorted by name, links leading out of `root` left
/// out; and how many entries were skipped because the folder holds more
/// than `limit`. Read with [`RawDir`] (on Linux `getdents64` into a buffer
/// of the thread's): `std`'s reader allocates each name twice, and the
/// `skills/` folder of a large root, listed before its skills can be read
/// on every core, holds tens of thousands.
fn entries(root: &Path, dir: &Path, limit: usize) -> (Vec<Entry>, usize) {
    // A folder reached through a link out of the root (`skills/` linking
    // elsewhere) is not listed at all.
    if !inside(root, dir) {
        return (Vec::new(), 0);
    }
    let Ok(listed) = RawDir::read(dir) else {
        return (Vec::new(), 0);
    };
    let mut listed = listed.iter();
    let mut out = Vec::new();
    for (name, kind) in listed.by_ref().take(limit) {
        let Some(name) = name.to_str() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = kind else { continue };
        let linked = *kind == Type::Link;
        let is_dir = if linked {
            let path = dir.join(name);
            if !inside(root, &path) {
                continue;
            }
            path.is_dir()
        } else {
            *kind == Type::Dir
        };
        out.push(Entry {
            name: name.to_string(),
            is_dir,
            linked,
        });
    }
    let skipped = listed.take(MAX_COUNTED).count();
    // Names are unique within a folder, so any sort gives one order; on
    // every core, as nothing else can start before it.
    out.par_sort_unstable_by(|a, b| a.name.cmp(&b.name));
    (out, skipped)
}

/// The sub-folders of `dir`: `(name, path)`; and how many entries of `dir`
/// were skipped (see [`entries`]).
pub(crate) fn dirs(root: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, usize) {
    let (dirs, skipped) = dirs_up_to(root, dir, super::MAX_DIR_ENTRIES);
    (dirs.into_iter().map(|e| e.with_path(dir)).collect(), skipped)
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
        .map(|e| e.with_path(dir))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// [`entries`] as it listed folders with `std::fs::read_dir`: the
    /// oracle of the listing read with [`RawDir`].
    fn entries_std(root: &Path, dir: &Path, limit: usize) -> (Vec<(String, PathBuf, bool, bool)>, usize) {
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
            out.push((name, path, is_dir, linked));
        }
        let skipped = read.take(MAX_COUNTED).count();
        out.sort();
        (out, skipped)
    }

    fn listed(root: &Path, dir: &Path, limit: usize) -> (Vec<(String, PathBuf, bool, bool)>, usize) {
        let (entries, skipped) = entries(root, dir, limit);
        let entries = entries
            .into_iter()
            .map(|e| (e.name.clone(), dir.join(&e.name), e.is_dir, e.linked))
            .collect();
        (entries, skipped)
    }

    /// Listed with [`RawDir`], a folder's entries are those `std` lists,
    /// under every limit: files, folders, hidden ones, links to a folder
    /// and a file inside the root, to a folder outside it, broken; and the
    /// corpus root's `skills/` and `context/`.
    #[test]
    fn entries_are_those_std_lists() {
        let tmp = test_corpus::scratch_dir("skill-core-walk-entries");
        let root = tmp.join("root");
        let dir = root.join("skills");
        for sub in ["a", "b/c", ".hidden"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::create_dir_all(tmp.join("outside")).unwrap();
        for file in ["f.md", ".dot", "b/x"] {
            std::fs::write(dir.join(file), "x").unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("a", dir.join("to-a")).unwrap();
            symlink("f.md", dir.join("to-f")).unwrap();
            symlink("../../outside", dir.join("out")).unwrap();
            symlink("missing", dir.join("broken")).unwrap();
        }
        let mut cases = vec![(root.clone(), dir.clone())];
        if let Some(corpus) = test_corpus::holding(&["forge"]) {
            let forge = corpus.join("forge/forge-plugin");
            cases.push((forge.clone(), forge.join("skills")));
            cases.push((forge.clone(), forge.join("context")));
        }
        for (root, dir) in &cases {
            for limit in [0, 1, 3, 5, usize::MAX] {
                assert_eq!(
                    listed(root, dir, limit),
                    entries_std(root, dir, limit),
                    "{} {limit}",
                    dir.display()
                );
            }
            assert!(!listed(root, dir, usize::MAX).0.is_empty());
        }
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
