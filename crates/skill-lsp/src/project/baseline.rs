//! Baseline files, as the command line and the language server read them:
//! paths in the file are relative to the baseline file's folder, so it can
//! be committed and used from any working directory.

use std::path::{Path, PathBuf};

use skill_core::baseline::{Baseline, Matcher};

use super::{normalize, ConfigFile};

/// Reads a baseline file; the error says what is wrong with it.
pub fn read(file: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Baseline::parse(&text).map_err(|e| format!("{}: {}", file.display(), e.0))
}

/// The baseline file a configuration names, resolved against its folder.
pub fn configured(config: &ConfigFile) -> Option<PathBuf> {
    config
        .config
        .baseline
        .as_ref()
        .map(|file| normalize(&config.dir.join(file)))
}

/// A file's path as the baseline `file` records it: relative to the
/// baseline's folder, with `/`.
pub fn recorded_path(file: &Path, path: &Path) -> String {
    let dir = base_dir(file);
    let p = path.strip_prefix(&dir).unwrap_or(path);
    p.to_string_lossy().replace('\\', "/")
}

/// What `baseline` (read from `file`) records for `path`.
pub fn matcher(file: &Path, baseline: &Baseline, path: &Path) -> Matcher {
    baseline.for_file(&recorded_path(file, path))
}

/// The folder paths in a baseline file are relative to.
fn base_dir(file: &Path) -> PathBuf {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    normalize(abs.parent().unwrap_or(Path::new("/")))
}
