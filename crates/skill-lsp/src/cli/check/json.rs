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
use skill_core::{Applicability, Encoding, LineCol};

use super::human;
use super::report::{bulk_fix, Report};

/// The document; field order is the order printed.
#[derive(Serialize)]
struct Output<'a> {
    files: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<Vec<JsonFixed<'a>>>,
    /// Files `--fix` left untouched because their fixed text would not parse.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    withheld: Vec<JsonWithheld<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: String,
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
    let mut diagnostics = Vec::new();
    for file in &report.checked {
        let path = report.display(&file.path);
        for d in &file.diagnostics {
            let (start, end) = file.span(d, Encoding::Utf16);
            diagnostics.push(JsonDiagnostic {
                path: path.clone(),
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
            });
        }
    }
    let errors = report
        .errors
        .iter()
        .map(|e| JsonError {
            path: report.display(&e.path),
            kind: e.kind.as_str(),
            message: &e.message,
            position: e.position,
        })
        .collect();
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
    let doc = Output {
        files: report.checked.len(),
        diagnostics,
        errors,
        fixed,
        withheld,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
