//! Pairs each file with its workspace and configuration: the nearest
//! `skill-lsp.toml` above it (or `--config`), its `ignore` globs, and the
//! skills root, each root loaded once. What a config means is the project
//! resolver's (`crate::project`), shared with the language server.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use skill_core::config::FILE_NAME;
use skill_core::workspace::bundle::Listing;
use skill_core::workspace::bytes_map::BytesMap;
use skill_core::workspace::SkillFileLens;
use skill_core::{Config, Profile, Workspace};

use super::discover::Target;
use super::report::{InputError, InputErrorKind};
use crate::project::{config_in, ConfigFileError, ConfigProblem};

/// A configuration and where it applies from (the one project resolver's).
pub use crate::project::ConfigFile as LoadedConfig;

/// Where a `check` or `format` run starts: the current folder, the
/// configuration `--config` forces on every file (if given) and the paths
/// to search (`.` when none is named).
pub struct Start {
    pub cwd: PathBuf,
    pub forced: Option<Arc<LoadedConfig>>,
    pub inputs: Vec<PathBuf>,
}

/// Reads the current folder and the forced configuration; the error is the
/// usage error's message.
pub fn start(paths: &[PathBuf], config: Option<&Path>) -> Result<Start, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let forced = match config {
        Some(path) => Some(Arc::new(
            LoadedConfig::read(&super::discover::absolute(&cwd, path))
                .map_err(|e| format!("--config {}:\n{}", path.display(), e.describe(path)))?,
        )),
        None => None,
    };
    let inputs = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    Ok(Start { cwd, forced, inputs })
}

/// The skills root the run most likely checks: the forced config's, else
/// the one around the first input (which asks the file system). A guess,
/// for work done ahead ([`likely_profile`], [`Preloaded`]), never for a
/// finding.
pub fn likely_root(forced: Option<&LoadedConfig>, cwd: &Path, inputs: &[PathBuf]) -> Option<PathBuf> {
    forced.and_then(LoadedConfig::root).or_else(|| {
        let first = super::discover::absolute(cwd, inputs.first()?);
        Workspace::find_root(&first)
    })
}

/// The profile most files of the run are likely checked in: `--profile`'s,
/// else the forced config's, else the one [`Profile::detect`] gives the
/// first input (`root_found`: [`likely_root`] found a skills root, the
/// workflow profile). A guess, for work done ahead
/// ([`skill_core::analysis::prewarm`]), never for a finding.
pub fn likely_profile(named: Option<Profile>, forced: Option<&LoadedConfig>, root_found: bool) -> Profile {
    named
        .or_else(|| forced.and_then(|c| c.config.profile))
        .unwrap_or(if root_found {
            Profile::Workflow
        } else {
            Profile::AgentSkills
        })
}

/// The index of the likely root ([`likely_root`]), made on a thread of its
/// own while the walk finds the files to check: both are mostly the
/// kernel's work on files, each leaving a core idle part of the time, and
/// run together they shared the cores (30,600 skills: wall 0.94 of one
/// after the other, paired). [`plan`] takes it when the root is the one
/// the files need, and makes any other itself.
pub struct Preloaded {
    root: PathBuf,
    index: std::thread::JoinHandle<(Workspace, SkillFileLens)>,
}

impl Preloaded {
    /// Starts indexing `root`.
    pub fn start(root: PathBuf) -> Preloaded {
        let at = root.clone();
        let index = std::thread::spawn(move || Workspace::load_for_rules_with_lens(&at));
        Preloaded { root, index }
    }

    /// The root and its index, once made (a panic while indexing is raised
    /// here, as it would be without the thread).
    fn wait(self) -> (PathBuf, (Workspace, SkillFileLens)) {
        let index = self.index.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (self.root, index)
    }
}

/// Reads and parses a config file; the errors say which file (the config or
/// one it extends), where in it and what is wrong: all of them.
pub fn read_config(path: &Path) -> Result<LoadedConfig, Vec<InputError>> {
    LoadedConfig::read(path).map_err(|e| match e {
        ConfigFileError::Io(e) => vec![InputError {
            kind: InputErrorKind::InvalidConfig,
            ..InputError::from_io(path.to_path_buf(), &e)
        }],
        ConfigFileError::Invalid(problems) => problems.into_iter().map(invalid_config).collect(),
    })
}

fn invalid_config(problem: ConfigProblem) -> InputError {
    InputError {
        position: problem.position,
        ..InputError::new(problem.path, InputErrorKind::InvalidConfig, problem.message)
    }
}

