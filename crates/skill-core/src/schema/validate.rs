//! Validation of a YAML tree against the schema: the tree becomes JSON, the
//! `jsonschema` crate validates it, and each error's instance path is walked
//! back to the YAML node it is about — the value for a type, pattern, enum or
//! range problem; the key for an unknown key; the parent key (or the opening
//! `---` for the top level) for a missing key.

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::Validator;
use serde_json::{Map, Number, Value};

use super::query::{types_of, value_schema};
use super::{display_path, first_sentence, Schema, WORKFLOW};
use crate::clients::Clients;
use crate::model::FrontMatter;
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::TextRange;

/// What kind of schema problem: one rule each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A value of the wrong type, form, or size (SK003).
    Invalid,
    /// A required key is absent (SK004).
    Missing,
    /// A key the schema does not define (SK005).
    Unknown,
}

/// One schema problem, placed on the YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaProblem {
    pub kind: ProblemKind,
    /// The value (Invalid), the unknown key (Unknown), or the parent key /
    /// opening `---` (Missing).
    pub range: TextRange,
    /// Key path of the offending value (Invalid) or of the map holding the
    /// key (Missing, Unknown); list items by index (`["memory", "scopes", "0"]`).
    pub path: Vec<String>,
    /// The missing or unknown key.
    pub key: Option<String>,
    pub message: String,
}

pub(super) fn validator(s: &'static Schema) -> Option<&'static Validator> {
    s.validator
        .get_or_init(|| jsonschema::draft202012::new(s.json()).ok())
        .as_ref()
}

/// Validates a front matter tree against the workflow schema; see [`Schema::validate`].
pub fn validate(root: Option<&YamlNode>, open: TextRange) -> Vec<SchemaProblem> {
    WORKFLOW.validate(root, open)
}

/// [`Schema::check_front_matter`] with the workflow schema.
pub fn check_front_matter(fm: &FrontMatter) -> Vec<SchemaProblem> {
    WORKFLOW.check_front_matter(fm)
}

impl Schema {
    /// Validates a front matter tree (`None`: an empty front matter). `open` is
    /// the range given to problems of the top level (the opening `---`).
    pub fn validate(&'static self, root: Option<&YamlNode>, open: TextRange) -> Vec<SchemaProblem> {
        validate_in(self, root, open)
    }

    /// [`Schema::validate`] on a document's front matter, reporting only what is certain
    /// when the YAML is broken: no missing keys when the block is unclosed or the
    /// parser stopped early (the key may only be unread), and no problem about a
    /// value the parser was still reading when it stopped.
    pub fn check_front_matter(&'static self, fm: &FrontMatter) -> Vec<SchemaProblem> {
        check_front_matter_in(self, fm)
    }

    /// [`Schema::check_front_matter`] for skills written for `clients`: a
    /// top-level key that only clients outside them define (`x-clients`) is
    /// unknown, and its value goes unchecked, as those clients would read it.
    pub fn check_front_matter_for(&'static self, fm: &FrontMatter, clients: Clients) -> Vec<SchemaProblem> {
        let mut problems = check_front_matter_in(self, fm);
        if clients.is_all() {
            return problems;
        }
        let Some(entries) = fm.root.as_ref().and_then(YamlNode::as_map) else {
            return problems;
        };
        for entry in entries {
            let Some(info) = self.property(&[entry.key.as_str()]) else {
                continue;
            };
            if clients.count_key(&info.clients) {
                continue;
            }
            problems.retain(|p| p.path.first() != Some(&entry.key));
            problems.push(SchemaProblem {
                kind: ProblemKind::Unknown,
                range: entry.key_range,
                path: Vec::new(),
                key: Some(entry.key.clone()),
                message: format!("`{}` is not a key of the front matter", entry.key),
            });
        }
        problems.sort_by_key(|p| (p.range.start, p.range.end));
        problems
    }
}

fn validate_in(s: &'static Schema, root: Option<&YamlNode>, open: TextRange) -> Vec<SchemaProblem> {
    // Most front matters are valid: proved on the tree, no JSON value is built.
    if root.is_some_and(|r| super::valid::surely_valid(s.compiled(), r)) {
        return Vec::new();
    }
    let Some(validator) = validator(s) else {
        return Vec::new();
    };
    let instance = root.map_or_else(|| Value::Object(Map::new()), to_json);
    let mut out = Vec::new();
    for error in validator.iter_errors(&instance) {
        let path: Vec<String> = error
            .instance_path()
            .iter()
            .map(|seg| match seg {
                LocationSegment::Property(p) => p.to_string(),
                LocationSegment::Index(i) => i.to_string(),
            })
            .collect();
        let node = root.and_then(|r| r.at_path(&path));
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let range = node.and_then(|n| n.entry(key)).map_or(open, |e| e.key_range);
                    let here = if path.is_empty() {
                        "the front matter".to_string()
                    } else {
                        format!("`{}`", display_path(&path))
                    };
                    out.push(SchemaProblem {
                        kind: ProblemKind::Unknown,
                        range,
                        path: path.clone(),
                        key: Some(key.clone()),
                        message: format!("`{key}` is not a key of {here}"),
                    });
                }
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default().to_string();
                let mut full: Vec<&str> = path.iter().map(String::as_str).collect();
                full.push(&key);
                let why = s.property(&full).and_then(|p| p.description).unwrap_or_default();
                let here = if path.is_empty() {
                    "the front matter".to_string()
                } else {
                    format!("`{}`", display_path(&path))
                };
                out.push(SchemaProblem {
                    kind: ProblemKind::Missing,
                    range: root.map_or(open, |r| parent_anchor(r, &path, open)),
                    path: path.clone(),
                    key: Some(key.clone()),
                    message: format!("{here} has no `{key}`: {}", lower_first(first_sentence(&why))),
                });
            }
            kind => {
                let Some(node) = node else { continue };
                let key_range = path.split_last().and_then(|(last, parent)| {
                    root.and_then(|r| r.at_path(parent))
                        .and_then(|p| p.entry(last))
                        .map(|e| e.key_range)
                });
                let (range, message) = invalid(s, kind, node, key_range, &path);
                out.push(SchemaProblem {
                    kind: ProblemKind::Invalid,
                    range,
                    path,
                    key: None,
                    message,
                });
            }
        }
    }
    out.sort_by_key(|p| (p.range.start, p.range.end));
    out
}

