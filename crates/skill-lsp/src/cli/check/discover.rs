//! Which files `check` looks at: the paths named on the command line, and the
//! `SKILL.md` files found by walking folders (honouring `.gitignore`).

use std::collections::HashSet;
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
    let mut walked = Vec::new();
    for input in inputs {
        let path = absolute(cwd, input);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walked.push(walk(&path, &mut found)),
            Ok(_) => found.targets.push(Target { path, explicit: true }),
            Err(err) => found.errors.push(InputError::from_io(path, &err)),
        }
    }
    found.targets = once_each(std::mem::take(&mut found.targets), &walked);
    found.notices.sort();
    found.notices.dedup();
    found
}

/// Each file once: the same path named twice, or the same file reached
/// through symbolic links under several paths. The one kept is the path
/// without links when there is one (the skill's real place), else the first
/// in path order; it is explicit if any of its paths was named.
fn once_each(mut targets: Vec<Target>, walked: &[Walked]) -> Vec<Target> {
    targets.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    targets.dedup_by(|later, first| later.path == first.path);
    // A file the walk reached through no link has its real path already;
    // the others take a `realpath` each (a system call per folder on the
    // way), on every core.
    let reals: Vec<Option<PathBuf>> = targets
        .par_iter()
        .map(|t| known_real_path(t, walked).or_else(|| std::fs::canonicalize(&t.path).ok()))
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

/// What a folder walk saw of symbolic links: enough to know the real path
/// of most files it found without asking the file system again.
struct Walked {
    /// The folder walked (absolute, normalised).
    root: PathBuf,
    /// Its real path, when it has one.
    real_root: Option<PathBuf>,
    /// Every folder and file below it that the walk entered or found
    /// through a symbolic link (normalised, as targets are).
    links: HashSet<PathBuf>,
}

/// The real path of a file a walk found, when the walk went through no
/// link to reach it: the real path of the walk's root with the rest of the
/// path as it is. Every folder on the way was listed by the walk (it enters
/// a folder only after finding it), so a link among them was seen. `None`
/// when a link was on the way, or for a file named on the command line
/// (whose folders no walk listed): the file system resolves those.
fn known_real_path(target: &Target, walked: &[Walked]) -> Option<PathBuf> {
    if target.explicit {
        return None;
    }
    walked.iter().find_map(|w| {
        let real_root = w.real_root.as_ref()?;
        let rest = target.path.strip_prefix(&w.root).ok()?;
        let linked = target
            .path
            .ancestors()
            .take_while(|a| *a != w.root)
            .any(|a| w.links.contains(a));
        (!linked).then(|| real_root.join(rest))
    })
}

/// Walks `dir` for `SKILL.md` files. Hidden folders are walked (skills often
/// live in `.claude/skills/`), version-control folders are not, and symbolic
/// links are followed so that a loop is found and reported.
///
/// The walk runs on every core: on a large tree it is mostly file system
/// calls (listing folders, looking for `.gitignore` files), and it comes
/// before anything else can start. The caller sorts what it finds.
fn walk(dir: &Path, into: &mut Discovered) -> Walked {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(true)
        // `.gitignore` applies whether or not the folder is a git checkout.
        .require_git(false)
        .filter_entry(|entry| !matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn" | ".jj")))
        .build_parallel();
    let found = Mutex::new((Vec::new(), Vec::new(), Vec::new(), HashSet::new()));
    walker.run(|| {
        let found = &found;
        Box::new(move |entry| {
            // A poisoned lock only means another thread panicked; what it holds is still whole.
            let lock = || found.lock().unwrap_or_else(|e| e.into_inner());
            if let Ok(entry) = &entry {
                if entry.depth() > 0 && entry.path_is_symlink() {
                    lock().3.insert(normalize(entry.path()));
                }
            }
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
    let (targets, errors, notices, links) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    into.targets.extend(targets);
    into.errors.extend(errors);
    into.notices.extend(notices);
    Walked {
        root: dir.to_path_buf(),
        real_root: std::fs::canonicalize(dir).ok(),
        links,
    }
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

    /// The targets of walking each of `starts`, before they are made unique,
    /// and what each walk saw of links.
    fn walked(starts: &[PathBuf]) -> (Vec<Target>, Vec<Walked>) {
        let mut found = Discovered::default();
        let walks = starts.iter().map(|s| walk(s, &mut found)).collect();
        (found.targets, walks)
    }

    /// Real paths taken from the walk are the ones the file system gives,
    /// and the files kept are those kept resolving every path: on a tree of
    /// links (to folders and files, inside and out, a root reached through
    /// one) and on the corpus.
    #[test]
    fn real_paths_known_from_the_walk_are_the_file_systems() {
        let tmp = std::env::temp_dir().join(format!("skill-lsp-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let skill = |dir: &Path| {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(SKILL_FILE), "---\nname: x\n---\n").unwrap();
        };
        skill(&tmp.join("real/skills/a"));
        skill(&tmp.join("real/skills/b/nested"));
        skill(&tmp.join("elsewhere/d"));
        let mut starts = vec![tmp.join("real")];
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            std::fs::create_dir_all(tmp.join("real/skills/c")).unwrap();
            symlink("../a/SKILL.md", tmp.join("real/skills/c/SKILL.md")).unwrap();
            symlink("skills/b", tmp.join("real/linked")).unwrap();
            symlink("../elsewhere", tmp.join("real/out")).unwrap();
            symlink("real", tmp.join("via")).unwrap();
            starts.push(tmp.join("via"));
            starts.push(tmp.join("via/skills"));
        }
        starts.extend(
            ["forge", "agentskills"]
                .iter()
                .filter_map(|t| test_corpus::holding(&[t]).map(|c| c.join(t))),
        );
        for start in &starts {
            let (targets, walks) = walked(std::slice::from_ref(start));
            assert!(!targets.is_empty(), "{}", start.display());
            for t in &targets {
                if let Some(known) = known_real_path(t, &walks) {
                    assert_eq!(Some(known), std::fs::canonicalize(&t.path).ok(), "{}", t.path.display());
                }
            }
        }
        let (targets, walks) = walked(&starts);
        let known = targets.iter().filter(|t| known_real_path(t, &walks).is_some()).count();
        assert!(known > 0 && (cfg!(not(unix)) || known < targets.len()));
        assert_eq!(once_each(targets.clone(), &walks), once_each(targets, &[]));
        std::fs::remove_dir_all(&tmp).unwrap();
    }

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
