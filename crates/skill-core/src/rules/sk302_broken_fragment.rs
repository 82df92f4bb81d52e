//! SK302 `broken-fragment`: a link whose `#fragment` names no heading of its target.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;
use crate::workspace::heading_anchors;
use crate::workspace::links::LinkTarget;

pub static RULE: Rule = Rule {
    code: "SK302",
    name: "broken-fragment",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a link whose `#fragment` names no heading of its target",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

The `#fragment` of a link to a Markdown file (or of a `#fragment` link
within the skill) against the anchors of the target's headings, made as
GitHub makes them: lower case, punctuation dropped, spaces as `-`, a
repeated heading numbered (`usage-1`); `<a id=\"...\">` anchors count too.
Targets that do not exist are SK301's; targets other than Markdown are not
read. The range is the fragment.

## Why it matters

A fragment that names no heading lands at the top of the document, not at
the method or pattern the skill points to — usually after the heading was
renamed.

## Example

Bad (`memory_store.md` has no heading \"No Such Method\"):

```markdown
[MemoryStore Interface](../../interfaces/memory_store.md#no-such-method)
```

Good:

```markdown
[MemoryStore Interface](../../interfaces/memory_store.md#8-getskillmemoryskillname-projectname)
```";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let own = std::cell::OnceCell::new();
    for (link, target) in doc.md.links.iter().zip(ctx.link_targets()) {
        let (fragment, anchors, target): (&str, Vec<String>, String) = match target {
            LinkTarget::OwnFragment(f) => (
                f,
                own.get_or_init(|| heading_anchors(&doc.md)).clone(),
                "this document".into(),
            ),
            LinkTarget::File {
                path,
                fragment: Some(f),
                ..
            } => {
                let markdown = path.extension().is_some_and(|e| e == "md" || e == "markdown");
                if !markdown {
                    continue;
                }
                let Some(anchors) = ctx.ws.anchors(path) else {
                    continue;
                }; // missing: SK301
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                (f, anchors.to_vec(), format!("`{name}`"))
            }
            _ => continue,
        };
        if fragment.is_empty() {
            continue;
        }
        let wanted = fragment.to_lowercase();
        if anchors.iter().any(|a| a.to_lowercase() == wanted) {
            continue;
        }
        let range = match link.dest_range {
            Some(d) => match doc.slice(d).find('#') {
                Some(i) => TextRange::new(d.start + i, d.end),
                None => d,
            },
            None => link.range,
        };
        sink.report(
            range,
            format!(
                "{target} has no heading for `#{fragment}`: the link lands at the top of the document instead of the section it means; link an existing heading's anchor"
            ),
        );
    }
}
