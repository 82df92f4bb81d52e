//! SK510 `skill-fragment`: a `SKILL.md` without front matter in a folder named
//! after a skill elsewhere in the repository: a fragment of that skill.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::line_range_at;
use crate::workspace::relative_path;

pub static RULE: Rule = Rule {
    code: "SK510",
    name: "skill-fragment",
    severity: Severity::Information,
    fix: FixAvailability::None,
    summary: "a `SKILL.md` without front matter, in a folder named after another skill of the repository: a fragment of that skill, not a skill (range: the first line)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

A `SKILL.md` that has no front matter at all, in a folder whose name is the
`name` of a real skill elsewhere in the same repository (see SK505 for what
the repository is). Such a file is not a broken skill but a fragment of the
other one: an overlay a build script merges into it (a \"flavor\" of the
skill), or a part kept apart. It is reported once, as information naming the
skill it belongs to, instead of SK001's error for a missing front matter.

The evidence is two facts an author sets on purpose: the folder's name and
the other skill's own `name`. A file without front matter whose folder names
no skill of the repository is still SK001's.

## Why it matters

Fragments are legitimate, but a client that loads every `SKILL.md` it finds
would list this one nameless; knowing which skill it completes tells the
reader where its text ends up.

## Example

`skills/uipath-feedback/SKILL.md` is a skill (`name: uipath-feedback`);
`skill-flavors/studioweb/uipath-feedback/SKILL.md` holds only
`<!--skill-flavor:...:start-->` blocks composed into it for one product:
reported as a fragment of `skills/uipath-feedback/SKILL.md`.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(skill) = ctx.ws.names.fragment_of(ctx.doc) else {
        return;
    };
    let name = ctx.doc.folder_name().unwrap_or_default();
    let here = ctx
        .doc
        .dir()
        .and_then(|d| std::fs::canonicalize(d).ok())
        .unwrap_or_default();
    let text = &*ctx.doc.text;
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    sink.report(
        line_range_at(text, start),
        format!(
            "no front matter: this file reads as a fragment of the skill `{name}` at `{}` (its folder carries that skill's name), not as a skill of its own",
            relative_path(&here, skill).display()
        ),
    );
}
