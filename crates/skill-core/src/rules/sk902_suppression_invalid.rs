//! SK902 `suppression-invalid`: a suppression comment that cannot work as written.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::suppressions::{Kind, Place};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink, ALL};

pub static RULE: Rule = Rule {
    code: "SK902",
    name: "suppression-invalid",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary:
        "a `skill-lsp-disable...` comment names no rule, an unknown rule, or uses a form the front matter does not take",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That every suppression comment names at least one rule, that each name is a
rule code (`SK104`) or name (`too-many-steps`) of the catalogue, and that a
comment in the front matter is `# skill-lsp-disable-next-line ...`: the
block and whole-file forms are HTML comments of the body
(`<!-- skill-lsp-disable ... -->`, `<!-- skill-lsp-enable ... -->`,
`<!-- skill-lsp-disable-file ... -->`).

## Why it matters

Such a comment suppresses nothing, silently: the author believes a finding
is accepted while the checker still reports it, or the comment is meant to
hide every rule, which skill-lsp never does (name the rules you accept).

## Example

Bad:

```markdown
<!-- skill-lsp-disable-next-line SK1O4 -->
```

Good:

```markdown
<!-- skill-lsp-disable-next-line SK104 -->
```

## Fix

Replaces an unknown name with the rule code it is closest to, when one is
close. Unsafe: it changes what is suppressed.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for d in ctx.suppressions() {
        if d.place == Place::FrontMatter && d.kind != Kind::NextLine {
            sink.report(
                d.range,
                format!(
                    "`skill-lsp-{}` is not read in the front matter: only `# skill-lsp-disable-next-line` is; \
                     write `<!-- skill-lsp-{} ... -->` in the body instead",
                    d.kind.keyword(),
                    d.kind.keyword()
                ),
            );
            continue;
        }
        if d.names.is_empty() {
            sink.report(
                d.range,
                "This suppression names no rule, so it suppresses nothing: name the rules it accepts (`SK104`, `too-many-steps`)",
            );
            continue;
        }
        for n in d.names.iter().filter(|n| n.rule.is_none()) {
            let closest = ALL
                .iter()
                .map(|r| {
                    let by_code = strsim::levenshtein(&n.text.to_ascii_uppercase(), r.code);
                    let by_name = strsim::levenshtein(&n.text.to_ascii_lowercase(), r.name);
                    (by_code.min(by_name), r)
                })
                .filter(|(dist, _)| *dist <= 2)
                .min_by_key(|(dist, r)| (*dist, r.code))
                .map(|(_, r)| *r);
            let hint = closest.map_or(String::new(), |r| format!("; did you mean {} ({})?", r.code, r.name));
            let fix = closest.map(|r| {
                Fix::unsafe_(
                    format!("Change `{}` to {}", n.text, r.code),
                    vec![Edit::replace(n.range, r.code)],
                )
            });
            sink.report_fix(
                n.range,
                format!(
                    "`{}` is no rule code or name, so nothing is suppressed for it{hint}",
                    n.text
                ),
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    #[test]
    fn unknown_names_empty_comments_and_wrong_forms_are_reported() {
        let text = "---\nname: pdf\n# skill-lsp-disable-file SK005\n---\n\n<!-- skill-lsp-disable-next-line SK1O4, SK301 -->\n<!-- skill-lsp-disable -->\n";
        let d = run(&RULE, text, "pdf");
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(at(text, &d[0]), "# skill-lsp-disable-file SK005");
        assert_eq!(at(text, &d[1]), "SK1O4");
        assert!(fixed(text, &d[1]).contains("disable-next-line SK104, SK301 -->"));
        assert_eq!(at(text, &d[2]), "<!-- skill-lsp-disable -->");
        assert!(run(
            &RULE,
            "---\nname: pdf\n---\n<!-- skill-lsp-disable-file too-many-steps -->\n",
            "pdf"
        )
        .is_empty());
    }
}
