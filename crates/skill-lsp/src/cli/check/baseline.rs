//! `--write-baseline` and `--baseline` (or `baseline = "..."` in
//! `skill-lsp.toml`): record today's findings, then report only new ones.
//! Paths in the file are relative to the baseline file's folder, so the file
//! can be committed and used from any working directory.

use std::path::Path;

use skill_core::baseline::Baseline;

use super::report::Checked;
use crate::project::baseline as shared;
pub use shared::read;

/// Writes every finding of `checked` to `file`; returns how many.
pub fn write(file: &Path, checked: &[Checked]) -> std::io::Result<usize> {
    let mut rows = Vec::new();
    for c in checked {
        let path = shared::recorded_path(file, &c.path);
        for (d, fp) in c.diagnostics.iter().zip(&c.fingerprints) {
            rows.push((path.clone(), d.code, fp.as_str(), d.message.as_str()));
        }
    }
    let count = rows.len();
    let baseline = Baseline::from_findings(rows.iter().map(|(p, c, f, m)| (p.as_str(), *c, *f, *m)));
    std::fs::write(file, baseline.to_json())?;
    Ok(count)
}

/// Drops from `c` the findings `baseline` (read from `file`) records; counts them.
pub fn apply(file: &Path, baseline: &Baseline, c: &mut Checked) {
    let mut matcher = shared::matcher(file, baseline, &c.path);
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
