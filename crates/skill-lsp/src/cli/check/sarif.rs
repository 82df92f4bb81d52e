//! `--format sarif`: a SARIF 2.1.0 log for code-scanning services. The tool
//! driver lists every rule of the catalogue; results point at one-based
//! lines and columns (UTF-16 code units, SARIF's default column kind).
//! Inputs that could not be checked become tool execution notifications.

use std::path::Path;

use serde_json::{json, Value};
use skill_core::rules::{FixAvailability, ALL};
use skill_core::{Encoding, Severity};

use super::report::Report;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

pub fn render(report: &Report) -> String {
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
                "properties": {"fixable": r.fix != FixAvailability::None},
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in &report.checked {
        let location = artifact(report, &file.path);
        for d in &file.diagnostics {
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
            results.push(result);
        }
    }
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
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "skill-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": {SRCROOT: {"uri": file_uri(&report.cwd, true)}},
            "columnKind": "utf16CodeUnits",
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
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
