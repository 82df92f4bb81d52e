//! Checks (and with `--fix`, mends) one file: read, decode, run the rules.
//! Every way a file can fail to be read becomes an [`InputError`], never a crash.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use skill_core::analysis::front_matter_problem;
use skill_core::workspace::with_known_size;
use skill_core::{check, fix_document, LineCol, LineIndex, SkillDoc};

use super::report::{Checked, FixSummary, InputError, InputErrorKind, Keep};
use super::setup::Job;

/// Larger than any real skill (the largest in the corpus is about 40 KB);
/// refusing such files keeps a stray dump from stalling the run.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Whether to mend what can be mended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    Off,
    /// Safe fixes only.
    Safe,
    /// Safe and unsafe fixes.
    All,
}

/// Where the text comes from and where a fixed text goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Io<'a> {
    /// The text, when it is not read from the file (`--stdin-filename`).
    pub text: Option<&'a str>,
    /// Write nothing; keep the fixed text and a unified diff against the
    /// original instead (`--diff`, and `--fix` on standard input).
    pub dry: bool,
}

/// What became of one file.
pub enum Outcome {
    Checked(Checked),
    /// Checked, but `--fix` could not write the result back.
    CheckedWithError(Checked, InputError),
    Failed(InputError),
}

/// Runs one job, keeping of the file's text only what `keep` asks (the text
/// itself is dropped here, so a run's memory does not grow with its files'
/// sizes), and each finding's baseline fingerprint only when `fingerprints`
/// (a baseline is read or written). A panic inside a rule is caught and
/// reported against the file, so one bad file never hides the findings in
/// the others.
pub fn analyze(job: &Job, mode: FixMode, keep: Keep, fingerprints: bool, io: Io) -> Outcome {
    let keep = Kept { keep, fingerprints };
    if let (Some(dir), Some(listing)) = (job.target.path.parent(), job.take_listing()) {
        job.workspace.offer_listing(dir, listing);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| analyze_inner(job, mode, keep, io)));
    // Only this file's rules read its folder's bundled files: their texts go
    // with it, like its own (on a 3,000-skill tree they were most of the peak).
    if let Some(dir) = job.target.path.parent() {
        job.workspace.forget_bundle(dir);
    }
    match outcome {
        Ok(outcome) => outcome,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown failure".to_string());
            Outcome::Failed(InputError::new(
                job.target.path.clone(),
                InputErrorKind::Internal,
                format!("skill-lsp failed while checking this file ({what}); please report it with the file attached"),
            ))
        }
    }
}

/// What a [`Checked`] keeps: `keep` of the text, and the fingerprints or not.
#[derive(Clone, Copy)]
struct Kept {
    keep: Keep,
    fingerprints: bool,
}

fn analyze_inner(job: &Job, mode: FixMode, keep: Kept, io: Io) -> Outcome {
    let path = &job.target.path;
    // Shared with the parse, which would otherwise copy it.
    let text: Arc<str> = match io.text {
        Some(text) => Arc::from(text),
        None => match read_text(path, job.len) {
            Ok(text) => text,
            Err(e) => return Outcome::Failed(e),
        },
    };
    let config = &job.config.config;
    if mode == FixMode::Off {
        return Outcome::Checked(unchanged(job, &text, keep));
    }
    let outcome = fix_document(&text, Some(path.clone()), &job.workspace, config, mode == FixMode::All);
    let changed = *outcome.text != *text;
    let mut summary = FixSummary {
        applied: outcome.applied,
        titles: outcome.titles,
        blocker: None,
    };
    // A file whose fixed text would not parse is never written: the author
    // mends the front matter first, then the fixes apply to what it says.
    if changed && !outcome.parses {
        let fixed = SkillDoc::parse(outcome.text.as_str(), Some(path.clone()));
        summary.blocker = front_matter_problem(&fixed);
        let mut checked = unchanged(job, &text, keep);
        checked.withheld = Some(summary);
        return Outcome::Checked(checked);
    }
    if io.dry {
        let index = LineIndex::new(&outcome.text);
        let mut checked = Checked::new(path.clone(), &outcome.text, &index, outcome.remaining, keep.keep);
        checked.fixed = changed.then_some(summary);
        if changed {
            checked.diff = Some(super::diff::hunks(&text, &outcome.text));
        }
        checked.fixed_text = Some(outcome.text);
        return Outcome::Checked(checked);
    }
    let write_error = if changed {
        std::fs::write(path, outcome.text.as_bytes()).err().map(|e| {
            InputError::new(
                path.clone(),
                InputErrorKind::WriteFailed,
                format!("cannot write the fixed text back: {e}"),
            )
        })
    } else {
        None
    };
    if let Some(err) = write_error {
        // Nothing was written: report the file as it still is.
        return Outcome::CheckedWithError(unchanged(job, &text, keep), err);
    }
    let index = LineIndex::new(&outcome.text);
    let mut checked = Checked::new(path.clone(), &outcome.text, &index, outcome.remaining, keep.keep);
    if keep.fingerprints {
        checked.fingerprints = fingerprints(&outcome.text, &checked);
    }
    checked.fixed = changed.then_some(summary);
    Outcome::Checked(checked)
}

