//! Which files `check` looks at: the paths named on the command line, and the
//! `SKILL.md` files found by walking folders (honouring `.gitignore`), and
//! the listings of the folders they are in.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use skill_core::workspace::bundle::Listing;
use skill_core::workspace::bytes_map::{bytes_map_with_capacity, BytesMap};
use skill_core::workspace::is_normal;
use skill_core::workspace::skill_walk::{self, Problem};

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
    /// Links to a folder above them, walked once (see [`walk_problem`]).
    pub notices: Vec<Notice>,
    /// The listing of each folder the walks found a skill in, by its path
    /// as walked (the planning reads it instead of listing the folder);
    /// keyed by the path's bytes, which hash in one pass.
    pub listings: BytesMap<OsString, Listing>,
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
    // On every core (a stable sort either way, so the same order): the
    // walk's own threads are done, and nothing else can start before this.
    targets.par_sort_by(|a, b| path_order(&a.path, &b.path).then(b.explicit.cmp(&a.explicit)));
    // Normalised paths are spelt one way: equal paths have equal bytes
    // (`Path`'s `==` compares the components of unequal ones).
    targets.dedup_by(|later, first| later.path.as_os_str() == first.path.as_os_str());
    // A file the walk reached through no link has its real path already;
    // the others take a `realpath` each (a system call per folder on the
    // way), on every core.
    let reals: Vec<Option<PathBuf>> = targets
        .par_iter()
        .map(|t| known_real_path(t, walked).or_else(|| std::fs::canonicalize(&t.path).ok()))
        .collect();
    // Keyed by the real path's bytes, which hash in one pass: a real path
    // is spelt one way (`realpath`'s, or a real root's with a normalised rest).
    let mut by_file: BytesMap<OsString, usize> = bytes_map_with_capacity(targets.len());
    let mut kept: Vec<Target> = Vec::with_capacity(targets.len());
    for (t, real) in targets.into_iter().zip(reals) {
        let Some(real) = real else {
            // Unreadable: the check says why, under the path as found.
            kept.push(t);
            continue;
        };
        match by_file.get(real.as_os_str()) {
            Some(&i) => {
                let first = &mut kept[i];
                first.explicit |= t.explicit;
                if t.path == real && first.path != real {
                    first.path = t.path;
                }
            }
            None => {
                by_file.insert(real.into_os_string(), kept.len());
                kept.push(t);
            }
        }
    }
    // Still in path order, unless a link's path gave way to the real one.
    let order = |a: &Target, b: &Target| path_order(&a.path, &b.path).then(a.explicit.cmp(&b.explicit));
    if !kept.is_sorted_by(|a, b| order(a, b).is_le()) {
        kept.sort_by(order);
    }
    kept
}

/// The order of [`Path`]'s `Ord` (component by component) for normalised
/// absolute paths, found in one pass over the bytes: a separator sorts
/// before every other byte, as the end of a component sorts before any
/// longer component. `Path::cmp` splits both paths into components first,
/// and sorting 3,060 targets that way was 28 M instructions before any
/// other thread could start.
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let rank = |byte: u8| if byte == b'/' { 0 } else { u16::from(byte) + 1 };
        let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
        match first_difference(a, b) {
            Some(i) => rank(a[i]).cmp(&rank(b[i])),
            None => a.len().cmp(&b.len()),
        }
    }
    #[cfg(not(unix))]
    a.cmp(b)
}

/// Where `a` and `b` first differ, within the shorter. The paths of a tree
/// share long beginnings (`/home/me/repo/skills/`), skipped 16 bytes at a
/// time rather than byte by byte.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    const WIDE: usize = 16;
    let n = a.len().min(b.len());
    let wide = |s: &[u8], i: usize| u128::from_ne_bytes(s[i..i + WIDE].try_into().unwrap_or_default());
    let mut i = 0;
    while i + WIDE <= n && wide(a, i) == wide(b, i) {
        i += WIDE;
    }
    a[i..n].iter().zip(&b[i..n]).position(|(x, y)| x != y).map(|j| i + j)
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
/// live in `.claude/skills/`), version-control folders are not, `.gitignore`
/// and `.ignore` files are honoured, and symbolic links are followed so that
/// a loop is found and reported ([`skill_walk`]: as the `ignore` crate's
/// walker does, which is its oracle in the tests).
///
/// The walk runs on every core: on a large tree it is mostly file system
/// calls, and it comes before anything else can start. It lists each folder
/// once, and keeps the listing of each folder holding a skill for the
/// planning and the skill's bundle. The caller sorts what it finds.
fn walk(dir: &Path, into: &mut Discovered) -> Walked {
    let tree = skill_walk::walk(dir);
    into.targets.extend(tree.skills.into_iter().map(|p| Target {
        path: normalized(p),
        explicit: false,
    }));
    // A pipe, socket or device: never read (a pipe would wait forever), but
    // said, so it is not missed silently.
    into.errors.extend(tree.not_files.iter().map(|p| {
        InputError::new(
            normalize(p),
            InputErrorKind::Unreadable,
            "is not a regular file (a pipe, socket or device), so it was skipped",
        )
    }));
    for problem in tree.problems {
        match walk_problem(problem) {
            Some(Met::Error(e)) => into.errors.push(e),
            Some(Met::Notice(n)) => into.notices.push(n),
            None => {}
        }
    }
    into.listings.extend(
        tree.listings
            .into_iter()
            .map(|(folder, listing)| (normalized(folder).into_os_string(), listing)),
    );
    Walked {
        root: dir.to_path_buf(),
        real_root: std::fs::canonicalize(dir).ok(),
        links: tree.links.iter().map(|p| normalize(p)).collect(),
    }
}

