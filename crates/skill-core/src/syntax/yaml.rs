//! A YAML tree with a byte range on every key and value, built from the
//! parser's events, with bounds on aliases, depth and size.

use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq)]
pub enum YamlValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<YamlNode>),
    Map(Vec<YamlEntry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlNode {
    pub value: YamlValue,
    /// Absolute byte range of the value in the document.
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlEntry {
    pub key: String,
    /// Absolute byte range of the key.
    pub key_range: TextRange,
    pub value: YamlNode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The parser stopped: `range` is where.
    Syntax,
    /// A key repeated in one map: `range` is the second occurrence.
    DuplicateKey,
    /// Aliases, nesting or size beyond [`YamlLimits`].
    Limit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub range: TextRange,
    pub message: String,
}

/// Safety bounds for untrusted front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
    /// Alias uses allowed in one document.
    pub max_aliases: usize,
    /// Nodes allowed after alias expansion.
    pub max_nodes: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits { max_bytes: 256 * 1024, max_depth: 64, max_aliases: 100, max_nodes: 20_000 }
    }
}

/// Parses `text[range]` (one YAML document). Never fails: returns what
/// could be built (possibly nothing) and every error found.
pub fn parse(text: &str, range: TextRange, limits: YamlLimits) -> (Option<YamlNode>, Vec<YamlError>) {
    let _ = (text, range, limits);
    (None, Vec::new()) // implemented in the front matter work
}

impl YamlNode {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YamlValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[YamlEntry]> {
        match &self.value {
            YamlValue::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[YamlNode]> {
        match &self.value {
            YamlValue::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The first entry of a map with key `key`.
    pub fn entry(&self, key: &str) -> Option<&YamlEntry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// The value of key `key` in a map.
    pub fn get(&self, key: &str) -> Option<&YamlNode> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of keys: `node.path(&["context", "primary_domain"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&YamlNode> {
        keys.iter().try_fold(self, |node, k| node.get(k))
    }
}
