//! SK123 `placeholder-left`: placeholder text left in (`[TODO ...]`, `{skill-name}` in a value, the blanks skill-lsp writes).

use crate::authoring::blanks::BLANKS;
use crate::content::candidates::Candidates;
use crate::diagnostic::Severity;
use crate::model::SkillDoc;
use crate::rules::{in_block, Block, BlockRule, FixAvailability, Rule, RuleCtx, Sink};
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::TextRange;
use crate::workspace::links::runtime_variable_len;

pub static RULE: Rule = Rule {
    code: "SK123",
    name: "placeholder-left",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "placeholder text left in (`[TODO ...]`, `{skill-name}` in a value, `{Core Action Name}`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Template placeholders nobody filled in:

- `[TODO ...]` anywhere in the body outside code;
- a `{...}` placeholder in a front matter value (`name: {skill-name}`,
  `primary_domain: \"{domain-name}\"`);
- `{skill-name}` where the skill's own name belongs: the title, or the name
  part of a `/claudedocs/` output path;
- the blanks skill-lsp itself writes for the author to fill in, in the body
  outside fenced code: `{Core Action Name}`, `{Describe the purpose of this
  step}`, `{Describe the core action of this step}`, `{Validation
  criterion}` (the step skeletons of `skill-lsp new`, completion and the
  fixes that insert steps), `{Describe the changes}` (the Version History
  entry SK401 adds), `{Explain what this skill does and when to use it}`
  (the Purpose section SK121 adds). A skill fresh from `skill-lsp new` has
  no errors; its warnings name each blank, so `check --strict` fails until
  they are filled. (`skillInvoker.invoke(\"{skill-name}\", params)`, which the
  step writer also leaves, is not reported: skills write it on purpose when
  they tell how to invoke skills in general.)

Placeholders that stand for values known only at run time —
`{project-name}`, `{project}`, `{YYYY-MM-DD}` in calls and paths — are the
convention, not left-overs, and are not reported; nor are the variables
clients fill in when they load a skill (`{baseDir}`, `${CLAUDE_SKILL_DIR}`,
`${CLAUDE_PLUGIN_ROOT}` in `allowed-tools` or `hooks`); nor is `{skill-name}` in
prose about other skills (`skills/{skill-name}/SKILL.md`). The range is the
placeholder.

## Why it matters

An agent reads placeholders literally: it stores memory under
`{skill-name}`, or tells the user the skill's purpose is \"[TODO: Add purpose
description]\".

## Example

Bad:

```markdown
## Purpose

[TODO: Add purpose description]
```

Good:

```markdown
## Purpose

Modern FastAPI development guidance for high-performance async APIs.
```";

pub static BLOCKS: BlockRule = BlockRule {
    code: RULE.code,
    check_block,
};

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    ctx.each_block(sink, check_block);
}

/// A placeholder never holds a line break, so it lies in one block; the
/// front matter's are found in the first. Outside the front matter every
/// placeholder is a `[TODO` or holds a `{` in its block: most blocks hold
/// neither, and are passed over on one look at what the block holds
/// ([`placeholders_in`] reads every block, the tests' oracle).
fn check_block(ctx: &RuleCtx, at: Block, sink: &mut Sink) {
    if at.range.start >= ctx.doc.md.body_start && !ctx.block_has(at, Candidates::TODO | Candidates::BRACE) {
        return;
    }
    placeholders_in(ctx, at, sink);
}

