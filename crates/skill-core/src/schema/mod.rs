//! The front matter JSON Schema (`schemas/skill.schema.json`, embedded) and
//! validation of a YAML tree against it, with each error mapped back to the
//! YAML key or value it is about.
//!
//! The schema file is the single source of truth: validation ([`validate`]),
//! the rules built on it, and the editor's completion and hover ([`property`],
//! [`keys_at`]) all read it. Legacy shapes are properties marked
//! `"deprecated": true` with a `deprecationMessage` naming the current shape.

mod placeholder;
mod query;
mod validate;

pub use placeholder::{is_kebab, placeholder, quoted};
pub use query::{closest_key, keys_at, property, same_key, PropertyInfo};
pub use validate::{check_front_matter, validate, ProblemKind, SchemaProblem};

use std::sync::OnceLock;

use serde_json::Value;

/// The schema text, embedded from the repository's `schemas/` folder.
pub const SKILL_SCHEMA: &str = include_str!("../../../../schemas/skill.schema.json");

/// The schema as JSON. The embedded file is checked by the tests, so a parse
/// failure can only come from a broken build; it then reads as an empty schema
/// (which accepts everything) rather than a crash.
pub fn schema_json() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SKILL_SCHEMA).unwrap_or_else(|_| Value::Object(Default::default())))
}

/// A key path for messages: `memory.scopes[0].type`.
pub fn display_path<S: AsRef<str>>(path: &[S]) -> String {
    let mut out = String::new();
    for seg in path {
        let seg = seg.as_ref();
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(seg);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

/// The first sentence of a description, for messages.
pub(crate) fn first_sentence(text: &str) -> &str {
    let mut from = 0;
    while let Some(i) = text[from..].find(". ") {
        let end = from + i + 1;
        // Skip abbreviations inside code spans such as `e.g. `.
        if text[..end].matches('`').count() % 2 == 0 {
            return &text[..end];
        }
        from = end + 1;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_schema_is_a_draft_2020_12_schema_with_descriptions_everywhere() {
        let schema: Value = serde_json::from_str(SKILL_SCHEMA).expect("schema is JSON");
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert!(schema["$id"].is_string());
        assert!(schema["title"].is_string());
        assert!(jsonschema::draft202012::meta::is_valid(&schema));
        // Every property, at every depth, says what it is for.
        fn walk(v: &Value, at: &str) {
            if let Some(props) = v.get("properties").and_then(Value::as_object) {
                for (k, p) in props {
                    let here = format!("{at}.{k}");
                    assert!(
                        p.get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| !d.is_empty()),
                        "{here}"
                    );
                    walk(p, &here);
                }
            }
            if let Some(items) = v.get("items") {
                walk(items, &format!("{at}[]"));
            }
        }
        walk(&schema, "");
    }

    #[test]
    fn display_paths() {
        assert_eq!(
            display_path(&["memory", "scopes", "0", "type"]),
            "memory.scopes[0].type"
        );
        assert_eq!(display_path::<&str>(&[]), "");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("No stop"), "No stop");
    }
}
