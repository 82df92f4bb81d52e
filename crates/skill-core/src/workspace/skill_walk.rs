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

use super::bundle::{Listing, MAX_DEPTH, SKIPPED_DIRS};
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
    /// The listing of each folder holding one of `skills`, with those of
    /// the sub-folders its bundle reads.
    pub listings: Vec<(PathBuf, Listing)>,
    /// The listings kept while walking: path, listing, whether the folder
    /// holds one of `skills`.
    kept: Vec<(PathBuf, Option<Listing>, bool)>,
}

/// Walks `root` (an absolute path of a folder).
pub fn walk(root: &Path) -> SkillTree {
    let (walk, above) = Walk::new(root);
    let found = Mutex::new(SkillTree::default());
    if let Some(p) = above {
        lock(&found).problems.push(Problem::Unreadable {
            path: p.path,
            err: p.err,
        });
    }
    let walker = Walker { walk, found };
    rayon::scope(|s| walker.folder(s, root.to_path_buf(), &Rules::default(), true, None));
    let mut tree = walker.found.into_inner().unwrap_or_else(|e| e.into_inner());
    tree.listings = with_subs(std::mem::take(&mut tree.kept));
    tree
}

/// The listings of the skill folders among `kept` (path, listing, whether
/// it holds a skill), each with those of the folders its bundle reads.
fn with_subs(mut kept: Vec<(PathBuf, Option<Listing>, bool)>) -> Vec<(PathBuf, Listing)> {
    // In the order of their bytes a folder comes before those below it (its
    // path is a prefix of theirs): taken from the last, each listing has its
    // sub-folders' before it goes to its parent's. Paths as walked are
    // spelt one way, so bytes compare as paths do, and at a fraction of
    // the cost of comparing them component by component.
    kept.sort_unstable_by(|a, b| bytes(&a.0).cmp(bytes(&b.0)));
    let mut skills = Vec::new();
    for i in (0..kept.len()).rev() {
        let (above, here) = kept.split_at_mut(i);
        let (path, listing, is_skill) = &mut here[0];
        let Some(listing) = listing.take() else { continue };
        let parent = path
            .parent()
            .and_then(|p| above.binary_search_by(|(q, _, _)| bytes(q).cmp(bytes(p))).ok());
        let up = parent.and_then(|j| above[j].1.as_mut());
        match (up, path.file_name().and_then(|n| n.to_str())) {
            (Some(up), Some(name)) if *is_skill => {
                up.add_sub(name, listing.clone());
                skills.push((std::mem::take(path), listing));
            }
            (Some(up), Some(name)) => up.add_sub(name, listing),
            _ if *is_skill => skills.push((std::mem::take(path), listing)),
            _ => {}
        }
    }
    skills
}

