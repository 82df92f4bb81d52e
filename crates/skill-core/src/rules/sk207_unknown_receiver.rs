//! SK207 `unknown-receiver`: an unknown receiver close to a known one (`memstore.update`).

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK207",
    name: "unknown-receiver",
    severity: Severity::Warning,
    fix: FixAvailability::Safe,
    summary: "an unknown receiver close to a known one (`memstore.update`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

Calls in code whose receiver is almost, but not exactly, one of the
interfaces: `memoryStore`, `contextProvider`, `skillInvoker`,
`executionContext`. Another case (`MemoryStore`), underscores
(`memory_store`), up to two typos (`memoryStor`) or a shortening
(`memstore`) count as close; other code (`os.path.join(...)`) is left
alone. The range is the receiver.

## Why it matters

Interfaces are called by their exact names. A misspelt receiver is not
recognised as an interface call: the agent may not call it, and none of
the other interface checks see it.

## Example

Bad:

```markdown
2. Update memory with `memstore.update(\"flask-helper\", \"{project-name}\", ...)`
```

Good:

```markdown
2. Update memory with `memoryStore.update(\"flask-helper\", \"{project-name}\", ...)`
```

## Fix

Replaces the receiver with the interface's name. Safe: only one interface
is that close.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for call in &ctx.doc.calls {
        let Some(known) = call.near_miss_of() else { continue };
        let fix = Fix::safe(
            format!("Replace `{}` with `{known}`", call.receiver),
            vec![Edit::replace(call.receiver_range, known)],
        );
        sink.report_fix(
            call.receiver_range,
            format!(
                "`{}` is not an interface: did you mean `{known}`? Interfaces are called by their exact names, so this call is not recognised and may not be made",
                call.receiver
            ),
            Some(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{near_receiver, KNOWN_RECEIVERS};

    /// The fix is safe because no name is close to two interfaces, so a
    /// tie cannot arise: the interface names are more than four edits apart
    /// (a name within two of one is beyond two of every other) and start
    /// with different letters (a shortening keeps the first letter, so it
    /// shortens at most one).
    #[test]
    fn no_name_is_close_to_two_interfaces() {
        for (i, a) in KNOWN_RECEIVERS.iter().enumerate() {
            for b in &KNOWN_RECEIVERS[i + 1..] {
                let (la, lb) = (a.to_lowercase(), b.to_lowercase());
                assert!(strsim::damerau_levenshtein(&la, &lb) > 4, "{a} {b}");
                assert_ne!(la.as_bytes()[0], lb.as_bytes()[0], "{a} {b}");
            }
        }
        assert_eq!(near_receiver("memstore"), Some("memoryStore"));
        assert_eq!(near_receiver("context_provider"), Some("contextProvider"));
    }
}
