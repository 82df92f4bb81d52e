//! The front matter JSON Schemas (`schemas/skill.schema.json` for the
//! workflow profile, `schemas/agentskills.schema.json` for the Agent Skills
//! standard, both embedded) and validation of a YAML tree against them, with
//! each error mapped back to the YAML key or value it is about.
//!
//! Each schema file is the single source of truth for its profile:
//! validation ([`Schema::validate`]), the rules built on it, and the editor's
//! completion and hover ([`Schema::property`], [`Schema::keys_at`]) all read
//! the [`Schema`] that [`for_profile`] gives. The free functions ([`property`],
//! [`keys_at`], [`validate`], ...) ask the workflow schema. Legacy shapes are
//! properties marked `"deprecated": true` with a `deprecationMessage` naming
//! the current shape.

mod placeholder;
mod query;
mod valid;
mod validate;

pub use placeholder::{is_kebab, placeholder, placeholder_in, quoted};
pub use query::{closest_key, keys_at, property, same_key, PropertyInfo};
pub use validate::{check_front_matter, validate, ProblemKind, SchemaProblem};

use std::collections::HashMap;
use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use crate::profile::Profile;

/// The workflow schema text, embedded from the repository's `schemas/` folder.
pub const SKILL_SCHEMA: &str = include_str!("../../schemas/skill.schema.json");
/// The Agent Skills standard's schema text.
pub const AGENTSKILLS_SCHEMA: &str = include_str!("../../schemas/agentskills.schema.json");

/// One profile's front matter schema, parsed and compiled on first use.
pub struct Schema {
    pub profile: Profile,
    /// The schema file's text.
    pub text: &'static str,
    /// Its name in `schemas/`.
    pub file_name: &'static str,
    json: OnceLock<Value>,
    validator: OnceLock<Option<Validator>>,
    /// Key order of each `properties` object as the file writes it.
    orders: OnceLock<HashMap<String, Vec<String>>>,
    /// The names of the properties marked legacy anywhere in the schema: a
    /// tree, as they are few and each key of each front matter is looked up
    /// (hashing it cost more than comparing it with a few names).
    legacy_names: OnceLock<std::collections::BTreeSet<&'static str>>,
    /// The schema read for [`valid::surely_valid`].
    compiled: OnceLock<valid::Compiled>,
    /// [`Schema::deprecation`]'s answers, by path (segments joined by NUL).
    deprecations: OnceLock<std::sync::Mutex<HashMap<String, Option<&'static str>>>>,
}

impl Schema {
    const fn new(profile: Profile, text: &'static str, file_name: &'static str) -> Schema {
        Schema {
            profile,
            text,
            file_name,
            json: OnceLock::new(),
            validator: OnceLock::new(),
            orders: OnceLock::new(),
            legacy_names: OnceLock::new(),
            compiled: OnceLock::new(),
            deprecations: OnceLock::new(),
        }
    }

    /// The schema as JSON. The embedded file is checked by the tests, so a
    /// parse failure can only come from a broken build; it then reads as an
    /// empty schema (which accepts everything) rather than a crash.
    pub fn json(&'static self) -> &'static Value {
        self.json
            .get_or_init(|| serde_json::from_str(self.text).unwrap_or_else(|_| Value::Object(Default::default())))
    }

    /// The schema read for [`valid::surely_valid`], once.
    fn compiled(&'static self) -> &'static valid::Compiled {
        self.compiled.get_or_init(|| valid::Compiled::of(self.json()))
    }

    /// Builds now, on the calling thread, what checking front matters
    /// against this schema builds on first use ([`crate::analysis::prewarm`]).
    pub(crate) fn prewarm(&'static self) {
        self.compiled();
        validate::validator(self);
        self.may_be_legacy("");
        if let Some(props) = self.json().get("properties").and_then(Value::as_object) {
            query::ordered_keys(self, props);
        }
    }
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").field("file_name", &self.file_name).finish()
    }
}

/// The workflow format's schema (`schemas/skill.schema.json`).
pub static WORKFLOW: Schema = Schema::new(Profile::Workflow, SKILL_SCHEMA, "skill.schema.json");
/// The Agent Skills standard's schema (`schemas/agentskills.schema.json`).
pub static AGENTSKILLS: Schema = Schema::new(Profile::AgentSkills, AGENTSKILLS_SCHEMA, "agentskills.schema.json");

/// The front matter schema of a profile: what validation, completion and
/// hover of a document checked in `profile` read.
pub fn for_profile(profile: Profile) -> &'static Schema {
    match profile {
        Profile::Workflow => &WORKFLOW,
        Profile::AgentSkills => &AGENTSKILLS,
    }
}

