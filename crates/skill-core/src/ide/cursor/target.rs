//! What finished text under the cursor is: the parsed document's calls,
//! headings, links and YAML tree, read at an offset. Hover, go-to-definition,
//! references and rename start here.

use crate::model::{Call, SkillDoc, Step};
use crate::text::TextRange;

use super::words::{floor_boundary, word_at};

/// What a finished piece of text under the cursor is.
#[derive(Debug, Clone, PartialEq)]
pub enum Target<'d> {
    /// The receiver of a call (`memoryStore` in `memoryStore.update(...)`).
    Receiver(&'d Call),
    /// The method of a call (`update` in `memoryStore.update(...)`).
    Method(&'d Call),
    /// Argument `index` of a call (its keyword or value).
    Argument { call: &'d Call, index: usize },
    /// A Markdown link, index into `MdDoc::links`.
    Link(usize),
    /// A heading, index into `MdDoc::headings` (a step heading when
    /// [`step_of_heading`] finds its step).
    Heading(usize),
    /// A front matter key; `path` ends with the key (list items as indices).
    Key { path: Vec<String>, range: TextRange },
    /// A front matter scalar value; `path` leads to it.
    Value { path: Vec<String>, range: TextRange },
    /// A rule code written in the text (`SK201`).
    RuleCode { code: String, range: TextRange },
    /// The profile named by a `# skill-lsp: profile=...` comment.
    ProfileOverride { range: TextRange },
    /// Nothing the editor knows more about.
    None,
}

/// What the finished text at `offset` is. The innermost thing wins: an
/// argument over its call, a call over the heading line holding it.
pub fn target_at(doc: &SkillDoc, offset: usize) -> Target<'_> {
    let offset = floor_boundary(&doc.text, offset);
    if let Some(code) = rule_code_at(&doc.text, offset) {
        return code;
    }
    if in_front_matter(doc, offset) {
        if let Some(o) = crate::profile::Override::of(doc).filter(|o| o.range.touches(offset)) {
            return Target::ProfileOverride { range: o.range };
        }
        let Some(root) = doc.front_matter.as_ref().and_then(|f| f.root.as_ref()) else {
            return Target::None;
        };
        return match root.place_at(offset) {
            Some((path, true, range)) => Target::Key { path, range },
            Some((path, false, range)) => Target::Value { path, range },
            None => Target::None,
        };
    }
    if let Some(call) = call_at(doc, offset) {
        if call.receiver_range.touches(offset) {
            return Target::Receiver(call);
        }
        if call.method_range.touches(offset) {
            return Target::Method(call);
        }
        if let Some(index) = arg_at(call, offset) {
            return Target::Argument { call, index };
        }
    }
    if let Some(link) = link_at(doc, offset) {
        return Target::Link(link);
    }
    if let Some(h) = heading_at(doc, offset) {
        return Target::Heading(h);
    }
    Target::None
}

/// The innermost parsed call whose text holds `offset` (a call nested in
/// another's arguments wins over the outer one).
pub fn call_at(doc: &SkillDoc, offset: usize) -> Option<&Call> {
    doc.calls
        .iter()
        .filter(|c| c.range.touches(offset))
        .min_by_key(|c| c.range.len())
}

/// The argument of `call` whose text holds `offset`.
pub fn arg_at(call: &Call, offset: usize) -> Option<usize> {
    call.args.iter().position(|a| a.range.touches(offset))
}

/// The Markdown link whose text holds `offset`.
pub fn link_at(doc: &SkillDoc, offset: usize) -> Option<usize> {
    doc.md.links.iter().position(|l| l.range.touches(offset))
}

/// The heading whose line holds `offset`.
pub fn heading_at(doc: &SkillDoc, offset: usize) -> Option<usize> {
    doc.md.headings.iter().position(|h| h.range.touches(offset))
}

/// The workflow step (or stray step) whose heading is heading `heading`.
pub fn step_of_heading(doc: &SkillDoc, heading: usize) -> Option<&Step> {
    let in_workflow = doc.workflow.iter().flat_map(|w| &w.steps);
    let stray = doc.stray_step_lists.iter().flat_map(|l| &l.steps);
    in_workflow.chain(stray).find(|s| s.heading == heading)
}

/// The `Step N` written in a checklist item at `offset`: its range, and the
/// workflow step it names.
pub fn checklist_step_at(doc: &SkillDoc, offset: usize) -> Option<(TextRange, &Step)> {
    let item = doc
        .checklist
        .as_ref()?
        .items
        .iter()
        .find(|i| i.step_range.is_some_and(|r| r.touches(offset)))?;
    let number = item.step?;
    let step = doc.workflow.as_ref()?.steps.iter().find(|s| s.number == number)?;
    Some((item.step_range?, step))
}

/// Whether `offset` lies in the YAML of the front matter (the start of the
/// closing `---` line is not: what is typed there lands on that line).
pub fn in_front_matter(doc: &SkillDoc, offset: usize) -> bool {
    doc.front_matter.as_ref().is_some_and(|f| {
        let yaml = f.block.yaml;
        let at_end = offset == yaml.end && !doc.text[..yaml.end.min(doc.text.len())].ends_with('\n');
        offset >= f.block.open.end && (yaml.contains(offset) || at_end)
    })
}

/// A rule code (`SK201`, any case) as a whole word at `offset`.
fn rule_code_at(text: &str, offset: usize) -> Option<Target<'static>> {
    let range = word_at(text, offset)?;
    let word = &text[range.start..range.end];
    let b = word.as_bytes();
    let is_code = b.len() == 5 && b[..2].eq_ignore_ascii_case(b"SK") && b[2..].iter().all(u8::is_ascii_digit);
    is_code.then(|| Target::RuleCode {
        code: word.to_ascii_uppercase(),
        range,
    })
}
