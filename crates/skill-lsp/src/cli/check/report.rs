//! What a `check` run found, independent of how it is printed: the checked
//! files with their diagnostics, and the inputs that could not be read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skill_core::{Diagnostic, Encoding, LineCol, LineIndex, Severity};

/// Why an input could not be checked (or written back). Stable names: they
/// appear as `kind` in the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputErrorKind {
    /// The path does not exist.
    NotFound,
    /// The file or folder exists but could not be read (permissions, I/O).
    Unreadable,
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// A symbolic link that leads back to itself or to a folder above it.
    SymlinkLoop,
    /// Larger than a skill could reasonably be.
    TooLarge,
    /// A `skill-lsp.toml` that could not be read or understood.
    InvalidConfig,
    /// `--fix` could not write the fixed text back.
    WriteFailed,
    /// skill-lsp itself failed on this file (a bug; the other files are checked).
    Internal,
}

impl InputErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputErrorKind::NotFound => "not-found",
            InputErrorKind::Unreadable => "unreadable",
            InputErrorKind::InvalidUtf8 => "invalid-utf8",
            InputErrorKind::SymlinkLoop => "symlink-loop",
            InputErrorKind::TooLarge => "too-large",
            InputErrorKind::InvalidConfig => "invalid-config",
            InputErrorKind::WriteFailed => "write-failed",
            InputErrorKind::Internal => "internal-error",
        }
    }
}

/// An input that could not be checked. Any of these makes the exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Absolute; empty when the walker could not say which path.
    pub path: PathBuf,
    pub kind: InputErrorKind,
    pub message: String,
    /// Where in the file, when known (the first invalid UTF-8 byte), zero-based.
    pub position: Option<LineCol>,
}

impl InputError {
    pub fn new(path: PathBuf, kind: InputErrorKind, message: impl Into<String>) -> InputError {
        InputError {
            path,
            kind,
            message: message.into(),
            position: None,
        }
    }

    /// Classifies an I/O error: missing, looping link, or otherwise unreadable.
    pub fn from_io(path: PathBuf, err: &std::io::Error) -> InputError {
        let (kind, message) = if is_loop(err) {
            (
                InputErrorKind::SymlinkLoop,
                format!("symbolic link loop: the link never reaches a file ({err})"),
            )
        } else if err.kind() == std::io::ErrorKind::NotFound {
            (InputErrorKind::NotFound, "no such file or folder".to_string())
        } else {
            (InputErrorKind::Unreadable, format!("cannot read: {err}"))
        };
        InputError::new(path, kind, message)
    }
}

/// `ELOOP` ("too many levels of symbolic links"); std has no stable error kind for it.
fn is_loop(err: &std::io::Error) -> bool {
    const ELOOP_LINUX: i32 = 40;
    const ELOOP_BSD: i32 = 62;
    match err.raw_os_error() {
        Some(code) if cfg!(target_os = "linux") || cfg!(target_os = "android") => code == ELOOP_LINUX,
        Some(code) if cfg!(unix) => code == ELOOP_BSD,
        _ => format!("{:?}", err.kind()) == "FilesystemLoop",
    }
}

/// What `--fix` changed in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixSummary {
    pub applied: usize,
    /// The fixes' titles, in the order they were applied.
    pub titles: Vec<String>,
    /// For fixes not written: what would still keep the front matter from
    /// parsing (`line 3: ...`, in the fixed text).
    pub blocker: Option<String>,
}

/// One file that was read and checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Absolute.
    pub path: PathBuf,
    /// The text the diagnostics refer to (after `--fix`, the fixed text).
    pub text: Arc<str>,
    pub line_index: LineIndex,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when `--fix` changed the file.
    pub fixed: Option<FixSummary>,
    /// Set when `--fix` found fixes but wrote nothing, because the fixed text's
    /// front matter would not parse (a file is never written in that state).
    pub withheld: Option<FixSummary>,
}

impl Checked {
    /// Start and end of a diagnostic's range, zero-based, columns in `enc` units.
    pub fn span(&self, d: &Diagnostic, enc: Encoding) -> (LineCol, LineCol) {
        let start = self.line_index.position(&self.text, d.range.start, enc);
        let end = self.line_index.position(&self.text, d.range.end, enc);
        (start, end)
    }

    /// The text of zero-based line `line`, without its terminator.
    pub fn line_text(&self, line: u32) -> &str {
        self.line_index
            .line_content(&self.text, line as usize)
            .and_then(|r| self.text.get(r))
            .unwrap_or("")
    }
}

/// Everything a run found, in a deterministic order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sorted by path; diagnostics within a file sorted by position.
    pub checked: Vec<Checked>,
    /// Sorted by path.
    pub errors: Vec<InputError>,
    /// The folder paths are shown relative to.
    pub cwd: PathBuf,
}

/// Counts by severity, and how many findings a fix could mend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub safe_fixable: usize,
    pub unsafe_fixable: usize,
}

impl Report {
    pub fn new(mut checked: Vec<Checked>, mut errors: Vec<InputError>, cwd: PathBuf) -> Report {
        checked.sort_by(|a, b| a.path.cmp(&b.path));
        for c in &mut checked {
            c.diagnostics
                .sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
        }
        errors.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
        errors.dedup();
        Report { checked, errors, cwd }
    }

    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for d in self.checked.iter().flat_map(|c| &c.diagnostics) {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Information => t.infos += 1,
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(skill_core::Applicability::Safe) => t.safe_fixable += 1,
                Some(skill_core::Applicability::Unsafe) => t.unsafe_fixable += 1,
                None => {}
            }
        }
        t
    }

    /// 2 when an input could not be read, else 1 when errors were found (or
    /// warnings, with `strict`), else 0.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let t = self.tally();
        if !self.errors.is_empty() {
            2
        } else if t.errors > 0 || (strict && t.warnings > 0) {
            1
        } else {
            0
        }
    }

    /// `path` as shown to the user: relative to the current folder when under
    /// it, with `/` separators on every platform.
    pub fn display(&self, path: &Path) -> String {
        display_path(&self.cwd, path)
    }
}

/// See [`Report::display`].
pub fn display_path(cwd: &Path, path: &Path) -> String {
    if path.as_os_str().is_empty() {
        return ".".to_string();
    }
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    if shown.as_os_str().is_empty() {
        return ".".to_string();
    }
    let s = shown.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_under_the_current_folder_and_absolute_elsewhere() {
        let cwd = Path::new("/work/repo");
        assert_eq!(
            display_path(cwd, Path::new("/work/repo/skills/a/SKILL.md")),
            "skills/a/SKILL.md"
        );
        assert_eq!(
            display_path(cwd, Path::new("/elsewhere/SKILL.md")),
            "/elsewhere/SKILL.md"
        );
        assert_eq!(display_path(cwd, Path::new("/work/repo")), ".");
    }

    #[test]
    fn io_errors_are_classified() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            InputError::from_io(PathBuf::from("x"), &missing).kind,
            InputErrorKind::NotFound
        );
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            InputError::from_io(PathBuf::from("x"), &denied).kind,
            InputErrorKind::Unreadable
        );
        if cfg!(target_os = "linux") {
            let looped = std::io::Error::from_raw_os_error(40);
            assert_eq!(
                InputError::from_io(PathBuf::from("x"), &looped).kind,
                InputErrorKind::SymlinkLoop
            );
        }
    }
}
