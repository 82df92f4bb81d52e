//! SK401 `version-mismatch`: the highest version in Version History differs from front matter `version`.

use crate::authoring::blanks::CHANGES;
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{semver_key, HistoryForm, HistoryOrder, SkillDoc, VersionHistory};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::today;

pub static RULE: Rule = Rule {
    code: "SK401",
    name: "version-mismatch",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "the highest version in Version History differs from front matter `version`",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the highest version recorded in the Version History (a table, list
entries `- v1.1.0 (2026-02-10): ...` or `### v1.1.0` headings) equals the
front matter `version`. The range is the highest version in the history
(or the history's heading when it records none).

## Why it matters

The front matter version is what tools and agents see; the history says
what that version contains. When they disagree, either a release went
unrecorded or the front matter was not bumped, and nobody can tell which
changes a running skill has.

## Example

Bad:

```markdown
version: \"1.1.0\"
...
| 1.0.0 | 2026-01-12 | Initial release |
```

Good:

```markdown
| 1.0.0 | 2026-01-12 | Initial release |
| 1.1.0 | 2026-02-09 | Findings ranked by severity |
```

## Fix

When the front matter version is the newer one, adds an entry for it dated
today, where the history's order puts it: last for oldest-first, first for
newest-first, in the history's own form. Unsafe: the changes must be
described. When the history is ahead, bump the front matter `version`.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let (Some(h), Some((version, _))) = (
        doc.history.as_ref(),
        doc.front_matter.as_ref().and_then(|f| f.str_at(&["version"])),
    ) else {
        return;
    };
    let Some(fm_key) = semver_key(version.trim()) else {
        return;
    }; // an invalid version is SK003's
    let version = version.trim();
    match h.highest() {
        Some(top) if semver_key(&top.version) == Some(fm_key) => {}
        Some(top) => {
            let newer = semver_key(&top.version).is_some_and(|k| fm_key > k);
            let fix = if newer { add_entry(doc, h, version) } else { None };
            let advice = if newer {
                format!("add a history entry for {version}")
            } else {
                format!(
                    "set the front matter `version` to {} or correct the history",
                    top.version
                )
            };
            sink.report_fix(
                top.version_range,
                format!(
                    "the Version History goes up to {} but the front matter says `version: {version}`: one of them was not updated, so nobody can tell what the running version contains; {advice}",
                    top.version
                ),
                fix,
            );
        }
        None => {
            let fix = add_entry(doc, h, version);
            sink.report_fix(
                doc.md.headings[h.heading].range,
                format!(
                    "the Version History records no version, but the front matter says `version: {version}`: add an entry for {version}"
                ),
                fix,
            );
        }
    }
}

/// The entry for `version`, dated today, in the history's form and order.
fn add_entry(doc: &SkillDoc, h: &VersionHistory, version: &str) -> Option<Fix> {
    add_entry_dated(doc, h, version, &today())
}

pub(crate) fn add_entry_dated(doc: &SkillDoc, h: &VersionHistory, version: &str, date: &str) -> Option<Fix> {
    let eol = doc.eol;
    let newest_first = match h.order {
        HistoryOrder::NewestFirst => true,
        HistoryOrder::OldestFirst => false,
        // One entry: tables in skills grow downwards, lists and headings upwards.
        HistoryOrder::Unknown => h.form != HistoryForm::Table,
    };
    let edit = match h.form {
        HistoryForm::Table => {
            let table = doc.md.tables.get(h.table?)?;
            let header: Vec<String> = table.header.cells.iter().map(|c| c.text.to_lowercase()).collect();
            let cells: Vec<String> = header
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    if name.contains("version") {
                        version.to_string()
                    } else if name.contains("date") {
                        date.to_string()
                    } else if i + 1 == header.len() {
                        CHANGES.to_string()
                    } else {
                        String::new()
                    }
                })
                .collect();
            let row = format!("| {} |", cells.join(" | "));
            match (newest_first, table.rows.first(), table.rows.last()) {
                (true, Some(first), _) => Edit::insert(first.range.start, format!("{row}{eol}")),
                (false, _, Some(last)) => Edit::insert(last.range.end, format!("{eol}{row}")),
                _ => Edit::insert(table.header.range.end, format!("{eol}{row}")),
            }
        }
        HistoryForm::List | HistoryForm::Headings => {
            let anchor = if newest_first { h.rows.first() } else { h.rows.last() }?;
            let written = doc.slice(anchor.range);
            let bold = doc
                .text
                .get(anchor.version_range.end..)
                .is_some_and(|t| t.starts_with("**"));
            let v_prefix = doc
                .text
                .get(..anchor.version_range.start)
                .is_some_and(|t| t.ends_with(['v', 'V']));
            let v = format!("{}{version}", if v_prefix { "v" } else { "" });
            let v = if bold { format!("**{v}**") } else { v };
            let entry = if h.form == HistoryForm::List {
                format!("- {v} ({date}): {CHANGES}")
            } else {
                let hashes: String = written.chars().take_while(|c| *c == '#').collect();
                format!("{hashes} {v} ({date}){eol}- {CHANGES}")
            };
            if newest_first {
                Edit::insert(
                    anchor.range.start,
                    format!("{entry}{eol}{}", if h.form == HistoryForm::Headings { eol } else { "" }),
                )
            } else {
                let end = if h.form == HistoryForm::Headings {
                    crate::authoring::content_end(
                        &doc.text,
                        doc.md
                            .section(doc.md.heading_before(anchor.range.start)?, doc.text.len()),
                    )
                } else {
                    anchor.range.end
                };
                let sep = if h.form == HistoryForm::Headings {
                    format!("{eol}{eol}")
                } else {
                    eol.to_string()
                };
                Edit::insert(end, format!("{sep}{entry}"))
            }
        }
    };
    Some(Fix::unsafe_(
        format!("Add a Version History entry for {version}"),
        vec![edit],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_fixes;
    use crate::testing::{at, run};

    fn entry(text: &str) -> String {
        let doc = SkillDoc::parse(text, None);
        let fix = add_entry_dated(&doc, doc.history.as_ref().unwrap(), "1.2.0", "2026-03-01").unwrap();
        apply_fixes(text, [&fix]).0
    }

    #[test]
    fn reports_the_highest_history_version() {
        let text = "---\nversion: \"1.2.0\"\n---\n# T\n\n## Version History\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-12 | a |\n| 1.1.0 | 2026-02-09 | b |\n";
        let d = run(&RULE, text, "t");
        assert_eq!(at(text, &d[0]), "1.1.0");
        assert!(d[0].fix.is_some());
        let ahead = text.replace("1.2.0", "1.0.0");
        let d = run(&RULE, &ahead, "t");
        assert!(d[0].fix.is_none() && d[0].message.contains("set the front matter"));
        assert!(run(&RULE, &text.replace("1.2.0", "1.1.0"), "t").is_empty());
    }

    #[test]
    fn the_entry_follows_the_order_and_form() {
        let table = "---\nversion: \"1.2.0\"\n---\n## Version History\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-12 | a |\n| 1.1.0 | 2026-02-09 | b |\n";
        assert!(entry(table).ends_with("| 1.1.0 | 2026-02-09 | b |\n| 1.2.0 | 2026-03-01 | {Describe the changes} |\n"));
        let newest = "## Version History\n| Version | Date | Changes |\n|---|---|---|\n| 1.1.0 | 2026-02-09 | b |\n| 1.0.0 | 2026-01-12 | a |\n";
        assert!(entry(newest).contains("|---|---|---|\n| 1.2.0 | 2026-03-01 | {Describe the changes} |\n| 1.1.0"));
        let list = "## Version History\n- **v1.1.0** (2026-02-10): b\n  - detail\n- **v1.0.0** (2026-01-01): a\n";
        assert!(entry(list)
            .starts_with("## Version History\n- **v1.2.0** (2026-03-01): {Describe the changes}\n- **v1.1.0**"));
    }
}
