//! The Markdown body as flat lists of spanned elements (headings, lists, code,
//! links, tables), read once with pulldown-cmark's offset iterator.
//!
//! Offsets are absolute byte offsets into the whole document: the body is
//! parsed from `body_start`, past the front matter, and every range shifted.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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

/// Parses `text[body_start..]` as CommonMark with tables and task lists.
pub fn parse(text: &str, body_start: usize) -> MdDoc {
    let body_start = body_start.min(text.len());
    let mut doc = MdDoc {
        body_start,
        ..MdDoc::default()
    };
    doc.defines_links = parse_into(text, body_start, text.len(), &mut doc);
    doc
}

/// Parses `text[from..to]` (`from` at the start of a line, with no block
/// open before it) and appends what it holds to `doc`, whose lists and items
/// it indexes on from where `doc` stands. Whether it defines a link reference.
///
/// The line reader ([`markdown_lines`](super::markdown_lines)) reads the
/// text when it holds only what that reader reads exactly; pulldown-cmark
/// reads the rest, and is the reference both are tested against.
pub(crate) fn parse_into(text: &str, from: usize, to: usize, doc: &mut MdDoc) -> bool {
    if super::markdown_lines::read(text, from, to, doc) {
        return false;
    }
    parse_into_with_cmark(text, from, to, doc)
}

/// [`parse`] by pulldown-cmark alone: the reference the line reader is
/// tested against.
#[doc(hidden)]
pub fn parse_with_cmark(text: &str, body_start: usize) -> MdDoc {
    let body_start = body_start.min(text.len());
    let mut doc = MdDoc {
        body_start,
        ..MdDoc::default()
    };
    doc.defines_links = parse_into_with_cmark(text, body_start, text.len(), &mut doc);
    doc
}

/// [`parse_into`] by pulldown-cmark.
fn parse_into_with_cmark(text: &str, from: usize, to: usize, doc: &mut MdDoc) -> bool {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(&text[from..to], opts);
    // The parser reads every block (and so every definition) when created.
    let defines_links = parser.reference_definitions().iter().next().is_some();
    let mut b = Builder {
        from,
        ..Builder::default()
    };
    for (event, range) in parser.into_offset_iter() {
        let range = TextRange::new(range.start + from, range.end + from);
        b.event(text, doc, event, range);
    }
    defines_links
}

/// The start of the line holding a top-level block that starts at `at`, when
/// only blanks precede the block on its line (the parse started at `from`).
fn block_line_start(text: &str, from: usize, at: usize) -> Option<usize> {
    let before = &text.as_bytes()[from..at];
    let blanks = before.iter().rev().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let line = at - blanks;
    (line == from || text.as_bytes()[line - 1] == b'\n').then_some(line)
}

#[derive(Default)]
struct Builder {
    /// Where this parse started.
    from: usize,
    /// How many blocks are open: 0 between top-level blocks.
    depth: usize,
    heading: Option<(u8, TextRange, String)>,
    /// Open lists, innermost last: index into `doc.lists`.
    list_stack: Vec<usize>,
    /// Open items, innermost last: index into `doc.items`.
    item_stack: Vec<usize>,
    /// The open link's range, destination, plain text so far and title.
    link: Option<(TextRange, SharedStr, String, SharedStr)>,
    table: Option<Table>,
    row: Option<TableRow>,
    /// The open cell's range and plain text so far.
    cell: Option<(TextRange, String)>,
}

