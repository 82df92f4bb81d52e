//! Document highlight (every use of the interface method under the cursor)
//! and selection range (argument → call → step → workflow → document).

use crate::ide::cursor::{arg_at, call_at};
use crate::model::SkillDoc;
use crate::text::TextRange;

/// The calls of the same `receiver.method` as the call under the cursor,
/// each from its receiver to the end of its method name.
pub fn document_highlights(doc: &SkillDoc, offset: usize) -> Vec<TextRange> {
    let Some(at) = call_at(doc, offset) else {
        return Vec::new();
    };
    doc.calls
        .iter()
        .filter(|c| c.receiver == at.receiver && c.method == at.method)
        .map(|c| c.receiver_range.cover(c.method_range))
        .collect()
}

/// The ranges a selection grows through from `offset`, innermost first,
/// each holding the one before: the argument's value, the argument, the
/// call, its step (heading and body), the workflow section, the document.
pub fn selection_ranges(doc: &SkillDoc, offset: usize) -> Vec<TextRange> {
    let mut out: Vec<TextRange> = Vec::new();
    let mut push = |r: TextRange| {
        let grows = out
            .last()
            .is_none_or(|p| r.start <= p.start && p.end <= r.end && r != *p);
        if grows {
            out.push(r);
        }
    };
    if let Some(call) = call_at(doc, offset) {
        if let Some(i) = arg_at(call, offset) {
            push(call.args[i].value_range);
            push(call.args[i].range);
        }
        push(call.range);
    }
    if let Some(w) = &doc.workflow {
        if let Some(step) = w.step_at(&doc.md, offset) {
            push(step.range(&doc.md));
        }
        if w.range.touches(offset) {
            push(w.range);
        }
    }
    push(TextRange::new(0, doc.text.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\nname: t\n---\n# T\n\n## Mandatory Workflow\n\n### Step 1: A\n\n1. `memoryStore.getSkillMemory(\"t\", \"p\")`\n2. `memoryStore.update(\"t\", \"p\", x)` and `memoryStore.getSkillMemory(\"t\", \"q\")`\n\n## Next\n";

    #[test]
    fn highlights_every_use_of_the_method() {
        let doc = SkillDoc::parse(TEXT, None);
        let at = TEXT.find("getSkill").unwrap();
        let got: Vec<&str> = document_highlights(&doc, at)
            .iter()
            .map(|r| &TEXT[r.start..r.end])
            .collect();
        assert_eq!(got, ["memoryStore.getSkillMemory", "memoryStore.getSkillMemory"]);
    }

    #[test]
    fn selection_grows_from_argument_to_document() {
        let doc = SkillDoc::parse(TEXT, None);
        let at = TEXT.find("\"p\"").unwrap() + 1;
        let got: Vec<&str> = selection_ranges(&doc, at)
            .iter()
            .map(|r| &TEXT[r.start..r.end])
            .collect();
        assert_eq!(got[0], "\"p\"");
        assert_eq!(got[1], "memoryStore.getSkillMemory(\"t\", \"p\")");
        assert!(
            got[2].starts_with("### Step 1: A") && got[2].contains("update"),
            "{:?}",
            got[2]
        );
        assert!(got[3].starts_with("## Mandatory Workflow"), "{:?}", got[3]);
        assert_eq!(got[4], TEXT);
    }
}
