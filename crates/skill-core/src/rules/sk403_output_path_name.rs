//! SK403 `output-path-name`: a `/claudedocs/` output path that does not start with this skill's name.

use crate::authoring::skill_name;
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK403",
    name: "output-path-name",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "a `/claudedocs/` output path that does not start with this skill's name",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every output file the skill names under `/claudedocs/` starts with the
skill's `name`, as `OUTPUT_CONVENTIONS.md` asks:
`/claudedocs/{name}_{project}_{YYYY-MM-DD}.md`. Paths naming only the folder
(`/claudedocs/`) and names that are run-time placeholders (`{cli-tool}_...`)
are not checked; `{skill-name}` left in is SK123's. The range is the name
part: before the first `_`, or the skill's whole name written with `_` for
`-` (`docs_workflow_...` in skill `docs-workflow`).

## Why it matters

Outputs are found, listed and cleaned up by the skill's name. A path with
another name — often copied from another skill — puts this skill's reports
under the wrong one.

## Example

Bad (in skill `api-design`):

```markdown
Write the report to `/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md`
```

Good:

```markdown
Write the report to `/claudedocs/api-design_{project}_{YYYY-MM-DD}.md`
```

## Fix

Replaces the name part with the skill's name. Unsafe: an odd name may
mean the path was meant for another skill.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    if doc.name().is_none() && doc.folder_name().is_none() {
        return;
    }
    let name = skill_name(doc);
    for p in &doc.output_paths {
        if p.name.starts_with('{') {
            continue;
        }
        let file = doc.slice(p.file_name);
        let starts = file
            .strip_prefix(name.as_str())
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()));
        if starts {
            continue;
        }
        // `docs_workflow_{project}...` in skill `docs-workflow`: the name part
        // is the whole name written with `_`, not its first word.
        let underscored = name.replace('-', "_");
        let name_range = match file.strip_prefix(underscored.as_str()) {
            Some(rest) if name.contains('-') && rest.starts_with('_') => {
                TextRange::new(p.file_name.start, p.file_name.start + underscored.len())
            }
            _ => p.name_range,
        };
        let fix = file.contains('_').then(|| {
            Fix::unsafe_(
                format!("Name the output after `{name}`"),
                vec![Edit::replace(name_range, name.clone())],
            )
        });
        sink.report_fix(
            name_range,
            format!(
                "this output path is named `{}`, not after the skill `{name}`: outputs are found by the skill's name (`/claudedocs/{name}_{{project}}_{{YYYY-MM-DD}}.md`); name it after the skill",
                doc.slice(name_range)
            ),
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    #[test]
    fn names_other_than_the_skills() {
        let text = "---\nname: api-design\n---\nWrite `/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md` and /claudedocs/api-design_{project}.md, /claudedocs/api-design-extra.md, /claudedocs/{cli-tool}_x.md, /claudedocs/.\n";
        let d = run(&RULE, text, "api-design");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["fastapi"]);
        assert!(fixed(text, &d[0]).contains("`/claudedocs/api-design_{project}_{YYYY-MM-DD}.md`"));
    }

    #[test]
    fn the_name_written_with_underscores_is_the_whole_name_part() {
        let text = "---\nname: docs-workflow\n---\nSave to `/claudedocs/docs_workflow_{project}_{YYYY-MM-DD}.md`\n";
        let d = run(&RULE, text, "docs-workflow");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["docs_workflow"]);
        assert!(d[0].message.contains("named `docs_workflow`"));
        assert!(fixed(text, &d[0]).contains("`/claudedocs/docs-workflow_{project}_{YYYY-MM-DD}.md`"));
    }
}
