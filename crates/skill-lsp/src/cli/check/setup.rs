//! Pairs each file with its workspace and configuration: the nearest
//! `skill-lsp.toml` above it (or `--config`), its `ignore` globs, and the
//! skills root, each root loaded once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use skill_core::{config::FILE_NAME, Config, Workspace};

use super::discover::{normalize, Target};
use super::report::{InputError, InputErrorKind};

/// A configuration and where it applies from.
#[derive(Debug)]
pub struct LoadedConfig {
    pub config: Config,
    /// The folder `ignore` globs and `root` are relative to: the config file's folder.
    pub dir: PathBuf,
    ignore: Option<Gitignore>,
}

impl LoadedConfig {
    pub fn new(config: Config, dir: PathBuf) -> LoadedConfig {
        let ignore = build_ignore(&config.ignore, &dir);
        LoadedConfig { config, dir, ignore }
    }

    /// Reads and parses a config file; the error says which file and what is wrong.
    pub fn read(path: &Path) -> Result<LoadedConfig, InputError> {
        if let Err(e) = std::fs::metadata(path) {
            return Err(InputError {
                kind: InputErrorKind::InvalidConfig,
                ..InputError::from_io(path.to_path_buf(), &e)
            });
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        // With the configs it `extend`s.
        let config = Config::load(path)
            .and_then(|c| c.check_root(&dir).map(|()| c))
            .map_err(|e| InputError::new(path.to_path_buf(), InputErrorKind::InvalidConfig, e.message))?;
        Ok(LoadedConfig::new(config, dir))
    }

    /// Whether the config's `ignore` globs exclude `path`.
    fn ignores(&self, path: &Path) -> bool {
        let Some(matcher) = &self.ignore else { return false };
        // The matcher wants a path under its root; others are never ignored.
        match path.strip_prefix(&self.dir) {
            Ok(rel) => matcher.matched_path_or_any_parents(rel, false).is_ignore(),
            Err(_) => false,
        }
    }

    /// The skills root the config names, if it names one.
    fn root(&self) -> Option<PathBuf> {
        self.config.root.as_ref().map(|r| normalize(&self.dir.join(r)))
    }
}

/// `ignore` globs use `.gitignore` syntax, relative to the config's folder.
fn build_ignore(globs: &[String], dir: &Path) -> Option<Gitignore> {
    if globs.is_empty() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(dir);
    for glob in globs {
        // A malformed glob is skipped rather than failing the whole run.
        let _ = builder.add_line(None, glob);
    }
    builder.build().ok()
}

/// One file to check with everything its rules need.
pub struct Job {
    pub target: Target,
    pub workspace: Arc<Workspace>,
    pub config: Arc<LoadedConfig>,
}

/// Pairs targets with configs and workspaces. Files excluded by their config's
/// `ignore` globs are dropped (unless named on the command line). Broken
/// config files are reported, and their files checked with the defaults.
pub fn plan(targets: Vec<Target>, forced: Option<Arc<LoadedConfig>>) -> (Vec<Job>, Vec<InputError>) {
    let mut errors = Vec::new();
    let mut finder = ConfigFinder::default();
    let mut roots = RootFinder::default();
    let default = Arc::new(LoadedConfig::new(Config::default(), PathBuf::new()));
    let mut planned = Vec::new();
    for target in targets {
        let config = match &forced {
            Some(c) => c.clone(),
            None => match finder.for_file(&target.path) {
                Ok(Some(c)) => c,
                Ok(None) => default.clone(),
                Err(e) => {
                    errors.push(e);
                    default.clone()
                }
            },
        };
        if !target.explicit && config.ignores(&target.path) {
            continue;
        }
        let root = config.root().or_else(|| roots.for_file(&target.path));
        planned.push((target, config, root));
    }
    let workspaces = load_workspaces(planned.iter().filter_map(|(_, _, root)| root.clone()));
    let detached = Arc::new(Workspace::detached());
    let jobs = planned
        .into_iter()
        .map(|(target, config, root)| {
            let workspace = root
                .and_then(|r| workspaces.get(&r).cloned())
                .unwrap_or_else(|| detached.clone());
            Job {
                target,
                workspace,
                config,
            }
        })
        .collect();
    (jobs, errors)
}

/// Loads each distinct root once, in parallel.
fn load_workspaces(roots: impl Iterator<Item = PathBuf>) -> BTreeMap<PathBuf, Arc<Workspace>> {
    let mut distinct: Vec<PathBuf> = roots.collect();
    distinct.sort();
    distinct.dedup();
    distinct
        .into_par_iter()
        .map(|root| (root.clone(), Arc::new(Workspace::load(&root))))
        .collect()
}

/// [`Workspace::find_root`] for many files, asking each folder once: the
/// files of a large tree share all but their own folder, and the walk up
/// from each would otherwise look for the same files again and again.
#[derive(Default)]
struct RootFinder {
    /// Folder → the root it lies in (none found: `None`).
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl RootFinder {
    /// The root of `file` (absolute and normalised, as targets are).
    fn for_file(&mut self, file: &Path) -> Option<PathBuf> {
        self.for_dir(file.parent()?)
    }

    fn for_dir(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        let found = Workspace::root_at(dir).or_else(|| dir.parent().and_then(|up| self.for_dir(up)));
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// Finds the nearest `skill-lsp.toml` above a file, reading each config once.
#[derive(Default)]
struct ConfigFinder {
    /// Folder → the config file that governs it (none found: `None`).
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// Config file → its parsed contents, or why it could not be used.
    loaded: HashMap<PathBuf, Result<Arc<LoadedConfig>, InputError>>,
}

impl ConfigFinder {
    fn for_file(&mut self, file: &Path) -> Result<Option<Arc<LoadedConfig>>, InputError> {
        let Some(dir) = file.parent() else { return Ok(None) };
        let Some(config_path) = self.nearest(dir) else {
            return Ok(None);
        };
        let entry = self
            .loaded
            .entry(config_path.clone())
            .or_insert_with(|| LoadedConfig::read(&config_path).map(Arc::new));
        match entry {
            Ok(c) => Ok(Some(c.clone())),
            Err(e) => Err(e.clone()),
        }
    }

    fn nearest(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            Some(candidate)
        } else {
            dir.parent().and_then(|up| self.nearest(up))
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_globs_are_relative_to_the_config_folder() {
        let cfg = Config {
            ignore: vec!["drafts/**".into(), "skills/old-*/".into()],
            ..Config::default()
        };
        let loaded = LoadedConfig::new(cfg, PathBuf::from("/ws"));
        assert!(loaded.ignores(Path::new("/ws/drafts/x/SKILL.md")));
        assert!(loaded.ignores(Path::new("/ws/skills/old-one/SKILL.md")));
        assert!(!loaded.ignores(Path::new("/ws/skills/new/SKILL.md")));
        assert!(!loaded.ignores(Path::new("/elsewhere/drafts/x/SKILL.md")));
    }
}
