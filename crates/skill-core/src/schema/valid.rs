//! Whether a front matter is surely valid, read straight off the YAML tree:
//! most front matters are, and proving it this way spares building a JSON
//! value of the tree for the validator ([`super::validate`]), which then
//! runs only on the rest.
//!
//! This reads the keywords the schema files use (`type`, `properties`,
//! `additionalProperties`, `required`, `items`, `$ref` to `#/$defs/…`,
//! `anyOf`, `enum` of strings, `minLength`, `maxLength`, `minimum`,
//! `uniqueItems` of strings, the `pattern`s of [`KNOWN_PATTERNS`]) and the
//! annotations. Anything else, or any doubt (a float, a pattern it does not
//! know, a version with a pre-release part), answers "not sure", and the
//! validator decides. So it can only ever say less than the validator: the
//! tests below hold it to that on every front matter of the corpus, with
//! each of their values replaced in turn, keys dropped and added.

use serde_json::Value;

use crate::syntax::yaml::{YamlNode, YamlValue};

/// Whether `node` (a front matter's root) satisfies `schema` (a whole schema
/// file, compiled by [`Compiled::of`]) for certain; `false` when it does not
/// or when this cannot tell.
pub fn surely_valid(schema: &Compiled, node: &YamlNode) -> bool {
    schema.holds(node)
}

/// A subschema read into what [`Compiled::holds`] tests: the keywords'
/// values looked up once per schema, not once per node and check.
#[derive(Debug, Default)]
pub struct Compiled {
    /// A keyword this cannot test, or a `$ref` it cannot follow: never sure.
    unknown: bool,
    /// `type`: the [`TypeSet`] bits allowed (`None`: any).
    types: Option<u8>,
    any_of: Option<Vec<Compiled>>,
    enum_strings: Option<Vec<String>>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    /// `pattern`, when one of [`KNOWN_PATTERNS`].
    pattern: Option<fn(&str) -> bool>,
    minimum: Option<i64>,
    required: Vec<String>,
    properties: Vec<(String, Compiled)>,
    /// `additionalProperties` (`None`: absent, any key allowed).
    additional: Option<Box<Compiled>>,
    items: Option<Box<Compiled>>,
    unique_items: bool,
}

/// The JSON types, one bit each.
struct TypeSet;

impl TypeSet {
    const STRING: u8 = 1;
    const INTEGER: u8 = 1 << 1;
    const NUMBER: u8 = 1 << 2;
    const BOOLEAN: u8 = 1 << 3;
    const NULL: u8 = 1 << 4;
    const ARRAY: u8 = 1 << 5;
    const OBJECT: u8 = 1 << 6;

    fn of_name(name: &Value) -> Option<u8> {
        Some(match name.as_str()? {
            "string" => Self::STRING,
            "integer" => Self::INTEGER,
            "number" => Self::NUMBER,
            "boolean" => Self::BOOLEAN,
            "null" => Self::NULL,
            "array" => Self::ARRAY,
            "object" => Self::OBJECT,
            _ => return None,
        })
    }

    /// The types a node surely has as the validator sees it (`serde_json`
    /// of the tree); `0` for a float, which is never sure: the validator
    /// calls `4.0` an integer, and a float that is no number becomes a string.
    fn of_node(node: &YamlNode) -> u8 {
        match node.value {
            YamlValue::String(_) => Self::STRING,
            YamlValue::Int(_) => Self::INTEGER | Self::NUMBER,
            YamlValue::Bool(_) => Self::BOOLEAN,
            YamlValue::Null => Self::NULL,
            YamlValue::Seq(_) => Self::ARRAY,
            YamlValue::Map(_) => Self::OBJECT,
            YamlValue::Float(_) => 0,
        }
    }
}

impl Compiled {
    /// Reads a whole schema file.
    pub fn of(schema: &Value) -> Compiled {
        Compiled::read(schema, schema, 0)
    }

    fn never() -> Compiled {
        Compiled {
            unknown: true,
            ..Compiled::default()
        }
    }