/// The bytes of `path`'s name.
fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
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
    /// walks on into its sub-folders on other threads. `bundled`: how deep
    /// in a skill's folder `dir` is, when a bundle would read it.
    fn folder<'s>(&'s self, s: &rayon::Scope<'s>, dir: PathBuf, rules: &Rules, root: bool, bundled: Option<usize>) {
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
        let mut folders = Vec::new();
        for (name, kind) in listed.iter() {
            let kind = match kind {
                Ok(kind) => *kind,
                Err(err) => {
                    let err = copy_error(err);
                    let path = dir.join(name);
                    lock(&self.found).problems.push(Problem::Broken { path, err });
                    continue;
                }
            };
            let is_skill = name == SKILL_FILE;
            // Any other file is nothing to the walk, whatever the rules say of it.
            if matches!(kind, Type::File | Type::Other) && !is_skill {
                continue;
            }
            let path = dir.join(name);
            let Some(seen) = self.follow(&dir, &rules, &path, kind) else {
                continue;
            };
            if self.walk.ignores(&rules, &path, seen.kind == Type::Dir) || VCS_DIRS.iter().any(|v| name == *v) {
                continue;
            }
            if seen.linked && (seen.kind == Type::Dir || is_skill) {
                lock(&self.found).links.push(path.clone());
            }
            match seen.kind {
                Type::Dir => {
                    // What a bundle walks into: a folder itself (no link), named as it names them.
                    let bundles = !seen.linked
                        && name
                            .to_str()
                            .is_some_and(|n| !n.starts_with('.') && !SKIPPED_DIRS.contains(&n));
                    folders.push((path, bundles));
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
            lock(&self.found)
                .problems
                .push(Problem::Unreadable { path: dir.clone(), err });
        }
        let bundled = if holds_skill { Some(0) } else { bundled };
        for (path, bundles) in folders {
            let depth = bundled.filter(|_| bundles).map(|d| d + 1).filter(|d| *d < MAX_DEPTH);
            let rules = rules.clone();
            s.spawn(move |s| self.folder(s, path, &rules, false, depth));
        }
        if bundled.is_some() {
            let listing = Listing::of(&listed);
            lock(&self.found).kept.push((dir, Some(listing), holds_skill));
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
        let kind = Type::of(meta.file_type());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::bundle::Bundle;

    /// What a walk found, comparable: each skill, entry that is no file,
    /// followed link, loop and problem (as `check` reports it: a folder gone
    /// while walked is said only when named `SKILL.md`), sorted.
    fn outcome(tree: SkillTree) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(tree.skills.iter().map(|p| format!("skill {}", p.display())));
        out.extend(tree.not_files.iter().map(|p| format!("not a file {}", p.display())));
        out.extend(tree.links.iter().map(|p| format!("link {}", p.display())));
        for problem in tree.problems {
            match problem {
                Problem::Loop { child, ancestor } => {
                    out.push(format!("loop {} -> {}", child.display(), ancestor.display()))
                }
                Problem::Unreadable { path, err } => {
                    if err.kind() != std::io::ErrorKind::NotFound || path.ends_with(SKILL_FILE) {
                        out.push(format!("error {} {:?}", path.display(), err.raw_os_error()));
                    }
                }
                Problem::Broken { path, err } => out.push(format!("error {} {:?}", path.display(), err.raw_os_error())),
            }
        }
        out.sort();
        out
    }

    /// The walk `check` made with the `ignore` crate before, and what it
    /// said (its `walk_error`), in the same terms as [`outcome`].
    fn oracle(root: &Path) -> Vec<String> {
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .follow_links(true)
            .require_git(false)
            .filter_entry(|entry| !matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn" | ".jj")))
            .build_parallel();
        let found = Mutex::new(Vec::new());
        walker.run(|| {
            let found = &found;
            Box::new(move |entry| {
                let said = match entry {
                    Ok(entry) => {
                        let kind = entry.file_type();
                        let is_skill = entry.file_name() == SKILL_FILE;
                        let is_dir = kind.is_some_and(|t| t.is_dir());
                        let mut said = Vec::new();
                        if entry.depth() > 0 && entry.path_is_symlink() && (is_dir || is_skill) {
                            said.push(format!("link {}", entry.path().display()));
                        }
                        if is_skill && kind.is_some_and(|t| t.is_file()) {
                            said.push(format!("skill {}", entry.path().display()));
                        } else if is_skill && !is_dir {
                            said.push(format!("not a file {}", entry.path().display()));
                        }
                        said
                    }
                    Err(err) => said_of(&err).into_iter().collect(),
                };
                found.lock().unwrap().extend(said);
                ignore::WalkState::Continue
            })
        });
        let mut out = found.into_inner().unwrap();
        out.sort();
        out
    }

    /// `check`'s `walk_error` as it was, in the terms of [`outcome`].
    fn said_of(err: &ignore::Error) -> Option<String> {
        match err {
            ignore::Error::Loop { child, ancestor } => {
                Some(format!("loop {} -> {}", child.display(), ancestor.display()))
            }
            ignore::Error::WithPath { path, err } => match err.as_ref() {
                ignore::Error::Io(io) => {
                    let gone = io.kind() == std::io::ErrorKind::NotFound;
                    (!gone || path.ends_with(SKILL_FILE))
                        .then(|| format!("error {} {:?}", path.display(), io.raw_os_error()))
                }
                inner => said_of(inner).map(|s| match s.strip_prefix("error  ") {
                    Some(rest) => format!("error {} {rest}", path.display()),
                    None => s,
                }),
            },
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => said_of(err),
            ignore::Error::Io(io) => Some(format!("error  {:?}", io.raw_os_error())),
            _ => None,
        }
    }

    /// The bundle read from the walk's listings (the folder's and its
    /// sub-folders') is the one read from the file system.
    fn same_bundle(dir: &Path, listing: &Listing) {
        let (listed, read) = (Bundle::read_listed(dir, listing), Bundle::read(dir));
        assert_eq!(listed.read_as(), read.read_as(), "{}", dir.display());
    }

    /// A small random number generator (xorshift), so that each tree is
    /// made again from its seed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    /// Lines of ignore files: plain names, folders, anchored paths,
    /// wildcards and whitelists of each.
    const PATTERNS: &[&str] = &[
        "SKILL.md",
        "!SKILL.md",
        "a",
        "a/",
        "!a",
        "!a/",
        "/b",
        "b/",
        "!b/",
        "c/SKILL.md",
        "!c/SKILL.md",
        "*.md",
        "!*.md",
        "**/x/**",
        "!**/x/",
        "d*",
        "!d*/",
        "l*",
        "!link-up",
        ".hidden",
        "!.hidden/",
        "# note",
        "*",
        "!*/",
        "[ab]/",
        "x/SKILL.md",
    ];

    /// Makes a random tree under `dir`: folders, skills, other files,
    /// ignore files (`.gitignore`, `.ignore`, a `.git` folder's exclude
    /// file, in the folder and above it), and on Unix links to folders
    /// above, beside and below, to skills, and to nothing.
    fn random_tree(dir: &Path, rng: &mut Rng) {
        const NAMES: &[&str] = &["a", "b", "c", "d", "x", ".hidden", "dd", "e"];
        let mut folders = vec![dir.to_path_buf()];
        for _ in 0..rng.below(14) + 2 {
            let parent = folders[rng.below(folders.len())].clone();
            let folder = parent.join(rng.pick(NAMES));
            std::fs::create_dir_all(&folder).unwrap();
            folders.push(folder);
        }
        let file = |path: PathBuf, text: String| {
            if !path.exists() {
                std::fs::write(path, text).unwrap();
            }
        };
        for folder in folders.clone() {
            if rng.below(3) > 0 {
                file(folder.join(SKILL_FILE), "---\nname: x\n---\n".into());
            }
            if rng.below(3) == 0 {
                file(folder.join("notes.md"), String::new());
            }
            for name in [".gitignore", ".ignore"] {
                if rng.below(4) == 0 {
                    let lines: Vec<&str> = (0..rng.below(4) + 1).map(|_| rng.pick(PATTERNS)).collect();
                    file(folder.join(name), lines.join("\n"));
                }
            }
            if rng.below(10) == 0 {
                std::fs::create_dir_all(folder.join(".git/info")).unwrap();
                file(folder.join(".git/info/exclude"), rng.pick(PATTERNS).to_string());
                file(folder.join(".git/SKILL.md"), String::new());
            }
            #[cfg(unix)]
            if rng.below(3) == 0 {
                let target = match rng.below(5) {
                    0 => "..".to_string(),
                    1 => "../..".to_string(),
                    2 => "missing".to_string(),
                    3 => SKILL_FILE.to_string(),
                    _ => {
                        let to = &folders[rng.below(folders.len())];
                        to.to_string_lossy().into_owned()
                    }
                };
                let name = if target == SKILL_FILE && !folder.join(SKILL_FILE).exists() {
                    SKILL_FILE
                } else {
                    rng.pick(&["link-up", "l2", "b"])
                };
                let _ = std::os::unix::fs::symlink(&target, folder.join(name));
            }
        }
    }

    /// The walk finds and says what the `ignore` crate's walker finds and
    /// says, on random trees of ignore rules (nested, whitelisting, above
    /// the walked folder) and links (loops, dangling, to skills).
    #[test]
    fn finds_what_the_ignore_crates_walker_finds() {
        let mut base = PathBuf::new();
        // What the trees held, so that the test is seen to cover each case.
        let mut met = std::collections::BTreeMap::new();
        for seed in 1..=150u64 {
            // Emptied for every tree: its links may lead above `top`.
            base = test_corpus::scratch_dir("skill-core-skill-walk");
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let top = base.join("top");
            std::fs::create_dir_all(&top).unwrap();
            random_tree(&top, &mut rng);
            for root in [top.clone(), top.join("a"), top.join("b/c"), top.join("x")] {
                if root.is_dir() {
                    let tree = walk(&root);
                    for (dir, listing) in &tree.listings {
                        same_bundle(dir, listing);
                    }
                    let found = outcome(tree);
                    assert_eq!(found, oracle(&root), "seed {seed}, {}", root.display());
                    for said in &found {
                        *met.entry(said.split(' ').next().unwrap().to_string()).or_insert(0) += 1;
                    }
                    let all = ignore::WalkBuilder::new(&root).standard_filters(false).build();
                    let in_git = |e: &ignore::DirEntry| e.path().components().any(|c| c.as_os_str() == ".git");
                    let skills = all
                        .flatten()
                        .filter(|e| e.file_name() == SKILL_FILE && !in_git(e))
                        .count();
                    let found_skills = found.iter().filter(|s| s.starts_with("skill ")).count();
                    *met.entry("left out".to_string()).or_insert(0) += skills - found_skills.min(skills);
                }
            }
        }
        std::fs::remove_dir_all(&base).unwrap();
        for case in ["skill", "link", "loop", "error", "left out"] {
            assert!(met.get(case).is_some_and(|n| *n > 10), "{case}: {met:?}");
        }
    }

    /// The same on the corpus and the benchmark's tree, with the listings
    /// kept those of the folders holding skills, as listing them gives.
    #[test]
    fn finds_what_the_ignore_crates_walker_finds_on_real_trees() {
        let mut roots: Vec<PathBuf> = ["forge", "forge-clean", "agentskills"]
            .iter()
            .filter_map(|t| test_corpus::holding(&[t]).map(|c| c.join(t)))
            .collect();
        roots.extend(Some(PathBuf::from("/tmp/ts/tree1")).filter(|p| p.is_dir()));
        let mut subs = 0;
        for root in &roots {
            let root = root.as_path();
            let tree = walk(root);
            let mut folders: Vec<PathBuf> = tree
                .skills
                .iter()
                .filter_map(|s| s.parent())
                .map(Path::to_path_buf)
                .collect();
            folders.sort();
            let mut listed: Vec<&PathBuf> = tree.listings.iter().map(|(d, _)| d).collect();
            listed.sort();
            assert_eq!(listed, folders.iter().collect::<Vec<_>>());
            for (dir, listing) in &tree.listings {
                assert_eq!(listing.own(), Listing::read(dir).unwrap().own());
                same_bundle(dir, listing);
            }
            subs += tree.listings.iter().map(|(_, l)| l.subs_within()).sum::<usize>();
            assert_eq!(outcome(tree), oracle(root), "{}", root.display());
        }
        // Bundles of the corpus have sub-folders (`references/`, `scripts/`).
        assert!(roots.is_empty() || subs > 0);
    }
}
