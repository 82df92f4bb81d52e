//! Questions the editor asks of the schema at a key path: what a property is
//! (description, types, allowed values, whether it is legacy) and which keys
//! a map allows. Read from the same schema JSON as validation.

use std::collections::HashMap;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Schema, WORKFLOW};

/// What the schema says about one property.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyInfo {
    pub key: String,
    pub description: Option<String>,
    /// JSON types the value may have (`string`, `array`, `object`, ...), in schema order.
    pub types: Vec<String>,
    /// The allowed values, when the schema lists them.
    pub enum_values: Vec<Value>,
    pub default: Option<Value>,
    pub examples: Vec<Value>,
    /// For a legacy property: the message naming the current shape.
    pub deprecated: Option<String>,
    /// Whether the parent map must have this key.
    pub required: bool,
    /// The form the value must take, in words (`kebab-case: ...`), when it has a pattern.
    pub pattern_hint: Option<String>,
    /// A placeholder value for a fix that inserts the key.
    pub placeholder: Option<String>,
    /// Who defines the key (`x-clients`: `standard`, `claude-code`, ...);
    /// empty when the schema does not say.
    pub clients: Vec<String>,
}

/// The property at a key path: `property(&["context", "file_budget"])`.
/// Sequence items are stepped into by an index segment (`"0"`), `"*"` or
/// `"[]"` — or by simply naming the item's key (`["memory", "scopes", "type"]`).
/// In the workflow schema; [`Schema::property`] asks a profile's schema.
pub fn property(path: &[&str]) -> Option<PropertyInfo> {
    WORKFLOW.property(path)
}

/// The keys a map at `path` allows (`&[]` for the top level), in schema order.
/// In the workflow schema; [`Schema::keys_at`] asks a profile's schema.
pub fn keys_at(path: &[&str]) -> Vec<PropertyInfo> {
    WORKFLOW.keys_at(path)
}

/// The one key allowed at `path` that is close to `key`, in the workflow
/// schema; [`Schema::closest_key`] asks a profile's schema.
pub fn closest_key(path: &[&str], key: &str) -> Option<&'static str> {
    WORKFLOW.closest_key(path, key)
}

impl Schema {
    /// The property at a key path: `property(&["context", "file_budget"])`.
    /// Sequence items are stepped into by an index segment (`"0"`), `"*"` or
    /// `"[]"` — or by simply naming the item's key (`["memory", "scopes", "type"]`).
    pub fn property(&'static self, path: &[&str]) -> Option<PropertyInfo> {
        let (key, parent) = path.split_last()?;
        let parent_schema = value_schema(self, parent)?;
        let (obj, required) = object_schema(self, parent_schema, key)?;
        let prop = obj.get("properties")?.get(*key)?;
        Some(info(self, key, prop, required.iter().any(|r| r == key)))
    }

