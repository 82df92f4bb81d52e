//! SK301 `broken-link`: a relative link whose target file does not exist.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;
use crate::workspace::links::LinkTarget;

pub static RULE: Rule = Rule {
    code: "SK301",
    name: "broken-link",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a relative link whose target file does not exist",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Relative Markdown links (`[MemoryStore](../../interfaces/memory_store.md)`),
resolved from the skill's folder: the file or folder must exist. Links with
a scheme (`https:`, `mailto:`), absolute paths and pure `#fragment` links
are not checked here (fragments are SK302's). In a skills root, a link into
a top-level folder the root does not have at all (no `memory/` in a partial
checkout) is not checked; a skill outside any root has only the links
inside its own folder checked. The range is the link's path.

## Why it matters

Agents and people follow these links to the interface documents and
patterns the skill relies on. A link to a deleted or renamed file leaves
them without it — the typical damage of a bulk edit or a moved document.

## Example

Bad (the document was deleted):

```markdown
- **Shared Patterns**: [Shared Loading Patterns](../../interfaces/shared_loading_patterns.md)
```

Good: link a document that exists, or drop the line.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    // The answer for the last path asked about: a file linked again and
    // again (a large skill links the same interface document hundreds of
    // times, often one link after the other) is looked up once a run.
    let mut last: Option<(&std::path::Path, bool)> = None;
    for (link, target) in doc.md.links.iter().zip(ctx.link_targets()) {
        let LinkTarget::File { path, .. } = target else {
            continue;
        };
        // Compared as bytes: `Path`'s `==` compares component by component,
        // and a path written another way is only asked about once more.
        let exists = match last {
            Some((p, exists)) if p.as_os_str() == path.as_os_str() => exists,
            _ => {
                let exists = ctx.ws.file_exists(path);
                last = Some((path, exists));
                exists
            }
        };
        if exists {
            continue;
        }
        let shown = link.dest.split('#').next().unwrap_or(&link.dest);
        // The path, without a `#fragment` after it.
        let range = match link.dest_range {
            Some(d) => TextRange::new(d.start, d.start + doc.slice(d).find('#').unwrap_or(d.len())),
            None => link.range,
        };
        sink.report(
            range,
            format!(
                "the link target `{shown}` does not exist (relative to the skill's folder): whoever follows it finds nothing; point it at an existing file or remove it"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::corpus;

    /// The damaged tree links the deleted `shared_loading_patterns.md` from 54
    /// skills; the clean tree, which still has it, only lacks the
    /// `OUTPUT_CONVENTIONS.md` its snapshot does not include.
    #[test]
    fn corpus_links_to_the_deleted_document() {
        let Some(forge) = corpus::findings("forge", &["SK301"]) else {
            return;
        };
        assert!(forge
            .iter()
            .all(|f| f.text == "../../interfaces/shared_loading_patterns.md"));
        let skills: std::collections::BTreeSet<_> = forge.iter().map(|f| f.skill.as_str()).collect();
        assert_eq!(skills.len(), 54);
        let Some(clean) = corpus::findings("forge-clean", &["SK301", "SK302"]) else {
            return;
        };
        assert!(clean
            .iter()
            .all(|f| f.diagnostic.code == "SK301" && f.text == "../OUTPUT_CONVENTIONS.md"));
    }
}
