//! SK602 `hidden-unicode-bundled`: invisible or bidirectional control
//! characters in a file the skill bundles (a script, a reference document).

use crate::diagnostic::Severity;
use crate::model::anchor;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK602",
    name: "hidden-unicode-bundled",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "invisible or bidirectional control characters in a file bundled with the skill",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

The same characters as SK601 (zero-width characters, bidi controls, Unicode
tag characters, with the same exceptions for emoji, scripts that use
joiners, flags and a leading byte-order mark), in every text file of the
skill's folder besides `SKILL.md`: scripts, reference documents, templates,
evals. Files larger than 512 KiB, binary files and sub-folders holding their
own `SKILL.md` are not read. One finding per file, on the place where
`SKILL.md` mentions the file (else on the skill's `name`); the message gives
the file, the line and the characters.

## Why it matters

An agent reads the references a skill points to and runs its scripts. A
bidi override in a script shows a reviewer code in another order than the
interpreter runs it (\"Trojan Source\", CVE-2021-42574); tag characters in a
reference document carry instructions no reviewer sees.

## Example

Bad: `scripts/setup.sh` holds `echo \"done\" \\u{202E} ; rm -rf ~ \\u{2066}`.

Good: the script without the control characters.

## Fix

Open the file and delete the characters (an editor that shows invisible
characters helps; `skill-lsp check --fix` mends only `SKILL.md`, see SK601).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(dir) = ctx.doc.dir() else { return };
    let bundle = ctx.ws.bundle(dir);
    for file in &bundle.files {
        let Some((line, first)) = file.hidden.first() else {
            continue;
        };
        let more = match file.hidden.len() {
            1 => String::new(),
            n => format!(" and {} more place{}", n - 1, if n == 2 { "" } else { "s" }),
        };
        let what = if first.tag_text.is_empty() {
            format!("{} ({})", first.kind.describe(), first.code_points())
        } else {
            format!(
                "{} spelling \"{}\"",
                first.kind.describe(),
                first.tag_text.chars().take(80).collect::<String>()
            )
        };
        sink.report(
            anchor::bundled_file(ctx.doc, &file.rel),
            format!(
                "`{}` line {line} holds {what}{more}: the agent reads or runs this file, a reviewer does not see them; remove them",
                file.rel
            ),
        );
    }
}