/// The workflow schema as JSON.
pub fn schema_json() -> &'static Value {
    WORKFLOW.json()
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
        for text in [SKILL_SCHEMA, AGENTSKILLS_SCHEMA] {
            check_schema_file(text);
        }
    }

    fn check_schema_file(text: &str) {
        let schema: Value = serde_json::from_str(text).expect("schema is JSON");
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
    fn each_profile_has_its_own_keys() {
        let keys = |s: &'static Schema| s.keys_at(&[]).into_iter().map(|p| p.key).collect::<Vec<_>>();
        let standard = keys(for_profile(Profile::AgentSkills));
        assert_eq!(
            standard[..6],
            [
                "name",
                "description",
                "license",
                "compatibility",
                "metadata",
                "allowed-tools"
            ]
        );
        // The clients' documented keys follow the standard's own.
        for key in [
            "when_to_use",
            "argument-hint",
            "disable-model-invocation",
            "user-invocable",
            "model",
            "effort",
            "context",
            "agent",
            "hooks",
        ] {
            assert!(standard.iter().any(|k| k == key), "{key}");
        }
        assert_eq!(
            &keys(for_profile(Profile::Workflow))[..3],
            ["name", "description", "version"]
        );
        let tools = AGENTSKILLS.property(&["allowed-tools"]).unwrap();
        assert_eq!(tools.types, ["string", "array"]);
        assert!(tools.description.unwrap().contains("separated by spaces or commas"));
        assert!(AGENTSKILLS.property(&["version"]).is_none());
        assert_eq!(AGENTSKILLS.closest_key(&[], "licence"), Some("license"));
        assert_eq!(AGENTSKILLS.closest_key(&[], "allowed_tools"), Some("allowed-tools"));
    }

    #[test]
    fn the_standard_schema_validates_the_standard_constraints() {
        use crate::syntax::yaml::{parse, YamlLimits};
        let problems = |yaml: &str| {
            let text = format!("---\n{yaml}---\n");
            let (root, _) = parse(
                &text,
                crate::text::TextRange::new(4, 4 + yaml.len()),
                YamlLimits::default(),
            );
            AGENTSKILLS
                .validate(root.as_ref(), crate::text::TextRange::new(0, 3))
                .into_iter()
                .map(|p| (p.kind, p.message))
                .collect::<Vec<_>>()
        };
        let good = "name: pdf\ndescription: Fills PDF forms. Use when a PDF is involved.\nlicense: MIT\ncompatibility: Python 3\nmetadata:\n  author: acme\n  version: \"1.0\"\nallowed-tools: Bash Read\n";
        assert_eq!(problems(good), vec![]);
        let bad = format!(
            "name: -pdf\ndescription: x\ncompatibility: {}\nmetadata:\n  version: 1.0\nallowed-tools: 3\nversion: \"1.0.0\"\n",
            "c".repeat(501)
        );
        let got = problems(&bad);
        let invalid: Vec<&str> = got
            .iter()
            .filter(|(k, _)| *k == ProblemKind::Invalid)
            .map(|(_, m)| m.as_str())
            .collect();
        assert_eq!(invalid.len(), 4, "{got:?}");
        assert!(invalid
            .iter()
            .any(|m| m.contains("`name`") && m.contains("no leading or trailing hyphen")));
        assert!(invalid.iter().any(|m| m.contains("`compatibility` is 501 characters")));
        assert!(invalid
            .iter()
            .any(|m| m.contains("`metadata.version`") && m.contains("quotes")));
        assert!(
            invalid.iter().any(|m| m.contains("`allowed-tools` must be")),
            "{invalid:?}"
        );
        // The clients' keys are checked for their types and values.
        let clients = problems("name: pdf\ndescription: Fills forms. Use when a PDF is involved.\ndisable-model-invocation: \"yes\"\ncontext: forked\nmodel: Claude Sonnet\neffort: high\nallowed-tools: [Read, \"Bash(git *)\"]\n");
        let invalid: Vec<&str> = clients.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(invalid.len(), 3, "{clients:?}");
        assert!(invalid.iter().any(|m| m.contains("`disable-model-invocation`")));
        assert!(invalid.iter().any(|m| m.contains("`context`") && m.contains("fork")));
        assert!(invalid.iter().any(|m| m.contains("`model`")));
        assert!(got
            .iter()
            .any(|(k, m)| *k == ProblemKind::Unknown && m.contains("`version`")));
        let missing = problems("name: pdf\n");
        assert_eq!(missing.len(), 1);
        assert!(missing[0].1.contains("no `description`"), "{missing:?}");
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
