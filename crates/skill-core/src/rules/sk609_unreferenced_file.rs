//! SK609 `unreferenced-file`: a file in the skill's folder that nothing in
//! `SKILL.md`, or in a file it mentions, mentions.

use crate::diagnostic::Severity;
use crate::model::anchor;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::workspace::bundle::Bundle;

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
    for rel in unreferenced(&bundle, &doc.text, true) {
        sink.report(
            anchor::skill(doc),
            format!(
                "`{rel}` is in the skill's folder but neither SKILL.md nor any file it mentions refers to it: the agent never opens it; mention it where it is needed, or delete it"
            ),
        );
    }
}

/// The bundled files (paths from the skill's folder) nothing reached from
/// `skill_text` mentions, but for those kept for people and those beside or
/// below a script the skill runs. With `stop_early`, mentions are followed
/// only while a file could still be reported: once every file is reached
/// or kept for one of those reasons, reaching more changes nothing (both
/// only grow), and the texts left are not read.
fn unreferenced<'b>(bundle: &'b Bundle, skill_text: &str, stop_early: bool) -> Vec<&'b str> {
    let files = &bundle.files;
    let reached = if stop_early {
        // Files that may still be reported: not reached, not kept.
        let mut open: Vec<bool> = files.iter().map(|f| !kept_for_people(&f.rel)).collect();
        let mut left = open.iter().filter(|o| **o).count();
        if left == 0 {
            return Vec::new();
        }
        bundle.reachable_until(skill_text, |i| {
            if std::mem::replace(&mut open[i], false) {
                left -= 1;
            }
            if is_code(&files[i].rel) {
                let dir = parent(&files[i].rel);
                for (k, f) in files.iter().enumerate() {
                    if open[k] && under(&f.rel, dir) {
                        open[k] = false;
                        left -= 1;
                    }
                }
            }
            left == 0
        })
    } else {
        bundle.reachable(skill_text)
    };
    // A script the skill runs may load what sits beside or below it (modules,
    // schemas, templates) without naming it: those files are its, not orphans.
    let code_dirs: Vec<&str> = files
        .iter()
        .zip(&reached)
        .filter(|(f, seen)| **seen && is_code(&f.rel))
        .map(|(f, _)| parent(&f.rel))
        .collect();
    files
        .iter()
        .zip(reached)
        .filter(|(f, seen)| !seen && !kept_for_people(&f.rel) && !code_dirs.iter().any(|d| under(&f.rel, d)))
        .map(|(f, _)| f.rel.as_str())
        .collect()
}

/// [`for_people`], or a Python package marker.
fn kept_for_people(rel: &str) -> bool {
    for_people(rel) || rel.ends_with("__init__.py")
}

/// The folder of a path from the skill's folder (`""` at its top).
fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether `rel` is in or below the folder `dir` (`""`: the skill's folder).
fn under(rel: &str, dir: &str) -> bool {
    dir.is_empty() || (rel.len() > dir.len() && rel.starts_with(dir) && rel.as_bytes()[dir.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stopping early reports what following every mention reports, on
    /// every skill folder of the corpus.
    #[test]
    fn stopping_early_reports_what_reaching_every_file_reports() {
        let trees = ["forge", "forge-clean", "agentskills"];
        let root = test_corpus::require(&trees);
        let mut skills = 0;
        for tree in trees {
            for (path, text) in test_corpus::markdown_files(&root.join(tree)) {
                if path.file_name().is_none_or(|n| n != "SKILL.md") {
                    continue;
                }
                // One bundle each: the mentions a reading caches are not shared.
                let early = Bundle::read(path.parent().unwrap());
                let full = Bundle::read(path.parent().unwrap());
                assert_eq!(
                    unreferenced(&early, &text, true),
                    unreferenced(&full, &text, false),
                    "{}",
                    path.display()
                );
                skills += 1;
            }
        }
        assert!(skills > 300, "{skills} skills");
    }
}
