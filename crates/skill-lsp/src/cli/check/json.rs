//! `--format json`: one JSON document, as the rule catalogue specifies.
//!
//! ```json
//! {"files": 2, "diagnostics": [{"path": "skills/a/SKILL.md", "code": "SK102",
//!   "severity": "error", "message": "...", "range": {"start": {"line": 0,
//!   "character": 0}, "end": {"line": 0, "character": 3}}, "fixable": true,
//!   "fix": "unsafe"}],
//!  "errors": [{"path": "skills/b/SKILL.md", "kind": "invalid-utf8", "message": "..."}]}
//! ```
//!
//! Lines and characters are zero-based, characters in UTF-16 code units.
//! `errors` lists inputs that could not be checked (exit status 2); `fixed`
//! appears with `--fix` and lists what was changed; `withheld` lists files
//! whose fixes were not written because the fixed text would not parse.

use std::io::{self, Write};

use serde::Serialize;
use skill_core::{Applicability, Diagnostic, Encoding, LineCol};

use super::human;
use super::report::{bulk_fix, display_path, Checked, Report};

/// What follows the findings in the document; field order is the order
/// printed. The document is `files`, `diagnostics`, then these: it is
/// written in parts (see [`write`]) so that the findings can be written as
/// files are checked, never held whole.
#[derive(Serialize)]
struct Tail<'a> {
    errors: Vec<JsonError<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<Vec<JsonFixed<'a>>>,
    /// Files `--fix` left untouched because their fixed text would not parse.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    withheld: Vec<JsonWithheld<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    range: JsonRange,
    fixable: bool,
    /// `safe` (`--fix` applies it), `unsafe` (`--unsafe-fixes` does) or
    /// `choice` (equally plausible mends: the author picks one in the
    /// editor); absent without a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonRange {
    start: LineCol,
    end: LineCol,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: String,
    kind: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<LineCol>,
}

#[derive(Serialize)]
struct JsonFixed<'a> {
    path: String,
    applied: usize,
    fixes: &'a [String],
}

/// A file `--fix` did not write: nothing was applied; `not_applied` fixes
/// would have been, and `reason` says why they were not.
#[derive(Serialize)]
struct JsonWithheld<'a> {
    path: String,
    not_applied: usize,
    fixes: &'a [String],
    reason: String,
}

/// Writes the document to `out` as it is serialised (it is never held whole).
pub fn write(out: &mut dyn Write, report: &Report, fix_requested: bool) -> io::Result<()> {
    head(out, report.checked.len())?;
    let mut diagnostics = Diagnostics::new(&mut *out, &report.cwd)?;
    for file in &report.checked {
        diagnostics.file(file)?;
    }
    diagnostics.finish()?;
    tail(out, report, fix_requested)
}

/// The document whose `diagnostics` array was written to a spool as the
/// files were checked (`files` of them; `spool` copies it out), `report`
/// holding the rest (its `checked` is empty): the streamed run, where
/// `files` is known only at the end.
pub fn write_spooled(
    out: &mut dyn Write,
    files: usize,
    spool: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    report: &Report,
) -> io::Result<()> {
    head(out, files)?;
    spool(out)?;
    tail(out, report, false)
}

/// The document up to its `diagnostics` array.
fn head(out: &mut dyn Write, files: usize) -> io::Result<()> {
    write!(out, "{{\n  \"files\": {files},\n  \"diagnostics\": ")
}

/// The `diagnostics` array, written a file at a time exactly as the
/// document's pretty printing lays it out (each finding indented to its
/// depth), to the output or to a spool.
pub struct Diagnostics<'a, W: Write> {
    out: W,
    cwd: &'a std::path::Path,
    written: usize,
    /// One finding's JSON, reused.
    buf: Vec<u8>,
}

impl<'a, W: Write> Diagnostics<'a, W> {
    pub fn new(mut out: W, cwd: &'a std::path::Path) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Diagnostics {
            out,
            cwd,
            written: 0,
            buf: Vec::new(),
        })
    }

    /// Writes the findings of one file.
    pub fn file(&mut self, file: &Checked) -> io::Result<()> {
        let rendered = render(file, self.cwd, &mut self.buf)?;
        self.rendered(&rendered)
    }

    /// Writes the findings of one file rendered already ([`render`], on
    /// whichever thread checked it).
    pub fn rendered(&mut self, rendered: &Rendered) -> io::Result<()> {
        if rendered.findings == 0 {
            return Ok(());
        }
        // Each finding comes after `,\n`; the array's first, after `\n` only.
        let bytes = if self.written == 0 {
            &rendered.bytes[1..]
        } else {
            &rendered.bytes[..]
        };
        self.out.write_all(bytes)?;
        self.written += rendered.findings;
        Ok(())
    }

    /// Closes the array; gives back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(if self.written == 0 { b"]" } else { b"\n  ]" })?;
        Ok(self.out)
    }
}

/// One file's findings as items of the `diagnostics` array, each after
/// `,\n` (the array's first drops the comma: [`Diagnostics::rendered`]).
pub struct Rendered {
    bytes: Vec<u8>,
    findings: usize,
}

