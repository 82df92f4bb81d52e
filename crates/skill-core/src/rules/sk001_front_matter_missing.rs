//! SK001 `front-matter-missing`: no front matter block at the top of the file, or one that is never closed.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{FrontMatter, SkillDoc};
use crate::profile::Profile;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::frontmatter::commented_out_line;
use crate::syntax::yaml::{self, YamlLimits};
use crate::text::{line_range_at, TextRange};

pub static RULE: Rule = Rule {
    code: "SK001",
    name: "front-matter-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "no front matter block at the top of the file, or one that is never closed",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That `SKILL.md` starts with a front matter block: a `---` line on the very
first line, YAML, and a closing `---` (or `...`) line.

A block that is never closed is reported on the line where its YAML most
likely ends — the last line that reads as YAML before the Markdown starts —
not on line 1. A common damage is an editor that deletes the closing `---`
and turns the last YAML line into a heading (`##       usage: \"reference\"`);
that line is named in the message.

## Why it matters

Agents find a skill by its front matter: without `name` and `description`
the skill is not listed, or is listed under a guessed name with body text as
its description. An unclosed block makes loaders read the Markdown as YAML
(and fail), so the whole front matter is lost.

## Example

Bad (closing line lost, last line turned into a heading):

```markdown
---
name: dev-tools
tags:
  - workflow
##   - productivity

# skill:dev-tools - Developer Workflow Orchestrator
```

Good:

```markdown
---
name: dev-tools
tags:
  - workflow
  - productivity
---

# skill:dev-tools - Developer Workflow Orchestrator
```

## Fix

- Unclosed block: inserts the closing `---` after the last YAML line; when
  that line was turned into a heading, also removes the `## ` in front of it.
  Safe when the repaired YAML reads without errors.
- No block: inserts a skeleton (`name` from the folder, a `description`
  placeholder, `version` from the Version History or `1.0.0`). Unsafe: the
  description must be written by the author.
- A block that starts after blank lines: removes the blank lines (safe).

A file with no front matter at all, in a folder named after another skill
of the repository, is a fragment of that skill: SK510 says so instead.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    match &doc.front_matter {
        // A fragment of another skill of the repository is SK510's.
        None if ctx.ws.names.fragment_of(doc).is_some() => {}
        None => missing(doc, ctx.profile(), sink),
        Some(fm) if fm.block.close.is_none() => unclosed(doc, fm, sink),
        Some(_) => {}
    }
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// No block at the top: maybe one that starts after blank lines, else none at all.
fn missing(doc: &SkillDoc, profile: Profile, sink: &mut Sink) {
    let text = &*doc.text;
    let start = bom_len(text);
    let le = doc.eol;
    let rest = &text[start..];
    let leading_blank = rest.len() - rest.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let after = start + leading_blank;
    let first = line_range_at(text, after);
    // Back up to the start of the line: the blank lines end at a line start.
    let blanks_end = first.start;
    if blanks_end > start && text[first.start..first.end].trim_end() == "---" {
        let fix = Fix::safe(
            "Remove the blank lines above the front matter",
            vec![Edit::delete(TextRange::new(start, blanks_end))],
        );
        sink.report_fix(
            first,
            format!(
                "The front matter starts on line {} instead of the first line, so it is read as Markdown (a horizontal rule) and the skill has no name or description; remove the blank lines above it",
                doc.line_index.line_of(first.start) + 1
            ),
            Some(fix),
        );
        return;
    }
    let range = if first.is_empty() {
        TextRange::empty(start)
    } else {
        first
    };
    // The keys the profile's schema requires, in schema order.
    let schema = crate::schema::for_profile(profile);
    let mut skeleton = format!("---{le}");
    let mut required = Vec::new();
    for key in schema.keys_at(&[]).into_iter().filter(|k| k.required) {
        skeleton.push_str(&format!("{}: {}{le}", key.key, schema.placeholder(&[&key.key], doc)));
        required.push(format!("`{}`", key.key));
    }
    skeleton.push_str(&format!("---{le}{le}"));
    let fix = Fix::unsafe_("Insert a front matter skeleton", vec![Edit::insert(start, skeleton)]);
    let keys = match required.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => required.join(""),
    };
    sink.report_fix(
        range,
        format!("This file has no front matter: a skill starts with a `---` block holding at least {keys}, which agents read to find and choose the skill; add one at the top"),
        Some(fix),
    );
}

