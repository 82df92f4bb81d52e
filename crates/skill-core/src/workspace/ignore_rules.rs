//! Which paths a folder walk leaves out by `.gitignore`, `.ignore`,
//! `.git/info/exclude` and git's global excludes file, exactly as the
//! `ignore` crate's `WalkBuilder` does with `require_git(false)` and its
//! other defaults (its `src/dir.rs`, `Ignore::matched_ignore`): the rules
//! are the crate's own matchers ([`Gitignore`]); only the folders' files are
//! found from listings the walk made already, not by asking the file system.
//!
//! Precedence, as there: a `.ignore` match of any folder beats every
//! `.gitignore` match, which beats `.git/info/exclude`, then the global
//! file; within each kind the nearest folder's file decides (a whitelist,
//! `!pattern`, is a decision too). Without a git requirement no repository
//! boundary stops the search upwards, and the folders above the walked root
//! count as well: their rules match the path under the root's real path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::raw_dir::RawDir;

/// A folder's rules: its `.ignore`, `.gitignore` and `.git/info/exclude`,
/// in order of precedence.
struct FolderRules([Gitignore; 3]);

impl FolderRules {
    fn is_empty(&self) -> bool {
        self.0.iter().all(Gitignore::is_empty)
    }
}

/// The rules in force in a folder of the walk: its own and those of the
/// folders between it and the root, nearest first. Folders without rules
/// add no link, so most folders share their parent's.
#[derive(Clone, Default)]
pub(crate) struct Rules(Option<Arc<Link>>);

struct Link {
    rules: FolderRules,
    up: Rules,
}

/// What holds for a whole walk: the root, the rules above it and the global ones.
pub(crate) struct Walk {
    /// The root as walked.
    root: PathBuf,
    /// The root's real path, under which the rules above it match.
    real_root: Option<PathBuf>,
    /// The folders above the root's real path with their rules, nearest first.
    above: Vec<(PathBuf, FolderRules)>,
    /// Whether any of `above` has rules.
    above_rules: bool,
    /// git's global excludes file.
    global: Gitignore,
}

/// What reading the rules of the folders above a root met that a walk
/// reports, as `WalkBuilder` reports it: a `.git` file (a worktree's) that
/// could not be read, when it is the only problem met there.
pub(crate) struct AboveProblem {
    pub path: PathBuf,
    pub err: std::io::Error,
}

impl Walk {
    /// The rules of the folders above `root` (as given; absolute) and git's
    /// global file, relative to the current folder as `WalkBuilder` takes it.
    pub fn new(root: &Path) -> (Walk, Option<AboveProblem>) {
        let global = match std::env::current_dir() {
            Ok(cwd) => GitignoreBuilder::new(cwd).build_global().0,
            Err(_) => Gitignore::empty(),
        };
        let real_root = root.canonicalize().ok();
        let mut problems = Vec::new();
        let above: Vec<(PathBuf, FolderRules)> = (real_root.iter())
            .flat_map(|r| r.ancestors().skip(1))
            .map(|dir| (dir.to_path_buf(), read_rules(dir, None, &mut problems)))
            .collect();
        let walk = Walk {
            root: root.to_path_buf(),
            real_root,
            above_rules: above.iter().any(|(_, rules)| !rules.is_empty()),
            above,
            global,
        };
        (walk, only_problem(problems))
    }

    /// The folders whose identity a link to a folder is compared with to
    /// find a loop, nearest first: those of the walk from `dir` (the link's
    /// folder) up to the root, then those above the root's real path.
    pub fn ancestors<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a Path> + 'a {
        let walked = dir.ancestors().take_while(move |a| a.starts_with(&self.root));
        walked.chain(self.above.iter().map(|(d, _)| d.as_path()))
    }

    /// Whether `path` (in a folder whose rules are `rules`) is left out.
    pub fn ignores(&self, rules: &Rules, path: &Path, is_dir: bool) -> bool {
        let mut found = [Match::None, Match::None, Match::None];
        let mut decide = |folder: &FolderRules, path: &Path| {
            for (m, rules) in found.iter_mut().zip(&folder.0) {
                if m.is_none() {
                    *m = rules.matched(path, is_dir).map(|_| ());
                }
            }
        };
        let mut link = rules.0.as_deref();
        while let Some(l) = link {
            decide(&l.rules, path);
            link = l.up.0.as_deref();
        }
        if let Some(real_root) = self.real_root.as_ref().filter(|_| self.above_rules) {
            let rest = path.strip_prefix(&self.root).unwrap_or(path);
            let path = real_root.join(rest);
            for (_, folder) in &self.above {
                decide(folder, &path);
            }
        }
        let [ignore, gitignore, exclude] = found;
        let global = self.global.matched(path, is_dir).map(|_| ());
        ignore.or(gitignore).or(exclude).or(global).is_ignore()
    }
}