    /// Whether the property at `path` is legacy: [`Schema::property`]'s
    /// `deprecated` (the message naming the current shape), without
    /// building the rest of its answer. SK010 asks it of every key whose
    /// name is legacy somewhere; the answer for a path is kept (the
    /// schema's branches are followed once, not once per skill that has
    /// the key: skills of a repository share their front matter's shape).
    pub fn deprecation(&'static self, path: &[&str]) -> Option<&'static str> {
        let (key, parent) = path.split_last()?;
        if !self.may_be_legacy(key) {
            return None;
        }
        let joined = path.join("\u{0}");
        let answers = self.deprecations.get_or_init(Default::default);
        if let Some(answer) = lock(answers).get(&joined) {
            return *answer;
        }
        let answer = (|| {
            let parent_schema = value_schema(self, parent)?;
            let (obj, _) = object_schema(self, parent_schema, key)?;
            let prop = obj.get("properties")?.get(*key)?;
            deprecation_of(prop)
        })();
        let mut answers = lock(answers);
        // Bounded: paths hold list indices, and a long run sees many.
        if answers.len() >= 4096 {
            answers.clear();
        }
        answers.insert(joined, answer);
        answer
    }

    /// Whether some property named `key` is marked legacy anywhere in the
    /// schema. Nearly every key of a front matter is not: answering that
    /// from one set spares SK010 following the schema down each key's path.
    pub fn may_be_legacy(&'static self, key: &str) -> bool {
        self.legacy_names
            .get_or_init(|| {
                let mut names = std::collections::BTreeSet::new();
                legacy_names_in(self.json(), &mut names);
                names
            })
            .contains(key)
    }

    /// The keys a map at `path` allows (`&[]` for the top level), in schema order.
    pub fn keys_at(&'static self, path: &[&str]) -> Vec<PropertyInfo> {
        let Some(schema) = value_schema(self, path) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for branch in branches(self, schema) {
            let Some(props) = branch.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let required = required_of(branch);
            for key in ordered_keys(self, props) {
                if !out.iter().any(|p: &PropertyInfo| p.key == key) {
                    out.push(info(self, key, &props[key], required.iter().any(|r| r == key)));
                }
            }
        }
        out
    }

    /// The one key allowed at `path` that is close to `key` (a misspelling of
    /// it): current keys first, legacy ones only when no current key is close.
    pub fn closest_key(&'static self, path: &[&str], key: &str) -> Option<&'static str> {
        closest_key_in(self, path, key)
    }
}

/// The keys of a `properties` object in the order the schema file writes
/// them (`serde_json`'s map is sorted), so that completion lists `name`,
/// `description`, `version` first and fixes insert keys in schema order.
pub(crate) fn ordered_keys(s: &'static Schema, props: &'static serde_json::Map<String, Value>) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = props.keys().map(String::as_str).collect();
    let order = s.orders.get_or_init(|| key_orders(s.text));
    // Each `properties` object is identified by its sorted key list.
    let id = keys.join("\u{0}");
    if let Some(written) = order.get(&id) {
        keys.sort_by_key(|k| written.iter().position(|w| w == k).unwrap_or(usize::MAX));
    }
    keys
}

/// For every object in the schema file: its keys as written, indexed by its
/// sorted key list.
pub(super) fn key_orders(text: &str) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    let mut de = serde_json::Deserializer::from_str(text);
    if let Ok(tree) = Ordered::deserialize(&mut de) {
        tree.collect(&mut out);
    }
    out
}

