//! Context domains (`context/<domain>/`) and their topics (`<topic>.md`).

use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: String,
    pub dir: PathBuf,
    /// File stems of `context/<domain>/*.md`, `index` excluded.
    pub topics: BTreeSet<String>,
}
