//! Files the checks depend on: the server asks the client to watch them
//! (`workspace/didChangeWatchedFiles`, registered dynamically) and, when they
//! change, reloads what read them and checks the open skills again.
//!
//! Changes are merged while an update runs, so a burst of events (a branch
//! switch) costs one reload per root, not one per file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use skill_core::config::FILE_NAME;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileChangeType, FileEvent, FileSystemWatcher, GlobPattern, Registration,
};

use super::documents::file_path;
use super::state::State;
use super::{refresh, tasks};

/// What the server asks the client to watch: every Markdown file (interface
/// documents, context topics, skills, the template, link targets) and configs.
pub fn registration() -> Registration {
    let watcher = |glob: &str| FileSystemWatcher {
        glob_pattern: GlobPattern::String(glob.into()),
        kind: None,
    };
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![watcher("**/*.md"), watcher(&format!("**/{FILE_NAME}"))],
    };
    Registration {
        id: "skill-lsp/watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(options).ok(),
    }
}

/// Changes not yet applied, merged.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    /// A `skill-lsp.toml` changed.
    configs: bool,
    /// Files appeared or vanished: roots and configs may be elsewhere now.
    layout: bool,
    /// Roots whose index read a changed file.
    reload: BTreeSet<PathBuf>,
    /// Saved skills, with the root indexing them: the root is reloaded only
    /// when the save changed what its index keeps (name, description).
    saved_skills: BTreeSet<(PathBuf, PathBuf)>,
    /// Other files (link targets) whose cached headings are stale.
    files: BTreeSet<PathBuf>,
    /// Saved skills under no loaded root: their repository's names may be stale.
    saved_outside_roots: BTreeSet<PathBuf>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

#[derive(Debug, Default)]
pub struct WatchQueue {
    pending: Mutex<(Changes, bool)>,
}

impl WatchQueue {
    fn lock(&self) -> MutexGuard<'_, (Changes, bool)> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Which kind of change an event is, given the loaded roots.
fn classify(state: &State, events: &[FileEvent], into: &mut Changes) {
    for event in events {
        let Some(path) = file_path(&event.uri) else { continue };
        if event.typ != FileChangeType::CHANGED {
            into.layout = true;
        }
        if path.file_name().is_some_and(|n| n == FILE_NAME) {
            into.configs = true;
            continue;
        }
        let roots = state.workspaces.roots_holding(&path);
        if is_saved_skill(&path, event.typ) {
            if roots.is_empty() {
                into.saved_outside_roots.insert(path.clone());
            }
            into.saved_skills
                .extend(roots.iter().map(|root| (root.clone(), path.clone())));
        }
        let read_by_index: Vec<PathBuf> = roots
            .into_iter()
            .filter(|root| needs_reload(root, &path, event.typ))
            .collect();
        if read_by_index.is_empty() {
            into.files.insert(path);
        } else {
            into.reload.extend(read_by_index);
        }
    }
}

/// A skill file changed in place (a save): its index entry may be stale.
fn is_saved_skill(path: &Path, typ: FileChangeType) -> bool {
    typ == FileChangeType::CHANGED && path.file_name().is_some_and(|n| n == "SKILL.md")
}

/// Whether a change to `path` makes a root's index stale: interface
/// documents, context files and the template; skills appearing or vanishing.
/// An edited skill (every save of an open one) does not reload the root by
/// itself: the index keeps only its name and description, so [`apply`]
/// reloads it only when those changed.
fn needs_reload(root: &Path, path: &Path, typ: FileChangeType) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let first = rel.components().next().and_then(|c| c.as_os_str().to_str());
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    matches!(first, Some("interfaces" | "context"))
        || name == "SKILL_TEMPLATE.md"
        || (name == "SKILL.md" && typ != FileChangeType::CHANGED)
}

/// `workspace/didChangeWatchedFiles`.
pub fn changed(state: &Arc<State>, events: &[FileEvent]) {
    let start = {
        let mut pending = state.watch.lock();
        classify(state, events, &mut pending.0);
        !std::mem::replace(&mut pending.1, true)
    };
    if start {
        tokio::spawn(run(state.clone()));
    }
}

async fn run(state: Arc<State>) {
    loop {
        let changes = {
            let mut pending = state.watch.lock();
            let changes = std::mem::take(&mut pending.0);
            if changes.is_empty() {
                pending.1 = false;
                return;
            }
            changes
        };
        tracing::info!(
            configs = changes.configs,
            roots = changes.reload.len(),
            files = changes.files.len(),
            "watched files changed"
        );
        let st = state.clone();
        let applied = tasks::blocking("reloading the workspace", move || apply(&st, changes)).await;
        if applied.is_err() {
            continue;
        }
        state.bump_generation();
        refresh::everything(&state).await;
    }
}

/// Drops and reloads what the changes made stale (blocking).
fn apply(state: &State, changes: Changes) {
    if changes.configs {
        state.workspaces.forget_configs();
        // A config that is still broken after this edit is reported again.
        state.forget_shown();
    }
    if changes.layout {
        state.workspaces.forget_layout();
    }
    for file in &changes.files {
        state.workspaces.invalidate_file(file);
    }
    for skill in &changes.saved_outside_roots {
        state.workspaces.skill_saved_outside_roots(skill);
    }
    let mut reload = changes.reload;
    // One small read per saved skill instead of re-reading thousands of skills on every save.
    let loaded = state.workspaces.loaded();
    for (root, skill) in &changes.saved_skills {
        let stale = loaded
            .iter()
            .filter(|ws| ws.root.as_deref() == Some(root.as_path()))
            .any(|ws| !ws.indexes_skill_as_on_disk(skill));
        if stale {
            reload.insert(root.clone());
        }
    }
    for root in &reload {
        state.workspaces.reload(root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_reload_for_interfaces_context_the_template_and_new_skills() {
        let root = Path::new("/ws");
        let changed = FileChangeType::CHANGED;
        assert!(needs_reload(root, Path::new("/ws/interfaces/memory_store.md"), changed));
        assert!(needs_reload(root, Path::new("/ws/context/python/index.md"), changed));
        assert!(needs_reload(root, Path::new("/ws/skills/SKILL_TEMPLATE.md"), changed));
        assert!(needs_reload(
            root,
            Path::new("/ws/skills/a/SKILL.md"),
            FileChangeType::CREATED
        ));
        assert!(needs_reload(
            root,
            Path::new("/ws/skills/a/SKILL.md"),
            FileChangeType::DELETED
        ));
        assert!(!needs_reload(root, Path::new("/ws/skills/a/SKILL.md"), changed));
        assert!(!needs_reload(root, Path::new("/ws/skills/a/examples.md"), changed));
        assert!(!needs_reload(root, Path::new("/elsewhere/interfaces/x.md"), changed));
    }

    #[test]
    fn the_registration_watches_markdown_and_configs() {
        let reg = registration();
        assert_eq!(reg.method, "workspace/didChangeWatchedFiles");
        let text = reg.register_options.unwrap().to_string();
        assert!(text.contains("**/*.md") && text.contains("**/skill-lsp.toml"), "{text}");
    }
}
