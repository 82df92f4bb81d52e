//! Baselines: the findings a repository accepted on a given day, so that CI
//! fails only on new ones. A finding is known by a fingerprint that survives
//! edits elsewhere in the file: its code, the file's path (relative to the
//! baseline file), the text it flags with the line around it, and the first
//! name its message quotes — never its line number. The fingerprint is a
//! hash, so a baselined secret is not copied into the baseline file.
//!
//! The file is JSON: `{"version": 1, "findings": [{"path", "code",
//! "fingerprint", "count", "message"}]}`; `count` is how many findings share
//! the fingerprint, `message` is there for the people reading the file.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::text::TextRange;

/// One accepted finding (or several identical ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    #[serde(default = "one")]
    pub count: usize,
    #[serde(default)]
    pub message: String,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// The error of a baseline file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineError(pub String);

impl Baseline {
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let b: Baseline =
            serde_json::from_str(text).map_err(|e| BaselineError(format!("not a skill-lsp baseline: {e}")))?;
        if b.version != 1 {
            return Err(BaselineError(format!(
                "baseline version {} is not supported (expected 1)",
                b.version
            )));
        }
        Ok(b)
    }

    /// A baseline holding `findings` (path, code, fingerprint, message),
    /// identical fingerprints counted together, sorted for stable diffs.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = (&'a str, &'a str, &'a str, &'a str)>) -> Baseline {
        let mut map: BTreeMap<(String, String, String), Entry> = BTreeMap::new();
        for (path, code, fingerprint, message) in findings {
            map.entry((path.to_string(), code.to_string(), fingerprint.to_string()))
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    path: path.to_string(),
                    code: code.to_string(),
                    fingerprint: fingerprint.to_string(),
                    count: 1,
                    message: message.to_string(),
                });
        }
        Baseline {
            version: 1,
            findings: map.into_values().collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// A matcher for the findings of the file at `path` (relative to the baseline).
    pub fn for_file(&self, path: &str) -> Matcher {
        let mut left = HashMap::new();
        for e in self.findings.iter().filter(|e| e.path == path) {
            *left.entry((e.code.clone(), e.fingerprint.clone())).or_insert(0) += e.count;
        }
        Matcher { left }
    }
}

/// Takes baselined findings of one file one at a time: a fingerprint
/// recorded twice covers two findings, not three.
#[derive(Debug, Default)]
pub struct Matcher {
    left: HashMap<(String, String), usize>,
}

impl Matcher {
    /// Whether `d` (fingerprint `fp`) is in the baseline; uses one occurrence up.
    pub fn take(&mut self, code: &str, fp: &str) -> bool {
        match self.left.get_mut(&(code.to_string(), fp.to_string())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// The fingerprint of a finding in `text`: a hash of its code, the text it
/// flags and the line(s) around it (spaces squeezed), and the first name
/// its message quotes in backticks.
pub fn fingerprint(text: &str, d: &Diagnostic) -> String {
    let r = clamp(text, d.range);
    let line_start = text[..r.start].rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let line_end = text[r.end..].find(['\n', '\r']).map_or(text.len(), |p| r.end + p);
    let context = squeeze(&text[line_start..line_end]);
    let flagged = squeeze(&text[r.start..r.end]);
    let subject = d.message.split('`').nth(1).unwrap_or("");
    let mut h = Fnv::default();
    for part in [d.code, "\u{0}", &flagged, "\u{0}", &context, "\u{0}", subject] {
        h.write(part.as_bytes());
    }
    format!("{:016x}", h.0)
}

fn clamp(text: &str, r: TextRange) -> TextRange {
    let mut start = r.start.min(text.len());
    let mut end = r.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    TextRange::new(start, end)
}

fn squeeze(s: &str) -> String {
    let mut out: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.len() > 400 {
        let mut cut = 400;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// FNV-1a, 64 bits: stable across versions and platforms, unlike `std`'s hasher.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn diag(text: &str, needle: &str) -> Diagnostic {
        let start = text.find(needle).unwrap();
        Diagnostic {
            code: "SK605",
            severity: Severity::Error,
            range: TextRange::new(start, start + needle.len()),
            message: "m".into(),
            fix: None,
            related: Vec::new(),
        }
    }

    #[test]
    fn fingerprints_survive_line_shifts_but_not_edits_of_the_flagged_text() {
        let a = "# T\n\nkey = ghp_abc\n";
        let b = "# T\n\nA new paragraph.\n\nkey = ghp_abc\n";
        let c = "# T\n\nkey = ghp_abd\n";
        assert_eq!(fingerprint(a, &diag(a, "ghp_abc")), fingerprint(b, &diag(b, "ghp_abc")));
        assert_ne!(fingerprint(a, &diag(a, "ghp_abc")), fingerprint(c, &diag(c, "ghp_abd")));
    }

    #[test]
    fn identical_findings_are_counted_and_taken_one_at_a_time() {
        let b = Baseline::from_findings([("a/SKILL.md", "SK601", "f1", "m"), ("a/SKILL.md", "SK601", "f1", "m")]);
        assert_eq!(b.findings[0].count, 2);
        let b = Baseline::parse(&b.to_json()).unwrap();
        let mut m = b.for_file("a/SKILL.md");
        assert!(m.take("SK601", "f1") && m.take("SK601", "f1"));
        assert!(!m.take("SK601", "f1"));
        assert!(!b.for_file("b/SKILL.md").take("SK601", "f1"));
    }
}
