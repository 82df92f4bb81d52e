//! SK609 `unreferenced-file`: a file in the skill's folder that nothing in
//! `SKILL.md`, or in a file it mentions, mentions.

use crate::diagnostic::Severity;
use crate::model::anchor;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK609",
    name: "unreferenced-file",
    severity: Severity::Information,
    fix: FixAvailability::None,
    summary: "a file in the skill's folder that neither `SKILL.md` nor a file it mentions refers to",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): every file in
the skill's folder (sub-folders included, except `evals/` and sub-folders
holding their own `SKILL.md`) is mentioned by `SKILL.md` or, transitively,
by a file `SKILL.md` mentions. A mention is the file's path from the
skill's folder or from the mentioning file's folder, its file name, its
name without extension (a module imported by a script), a folder holding it
(`references/`) or a wildcard matching it (`scripts/*.py`). Licence, readme,
changelog and notice files, dot-files, Python package markers
(`__init__.py`), files in or below the folder of a script the skill runs
(a script loads its modules, schemas and templates without the skill
naming them) and `agents/openai.yaml` (a skill's
listing for OpenAI Codex, read by the client, not the agent) are not
reported. One finding per
file, on the skill's `name`.

## Why it matters

An agent finds a bundled file only through the skill's text: a file nothing
mentions is never read or run. Either the skill is missing an instruction
(the reference the author meant the agent to consult) or the file is left
over and ships to everyone who installs the skill, where nobody reviews it.

## Example

Bad: `references/api.md` exists, and `SKILL.md` says nothing about it.

Good:

```markdown
For the full list of endpoints, read `references/api.md`.
```

## Fix

Mention the file where the agent needs it, or delete it.";

/// Files a skill's folder holds for people and tools, not for the agent.
fn for_people(rel: &str) -> bool {
    // `agents/openai.yaml`: the skill's listing for OpenAI Codex (display name, icon), read by the client.
    if rel.starts_with("evals/") || rel == "agents/openai.yaml" {
        return true;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_uppercase();
    ["LICENSE", "LICENCE", "README", "CHANGELOG", "NOTICE", "COPYING"]
        .iter()
        .any(|p| name.starts_with(p))
}

fn is_code(rel: &str) -> bool {
    const EXT: &[&str] = &[
        ".py", ".js", ".mjs", ".cjs", ".ts", ".sh", ".rb", ".pl", ".ps1", ".go", ".rs",
    ];
    EXT.iter().any(|e| rel.ends_with(e))
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(dir) = doc.dir() else { return };
    let bundle = ctx.ws.bundle(dir);
    if bundle.files.is_empty() {
        return;
    }
    let reached = bundle.reachable(&doc.text);
    // A script the skill runs may load what sits beside or below it (modules,
    // schemas, templates) without naming it: those files are its, not orphans.
    let code_dirs: Vec<&str> = bundle
        .files
        .iter()
        .zip(&reached)
        .filter(|(f, seen)| **seen && is_code(&f.rel))
        .map(|(f, _)| f.rel.rsplit_once('/').map_or("", |(d, _)| d))
        .collect();
    for (file, seen) in bundle.files.iter().zip(reached.iter().copied()) {
        if seen || for_people(&file.rel) || file.rel.ends_with("__init__.py") {
            continue;
        }
        if code_dirs
            .iter()
            .any(|d| d.is_empty() || file.rel.starts_with(&format!("{d}/")))
        {
            continue;
        }
        sink.report(
            anchor::skill(doc),
            format!(
                "`{}` is in the skill's folder but neither SKILL.md nor any file it mentions refers to it: the agent never opens it; mention it where it is needed, or delete it",
                file.rel
            ),
        );
    }
}
