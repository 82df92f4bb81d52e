//! SK501 `body-too-long`: the body of a skill in the Agent Skills format runs
//! past 500 lines.

use crate::authoring::MAX_BODY_LINES;
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::{line_range_at, TextRange};

pub static RULE: Rule = Rule {
    code: "SK501",
    name: "body-too-long",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "the body (after the front matter) is longer than 500 lines",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): that the Markdown
body after the front matter has at most 500 lines. The range is the first
line past the limit.

## Why it matters

Agents read every skill's `name` and `description` up front, but load the
whole body into their context as soon as the skill is used. A body of
thousands of lines crowds out the task itself; the standard keeps the body
to the instructions an agent always needs and moves the rest into files the
body points to (`references/`, `scripts/`, `assets/`), which are read only
when needed.

## Example

Bad: a 900-line `SKILL.md` with the full API reference pasted in.

Good:

```markdown
## Filling forms

Follow the steps below. For every field type and its options, see
[the forms reference](references/forms.md).
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let text = &*doc.text;
    let start = doc.md.body_start.min(text.len());
    let Some(body) = text.get(start..) else { return };
    let lines = crate::text::count_lines(body);
    if lines <= MAX_BODY_LINES {
        return;
    }
    // The start of body line MAX_BODY_LINES + 1.
    let Some((offset, _)) = body.match_indices('\n').nth(MAX_BODY_LINES - 1) else {
        return;
    };
    let line = line_range_at(text, start + offset + 1);
    let range = if line.is_empty() {
        TextRange::empty(line.start)
    } else {
        line
    };
    sink.report(
        range,
        format!(
            "the body is {lines} lines long, more than the {MAX_BODY_LINES} the Agent Skills standard recommends: agents load all of it as soon as the skill is used, crowding out the task; move reference material into files under `references/` and link them"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    fn skill(body_lines: usize) -> String {
        let mut text = String::from("---\nname: notes\ndescription: Takes notes. Use when asked to.\n---\n");
        for i in 1..=body_lines {
            text.push_str(&format!("Line {i}\n"));
        }
        text
    }

    #[test]
    fn reports_the_first_line_past_the_limit() {
        assert!(run(&RULE, &skill(500), "notes").is_empty());
        let text = skill(501);
        let d = run(&RULE, &text, "notes");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "Line 501");
        assert!(d[0].message.contains("501 lines"));
    }

    #[test]
    fn a_file_without_front_matter_counts_from_the_top() {
        let text: String = (1..=600).map(|i| format!("l{i}\r\n")).collect();
        let d = run(&RULE, &text, "notes");
        assert_eq!(at(&text, &d[0]), "l501");
    }
}
