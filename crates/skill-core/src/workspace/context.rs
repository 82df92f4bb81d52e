//! Context domains (`context/<domain>/`) and their topics (`<topic>.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::skipped::{Role, Skipped};
use super::walk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: String,
    pub dir: PathBuf,
    /// File stems of `context/<domain>/*.md`, `index` excluded.
    pub topics: BTreeSet<String>,
    /// Entries of the folder not indexed because it holds more than
    /// [`super::MAX_DIR_ENTRIES`]: a topic not in `topics` may be among them.
    pub skipped: usize,
}

impl Domain {
    /// Whether `topic` (`fastapi_patterns`, or `fastapi_patterns.md`) names a file of the domain.
    pub fn has_topic(&self, topic: &str) -> bool {
        let stem = topic.strip_suffix(".md").unwrap_or(topic);
        stem == "index" || self.topics.contains(stem)
    }
}

/// Reads the domains of a `context/` folder: each sub-folder, with its
/// Markdown files as topics. Folders too large to index whole (`context/`
/// itself or a domain) are added to `skips`.
pub(crate) fn load_domains(root: &Path, context_dir: &Path, skips: &mut Vec<Skipped>) -> BTreeMap<String, Domain> {
    let mut out = BTreeMap::new();
    let (dirs, skipped) = walk::dirs(root, context_dir);
    skips.extend(Skipped::too_many_entries(
        context_dir.to_path_buf(),
        Role::ContextFolder,
        skipped,
    ));
    for (name, dir) in dirs {
        let (files, skipped) = walk::files(root, &dir);
        skips.extend(Skipped::too_many_entries(dir.clone(), Role::DomainFolder, skipped));
        let topics = files
            .into_iter()
            .filter_map(|(file, _)| file.strip_suffix(".md").map(str::to_string))
            .filter(|stem| stem != "index")
            .collect();
        out.insert(
            name.clone(),
            Domain {
                name,
                dir,
                topics,
                skipped,
            },
        );
    }
    out
}
