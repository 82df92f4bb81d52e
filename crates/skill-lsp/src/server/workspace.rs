//! What a document is checked against: the workspace index of its skills root
//! (interface catalogue, context domains, skills) and its `skill-lsp.toml`.
//!
//! Indexes are loaded once per root and shared as `Arc<Workspace>`; a change
//! to a file they read swaps in a freshly loaded one. Configs are the nearest
//! `skill-lsp.toml` above a file, as for `skill-lsp check`. What reads the
//! disk or may wait for a load (`context_for`, `config_for`, `load`,
//! `reload`) runs on blocking threads only, never on the message loop;
//! `loaded` and `roots_holding` never wait.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use skill_core::config::FILE_NAME;
use skill_core::Workspace;

use super::index_notices::IndexNotices;
/// Resolves `.` and `..` without touching the disk (the project resolver's).
pub use crate::project::normalize;
use crate::project::{self, config_in, ConfigFile};

/// A `skill-lsp.toml` as read (by the project resolver shared with
/// `skill-lsp check`), or the defaults.
#[derive(Debug)]
pub struct LoadedConfig {
    pub file: ConfigFile,
    /// Why the file could not be used (the defaults apply instead): every
    /// problem of it and of the files it extends, one per line with its
    /// place (`path:line:column: message`), and that the defaults apply.
    pub error: Option<String>,
}

impl std::ops::Deref for LoadedConfig {
    type Target = ConfigFile;

    fn deref(&self) -> &ConfigFile {
        &self.file
    }
}

impl LoadedConfig {
    fn defaults() -> LoadedConfig {
        LoadedConfig {
            file: ConfigFile::defaults(),
            error: None,
        }
    }

    fn read(path: &Path) -> LoadedConfig {
        let (file, error) = match ConfigFile::read(path) {
            Ok(file) => (file, None),
            Err(e) => (
                ConfigFile::defaults(),
                Some(format!("{}\nUsing the default settings.", e.describe(path))),
            ),
        };
        LoadedConfig { file, error }
    }
}

/// Everything one check needs besides the text.
#[derive(Debug, Clone)]
pub struct CheckContext {
    pub workspace: Arc<Workspace>,
    pub config: Arc<LoadedConfig>,
    /// The config's `ignore` globs exclude the file: report nothing.
    pub ignored: bool,
}

/// One skills root's index; `None` until first loaded.
#[derive(Debug, Default)]
struct RootSlot {
    workspace: Mutex<Option<Arc<Workspace>>>,
}

/// The indexes and configs of every root and folder seen so far.
#[derive(Debug)]
pub struct Workspaces {
    roots: Mutex<HashMap<PathBuf, Arc<RootSlot>>>,
    /// Folder → the root `Workspace::find_root` gives for it.
    root_of_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Folder → the nearest config file above it.
    config_of_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    configs: Mutex<HashMap<PathBuf, Arc<LoadedConfig>>>,
    /// Folder → the repository folder above it (`.git` or a config), for
    /// skills outside any skills root.
    repo_of_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Each repository's skill names, loaded once like a root's index.
    repositories: Mutex<HashMap<PathBuf, Arc<RootSlot>>>,
    detached: Arc<Workspace>,
    defaults: Arc<LoadedConfig>,
    /// Tells the user what each indexing skipped.
    pub notices: IndexNotices,
}

impl Default for Workspaces {
    fn default() -> Self {
        Workspaces {
            roots: Mutex::default(),
            root_of_dir: Mutex::default(),
            config_of_dir: Mutex::default(),
            configs: Mutex::default(),
            repo_of_dir: Mutex::default(),
            repositories: Mutex::default(),
            detached: Arc::new(Workspace::detached()),
            defaults: Arc::new(LoadedConfig::defaults()),
            notices: IndexNotices::default(),
        }
    }
}

