//! What a rule reports: a code, a severity, a byte range, a message and maybe a fix.

use serde::{Deserialize, Serialize};

use crate::fix::Fix;
use crate::text::TextRange;

/// A rule's configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
        }
    }

    /// Parses the names a config file may use (`error`, `warn`, `info`, ...).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" | "e" | "deny" => Some(Severity::Error),
            "warning" | "warn" | "w" => Some(Severity::Warning),
            "information" | "info" | "i" | "hint" => Some(Severity::Information),
            _ => None,
        }
    }
}

/// A second place a finding involves: the first of two equal keys, the
/// other skill of one name. Editors show it under the finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The other file; `None`: the finding's own document.
    pub path: Option<std::path::PathBuf>,
    /// Byte range in that file (another file's: empty at 0, its start).
    pub range: TextRange,
    pub message: String,
}

/// One finding in one document. Plain data: the editor and the CLI render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, `SK102`.
    pub code: &'static str,
    pub severity: Severity,
    /// The primary range, as tight as the text allows.
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Fix>,
    /// Other places the finding involves.
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn is_fixable(&self) -> bool {
        self.fix.is_some()
    }
}
