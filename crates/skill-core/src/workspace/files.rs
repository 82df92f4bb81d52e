//! A cache of linked files: whether they exist, and their headings' anchors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
pub struct FileCache {
    entries: Mutex<HashMap<PathBuf, Option<Arc<[String]>>>>,
}

impl FileCache {
    /// The heading anchors of the Markdown file at `path`, `None` when it
    /// does not exist or cannot be read.
    pub fn anchors(&self, path: &Path) -> Option<Arc<[String]>> {
        let _ = path;
        None // implemented in the links work
    }

    /// Forgets what is known of `path` (a watched file changed).
    pub fn invalidate(&self, path: &Path) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(path);
    }
}