/// The file as it is on disk, checked.
fn unchanged(job: &Job, text: &Arc<str>, keep: Kept) -> Checked {
    let path = &job.target.path;
    let doc = SkillDoc::parse(text.clone(), Some(path.clone()));
    let diagnostics = check(&doc, &job.workspace, &job.config.config);
    let mut checked = Checked::new(path.clone(), &doc.text, &doc.line_index, diagnostics, keep.keep);
    if keep.fingerprints {
        checked.fingerprints = fingerprints(&doc.text, &checked);
    }
    checked
}

/// Each finding's baseline fingerprint, taken while the text is at hand.
fn fingerprints(text: &str, checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| skill_core::baseline::fingerprint(text, d))
        .collect()
}

/// Reads a file as UTF-8 text, or says precisely why it cannot be. A file
/// indexing found regular, of `known` bytes, is read with no `stat`; one
/// that cannot be read so after all (gone, or become a folder) is asked
/// again, so that the error says why. The text is copied once, from the
/// buffer it was read into to the one the parse keeps.
fn read_text(path: &std::path::Path, known: Option<u64>) -> Result<Arc<str>, InputError> {
    let known = known.filter(|len| *len <= MAX_FILE_BYTES);
    if let Some(Ok(text)) = known.map(|len| with_known_size(path, len, |bytes| decode(path, bytes))) {
        return text;
    }
    let len = readable_len(path)?;
    with_known_size(path, len, |bytes| decode(path, bytes)).map_err(|e| InputError::from_io(path.to_path_buf(), &e))?
}

/// `bytes` (of the file at `path`) as text, or where they are not UTF-8.
fn decode(path: &std::path::Path, bytes: &[u8]) -> Result<Arc<str>, InputError> {
    std::str::from_utf8(bytes)
        .map(Arc::from)
        .map_err(|e| invalid_utf8(path, bytes, e.valid_up_to()))
}

/// The size of a file its metadata says is a regular file small enough to
/// read; else why it cannot be read.
fn readable_len(path: &std::path::Path) -> Result<u64, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError::from_io(path.to_path_buf(), &e))?;
    if meta.is_dir() {
        return Err(InputError::new(
            path.to_path_buf(),
            InputErrorKind::Unreadable,
            "is a folder, not a file",
        ));
    }
    if !meta.is_file() {
        // A pipe or a device: reading it could wait forever.
        return Err(InputError::new(
            path.to_path_buf(),
            InputErrorKind::Unreadable,
            "is not a regular file",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(InputError::new(
            path.to_path_buf(),
            InputErrorKind::TooLarge,
            format!(
                "{} bytes is more than the {MAX_FILE_BYTES} bytes a skill file may have",
                meta.len()
            ),
        ));
    }
    Ok(meta.len())
}

/// Names the line and column of the first byte that is not UTF-8.
fn invalid_utf8(path: &std::path::Path, bytes: &[u8], valid_up_to: usize) -> InputError {
    // The prefix up to `valid_up_to` is valid by definition.
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or("");
    let index = LineIndex::new(prefix);
    let line = index.line_of(prefix.len());
    // The human message counts characters; the JSON position counts UTF-16
    // units like every other column it prints.
    let col = index.position(prefix, prefix.len(), skill_core::Encoding::Utf32).col;
    let col16 = index.position(prefix, prefix.len(), skill_core::Encoding::Utf16).col;
    let mut err = InputError::new(
        path.to_path_buf(),
        InputErrorKind::InvalidUtf8,
        format!(
            "not valid UTF-8 (first bad byte at line {}, column {}, byte offset {valid_up_to}); save the file as UTF-8",
            line + 1,
            col + 1
        ),
    );
    err.position = Some(LineCol {
        line: line as u32,
        col: col16,
    });
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A size known from indexing reads what asking the file system reads,
    /// and says the same of what cannot be read, whatever size was known
    /// (the file changed since, or is a folder now).
    #[test]
    fn a_known_size_reads_as_asking_does() {
        let dir = test_corpus::scratch_dir("skill-lsp-read-text");
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        std::fs::write(dir.join("ok.md"), "---\nname: x\n---\nbody\n").unwrap();
        std::fs::write(dir.join("bad.md"), b"---\n\xff\n").unwrap();
        let outcome =
            |path: &std::path::Path, known| read_text(path, known).map_err(|e| (e.kind, e.message, e.position));
        for name in ["ok.md", "bad.md", "folder", "missing.md"] {
            let path = dir.join(name);
            let asked = outcome(&path, None);
            for known in [0, 5, 22, 1 << 20, MAX_FILE_BYTES + 1] {
                assert_eq!(outcome(&path, Some(known)), asked, "{name} {known}");
            }
        }
        assert_eq!(
            outcome(&dir.join("ok.md"), Some(22)),
            Ok(Arc::from("---\nname: x\n---\nbody\n"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn invalid_utf8_names_the_line_and_column() {
        let bytes = b"---\nname: x\n\xff rest";
        let err = invalid_utf8(std::path::Path::new("SKILL.md"), bytes, 12);
        assert_eq!(err.kind, InputErrorKind::InvalidUtf8);
        assert_eq!(err.position, Some(LineCol { line: 2, col: 0 }));
        assert!(err.message.contains("line 3, column 1"), "{}", err.message);
        // Old Mac line ends count as lines too.
        let bytes = b"---\rname: x\r\xff rest";
        let err = invalid_utf8(std::path::Path::new("SKILL.md"), bytes, 12);
        assert_eq!(err.position, Some(LineCol { line: 2, col: 0 }));
    }
}
