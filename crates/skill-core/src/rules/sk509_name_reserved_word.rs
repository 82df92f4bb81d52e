//! SK509 `name-reserved-word`: a `name` holding a word a client reserves.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK509",
    name: "name-reserved-word",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "`name` holds a word a client reserves (`anthropic`, `claude`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

/// Words Anthropic's skill rules forbid in `name` (Claude API, claude.ai).
pub const RESERVED: &[&str] = &["anthropic", "claude"];

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): that the front
matter `name` does not contain a word a client reserves. Anthropic's rules
for skills uploaded to the Claude API and claude.ai forbid `anthropic` and
`claude` in a skill's name. The range is the word in the value.

## Why it matters

A skill whose name holds a reserved word is refused where those rules apply,
however well it works in a client that does not apply them (Claude Code
loads it): the skill cannot be shared everywhere its format promises.

## Example

Bad:

```yaml
name: claude-handoff
```

Good:

```yaml
name: session-handoff
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some((name, range)) = ctx.doc.name() else { return };
    let lower = name.to_ascii_lowercase();
    let written = ctx.doc.slice(range);
    for word in RESERVED {
        let Some(i) = lower.find(word) else { continue };
        // Where the word sits in the value as written (after a quote, if any).
        let offset = written.to_ascii_lowercase().find(word).unwrap_or(i);
        let at = crate::text::TextRange::new(range.start + offset, range.start + offset + word.len());
        sink.report(
            at,
            format!(
                "`{name}` contains `{word}`, a word Anthropic reserves: the Claude API and claude.ai refuse a skill named so; choose a name without it"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::skeleton::testing::{at, run};

    #[test]
    fn finds_the_word_in_the_value() {
        let text = "---\nname: \"git-guardrails-claude-code\"\ndescription: x\n---\n";
        let d = run(&RULE, text, "git-guardrails-claude-code");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "claude");
        assert!(run(&RULE, "---\nname: handoff\n---\n", "handoff").is_empty());
    }
}
