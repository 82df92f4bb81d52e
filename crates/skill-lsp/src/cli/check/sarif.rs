//! `--format sarif`: a SARIF 2.1.0 log for code-scanning services. The tool
//! driver lists every rule of the catalogue; results point at one-based
//! lines and columns (UTF-16 code units, SARIF's default column kind).
//! Inputs that could not be checked become tool execution notifications.

use std::io::{self, Write};
use std::path::Path;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{json, Value};
use skill_core::rules::ALL;
use skill_core::{Diagnostic, Encoding, Severity};

use super::report::{Checked, Report};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// The log; fields in the order serde_json prints an object's keys (sorted),
/// so the output reads as if the whole log were one JSON value.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    invocations: Value,
    original_uri_base_ids: Value,
    /// Serialised one result at a time: a result as a JSON value takes some
    /// kilobytes, and a large tree has tens of thousands.
    results: Results<'a>,
    tool: Value,
}

struct Results<'a>(&'a Report);

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut seq = serializer.serialize_seq(None)?;
        for file in &report.checked {
            let location = artifact(report, &file.path);
            for d in &file.diagnostics {
                seq.serialize_element(&result(file, d, &location))?;
            }
        }
        seq.end()
    }
}

/// Writes the log to `out` as it is serialised (it is never held whole).
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let rules: Vec<Value> = ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.docs, "markdown": r.docs},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"fixable": r.fix.any()},
            })
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "descriptor": {"id": e.kind.as_str()},
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(report, &e.path)}}],
            })
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        runs: [Run {
            column_kind: "utf16CodeUnits",
            invocations: json!([{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }]),
            original_uri_base_ids: json!({SRCROOT: {"uri": file_uri(&report.cwd, true)}}),
            results: Results(report),
            tool: json!({"driver": {
                "name": "skill-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// One finding as a SARIF result.
fn result(file: &Checked, d: &Diagnostic, location: &Value) -> Value {
    let (start, end) = file.span(d, Encoding::Utf16);
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": {
                "startLine": start.line + 1,
                "startColumn": start.col + 1,
                "endLine": end.line + 1,
                "endColumn": end.col + 1,
            },
        }}],
    });
    if let Some(index) = ALL.iter().position(|r| r.code == d.code) {
        result["ruleIndex"] = json!(index);
    }
    result
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
    }
}

/// A relative URI against `%SRCROOT%` (the current folder) when the file is
/// under it, else an absolute `file://` URI.
fn artifact(report: &Report, path: &Path) -> Value {
    match path.strip_prefix(&report.cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => json!({"uri": encode(&report.display(path)), "uriBaseId": SRCROOT}),
        _ => json!({"uri": file_uri(path, false)}),
    }
}

fn file_uri(path: &Path, dir: bool) -> String {
    let mut s = path.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if dir && !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", encode(&s))
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode("skills/my skill/SKILL.md"), "skills/my%20skill/SKILL.md");
        assert_eq!(file_uri(Path::new("/tmp/a b"), true), "file:///tmp/a%20b/");
    }
}