    /// Reads the subschema `at` of `root`; `$ref`s are followed (to a depth
    /// of eight: the schema files do not nest references deeper).
    fn read(root: &Value, at: &Value, depth: usize) -> Compiled {
        let Value::Object(keywords) = at else {
            return if *at == Value::Bool(true) {
                Compiled::default()
            } else {
                Compiled::never()
            };
        };
        if depth > 8 {
            return Compiled::never();
        }
        let read = |v: &Value| Compiled::read(root, v, depth + 1);
        let mut c = Compiled::default();
        for (keyword, value) in keywords {
            let understood = match keyword.as_str() {
                "type" => {
                    let names: Vec<&Value> = match value {
                        Value::Array(names) => names.iter().collect(),
                        name => vec![name],
                    };
                    let bits: Option<Vec<u8>> = names.into_iter().map(TypeSet::of_name).collect();
                    c.types = bits.map(|b| b.into_iter().fold(0, |all, t| all | t));
                    c.types.is_some()
                }
                "$ref" => match value
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .and_then(|name| root.get("$defs")?.get(name))
                {
                    // A reference beside other keywords: both must hold.
                    Some(def) => {
                        c.any_of = Some(vec![read(def)]);
                        keywords.len() == 1 || !keywords.contains_key("anyOf")
                    }
                    None => false,
                },
                "anyOf" => match value.as_array() {
                    Some(branches) if !keywords.contains_key("$ref") => {
                        c.any_of = Some(branches.iter().map(read).collect());
                        true
                    }
                    _ => false,
                },
                "enum" => {
                    let strings: Option<Vec<String>> = value
                        .as_array()
                        .and_then(|vs| vs.iter().map(|v| v.as_str().map(str::to_string)).collect());
                    c.enum_strings = strings;
                    c.enum_strings.is_some()
                }
                "minLength" => {
                    c.min_length = value.as_u64();
                    c.min_length.is_some()
                }
                "maxLength" => {
                    c.max_length = value.as_u64();
                    c.max_length.is_some()
                }
                "pattern" => {
                    c.pattern = value
                        .as_str()
                        .and_then(|p| KNOWN_PATTERNS.iter().find(|(known, _)| *known == p))
                        .map(|(_, matcher)| *matcher);
                    c.pattern.is_some()
                }
                "minimum" => {
                    c.minimum = value.as_i64();
                    c.minimum.is_some()
                }
                "required" => {
                    let keys: Option<Vec<String>> = value
                        .as_array()
                        .and_then(|ks| ks.iter().map(|k| k.as_str().map(str::to_string)).collect());
                    c.required = keys.unwrap_or_default();
                    value.as_array().is_some_and(|ks| ks.len() == c.required.len())
                }
                "properties" => match value.as_object() {
                    Some(props) => {
                        c.properties = props.iter().map(|(k, v)| (k.clone(), read(v))).collect();
                        true
                    }
                    None => false,
                },
                "additionalProperties" => {
                    c.additional = Some(Box::new(read(value)));
                    true
                }
                "items" => {
                    c.items = Some(Box::new(read(value)));
                    true
                }
                "uniqueItems" => {
                    c.unique_items = *value == Value::Bool(true);
                    value.is_boolean()
                }
                "description"
                | "markdownDescription"
                | "title"
                | "default"
                | "examples"
                | "deprecated"
                | "deprecationMessage"
                | "$schema"
                | "$id"
                | "$comment"
                | "$defs" => true,
                other => other.starts_with("x-"),
            };
            c.unknown |= !understood;
        }
        c
    }

    /// Whether `node` satisfies this subschema for certain. A keyword about
    /// one type says nothing of a value of another (`minLength` of a
    /// number), but here it only ever makes the answer "not sure".
    fn holds(&self, node: &YamlNode) -> bool {
        if self.unknown {
            return false;
        }
        if self.types.is_some_and(|t| t & TypeSet::of_node(node) == 0) {
            return false;
        }
        if let Some(branches) = &self.any_of {
            if !branches.iter().any(|b| b.holds(node)) {
                return false;
            }
        }
        let has_string_keyword = self.enum_strings.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some();
        if has_string_keyword {
            let Some(s) = string(node) else { return false };
            if self.enum_strings.as_ref().is_some_and(|vs| !vs.iter().any(|v| v == s)) {
                return false;
            }
            if self.pattern.is_some_and(|matches| !matches(s)) {
                return false;
            }
            if self.min_length.is_some() || self.max_length.is_some() {
                let len = s.chars().count() as u64;
                if self.min_length.is_some_and(|m| len < m) || self.max_length.is_some_and(|m| len > m) {
                    return false;
                }
            }
        }
        if let Some(minimum) = self.minimum {
            if !matches!(node.value, YamlValue::Int(i) if i >= minimum) {
                return false;
            }
        }
        match &node.value {
            YamlValue::Map(entries) => {
                self.required.iter().all(|k| entries.iter().any(|e| e.key == *k))
                    && entries
                        .iter()
                        .all(|e| match self.properties.iter().find(|(k, _)| *k == e.key) {
                            Some((_, property)) => property.holds(&e.value),
                            None => self.additional.as_ref().is_none_or(|a| a.holds(&e.value)),
                        })
            }
            YamlValue::Seq(items) => {
                let each = self
                    .items
                    .as_ref()
                    .is_none_or(|c| items.iter().all(|item| c.holds(item)));
                each && (!self.unique_items || all_different_strings(items))
            }
            _ => self.required.is_empty(),
        }
    }
}