/// [`normalize`] of a path the walk found: the walk joins names to the
/// (normalised) folder walked, so its paths are normal already, and are
/// kept as they are, once a look at their bytes shows it (a third of
/// discover's serial part was normalising 3,060 paths again and their
/// 3,060 folders, and copying them another part).
fn normalized(path: PathBuf) -> PathBuf {
    if is_normal(&path) {
        path
    } else {
        normalize(&path)
    }
}

/// What a walk met besides files.
enum Met {
    /// Something that could not be read: exit status 2.
    Error(InputError),
    /// Something worth saying that loses nothing.
    Notice(Notice),
}

/// A problem met while walking, as a finding; `None` for what does not
/// concern skills (a folder gone while walked, unless named `SKILL.md`). A
/// link to a folder above it (`plugins/x -> ..`, as plugin repositories
/// have) is a notice: the folder it leads to is walked anyway, so every
/// skill is checked, once.
fn walk_problem(problem: Problem) -> Option<Met> {
    match problem {
        Problem::Loop { child, ancestor } => Some(Met::Notice(Notice {
            path: normalize(&child),
            kind: "symlink-to-ancestor",
            message: format!(
                "links to {}, a folder above it: not walked again; the skills there are checked once, under their own paths",
                ancestor.display()
            ),
            is_folder: true,
        })),
        Problem::Unreadable { path, err } => {
            let is_skill = path.file_name().is_some_and(|n| n == SKILL_FILE);
            let gone = err.kind() == std::io::ErrorKind::NotFound;
            (!gone || is_skill).then(|| Met::Error(InputError::from_io(normalize(&path), &err)))
        }
        Problem::Broken { path, err } => Some(Met::Error(InputError::from_io(normalize(&path), &err))),
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
        let tmp = test_corpus::scratch_dir("skill-lsp-discover");
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

    proptest::proptest! {
        /// `path_order` is `Path::cmp` on normalised absolute paths,
        /// whose components hold bytes on both sides of `/` (`-`, `.`,
        /// digits, letters, non-ASCII) and may be prefixes of each other.
        #[test]
        fn path_order_is_the_order_of_paths(
            shared in "[-.a-c0_ é/]{0,40}",
            a in proptest::collection::vec("[-.a-c0_ é/]{1,4}", 1..5),
            b in proptest::collection::vec("[-.a-c0_ é/]{1,4}", 1..5),
        ) {
            // Both may begin alike for longer than the 16 bytes compared at once.
            let path = |parts: &[String]| normalize(&PathBuf::from(format!("/{shared}{}", parts.join("/"))));
            let (a, b) = (path(&a), path(&b));
            proptest::prop_assert_eq!(path_order(&a, &b), a.cmp(&b), "{} {}", a.display(), b.display());
            proptest::prop_assert_eq!(path_order(&a, &a), std::cmp::Ordering::Equal);
        }
    }

    proptest::proptest! {
        /// A path `is_normal` accepts is its own `normalize`d form, and
        /// each normalised absolute path is accepted (`/..` is `/`).
        #[test]
        fn a_normal_path_is_its_normal_form(spelt in "[-./a-c é]{0,24}") {
            let path = Path::new(&spelt);
            if is_normal(path) {
                proptest::prop_assert_eq!(normalize(path).into_os_string(), path.as_os_str());
            }
            let normal = normalize(&Path::new("/").join(path));
            proptest::prop_assert!(is_normal(&normal) || cfg!(not(unix)), "{}", normal.display());
            proptest::prop_assert_eq!(normalized(path.to_path_buf()), normalize(path));
        }
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
