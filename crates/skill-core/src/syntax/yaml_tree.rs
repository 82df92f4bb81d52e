//! The spanned YAML tree the front matter is read into (see
//! [`super::yaml`]), and how a plain scalar resolves: shared by the
//! parser-driven reader and the fast one ([`super::yaml_fast`]).

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
        YamlLimits {
            max_bytes: 256 * 1024,
            max_depth: 64,
            max_aliases: 100,
            max_nodes: 20_000,
        }
    }
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

    /// The node at an instance path, as a schema validator names one: keys
    /// of maps (the first entry of a repeated key) and indices of lists.
    pub fn at_path<S: AsRef<str>>(&self, path: &[S]) -> Option<&YamlNode> {
        path.iter().try_fold(self, |node, seg| match &node.value {
            YamlValue::Map(_) => node.get(seg.as_ref()),
            YamlValue::Seq(items) => seg.as_ref().parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    }

    /// What holds byte `offset`, for the editor: the keys (and list indices,
    /// as numbers) down to the innermost key or non-empty value holding it,
    /// whether that is a key, and its range. `None` where no key or value
    /// holds it (between a map's entries, in an empty value).
    pub fn place_at(&self, offset: usize) -> Option<(Vec<String>, bool, TextRange)> {
        let mut path = Vec::new();
        let mut node = self;
        loop {
            match &node.value {
                YamlValue::Map(entries) => {
                    if let Some(e) = entries.iter().find(|e| e.key_range.touches(offset)) {
                        path.push(e.key.clone());
                        return Some((path, true, e.key_range));
                    }
                    let e = entries
                        .iter()
                        .find(|e| e.value.range.touches(offset) && !e.value.range.is_empty())?;
                    path.push(e.key.clone());
                    node = &e.value;
                }
                YamlValue::Seq(items) => {
                    let i = items.iter().position(|n| n.range.touches(offset))?;
                    path.push(i.to_string());
                    node = &items[i];
                }
                _ => return Some((path, false, node.range)),
            }
        }
    }

    /// The value as an integer, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            YamlValue::Int(i) => Some(i),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages: `a string`, `a list`.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            YamlValue::Null => "empty",
            YamlValue::Bool(_) => "a boolean",
            YamlValue::Int(_) => "an integer",
            YamlValue::Float(_) => "a number",
            YamlValue::String(_) => "a string",
            YamlValue::Seq(_) => "a list",
            YamlValue::Map(_) => "a map",
        }
    }
}

/// Resolves a plain scalar per the YAML 1.2 core schema.
pub fn resolve_plain(s: &str) -> YamlValue {
    // Most plain scalars are words of text: none of the null, boolean or
    // number spellings starts as they do, so they are strings at once.
    if s.as_bytes().first().is_some_and(|&b| !MAY_RESOLVE[usize::from(b)]) {
        return YamlValue::String(s.to_string());
    }
    resolve_spelling(s)
}

/// The first bytes of the plain scalars that are not strings: `~`, `null`,
/// `true`, `false`, `.inf`, `.nan`, signs and digits (the empty one is null).
static MAY_RESOLVE: [bool; 256] = crate::text::byte_set(b"~nNtTfF.+-0123456789");

/// [`resolve_plain`] by trying each spelling: the general reading its
/// shortcut for words is tested against.
fn resolve_spelling(s: &str) -> YamlValue {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return YamlValue::Null,
        "true" | "True" | "TRUE" => return YamlValue::Bool(true),
        "false" | "False" | "FALSE" => return YamlValue::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return YamlValue::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return YamlValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return YamlValue::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = resolve_int(s) {
        return v;
    }
    if is_core_float(s) {
        if let Ok(f) = s.parse::<f64>() {
            return YamlValue::Float(f);
        }
    }
    YamlValue::String(s.to_string())
}

fn resolve_int(s: &str) -> Option<YamlValue> {
    let radix = |digits: &str, radix: u32| {
        (!digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))).then(|| {
            i64::from_str_radix(digits, radix)
                .map(YamlValue::Int)
                .unwrap_or_else(|_| YamlValue::String(s.to_string()))
        })
    };
    if let Some(hex) = s.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return radix(oct, 8);
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match s.parse::<i64>() {
        Ok(i) => YamlValue::Int(i),
        // Too large for i64: still a number.
        Err(_) => s
            .parse::<f64>()
            .map(YamlValue::Float)
            .unwrap_or_else(|_| YamlValue::String(s.to_string())),
    })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = int_len;
    let mut frac_len = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_len;
    }
    if int_len == 0 && frac_len == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_len == 0 {
            return false;
        }
        i += exp_len;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, ..ProptestConfig::default() })]
        /// The shortcut for words resolves every scalar as trying each
        /// spelling does (compared as written out: `.nan` is not equal to itself).
        #[test]
        fn resolves_as_trying_each_spelling(
            s in "[~nNtTfFaAuUrRlLsSeEiI.+\\-0-9xXoObB_ é]{0,7}|null|true|False|\\.inf|-\\.Inf|\\.NaN|0x1F|0o17|-12|1e5|\\.5",
        ) {
            prop_assert_eq!(format!("{:?}", resolve_plain(&s)), format!("{:?}", resolve_spelling(&s)));
        }
    }
}
