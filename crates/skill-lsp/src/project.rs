//! The project a file belongs to, resolved the same way by `skill-lsp check`
//! and the language server: its `skill-lsp.toml` (the nearest above it),
//! that file's `ignore` globs and `root`, and paths normalised without
//! touching the disk. Each front end keeps its own caches and says errors
//! its own way; what a config file means is decided here only.

pub mod baseline;
mod extend;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use skill_core::config::{ConfigSource, ConfigSpan, StepRef, FILE_NAME};
pub use skill_core::workspace::normalize;
use skill_core::{Config, LineCol, Workspace};

/// A configuration and the folder it applies from.
#[derive(Debug)]
pub struct ConfigFile {
    pub config: Config,
    /// The folder `ignore` globs and `root` are relative to: the config
    /// file's folder (empty for the defaults).
    pub dir: PathBuf,
    ignore: Option<Gitignore>,
    /// The files it was read from (itself, then those it `extend`s), with
    /// their texts: where a [`ConfigSpan`] points.
    files: Vec<(PathBuf, Arc<str>)>,
}

/// Why a config file could not be used.
#[derive(Debug)]
pub enum ConfigFileError {
    /// It could not be read.
    Io(std::io::Error),
    /// It is not a valid `skill-lsp.toml`: every problem of every file of
    /// its `extend` chain, the config's own first, each in order of place.
    Invalid(Vec<ConfigProblem>),
}

impl ConfigFileError {
    /// For people: each problem on a line of its own, `path:line:column: message`.
    pub fn describe(&self, path: &Path) -> String {
        match self {
            ConfigFileError::Io(e) => format!("{}: cannot be read: {e}", path.display()),
            ConfigFileError::Invalid(problems) => problems
                .iter()
                .map(ConfigProblem::describe)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// One thing wrong in a config file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The file it is in: the config, or a file it `extend`s.
    pub path: PathBuf,
    pub message: String,
    /// The zero-based line and UTF-16 column of the offending key or value.
    pub position: Option<LineCol>,
}

impl ConfigProblem {
    /// A problem at byte `at` of `text`, the text of the file at `path`.
    pub fn at(path: &Path, text: &str, message: String, at: usize) -> ConfigProblem {
        let position = skill_core::LineIndex::new(text).position(text, at, skill_core::Encoding::Utf16);
        ConfigProblem {
            path: path.to_path_buf(),
            message,
            position: Some(position),
        }
    }

    /// `path:line:column: message`, line and column one-based, for people.
    pub fn describe(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}: {}", self.path.display(), p.line + 1, p.col + 1, self.message),
            None => format!("{}: {}", self.path.display(), self.message),
        }
    }
}

impl ConfigFile {
    pub fn new(mut config: Config, dir: PathBuf) -> ConfigFile {
        // `[[overrides]]` globs are relative to the config's folder too.
        if !dir.as_os_str().is_empty() {
            config.dir = Some(dir.clone());
        }
        let ignore = build_ignore(&config.ignore, &dir);
        ConfigFile {
            config,
            dir,
            ignore,
            files: Vec::new(),
        }
    }

    /// The defaults, for a file no config governs.
    pub fn defaults() -> ConfigFile {
        ConfigFile::new(Config::default(), PathBuf::new())
    }

    /// Reads and parses a config file with every config it `extend`s, and
    /// checks that a `root` it names exists (relative paths are relative to
    /// this file's folder, whichever file of the chain sets them).
    pub fn read(path: &Path) -> Result<ConfigFile, ConfigFileError> {
        let text = std::fs::read_to_string(path).map_err(ConfigFileError::Io)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let (files, mut problems) = extend::chain(path, text);
        let files: Vec<(PathBuf, Arc<str>)> = files.into_iter().map(|(p, t)| (p, t.into())).collect();
        let read = {
            let sources: Vec<ConfigSource> = files.iter().map(|(_, t)| ConfigSource::parse(t)).collect();
            Config::read(&sources, &|root| dir.join(root).is_dir())
        };
        match read {
            Ok(config) if problems.is_empty() => Ok(ConfigFile {
                files,
                ..ConfigFile::new(config, dir)
            }),
            Ok(_) => Err(ConfigFileError::Invalid(problems)),
            Err(errors) => {
                let placed = ConfigFile {
                    files,
                    ..ConfigFile::new(Config::default(), dir)
                };
                let mut all: Vec<ConfigProblem> = errors.into_iter().map(|e| placed.problem(e.message, e.at)).collect();
                all.append(&mut problems);
                // File by file along the chain, each in order of place.
                let file = |p: &ConfigProblem| placed.files.iter().position(|(f, _)| *f == p.path);
                all.sort_by_key(|p| (file(p), p.position));
                Err(ConfigFileError::Invalid(all))
            }
        }
    }

    /// A problem at `at`, in the file of the chain it points into (the
    /// config itself when there is no place).
    pub fn problem(&self, message: String, at: Option<ConfigSpan>) -> ConfigProblem {
        let own = || {
            self.files
                .first()
                .map_or_else(|| self.dir.join(FILE_NAME), |(p, _)| p.clone())
        };
        match at.and_then(|at| Some((at, self.files.get(at.layer)?))) {
            Some((at, (path, text))) => ConfigProblem::at(path, text, message, at.range.start),
            None => ConfigProblem {
                path: own(),
                message,
                position: None,
            },
        }
    }