/// Reports the placeholders in `at`.
fn placeholders_in(ctx: &RuleCtx, at: Block, sink: &mut Sink) {
    let block = at.range;
    let doc = ctx.doc;
    let front_matter = block.start < doc.md.body_start;
    let scan = |kind, find: fn(&SkillDoc, TextRange) -> Vec<TextRange>| {
        if ctx.block_has(at, kind) {
            find(doc, block)
        } else {
            Vec::new()
        }
    };
    for range in scan(Candidates::TODO, todos) {
        sink.report(
            range,
            format!(
                "`{}` is a placeholder left in: an agent reads it as the skill's content; write what belongs here",
                doc.slice(range)
            ),
        );
    }
    if let Some(root) = doc
        .front_matter
        .as_ref()
        .and_then(|f| f.root.as_ref())
        .filter(|_| front_matter)
    {
        let mut found = Vec::new();
        yaml_placeholders(doc, root, &mut found);
        for range in found {
            sink.report(
                range,
                format!(
                    "`{}` is a template placeholder left in the front matter: tools and agents take it as the real value; replace it",
                    doc.slice(range)
                ),
            );
        }
    }
    for h in in_block(&doc.md.headings, |h| h.range, block)
        .iter()
        .filter(|h| h.level == 1)
    {
        if let Some(i) = doc.slice(h.content_range).find("{skill-name}") {
            let start = h.content_range.start + i;
            sink.report(
                TextRange::new(start, start + "{skill-name}".len()),
                "the title still says `{skill-name}`: write the skill's name or title",
            );
        }
    }
    for range in scan(Candidates::BRACE, blanks) {
        sink.report(
            range,
            format!(
                "`{}` is a blank skill-lsp wrote for you to fill in: an agent reads it as the skill's content; write what belongs here",
                doc.slice(range)
            ),
        );
    }
    for p in in_block(&doc.output_paths, |p| p.range, block)
        .iter()
        .filter(|p| p.name == "{skill-name}")
    {
        sink.report(
            p.name_range,
            "this output path still names `{skill-name}`: outputs are found by the skill's name, so write the name itself",
        );
    }
}

/// `[TODO ...]` outside code, up to its closing bracket on the same line.
fn todos(doc: &SkillDoc, block: TextRange) -> Vec<TextRange> {
    let text = &doc.text[..block.end];
    let start = doc.md.body_start.max(block.start).min(text.len());
    let mut out = Vec::new();
    // A vectorised search over the body (`str::find` went byte by byte).
    for i in memchr::memmem::find_iter(&text.as_bytes()[start..], b"[TODO") {
        let at = start + i;
        let in_code = doc.md.in_code(at);
        if in_code {
            continue;
        }
        let line_end = text[at..].find('\n').map_or(text.len(), |j| at + j);
        let end = text[at..line_end].find(']').map_or(line_end, |j| at + j + 1);
        let end = text[..end].trim_end_matches('\r').len().max(at + 5);
        out.push(TextRange::new(at, end));
    }
    out
}

/// The blanks skill-lsp writes ([`BLANKS`]) left in the body, outside fenced
/// code (where a skill may show the tool's output as an example). Every
/// blank starts with `{` and a capital letter: one search for that byte,
/// not one pass per blank, and the blanks compared only after such a pair
/// (the blocks holding a `{` are mostly code: JSON, templates, `${...}`).
fn blanks(doc: &SkillDoc, block: TextRange) -> Vec<TextRange> {
    let text = &doc.text[..block.end];
    let start = doc.md.body_start.max(block.start).min(text.len());
    memchr::memchr_iter(b'{', &text.as_bytes()[start..])
        .filter_map(|i| {
            let at = start + i;
            if !text.as_bytes().get(at + 1).is_some_and(u8::is_ascii_uppercase) {
                return None;
            }
            let b = BLANKS.iter().find(|b| text[at..].starts_with(*b))?;
            Some(TextRange::new(at, at + b.len()))
        })
        .filter(|r| !doc.md.in_code_block(r.start))
        .collect()
}