fn check_front_matter_in(s: &'static Schema, fm: &FrontMatter) -> Vec<SchemaProblem> {
    let stopped_at = fm
        .errors
        .iter()
        .filter(|e| !e.recovered)
        .map(|e| e.range.start)
        .min()
        .or_else(|| {
            // An unclosed block ends where the YAML most likely ends: keys
            // after it (or commented out at its end) are unread, not missing.
            fm.block.close.is_none().then_some(fm.block.yaml.end)
        });
    let mut problems = validate_in(s, fm.root.as_ref(), fm.block.open);
    if let Some(stop) = stopped_at {
        problems.retain(|p| match p.kind {
            ProblemKind::Missing => false,
            ProblemKind::Invalid => p.range.end < stop,
            ProblemKind::Unknown => true,
        });
    }
    problems
}

/// The YAML tree as JSON: a repeated key keeps its first value (as lookups
/// do); numbers that JSON cannot hold (`.inf`, `.nan`) become strings.
pub(crate) fn to_json(node: &YamlNode) -> Value {
    match &node.value {
        YamlValue::Null => Value::Null,
        YamlValue::Bool(b) => Value::Bool(*b),
        YamlValue::Int(i) => Value::Number((*i).into()),
        YamlValue::Float(f) => Number::from_f64(*f).map_or_else(|| Value::String(f.to_string()), Value::Number),
        YamlValue::String(s) => Value::String(s.clone()),
        YamlValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        YamlValue::Map(entries) => {
            let mut map = Map::new();
            for e in entries {
                if !map.contains_key(&e.key) {
                    map.insert(e.key.clone(), to_json(&e.value));
                }
            }
            Value::Object(map)
        }
    }
}

/// Where a missing key of the map at `path` is reported: the key holding the
/// map, the first line of a list item, or `open` for the top level.
fn parent_anchor(root: &YamlNode, path: &[String], open: TextRange) -> TextRange {
    let Some((last, parent_path)) = path.split_last() else {
        return open;
    };
    let Some(parent) = root.at_path(parent_path) else {
        return open;
    };
    match &parent.value {
        YamlValue::Map(_) => parent.entry(last).map_or(open, |e| e.key_range),
        YamlValue::Seq(items) => {
            let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                return open;
            };
            // The item's first key is the tightest anchor on its first line.
            item.as_map()
                .and_then(|m| m.first())
                .map_or(item.range, |e| e.key_range)
        }
        _ => open,
    }
}