    /// The calls the config's `[workflow.calls]` requires that the
    /// interfaces of `ws` (a skills root's index) cannot make
    /// (`memoryStore.nope`): each would make SK205 unsatisfiable in every
    /// skill, so each is a problem of the config, at the entry.
    pub fn uncallable(&self, ws: &Workspace) -> Vec<ConfigProblem> {
        if ws.root.is_none() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for step in &self.config.workflow.calls {
            let key = match step.step {
                StepRef::Number(n) => n.to_string(),
                StepRef::Last => "last".to_string(),
            };
            for p in step.required.iter().flatten() {
                let Some(why) = ws.catalogue.why_uncallable(p) else {
                    continue;
                };
                let message = format!(
                    "[workflow.calls] `{p}` under step `{key}`: {why}, so no skill could meet it (SK205); name a call the interfaces define"
                );
                out.push(self.problem(message, p.at));
            }
        }
        out
    }

    /// Whether the config's `ignore` globs exclude `path`.
    pub fn ignores(&self, path: &Path) -> bool {
        let Some(matcher) = &self.ignore else { return false };
        // The matcher wants a path under its root; others are never ignored.
        match path.strip_prefix(&self.dir) {
            Ok(rel) => matcher.matched_path_or_any_parents(rel, false).is_ignore(),
            Err(_) => false,
        }
    }

    /// The skills root the config names, if it names one.
    pub fn root(&self) -> Option<PathBuf> {
        self.config.root.as_ref().map(|r| normalize(&self.dir.join(r)))
    }
}

/// The folder of a skills root that holds its interface documents (and
/// whose presence makes a folder a skills root).
pub const INTERFACES_DIR: &str = "interfaces";

/// Whether `path` can be an interface document at all: a Markdown file
/// directly in a folder named `interfaces`. Decided from the path alone, so
/// callers ask the disk (for the skills root) only about such files.
pub fn may_be_interface_document(path: &Path) -> bool {
    let markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    markdown
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == INTERFACES_DIR)
}

/// Whether `path` is an interface document of the skills root `root` (a
/// Markdown file directly in `root/interfaces/`): it documents the methods
/// skills call, it is not a skill, and no front end checks it as one.
pub fn is_interface_document(path: &Path, root: &Path) -> bool {
    may_be_interface_document(path)
        && path
            .parent()
            .is_some_and(|dir| normalize(dir) == root.join(INTERFACES_DIR))
}

/// The config file in `dir` itself, if there is one (callers walk up,
/// caching each folder's answer).
pub fn config_in(dir: &Path) -> Option<PathBuf> {
    let candidate = dir.join(FILE_NAME);
    candidate.is_file().then_some(candidate)
}

/// `ignore` globs use `.gitignore` syntax, relative to the config's folder.
fn build_ignore(globs: &[String], dir: &Path) -> Option<Gitignore> {
    if globs.is_empty() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(dir);
    for glob in globs {
        // A malformed glob is skipped rather than failing the whole config.
        let _ = builder.add_line(None, glob);
    }
    builder.build().ok()
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
        let loaded = ConfigFile::new(cfg, PathBuf::from("/ws"));
        assert!(loaded.ignores(Path::new("/ws/drafts/x/SKILL.md")));
        assert!(loaded.ignores(Path::new("/ws/skills/old-one/SKILL.md")));
        assert!(!loaded.ignores(Path::new("/ws/skills/new/SKILL.md")));
        assert!(!loaded.ignores(Path::new("/elsewhere/drafts/x/SKILL.md")));
    }

    #[test]
    fn interface_documents_are_markdown_files_directly_in_the_roots_interfaces_folder() {
        let root = Path::new("/ws/skills-root");
        assert!(is_interface_document(
            Path::new("/ws/skills-root/interfaces/memory_store.md"),
            root
        ));
        assert!(is_interface_document(
            Path::new("/ws/skills-root/interfaces/README.MD"),
            root
        ));
        // Not Markdown, not directly inside, or another root's folder.
        assert!(!is_interface_document(
            Path::new("/ws/skills-root/interfaces/LICENSE"),
            root
        ));
        assert!(!is_interface_document(
            Path::new("/ws/skills-root/interfaces/adapters/x.md"),
            root
        ));
        assert!(!is_interface_document(
            Path::new("/ws/skills-root/skills/a/SKILL.md"),
            root
        ));
        assert!(!is_interface_document(
            Path::new("/ws/other/interfaces/memory_store.md"),
            root
        ));
        assert!(may_be_interface_document(Path::new(
            "/ws/other/interfaces/memory_store.md"
        )));
        assert!(!may_be_interface_document(Path::new(
            "/ws/skills-root/skills/a/SKILL.md"
        )));
    }

    #[test]
    fn the_defaults_ignore_nothing_and_name_no_root() {
        let d = ConfigFile::defaults();
        assert!(!d.ignores(Path::new("/ws/drafts/x/SKILL.md")));
        assert_eq!(d.root(), None);
    }
}