/// One file to check with everything its rules need.
pub struct Job {
    pub target: Target,
    pub workspace: Arc<Workspace>,
    pub config: Arc<LoadedConfig>,
    /// The file's size, when indexing its workspace found it a regular
    /// file (or a link to one) of that size: read with no `stat` of its own.
    pub len: Option<u64>,
    /// The listing of the file's folder that planning made, until the file
    /// is checked ([`Job::take_listing`]).
    listing: std::sync::Mutex<Option<Listing>>,
}

impl Job {
    /// The listing of the file's folder that planning made, once: offered
    /// to the workspace when the file is checked, the skill's bundle does
    /// not list the folder again. Kept here rather than in the workspace
    /// until then, so that at most one listing a thread is held there.
    pub fn take_listing(&self) -> Option<Listing> {
        self.listing.lock().ok()?.take()
    }
}

/// A file a folder walk found that its config's `ignore` globs exclude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub path: PathBuf,
    /// The folder of the config whose globs exclude it.
    pub config_dir: PathBuf,
}

/// What [`plan`] makes of the targets.
pub struct Plan {
    pub jobs: Vec<Job>,
    /// Config files that could not be used.
    pub errors: Vec<InputError>,
    /// Files dropped by their config's `ignore` globs, so that a run that
    /// checks nothing can say why.
    pub ignored: Vec<Ignored>,
}

/// Pairs targets with configs and workspaces. Files excluded by their config's
/// `ignore` globs are dropped (unless named on the command line). Broken
/// config files are reported, and their files checked with the defaults.
/// `listings`: of the folders of targets, made by the walk that found them
/// (the others are listed here).
/// `preloaded`: the likely root's index, begun before the walk.
pub fn plan(
    targets: Vec<Target>,
    listings: BytesMap<OsString, Listing>,
    forced: Option<Arc<LoadedConfig>>,
    preloaded: Option<Preloaded>,
) -> Plan {
    let mut errors = Vec::new();
    let mut ignored = Vec::new();
    // A forced config naming the root leaves no root to look for.
    let roots_wanted = forced.as_ref().is_none_or(|c| c.root().is_none());
    let (heres, listings): (Vec<Option<Here>>, Vec<Option<Listing>>) = {
        let mut folders = folders_of(&targets, listings, forced.is_none(), roots_wanted);
        targets.iter().map(|t| folders.take(&t.path)).unzip()
    };
    let mut finder = ConfigFinder::default();
    let mut roots = RootFinder::default();
    let default = Arc::new(LoadedConfig::new(Config::default(), PathBuf::new()));
    let mut planned = Vec::with_capacity(targets.len());
    for ((target, here), listing) in targets.into_iter().zip(heres).zip(listings) {
        let config = match &forced {
            Some(c) => c.clone(),
            None => finder
                .for_file(&target.path, here.as_ref().and_then(|h| h.config.clone()))
                .unwrap_or_else(|| default.clone()),
        };
        if !target.explicit && config.ignores(&target.path) {
            ignored.push(Ignored {
                path: target.path,
                config_dir: config.dir.clone(),
            });
            continue;
        }
        let root = config
            .root()
            .or_else(|| roots.for_file(&target.path, here.and_then(|h| h.root)));
        planned.push((target, config, root, listing));
    }
    errors.append(&mut finder.errors);
    // Files in path order nearly always share the root of the one before:
    // each run of them names it once.
    let mut roots: Vec<PathBuf> = Vec::new();
    for root in planned.iter().filter_map(|(_, _, root, _)| root.as_ref()) {
        if roots.last() != Some(root) {
            roots.push(root.clone());
        }
    }
    let (workspaces, mut lens) = load_workspaces(roots.into_iter(), preloaded);
    // Each config once with each root it is used with.
    let mut validated: Vec<(*const LoadedConfig, &Path)> = Vec::new();
    for (_, config, root, _) in &planned {
        let Some(root) = root else { continue };
        let key = (Arc::as_ptr(config), root.as_path());
        if validated.contains(&key) {
            continue;
        }
        validated.push(key);
        if let Some(ws) = workspaces.get(root) {
            errors.extend(config.uncallable(ws).into_iter().map(invalid_config));
        }
    }
    let outside: Vec<&Path> = planned
        .iter()
        .filter(|(_, _, root, _)| root.is_none())
        .map(|(t, _, _, _)| t.path.as_path())
        .collect();
    let repositories = repositories(&outside);
    let jobs = planned
        .into_iter()
        .map(|(target, config, root, listing)| {
            let workspace = match root {
                Some(r) => workspaces.get(&r).cloned(),
                None => None,
            }
            .or_else(|| repositories.for_file(&target.path))
            .unwrap_or_else(|| repositories.none.clone());
            Job {
                len: lens.remove(target.path.as_os_str()),
                listing: std::sync::Mutex::new(listing),
                target,
                workspace,
                config,
            }
        })
        .collect();
    Plan { jobs, errors, ignored }
}