/// Whether every item is a string and no two are the same (anything else
/// is left to the validator).
fn all_different_strings(items: &[YamlNode]) -> bool {
    let mut seen: Vec<&str> = Vec::with_capacity(items.len());
    items.iter().all(|item| match string(item) {
        Some(s) if !seen.contains(&s) => {
            seen.push(s);
            true
        }
        _ => false,
    })
}

fn string(node: &YamlNode) -> Option<&str> {
    match &node.value {
        YamlValue::String(s) => Some(s),
        _ => None,
    }
}

/// Says `true` only of strings a pattern surely matches.
type Matcher = fn(&str) -> bool;

/// The `pattern`s of the schema files this module can match, each with a
/// matcher that says `true` only of strings the pattern surely matches.
const KNOWN_PATTERNS: &[(&str, Matcher)] = &[
    ("^[a-z0-9]+(-[a-z0-9]+)*$", is_kebab),
    (
        r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$",
        is_plain_version,
    ),
    (
        r"^(?:(?:inherit|default|best|sonnet|opus|haiku|opusplan)(?:\[1m\])?|[A-Za-z0-9][A-Za-z0-9._:/@-]*(?:\[1m\])?)$",
        is_model_id,
    ),
];

/// `[a-z0-9]+(-[a-z0-9]+)*`: lower-case words joined by single hyphens.
fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// `MAJOR.MINOR.PATCH`, numbers without leading zeros (the usual version; a
/// pre-release or build part is left to the validator).
fn is_plain_version(s: &str) -> bool {
    let number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3 && parts.iter().all(|n| number(n))
}