/// Locks a mutex whose data stays consistent even if a holder panicked
/// (every critical section here is a single insert, remove or clone).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Workspaces {
    /// The index, config and ignore status for a document (`None`: not a file).
    pub fn context_for(&self, path: Option<&Path>) -> CheckContext {
        let Some(path) = path else {
            return CheckContext {
                workspace: self.detached.clone(),
                config: self.defaults.clone(),
                ignored: false,
            };
        };
        let config = self.config_for(path);
        let ignored = config.ignores(path);
        let root = config.root().or_else(|| self.find_root(path));
        let workspace = match root {
            Some(root) => self.load(&root),
            None => match path.parent().and_then(|dir| self.find_repository(dir)) {
                Some(repo) => self.load_repository(&repo),
                None => self.detached.clone(),
            },
        };
        CheckContext {
            workspace,
            config,
            ignored,
        }
    }

    /// Whether `path` is an interface document of its skills root (the root
    /// the project resolver gives it, as for a check): not a skill, so never
    /// checked as one. Only files in a folder named `interfaces` read the
    /// disk (once per folder, cached), every other file is answered at once.
    pub fn is_interface_document(&self, path: &Path) -> bool {
        if !project::may_be_interface_document(path) {
            return false;
        }
        let root = self.config_for(path).root().or_else(|| self.find_root(path));
        root.is_some_and(|root| project::is_interface_document(path, &root))
    }

    /// The nearest `skill-lsp.toml` above `path`, read once.
    pub fn config_for(&self, path: &Path) -> Arc<LoadedConfig> {
        let Some(file) = path.parent().and_then(|dir| self.nearest_config(dir)) else {
            return self.defaults.clone();
        };
        if let Some(found) = lock(&self.configs).get(&file) {
            return found.clone();
        }
        let loaded = Arc::new(LoadedConfig::read(&file));
        lock(&self.configs).entry(file).or_insert(loaded).clone()
    }

    fn nearest_config(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = lock(&self.config_of_dir).get(dir) {
            return found.clone();
        }
        let found = config_in(dir).or_else(|| dir.parent().and_then(|up| self.nearest_config(up)));
        lock(&self.config_of_dir).insert(dir.to_path_buf(), found.clone());
        found
    }

    fn find_root(&self, path: &Path) -> Option<PathBuf> {
        let dir = path.parent()?;
        if let Some(found) = lock(&self.root_of_dir).get(dir) {
            return found.clone();
        }
        let found = Workspace::find_root(path).map(|r| normalize(&r));
        lock(&self.root_of_dir).insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The repository a folder outside any skills root belongs to: the
    /// nearest folder above holding `.git` or a `skill-lsp.toml`, as for
    /// `skill-lsp check` ([`Workspace::is_repository`]).
    fn find_repository(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = lock(&self.repo_of_dir).get(dir) {
            return found.clone();
        }
        let found = if Workspace::is_repository(dir) {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|up| self.find_repository(up))
        };
        lock(&self.repo_of_dir).insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The workspace of a repository's skills outside skills roots: their
    /// names, for the rules comparing skills (SK505, SK510), read from the
    /// files `skill-lsp check <repository>` would check, so the editor and
    /// the command line compare a skill with the same others. Read once;
    /// two threads asking at once read it once.
    fn load_repository(&self, repo: &Path) -> Arc<Workspace> {
        let slot = lock(&self.repositories).entry(repo.to_path_buf()).or_default().clone();
        let mut ws = lock(&slot.workspace);
        if let Some(ws) = &*ws {
            return ws.clone();
        }
        let found = crate::cli::check::discover::discover(&[repo.to_path_buf()], repo);
        let named: Vec<(String, PathBuf)> = found
            .targets
            .into_iter()
            .filter(|t| {
                let config = self.config_for(&t.path);
                !config.ignores(&t.path) && config.root().or_else(|| self.find_root(&t.path)).is_none()
            })
            .filter_map(|t| skill_core::workspace::skill_name(&t.path).map(|name| (name, t.path)))
            .collect();
        tracing::info!(repository = %repo.display(), skills = named.len(), "read the names of the repository's skills");
        let loaded = Arc::new(Workspace::for_repository(named));
        *ws = Some(loaded.clone());
        loaded
    }

    /// A skill outside every root was saved: when its `name` is not the one
    /// its repository's index holds, the index is read again when next asked.
    pub fn skill_saved_outside_roots(&self, path: &Path) {
        let Some(repo) = path.parent().and_then(|dir| self.find_repository(dir)) else {
            return;
        };
        let Some(slot) = lock(&self.repositories).get(&repo).cloned() else {
            return;
        };
        let stale = lock(&slot.workspace)
            .as_ref()
            .is_some_and(|ws| !ws.names.holds(path, skill_core::workspace::skill_name(path).as_deref()));
        if stale {
            lock(&self.repositories).remove(&repo);
        }
    }

    /// The index of `root`, loading it the first time. Two threads asking for
    /// the same root at once load it once: the second waits for the first.
    pub fn load(&self, root: &Path) -> Arc<Workspace> {
        let slot = lock(&self.roots).entry(root.to_path_buf()).or_default().clone();
        let mut ws = lock(&slot.workspace);
        if let Some(ws) = &*ws {
            return ws.clone();
        }
        let loaded = Arc::new(load_workspace(root));
        *ws = Some(loaded.clone());
        self.notices.indexed(root, &loaded);
        loaded
    }

    /// Reads `root` again and swaps the new index in. Checks running meanwhile
    /// keep the old one.
    pub fn reload(&self, root: &Path) {
        let fresh = Arc::new(load_workspace(root));
        self.notices.indexed(root, &fresh);
        let slot = lock(&self.roots).entry(root.to_path_buf()).or_default().clone();
        *lock(&slot.workspace) = Some(fresh);
    }

    /// The loaded roots that hold `path`.
    pub fn roots_holding(&self, path: &Path) -> Vec<PathBuf> {
        lock(&self.roots)
            .keys()
            .filter(|root| path.starts_with(root))
            .cloned()
            .collect()
    }

    /// The loaded indexes. Never waits: a root being loaded for the first
    /// time (its slot locked meanwhile) is not loaded yet.
    pub fn loaded(&self) -> Vec<Arc<Workspace>> {
        let slots: Vec<_> = lock(&self.roots).values().cloned().collect();
        slots
            .iter()
            .filter_map(|slot| match slot.workspace.try_lock() {
                Ok(ws) => ws.clone(),
                Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner().clone(),
                Err(std::sync::TryLockError::WouldBlock) => None,
            })
            .collect()
    }

    /// A config file changed: read configs again when next asked.
    pub fn forget_configs(&self) {
        lock(&self.configs).clear();
        lock(&self.config_of_dir).clear();
        // A config marks a repository and its `ignore` decides which skills count.
        self.forget_repositories();
    }

    /// Repositories' skill names are read again when next asked.
    fn forget_repositories(&self) {
        lock(&self.repo_of_dir).clear();
        lock(&self.repositories).clear();
    }

    /// Files were created or deleted: where roots and configs are may have changed.
    pub fn forget_layout(&self) {
        lock(&self.root_of_dir).clear();
        lock(&self.config_of_dir).clear();
        // Skills appeared or vanished: a repository may hold other names now.
        self.forget_repositories();
    }

    /// Drops what is cached about a linked file (a watched file changed).
    pub fn invalidate_file(&self, path: &Path) {
        for ws in self.loaded() {
            ws.files.invalidate(path);
        }
    }
}