/// The workspaces of skills outside a skills root, one per repository: the
/// nearest folder above holding `.git` or a `skill-lsp.toml`
/// ([`Workspace::is_repository`]); files under no such folder count as one
/// repository, the run's. Each carries the `name` of every checked skill of
/// its repository (front matter only, read in parallel), for the rules that
/// compare skills (SK505, SK510).
struct Repositories {
    by_folder: HashMap<PathBuf, Arc<Workspace>>,
    /// Folder of a file → its repository folder (`None`: the run's).
    of_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// The workspace of files under no repository folder.
    none: Arc<Workspace>,
}

impl Repositories {
    fn for_file(&self, file: &Path) -> Option<Arc<Workspace>> {
        let repo = self.of_dir.get(file.parent()?)?.as_ref()?;
        self.by_folder.get(repo).cloned()
    }
}

fn repositories(files: &[&Path]) -> Repositories {
    let mut of_dir: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    fn find(dir: &Path, cache: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
        if let Some(found) = cache.get(dir) {
            return found.clone();
        }
        let found = if Workspace::is_repository(dir) {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|up| find(up, cache))
        };
        cache.insert(dir.to_path_buf(), found.clone());
        found
    }
    let repos: Vec<Option<PathBuf>> = files
        .iter()
        .map(|f| f.parent().and_then(|d| find(d, &mut of_dir)))
        .collect();
    // Each named skill with its real path, both worked out on every core.
    let names: Vec<Option<(String, PathBuf)>> = files
        .par_iter()
        .map(|f| {
            Some((
                skill_core::workspace::skill_name(f)?,
                skill_core::workspace::real_path(f),
            ))
        })
        .collect();
    let mut grouped: BTreeMap<Option<PathBuf>, Vec<(String, PathBuf)>> = BTreeMap::new();
    for (repo, named) in repos.into_iter().zip(names) {
        let entry = grouped.entry(repo).or_default();
        entry.extend(named);
    }
    // Nothing edits the files while they are checked (`--fix` writes only
    // the skill it checks): each linked file and folder is read once.
    let workspace =
        |named: Vec<(String, PathBuf)>| Arc::new(Workspace::for_resolved_repository(named).with_files_unchanged());
    let mut none = None;
    let mut by_folder = HashMap::new();
    for (repo, named) in grouped {
        match repo {
            Some(folder) => {
                by_folder.insert(folder, workspace(named));
            }
            None => none = Some(workspace(named)),
        }
    }
    Repositories {
        by_folder,
        of_dir,
        none: none.unwrap_or_else(|| Arc::new(Workspace::detached().with_files_unchanged())),
    }
}

/// Loads each distinct root once, in parallel, taking the `preloaded`
/// index for its root when that is one of them; and the sizes of the skill
/// files indexing found in them.
fn load_workspaces(
    roots: impl Iterator<Item = PathBuf>,
    preloaded: Option<Preloaded>,
) -> (BTreeMap<PathBuf, Arc<Workspace>>, SkillFileLens) {
    let mut distinct: Vec<PathBuf> = roots.collect();
    distinct.sort();
    distinct.dedup();
    // Waited for even when no file needs it: no indexing goes on behind the checks.
    let early = preloaded
        .map(Preloaded::wait)
        .filter(|(root, _)| distinct.contains(root));
    distinct.retain(|root| early.as_ref().is_none_or(|(done, _)| done != root));
    let loaded: Vec<_> = distinct
        .into_par_iter()
        .map(|root| (root.clone(), Workspace::load_for_rules_with_lens(&root)))
        .collect();
    let mut lens = SkillFileLens::default();
    let mut workspaces = BTreeMap::new();
    for (root, (workspace, found)) in early.into_iter().chain(loaded) {
        // One root (the usual run): its map as it is, not copied entry by entry.
        if lens.is_empty() {
            lens = found;
        } else {
            lens.extend(found);
        }
        workspaces.insert(root, Arc::new(workspace));
    }
    (workspaces, lens)
}

