//! SK206 `memory-files-mismatch`: a file listed under `memory.scopes[].files`
//! is not written in the last step, or the last step writes a file not listed.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::diagnostic::Severity;
use crate::model::{SkillDoc, Step};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK206",
    name: "memory-files-mismatch",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a file under `memory.scopes[].files` is not written in the last step, or the last step writes a file not listed",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That the memory files the front matter declares (`memory.scopes[].files`,
or the legacy `memory.files`) are the ones the memory-writing step names:
the last step that calls `memoryStore.update` (or `append`, `create`), else
the last step. A file is named there when a lower-case `name.md` stands in
its text (`project_overview.md`, in code or not); paths, link targets and
placeholders (`{memory_file1}.md`) do not count. Declared files are
reported at their entry in the front matter, undeclared ones where the step
names them. Nothing is reported when the front matter declares no files or
the step names none.

## Why it matters

The front matter tells tools and other skills which memory this skill
keeps; the step tells the agent what to write. When they differ, a file is
promised and never written, or written and unknown to everyone else.

## Example

Bad:

```markdown
memory:
  scopes:
    - type: \"skill-specific\"
      files: [project_overview.md, blueprint_map.md]
...
### Step 6: Update Memory
1. Update memory with `memoryStore.update(\"flask-helper\", \"{project-name}\", ...)`:
   - `project_overview.md`
   - `route_inventory.md`
```

Good: the list and the step name the same files.";

/// The declared memory files: `(file name, range of its entry)`.
fn declared<'d>(doc: &'d SkillDoc) -> Vec<(&'d str, TextRange)> {
    let Some(fm) = &doc.front_matter else { return Vec::new() };
    let mut out = Vec::new();
    let mut take = |node: Option<&'d crate::syntax::yaml::YamlNode>| {
        for item in node.and_then(|n| n.as_seq()).unwrap_or_default() {
            if let Some(s) = item
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty() && !s.contains(['{', '<']))
            {
                out.push((s, item.range));
            }
        }
    };
    if let Some(scopes) = fm.node_at(&["memory", "scopes"]).and_then(|n| n.as_seq()) {
        for scope in scopes {
            take(scope.get("files"));
        }
    }
    take(fm.node_at(&["memory", "files"]));
    out
}

/// The step that writes memory: the last one calling a write method, else the last step.
fn writing_step<'a>(ctx: &RuleCtx<'a>) -> Option<&'a Step> {
    let doc = ctx.doc;
    let wf = doc.workflow.as_ref()?;
    let writes = |s: &Step| {
        let r = s.range(&doc.md);
        doc.calls.iter().any(|c| r.contains(c.range.start) && c.writes_memory())
    };
    wf.steps.iter().rev().find(|s| writes(s)).or(wf.last_step())
}

/// Lower-case `name.md` file names in `range`, with where each first stands.
/// `.md`, searched for through a step's text by one searcher made once.
static MD: LazyLock<memchr::memmem::Finder<'static>> = LazyLock::new(|| memchr::memmem::Finder::new(".md"));

fn named_files(doc: &SkillDoc, range: TextRange) -> Vec<(&str, TextRange)> {
    let text = &doc.text;
    let bytes = text.as_bytes();
    let in_link = |at: usize| {
        doc.md
            .links
            .iter()
            .any(|l| l.dest_range.is_some_and(|d| d.contains(at)))
    };
    let is_name = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-';
    let mut out: Vec<(&str, TextRange)> = Vec::new();
    let step = bytes.get(range.start..range.end).unwrap_or_default();
    // `.md` never overlaps itself: the matches are those of a search resumed after each.
    for found in MD.find_iter(step) {
        let dot = range.start + found;
        if bytes.get(dot + 3).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue; // `.mdx`
        }
        let mut start = dot;
        while start > range.start && is_name(bytes[start - 1]) {
            start -= 1;
        }
        if start == dot {
            continue;
        }
        let before = if start > 0 { bytes[start - 1] } else { b' ' };
        if before.is_ascii_alphanumeric()
            || matches!(before, b'/' | b'\\' | b'{' | b'}' | b'.' | b'<')
            || in_link(start)
        {
            continue; // part of a path, a placeholder or a link target
        }
        let name = &text[start..dot + 3];
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, TextRange::new(start, dot + 3)));
        }
    }
    out
}

fn stem(f: &str) -> &str {
    f.strip_suffix(".md").unwrap_or(f)
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let listed = declared(ctx.doc);
    if listed.is_empty() {
        return;
    }
    let Some(step) = writing_step(ctx) else { return };
    let body = step.range(&ctx.doc.md);
    let written = named_files(ctx.doc, body);
    if written.is_empty() {
        return;
    }
    let written_stems: BTreeSet<&str> = written.iter().map(|(f, _)| stem(f)).collect();
    let listed_stems: BTreeSet<&str> = listed.iter().map(|(f, _)| stem(f)).collect();
    let n = step.number;
    for (file, range) in &listed {
        if !written_stems.contains(stem(file)) {
            sink.report(
                *range,
                format!(
                    "`{file}` is listed under `memory` but step {n}, which updates memory, never names it: the file is promised to other skills and never written; name it in step {n} or drop it from the list"
                ),
            );
        }
    }
    for (file, range) in &written {
        if !listed_stems.contains(stem(file)) {
            sink.report(
                *range,
                format!(
                    "step {n} writes `{file}`, which `memory.scopes[].files` does not list: tools and other skills do not know this memory exists; add it to the list or write a listed file"
                ),
            );
        }
    }
}
