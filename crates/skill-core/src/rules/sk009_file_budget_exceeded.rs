//! SK009 `file-budget-exceeded`: `always_load_files` has more entries than `file_budget`.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK009",
    name: "file-budget-exceeded",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "`always_load_files` has more entries than `file_budget`",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That `context.always_load_files` lists no more files than
`context.file_budget` allows. The range is the `always_load_files` list.
Nothing is reported when either is missing or not of the right type (SK003
reports that).

## Why it matters

The budget is the most context files the skill may load in one run. Files
that are always loaded count against it before any conditional context is
chosen; listing more than the budget means the skill breaks its own limit on
every run and crowds out the context it selects for the project.

## Example

Bad:

```yaml
context:
  always_load_files: [a.md, b.md, c.md]
  file_budget: 2
```

Good:

```yaml
context:
  always_load_files: [a.md, b.md]
  file_budget: 4
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(fm) = &ctx.doc.front_matter else { return };
    let Some(files) = fm.node_at(&["context", "always_load_files"]) else {
        return;
    };
    let Some(list) = files.as_seq() else { return };
    let Some(budget) = fm.node_at(&["context", "file_budget"]).and_then(|b| b.as_i64()) else {
        return;
    };
    let n = list.len();
    if budget >= 0 && n as u64 > budget as u64 {
        sink.report(
            files.range,
            format!(
                "`always_load_files` lists {n} files but `file_budget` is {budget}: every run loads more context files than the skill's own budget, leaving no room for the context chosen for the project; raise `file_budget` or load fewer files always"
            ),
        );
    }
}
