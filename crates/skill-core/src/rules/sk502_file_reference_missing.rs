//! SK502 `file-reference-missing`: a path into the skill's `scripts/`,
//! `references/` or `assets/` folder, written in the body, names nothing that
//! exists.

use std::path::Path;

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;
use crate::workspace::normalize;

pub static RULE: Rule = Rule {
    code: "SK502",
    name: "file-reference-missing",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a path into the skill's `scripts/`, `references/` or `assets/` names no file",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

/// The folders the standard gives a skill for its bundled files.
pub const BUNDLED_FOLDERS: &[&str] = &["scripts", "references", "assets"];

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): every path into
the skill's own `scripts/`, `references/` or `assets/` folder that the body
names where it is a path — in inline code or a code block
(`python scripts/fill_form.py`), or in plain text when it clearly names a
file (`see references/forms.md`: a file name with an extension) — names a
file or folder that exists, relative to the folder holding `SKILL.md`.
Markdown link targets are SK301's and a link's text names nothing; words in
prose such as \"unlimited references/appendix\" are not paths; paths
holding placeholders, wildcards or runtime variables (`{name}`, `<file>`,
`*.py`, `${CLAUDE_PLUGIN_ROOT}`) are not checked. The range is the path.

## Why it matters

The standard keeps a skill's body short by moving scripts, reference
documents and templates into these folders and naming them in the body; the
agent opens or runs them only when it needs them. A path that names nothing
(a renamed script, a file never added) fails at exactly that moment, in the
middle of the task.

## Example

Bad (the script is called `fill_fields.py`):

```markdown
Run `python scripts/fill_form.py input.pdf values.json`.
```

Good:

```markdown
Run `python scripts/fill_fields.py input.pdf values.json`.
```";

/// A path mentioned in the body, with its range.
pub(crate) struct FileRef {
    pub range: TextRange,
    pub path: String,
}

/// Characters that may stand right before a path: it starts a word.
fn starts_word(prev: Option<char>) -> bool {
    prev.is_none_or(|c| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | '(' | '[' | '=' | '>'))
}

/// Characters that end a path.
fn ends_path(c: char) -> bool {
    c.is_whitespace() || matches!(c, '`' | '"' | '\'' | '(' | ')' | '[' | ']' | '|' | ',' | ';')
}

/// Every path into a bundled folder that the body mentions where it is a
/// path, in text order: in inline code or a code block, or in prose as a
/// clear file name (`scripts/fill.py`: a last segment with an extension).
/// Link destinations are SK301's; a link's text, and prose such as
/// "unlimited references/appendix", name no file.
pub(crate) fn file_refs(text: &str, md: &MdDoc) -> Vec<FileRef> {
    let body_start = md.body_start;
    let mut out = Vec::new();
    let Some(body) = text.get(body_start..) else { return out };
    for i in path_starts(text, body_start) {
        let rest = &body[i..];
        let len = rest.find(ends_path).unwrap_or(rest.len());
        let token = rest[..len].trim_end_matches(['.', ':', '!', '?']);
        // The folder alone (`scripts/`) and paths with placeholders or wildcards are not file names.
        if token.ends_with('/') || token.contains(['{', '}', '<', '>', '*', '$', '#', '%']) {
            continue;
        }
        let start = body_start + i;
        let in_code = md.in_code(start);
        if !in_code && (md.links.iter().any(|l| l.range.contains(start)) || !names_a_file(token)) {
            continue;
        }
        out.push(FileRef {
            range: TextRange::new(start, start + token.len()),
            path: token.to_string(),
        });
    }
    out
}

/// Where in the body (offsets from `body_start`) a word starts with a
/// bundled folder and a `/` (`scripts/`, or `./scripts/`), in order. Found by
/// searching for the folder names, not by testing every character.
fn path_starts(text: &str, body_start: usize) -> Vec<usize> {
    let body = &text[body_start..];
    let prev = |i: usize| text[..body_start + i].chars().next_back();
    let mut starts = Vec::new();
    for folder in BUNDLED_FOLDERS {
        // A vectorised search for `folder/` (`str::match_indices` went byte by byte).
        let finder = memchr::memmem::Finder::new(folder.as_bytes());
        for j in finder.find_iter(body.as_bytes()) {
            if !body[j + folder.len()..].starts_with('/') {
                continue;
            }
            if starts_word(prev(j)) {
                starts.push(j);
            } else if body[..j].ends_with("./") && starts_word(prev(j - 2)) {
                starts.push(j - 2);
            }
        }
    }
    starts.sort_unstable();
    starts
}