/// A JSON value that keeps the order of object keys; only the shape matters.
enum Ordered {
    Leaf,
    List(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    fn collect(&self, out: &mut HashMap<String, Vec<String>>) {
        match self {
            Ordered::Leaf => {}
            Ordered::List(items) => items.iter().for_each(|i| i.collect(out)),
            Ordered::Object(entries) => {
                let written: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
                let mut sorted: Vec<&str> = written.iter().map(String::as_str).collect();
                sorted.sort_unstable();
                out.insert(sorted.join("\u{0}"), written);
                entries.iter().for_each(|(_, v)| v.collect(out));
            }
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Ordered>()? {
                    entries.push((k, v));
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

fn closest_key_in(s: &'static Schema, path: &[&str], key: &str) -> Option<&'static str> {
    let known = s.keys_at(path);
    let limit = match key.chars().count() {
        0..=4 => 1,
        5..=10 => 2,
        _ => 3,
    };
    let close = |legacy: bool| -> Option<String> {
        let mut scored: Vec<(usize, &str)> = known
            .iter()
            .filter(|k| k.deprecated.is_some() == legacy)
            .map(|k| {
                (
                    crate::text::edit_distance(&normalize(key), &normalize(&k.key)),
                    k.key.as_str(),
                )
            })
            .filter(|(d, _)| *d <= limit)
            .collect();
        scored.sort_unstable();
        match scored.as_slice() {
            [(d, k), rest @ ..] if rest.first().is_none_or(|(d2, _)| d2 > d) => Some(k.to_string()),
            _ => None,
        }
    };
    let best = close(false).or_else(|| close(true))?;
    // Hand back the schema's own string, which lives as long as the schema.
    value_schema(s, path)
        .into_iter()
        .flat_map(|v| branches(s, v))
        .chain(
            value_schema(s, path)
                .and_then(|v| v.get("items"))
                .map(|v| deref(s, v))
                .into_iter()
                .flat_map(|v| branches(s, v)),
        )
        .filter_map(|b| b.get("properties").and_then(Value::as_object))
        .find_map(|props| props.keys().find(|k| **k == best).map(String::as_str))
}

/// `File-Budget` and `file_budget`: the same key written differently.
pub fn same_key(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

fn normalize(key: &str) -> String {
    key.to_lowercase().replace('-', "_")
}

/// The schema of the value at `path`: properties, items and `$ref`s followed.
pub(crate) fn value_schema(s: &'static Schema, path: &[&str]) -> Option<&'static Value> {
    let mut schema = deref(s, s.json());
    for seg in path {
        schema = step(s, schema, seg)?;
    }
    Some(schema)
}

fn step(s: &'static Schema, schema: &'static Value, seg: &str) -> Option<&'static Value> {
    let is_index = seg == "*" || seg == "[]" || (!seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()));
    for branch in branches(s, schema) {
        if let Some(items) = branch.get("items") {
            let items = deref(s, items);
            if is_index {
                return Some(items);
            }
            // A key named directly inside an item of a list of maps.
            if let Some(found) = property_schema(s, items, seg) {
                return Some(found);
            }
        }
        if !is_index {
            if let Some(found) = property_schema(s, branch, seg) {
                return Some(found);
            }
        }
    }
    None
}

fn property_schema(s: &'static Schema, schema: &'static Value, key: &str) -> Option<&'static Value> {
    for branch in branches(s, schema) {
        if let Some(p) = branch.get("properties").and_then(|p| p.get(key)) {
            return Some(deref(s, p));
        }
        if let Some(extra) = branch.get("additionalProperties").filter(|v| v.is_object()) {
            return Some(deref(s, extra));
        }
    }
    None
}

/// The object schema (among `anyOf` branches) that defines `key`, with its `required` list.
fn object_schema(s: &'static Schema, schema: &'static Value, key: &str) -> Option<(&'static Value, Vec<String>)> {
    let mut candidates: Vec<&'static Value> = branches(s, schema);
    // The parent may be a list of maps: look in its items.
    for b in branches(s, schema) {
        if let Some(items) = b.get("items") {
            candidates.extend(branches(s, deref(s, items)));
        }
    }
    candidates
        .into_iter()
        .find(|b| b.get("properties").and_then(|p| p.get(key)).is_some())
        .map(|b| (b, required_of(b)))
}

fn required_of(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The schema itself and its `anyOf`/`oneOf` branches, `$ref`s followed.
pub(crate) fn branches(s: &'static Schema, schema: &'static Value) -> Vec<&'static Value> {
    let schema = deref(s, schema);
    let mut out = vec![schema];
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            out.extend(list.iter().map(|v| deref(s, v)));
        }
    }
    out
}

/// Follows a local `$ref` (`#/$defs/stringList`); a schema without one is returned as is.
pub(crate) fn deref(s: &'static Schema, schema: &'static Value) -> &'static Value {
    let mut v = schema;
    for _ in 0..8 {
        match v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match s.json().pointer(pointer) {
                Some(target) => v = target,
                None => break,
            },
            None => break,
        }
    }
    v
}

/// The JSON types a schema allows, `anyOf` branches and `$ref`s included.
pub(crate) fn types_of(s: &'static Schema, schema: &'static Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for b in branches(s, schema) {
        match b.get("type") {
            Some(Value::String(t)) => out.push(t.clone()),
            Some(Value::Array(ts)) => out.extend(ts.iter().filter_map(Value::as_str).map(str::to_string)),
            _ => {}
        }
    }
    out.dedup();
    out
}

/// The names of the properties [`deprecation_of`] calls legacy, in every
/// `properties` object of `schema` (definitions and branches included).
fn legacy_names_in(schema: &'static Value, out: &mut std::collections::BTreeSet<&'static str>) {
    match schema {
        Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                out.extend(
                    props
                        .iter()
                        .filter(|(_, prop)| deprecation_of(prop).is_some())
                        .map(|(name, _)| name.as_str()),
                );
            }
            map.values().for_each(|v| legacy_names_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| legacy_names_in(v, out)),
        _ => {}
    }
}