/// A block whose closing `---` is missing.
fn unclosed(doc: &SkillDoc, fm: &FrontMatter, sink: &mut Sink) {
    let text = &*doc.text;
    let block = &fm.block;
    let le = doc.eol;
    let yaml_text = &text[block.yaml.start..block.yaml.end];
    let close = if yaml_text.is_empty() || yaml_text.ends_with('\n') {
        format!("---{le}")
    } else {
        format!("{le}---{le}")
    };
    let close_edit = Edit::insert(block.yaml.end, close);
    let open_line = doc.line_index.line_of(block.open.start) + 1;

    if let Some(prefix) = commented_out_line(text, block) {
        let line = line_range_at(text, prefix.start);
        let restored = shorten(text[prefix.end..line.end].trim(), 60);
        let edits = vec![Edit::delete(prefix), close_edit];
        let title = "Restore the last front matter line and close the block";
        let fix = if repaired_yaml_reads_cleanly(text, fm, prefix) {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        };
        sink.report_fix(
            line,
            format!(
                "The front matter opened on line {open_line} is never closed: its last line `{restored}` was turned into a Markdown heading (`{}`) and the closing `---` is missing, so loaders read the Markdown as YAML and lose the whole front matter; restore the line and add `---` after it",
                text[prefix.start..prefix.end].trim_end()
            ),
            Some(fix),
        );
        return;
    }

    // The last line that holds YAML, else the opening `---`.
    let trimmed = yaml_text.trim_end();
    let range = if trimmed.trim().is_empty() {
        block.open
    } else {
        line_range_at(text, block.yaml.start + trimmed.len())
    };
    let what = if block.body_start < text.len() {
        "so the Markdown after it is read as YAML"
    } else {
        "so the whole file is read as YAML"
    };
    sink.report_fix(
        range,
        format!(
            "The front matter opened on line {open_line} is never closed, {what} and loaders lose the whole front matter; add a `---` line after this one"
        ),
        Some(Fix::safe("Close the front matter block", vec![close_edit])),
    );
}

