//! The workspace index: the skills root, the interface catalogue, the context
//! domains and topics, and the skills it holds. Built once, shared read-only.

pub mod builtin;
pub mod catalogue;
mod context;
mod files;

pub use catalogue::{Catalogue, Interface, Method, Param};
pub use context::Domain;
pub use files::FileCache;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A skill found in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillEntry {
    pub name: String,
    pub path: PathBuf,
    pub description: String,
}

#[derive(Debug, Default)]
pub struct Workspace {
    /// The folder that holds `interfaces/`, if one was found.
    pub root: Option<PathBuf>,
    /// The methods skills may call (from the interface documents, else built in).
    pub catalogue: Catalogue,
    /// `context/<domain>/` folders by name.
    pub domains: BTreeMap<String, Domain>,
    /// Skills by front matter name (or folder name when it has none).
    pub skills: BTreeMap<String, SkillEntry>,
    /// The text of `skills/SKILL_TEMPLATE.md`, when the workspace has one.
    pub template: Option<Arc<str>>,
    /// Existence and headings of files that links point to.
    pub files: FileCache,
}

impl Workspace {
    /// A workspace with no files: the built-in catalogue and nothing else.
    pub fn detached() -> Workspace {
        Workspace { catalogue: builtin::catalogue(), ..Workspace::default() }
    }

    /// Walks up from `start` (a file or folder) to the folder that holds `interfaces/`.
    pub fn find_root(start: &Path) -> Option<PathBuf> {
        let _ = start;
        None // implemented in the interfaces work
    }

    /// Indexes the workspace rooted at `root`.
    pub fn load(root: &Path) -> Workspace {
        let _ = root;
        Workspace::detached() // implemented in the interfaces work
    }
}