/// Renders the findings of `file` (paths shown relative to `cwd`) exactly as
/// the document's pretty printing lays them out, each finding indented to
/// its depth; `buf` is scratch space (the path, escaped once for all the
/// file's findings). Rendering is most of the cost of writing the report,
/// so a run can do it on the thread that checked the file and keep only the
/// copying in order.
pub fn render(file: &Checked, cwd: &std::path::Path, buf: &mut Vec<u8>) -> io::Result<Rendered> {
    let path = display_path(cwd, &file.path);
    buf.clear();
    string(buf, &path)?;
    // About what a finding takes, so the bytes are rarely moved.
    let mut bytes = Vec::with_capacity(file.diagnostics.len() * (buf.len() + 320));
    for d in &file.diagnostics {
        finding(&mut bytes, &json_diagnostic(file, d, &path), buf)?;
    }
    Ok(Rendered {
        bytes,
        findings: file.diagnostics.len(),
    })
}

/// Writes `,\n` and one finding as serde's pretty printer lays out a
/// [`JsonDiagnostic`] two levels deep (the test of the whole document holds
/// it to that printer), its path already escaped in `path_json`: serde's
/// printer, then every line indented, cost twice this.
fn finding(out: &mut Vec<u8>, d: &JsonDiagnostic, path_json: &[u8]) -> io::Result<()> {
    out.extend_from_slice(b",\n    {\n      \"path\": ");
    out.extend_from_slice(path_json);
    out.extend_from_slice(b",\n      \"code\": ");
    string(out, d.code)?;
    out.extend_from_slice(b",\n      \"severity\": ");
    string(out, d.severity)?;
    out.extend_from_slice(b",\n      \"message\": ");
    string(out, d.message)?;
    let (start, end) = (d.range.start, d.range.end);
    out.extend_from_slice(b",\n      \"range\": {\n        \"start\": {\n          \"line\": ");
    number(out, start.line);
    out.extend_from_slice(b",\n          \"character\": ");
    number(out, start.col);
    out.extend_from_slice(b"\n        },\n        \"end\": {\n          \"line\": ");
    number(out, end.line);
    out.extend_from_slice(b",\n          \"character\": ");
    number(out, end.col);
    out.extend_from_slice(b"\n        }\n      },\n      \"fixable\": ");
    out.extend_from_slice(if d.fixable { b"true" } else { b"false" });
    if let Some(fix) = d.fix {
        out.extend_from_slice(b",\n      \"fix\": ");
        string(out, fix)?;
    }
    out.extend_from_slice(b"\n    }");
    Ok(())
}

