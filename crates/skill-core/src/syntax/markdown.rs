//! Reading the Markdown body into an [`MdDoc`]: by the line reader
//! ([`markdown_lines`](super::markdown_lines)) when the body holds only what
//! it reads exactly, else by pulldown-cmark's offset iterator, the reference
//! both are tested against.
//!
//! Offsets are absolute byte offsets into the whole document: the body is
//! parsed from `body_start`, past the front matter, and every range shifted.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::markdown_doc::{
    code_block_content, code_content, find_dest, first_line_after_marker, heading_content, mark_task, trim_line_end,
};
pub use super::markdown_doc::{CodeBlock, CodeSpan, Heading, Link, List, ListItem, MdDoc, Table, TableCell, TableRow};
use crate::text::{SharedStr, TextRange};

/// Parses `text[body_start..]` as CommonMark with tables and task lists.
pub fn parse(text: &str, body_start: usize) -> MdDoc {
    parse_with_line_starts(text, body_start, &[])
}

/// [`parse`] with the text's line starts known (those of its
/// [`LineIndex`](crate::text::LineIndex)), which the line reader then
/// takes its lines from.
pub(crate) fn parse_with_line_starts(text: &str, body_start: usize, line_starts: &[usize]) -> MdDoc {
    read_body(text, body_start, |text, from, to, doc| {
        read_into(text, from, to, doc, line_starts)
    })
}

/// Parses `text[from..to]` (`from` at the start of a line, with no block
/// open before it) and appends what it holds to `doc`, whose lists and items
/// it indexes on from where `doc` stands. Whether it defines a link reference.
///
/// The line reader ([`markdown_lines`](super::markdown_lines)) reads the
/// text when it holds only what that reader reads exactly; pulldown-cmark
/// reads the rest, and is the reference both are tested against.
pub(crate) fn parse_into(text: &str, from: usize, to: usize, doc: &mut MdDoc) -> bool {
    read_into(text, from, to, doc, &[])
}

/// [`parse_into`] with the text's line starts, when known (else empty).
fn read_into(text: &str, from: usize, to: usize, doc: &mut MdDoc, line_starts: &[usize]) -> bool {
    if super::markdown_lines::read(text, from, to, doc, line_starts) {
        return false;
    }
    parse_into_with_cmark(text, from, to, doc)
}

/// [`parse`] by pulldown-cmark alone: the reference the line reader is
/// tested against.
#[doc(hidden)]
pub fn parse_with_cmark(text: &str, body_start: usize) -> MdDoc {
    read_body(text, body_start, parse_into_with_cmark)
}

/// The body of `text` from `body_start` to its end, read by `read_into`
/// (one of the `parse_into` forms: it appends to a document and says
/// whether the text defines a link reference).
fn read_body(text: &str, body_start: usize, read_into: impl FnOnce(&str, usize, usize, &mut MdDoc) -> bool) -> MdDoc {
    let mut doc = MdDoc::empty_body(text, body_start);
    doc.defines_links = read_into(text, doc.body_start, text.len(), &mut doc);
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
