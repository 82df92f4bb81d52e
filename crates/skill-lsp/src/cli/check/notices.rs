//! Input notices: what indexing the skills roots skipped (an interface
//! document over the size limit, a `skills/` folder over the entry limit),
//! named once per run. Unlike input errors these leave every file checked,
//! so they are warnings and do not change the exit status; the findings they
//! explain (SK201 for a method of an unread document) do that already.
//!
//! The human report shows them first, as input errors are shown:
//! `interfaces/memory_store.md: warning[file-too-large] was not read: ...`.
//! The JSON, SARIF and GitHub formats have no place for them in the
//! document the rule catalogue specifies, so there they go to stderr, and
//! stdout stays exactly the specified document.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use skill_core::workspace::Skipped;
use skill_core::Workspace;

use super::report::{display_path, InputError};
use super::setup::Job;

/// The distinct skills roots the jobs use, each once (taken before the
/// checks, so linked files found too large while checking are seen too).
pub fn indexes(jobs: &[Job]) -> Vec<Arc<Workspace>> {
    let mut seen = BTreeSet::new();
    jobs.iter()
        .filter(|job| job.workspace.root.is_some() && seen.insert(Arc::as_ptr(&job.workspace)))
        .map(|job| job.workspace.clone())
        .collect()
}

/// One thing skipped, as printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Notice {
    /// Absolute (as indexing named it).
    pub path: PathBuf,
    /// `file-too-large`, `folder-too-large` or `symlink-to-ancestor`.
    pub kind: &'static str,
    /// What happened, the limit, what it means and what to do.
    pub message: String,
    /// A folder: shown with a trailing `/`.
    pub is_folder: bool,
}

/// Everything the roots skipped, once each, sorted by path; not a file
/// `errors` already names (a skill too large to check is also too large to
/// index: one line says it).
pub fn collect(indexes: &[Arc<Workspace>], errors: &[InputError]) -> Vec<Notice> {
    let mut out: Vec<Notice> = indexes
        .iter()
        .flat_map(|ws| ws.skipped())
        .filter(|s| !errors.iter().any(|e| e.path == s.path))
        .map(notice)
        .collect();
    out.sort();
    // Two roots may share a folder (a root nested in another's context).
    out.dedup_by(|a, b| a.path == b.path && a.kind == b.kind);
    out
}

fn notice(s: Skipped) -> Notice {
    Notice {
        kind: s.kind(),
        message: s.detail(),
        is_folder: s.is_folder(),
        path: s.path,
    }
}

/// `path: warning[kind] message`, the path as the report shows paths.
fn line(n: &Notice, cwd: &Path, warning: &str) -> String {
    let mut path = display_path(cwd, &n.path);
    if n.is_folder && !path.ends_with('/') {
        path.push('/');
    }
    format!("{path}: {warning}[{}] {}", n.kind, n.message)
}

/// The notices at the top of the human report, then a blank line; nothing
/// when there are none.
pub fn write_human(out: &mut impl Write, notices: &[Notice], cwd: &Path, color: bool) -> std::io::Result<()> {
    if notices.is_empty() {
        return Ok(());
    }
    let warning = if color { "\x1b[1;33mwarning\x1b[0m" } else { "warning" };
    for n in notices {
        writeln!(out, "{}", line(n, cwd, warning))?;
    }
    writeln!(out)
}

/// The notices on stderr, for formats whose stdout must stay one document.
pub fn write_stderr(notices: &[Notice], cwd: &Path) {
    for n in notices {
        eprintln!("skill-lsp: {}", line(n, cwd, "warning"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skill_core::workspace::Role;

    #[test]
    fn notices_name_the_path_the_kind_and_the_limit() {
        let cwd = Path::new("/ws");
        let notices = vec![
            notice(Skipped::too_large(
                cwd.join("interfaces/memory_store.md"),
                Role::InterfaceDoc("memoryStore"),
                3 * 1024 * 1024,
            )),
            notice(Skipped::too_many_entries(cwd.join("skills"), Role::SkillsFolder, 5).unwrap()),
        ];
        let mut out = Vec::new();
        write_human(&mut out, &notices, cwd, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with(
                "interfaces/memory_store.md: warning[file-too-large] was not read: 3 MiB, over the 2 MiB limit"
            ),
            "{out}"
        );
        assert!(
            lines[1].starts_with("skills/: warning[folder-too-large] holds more than the 100,000 entries"),
            "{out}"
        );
        assert_eq!(lines[2], "");
        let mut none = Vec::new();
        write_human(&mut none, &[], cwd, false).unwrap();
        assert!(none.is_empty());
    }
}
