//! The Markdown body as flat lists of spanned elements (headings, lists,
//! code, links, tables): what both readers of the body produce
//! ([`markdown`](super::markdown)), and the small range helpers they share.
//!
//! Offsets are absolute byte offsets into the whole document: the body is
//! read from `body_start`, past the front matter, and every range shifted.

use crate::text::{SharedStr, TextRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's inline text with markup removed (`**Step 1**` → `Step 1`).
    pub text: SharedStr,
    /// The whole heading line(s), `### Step 1: Scope`, without the line terminator.
    pub range: TextRange,
    /// The raw heading content after the `#`s and spaces.
    pub content_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The whole item, marker included, down to its last nested line.
    pub range: TextRange,
    /// `Some(checked)` for a task item `- [ ]` / `- [x]`.
    pub task: Option<bool>,
    /// The `[ ]`/`[x]` marker of a task item.
    pub task_marker: Option<TextRange>,
    /// The item's first line after its marker (and task marker).
    pub first_line: TextRange,
    /// Index of the list that holds this item, into [`MdDoc::lists`].
    pub list: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub range: TextRange,
    /// `Some(first number)` for an ordered list.
    pub ordered: Option<u64>,
    /// Nesting depth: 0 for a top-level list.
    pub depth: usize,
    /// Indices into [`MdDoc::items`].
    pub items: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSpan {
    /// The span with its backticks.
    pub range: TextRange,
    /// The code inside the backticks, as written.
    pub content: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The whole block, fences included.
    pub range: TextRange,
    /// The info string of a fenced block (`yaml`, `python`), empty otherwise.
    pub info: SharedStr,
    /// The code lines, without fences.
    pub content: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The whole link, `[text](dest)`.
    pub range: TextRange,
    /// The destination as written (`../../interfaces/memory_store.md#update`).
    pub dest: SharedStr,
    /// Where the destination stands in the text, when it is written inline.
    pub dest_range: Option<TextRange>,
    pub text: SharedStr,
    /// The title (`[text](dest "title")`), shown only on hover; empty when none.
    pub title: SharedStr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    pub range: TextRange,
    /// Plain text of the cell, trimmed.
    pub text: SharedStr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub range: TextRange,
    pub cells: Vec<TableCell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub range: TextRange,
    pub header: TableRow,
    pub rows: Vec<TableRow>,
}

/// Everything the rules need from the Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MdDoc {
    /// Where the body starts (after the front matter).
    pub body_start: usize,
    pub headings: Vec<Heading>,
    pub lists: Vec<List>,
    pub items: Vec<ListItem>,
    pub code_spans: Vec<CodeSpan>,
    pub code_blocks: Vec<CodeBlock>,
    pub links: Vec<Link>,
    pub tables: Vec<Table>,
    /// The start of the line of each top-level block (a paragraph, a whole
    /// list, a heading, a fence...), in order: where nothing before is still
    /// open, so a parse may restart there ([`reparse`](super::markdown_reparse)).
    pub blocks: Vec<usize>,
    /// The body defines a link reference (`[name]: url`). Such a definition
    /// changes links anywhere in the text, so no part of the parse can be
    /// reused after an edit.
    pub defines_links: bool,
}

impl MdDoc {
    /// Nothing read yet of a body starting at `body_start` of `text`
    /// (at its end when past it): what each reader fills.
    pub(crate) fn empty_body(text: &str, body_start: usize) -> MdDoc {
        MdDoc {
            body_start: body_start.min(text.len()),
            ..MdDoc::default()
        }
    }

    /// The section of heading `i`: from the heading to the next heading of
    /// the same or a higher level (or the end of the text).
    pub fn section(&self, i: usize, text_len: usize) -> TextRange {
        let h = &self.headings[i];
        let end = self.headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text_len, |n| n.range.start);
        TextRange::new(h.range.start, end)
    }

    /// The body of heading `i`'s section: after the heading line, up to the
    /// next heading of any level.
    pub fn until_next_heading(&self, i: usize, text_len: usize) -> TextRange {
        let h = &self.headings[i];
        let end = self.headings.get(i + 1).map_or(text_len, |n| n.range.start);
        TextRange::new(h.range.end.min(end), end)
    }

    /// Index of the last heading that starts at or before `offset`.
    pub fn heading_before(&self, offset: usize) -> Option<usize> {
        self.headings.iter().rposition(|h| h.range.start <= offset)
    }

    /// True when `offset` is inside a fenced or indented code block.
    pub fn in_code_block(&self, offset: usize) -> bool {
        in_sorted(&self.code_blocks, |b| b.range, offset)
    }

    /// True when `offset` is inside a code block or an inline code span.
    pub fn in_code(&self, offset: usize) -> bool {
        self.in_code_block(offset) || in_sorted(&self.code_spans, |s| s.range, offset)
    }
}

