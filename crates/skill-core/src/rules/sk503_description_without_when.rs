//! SK503 `description-without-when`: a description that says what the skill
//! does but not when to use it.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK503",
    name: "description-without-when",
    severity: Severity::Information,
    fix: FixAvailability::None,
    summary: "the `description` does not say when to use the skill",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): that the front
matter `description` says when to use the skill, not only what it does —
read as a phrase such as `Use when ...`, `when the user ...`, `for tasks
that ...`, `if ...` or `triggers on ...`. An empty or missing description is
SK003's or SK004's. The range is the description's value.

## Why it matters

An agent chooses among all installed skills by their descriptions alone,
before reading any body. `Processes PDF files.` leaves it guessing whether
the skill fits; naming the situations, file types and requests that call for
it is what gets the skill used at the right time, and not otherwise.

## Example

Bad:

```yaml
description: Extracts text and tables from PDF files.
```

Good:

```yaml
description: Extracts text and tables from PDF files and fills PDF forms. Use when working with PDF files or when the user mentions forms or document extraction.
```";

/// Phrases that say when a skill applies (matched on lower-case words).
const WHEN_MARKERS: &[&str] = &[
    "when",
    "whenever",
    "use this",
    "use it",
    "use for",
    "use to",
    "used for",
    "used to",
    "use on",
    "if ",
    "for tasks",
    "for requests",
    "trigger",
    "invoke",
    "in case",
    "upon",
    "as soon as",
];

/// Whether a description says when to use the skill.
pub(crate) fn says_when(description: &str) -> bool {
    let lower = format!(" {} ", description.to_lowercase());
    WHEN_MARKERS.iter().any(|m| {
        lower.match_indices(m).any(|(i, _)| {
            // At the start of a word (so `ifc` or `buffer` does not count).
            lower[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(fm) = &ctx.doc.front_matter else { return };
    let Some((description, range)) = fm.str_at(&["description"]) else {
        return;
    };
    if description.trim().is_empty() || says_when(description) {
        return;
    }
    // Claude Code's `when_to_use` says it beside the description.
    if fm.str_at(&["when_to_use"]).is_some_and(|(w, _)| !w.trim().is_empty()) {
        return;
    }
    sink.report(
        range,
        "the description says what the skill does but not when to use it: agents choose a skill by its description alone, so name the situations, file types or requests that call for it (\"Use when ...\")",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::skeleton::testing::{at, run};

    #[test]
    fn when_phrases() {
        assert!(says_when("Fills PDF forms. Use when a PDF is involved."));
        assert!(says_when("Creates .docx files. When Claude needs to edit documents"));
        assert!(says_when("Reviews SQL; triggers on schema changes"));
        assert!(says_when("Formats code if the user asks"));
        assert!(!says_when("Extracts text and tables from PDF files."));
        assert!(!says_when("Tuning for buffers and gifs"), "only whole words");
    }

    #[test]
    fn reports_on_the_value() {
        let text = "---\nname: pdf\ndescription: Extracts text from PDF files.\n---\n";
        let d = run(&RULE, text, "pdf");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "Extracts text from PDF files.");
        assert!(run(&RULE, "---\nname: pdf\ndescription: \"\"\n---\n", "pdf").is_empty());
        let with_when = "---\nname: pdf\ndescription: Extracts text.\nwhen_to_use: A PDF is attached.\n---\n";
        assert!(run(&RULE, with_when, "pdf").is_empty());
    }
}
