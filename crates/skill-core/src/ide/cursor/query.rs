//! What may be written at the cursor: completion and signature help start
//! here. The text being typed is unfinished (`memoryStore.` has no `(` yet,
//! a YAML key has no `:`), so the model's parse is read with a marker at the
//! cursor where the structure matters (call arguments, the front matter; see
//! [`super::marker`]); what is only a word before the cursor (a receiver, a
//! method after `receiver.`, a link destination on its line, a heading or
//! item being started) is read as words.

use crate::model::SkillDoc;
use crate::text::{line_range_at, TextRange};

use super::call::{call_site, code_block_at, in_code, known_receiver};
use super::front_matter::front_matter_site;
use super::site::Site;
use super::target::in_front_matter;
use super::words::{floor_boundary, ident_before, is_ident, run_end};

/// What may be written at `offset`.
pub fn site_at(doc: &SkillDoc, offset: usize) -> Site {
    let text: &str = &doc.text;
    let offset = floor_boundary(text, offset);
    if in_front_matter(doc, offset) {
        return front_matter_site(doc, offset);
    }
    if offset < doc.md.body_start {
        return Site::None;
    }
    if let Some(site) = link_site(doc, offset) {
        return site;
    }
    if let Some(site) = method_site(text, offset) {
        return site;
    }
    if let Some(call) = call_site(doc, offset) {
        return Site::Argument(call);
    }
    let prefix = ident_before(text, offset);
    let after_dot = prefix.start > 0 && text.as_bytes()[prefix.start - 1] == b'.';
    if !prefix.is_empty() && !after_dot && in_code(doc, offset) {
        return Site::Receiver { prefix };
    }
    line_site(doc, offset)
}

/// A link destination being typed: after `](` on the cursor's line, outside
/// code, before any `)`, space or title. The path is completed segment by
/// segment (what follows the last `/`); after `#`, the target's heading.
fn link_site(doc: &SkillDoc, offset: usize) -> Option<Site> {
    let text: &str = &doc.text;
    let line = line_range_at(text, offset);
    let open = text[line.start..offset].rfind("](")?;
    let dest_start = line.start + open + 2;
    let typed = &text[dest_start..offset];
    if typed.contains(|c: char| c == ')' || c == '<' || c == '>' || c.is_whitespace()) || in_code(doc, offset) {
        return None;
    }
    // What a completion replaces runs on past the cursor to the part's end.
    let end_of = |stops: &[char]| {
        let rest = &text[offset..line.end];
        offset
            + rest
                .find(|c: char| stops.contains(&c) || c.is_whitespace())
                .unwrap_or(rest.len())
    };
    if let Some(hash) = typed.find('#') {
        return Some(Site::LinkFragment {
            target: typed[..hash].to_string(),
            replace: TextRange::new(dest_start + hash + 1, end_of(&[')'])),
        });
    }
    let segment = typed.rfind('/').map_or(0, |i| i + 1);
    Some(Site::LinkPath {
        folder: typed[..segment].to_string(),
        replace: TextRange::new(dest_start + segment, end_of(&[')', '/', '#'])),
    })
}

/// `receiver.` and the method name being typed.
fn method_site(text: &str, offset: usize) -> Option<Site> {
    let prefix = ident_before(text, offset);
    let b = text.as_bytes();
    if prefix.start == 0 || b[prefix.start - 1] != b'.' {
        return None;
    }
    let receiver_range = ident_before(text, prefix.start - 1);
    if receiver_range.is_empty() || (receiver_range.start > 0 && b[receiver_range.start - 1] == b'.') {
        return None;
    }
    let receiver = &text[receiver_range.start..receiver_range.end];
    let interface = known_receiver(receiver)?;
    let end = run_end(text, offset, is_ident);
    let after = &text[end..];
    Some(Site::Method {
        receiver: receiver.to_string(),
        interface,
        receiver_range,
        prefix,
        replace: TextRange::new(prefix.start, end),
        has_parens: after.trim_start_matches([' ', '\t']).starts_with('('),
    })
}

/// A workflow or checklist line where a step heading or an item may go: a
/// blank line, or one holding only the start of a heading (`###`, `### St`)
/// or of an item (`-`, `- [ ]`).
fn line_site(doc: &SkillDoc, offset: usize) -> Site {
    if code_block_at(doc, offset).is_some() {
        return Site::None;
    }
    let line = line_range_at(&doc.text, offset);
    let content = doc.text[line.start..line.end].trim();
    if let Some(w) = &doc.workflow {
        let in_section = w.range.touches(offset) && offset > doc.md.headings[w.heading].range.end;
        let heading_start = content.is_empty()
            || (content.starts_with('#')
                && content.trim_start_matches('#').trim_start().len() <= "**Step 99:".len()
                && !content.contains(':'));
        if in_section && heading_start {
            let after = w
                .steps
                .iter()
                .filter(|s| doc.md.headings[s.heading].range.start < line.start)
                .map(|s| s.number)
                .max()
                .unwrap_or(0);
            return Site::WorkflowLine { after, line };
        }
    }
    if let Some(c) = &doc.checklist {
        let in_section = c.range.touches(offset) && offset > doc.md.headings[c.heading].range.end;
        let item_start = content.is_empty() || (content.starts_with(['-', '*']) && content.len() <= "- [ ] Step".len());
        if in_section && item_start {
            return Site::ChecklistLine { line };
        }
    }
    Site::None
}
