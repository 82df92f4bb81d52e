//! SK008 `front-matter-limits`: front matter beyond the safety limits (aliases, nesting depth, size).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::yaml::YamlErrorKind;

pub static RULE: Rule = Rule {
    code: "SK008",
    name: "front-matter-limits",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "front matter beyond the safety limits (aliases, nesting depth, size)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That the front matter stays within safety limits: at most 256 KiB, 64 levels
of nesting, 100 alias uses (`*name`), and 20,000 values once aliases are
expanded. The range is where the limit was crossed: the alias, the
collection that nests too deep, or the first line past the size limit.

Reading stops at the first limit crossed, so a hostile file (a \"billion
laughs\" alias bomb, thousands of nested brackets) costs almost nothing. What
was read before that point is kept and checked.

## Why it matters

Real front matter is a few dozen short lines. Anything beyond these limits is
a mistake or an attack on the tools that read skills, and other YAML loaders
may hang or run out of memory on it.

## Example

Bad:

```yaml
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
```

Good: write the values out; front matter needs no aliases.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(fm) = &ctx.doc.front_matter else { return };
    for e in fm.errors.iter().filter(|e| e.kind == YamlErrorKind::Limit) {
        let mut c = e.message.chars();
        let first = c
            .next()
            .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect());
        sink.report(
            e.range,
            format!("{first}: reading stops here to stay fast and safe on any input; real front matter needs none of this, so simplify it"),
        );
    }
}
