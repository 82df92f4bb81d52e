//! What a `check` run found, independent of how it is printed: the checked
//! files with their diagnostics, and the inputs that could not be read.

use std::path::{Path, PathBuf};

use skill_core::{Applicability, Columns, Diagnostic, Encoding, Fix, LineCol, LineIndex, Severity};

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

/// What a [`Checked`] keeps of its file's text once the text is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The line and column of every range end: all the machine formats print.
    Positions,
    /// Those, and the source lines the findings start on (the human format
    /// prints each under its finding).
    Lines,
}

/// One file that was read and checked.
///
/// The file's text is not kept: a large tree would hold every file until the
/// report is printed. What printing needs of it (the line and column of each
/// range end, and for [`Keep::Lines`] the lines findings start on) is resolved
/// in [`Checked::new`], while the text is at hand.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Absolute.
    pub path: PathBuf,
    /// Sorted by position. Ranges refer to the checked text (after `--fix`,
    /// the fixed text). A fix keeps what it is (safe or not, a choice): its title and
    /// edits are dropped with the text, since a report prints neither.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when `--fix` changed the file.
    pub fixed: Option<FixSummary>,
    /// Set when `--fix` found fixes but wrote nothing, because the fixed text's
    /// front matter would not parse (a file is never written in that state).
    pub withheld: Option<FixSummary>,
    /// The baseline fingerprint of each of `diagnostics`, in the same order,
    /// when a baseline is read or written (else empty).
    pub fingerprints: Vec<String>,
    /// Findings left out because the baseline records them.
    pub baselined: usize,
    /// With [`super::analyze::Io::dry`]: what fixing would change, as a unified diff.
    pub diff: Option<String>,
    /// With [`super::analyze::Io::dry`]: the text fixing gives (standard input's `--fix` prints it).
    pub fixed_text: Option<String>,
    /// Every range end of `diagnostics`, sorted by offset, without repeats.
    ends: Vec<RangeEnd>,
    /// The source lines findings start on, sorted by line number.
    lines: Vec<(u32, Box<str>)>,
}

/// One byte offset of a text, resolved to its line and its column in each encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RangeEnd {
    offset: usize,
    at: Columns,
}

impl Checked {
    /// The findings of `path` whose text is `text`, keeping of the text only what `keep` asks.
    pub fn new(path: PathBuf, text: &str, index: &LineIndex, mut diagnostics: Vec<Diagnostic>, keep: Keep) -> Checked {
        diagnostics.sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
        for d in &mut diagnostics {
            d.message.shrink_to_fit();
            if let Some(fix) = &mut d.fix {
                // No report prints a fix's title or edits: they go with the
                // text. What the fix is (safe or not, a choice) stays.
                strip(fix);
                fix.alternatives.iter_mut().for_each(strip);
            }
        }
        diagnostics.shrink_to_fit();
        let mut offsets: Vec<usize> = diagnostics.iter().flat_map(|d| [d.range.start, d.range.end]).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let ends = offsets
            .into_iter()
            .map(|offset| RangeEnd {
                offset,
                at: index.columns(text, offset),
            })
            .collect();
        let mut checked = Checked {
            path,
            diagnostics,
            fixed: None,
            withheld: None,
            fingerprints: Vec::new(),
            baselined: 0,
            diff: None,
            fixed_text: None,
            ends,
            lines: Vec::new(),
        };
        if keep == Keep::Lines {
            let mut starts: Vec<u32> = checked
                .diagnostics
                .iter()
                .map(|d| checked.position(d.range.start, Encoding::Utf8).line)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            checked.lines = starts
                .into_iter()
                .map(|line| {
                    let content = index
                        .line_content(text, line as usize)
                        .and_then(|r| text.get(r))
                        .unwrap_or("");
                    (line, content.into())
                })
                .collect();
        }
        checked
    }

    /// Start and end of a diagnostic's range, zero-based, columns in `enc` units.
    pub fn span(&self, d: &Diagnostic, enc: Encoding) -> (LineCol, LineCol) {
        (self.position(d.range.start, enc), self.position(d.range.end, enc))
    }

    /// The line and column of a range end of one of this file's diagnostics
    /// (any other offset was never resolved, and gives the start of the file).
    fn position(&self, offset: usize, enc: Encoding) -> LineCol {
        let Ok(i) = self.ends.binary_search_by_key(&offset, |e| e.offset) else {
            return LineCol::default();
        };
        self.ends[i].at.at(enc)
    }

    /// The text of zero-based line `line`, without its terminator, when a
    /// finding starts on it and the lines were kept ([`Keep::Lines`]); else empty.
    pub fn line_text(&self, line: u32) -> &str {
        match self.lines.binary_search_by_key(&line, |(l, _)| *l) {
            Ok(i) => &self.lines[i].1,
            Err(_) => "",
        }
    }
}

