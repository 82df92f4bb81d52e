//! SK211 `invocation-cycle`: skills that invoke each other in a circle.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::workspace::graph::{invocations, targets};

pub static RULE: Rule = Rule {
    code: "SK211",
    name: "invocation-cycle",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "skills invoke each other in a circle (`a` → `b` → `a`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That no `skillInvoker` call of a skill leads, through the calls of the
skills it invokes, back to the skill itself (`a` invokes `b`, `b` invokes
`a`; or `a` invokes itself). The range is the name argument of the call
that closes the circle; the message names the whole circle. The skill
being edited counts as it is written now, the others as saved.

## Why it matters

An agent following the skills delegates round the circle until it runs out
of context or gives up: none of the skills in it can finish. Circles come
from delegation added in two places by two authors.

## Example

Bad (`code-review` invokes `test-writer`, whose workflow invokes `code-review`):

```markdown
`skillInvoker.invoke(\"test-writer\", { target: \"src/\" })`
```

Good: one direction only; the other skill returns its result instead of
invoking back.

## Fix

None: which call to drop is the author's decision.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let ws = ctx.ws;
    if ws.root.is_none() || ws.skills.is_empty() {
        return;
    }
    let Some(me) = ctx.doc.name().map(|(n, _)| n).or_else(|| ctx.doc.folder_name()) else {
        return;
    };
    let found = invocations(ctx.doc, &ws.catalogue);
    if found.is_empty() {
        return;
    }
    let own = targets(&found);
    let graph = ws.graph();
    let mut reported = std::collections::BTreeSet::new();
    for inv in &found {
        if !reported.insert(inv.target.clone()) {
            continue; // one finding per invoked skill
        }
        let Some(path) = graph.path(&inv.target, me, me, &own) else {
            continue;
        };
        let circle: Vec<String> = std::iter::once(me.to_string())
            .chain(path)
            .map(|n| format!("`{n}`"))
            .collect();
        sink.report(
            inv.range,
            format!(
                "invoking `{}` closes a circle of invocations ({}): an agent would delegate round it without end; let one skill return its result instead of invoking back",
                inv.target,
                circle.join(" → ")
            ),
        );
    }
}