/// The range and message of a value problem.
fn invalid(
    s: &'static Schema,
    kind: &ValidationErrorKind,
    node: &YamlNode,
    key_range: Option<TextRange>,
    path: &[String],
) -> (TextRange, String) {
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    let schema = value_schema(s, &keys);
    let info = keys.split_last().and_then(|_| s.property(&keys));
    let shown = format!(
        "`{}`",
        if path.is_empty() {
            "the front matter".to_string()
        } else {
            display_path(path)
        }
    );
    let value = scalar_text(node);
    let mut range = node.range;
    let problem = match kind {
        ValidationErrorKind::Type { .. }
        | ValidationErrorKind::AnyOf { .. }
        | ValidationErrorKind::OneOfNotValid { .. } => {
            let expected = schema.map(|v| types_of(s, v)).unwrap_or_default();
            let mut msg = format!(
                "{shown} must be {}, but it is {}",
                expected_types(&expected),
                node.type_name()
            );
            let wants_string = expected.iter().any(|t| t == "string");
            if wants_string && matches!(node.value, YamlValue::Int(_) | YamlValue::Float(_) | YamlValue::Bool(_)) {
                msg.push_str("; put it in quotes so YAML reads it as text");
            } else if wants_string && matches!(node.value, YamlValue::Map(_)) && node_is_flow_map(node) {
                msg.push_str("; a value starting with `{` is read as a map, so put it in quotes");
            }
            msg
        }
        ValidationErrorKind::Pattern { pattern } => {
            let form = info
                .as_ref()
                .and_then(|i| i.pattern_hint.clone())
                .unwrap_or_else(|| format!("of the form `{pattern}`"));
            format!("{shown} is {value}, which is not {form}")
        }
        ValidationErrorKind::Enum { options } => {
            let list = options.as_array().map(|o| {
                o.iter()
                    .map(|v| format!("`{}`", plain(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            format!("{shown} is {value}, which is not one of {}", list.unwrap_or_default())
        }
        ValidationErrorKind::MinLength { limit: 1 } => format!("{shown} is empty"),
        ValidationErrorKind::MinLength { limit } => format!("{shown} is shorter than {limit} characters"),
        ValidationErrorKind::MaxLength { limit } => {
            let len = node.as_str().map_or(0, |s| s.chars().count());
            format!("{shown} is {len} characters long, more than the {limit} allowed")
        }
        ValidationErrorKind::Minimum { limit } => format!("{shown} is {value}, less than the minimum {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("{shown} is {value}, more than the maximum {limit}"),
        ValidationErrorKind::UniqueItems => {
            if let Some(dup) = first_repeat(node) {
                range = dup.range;
                format!("{shown} lists {} twice", scalar_text(dup))
            } else {
                format!("{shown} lists the same entry twice")
            }
        }
        other => format!("{shown} is not valid: {}", describe_kind(other)),
    };
    // An empty value has an empty range: point at its key instead.
    if range.is_empty() {
        if let Some(k) = key_range {
            range = k;
        }
    }
    let why = info
        .and_then(|i| i.description)
        .map(|d| format!(". {}", first_sentence(&d)))
        .unwrap_or_default();
    (range, format!("{problem}{why}"))
}

fn node_is_flow_map(node: &YamlNode) -> bool {
    node.as_map()
        .is_some_and(|m| m.first().is_some_and(|e| e.key_range.start > node.range.start))
}

fn first_repeat(node: &YamlNode) -> Option<&YamlNode> {
    let items = node.as_seq()?;
    items
        .iter()
        .enumerate()
        .find(|(i, n)| items[..*i].iter().any(|m| to_json(m) == to_json(n)))
        .map(|(_, n)| n)
}

fn expected_types(types: &[String]) -> String {
    let words: Vec<&str> = types
        .iter()
        .map(|t| match t.as_str() {
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "`true` or `false`",
            "array" => "a list",
            "object" => "a map",
            "null" => "empty",
            _ => "a value",
        })
        .collect();
    match words.as_slice() {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn scalar_text(node: &YamlNode) -> String {
    match &node.value {
        YamlValue::String(s) => format!("`{}`", truncate(s, 60)),
        YamlValue::Int(i) => i.to_string(),
        YamlValue::Float(f) => f.to_string(),
        YamlValue::Bool(b) => b.to_string(),
        YamlValue::Null => "empty".to_string(),
        YamlValue::Seq(_) => "a list".to_string(),
        YamlValue::Map(_) => "a map".to_string(),
    }
}

fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

fn describe_kind(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::MinItems { limit } => format!("it needs at least {limit} entries"),
        ValidationErrorKind::MaxItems { limit } => format!("it may have at most {limit} entries"),
        ValidationErrorKind::Constant { expected_value } => format!("it must be {expected_value}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("it must be more than {limit}"),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("it must be less than {limit}"),
        ValidationErrorKind::MultipleOf { .. } => "it is not a multiple of the step".to_string(),
        ValidationErrorKind::FalseSchema => "no value is allowed here".to_string(),
        _ => "it does not match the schema".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml::{parse, YamlLimits};

    fn problems(yaml: &str) -> (String, Vec<SchemaProblem>) {
        let text = format!("---\n{yaml}---\n");
        let (root, errors) = parse(&text, TextRange::new(4, 4 + yaml.len()), YamlLimits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let p = validate(root.as_ref(), TextRange::new(0, 3));
        (text, p)
    }

    fn at(text: &str, r: TextRange) -> &str {
        &text[r.start..r.end]
    }

    const GOOD: &str = "name: demo-skill\ndescription: Does things.\nversion: \"1.0.0\"\n";

    #[test]
    fn a_current_front_matter_is_valid() {
        let yaml = format!(
            "{GOOD}context:\n  primary_domain: python\n  always_load_files: []\n  detection_required: true\n  file_budget: 4\n  topics: [a]\nmemory:\n  scopes:\n    - type: skill-specific\n      files: [a.md]\n    - type: shared-project\n      usage: reference\ntags: [x, y]\n"
        );
        assert_eq!(problems(&yaml).1, vec![]);
    }

    #[test]
    fn legacy_shapes_are_accepted() {
        let yaml = format!(
            "{GOOD}context:\n  primary: [angular]\n  secondary: [security]\n  topics: [a]\n  supporting_domains:\n    - docs\n  memory:\n    skill_memory: demo-skill\n    scopes:\n      - history\nmemory:\n  scope: per-project\n  files: [a.md]\n  skill_memory: demo-skill\ntriggers:\n  - do it\n"
        );
        assert_eq!(problems(&yaml).1, vec![]);
    }

    #[test]
    fn type_pattern_enum_and_range_problems_point_at_the_value() {
        let yaml = "name: My Skill\ndescription: \"\"\nversion: 1.0\ncontext:\n  file_budget: -1\n  detection_required: \"yes\"\nmemory:\n  scopes:\n    - type: project\ntags: [a, b, a]\n";
        let (text, p) = problems(yaml);
        let got: Vec<(&str, &str)> = p.iter().map(|p| (at(&text, p.range), p.message.as_str())).collect();
        assert!(p.iter().all(|p| p.kind == ProblemKind::Invalid), "{got:?}");
        let find = |v: &str| {
            got.iter()
                .find(|(r, _)| *r == v)
                .map(|(_, m)| *m)
                .unwrap_or_else(|| panic!("{v}: {got:?}"))
        };
        assert!(find("My Skill").contains("kebab-case"));
        assert!(find("\"\"").contains("`description` is empty"));
        assert!(find("1.0").contains("put it in quotes"));
        assert!(find("-1").contains("minimum 0"));
        assert!(find("\"yes\"").contains("`true` or `false`"));
        assert!(find("project").contains("`skill-specific`"));
        assert_eq!(p.iter().filter(|p| at(&text, p.range) == "a").count(), 1);
        assert_eq!(p.len(), 7);
    }

    #[test]
    fn unknown_keys_point_at_the_key_and_missing_keys_at_the_parent() {
        let yaml =
            "name: demo-skill\ndescrption: x\ncontext:\n  file_budjet: 4\nmemory:\n  scopes:\n    - files: [a.md]\n";
        let (text, p) = problems(yaml);
        let unknown: Vec<&str> = p
            .iter()
            .filter(|p| p.kind == ProblemKind::Unknown)
            .map(|p| at(&text, p.range))
            .collect();
        assert_eq!(unknown, ["descrption", "file_budjet"]);
        let missing: Vec<(&str, Option<&str>, Vec<String>)> = p
            .iter()
            .filter(|p| p.kind == ProblemKind::Missing)
            .map(|p| (at(&text, p.range), p.key.as_deref(), p.path.clone()))
            .collect();
        assert!(missing.contains(&("---", Some("description"), vec![])));
        assert!(missing.contains(&("---", Some("version"), vec![])));
        assert!(missing.contains(&(
            "files",
            Some("type"),
            vec!["memory".into(), "scopes".into(), "0".into()]
        )));
        let m = p.iter().find(|p| p.key.as_deref() == Some("version")).unwrap();
        assert!(
            m.message
                .starts_with("the front matter has no `version`: the skill's semantic version"),
            "{}",
            m.message
        );
    }

    #[test]
    fn an_empty_or_non_map_front_matter() {
        let p = validate(None, TextRange::new(0, 3));
        assert_eq!(p.iter().filter(|p| p.kind == ProblemKind::Missing).count(), 3);
        let (_, p) = problems("- a\n- b\n");
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("must be a map"));
    }

    #[test]
    fn template_placeholders_in_braces_are_read_as_maps() {
        let (_, p) = problems("name: {skill-name}\ndescription: x\nversion: \"1.0.0\"\n");
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("put it in quotes"), "{}", p[0].message);
    }
}