/// A fix without its title and edits.
fn strip(fix: &mut Fix) {
    fix.title = String::new();
    fix.edits = Vec::new();
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

/// How fixing in bulk treats a finding's fix: `Safe` (`--fix`), `Unsafe`
/// (`--unsafe-fixes`), or `None` for no fix or a choice between equally
/// plausible mends, which is the author's (a quick fix in the editor).
pub fn bulk_fix(d: &Diagnostic) -> Option<Applicability> {
    d.fix.as_ref().and_then(Fix::bulk_applicability)
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

impl Tally {
    /// Counts the findings of one file.
    pub fn add(&mut self, c: &Checked) {
        for d in &c.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Information => self.infos += 1,
            }
            // A file `--fix` withheld is never written until its front
            // matter is mended: its fixes are not to be had with a flag.
            if c.withheld.is_some() {
                continue;
            }
            match bulk_fix(d) {
                Some(Applicability::Safe) => self.safe_fixable += 1,
                Some(Applicability::Unsafe) => self.unsafe_fixable += 1,
                None => {}
            }
        }
    }

    /// Adds the counts of `other` (a file counted where it was checked).
    pub fn absorb(&mut self, other: Tally) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.safe_fixable += other.safe_fixable;
        self.unsafe_fixable += other.unsafe_fixable;
    }

    /// 2 when an input could not be read (`unreadable`), else 1 when errors
    /// were found (or warnings, with `strict`), else 0.
    pub fn exit_code(&self, unreadable: bool, strict: bool) -> u8 {
        if unreadable {
            2
        } else if self.errors > 0 || (strict && self.warnings > 0) {
            1
        } else {
            0
        }
    }
}

impl Report {
    pub fn new(mut checked: Vec<Checked>, mut errors: Vec<InputError>, cwd: PathBuf) -> Report {
        // Each file's diagnostics were sorted by `Checked::new`.
        checked.sort_by(|a, b| a.path.cmp(&b.path));
        errors.sort_by(|a, b| (&a.path, a.kind, a.position).cmp(&(&b.path, b.kind, b.position)));
        errors.dedup();
        Report { checked, errors, cwd }
    }

    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        self.checked.iter().for_each(|c| t.add(c));
        t
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
    use skill_core::TextRange;

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
    fn a_checked_file_keeps_every_position_and_only_the_lines_findings_start_on() {
        let text = "---\nname: é\n---\n\n1. 😀 call `x.getIndex()`\r\nlast line";
        let index = LineIndex::new(text);
        let call = text.find("getIndex").unwrap_or(0);
        let diagnostic = |range, fix| Diagnostic {
            code: "SK201",
            severity: Severity::Error,
            range,
            message: "no such method".into(),
            fix,
            related: Vec::new(),
        };
        let fix = Fix::unsafe_(
            "Rename the call",
            vec![skill_core::Edit::replace(TextRange::new(call, call + 8), "get")],
        );
        let diagnostics = vec![
            diagnostic(TextRange::new(call, call + 8), Some(fix)),
            diagnostic(TextRange::new(9, text.len()), None),
        ];
        let file = PathBuf::from("/ws/skills/a/SKILL.md");
        let checked = Checked::new(file.clone(), text, &index, diagnostics.clone(), Keep::Lines);
        // Sorted by position.
        assert_eq!(checked.diagnostics[0].range, diagnostics[1].range);
        for d in &checked.diagnostics {
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let expected = (
                    index.position(text, d.range.start, enc),
                    index.position(text, d.range.end, enc),
                );
                assert_eq!(checked.span(d, enc), expected, "{enc:?}");
            }
        }
        assert_eq!(checked.line_text(1), "name: é");
        assert_eq!(checked.line_text(4), "1. 😀 call `x.getIndex()`");
        // No finding starts on these lines, so they were not kept.
        assert_eq!(checked.line_text(0), "");
        assert_eq!(checked.line_text(5), "");
        // A fix keeps what the report counts, not its edits.
        let fix = checked.diagnostics[1].fix.as_ref();
        assert_eq!(fix.map(|f| f.applicability), Some(skill_core::Applicability::Unsafe));
        assert!(fix.is_some_and(|f| f.edits.is_empty() && f.title.is_empty()));

        let positions_only = Checked::new(file, text, &index, diagnostics, Keep::Positions);
        assert_eq!(positions_only.line_text(4), "");
        let d = &positions_only.diagnostics[1];
        assert_eq!(
            positions_only.span(d, Encoding::Utf16),
            checked.span(d, Encoding::Utf16)
        );
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