/// `{...}` placeholders in the front matter's string values.
fn yaml_placeholders(doc: &SkillDoc, node: &YamlNode, out: &mut Vec<TextRange>) {
    match &node.value {
        YamlValue::String(s) if s.contains('{') && s.contains('}') => {
            let raw = doc.slice(node.range);
            let mut from = 0;
            while let Some(i) = raw[from..].find('{') {
                let open = from + i;
                let Some(len) = raw[open..].find('}') else { break };
                let inner = &raw[open + 1..open + len];
                from = open + len + 1;
                // `${CLAUDE_PLUGIN_ROOT}`, `{baseDir}`: filled in by the client at run time.
                let runtime = runtime_variable_len(raw, open).is_some()
                    || (open > 0 && runtime_variable_len(raw, open - 1).is_some());
                if !runtime && !inner.is_empty() && !inner.contains(['{', '"', '\'', ':', ',']) {
                    out.push(TextRange::new(
                        node.range.start + open,
                        node.range.start + open + len + 1,
                    ));
                }
            }
        }
        // `name: {skill-name}` unquoted is a flow map with one key and no value.
        YamlValue::Map(entries)
            if doc.slice(node.range).starts_with('{')
                && entries.len() == 1
                && matches!(entries[0].value.value, YamlValue::Null) =>
        {
            out.push(node.range);
        }
        YamlValue::Seq(items) => items.iter().for_each(|n| yaml_placeholders(doc, n, out)),
        YamlValue::Map(entries) => entries.iter().for_each(|e| yaml_placeholders(doc, &e.value, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    /// The blocks passed over hold no placeholder: on the corpus, every
    /// block's findings are those of reading it whole.
    #[test]
    fn passing_over_blocks_finds_what_reading_every_block_finds() {
        let Some(corpus) = test_corpus::holding(&["forge", "agentskills"]) else {
            return;
        };
        let ws = crate::Workspace::detached();
        let config = crate::Config::default();
        let mut found = 0;
        for (path, text) in test_corpus::markdown_files(&corpus) {
            let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
            let ctx = RuleCtx::new(&doc, &ws, &config);
            for (index, &range) in ctx.blocks().iter().enumerate() {
                let block = Block { range, index };
                let (mut fast, mut whole) = (Sink::new(RULE.code, RULE.severity), Sink::new(RULE.code, RULE.severity));
                check_block(&ctx, block, &mut fast);
                placeholders_in(&ctx, block, &mut whole);
                let whole = whole.into_diagnostics();
                found += whole.len();
                assert_eq!(fast.into_diagnostics(), whole, "{}", path.display());
            }
        }
        assert!(found > 0, "the corpus holds placeholders");
    }

    /// Each blank the step writer and the fixes write is reported where it
    /// stands; the same text in a fenced example is not, nor are the
    /// format's own `{project-name}` and `{YYYY-MM-DD}`.
    #[test]
    fn the_blanks_skill_lsp_writes_are_reported() {
        let text = "---\nname: demo\ndescription: Demo. Use when asked.\n---\n# Demo\n\n### Step 4: {Core Action Name}\n\n**Purpose**: {Describe the purpose of this step}\n\n**Actions**:\n1. {Describe the core action of this step}\n2. Call `skillInvoker.invoke(\"{skill-name}\", params)` and `memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`\n3. Write `/claudedocs/demo_{project}_{YYYY-MM-DD}.md`\n\n**Validation**:\n- [ ] {Validation criterion}\n\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-01 | {Describe the changes} |\n\n```markdown\n### Step 4: {Core Action Name}\n```\n";
        let d = run(&RULE, text, "demo");
        let got: Vec<&str> = d.iter().map(|d| at(text, d)).collect();
        assert_eq!(
            got,
            [
                "{Core Action Name}",
                "{Describe the purpose of this step}",
                "{Describe the core action of this step}",
                "{Validation criterion}",
                "{Describe the changes}",
            ]
        );
        assert!(d[0].message.contains("blank skill-lsp wrote"), "{}", d[0].message);
    }

    #[test]
    fn every_blank_starts_with_a_brace_and_a_capital_letter() {
        for b in BLANKS {
            assert!(b.starts_with('{') && b.as_bytes()[1].is_ascii_uppercase(), "{b}");
        }
    }

    #[test]
    fn runtime_variables_are_no_placeholders() {
        let text = "---\nname: demo\ndescription: Demo. Use when asked.\nallowed-tools: Bash(${CLAUDE_PLUGIN_ROOT}/scripts/run.sh *) Bash({baseDir}/x.sh)\n---\n# Demo\n";
        assert!(run(&RULE, text, "demo").is_empty());
    }

    #[test]
    fn finds_left_over_placeholders() {
        let text = "---\nname: demo\ndescription: {Brief description}\ncontext:\n  primary_domain: \"{domain-name}\"\n---\n# {skill-name}\n\n## Purpose\n\n[TODO: Add purpose description]\n\nWrite `/claudedocs/{skill-name}_{project}_{YYYY-MM-DD}.md`.\n";
        let d = run(&RULE, text, "demo");
        let mut got: Vec<_> = d.iter().map(|d| at(text, d)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "[TODO: Add purpose description]",
                "{Brief description}",
                "{domain-name}",
                "{skill-name}",
                "{skill-name}"
            ]
        );
    }

    #[test]
    fn run_time_placeholders_and_prose_about_other_skills_are_fine() {
        let text = "---\nname: demo\n---\n# Demo\n\nLoad `memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`.\nWrite `/claudedocs/demo_{project}_{YYYY-MM-DD}.md`.\nCreate `skills/{skill-name}/SKILL.md`.\n```\n[TODO] in code\n```\n";
        assert!(run(&RULE, text, "demo").is_empty());
    }
}
