//! SK002 `yaml-syntax`: YAML syntax error (range: where the parser stopped).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::yaml::YamlErrorKind;

pub static RULE: Rule = Rule {
    code: "SK002",
    name: "yaml-syntax",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "YAML syntax error (range: where the parser stopped)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That the front matter is valid YAML. The range is where the parser stopped,
as tight as the text allows: the token it could not read, or the line that is
neither `key: value` nor part of a value.

The most common case in real skills is an unquoted value holding `: `
(`description: Builds agents. Triggers: create agent`): YAML reads the colon
as the start of a nested key. That error is reported on the word before the
colon, and the value is then read as the author meant, so the rest of the
front matter is still checked.

After any other syntax error the front matter is read only up to that point.
To avoid a cascade of findings from a half-read tree, the schema rules then
report only what is certain: no missing keys (SK004), and no problem with a
value the parser was still reading when it stopped (SK003). Keys read before
the error (`name`, ...) stay usable by every other rule, and the Markdown body
is checked as usual.

## Why it matters

Skill loaders parse the front matter with a strict YAML parser. On an error
they drop the whole front matter — often silently — so the skill is not
listed, or is listed with a guessed name and no description.

## Example

Bad:

```yaml
description: Design custom agents. Triggers: create agent, build agent
```

Good:

```yaml
description: \"Design custom agents. Triggers: create agent, build agent\"
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(fm) = &ctx.doc.front_matter else { return };
    for e in fm.errors.iter().filter(|e| e.kind == YamlErrorKind::Syntax) {
        let message = if e.recovered {
            capitalize(&e.message)
        } else {
            format!(
                "Invalid YAML: {}. Skill loaders reject the whole front matter, and nothing after this point is read until it is fixed",
                e.message
            )
        };
        sink.report(e.range, message);
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