/// What the folder of a file says of configs and skills roots, when asked
/// already (`None`: not asked): the config file in it, and
/// [`Workspace::root_at`] of it.
#[derive(Clone, Debug, PartialEq)]
struct Here {
    config: Option<Option<PathBuf>>,
    root: Option<Option<PathBuf>>,
}

/// [`Here`] of each folder holding targets, sorted by folder ([`bytes`]),
/// with the folder's listing when it could be listed; and where the last
/// folder asked for was found.
struct Folders<'a> {
    found: Vec<(&'a Path, Here, Option<Listing>)>,
    last: usize,
}

impl Folders<'_> {
    /// What the folder of `file` holds, when it was asked; and its
    /// listing, to the first file of the folder that asks.
    fn take(&mut self, file: &Path) -> (Option<Here>, Option<Listing>) {
        match parent(file).and_then(|dir| self.find(dir)) {
            Some(i) => {
                self.last = i;
                (Some(self.found[i].1.clone()), self.found[i].2.take())
            }
            None => (None, None),
        }
    }

    /// Where `dir` is. Files come in path order, which is nearly the
    /// folders' order: the folder asked last, then the one after it, are
    /// looked at before searching them all.
    fn find(&self, dir: &Path) -> Option<usize> {
        let is_at = |i: usize| self.found.get(i).is_some_and(|(d, _, _)| bytes(d) == bytes(dir));
        [self.last, self.last + 1]
            .into_iter()
            .find(|&i| is_at(i))
            .or_else(|| self.search(dir))
    }

    /// Where `dir` is, by a binary search of them all.
    fn search(&self, dir: &Path) -> Option<usize> {
        self.found.binary_search_by(|(d, _, _)| bytes(d).cmp(bytes(dir))).ok()
    }
}

/// What the folders holding `targets` say of configs (`skill-lsp.toml` in
/// the folder; asked only with `configs`) and of skills roots (only with
/// `roots`). A large tree has a folder per skill, and these are the system
/// calls of planning it: asked of all those folders at once on every core,
/// and not remembered past planning (each such folder is asked about once;
/// only the folders above them, shared by many files, are worth the
/// finders' memory). Each folder is listed once (by the walk that found
/// its skill, from `listings`, else here): a listing that lacks both names
/// (nearly every skill's folder) answers both questions, and is kept for
/// the skill's bundle, which would list the folder again.
fn folders_of(
    targets: &[Target],
    mut listings: BytesMap<OsString, Listing>,
    configs: bool,
    roots: bool,
) -> Folders<'_> {
    let mut folders: Vec<(&Path, Option<Listing>)> = targets
        .iter()
        .filter_map(|t| parent(&t.path))
        .map(|dir| (dir, listings.remove(dir.as_os_str())))
        .collect();
    drop(listings);
    folders.sort_unstable_by(|a, b| bytes(a.0).cmp(bytes(b.0)));
    folders.dedup_by(|later, first| {
        let same = bytes(later.0) == bytes(first.0);
        if same && first.1.is_none() {
            first.1 = later.1.take();
        }
        same
    });
    Folders {
        found: folders
            .into_par_iter()
            .map(|(dir, walked)| {
                let listing = walked.or_else(|| Listing::read(dir));
                let (here, _) = here_listed(dir, configs, roots, listing.as_ref());
                (dir, here, listing)
            })
            .collect(),
        last: 0,
    }
}

/// The bytes of `path`: folders are sorted and found by them, at a
/// fraction of the cost of comparing paths component by component (the
/// folders of targets are spelt one way, normalised).
fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// [`Path::parent`] of a normalised absolute path (as targets and the
/// folders above them are spelt), from its last separator: `Path::parent`
/// parses components from the end, and planning asks it of every target
/// four or five times. Any other path is `Path::parent`'s.
fn parent(path: &Path) -> Option<&Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let spelt = bytes(path);
        if spelt.first() == Some(&b'/') && !spelt.ends_with(b"/") {
            let cut = spelt.iter().rposition(|&b| b == b'/')?;
            return Some(Path::new(std::ffi::OsStr::from_bytes(&spelt[..cut.max(1)])));
        }
    }
    path.parent()
}

