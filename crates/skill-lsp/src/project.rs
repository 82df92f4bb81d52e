//! The project a file belongs to, resolved the same way by `skill-lsp check`
//! and the language server: its `skill-lsp.toml` (the nearest above it),
//! that file's `ignore` globs and `root`, and paths normalised without
//! touching the disk. Each front end keeps its own caches and says errors
//! its own way; what a config file means is decided here only.

pub mod baseline;
mod extend;

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
pub use skill_core::workspace::normalize;
use skill_core::{config::FILE_NAME, Config};

/// A configuration and the folder it applies from.
#[derive(Debug)]
pub struct ConfigFile {
    pub config: Config,
    /// The folder `ignore` globs and `root` are relative to: the config
    /// file's folder (empty for the defaults).
    pub dir: PathBuf,
    ignore: Option<Gitignore>,
}

/// Why a config file could not be used.
#[derive(Debug)]
pub enum ConfigFileError {
    /// It could not be read.
    Io(std::io::Error),
    /// It is not a valid `skill-lsp.toml`: the message says what is wrong.
    Invalid(String),
}

impl ConfigFile {
    pub fn new(mut config: Config, dir: PathBuf) -> ConfigFile {
        // `[[overrides]]` globs are relative to the config's folder too.
        if !dir.as_os_str().is_empty() {
            config.dir = Some(dir.clone());
        }
        let ignore = build_ignore(&config.ignore, &dir);
        ConfigFile { config, dir, ignore }
    }

    /// The defaults, for a file no config governs.
    pub fn defaults() -> ConfigFile {
        ConfigFile::new(Config::default(), PathBuf::new())
    }

    /// Reads and parses a config file with every config it `extend`s, and
    /// checks that a `root` it names exists.
    pub fn read(path: &Path) -> Result<ConfigFile, ConfigFileError> {
        std::fs::metadata(path).map_err(ConfigFileError::Io)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let text = extend::merged_toml(path).map_err(ConfigFileError::Invalid)?;
        let config = Config::from_toml(&text)
            .and_then(|c| c.check_root(&dir).map(|()| c))
            .map_err(|e| ConfigFileError::Invalid(e.message))?;
        Ok(ConfigFile::new(config, dir))
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
