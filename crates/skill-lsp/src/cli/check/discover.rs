//! Which files `check` looks at: the paths named on the command line, and the
//! `SKILL.md` files found by walking folders (honouring `.gitignore`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::notices::Notice;
use super::report::{InputError, InputErrorKind};
/// Resolves `.` and `..` without touching the disk (the project resolver's).
pub use crate::project::normalize;

/// The file name a folder walk looks for.
pub const SKILL_FILE: &str = "SKILL.md";

/// A file to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Absolute, lexically normalised.
    pub path: PathBuf,
    /// Named on the command line (config `ignore` globs do not apply to it).
    pub explicit: bool,
}

/// What the inputs lead to: the files to check, what could not be read, and
/// what the walk noticed without it being an error.
#[derive(Debug, Default)]
pub struct Discovered {
    pub targets: Vec<Target>,
    pub errors: Vec<InputError>,
    /// Links to a folder above them, walked once (see [`walk_error`]).
    pub notices: Vec<Notice>,
}

/// Turns the command-line paths into files to check, plus what could not be read.
/// Each file appears once, even when named twice, found by two walks, or
/// reached through two paths by symbolic links (`.agents/skills -> ../skills`).
pub fn discover(inputs: &[PathBuf], cwd: &Path) -> Discovered {
    let mut found = Discovered::default();
    for input in inputs {
        let path = absolute(cwd, input);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &mut found),
            Ok(_) => found.targets.push(Target { path, explicit: true }),
            Err(err) => found.errors.push(InputError::from_io(path, &err)),
        }
    }
    found.targets = once_each(std::mem::take(&mut found.targets));
    found.notices.sort();
    found.notices.dedup();
    found
}

/// Each file once: the same path named twice, or the same file reached
/// through symbolic links under several paths. The one kept is the path
/// without links when there is one (the skill's real place), else the first
/// in path order; it is explicit if any of its paths was named.
fn once_each(mut targets: Vec<Target>) -> Vec<Target> {
    targets.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    targets.dedup_by(|later, first| later.path == first.path);
    // One `realpath` per file, a dozen system calls each: on every core.
    let reals: Vec<Option<PathBuf>> = targets
        .par_iter()
        .map(|t| std::fs::canonicalize(&t.path).ok())
        .collect();
    let mut by_file: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    let mut kept: Vec<Target> = Vec::with_capacity(targets.len());
    for (t, real) in targets.into_iter().zip(reals) {
        let Some(real) = real else {
            // Unreadable: the check says why, under the path as found.
            kept.push(t);
            continue;
        };
        match by_file.get(&real) {
            Some(&i) => {
                let first = &mut kept[i];
                first.explicit |= t.explicit;
                if t.path == real && first.path != real {
                    first.path = t.path;
                }
            }
            None => {
                by_file.insert(real, kept.len());
                kept.push(t);
            }
        }
    }
    kept.sort();
    kept
}

/// Walks `dir` for `SKILL.md` files. Hidden folders are walked (skills often
/// live in `.claude/skills/`), version-control folders are not, and symbolic
/// links are followed so that a loop is found and reported.
///
/// The walk runs on every core: on a large tree it is mostly file system
/// calls (listing folders, looking for `.gitignore` files), and it comes
/// before anything else can start. The caller sorts what it finds.
fn walk(dir: &Path, into: &mut Discovered) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(true)
        // `.gitignore` applies whether or not the folder is a git checkout.
        .require_git(false)
        .filter_entry(|entry| !matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn" | ".jj")))
        .build_parallel();
    let found = Mutex::new((Vec::new(), Vec::new(), Vec::new()));
    walker.run(|| {
        let found = &found;
        Box::new(move |entry| {
            // A poisoned lock only means another thread panicked; what it holds is still whole.
            let lock = || found.lock().unwrap_or_else(|e| e.into_inner());
            match entry {
                Ok(entry) if entry.file_name() == SKILL_FILE => {
                    let kind = entry.file_type();
                    if kind.is_some_and(|t| t.is_file()) {
                        lock().0.push(Target {
                            path: normalize(entry.path()),
                            explicit: false,
                        });
                    } else if !kind.is_some_and(|t| t.is_dir()) {
                        // A pipe, socket or device: never read (a pipe would wait
                        // forever), but said, so it is not missed silently.
                        lock().1.push(InputError::new(
                            normalize(entry.path()),
                            InputErrorKind::Unreadable,
                            "is not a regular file (a pipe, socket or device), so it was skipped",
                        ));
                    }
                }
                Ok(_) => {}
                Err(err) => match walk_error(&err) {
                    Some(Met::Error(e)) => lock().1.push(e),
                    Some(Met::Notice(n)) => lock().2.push(n),
                    None => {}
                },
            }
            ignore::WalkState::Continue
        })
    });
    let (targets, errors, notices) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    into.targets.extend(targets);
    into.errors.extend(errors);
    into.notices.extend(notices);
}

/// What a walk met besides files.
enum Met {
    /// Something that could not be read: exit status 2.
    Error(InputError),
    /// Something worth saying that loses nothing.
    Notice(Notice),
}

/// An error met while walking, as a finding; `None` for what does not concern
/// skills (a dangling symbolic link to some other file). A link to a folder
/// above it (`plugins/x -> ..`, as plugin repositories have) is a notice: the
/// folder it leads to is walked anyway, so every skill is checked, once.
fn walk_error(err: &ignore::Error) -> Option<Met> {
    match err {
        ignore::Error::Loop { child, ancestor } => Some(Met::Notice(Notice {
            path: normalize(child),
            kind: "symlink-to-ancestor",
            message: format!(
                "links to {}, a folder above it: not walked again; the skills there are checked once, under their own paths",
                ancestor.display()
            ),
            is_folder: true,
        })),
        ignore::Error::WithPath { path, err } => match err.as_ref() {
            ignore::Error::Io(io) => {
                let found = InputError::from_io(normalize(path), io);
                let is_skill = path.file_name().is_some_and(|n| n == SKILL_FILE);
                let dangling = io.kind() == std::io::ErrorKind::NotFound;
                (!dangling || is_skill).then_some(Met::Error(found))
            }
            inner => walk_error(inner).map(|met| match met {
                Met::Error(mut e) if e.path.as_os_str().is_empty() => {
                    e.path = normalize(path);
                    Met::Error(e)
                }
                Met::Notice(mut n) if n.path.as_os_str().is_empty() => {
                    n.path = normalize(path);
                    Met::Notice(n)
                }
                other => other,
            }),
        },
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error(err),
        ignore::Error::Io(io) => Some(Met::Error(InputError::from_io(PathBuf::new(), io))),
        // Problems inside a `.gitignore` file are not problems of the skills.
        _ => None,
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically
/// (symbolic links are kept, so a skill's folder name stays what the user sees).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    normalize(&cwd.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c/SKILL.md")),
            PathBuf::from("/a/c/SKILL.md")
        );
        assert_eq!(absolute(Path::new("/w"), Path::new("../x")), PathBuf::from("/x"));
        assert_eq!(
            absolute(Path::new("/w"), Path::new("/abs/./y")),
            PathBuf::from("/abs/y")
        );
    }
}
