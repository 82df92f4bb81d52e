//! SK505 `duplicate-name`: another skill of the repository has the same `name`.

use crate::diagnostic::{Related, Severity};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;
use crate::workspace::relative_path;

pub static RULE: Rule = Rule {
    code: "SK505",
    name: "duplicate-name",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "another skill of the repository has the same `name` (range: the value)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That no other skill of the same repository has the same front matter
`name`. The range is the value; the message names the other skill's file
(relative to this skill's folder), and each of the two skills is reported.

The repository is, for a skill inside a skills root, the root's skills; for
any other skill, the skills under the nearest folder above it that holds
`.git` or a `skill-lsp.toml` (`skill-lsp check` collects their names from
the files it checks, the language server from the files `skill-lsp check`
finds under that folder; without such a folder, the files of the run count
as one repository, and in the editor a skill is compared with nothing). A skill reached twice through a symbolic link
(`.agents/skills -> ../skills`) is one skill, never its own duplicate.

## Why it matters

Agents list skills by name. Given two skills with one name, a client keeps
one of them (which one depends on the client and the install order), so the
other is never used, or the wrong one runs.

## Example

Bad: `skills/pdf/SKILL.md` and `preview/pdf/SKILL.md` both say

```yaml
name: pdf
```

Good: the preview says `name: pdf-preview` (in a folder of that name).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some((name, range)) = ctx.doc.name() else { return };
    let Some(path) = ctx.doc.path.as_deref() else { return };
    let others = ctx.ws.names.others_named(name.trim(), path);
    if others.is_empty() {
        return;
    }
    let here = path
        .parent()
        .and_then(|d| std::fs::canonicalize(d).ok())
        .unwrap_or_default();
    let shown: Vec<String> = others
        .iter()
        .map(|p| format!("`{}`", relative_path(&here, p).display()))
        .collect();
    let also = if others.len() == 1 {
        format!("the skill at {} is also named `{name}`", shown[0])
    } else {
        format!("the skills at {} are also named `{name}`", shown.join(", "))
    };
    let related = others
        .iter()
        .map(|p| Related {
            path: Some(p.to_path_buf()),
            range: TextRange::empty(0),
            message: format!("also named `{name}`"),
        })
        .collect();
    sink.report_related(
        range,
        format!(
            "{also}: an agent given both lists one of them, so the other is never used; give each skill its own name"
        ),
        None,
        related,
    );
}