/// Loads a root's index; a panic in the indexer leaves the built-in catalogue
/// rather than taking the server down.
fn load_workspace(root: &Path) -> Workspace {
    let started = std::time::Instant::now();
    let ws = std::panic::catch_unwind(|| Workspace::load(root)).unwrap_or_else(|_| {
        tracing::error!(root = %root.display(), "indexing the workspace panicked; using the built-in catalogue");
        Workspace::detached()
    });
    tracing::info!(
        root = %root.display(),
        skills = ws.skills.len(),
        domains = ws.domains.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "indexed skills root"
    );
    ws
}

/// The skills roots a workspace folder holds or sits in: the one its config
/// names, the one above it, and folders holding `interfaces/` a few levels down.
///
/// The search does not go down into a root's own folders (`skills/`,
/// `context/`, ...): they hold that root's skills, and a root of 30,000
/// skills has some 36,000 folders within the depth searched, whose listing
/// took longer than indexing the root. A root nested in another is still
/// indexed when a file of it is first checked.
pub fn discover_roots(workspaces: &Workspaces, folder: &Path) -> Vec<PathBuf> {
    const MAX_DEPTH: usize = 4;
    let mut roots = BTreeSet::new();
    let config = workspaces.config_for(&folder.join(FILE_NAME));
    roots.extend(config.root());
    roots.extend(Workspace::find_root(&folder.join(FILE_NAME)).map(|r| normalize(&r)));
    let walker = ignore::WalkBuilder::new(folder)
        .max_depth(Some(MAX_DEPTH))
        .require_git(false)
        .filter_entry(|e| {
            e.file_type().is_some_and(|t| t.is_dir())
                && (e.file_name() == "interfaces" || !e.path().parent().is_some_and(holds_interfaces))
        })
        .build();
    for entry in walker.flatten() {
        if entry.file_name() == "interfaces" {
            roots.extend(entry.path().parent().map(normalize));
        }
    }
    roots.into_iter().collect()
}

