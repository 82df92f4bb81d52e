//! Values that fixes insert for keys the author has not written yet: the best
//! guess the document allows (the folder name for `name`, the Version
//! History's highest version for `version`), else the schema's `default`,
//! first example or `x-placeholder`. Written as YAML text.

use serde_json::Value;

use super::{Schema, WORKFLOW};
use crate::model::SkillDoc;

/// YAML text for the value of the key at `path` (`["version"]` → `"1.0.0"`),
/// from the workflow schema.
pub fn placeholder(path: &[&str], doc: &SkillDoc) -> String {
    placeholder_in(&WORKFLOW, path, doc)
}

impl Schema {
    /// YAML text for the value of the key at `path`, from this schema.
    pub fn placeholder(&'static self, path: &[&str], doc: &SkillDoc) -> String {
        placeholder_in(self, path, doc)
    }
}

/// [`placeholder`] from a profile's schema.
pub fn placeholder_in(schema: &'static Schema, path: &[&str], doc: &SkillDoc) -> String {
    match path {
        ["name"] => {
            if let Some(folder) = doc.folder_name().filter(|f| is_kebab(f)) {
                return folder.to_string();
            }
            // No usable folder name: the title, in kebab-case.
            let title = doc.md.headings.iter().find(|h| h.level == 1).map(|h| slug(&h.text));
            return title.filter(|t| is_kebab(t)).unwrap_or_else(|| "my-skill".to_string());
        }
        ["version"] => {
            if let Some(v) = highest_history_version(doc) {
                return quoted(&v);
            }
        }
        _ => {}
    }
    let Some(info) = schema.property(path) else {
        return "\"\"".to_string();
    };
    let value = info
        .default
        .or_else(|| info.examples.first().cloned())
        .or_else(|| info.enum_values.first().cloned())
        .or_else(|| info.placeholder.map(Value::String));
    match value {
        Some(Value::String(s)) => quoted(&s),
        Some(Value::Array(a)) if a.is_empty() => "[]".to_string(),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
        _ if info.types.first().is_some_and(|t| t == "array") => "[]".to_string(),
        _ => "\"\"".to_string(),
    }
}

/// `Terraform Engineer Skill` → `terraform-engineer-skill`.
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut out = words.join("-");
    out.truncate(64);
    out.trim_end_matches('-').to_string()
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`, at most 64 characters.
pub fn is_kebab(s: &str) -> bool {
    s.len() <= 64
        && !s.is_empty()
        && s.split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The highest semantic version in the Version History table.
fn highest_history_version(doc: &SkillDoc) -> Option<String> {
    let history = doc.history.as_ref()?;
    history
        .rows
        .iter()
        .filter_map(|r| {
            let v = r.version.trim().trim_start_matches(['v', 'V']);
            semver_key(v).map(|k| (k, v.to_string()))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| v)
}

/// MAJOR.MINOR.PATCH as numbers; a pre-release sorts below its release.
fn semver_key(v: &str) -> Option<(u64, u64, u64, bool)> {
    let (core, pre) = match v.split_once('-') {
        Some((c, _)) => (c, true),
        None => (v, false),
    };
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let key = (parts.next()??, parts.next()??, parts.next()??, !pre);
    parts.next().is_none().then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_from_the_document_and_the_schema() {
        let doc = SkillDoc::parse("# T\n", Some("skills/api-design/SKILL.md".into()));
        assert_eq!(placeholder(&["name"], &doc), "api-design");
        assert_eq!(placeholder(&["version"], &doc), "\"1.0.0\"");
        assert!(placeholder(&["description"], &doc).starts_with("\"TODO"));
        assert_eq!(
            placeholder(&["memory", "scopes", "0", "type"], &doc),
            "\"skill-specific\""
        );
        assert_eq!(placeholder(&["context", "file_budget"], &doc), "4");
        assert_eq!(placeholder(&["context", "topics"], &doc), "[]");
        let loose = SkillDoc::parse("# Terraform Engineer Skill\n", Some("My Skills/SKILL.md".into()));
        assert_eq!(placeholder(&["name"], &loose), "terraform-engineer-skill");
    }

    #[test]
    fn kebab_and_semver() {
        assert!(is_kebab("a-b-1"));
        assert!(!is_kebab("a--b") && !is_kebab("A") && !is_kebab("") && !is_kebab("-a"));
        assert!(semver_key("1.2.3") > semver_key("1.2.3-alpha"));
        assert!(semver_key("1.10.0") > semver_key("1.9.9"));
        assert_eq!(semver_key("1.2"), None);
    }
}