/// Locks the kept answers; one poisoned by a panic elsewhere is still a
/// map of right answers.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn deprecation_of(prop: &Value) -> Option<&str> {
    (prop.get("deprecated") == Some(&Value::Bool(true))).then(|| {
        prop.get("deprecationMessage")
            .and_then(Value::as_str)
            .unwrap_or("legacy key")
    })
}

fn info(s: &'static Schema, key: &str, prop: &'static Value, required: bool) -> PropertyInfo {
    let text = |name: &str| prop.get(name).and_then(Value::as_str).map(str::to_string);
    let resolved = deref(s, prop);
    PropertyInfo {
        key: key.to_string(),
        description: text("description"),
        types: types_of(s, prop),
        enum_values: resolved
            .get("enum")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        default: resolved.get("default").cloned(),
        examples: resolved
            .get("examples")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        deprecated: deprecation_of(prop).map(str::to_string),
        required,
        pattern_hint: text("x-pattern-hint"),
        placeholder: text("x-placeholder"),
        clients: prop
            .get("x-clients")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_reads_description_type_and_default() {
        let p = property(&["context", "file_budget"]).unwrap();
        assert_eq!(p.types, ["integer"]);
        assert!(p.description.unwrap().contains("context files"));
        assert_eq!(p.default, Some(Value::from(4)));
        assert!(!p.required);
        assert!(p.deprecated.is_none());
        let name = property(&["name"]).unwrap();
        assert!(name.required);
        assert!(name.pattern_hint.unwrap().contains("kebab-case"));
    }

    #[test]
    fn property_inside_list_items_and_through_refs() {
        let t = property(&["memory", "scopes", "0", "type"]).unwrap();
        assert!(t.required);
        assert_eq!(t.enum_values.len(), 4);
        assert_eq!(property(&["memory", "scopes", "type"]), Some(t));
        let files = property(&["memory", "scopes", "*", "files"]).unwrap();
        assert_eq!(files.types, ["array"]);
        assert!(property(&["context", "nope"]).is_none());
        assert!(property(&[]).is_none());
    }

    #[test]
    fn legacy_properties_name_the_current_shape() {
        let p = property(&["context", "primary"]).unwrap();
        assert!(p.deprecated.unwrap().contains("primary_domain"));
        assert_eq!(p.types, ["string", "array"]);
        assert!(property(&["memory", "scope"])
            .unwrap()
            .deprecated
            .unwrap()
            .contains("memory.scopes"));
        assert!(property(&["triggers"]).unwrap().deprecated.is_some());
    }

    #[test]
    fn keys_at_lists_the_allowed_keys_in_order() {
        let root: Vec<String> = keys_at(&[]).into_iter().map(|p| p.key).collect();
        assert_eq!(&root[..3], ["name", "description", "version"]);
        assert!(root.contains(&"triggers".to_string()));
        let memory: Vec<String> = keys_at(&["memory"]).into_iter().map(|p| p.key).collect();
        assert_eq!(memory, ["scopes", "scope", "files", "skill_memory"]);
        let scope: Vec<String> = keys_at(&["memory", "scopes", "0"]).into_iter().map(|p| p.key).collect();
        assert_eq!(scope, ["type", "files", "usage"]);
        assert!(keys_at(&["name"]).is_empty());
        assert!(keys_at(&["nowhere", "at", "all"]).is_empty());
    }
}