/// At most `max` characters, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Whether the YAML, with the heading prefix removed, parses without new
/// errors. The errors before are the model's own: the document's front
/// matter was parsed with the same limits, so it is not parsed again.
fn repaired_yaml_reads_cleanly(text: &str, fm: &FrontMatter, prefix: TextRange) -> bool {
    let yaml = fm.block.yaml;
    let mut repaired = String::with_capacity(yaml.len());
    repaired.push_str(&text[yaml.start..prefix.start]);
    repaired.push_str(&text[prefix.end..yaml.end]);
    let (_, errors) = yaml::parse(&repaired, TextRange::new(0, repaired.len()), YamlLimits::default());
    errors.iter().filter(|e| !e.recovered).count() <= fm.errors.iter().filter(|e| !e.recovered).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{apply_fixes, Applicability};
    use crate::{Config, Workspace};

    fn run(text: &str, path: &str) -> Vec<crate::Diagnostic> {
        let doc = SkillDoc::parse(text, Some(path.into()));
        let ws = Workspace::detached();
        // The workflow format's keys; a skill on its own may read as the standard's.
        let config = Config {
            profile: Some(crate::Profile::Workflow),
            ..Config::default()
        };
        let ctx = RuleCtx::new(&doc, &ws, &config);
        let mut sink = Sink::new(RULE.code, RULE.severity);
        check(&ctx, &mut sink);
        sink.into_diagnostics()
    }

    #[test]
    fn damaged_last_line_is_restored_and_closed() {
        let text = "---\nname: demo\ntags:\n  - a\n##   - b\n\n# Demo\n\nText.\n";
        let d = run(text, "skills/demo/SKILL.md");
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].range.start..d[0].range.end], "##   - b");
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Safe);
        let (fixed, _) = apply_fixes(text, [fix]);
        assert_eq!(fixed, "---\nname: demo\ntags:\n  - a\n  - b\n---\n\n# Demo\n\nText.\n");
    }

    #[test]
    fn unclosed_without_damage_points_at_the_last_yaml_line() {
        let text = "---\r\nname: demo\r\ndescription: x\r\n\r\n# Demo\r\n\r\nText.\r\n";
        let d = run(text, "skills/demo/SKILL.md");
        assert_eq!(&text[d[0].range.start..d[0].range.end], "description: x");
        let (fixed, _) = apply_fixes(text, [d[0].fix.as_ref().unwrap()]);
        assert!(fixed.starts_with("---\r\nname: demo\r\ndescription: x\r\n---\r\n\r\n# Demo"));
    }

    #[test]
    fn no_front_matter_gets_a_skeleton() {
        let text = "# Demo\n\nText.\n";
        let d = run(text, "skills/demo/SKILL.md");
        assert_eq!(d[0].range, TextRange::new(0, 6));
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        let (fixed, _) = apply_fixes(text, [fix]);
        assert!(fixed.starts_with("---\nname: demo\ndescription: \"TODO"), "{fixed}");
        assert!(fixed.ends_with("version: \"1.0.0\"\n---\n\n# Demo\n\nText.\n"));
        assert!(run("", "skills/demo/SKILL.md")[0].range.is_empty());
    }

    #[test]
    fn front_matter_after_blank_lines() {
        let text = "\n\n---\nname: demo\n---\n# Demo\n";
        let d = run(text, "skills/demo/SKILL.md");
        assert_eq!(&text[d[0].range.start..d[0].range.end], "---");
        let (fixed, _) = apply_fixes(text, [d[0].fix.as_ref().unwrap()]);
        assert_eq!(fixed, "---\nname: demo\n---\n# Demo\n");
    }

    /// Every damaged skill of the corpus: the fix gives back the front
    /// matter of the same skill before the damage, byte for byte.
    #[test]
    fn corpus_fix_restores_the_clean_front_matter() {
        let (Some(forge), Some(clean)) = (
            crate::testing::corpus::root("forge"),
            crate::testing::corpus::root("forge-clean"),
        ) else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(forge.join("skills")) else {
            return;
        };
        let mut repaired = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let broken_path = entry.path().join("SKILL.md");
            let (Ok(broken), Ok(clean)) = (
                std::fs::read_to_string(&broken_path),
                std::fs::read_to_string(clean.join("skills").join(&name).join("SKILL.md")),
            ) else {
                continue;
            };
            let d = run(&broken, &broken_path.to_string_lossy());
            let Some(fix) = d.first().and_then(|d| d.fix.as_ref()) else {
                continue;
            };
            if !broken.starts_with("---") {
                continue; // no front matter: a skeleton, not a repair
            }
            assert_eq!(fix.applicability, Applicability::Safe, "{name:?}");
            let (fixed, _) = apply_fixes(&broken, [fix]);
            let block_end = |t: &str| {
                crate::syntax::frontmatter::locate(t)
                    .and_then(|b| b.close)
                    .map(|c| c.end)
            };
            let (Some(a), Some(b)) = (block_end(&fixed), block_end(&clean)) else {
                panic!("{name:?} not closed")
            };
            assert_eq!(fixed[..a], clean[..b], "{name:?}");
            repaired += 1;
        }
        assert!(repaired == 0 || repaired >= 59, "only {repaired} repaired");
    }

    #[test]
    fn a_closed_block_is_fine() {
        assert!(run("---\nname: demo\n---\n# Demo\n", "skills/demo/SKILL.md").is_empty());
    }
}
