//! `--write-baseline` and `--baseline` (or `baseline = "..."` in
//! `skill-lsp.toml`): record today's findings, then report only new ones.
//! Paths in the file are relative to the baseline file's folder, so the file
//! can be committed and used from any working directory.

use std::path::{Path, PathBuf};

use skill_core::baseline::Baseline;

use super::discover::normalize;
use super::report::Checked;

/// A file's path as the baseline records it: relative to `dir`, with `/`.
fn rel(dir: &Path, path: &Path) -> String {
    let p = path.strip_prefix(dir).unwrap_or(path);
    p.to_string_lossy().replace('\\', "/")
}

/// Writes every finding of `checked` to `file`; returns how many.
pub fn write(file: &Path, checked: &[Checked]) -> std::io::Result<usize> {
    let dir = base_dir(file);
    let mut rows = Vec::new();
    for c in checked {
        let path = rel(&dir, &c.path);
        for (d, fp) in c.diagnostics.iter().zip(&c.fingerprints) {
            rows.push((path.clone(), d.code, fp.as_str(), d.message.as_str()));
        }
    }
    let count = rows.len();
    let baseline = Baseline::from_findings(rows.iter().map(|(p, c, f, m)| (p.as_str(), *c, *f, *m)));
    std::fs::write(file, baseline.to_json())?;
    Ok(count)
}

/// Reads a baseline file; the error says what is wrong with it.
pub fn read(file: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Baseline::parse(&text).map_err(|e| format!("{}: {}", file.display(), e.0))
}

/// Drops from `c` the findings `baseline` (read from `file`) records; counts them.
pub fn apply(file: &Path, baseline: &Baseline, c: &mut Checked) {
    let mut matcher = baseline.for_file(&rel(&base_dir(file), &c.path));
    let mut keep = Vec::with_capacity(c.diagnostics.len());
    let mut fps = Vec::with_capacity(c.diagnostics.len());
    for (d, fp) in c.diagnostics.drain(..).zip(c.fingerprints.drain(..)) {
        if matcher.take(d.code, &fp) {
            c.baselined += 1;
        } else {
            keep.push(d);
            fps.push(fp);
        }
    }
    c.diagnostics = keep;
    c.fingerprints = fps;
}

/// The folder paths in a baseline file are relative to.
fn base_dir(file: &Path) -> PathBuf {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    normalize(abs.parent().unwrap_or(Path::new("/")))
}