/// Whether `dir` holds an `interfaces/` folder: it is a skills root.
fn holds_interfaces(dir: &Path) -> bool {
    dir.join("interfaces").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;
    use skill_core::Config;

    fn temp_dir(name: &str) -> PathBuf {
        test_corpus::scratch_dir(&format!("skill-lsp-ws-{name}"))
    }

    #[test]
    fn nearest_config_applies_with_its_ignore_globs() {
        let dir = temp_dir("config");
        std::fs::create_dir_all(dir.join("skills/a")).unwrap();
        std::fs::write(
            dir.join(FILE_NAME),
            "ignore = [\"drafts/**\"]\n[rules]\nSK005 = \"off\"\n",
        )
        .unwrap();
        let ws = Workspaces::default();
        let ctx = ws.context_for(Some(&dir.join("skills/a/SKILL.md")));
        assert!(ctx.config.error.is_none());
        assert!(!ctx.ignored);
        assert_eq!(ctx.config.config.rules.len(), 1);
        assert!(ws.context_for(Some(&dir.join("drafts/x/SKILL.md"))).ignored);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_broken_config_gives_defaults_and_says_why() {
        let dir = temp_dir("broken");
        std::fs::write(dir.join(FILE_NAME), "[rules]\nSK999 = \"off\"\n").unwrap();
        let ws = Workspaces::default();
        let ctx = ws.context_for(Some(&dir.join("SKILL.md")));
        assert_eq!(ctx.config.config, Config::default());
        let error = ctx.config.error.clone().unwrap();
        assert!(error.contains("SK999") && error.contains(FILE_NAME), "{error}");
        // Fixed on disk: seen once the cache is dropped.
        std::fs::write(dir.join(FILE_NAME), "[rules]\nSK005 = \"off\"\n").unwrap();
        ws.forget_configs();
        assert!(ws.context_for(Some(&dir.join("SKILL.md"))).config.error.is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn documents_outside_files_use_the_detached_index() {
        let ws = Workspaces::default();
        let ctx = ws.context_for(None);
        assert!(ctx.workspace.root.is_none());
        assert!(!ctx.ignored);
    }

    #[test]
    fn roots_are_found_below_a_folder() {
        let dir = temp_dir("roots");
        std::fs::create_dir_all(dir.join("repo/skills-root/interfaces")).unwrap();
        // A root's own folders are not searched.
        std::fs::create_dir_all(dir.join("repo/skills-root/skills/a/interfaces")).unwrap();
        let roots = discover_roots(&Workspaces::default(), &dir);
        assert_eq!(roots, [dir.join("repo/skills-root")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