/// [`Here`] of the folder `dir`, from its `listing` where that lacks the
/// file asked for (so a `stat` of it would find nothing), else from the
/// file system; and how many of the questions the file system answered.
fn here_listed(dir: &Path, configs: bool, roots: bool, listing: Option<&Listing>) -> (Here, usize) {
    let lacks = |name: &str| listing.is_some_and(|l| l.lacks(name));
    let mut asked = 0;
    let mut ask = |n: usize| asked += n;
    let no_config = lacks(FILE_NAME);
    // The root a config names comes first; without a config here, only
    // `interfaces/` is left to ask about.
    let config = configs.then(|| match no_config {
        true => None,
        false => {
            ask(1);
            config_in(dir)
        }
    });
    let unconfigured = no_config || matches!(config, Some(None));
    let root = roots.then(|| match (unconfigured, lacks("interfaces")) {
        (true, true) => None,
        (true, false) => {
            ask(1);
            Workspace::root_at_unconfigured(dir)
        }
        (false, _) => {
            ask(1);
            Workspace::root_at(dir)
        }
    });
    (Here { config, root }, asked)
}

/// [`Workspace::find_root`] for many files, asking each folder once: the
/// files of a large tree share all but their own folder, and the walk up
/// from each would otherwise look for the same files again and again.
#[derive(Default)]
struct RootFinder {
    /// Folder → the root it lies in (none found: `None`); keyed by the
    /// folder's bytes ([`bytes`]), which hash in one pass.
    by_dir: BytesMap<OsString, Option<PathBuf>>,
}

impl RootFinder {
    /// The root of `file` (absolute and normalised, as targets are);
    /// `here`, when its folder was asked already ([`folders_of`]).
    fn for_file(&mut self, file: &Path, here: Option<Option<PathBuf>>) -> Option<PathBuf> {
        let dir = parent(file)?;
        match here {
            Some(here) => here.or_else(|| parent(dir).and_then(|up| self.for_dir(up))),
            None => self.for_dir(dir),
        }
    }

    fn for_dir(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.by_dir.get(dir.as_os_str()) {
            return found.clone();
        }
        let found = Workspace::root_at(dir).or_else(|| parent(dir).and_then(|up| self.for_dir(up)));
        self.by_dir.insert(dir.as_os_str().to_owned(), found.clone());
        found
    }
}

/// Finds the nearest `skill-lsp.toml` above a file, reading each config once.
#[derive(Default)]
struct ConfigFinder {
    /// Folder → the config file that governs it (none found: `None`);
    /// keyed by the folder's bytes ([`bytes`]), which hash in one pass.
    by_dir: BytesMap<OsString, Option<PathBuf>>,
    /// Config file → its parsed contents (`None`: it could not be used).
    loaded: HashMap<PathBuf, Option<Arc<LoadedConfig>>>,
    /// Why the configs read so far could not be used, each error once.
    errors: Vec<InputError>,
}

impl ConfigFinder {
    /// The config that governs `file`; `None` for the defaults (no config
    /// above it, or one that could not be used: its errors are kept).
    /// `here`: the config file in its folder, when asked already ([`folders_of`]).
    fn for_file(&mut self, file: &Path, here: Option<Option<PathBuf>>) -> Option<Arc<LoadedConfig>> {
        let dir = parent(file)?;
        let config_path = match here {
            Some(here) => here.or_else(|| parent(dir).and_then(|up| self.nearest(up))),
            None => self.nearest(dir),
        }?;
        let errors = &mut self.errors;
        self.loaded
            .entry(config_path.clone())
            .or_insert_with(|| match read_config(&config_path) {
                Ok(c) => Some(Arc::new(c)),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            })
            .clone()
    }

