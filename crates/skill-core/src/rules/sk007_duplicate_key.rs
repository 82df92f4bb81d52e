//! SK007 `duplicate-key`: the same key twice in one map (range: the second).

use crate::diagnostic::{Related, Severity};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::yaml::{YamlErrorKind, YamlNode, YamlValue};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK007",
    name: "duplicate-key",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "the same key twice in one map (range: the second)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That no map in the front matter sets the same key twice. The range is the
second occurrence.

## Why it matters

YAML forbids repeated keys. Strict loaders reject the whole front matter;
lenient ones keep one of the values — the first or the last, depending on the
tool — so the skill means different things to different readers. skill-lsp
reads the first one.

## Example

Bad:

```yaml
name: api-design
version: \"1.0.0\"
version: \"1.1.0\"
```

Good:

```yaml
name: api-design
version: \"1.1.0\"
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(fm) = &ctx.doc.front_matter else { return };
    for e in fm.errors.iter().filter(|e| e.kind == YamlErrorKind::DuplicateKey) {
        let key = ctx.doc.slice(e.range);
        let related = fm
            .root
            .as_ref()
            .and_then(|root| first_of(root, e.range))
            .map(|first| Related {
                path: None,
                range: first,
                message: format!("`{key}` is first set here"),
            });
        sink.report_related(
            e.range,
            format!(
                "`{key}` is set a second time in this map: strict YAML loaders reject the front matter, and lenient ones keep only one of the values (which one depends on the tool); remove one of them or merge them"
            ),
            None,
            related.into_iter().collect(),
        );
    }
}

/// The key of the first entry of the map that holds the repeated key at `repeated`.
fn first_of(node: &YamlNode, repeated: TextRange) -> Option<TextRange> {
    match &node.value {
        YamlValue::Map(entries) => {
            if let Some(dup) = entries.iter().find(|e| e.key_range == repeated) {
                return entries
                    .iter()
                    .find(|e| e.key == dup.key)
                    .map(|e| e.key_range)
                    .filter(|r| *r != repeated);
            }
            entries.iter().find_map(|e| first_of(&e.value, repeated))
        }
        YamlValue::Seq(items) => items.iter().find_map(|n| first_of(n, repeated)),
        _ => None,
    }
}
