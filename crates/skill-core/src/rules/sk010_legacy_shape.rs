//! SK010 `legacy-shape`: a legacy shape (`context.primary`, `memory.scope`) where a current one exists.

use std::borrow::Cow;

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::schema::{display_path, WORKFLOW};
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK010",
    name: "legacy-shape",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a legacy shape (`context.primary`, `memory.scope`) where a current one exists",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

Front matter written in an older shape that has a current replacement:

| legacy | current |
|---|---|
| `context.primary: [python]` | `context.primary_domain: python` |
| `context.secondary`, `context.supporting_domains` | cross-domain loading in the context step (`contextProvider.getCrossDomainContext`) |
| `context.memory` | the top-level `memory.scopes` |
| `memory.scope: per-project` + `memory.files` | `memory.scopes: [{type: skill-specific, files: [...]}]` |
| `memory.skill_memory` | nothing: memory is kept under `name` |
| `triggers: [...]` | trigger phrases in `description` |

The schema (`schemas/skill.schema.json`) marks these keys `deprecated` and
names the current shape; this rule reads that. One warning per map, on its
first legacy key, naming every legacy key of that map. Legacy keys are valid:
they never also produce SK003 or SK005.

## Why it matters

The legacy shapes still load, but tools and rules written for the current
shape do not read them: a skill with `context.primary` has no
`primary_domain` for its context calls to be checked against (SK204), and
`memory.files` are not compared with what the last step writes (SK206).

## Example

Bad:

```yaml
context:
  primary: [angular]
  topics: [component_patterns]
memory:
  scope: per-project
  files: [review_history.md]
```

Good:

```yaml
context:
  primary_domain: angular
  topics: [component_patterns]
memory:
  scopes:
    - type: skill-specific
      files: [review_history.md]
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(root) = ctx.doc.front_matter.as_ref().and_then(|fm| fm.root.as_ref()) else {
        return;
    };
    let mut found = Vec::new();
    walk(root, &mut Vec::new(), &mut found);
    for legacy in found {
        let keys: Vec<String> = legacy.keys.iter().map(|k| format!("`{k}`")).collect();
        let here = if legacy.path.is_empty() {
            "The front matter".to_string()
        } else {
            format!("`{}`", display_path(&legacy.path))
        };
        let what = if keys.len() == 1 {
            format!("the legacy key {}", keys[0])
        } else {
            format!("the legacy keys {}", keys.join(", "))
        };
        let mut messages: Vec<&str> = Vec::new();
        for m in &legacy.messages {
            if !messages.contains(m) {
                messages.push(m);
            }
        }
        let current = messages
            .iter()
            .map(|m| m.trim_start_matches("legacy shape: "))
            .collect::<Vec<_>>()
            .join("; ");
        sink.report(
            legacy.range,
            format!("{here} uses {what}: {current}. Rules and tools written for the current shape do not read the legacy one"),
        );
    }
}

/// The legacy keys of one map.
struct Legacy<'a> {
    path: Vec<Cow<'a, str>>,
    keys: Vec<String>,
    messages: Vec<&'static str>,
    /// The first legacy key.
    range: TextRange,
}

/// `path` borrows the keys it follows (only list indices are written out):
/// most front matters hold no legacy key, and the walk copies nothing then.
fn walk<'a>(node: &'a YamlNode, path: &mut Vec<Cow<'a, str>>, out: &mut Vec<Legacy<'a>>) {
    match &node.value {
        YamlValue::Map(entries) => {
            let mut here: Option<Legacy> = None;
            for e in entries {
                path.push(Cow::Borrowed(&e.key));
                // Most keys are named legacy nowhere in the schema: asked
                // first, it spares following the schema down the path.
                let legacy = WORKFLOW.may_be_legacy(&e.key).then(|| {
                    let keys: Vec<&str> = path.iter().map(|k| &**k).collect();
                    WORKFLOW.deprecation(&keys)
                });
                match legacy.flatten() {
                    Some(message) => {
                        // Inside a legacy value everything is legacy: one warning is enough.
                        let l = here.get_or_insert_with(|| Legacy {
                            path: path[..path.len() - 1].to_vec(),
                            keys: Vec::new(),
                            messages: Vec::new(),
                            range: e.key_range,
                        });
                        l.keys.push(e.key.clone());
                        l.messages.push(message);
                    }
                    None => walk(&e.value, path, out),
                }
                path.pop();
            }
            out.extend(here);
        }
        YamlValue::Seq(items) => {
            // Only a map holds keys: the index is written out for those alone.
            for (i, item) in items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.as_map().is_some() || matches!(item.value, YamlValue::Seq(_)))
            {
                path.push(Cow::Owned(i.to_string()));
                walk(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}