/// Whether a path written in prose clearly names a file: its last segment
/// has a short alphanumeric extension (`fill.py`, `forms.md`).
fn names_a_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(dir) = doc.dir() else { return };
    for r in file_refs(&doc.text, &doc.md) {
        let target = normalize(&dir.join(Path::new(&r.path)));
        if ctx.ws.file_exists(&target) {
            continue;
        }
        sink.report(
            r.range,
            format!(
                "`{}` does not exist in the skill's folder: an agent told to open or run it finds nothing, in the middle of the task; add the file or correct the path",
                r.path
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};
    use proptest::prelude::*;

    /// Every character tested as a word start: what `path_starts` finds by searching.
    fn path_starts_char_by_char(text: &str, body_start: usize) -> Vec<usize> {
        let body = &text[body_start..];
        let mut prev = text[..body_start].chars().next_back();
        let mut out = Vec::new();
        for (i, c) in body.char_indices() {
            let word_start = starts_word(prev);
            prev = Some(c);
            let bare = body[i..].strip_prefix("./").unwrap_or(&body[i..]);
            if word_start
                && BUNDLED_FOLDERS
                    .iter()
                    .any(|f| bare.strip_prefix(f).is_some_and(|r| r.starts_with('/')))
            {
                out.push(i);
            }
        }
        out
    }

    proptest! {
        #[test]
        fn searching_finds_what_testing_every_character_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("scripts/"), Just("./"), Just("references"), Just("assets/"), Just("/"),
                    Just(" "), Just("`"), Just("("), Just("x"), Just("é"), Just("."), Just("\n"),
                ],
                0..24,
            ),
            skip in 0usize..4,
        ) {
            let text: String = parts.concat();
            let body_start = text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i);
            prop_assert_eq!(path_starts(&text, body_start), path_starts_char_by_char(&text, body_start));
        }
    }

    #[test]
    fn finds_paths_in_code_and_clear_file_names_in_prose_only() {
        let text = "---\nname: pdf\n---\nRun `python scripts/fill.py in.pdf`, then see references/forms.md.\n\n```bash\n./scripts/check.py out.pdf\n```\n\n[forms](references/forms.md) and [references/guide.md](https://x.org) and https://example.com/scripts/x.py and `scripts/` and `scripts/{name}.py` and myscripts/a.py\n\nUnlimited references/appendix pages; `assets/logo`.\n";
        let doc = crate::SkillDoc::parse(text, Some("pdf/SKILL.md".into()));
        let refs: Vec<&str> = file_refs(text, &doc.md)
            .iter()
            .map(|r| &text[r.range.start..r.range.end])
            .collect();
        assert_eq!(
            refs,
            [
                "scripts/fill.py",
                "references/forms.md",
                "./scripts/check.py",
                "assets/logo"
            ]
        );
    }

    #[test]
    fn reports_paths_that_name_nothing() {
        let dir = test_corpus::scratch_dir("skill-core-sk502");
        let skill = dir.join("pdf");
        std::fs::create_dir_all(skill.join("scripts")).unwrap();
        std::fs::write(skill.join("scripts/fill.py"), "print()\n").unwrap();
        let text = "---\nname: pdf\n---\nRun `python scripts/fill.py` and `python scripts/check.py`.\n";
        let doc = crate::SkillDoc::parse(text, Some(skill.join("SKILL.md")));
        let ws = crate::Workspace::detached();
        let config = crate::Config::default();
        let mut sink = crate::rules::Sink::new(RULE.code, RULE.severity);
        check(&crate::rules::RuleCtx::new(&doc, &ws, &config), &mut sink);
        let d = sink.into_diagnostics();
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "scripts/check.py");
        // Relative to the skill's folder: from elsewhere, both name nothing.
        assert_eq!(run(&RULE, text, "pdf-elsewhere").len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
