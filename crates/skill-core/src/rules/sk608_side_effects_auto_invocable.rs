//! SK608 `side-effects-auto-invocable`: a skill that deploys, deletes,
//! sends or publishes, which the model may invoke on its own.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::yaml::YamlValue;

pub static RULE: Rule = Rule {
    code: "SK608",
    name: "side-effects-auto-invocable",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "a skill with side effects (deploy, delete, send, publish, push...) that the model may invoke on its own",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

A skill whose purpose is an action with effects outside the conversation —
its `description` starts with one of deploy, publish, release, push,
delete, drop, destroy, purge, wipe, send, email, post, notify, submit,
upload, merge, commit, rollback, terminate, uninstall, pay (in any form:
`Deploys`, `Deleting`), not as part of a noun phrase (`Release notes`,
`Commit message`, `Push notifications`) — and whose front matter does not
set `disable-model-invocation: true`. The range is the description. A
description that starts otherwise (`Guide to deploying...`) is not
reported: the rule flags what a skill says it does, not what it is about.

## Why it matters

By default the model decides by itself when a skill applies and invokes
it. `disable-model-invocation: true` keeps the skill from being invoked
automatically: only the user, typing `/skill-name`, starts it; Claude Code's
documentation recommends it precisely for workflows with side effects such
as deploying, committing or sending messages (Claude Code documentation,
Skills, \"Control who invokes a skill\": https://code.claude.com/docs/en/skills).
Without it, a deploy or a message can follow from the model's reading of a
casual remark.

## Example

Bad:

```yaml
name: deploy-production
description: Deploys the current branch to production. Use when the user asks to ship.
```

Good:

```yaml
name: deploy-production
description: Deploys the current branch to production. Use when the user asks to ship.
disable-model-invocation: true
```

## Fix

Adds `disable-model-invocation: true` to the front matter (unsafe: it
changes who may start the skill; other clients ignore the key).";

const VERBS: &[&str] = &[
    "deploy",
    "publish",
    "release",
    "push",
    "delete",
    "drop",
    "destroy",
    "purge",
    "wipe",
    "send",
    "email",
    "post",
    "notify",
    "submit",
    "upload",
    "merge",
    "commit",
    "rollback",
    "terminate",
    "uninstall",
    "pay",
];

/// Words that make a leading verb part of a noun phrase (`Release notes`).
const NOUN_HEADS: &[&str] = &[
    "notes",
    "note",
    "message",
    "messages",
    "notification",
    "notifications",
    "template",
    "templates",
    "management",
    "pipeline",
    "pipelines",
    "strategy",
    "strategies",
    "guide",
    "guidelines",
    "patterns",
    "conventions",
    "format",
    "formatting",
    "history",
    "hooks",
    "checklist",
    "engineering",
    "planning",
    "workflow",
    "workflows",
];

/// The side-effect verb a word is a form of (`Deploys` → `deploy`).
fn verb_of(word: &str) -> Option<&'static str> {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
    VERBS.iter().copied().find(|v| {
        w == *v
            || w.strip_prefix(v).is_some_and(|rest| matches!(rest, "s" | "es" | "ed" | "d" | "ing"))
            // deleting, releasing, uploading: the final `e` dropped.
            || (v.ends_with('e') && w.strip_prefix(&v[..v.len() - 1]).is_some_and(|rest| rest == "ing"))
    })
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(fm) = &ctx.doc.front_matter else { return };
    let Some(root) = &fm.root else { return };
    if root
        .get("disable-model-invocation")
        .is_some_and(|n| matches!(n.value, YamlValue::Bool(true)) || n.as_str() == Some("true"))
    {
        return;
    }
    let Some((description, range)) = fm.str_at(&["description"]) else {
        return;
    };
    let mut words = description.split_whitespace();
    let Some(verb) = words.next().and_then(verb_of) else {
        return;
    };
    // `Release notes ...`, `Commit message ...`, `Push notifications ...`: a noun phrase, not an action.
    if words.next().is_some_and(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
        NOUN_HEADS.contains(&w.as_str())
    }) {
        return;
    }
    let fix = fm.block.close.map(|close| {
        let eol = ctx.doc.eol;
        Fix::unsafe_(
            "Add `disable-model-invocation: true`",
            vec![Edit::insert(
                close.start,
                format!("disable-model-invocation: true{eol}"),
            )],
        )
    });
    sink.report_fix(
        range,
        format!(
            "this skill has side effects (\"{verb}\") and the model may invoke it on its own: a casual remark can set it off; add `disable-model-invocation: true` so that only the user starts it with /{}",
            ctx.doc.name().map_or("skill-name", |(n, _)| n)
        ),
        fix,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_forms() {
        assert_eq!(verb_of("Deploys"), Some("deploy"));
        assert_eq!(verb_of("deleting"), Some("delete"));
        assert_eq!(verb_of("Pushes"), Some("push"));
        assert_eq!(verb_of("Posting"), Some("post"));
        assert_eq!(verb_of("Deployment"), None);
        assert_eq!(verb_of("Reviews"), None);
    }
}
