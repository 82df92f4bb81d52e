//! Which files `check` looks at: the paths named on the command line, and the
//! `SKILL.md` files found by walking folders (honouring `.gitignore`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// Turns the command-line paths into files to check, plus what could not be read.
/// Each file appears once, even when named twice or found by two walks.
pub fn discover(inputs: &[PathBuf], cwd: &Path) -> (Vec<Target>, Vec<InputError>) {
    let mut targets: Vec<Target> = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let path = absolute(cwd, input);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &mut targets, &mut errors),
            Ok(_) => targets.push(Target { path, explicit: true }),
            Err(err) => errors.push(InputError::from_io(path, &err)),
        }
    }
    // An explicitly named file wins over the same file found by a walk.
    targets.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    targets.dedup_by(|later, first| later.path == first.path);
    (targets, errors)
}

/// Walks `dir` for `SKILL.md` files. Hidden folders are walked (skills often
/// live in `.claude/skills/`), version-control folders are not, and symbolic
/// links are followed so that a loop is found and reported.
///
/// The walk runs on every core: on a large tree it is mostly file system
/// calls (listing folders, looking for `.gitignore` files), and it comes
/// before anything else can start. The caller sorts what it finds.
fn walk(dir: &Path, targets: &mut Vec<Target>, errors: &mut Vec<InputError>) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(true)
        // `.gitignore` applies whether or not the folder is a git checkout.
        .require_git(false)
        .filter_entry(|entry| !matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn" | ".jj")))
        .build_parallel();
    let found = Mutex::new((Vec::new(), Vec::new()));
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
                Err(err) => {
                    if let Some(e) = walk_error(&err) {
                        lock().1.push(e);
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let (found_targets, found_errors) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    targets.extend(found_targets);
    errors.extend(found_errors);
}

/// An error met while walking, as a finding; `None` for what does not concern
/// skills (a dangling symbolic link to some other file).
fn walk_error(err: &ignore::Error) -> Option<InputError> {
    match err {
        ignore::Error::Loop { child, ancestor } => Some(InputError::new(
            normalize(child),
            InputErrorKind::SymlinkLoop,
            format!(
                "symbolic link loop: this folder leads back to {}; the files under it were checked once",
                ancestor.display()
            ),
        )),
        ignore::Error::WithPath { path, err } => match err.as_ref() {
            ignore::Error::Io(io) => {
                let found = InputError::from_io(normalize(path), io);
                let is_skill = path.file_name().is_some_and(|n| n == SKILL_FILE);
                let dangling = io.kind() == std::io::ErrorKind::NotFound;
                (!dangling || is_skill).then_some(found)
            }
            inner => walk_error(inner).map(|mut e| {
                if e.path.as_os_str().is_empty() {
                    e.path = normalize(path);
                }
                e
            }),
        },
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error(err),
        ignore::Error::Io(io) => Some(InputError::from_io(PathBuf::new(), io)),
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
