//! SK007 `duplicate-key`: the same key twice in one map (range: the second).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::yaml::YamlErrorKind;

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
        sink.report(
            e.range,
            format!(
                "`{key}` is set a second time in this map: strict YAML loaders reject the front matter, and lenient ones keep only one of the values (which one depends on the tool); remove one of them or merge them"
            ),
        );
    }
}
