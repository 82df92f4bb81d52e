//! SK122 `title-count`: no H1 title, or more than one.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::line_range_at;

pub static RULE: Rule = Rule {
    code: "SK122",
    name: "title-count",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "no H1 title, or more than one",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the body has exactly one H1 title (`# FastAPI Framework Expert`).
With none, the range is the first line of the body; with several, each
H1 after the first.

## Why it matters

The title is how the skill is shown in lists and outlines; a second H1
splits the document in two for every tool that reads its structure, and
is often a `# comment` from a shell snippet that lost its code fence.

## Example

Bad:

```markdown
# FastAPI Expert
...
# Run the server
```

Good:

```markdown
# FastAPI Expert
...
## Run the server
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let titles: Vec<_> = doc.md.headings.iter().filter(|h| h.level == 1).collect();
    match titles.as_slice() {
        [] => {
            let start = doc.md.body_start;
            let first = doc
                .text
                .get(start..)
                .and_then(|b| b.find(|c: char| !c.is_whitespace()))
                .map_or(start, |i| start + i);
            sink.report(
                line_range_at(&doc.text, first),
                "this skill has no `# Title`: the title is how the skill is shown in lists and outlines; start the body with one H1",
            );
        }
        [first, rest @ ..] => {
            for h in rest {
                sink.report(
                    h.range,
                    format!(
                        "a second H1 title, after `# {}`: a skill has one title, and a second splits its outline in two; make this an `##` heading (or put a shell comment back in its code block)",
                        first.text
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn none_or_several() {
        let text = "---\nname: t\n---\n\nIntro.\n## A\n";
        let d = run(&RULE, text, "t");
        assert_eq!(at(text, &d[0]), "Intro.");
        let text = "# T\n\n```sh\n# fine\n```\n\n# Again\n";
        let d = run(&RULE, text, "t");
        assert_eq!(d.iter().map(|d| at(text, d)).collect::<Vec<_>>(), ["# Again"]);
        assert!(run(&RULE, "# T\n\n## A\n", "t").is_empty());
    }
}