/// Whether one of `items` contains `offset`. Code blocks and code spans are
/// recorded in document order and never overlap, so only the last one
/// starting at or before `offset` can hold it: a binary search, not a scan
/// (rules ask this for every candidate they find in a large skill).
fn in_sorted<T>(items: &[T], range: impl Fn(&T) -> TextRange, offset: usize) -> bool {
    let after = items.partition_point(|i| range(i).start <= offset);
    after > 0 && range(&items[after - 1]).contains(offset)
}

/// Makes `item` a task item whose `[ ]`/`[x]` marker stands at `marker`.
pub(super) fn mark_task(text: &str, item: &mut ListItem, checked: bool, marker: TextRange) {
    item.task = Some(checked);
    item.task_marker = Some(marker);
    // The text after the marker; spaces after it can run past the
    // trimmed item end (`- [ ]  ` at the end of a line).
    let start = skip_spaces(text, marker.end);
    item.first_line = TextRange::new(start, item.first_line.end.max(start));
}

/// Drops trailing `\n`/`\r` from a range.
pub(super) fn trim_line_end(text: &str, r: TextRange) -> TextRange {
    let mut end = r.end.min(text.len());
    while end > r.start && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    TextRange::new(r.start, end)
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while at < text.len() && matches!(text.as_bytes()[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

/// An ATX heading's content: after the `#`s and blanks, before closing `#`s.
pub(super) fn heading_content(text: &str, r: TextRange) -> TextRange {
    let line = &text[r.start..r.end];
    if !line.trim_start().starts_with('#') {
        // Setext heading: the first line is the content.
        let first_end = line.find('\n').map_or(r.end, |i| r.start + i);
        return trim_line_end(text, TextRange::new(r.start, first_end));
    }
    let lead = line.len() - line.trim_start().len();
    let hashes = line[lead..].bytes().take_while(|b| *b == b'#').count();
    let start = skip_spaces(text, r.start + lead + hashes).min(r.end);
    let mut end = r.end;
    let trimmed = text[start..end].trim_end();
    end = start + trimmed.len();
    let without_closing = trimmed.trim_end_matches('#');
    if without_closing.len() < trimmed.len() && (without_closing.is_empty() || without_closing.ends_with([' ', '\t'])) {
        end = start + without_closing.trim_end().len();
    }
    TextRange::new(start, end)
}

/// The rest of an item's first line after its bullet or number.
pub(super) fn first_line_after_marker(text: &str, item: TextRange) -> TextRange {
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[item.start..item.end]).map_or(item.end, |i| item.start + i);
    first_line_ending(text, item, line_end)
}

/// [`first_line_after_marker`] of an item whose first line ends at
/// `line_end` (its first `\n`, or the item's end when it holds none), for
/// a reader that knows where.
pub(super) fn first_line_ending(text: &str, item: TextRange, line_end: usize) -> TextRange {
    // The marker's characters are ASCII: the first byte that is none of
    // them starts a character.
    let line = &text.as_bytes()[item.start..line_end];
    let marker = line
        .iter()
        .position(|c| !(c.is_ascii_digit() || matches!(c, b'-' | b'*' | b'+' | b'.' | b')')))
        .unwrap_or(line.len());
    let start = skip_spaces(text, item.start + marker).min(line_end);
    trim_line_end(text, TextRange::new(start, line_end))
}

/// The content of an inline code span: inside the backticks.
pub(super) fn code_content(text: &str, range: TextRange, code: &str) -> TextRange {
    let raw = &text[range.start..range.end];
    let ticks = raw.bytes().take_while(|b| *b == b'`').count();
    let inner = TextRange::new(
        range.start + ticks,
        range.end.saturating_sub(ticks).max(range.start + ticks),
    );
    // Find the exact content (CommonMark strips one space on each side).
    match text[inner.start..inner.end].find(code) {
        Some(i) if !code.is_empty() => TextRange::new(inner.start + i, inner.start + i + code.len()),
        _ => inner,
    }
}

/// The lines of a code block between its fences.
pub(super) fn code_block_content(text: &str, range: TextRange) -> TextRange {
    let raw = &text[range.start..range.end];
    let fenced = raw.trim_start().starts_with("```") || raw.trim_start().starts_with("~~~");
    if !fenced {
        return range;
    }
    let start = raw.find('\n').map_or(range.end, |i| range.start + i + 1);
    let body = trim_line_end(text, TextRange::new(start, range.end));
    let last_line_start = text[start..body.end].rfind('\n').map_or(start, |i| start + i + 1);
    let last = text[last_line_start..body.end].trim();
    if last.starts_with("```") || last.starts_with("~~~") {
        TextRange::new(start, last_line_start.max(start))
    } else {
        TextRange::new(start, range.end)
    }
}

/// Where an inline link's destination is written: the `(...)` after `]`.
pub(super) fn find_dest(text: &str, link: TextRange, dest: &str) -> Option<TextRange> {
    if dest.is_empty() {
        return None;
    }
    let raw = &text[link.start..link.end];
    let paren = raw.rfind("](")?;
    let at = raw[paren..].find(dest)? + paren;
    Some(TextRange::new(link.start + at, link.start + at + dest.len()))
}
