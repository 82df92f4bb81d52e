//! Walks a folder for `SKILL.md` files on every core, listing each folder
//! once, and keeps the listing of each folder where one was found (the
//! skill's bundle and the planning of `check` read it instead of listing
//! the folder again).
//!
//! It finds what the `ignore` crate's `WalkBuilder` finds configured as
//! `check` had it (`hidden(false)`, `follow_links(true)`,
//! `require_git(false)`, `.git`/`.hg`/`.svn`/`.jj` not entered), and says
//! what that walk said, in the same order of tests per entry: a link is
//! followed first (a dangling one is a problem unless the rules leave the
//! link out), a link to a folder above it is a loop whatever the rules
//! say, then the ignore rules ([`super::ignore_rules`]), then the names of
//! version-control folders. That walk hides what the rules leave out from
//! its caller, so its listings could not serve the bundle, whose rules
//! take every file.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::bundle::Listing;
use super::ignore_rules::{Rules, Walk};
use super::raw_dir::{copy_error, RawDir, Type};

/// The file a walk looks for.
const SKILL_FILE: &str = "SKILL.md";

/// Folders never entered: version control's.
const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn", ".jj"];

/// Something a walk could not read, or a loop it did not follow.
#[derive(Debug)]
pub enum Problem {
    /// A folder that could not be listed (or, following a link to it,
    /// opened), as the path walked; and a `.git` file above the root that
    /// could not be read.
    Unreadable { path: PathBuf, err: std::io::Error },
    /// A link that could not be followed (dangling, a loop of links, no
    /// permission) or an entry whose type could not be read.
    Broken { path: PathBuf, err: std::io::Error },
    /// A link to a folder above it (`child` → `ancestor`): not walked.
    Loop { child: PathBuf, ancestor: PathBuf },
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct SkillTree {
    /// The `SKILL.md` files (regular files, or links to them), as walked.
    pub skills: Vec<PathBuf>,
    /// Entries named `SKILL.md` that are neither files nor folders (a pipe,
    /// a socket, a device).
    pub not_files: Vec<PathBuf>,
    pub problems: Vec<Problem>,
    /// The symbolic links the walk followed to a folder, or to a `SKILL.md`.
    pub links: Vec<PathBuf>,
    /// The listing of each folder holding one of `skills`.
    pub listings: Vec<(PathBuf, Listing)>,
}

/// Walks `root` (an absolute path of a folder).
pub fn walk(root: &Path) -> SkillTree {
    let (walk, above) = Walk::new(root);
    let found = Mutex::new(SkillTree::default());
    if let Some(p) = above {
        lock(&found).problems.push(Problem::Unreadable { path: p.path, err: p.err });
    }
    let walker = Walker { walk, found };
    rayon::scope(|s| walker.folder(s, root.to_path_buf(), &Rules::default(), true));
    walker.found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// A poisoned lock only means another thread panicked; what it holds is still whole.
fn lock(found: &Mutex<SkillTree>) -> std::sync::MutexGuard<'_, SkillTree> {
    found.lock().unwrap_or_else(|e| e.into_inner())
}

struct Walker {
    walk: Walk,
    found: Mutex<SkillTree>,
}

/// An entry as the walk goes on with it: its type, a link followed.
struct Seen {
    kind: Type,
    linked: bool,
}

impl Walker {
    /// Lists the folder `dir` (in a folder whose rules are `rules`), and
    /// walks on into its sub-folders on other threads.
    fn folder<'s>(&'s self, s: &rayon::Scope<'s>, dir: PathBuf, rules: &Rules, root: bool) {
        let listed = match RawDir::read(&dir) {
            Ok(listed) => listed,
            Err(err) => {
                // The root is asked for before it is listed: whatever keeps
                // it from being read is said.
                let problem = match root {
                    true => Problem::Broken { path: dir, err },
                    false => Problem::Unreadable { path: dir, err },
                };
                lock(&self.found).problems.push(problem);
                return;
            }
        };
        let rules = rules.enter(&dir, &listed);
        let mut holds_skill = false;
        for (name, kind) in listed.iter() {
            let path = dir.join(name);
            let kind = match kind {
                Ok(kind) => *kind,
                Err(err) => {
                    let err = copy_error(err);
                    lock(&self.found).problems.push(Problem::Broken { path, err });
                    continue;
                }
            };
            let Some(seen) = self.follow(&dir, &rules, &path, kind) else {
                continue;
            };
            if self.walk.ignores(&rules, &path, seen.kind == Type::Dir)
                || VCS_DIRS.iter().any(|v| name == *v)
            {
                continue;
            }
            let is_skill = name == SKILL_FILE;
            if seen.linked && (seen.kind == Type::Dir || is_skill) {
                lock(&self.found).links.push(path.clone());
            }
            match seen.kind {
                Type::Dir => {
                    let rules = rules.clone();
                    s.spawn(move |s| self.folder(s, path, &rules, false));
                }
                Type::File if is_skill => {
                    holds_skill = true;
                    lock(&self.found).skills.push(path);
                }
                Type::Other if is_skill => lock(&self.found).not_files.push(path),
                _ => {}
            }
        }
        if let Some(e) = listed.error.as_ref() {
            let err = copy_error(e);
            lock(&self.found).problems.push(Problem::Unreadable { path: dir.clone(), err });
        }
        if holds_skill {
            let listing = Listing::of(&listed);
            lock(&self.found).listings.push((dir, listing));
        }
    }

