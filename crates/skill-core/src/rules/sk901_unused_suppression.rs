//! SK901 `unused-suppression`: a suppression comment that suppresses nothing.

use crate::diagnostic::Severity;
use crate::model::suppressions::{Kind, Unused};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK901",
    name: "unused-suppression",
    severity: Severity::Warning,
    fix: FixAvailability::Safe,
    summary: "a `skill-lsp-disable...` comment names a rule that reports nothing where it applies",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That every rule a suppression comment names reports something the comment
suppresses: the next line for `<!-- skill-lsp-disable-next-line ... -->`
(and `# skill-lsp-disable-next-line ...` in the front matter), the lines up
to the matching `<!-- skill-lsp-enable ... -->` for
`<!-- skill-lsp-disable ... -->`, the whole file for
`<!-- skill-lsp-disable-file ... -->`. An `enable` that closes no
`disable` is reported too. A rule that did not run on the file (turned off
in `skill-lsp.toml`, left out by `--select` or `--ignore`, or not part of
the file's profile) is never reported: whether its suppression is needed
cannot be known.

## Why it matters

A suppression outlives the finding it silenced: once the skill is mended,
the comment stays and would hide the next, real, finding of that rule in
that place. Like an unused `noqa` in Python, it is clutter at best.

## Example

Bad (the steps are numbered correctly; SK103 has nothing to report):

```markdown
<!-- skill-lsp-disable-next-line SK103 -->
### Step 2: Load Memory
```

Good:

```markdown
### Step 2: Load Memory
```

## Fix

Removes the comment's line, or only the rules named in vain when others in
the same comment still suppress something. Safe. The editor shows the
comment faded, as unnecessary code.";

/// Reported after every other rule, from what [`crate::model::suppressions::apply`]
/// found unused (see [`crate::analysis::check`]): no rule sees another
/// rule's findings, so this check itself has nothing to look at.
fn check(_: &RuleCtx, _: &mut Sink) {}

/// Reports each unused suppression with the fix that removes it.
pub(crate) fn report(text: &str, unused: &[Unused], sink: &mut Sink) {
    for u in unused {
        let listed = u.listed().join(", ");
        let message = match (u.directive.kind, u.whole()) {
            (Kind::Enable, _) => {
                format!("`skill-lsp-enable {listed}` ends no `skill-lsp-disable` of that rule above it")
            }
            (_, true) => format!("This suppression suppresses nothing: {listed} reports nothing where it applies"),
            (_, false) => format!("{listed} reports nothing where this suppression applies"),
        };
        sink.report_fix(u.range(), message, Some(u.removal(text)));
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::fix::apply_fixes;
    use crate::model::SkillDoc;
    use crate::workspace::Workspace;

    fn check(text: &str) -> Vec<crate::Diagnostic> {
        let doc = SkillDoc::parse(text, Some("skills/pdf/SKILL.md".into()));
        crate::analysis::check(&doc, &Workspace::detached(), &Config::default())
    }

    const SKILL: &str =
        "---\nname: pdf\ndescription: Fills PDF forms. Use when a PDF form must be filled.\n---\n\n# PDF\n\nText.\n";

    #[test]
    fn a_used_suppression_hides_the_finding_and_is_not_reported() {
        let text = SKILL.replace(
            "name: pdf\n",
            "name: pdf\n# skill-lsp-disable-next-line SK005\ncolour: red\n",
        );
        let d = check(&text);
        assert!(d.iter().all(|d| d.code != "SK005" && d.code != "SK901"), "{d:?}");
        let bare = SKILL.replace("name: pdf\n", "name: pdf\ncolour: red\n");
        assert!(check(&bare).iter().any(|d| d.code == "SK005"));
    }

    #[test]
    fn an_unused_suppression_is_reported_and_removed() {
        let text = SKILL.replace("Text.\n", "<!-- skill-lsp-disable-next-line SK301 -->\nText.\n");
        let d = check(&text);
        let unused: Vec<_> = d.iter().filter(|d| d.code == "SK901").collect();
        assert_eq!(unused.len(), 1, "{d:?}");
        assert_eq!(
            &text[unused[0].range.start..unused[0].range.end],
            "<!-- skill-lsp-disable-next-line SK301 -->"
        );
        let fix = unused[0].fix.as_ref().unwrap();
        assert_eq!(apply_fixes(&text, [fix]).0, SKILL);
    }
}
