//! SK006 `name-folder-mismatch`: `name` differs from the skill's folder name.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::schema::is_kebab;
use crate::workspace::lookup;

pub static RULE: Rule = Rule {
    code: "SK006",
    name: "name-folder-mismatch",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "`name` differs from the skill's folder name",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That the front matter `name` equals the name of the folder holding
`SKILL.md` (`skills/api-design/SKILL.md` → `name: api-design`). The range is
the `name` value. Files whose folder name could not be a skill name (capitals,
spaces) are not checked: they are not in a skills folder.

## Why it matters

Tools find skills by folder and agents call them by name (the standard
requires the two to be equal); in the workflow format memory is stored under
the name too. When the two differ, the same skill goes by two names and its
links (and, in the workflow format, its memory) split.

## Example

Bad (in `skills/api-design/SKILL.md`):

```yaml
name: api-designer
```

Good:

```yaml
name: api-design
```

## Fix

Sets `name` to the folder name, keeping the value's quotes; the memory
calls and `/claudedocs/` output paths that name the skill by its old name
follow (else SK203 and SK403 would report them). Unsafe: renaming the
folder may be what the author wants instead.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(folder) = doc.folder_name().filter(|f| is_kebab(f)) else {
        return;
    };
    let Some((name, range)) = doc.name() else { return };
    if name == folder {
        return;
    }
    let written = doc.slice(range);
    let replacement = match written.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{folder}{q}"),
        _ => folder.to_string(),
    };
    let mut edits = vec![Edit::replace(range, replacement)];
    edits.extend(renamed_uses(ctx, name, folder));
    let fix = Fix::guess(format!("Set `name` to `{folder}`"), edits);
    // Memory is the workflow format's: a standard skill has none to split.
    let memory = if ctx.profile() == crate::profile::Profile::Workflow {
        ", and its memory is kept under the name"
    } else {
        ""
    };
    sink.report_fix(
        range,
        format!(
            "`name` is `{name}` but the skill's folder is `{folder}`: tools find the skill by one and agents call it by the other{memory}; rename the folder or set `name: {folder}`"
        ),
        Some(fix),
    );
}

/// The memory calls whose skill-name argument is the skill's old `name`
/// (keeping their quotes), and the output paths named after it, renamed to
/// `new`: the skill's memory and outputs move with it.
fn renamed_uses(ctx: &RuleCtx, old: &str, new: &str) -> Vec<Edit> {
    let doc = ctx.doc;
    doc.calls
        .iter()
        .filter(|c| c.receiver == "memoryStore")
        .filter_map(|call| ctx.arg_for(call, &["skillName"]))
        .filter(|arg| lookup::literal(arg) == Some(old))
        .map(|arg| {
            let written = doc.slice(arg.value_range);
            let quote = written
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\''))
                .unwrap_or('"');
            Edit::replace(arg.value_range, format!("{quote}{new}{quote}"))
        })
        .chain(
            // `/claudedocs/<old>_{project}_...` outputs are named after the skill too (SK403).
            doc.output_paths
                .iter()
                .filter(|p| p.name == old)
                .map(|p| Edit::replace(p.name_range, new)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{apply_fixes, Applicability};
    use crate::model::SkillDoc;
    use crate::{Config, Workspace};

    fn run(text: &str, path: &str) -> Vec<crate::Diagnostic> {
        let doc = SkillDoc::parse(text, Some(path.into()));
        let (ws, config) = (Workspace::detached(), Config::default());
        let mut sink = Sink::new(RULE.code, RULE.severity);
        check(&RuleCtx::new(&doc, &ws, &config), &mut sink);
        sink.into_diagnostics()
    }

    #[test]
    fn sets_the_name_to_the_folder_keeping_quotes() {
        let text = "---\nname: \"api-designer\"\n---\n";
        let d = run(text, "skills/api-design/SKILL.md");
        assert_eq!(&text[d[0].range.start..d[0].range.end], "\"api-designer\"");
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(apply_fixes(text, [fix]).0, "---\nname: \"api-design\"\n---\n");
    }

    #[test]
    fn silent_when_equal_or_when_the_folder_is_no_skill_name() {
        assert!(run("---\nname: api-design\n---\n", "skills/api-design/SKILL.md").is_empty());
        assert!(run("---\nname: api-design\n---\n", "My Drafts/SKILL.md").is_empty());
        assert!(run("---\nname: [a]\n---\n", "skills/api-design/SKILL.md").is_empty());
    }
}