/// A model id of letters, digits and `._:/@-`, starting with a letter or
/// digit (the pattern's second branch, without `[1m]`).
fn is_model_id(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'/' | b'@' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::validate::{to_json, validator};
    use crate::schema::{Schema, AGENTSKILLS, WORKFLOW};
    use crate::syntax::yaml::YamlEntry;
    use crate::text::TextRange;

    fn node(value: YamlValue) -> YamlNode {
        YamlNode {
            value,
            range: TextRange::new(0, 0),
        }
    }

    fn entry(key: &str, value: YamlValue) -> YamlEntry {
        YamlEntry {
            key: key.to_string(),
            key_range: TextRange::new(0, 0),
            value: node(value),
        }
    }

    /// Values put in place of each value of a front matter: every type,
    /// lengths at the limits, names, versions and model ids the patterns
    /// take and refuse, lists with and without repeats.
    fn replacements() -> Vec<YamlValue> {
        let s = |t: &str| YamlValue::String(t.to_string());
        let mut out: Vec<YamlValue> = [
            "",
            "a",
            "cloud-architect",
            "Cloud Architect",
            "a--b",
            "-a",
            "a-",
            "1.0.0",
            "01.0.0",
            "1.0",
            "1.0.0-beta.1",
            "1.0.0\n",
            "skill-specific",
            "agent",
            "sonnet",
            "claude-opus-4[1m]",
            "claude-3-5-sonnet@2024",
            ".x",
            "high",
            "fork",
            "bash",
        ]
        .into_iter()
        .map(s)
        .collect();
        for (c, n) in [
            ("x", 64),
            ("x", 65),
            ("é", 64),
            ("é", 65),
            ("x", 500),
            ("x", 501),
            ("y", 1024),
            ("é", 1025),
        ] {
            out.push(s(&c.repeat(n)));
        }
        out.extend([
            YamlValue::Int(0),
            YamlValue::Int(-1),
            YamlValue::Int(5),
            YamlValue::Float(4.0),
            YamlValue::Float(f64::NAN),
            YamlValue::Bool(true),
            YamlValue::Null,
            YamlValue::Seq(Vec::new()),
            YamlValue::Seq(vec![node(s("a")), node(s("b"))]),
            YamlValue::Seq(vec![node(s("a")), node(s("a"))]),
            YamlValue::Seq(vec![node(s(""))]),
            YamlValue::Seq(vec![node(YamlValue::Int(1))]),
            YamlValue::Map(Vec::new()),
            YamlValue::Map(vec![entry("type", s("agent"))]),
            YamlValue::Map(vec![
                entry("type", s("agent")),
                entry("files", YamlValue::Seq(Vec::new())),
            ]),
            YamlValue::Map(vec![entry("primary_domain", s("azure"))]),
            YamlValue::Map(vec![entry("k", YamlValue::Bool(false))]),
        ]);
        out
    }

    /// The places of every node of a tree: indices of map entries and list items.
    fn places(node: &YamlNode, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(here.clone());
        let children: Vec<&YamlNode> = match &node.value {
            YamlValue::Map(entries) => entries.iter().map(|e| &e.value).collect(),
            YamlValue::Seq(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        for (i, child) in children.into_iter().enumerate() {
            here.push(i);
            places(child, here, out);
            here.pop();
        }
    }

    fn at<'n>(node: &'n mut YamlNode, place: &[usize]) -> &'n mut YamlNode {
        match place.split_first() {
            None => node,
            Some((&i, rest)) => match &mut node.value {
                YamlValue::Map(entries) => at(&mut entries[i].value, rest),
                YamlValue::Seq(items) => at(&mut items[i], rest),
                _ => unreachable!("a place of the tree"),
            },
        }
    }

    /// Checks one tree against both schemas: when this says valid, the
    /// validator must too. Counts (sure, valid) per schema.
    fn holds(tree: &YamlNode, counts: &mut [(usize, usize); 2]) {
        for (schema, count) in [&WORKFLOW, &AGENTSKILLS].into_iter().zip(counts.iter_mut()) {
            let schema: &'static Schema = schema;
            let says = validator(schema).expect("the schema compiles").is_valid(&to_json(tree));
            let sure = surely_valid(schema.compiled(), tree);
            assert!(
                !sure || says,
                "{} says valid, the validator does not: {tree:#?}",
                schema.file_name
            );
            count.0 += usize::from(sure);
            count.1 += usize::from(says);
        }
    }

    /// Every front matter of the corpus, as it is, with each value replaced
    /// in turn by each of [`replacements`], with each key dropped, repeated
    /// and an unknown one added: never valid here and not for the validator.
    #[test]
    fn never_says_valid_where_the_validator_does_not() {
        let Some(corpus) = test_corpus::holding(&["forge", "agentskills"]) else {
            return;
        };
        let mut as_is = [(0, 0); 2];
        let mut edited = [(0, 0); 2];
        let values = replacements();
        for (path, text) in test_corpus::markdown_files(&corpus) {
            if path.file_name().is_none_or(|n| n != "SKILL.md") {
                continue;
            }
            let doc = crate::model::SkillDoc::parse(text.as_str(), Some(path.clone()));
            let Some(tree) = doc.front_matter.as_ref().and_then(|f| f.root.clone()) else {
                continue;
            };
            holds(&tree, &mut as_is);
            let mut all = Vec::new();
            places(&tree, &mut Vec::new(), &mut all);
            for place in &all {
                for value in &values {
                    let mut t = tree.clone();
                    at(&mut t, place).value = value.clone();
                    holds(&t, &mut edited);
                }
                let mut t = tree.clone();
                let YamlValue::Map(entries) = &at(&mut t, place).value else {
                    continue;
                };
                let entries = entries.clone();
                let mut variants = Vec::new();
                for i in 0..entries.len() {
                    let mut dropped = entries.clone();
                    dropped.remove(i);
                    variants.push(dropped);
                    let mut repeated = entries.clone();
                    let mut again = entries[i].clone();
                    again.value = node(YamlValue::Int(7));
                    repeated.push(again);
                    variants.push(repeated);
                }
                let mut added = entries.clone();
                added.push(entry("unknown_key", YamlValue::String("x".into())));
                variants.push(added);
                for variant in variants {
                    at(&mut t, place).value = YamlValue::Map(variant);
                    holds(&t, &mut edited);
                }
            }
        }
        // It must also say something: most front matters the validator
        // takes are proved valid here without it.
        for (sure, valid) in as_is {
            assert!(sure * 10 >= valid * 8, "sure of {sure} of {valid} valid front matters");
        }
        assert!(edited.iter().all(|&(sure, _)| sure > 0));
    }

    #[test]
    fn the_pattern_matchers_take_what_the_patterns_take() {
        assert!(is_kebab("cloud-architect") && is_kebab("a1") && !is_kebab("a--b") && !is_kebab("A") && !is_kebab(""));
        assert!(is_plain_version("1.0.0") && is_plain_version("10.20.0"));
        assert!(!is_plain_version("01.0.0") && !is_plain_version("1.0") && !is_plain_version("1.0.0-rc.1"));
        assert!(is_model_id("claude-3-5-sonnet") && !is_model_id("sonnet[1m]") && !is_model_id("-x"));
    }
}