    /// The entry at `path` of type `kind` in the folder `dir`, a link
    /// followed; `None` when the walk goes no further with it (a problem
    /// said, or a dangling link the rules leave out).
    fn follow(&self, dir: &Path, rules: &Rules, path: &Path, kind: Type) -> Option<Seen> {
        if kind != Type::Link {
            return Some(Seen { kind, linked: false });
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(err) => {
                if !self.walk.ignores(rules, path, false) {
                    lock(&self.found).problems.push(Problem::Broken {
                        path: path.to_path_buf(),
                        err,
                    });
                }
                return None;
            }
        };
        let kind = match meta.file_type() {
            t if t.is_dir() => Type::Dir,
            t if t.is_file() => Type::File,
            _ => Type::Other,
        };
        if kind == Type::Dir {
            let problem = match self.loop_to(dir, path) {
                Ok(None) => None,
                Ok(Some(ancestor)) => Some(Problem::Loop {
                    child: path.to_path_buf(),
                    ancestor: ancestor.to_path_buf(),
                }),
                Err(err) => Some(Problem::Unreadable {
                    path: path.to_path_buf(),
                    err,
                }),
            };
            if let Some(problem) = problem {
                lock(&self.found).problems.push(problem);
                return None;
            }
        }
        Some(Seen { kind, linked: true })
    }

    /// The folder above the link `link` (in `dir`) that it leads to, if
    /// any: the folders of the walk down to it and those above the root,
    /// each opened to know what it is, as `ignore` does (so a folder that
    /// cannot be opened is said as the walk said it).
    fn loop_to<'a>(&'a self, dir: &'a Path, link: &Path) -> std::io::Result<Option<&'a Path>> {
        let target = identity(link)?;
        for ancestor in self.walk.ancestors(dir) {
            if identity(ancestor)? == target {
                return Ok(Some(ancestor));
            }
        }
        Ok(None)
    }
}

/// What a file is, whatever the path to it: its device and inode (the
/// `same-file` crate's handle, which `ignore` compares).
#[cfg(unix)]
fn identity(path: &Path) -> std::io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::File::open(path)?.metadata()?;
    Ok((meta.dev(), meta.ino()))
}

/// What a file is, whatever the path to it: its real path.
#[cfg(not(unix))]
fn identity(path: &Path) -> std::io::Result<PathBuf> {
    std::fs::File::open(path)?;
    path.canonicalize()
}
