//! SK601 `hidden-unicode`: invisible or bidirectional control characters in
//! `SKILL.md`, which an agent reads and a reviewer does not see.

use crate::content::candidates::Candidates;
use crate::content::hidden::{self, HiddenKind};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{Block, BlockRule, FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK601",
    name: "hidden-unicode",
    severity: Severity::Warning,
    fix: FixAvailability::Safe,
    summary: "invisible or bidirectional control characters in the skill (zero-width, bidi overrides, tag characters)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Every character of `SKILL.md` (front matter, prose and code) that renders as
nothing or reorders what is shown:

- zero-width characters: U+200B zero-width space, U+200C/U+200D joiners,
  U+2060 word joiner, U+2061–U+2064, U+FEFF past the start of the file,
  U+180E and the Hangul fillers;
- bidirectional controls: embeddings and overrides U+202A–U+202E, isolates
  U+2066–U+2069, and the marks U+200E, U+200F, U+061C on a line without
  right-to-left text;
- Unicode tag characters U+E0000–U+E007F, which spell ASCII text that no
  editor or web page shows (the message says what they spell).

Left alone because they carry meaning: a joiner inside an emoji sequence or
between letters of a script that uses it (Persian, Arabic, Indic scripts);
the tag characters of a flag emoji; a byte-order mark at the very start;
direction marks in right-to-left text. One finding per run of adjacent
characters; the range is the run.

## Why it matters

A skill is instructions an agent follows with its user's permissions, and
skills are shared and installed like packages. Hidden characters let a
skill say one thing to the person reviewing it and another to the agent:
tag characters carry whole instructions invisibly (\"ASCII smuggling\"), bidi
overrides show a command in another order than it runs (\"Trojan Source\",
CVE-2021-42574), a zero-width space splits a word so that a reviewer's
search misses it.

## Example

Bad (a zero-width space inside the command, a right-to-left override):

```markdown
Run `rm -rf build\\u{200B}/` and then `echo \\u{202E}txt.exe`.
```

Good:

```markdown
Run `rm -rf build/`.
```

## Fix

Removes the run (safe: the characters show nothing and mean nothing where
they stand). `skill-lsp check --fix` applies it.";

pub static BLOCKS: BlockRule = BlockRule {
    code: RULE.code,
    check_block,
};

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    ctx.each_block(sink, check_block);
}

/// A run of hidden characters never holds a line break, so it lies in one block.
fn check_block(ctx: &RuleCtx, at: Block, sink: &mut Sink) {
    let block = at.range;
    if !ctx.block_has(at, Candidates::HIDDEN) {
        return;
    }
    for run in hidden::scan(&ctx.doc.text, block) {
        let what = match run.kind {
            HiddenKind::Tag if !run.tag_text.is_empty() => {
                format!("{} spelling \"{}\"", run.kind.describe(), truncate(&run.tag_text, 80))
            }
            kind => format!("{} ({})", kind.describe(), run.code_points()),
        };
        let fix = Fix::safe("Remove the hidden characters", vec![Edit::delete(run.range)]);
        sink.report_fix(
            run.range,
            format!(
                "{what}: an agent reads them but a reviewer sees nothing, so the skill can say one thing to people and another to the agent; remove them"
            ),
            Some(fix),
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    out.push_str("...");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixed, run};

    #[test]
    fn reports_and_removes_a_zero_width_space_but_keeps_emoji() {
        let text = "---\nname: demo\ndescription: x\n---\nRun `rm -rf build\u{200B}/`. \u{1F468}\u{200D}\u{1F469}\n";
        let d = run(&RULE, text, "demo");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("U+200B"), "{}", d[0].message);
        assert_eq!(fixed(text, &d[0]), text.replace('\u{200B}', ""));
    }
}
