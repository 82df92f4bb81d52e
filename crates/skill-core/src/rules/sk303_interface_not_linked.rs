//! SK303 `interface-not-linked`: an interface used in the body but not linked under Interface References.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::SkillDoc;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::{lowercase_contains, TextRange};
use crate::workspace::catalogue::{doc_file_name, interface_title, RECEIVERS};
use crate::workspace::links;

pub static RULE: Rule = Rule {
    code: "SK303",
    name: "interface-not-linked",
    severity: Severity::Warning,
    fix: FixAvailability::Safe,
    summary: "an interface used in the body but not linked under Interface References",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every interface the skill calls (`memoryStore`, `contextProvider`,
`skillInvoker`, `executionContext`, mentions included) is referenced in its
`Interface References` section: a link to `interfaces/<document>.md`, or the
document's path in code. Skills without the section are left to SK121. The
range is the first call of the interface.

## Why it matters

The section is where agents and people look up what the interface's methods
take and return. An interface used but not listed there sends them
searching, or guessing.

## Example

Bad (the body calls `skillInvoker.invoke(...)`):

```markdown
## Interface References
- **Context**: Loaded via [ContextProvider Interface](../../interfaces/context_provider.md)
```

Good:

```markdown
## Interface References
- **Context**: Loaded via [ContextProvider Interface](../../interfaces/context_provider.md)
- **Skills**: Delegated via [SkillInvoker Interface](../../interfaces/skill_invoker.md)
```

## Fix

Adds the link as a list item at the end of the section, with the path from
the skill's folder to the workspace's `interfaces/` folder
(`../../interfaces/...` outside a workspace). Safe: it only adds a
reference.";

/// The `Interface References` heading's index.
fn section(doc: &SkillDoc) -> Option<usize> {
    doc.md
        .headings
        .iter()
        .position(|h| lowercase_contains(&h.text, "interface references"))
}

/// The list item line the fix adds, in the corpus's wording.
fn item_for(receiver: &str, path: &str) -> String {
    let (label, verb) = match receiver {
        "memoryStore" => ("Memory", "Accessed"),
        "contextProvider" => ("Context", "Loaded"),
        "skillInvoker" => ("Skills", "Delegated"),
        _ => ("Execution", "Shared"),
    };
    let title = interface_title(receiver).unwrap_or(receiver);
    format!("- **{label}**: {verb} via [{title} Interface]({path})")
}

/// Whether `path` is `file` or ends in `/file` (asked of every link and
/// code span of the section: no `/file` string built for each).
fn names_file(path: &str, file: &str) -> bool {
    path.strip_suffix(file)
        .is_some_and(|before| before.is_empty() || before.ends_with('/'))
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(h) = section(doc) else { return };
    let text_len = doc.text.len();
    let sect = doc.md.section(h, text_len);
    let referenced = |file: &str| {
        let linked = doc.md.links.iter().filter(|l| sect.contains(l.range.start)).any(|l| {
            let path = l.dest.split(['#', '?']).next().unwrap_or("");
            names_file(path, file)
        });
        let in_code = doc
            .md
            .code_spans
            .iter()
            .filter(|c| sect.contains(c.range.start))
            .any(|c| {
                let s = doc.slice(c.content).trim();
                names_file(s, file)
            });
        linked || in_code
    };
    let eol = doc.eol;
    let insert_at = insertion_point(doc, h);
    for (receiver, _, _) in RECEIVERS {
        let Some(first) = doc.calls.iter().find(|c| c.receiver == *receiver) else {
            continue;
        };
        let Some(file) = doc_file_name(receiver) else { continue };
        if referenced(file) {
            continue;
        }
        let path = match (ctx.ws.interface_doc(receiver), doc.dir()) {
            (Some(target), Some(dir)) => links::relative_path(
                &std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
                &std::path::absolute(&target).unwrap_or(target),
            ),
            _ => None,
        }
        .unwrap_or_else(|| format!("../../interfaces/{file}"));
        let item = item_for(receiver, &path);
        let new_text = match insert_at {
            Insert::AfterItem(_) => format!("{eol}{item}"),
            Insert::AfterHeading(_) => format!("{eol}{eol}{item}"),
        };
        let fix = Fix::safe(
            format!("Link the {} interface", interface_title(receiver).unwrap_or(receiver)),
            vec![Edit::insert(insert_at.offset(), new_text)],
        );
        sink.report_fix(
            first.receiver_range,
            format!(
                "the skill calls `{receiver}` but `Interface References` does not link `{file}`: readers cannot look up what its methods take and return; add `{item}`"
            ),
            Some(fix),
        );
    }
}

#[derive(Clone, Copy)]
enum Insert {
    AfterItem(usize),
    AfterHeading(usize),
}

impl Insert {
    fn offset(self) -> usize {
        match self {
            Insert::AfterItem(o) | Insert::AfterHeading(o) => o,
        }
    }
}

/// After the last top-level list item right under the heading, else after the heading line.
fn insertion_point(doc: &SkillDoc, h: usize) -> Insert {
    let body: TextRange = doc.md.until_next_heading(h, doc.text.len());
    let last_item = doc
        .md
        .items
        .iter()
        .filter(|i| body.contains(i.range.start) && doc.md.lists.get(i.list).is_some_and(|l| l.depth == 0))
        .map(|i| i.range.end)
        .max();
    match last_item {
        Some(end) => Insert::AfterItem(end),
        None => Insert::AfterHeading(doc.md.headings[h].range.end),
    }
}