/// `s` as a JSON string, as serde writes it. serde looks every byte up in
/// its table of escapes; nearly every string here needs none (a code, a
/// severity, a message without quotes or control characters), and one
/// pass that the compiler runs on many bytes at once tells so, so it is
/// copied between quotes as it is. serde writes the others.
fn string(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    let escaped = s
        .bytes()
        .fold(false, |any, b| any | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escaped {
        return Ok(serde_json::to_writer(out, s)?);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// `n` in decimal, as serde writes it (`write!` goes through the
/// formatting machinery, four times a finding).
fn number(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// One finding of `file`, shown at `path`.
fn json_diagnostic<'a>(file: &Checked, d: &'a Diagnostic, path: &'a str) -> JsonDiagnostic<'a> {
    let (start, end) = file.span(d, Encoding::Utf16);
    JsonDiagnostic {
        path,
        code: d.code,
        severity: d.severity.as_str(),
        message: &d.message,
        range: JsonRange { start, end },
        fixable: d.is_fixable(),
        fix: d.fix.as_ref().map(|_| match bulk_fix(d) {
            Some(Applicability::Safe) => "safe",
            Some(Applicability::Unsafe) => "unsafe",
            None => "choice",
        }),
    }
}

fn json_errors(report: &Report) -> Vec<JsonError<'_>> {
    report
        .errors
        .iter()
        .map(|e| JsonError {
            path: report.display(&e.path),
            kind: e.kind.as_str(),
            message: &e.message,
            position: e.position,
        })
        .collect()
}

/// The document from the comma after `diagnostics` to its end.
fn tail(out: &mut dyn Write, report: &Report, fix_requested: bool) -> io::Result<()> {
    let errors = json_errors(report);
    let fixed = fix_requested.then(|| {
        report
            .checked
            .iter()
            .filter_map(|c| {
                let f = c.fixed.as_ref()?;
                Some(JsonFixed {
                    path: report.display(&c.path),
                    applied: f.applied,
                    fixes: &f.titles,
                })
            })
            .collect()
    });
    let withheld = report
        .checked
        .iter()
        .filter_map(|c| {
            let f = c.withheld.as_ref()?;
            Some(JsonWithheld {
                path: report.display(&c.path),
                not_applied: f.applied,
                fixes: &f.titles,
                reason: human::withheld_reason(f),
            })
        })
        .collect();
    let tail = serde_json::to_vec_pretty(&Tail {
        errors,
        fixed,
        withheld,
    })?;
    // `{\n  "errors": ...}`: its fields sit at the document's depth, so all
    // but the opening brace continues the document.
    out.write_all(b",\n")?;
    out.write_all(tail.strip_prefix(b"{\n").unwrap_or(&tail))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use skill_core::{Fix, LineIndex, Severity, TextRange};

    use super::super::report::{Checked, InputError, InputErrorKind, Keep};
    use super::*;

    fn checked(path: &str, text: &str, ranges: &[(usize, usize)]) -> Checked {
        let diagnostics = ranges
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| Diagnostic {
                code: "SK201",
                severity: Severity::Warning,
                range: TextRange::new(start, end),
                message: "a \"quoted\"\nmessage, é\t\u{1}".into(),
                // Findings with and without a fix, of each kind.
                fix: match i % 3 {
                    0 => None,
                    1 => Some(Fix::safe("f", Vec::new())),
                    _ => Some(Fix::unsafe_("f", Vec::new())),
                },
                related: Vec::new(),
            })
            .collect();
        Checked::new(
            PathBuf::from(path),
            text,
            &LineIndex::new(text),
            diagnostics,
            Keep::Positions,
        )
    }

    /// Strings and numbers are written as serde writes them, those that
    /// need no escape (copied as they are) and those that do.
    #[test]
    fn strings_and_numbers_are_written_as_serde_writes_them() {
        let strings = [
            "",
            "SK201",
            "warning",
            "`{skill-name}` is a placeholder left in: write what belongs here",
            "é — → ✅ \u{7f} / '",
            "a \"quoted\" word",
            "back\\slash",
            "line\nbreak\ttab\r\u{1}\u{1f}",
        ];
        // Every ASCII character, in a string long enough to be read many bytes at once.
        let every: Vec<String> = (0..128u8)
            .map(|b| format!("{}{}{}", "x".repeat(40), b as char, "y".repeat(40)))
            .collect();
        for s in strings.iter().copied().chain(every.iter().map(String::as_str)) {
            let mut ours = Vec::new();
            assert!(string(&mut ours, s).is_ok());
            assert_eq!(ours, serde_json::to_vec(s).unwrap_or_default(), "{s:?}");
        }
        for n in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX - 1, u32::MAX] {
            let mut ours = Vec::new();
            number(&mut ours, n);
            assert_eq!(ours, n.to_string().into_bytes());
        }
    }

    /// The document written in parts is the one serde's pretty printer
    /// lays out for the whole, directly and through a spool alike.
    #[test]
    fn the_document_written_in_parts_is_the_pretty_printed_whole() {
        let text = "---\nname: a\n---\nbody é\n";
        let files = vec![
            checked("/ws/a/SKILL.md", text, &[(4, 8), (16, 20), (17, 22)]),
            checked("/ws/b/SKILL.md", text, &[]),
            checked("/ws/c/SKILL.md", text, &[(0, 3)]),
        ];
        let errors = vec![InputError::new(
            PathBuf::from("/ws/d/SKILL.md"),
            InputErrorKind::InvalidUtf8,
            "not UTF-8",
        )];
        for (files, errors) in [
            (files.clone(), errors.clone()),
            (files[1..2].to_vec(), Vec::new()),
            (Vec::new(), errors),
        ] {
            let report = Report::new(files, errors, PathBuf::from("/ws"));
            // The whole document as one value, laid out by serde.
            #[derive(Serialize)]
            struct Whole<'a> {
                files: usize,
                diagnostics: Vec<JsonDiagnostic<'a>>,
                errors: Vec<JsonError<'a>>,
            }
            let paths: Vec<String> = report.checked.iter().map(|c| report.display(&c.path)).collect();
            let diagnostics = report
                .checked
                .iter()
                .zip(&paths)
                .flat_map(|(c, path)| c.diagnostics.iter().map(move |d| json_diagnostic(c, d, path)))
                .collect();
            let errors = json_errors(&report);
            let whole = Whole {
                files: report.checked.len(),
                diagnostics,
                errors,
            };
            let mut expected = serde_json::to_vec_pretty(&whole).unwrap_or_default();
            expected.push(b'\n');

            let mut direct = Vec::new();
            assert!(write(&mut direct, &report, false).is_ok());
            assert_eq!(String::from_utf8_lossy(&direct), String::from_utf8_lossy(&expected));

            let mut spool = Vec::new();
            let mut parts = Diagnostics::new(&mut spool, &report.cwd).expect("memory");
            report.checked.iter().for_each(|c| assert!(parts.file(c).is_ok()));
            assert!(parts.finish().is_ok());
            let rest = Report::new(Vec::new(), report.errors.clone(), report.cwd.clone());
            let mut spooled = Vec::new();
            let written = write_spooled(&mut spooled, report.checked.len(), |out| out.write_all(&spool), &rest);
            assert!(written.is_ok());
            assert_eq!(spooled, direct);
        }
    }
}