    fn nearest(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.by_dir.get(dir.as_os_str()) {
            return found.clone();
        }
        let found = config_in(dir).or_else(|| parent(dir).and_then(|up| self.nearest(up)));
        self.by_dir.insert(dir.as_os_str().to_owned(), found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index begun before the walk stands in for its own root only:
    /// the same skills as indexing the root then, and a root it is not
    /// indexed as before (its own thread waited for, its index unused).
    #[test]
    fn a_preloaded_index_stands_in_for_its_root_only() {
        let root =
            super::super::discover::normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/skills"));
        let cwd = std::env::current_dir().unwrap();
        let skills_of = |ws: &BTreeMap<PathBuf, Arc<Workspace>>| -> Vec<String> {
            ws.get(&root).unwrap().skills.keys().cloned().collect()
        };
        let (direct, direct_lens) = load_workspaces(std::iter::once(root.clone()), None);
        let found = likely_root(None, &cwd, std::slice::from_ref(&root)).unwrap();
        assert_eq!(found, root);
        let preloaded = Preloaded::start(found);
        let (early, early_lens) = load_workspaces(std::iter::once(root.clone()), Some(preloaded));
        assert_eq!(skills_of(&early), skills_of(&direct));
        assert!(!skills_of(&early).is_empty());
        assert_eq!(early_lens.len(), direct_lens.len());
        // Begun for another folder's root: this root is indexed as usual.
        let elsewhere = Preloaded {
            root: root.join("elsewhere"),
            index: std::thread::spawn(|| (Workspace::detached(), SkillFileLens::default())),
        };
        let (other, _) = load_workspaces(std::iter::once(root.clone()), Some(elsewhere));
        assert_eq!(skills_of(&other), skills_of(&direct));
        assert_eq!(other.len(), 1);
    }

    proptest::proptest! {
        /// `find` finds what the binary search of every folder finds,
        /// whatever the order folders are asked for in: the order of the
        /// folders, out of it, folders not there.
        #[test]
        fn find_is_the_search_of_every_folder(
            dirs in proptest::collection::btree_set("/[ab]{1,3}(/[ab]{1,2})?", 0..12),
            asked in proptest::collection::vec("/[ab]{1,3}(/[ab]{1,2})?", 0..30),
        ) {
            let dirs: Vec<PathBuf> = dirs.into_iter().map(PathBuf::from).collect();
            let mut found: Vec<(&Path, Here, Option<Listing>)> = dirs
                .iter()
                .map(|d| (d.as_path(), Here { config: None, root: None }, None))
                .collect();
            found.sort_by(|a, b| bytes(a.0).cmp(bytes(b.0)));
            let mut folders = Folders { found, last: 0 };
            for dir in asked.iter().map(Path::new).chain(dirs.iter().map(PathBuf::as_path)) {
                let expected = folders.search(dir);
                proptest::prop_assert_eq!(folders.find(dir), expected, "{}", dir.display());
                if let Some(i) = expected {
                    folders.last = i;
                }
            }
        }
    }

    proptest::proptest! {
        /// `parent` is `Path::parent` on normalised paths, absolute (its
        /// fast way) or not, up to the root and past it.
        #[test]
        fn parent_is_paths_parent(parts in proptest::collection::vec("[-.a-c0_ é]{1,4}", 0..5), absolute: bool) {
            let spelt = format!("{}{}", if absolute { "/" } else { "" }, parts.join("/"));
            let path = super::super::discover::normalize(Path::new(&spelt));
            let mut at = Some(path.as_path());
            while let Some(p) = at {
                proptest::prop_assert_eq!(parent(p).map(bytes), p.parent().map(bytes), "{}", p.display());
                at = p.parent();
            }
        }
    }

    /// What a folder's listing answers is what the file system answers,
    /// for every combination of a config (naming a root or not) and an
    /// `interfaces/`; a folder holding neither asks the file system nothing.
    #[test]
    fn a_listing_answers_as_the_file_system_does() {
        let tmp = test_corpus::scratch_dir("skill-lsp-here");
        let cases = [
            ("bare", "", false),
            ("interfaces", "", true),
            ("config", "x = 1\n", false),
        ];
        let cases = cases
            .into_iter()
            .chain([("rooted", "root = \"..\"\n", false), ("both", "x = 1\n", true)]);
        for (name, config, interfaces) in cases {
            let dir = tmp.join(name);
            std::fs::create_dir_all(&dir).unwrap();
            if !config.is_empty() {
                std::fs::write(dir.join(FILE_NAME), config).unwrap();
            }
            if interfaces {
                std::fs::create_dir_all(dir.join("interfaces")).unwrap();
            }
            let listing = Listing::read(&dir);
            assert!(listing.is_some());
            for (configs, roots) in [(true, true), (true, false), (false, true), (false, false)] {
                let (listed, asked) = here_listed(&dir, configs, roots, listing.as_ref());
                assert_eq!(
                    listed,
                    here_listed(&dir, configs, roots, None).0,
                    "{name} {configs} {roots}"
                );
                if name == "bare" {
                    assert_eq!(asked, 0);
                }
            }
        }
        let (_, asked) = here_listed(&tmp.join("missing"), true, true, None);
        assert_eq!(asked, 2);
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
