//! SK507 `body-too-many-tokens`: a body within the line limit that still
//! holds more text than the standard recommends loading at once.

use crate::authoring::MAX_BODY_LINES;
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::line_range_at;

pub static RULE: Rule = Rule {
    code: "SK507",
    name: "body-too-many-tokens",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "the body is estimated at more than 5,000 tokens",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

/// The most tokens of instructions the standard recommends for a body.
pub const MAX_BODY_TOKENS: usize = 5000;

/// Characters per token of English prose and code, the usual estimate.
const CHARS_PER_TOKEN: usize = 4;

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): that the body
after the front matter is at most about 5,000 tokens, the size the standard
recommends for a skill's instructions. Tokens are estimated as one per four
characters. A body over 500 lines is SK501's and is not reported again here:
this rule finds the body that is short in lines but long in text (long
lines, big tables). The range is the line where the estimate passes 5,000.

## Why it matters

The whole body enters the agent's context when the skill is used. What
does not need to be there every time belongs in `references/` files the
body links, read only when needed.

## Example

Bad: 300 lines of 100-character table rows.

Good: the table in `references/fields.md`, linked from the body.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let text = &*doc.text;
    let start = doc.md.body_start.min(text.len());
    let Some(body) = text.get(start..) else { return };
    if crate::text::count_lines(body) > MAX_BODY_LINES {
        return;
    }
    let chars = body.chars().count();
    let tokens = chars.div_ceil(CHARS_PER_TOKEN);
    if tokens <= MAX_BODY_TOKENS {
        return;
    }
    // The character where the estimate passes the limit.
    let past = body
        .char_indices()
        .nth(MAX_BODY_TOKENS * CHARS_PER_TOKEN)
        .map_or(body.len(), |(i, _)| i);
    let range = line_range_at(text, start + past);
    sink.report(
        range,
        format!(
            "the body is about {tokens} tokens ({chars} characters), more than the {MAX_BODY_TOKENS} the Agent Skills standard recommends: agents load all of it when the skill is used; move reference material into files under `references/` and link them"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn long_lines_count_and_long_bodies_are_sk501s() {
        let skill = |lines: usize, width: usize| {
            let mut t = String::from("---\nname: notes\ndescription: Notes. Use when asked.\n---\n");
            for _ in 0..lines {
                t.push_str(&"x".repeat(width));
                t.push('\n');
            }
            t
        };
        assert!(run(&RULE, &skill(100, 100), "notes").is_empty());
        let d = run(&RULE, &skill(300, 100), "notes");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("about 7575 tokens"), "{}", d[0].message);
        assert!(run(&RULE, &skill(600, 100), "notes").is_empty(), "SK501's");
    }
}
