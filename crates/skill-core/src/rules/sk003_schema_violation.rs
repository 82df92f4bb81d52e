//! SK003 `schema-violation`: a value violates the schema: type, pattern, enum, range (range: the value).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::schema::ProblemKind;

pub static RULE: Rule = Rule {
    code: "SK003",
    name: "schema-violation",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "a value violates the schema: type, pattern, enum, range (range: the value)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Every front matter value against `schemas/skill.schema.json`: its type
(`file_budget` is an integer), its form (`name` is kebab-case, `version` a
semantic version), the allowed values (`memory.scopes[].type`), lengths
(`description` at most 1024 characters) and ranges (`file_budget` >= 0),
and that lists such as `tags` hold no duplicates. The range is the value
(the repeated entry, for a duplicate); an empty value is reported on its key.

Legacy shapes (`context.primary`, `memory.scope`, `triggers`) are valid here;
SK010 reports them. When the YAML is broken (SK002), only values the parser
finished reading before it stopped are checked.

A skill checked in the `agentskills` profile is validated against
`schemas/agentskills.schema.json` instead: `name` of lowercase letters,
digits and single hyphens (at most 64), `description` at most 1024
characters, `compatibility` at most 500, `metadata` a map of strings,
`allowed-tools` one space-separated string (see `docs/profiles.md`).

## Why it matters

Tools that load skills read these values: a `version: 1.0` is the number
1.0, not the text `1.0.0`; a `name` with capitals or spaces cannot name a
skill folder; an unknown memory layer type is never read.

## Example

Bad:

```yaml
name: API Design
version: 1.0
context:
  file_budget: four
```

Good:

```yaml
name: api-design
version: \"1.0.0\"
context:
  file_budget: 4
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for p in ctx.schema_problems().iter().filter(|p| p.kind == ProblemKind::Invalid) {
        sink.report(p.range, p.message.clone());
    }
}
