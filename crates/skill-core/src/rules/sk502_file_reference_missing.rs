//! SK502 `file-reference-missing`: a path into the skill's `scripts/`,
//! `references/` or `assets/` folder, written in the body, names nothing that
//! exists.

use std::path::Path;

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
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
mentions — in inline code, a code block or plain text, such as
`python scripts/fill_form.py` or `see references/forms.md` — names a file
or folder that exists, relative to the folder holding `SKILL.md`. Markdown
links are SK301's; paths holding placeholders or wildcards (`{name}`,
`<file>`, `*.py`) are not checked. The range is the path.

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

/// Every path into a bundled folder that the body mentions outside link
/// destinations, in text order.
pub(crate) fn file_refs(text: &str, body_start: usize) -> Vec<FileRef> {
    let mut out = Vec::new();
    let Some(body) = text.get(body_start..) else { return out };
    let mut prev: Option<char> = text.get(..body_start).and_then(|t| t.chars().next_back());
    let mut before_prev: Option<char> = None;
    for (i, c) in body.char_indices() {
        let word_start = starts_word(prev);
        let in_link_dest = prev == Some('(') && before_prev == Some(']');
        before_prev = prev;
        prev = Some(c);
        if !word_start || in_link_dest || !matches!(c, 's' | 'r' | 'a' | '.') {
            continue;
        }
        let rest = &body[i..];
        let bare = rest.strip_prefix("./").unwrap_or(rest);
        if !BUNDLED_FOLDERS
            .iter()
            .any(|f| bare.strip_prefix(f).is_some_and(|r| r.starts_with('/')))
        {
            continue;
        }
        let len = rest.find(ends_path).unwrap_or(rest.len());
        let token = rest[..len].trim_end_matches(['.', ':', '!', '?']);
        // The folder alone (`scripts/`) and paths with placeholders or wildcards are not file names.
        if token.ends_with('/') || token.contains(['{', '}', '<', '>', '*', '$', '#', '%']) {
            continue;
        }
        let start = body_start + i;
        out.push(FileRef {
            range: TextRange::new(start, start + token.len()),
            path: token.to_string(),
        });
    }
    out
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(dir) = doc.dir() else { return };
    for r in file_refs(&doc.text, doc.md.body_start) {
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

    #[test]
    fn finds_paths_in_code_and_prose_but_not_in_links_or_urls() {
        let text = "---\nname: pdf\n---\nRun `python scripts/fill.py in.pdf`, then see references/forms.md.\n\n```bash\n./scripts/check.py out.pdf\n```\n\n[forms](references/forms.md) and https://example.com/scripts/x.py and `scripts/` and `scripts/{name}.py` and myscripts/a.py\n";
        let refs: Vec<&str> = file_refs(text, 17)
            .iter()
            .map(|r| &text[r.range.start..r.range.end])
            .collect();
        assert_eq!(refs, ["scripts/fill.py", "references/forms.md", "./scripts/check.py"]);
    }

    #[test]
    fn reports_paths_that_name_nothing() {
        let dir = std::env::temp_dir().join(format!("skill-core-sk502-{}", std::process::id()));
        let skill = dir.join("pdf");
        std::fs::create_dir_all(skill.join("scripts")).unwrap();
        std::fs::write(skill.join("scripts/fill.py"), "print()\n").unwrap();
        let text = "---\nname: pdf\n---\nRun `python scripts/fill.py` and `python scripts/check.py`.\n";
        let doc = crate::SkillDoc::parse(text, Some(skill.join("SKILL.md")));
        let ws = crate::Workspace::detached();
        let config = crate::Config::default();
        let mut sink = crate::rules::Sink::new(RULE.code, RULE.severity);
        check(
            &crate::rules::RuleCtx {
                doc: &doc,
                ws: &ws,
                config: &config,
            },
            &mut sink,
        );
        let d = sink.into_diagnostics();
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "scripts/check.py");
        // Relative to the skill's folder: from elsewhere, both name nothing.
        assert_eq!(run(&RULE, text, "pdf-elsewhere").len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