impl Builder {
    fn event(&mut self, text: &str, doc: &mut MdDoc, event: Event<'_>, range: TextRange) {
        match &event {
            Event::Start(_) | Event::End(_) => {}
            _ if self.depth > 0 => {}
            // A top-level block without content (a thematic break).
            _ => doc.blocks.extend(block_line_start(text, self.from, range.start)),
        }
        if let Event::Start(_) = &event {
            if self.depth == 0 {
                doc.blocks.extend(block_line_start(text, self.from, range.start));
            }
            self.depth += 1;
        } else if let Event::End(_) = &event {
            self.depth = self.depth.saturating_sub(1);
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((heading_level(level), range, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, r, inline)) = self.heading.take() {
                    let r = trim_line_end(text, r);
                    doc.headings.push(Heading {
                        level,
                        text: inline.trim().into(),
                        range: r,
                        content_range: heading_content(text, r),
                    });
                }
            }
            Event::Start(Tag::List(first)) => {
                doc.lists.push(List {
                    range,
                    ordered: first,
                    depth: self.list_stack.len(),
                    items: Vec::new(),
                });
                self.list_stack.push(doc.lists.len() - 1);
            }
            Event::End(TagEnd::List(_)) => {
                self.list_stack.pop();
            }
            Event::Start(Tag::Item) => {
                let list = self.list_stack.last().copied().unwrap_or(0);
                let r = trim_line_end(text, range);
                let first = first_line_after_marker(text, r);
                doc.items.push(ListItem {
                    range: r,
                    task: None,
                    task_marker: None,
                    first_line: first,
                    list,
                });
                let idx = doc.items.len() - 1;
                if let Some(l) = doc.lists.get_mut(list) {
                    l.items.push(idx);
                }
                self.item_stack.push(idx);
            }
            Event::End(TagEnd::Item) => {
                self.item_stack.pop();
            }
            Event::TaskListMarker(checked) => {
                if let Some(&i) = self.item_stack.last() {
                    mark_task(text, &mut doc.items[i], checked, range);
                }
            }
            Event::Code(code) => {
                let content = code_content(text, range, &code);
                doc.code_spans.push(CodeSpan { range, content });
                self.push_inline(&code);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info.trim().into(),
                    pulldown_cmark::CodeBlockKind::Indented => SharedStr::default(),
                };
                let content = code_block_content(text, range);
                doc.code_blocks.push(CodeBlock {
                    range: trim_line_end(text, range),
                    info,
                    content,
                });
            }
            Event::Start(Tag::Link { dest_url, title, .. }) => {
                self.link = Some((range, (*dest_url).into(), String::new(), (*title).into()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((r, dest, link_text, title)) = self.link.take() {
                    let dest_range = find_dest(text, r, &dest);
                    doc.links.push(Link {
                        range: r,
                        dest,
                        dest_range,
                        text: link_text.into(),
                        title,
                    });
                }
            }
            Event::Start(Tag::Table(_)) => {
                let empty = TableRow {
                    range,
                    cells: Vec::new(),
                };
                self.table = Some(Table {
                    range,
                    header: empty,
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    doc.tables.push(t);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                self.row = Some(TableRow {
                    range: trim_line_end(text, range),
                    cells: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead) => {
                if let (Some(row), Some(t)) = (self.row.take(), self.table.as_mut()) {
                    t.header = row;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(row), Some(t)) = (self.row.take(), self.table.as_mut()) {
                    t.rows.push(row);
                }
            }
            Event::Start(Tag::TableCell) => {
                self.cell = Some((range, String::new()));
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some((range, text)), Some(row)) = (self.cell.take(), self.row.as_mut()) {
                    row.cells.push(TableCell {
                        range,
                        text: text.trim().into(),
                    });
                }
            }
            Event::Text(t) => self.push_inline(&t),
            Event::SoftBreak | Event::HardBreak => self.push_inline(" "),
            _ => {}
        }
    }

    fn push_inline(&mut self, s: &str) {
        if let Some((_, _, text)) = self.heading.as_mut() {
            text.push_str(s);
        }
        if let Some((_, _, text, _)) = self.link.as_mut() {
            text.push_str(s);
        }
        if let Some((_, text)) = self.cell.as_mut() {
            text.push_str(s);
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
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

pub(super) fn skip_spaces(text: &str, mut at: usize) -> usize {
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
    let line_end = text[item.start..item.end]
        .find('\n')
        .map_or(item.end, |i| item.start + i);
    let line = &text[item.start..line_end];
    let marker = line
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '*' | '+' | '.' | ')')))
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

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\nname: x\n---\n# Title\n\n## Mandatory Workflow\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n**YOU MUST:**\n1. Call `memoryStore.getSkillMemory(\"x\", \"{project-name}\")`\n2. Read [docs](../../interfaces/memory_store.md#methods)\n\n#### **Step 2: Load**\n\n- [ ] Step 1: done\n- [x] Step 2: done\n\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-02-12 | Initial |\n\n```python\nx = 1\n```\n";

    fn at(s: &str) -> usize {
        DOC.find(s).unwrap()
    }

    #[test]
    fn an_empty_task_item_with_trailing_spaces_has_an_empty_first_line() {
        // The last: a fuzzed case, a task marker in a nested list at the end of the text.
        for text in [
            "- [ ] \n",
            "- [ ]  \n",
            "- [x]\t\nnext\n",
            "1. [ ]   ",
            "- 1. ---\n\t- [ ] ",
        ] {
            let md = parse(text, 0);
            let item = md.items.iter().find(|i| i.task.is_some()).unwrap();
            assert!(
                item.first_line.start <= item.first_line.end,
                "{text:?}: {:?}",
                item.first_line
            );
        }
    }

    #[test]
    fn headings_carry_exact_ranges_and_plain_text() {
        let md = parse(DOC, at("# Title"));
        let texts: Vec<_> = md.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (1, "Title"),
                (2, "Mandatory Workflow"),
                (3, "⚠️ STEP 1: Scope (REQUIRED)"),
                (4, "Step 2: Load")
            ]
        );
        let h = &md.headings[2];
        assert_eq!(&DOC[h.range.start..h.range.end], "### ⚠️ STEP 1: Scope (REQUIRED)");
        assert_eq!(
            &DOC[h.content_range.start..h.content_range.end],
            "⚠️ STEP 1: Scope (REQUIRED)"
        );
        let bold = &md.headings[3];
        assert_eq!(
            &DOC[bold.content_range.start..bold.content_range.end],
            "**Step 2: Load**"
        );
    }

    #[test]
    fn code_links_tasks_and_tables_are_found() {
        let md = parse(DOC, at("# Title"));
        let span = &md.code_spans[0];
        assert_eq!(
            &DOC[span.content.start..span.content.end],
            "memoryStore.getSkillMemory(\"x\", \"{project-name}\")"
        );
        let link = &md.links[0];
        assert_eq!(link.dest, "../../interfaces/memory_store.md#methods");
        let d = link.dest_range.unwrap();
        assert_eq!(&DOC[d.start..d.end], link.dest);
        let tasks: Vec<_> = md.items.iter().filter_map(|i| i.task).collect();
        assert_eq!(tasks, [false, true]);
        let ticked = md.items.iter().find(|i| i.task == Some(true)).unwrap();
        assert_eq!(&DOC[ticked.first_line.start..ticked.first_line.end], "Step 2: done");
        assert_eq!(md.lists[0].ordered, Some(1));
        let t = &md.tables[0];
        assert_eq!(
            t.header.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["Version", "Date", "Changes"]
        );
        assert_eq!(t.rows[0].cells[1].text, "2026-02-12");
        let b = &md.code_blocks[0];
        assert_eq!(b.info, "python");
        assert_eq!(&DOC[b.content.start..b.content.end], "x = 1\n");
    }
}