impl Rules {
    /// The rules in force in the folder `dir`, whose entries are `listed`,
    /// inside a folder whose rules are `self`.
    pub fn enter(&self, dir: &Path, listed: &RawDir) -> Rules {
        let rules = read_rules(dir, Some(listed), &mut Vec::new());
        if rules.is_empty() {
            return self.clone();
        }
        Rules(Some(Arc::new(Link {
            rules,
            up: self.clone(),
        })))
    }
}

/// The rules of the folder `dir`: of the files its listing names (all of
/// them probed when there is no listing, as for the folders above a
/// root). Problems go to `problems`, counted as `ignore` counts them.
fn read_rules(dir: &Path, listed: Option<&RawDir>, problems: &mut Vec<ignore::Error>) -> FolderRules {
    let has = |name: &str| listed.is_none_or(|l| l.has(name));
    let has_git = has(".git");
    let git_type = has_git
        .then(|| dir.join(".git").metadata().ok().map(|m| m.file_type()))
        .flatten();
    let ignore = match has(".ignore") {
        true => rules_file(dir, dir, ".ignore", problems),
        false => Gitignore::empty(),
    };
    let gitignore = match has(".gitignore") {
        true => rules_file(dir, dir, ".gitignore", problems),
        false => Gitignore::empty(),
    };
    let exclude = match has_git {
        false => Gitignore::empty(),
        true => match git_common_dir(dir, git_type) {
            Ok(git_dir) => rules_file(dir, &git_dir, "info/exclude", problems),
            Err(err) => {
                problems.extend(err);
                Gitignore::empty()
            }
        },
    };
    FolderRules([ignore, gitignore, exclude])
}

/// The rules of the file `name` in `holder`, matching paths under `dir`;
/// problems other than reading it are kept (`ignore`'s `create_gitignore`).
fn rules_file(dir: &Path, holder: &Path, name: &str, problems: &mut Vec<ignore::Error>) -> Gitignore {
    let mut builder = GitignoreBuilder::new(dir);
    let path = holder.join(name);
    if path.exists() {
        problems.extend(builder.add(path).filter(|e| !e.is_io()));
    }
    builder.build().unwrap_or_else(|e| {
        problems.push(e);
        Gitignore::empty()
    })
}

/// The folder holding `info/exclude` for the checkout at `dir`: `.git`,
/// or for a worktree (`.git` a file naming its git folder) the common
/// folder of its repository (`ignore`'s `resolve_git_commondir`).
fn git_common_dir(dir: &Path, git_type: Option<std::fs::FileType>) -> Result<PathBuf, Option<ignore::Error>> {
    use std::io::BufRead;
    let git = dir.join(".git");
    if !git_type.is_some_and(|t| t.is_file()) {
        return Ok(git);
    }
    let io = |err: std::io::Error, path: &Path| Some(ignore::Error::Io(err).with_path_of(path));
    let first_line = |path: &Path| -> Result<Option<String>, std::io::Error> {
        let file = std::io::BufReader::new(std::fs::File::open(path)?);
        file.lines().next().transpose()
    };
    let line = match first_line(&git) {
        Ok(Some(line)) => line,
        Ok(None) => return Err(None),
        Err(e) => return Err(io(e, &git)),
    };
    let Some(real_git_dir) = line.strip_prefix("gitdir: ").map(PathBuf::from) else {
        return Err(None);
    };
    let commondir = real_git_dir.join("commondir");
    let line = match std::fs::File::open(&commondir) {
        Err(_) => return Err(None),
        Ok(file) => match std::io::BufReader::new(file).lines().next() {
            Some(Ok(line)) => line,
            Some(Err(e)) => return Err(io(e, &commondir)),
            None => return Err(None),
        },
    };
    Ok(match line.starts_with('.') {
        true => real_git_dir.join(line),
        false => PathBuf::from(line),
    })
}

/// `ignore::Error::with_path` is the crate's own: the same shape, built here.
trait WithPathOf {
    fn with_path_of(self, path: &Path) -> ignore::Error;
}

impl WithPathOf for ignore::Error {
    fn with_path_of(self, path: &Path) -> ignore::Error {
        ignore::Error::WithPath {
            path: path.to_path_buf(),
            err: Box::new(self),
        }
    }
}

/// What a walk reports of the problems met reading the rules above its
/// root: one problem alone, when it is a file that could not be read (many
/// at once are one partial error, which the walk does not report).
fn only_problem(mut problems: Vec<ignore::Error>) -> Option<AboveProblem> {
    if problems.len() != 1 {
        return None;
    }
    match problems.pop()? {
        ignore::Error::WithPath { path, err } => match *err {
            ignore::Error::Io(err) => Some(AboveProblem { path, err }),
            _ => None,
        },
        _ => None,
    }
}
