//! The Markdown body parsed again after an edit, reusing what the edit
//! cannot have changed. The result always equals [`markdown::parse`] of the
//! new text (`tests/fuzz.rs` holds it to that over random edits).
//!
//! CommonMark reads blocks line by line, top to bottom, and a line that
//! starts a top-level block closes everything before it. So when a line
//! starts a top-level block, the lines before it parse the same whatever
//! follows, and the lines from it on parse as they would alone. After an
//! edit of `old[start..old_end]`:
//!
//! - the blocks before the *restart* line are kept: the last old top-level
//!   block whose first line ends before the edit (that line is unchanged, so
//!   it still starts a top-level block);
//! - the text from the restart line is parsed again, up to and including the
//!   line of the first old top-level block after the edit (the *resume*
//!   line, unchanged too). If the new parse also starts a top-level block on
//!   that line, everything from it on is the old parse moved by the edit's
//!   change of length; if not (the edit opened a fence or a list that
//!   swallows it), the text is parsed to its end.
//!
//! Link reference definitions (`[name]: url`) are the one thing that reaches
//! across blocks: with any in the old text or the reparsed part, the whole
//! body is parsed again.

use super::markdown::{self, CodeBlock, CodeSpan, Heading, Link, List, ListItem, MdDoc, Table, TableCell, TableRow};
use crate::text::{Change, TextRange};

/// `markdown::parse(text, old.body_start)`, computed from `old`, the parse
/// of `old_text`. The front matter must be unchanged (`edit.start` at or
/// after `old.body_start`), and `text` must be `old_text` with `edit` applied.
pub fn reparse(old: &MdDoc, old_text: &str, text: &str, edit: Change) -> MdDoc {
    let full = || markdown::parse(text, old.body_start);
    if old.defines_links || edit.start < old.body_start || old.body_start > text.len() {
        return full();
    }
    // The restart line: the last top-level block whose first line (with its
    // terminator) ends at or before the edit.
    let after_restart = old.blocks.partition_point(|&b| b < edit.start);
    let restart = old.blocks[..after_restart]
        .iter()
        .rev()
        .copied()
        .find(|&b| old_text[b..].find('\n').is_some_and(|i| b + i < edit.start))
        .unwrap_or(old.body_start);
    let mut doc = old.clone_before(restart);

    // The resume line: the first old top-level block after the edit that
    // still starts a line of the new text.
    let resume = old.blocks[after_restart..]
        .iter()
        .copied()
        .filter(|&b| b >= edit.old_end)
        .map(|b| (b, moved(b, edit.delta())))
        .find(|&(_, b)| b > restart && text.as_bytes()[b - 1] == b'\n');
    if let Some((old_at, new_at)) = resume {
        let line_end = text[new_at..].find('\n').map_or(text.len(), |i| new_at + i + 1);
        let blocks_before = doc.blocks.len();
        if markdown::parse_into(text, restart, line_end, &mut doc) {
            return full();
        }
        if doc.blocks[blocks_before..].contains(&new_at) {
            doc.truncate_at(new_at);
            doc.append_moved(old, old_at, edit.delta());
            return doc;
        }
        doc.truncate_at(restart);
    }
    if markdown::parse_into(text, restart, text.len(), &mut doc) {
        return full();
    }
    doc
}

fn moved(offset: usize, by: isize) -> usize {
    offset.wrapping_add_signed(by)
}

fn moved_range(r: TextRange, by: isize) -> TextRange {
    TextRange::new(moved(r.start, by), moved(r.end, by))
}

/// The number of leading elements that start before `offset` (elements are
/// in text order by block, so those of earlier blocks come first).
fn before<T>(items: &[T], offset: usize, range: impl Fn(&T) -> TextRange) -> usize {
    items.partition_point(|i| range(i).start < offset)
}

/// The first `n` of `items`, in a vector with room for all of them and a
/// few more: the reparsed blocks and the moved ones are appended to it, and
/// growing it on the way would copy a large document's elements again.
fn kept<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(items.len() + 16);
    v.extend_from_slice(&items[..n]);
    v
}

impl MdDoc {
    /// What lies before `offset`, a top-level block boundary.
    fn clone_before(&self, offset: usize) -> MdDoc {
        MdDoc {
            body_start: self.body_start,
            headings: kept(&self.headings, before(&self.headings, offset, |h| h.range)),
            lists: kept(&self.lists, before(&self.lists, offset, |l| l.range)),
            items: kept(&self.items, before(&self.items, offset, |i| i.range)),
            code_spans: kept(&self.code_spans, before(&self.code_spans, offset, |s| s.range)),
            code_blocks: kept(&self.code_blocks, before(&self.code_blocks, offset, |b| b.range)),
            links: kept(&self.links, before(&self.links, offset, |l| l.range)),
            tables: kept(&self.tables, before(&self.tables, offset, |t| t.range)),
            blocks: kept(&self.blocks, self.blocks.partition_point(|&b| b < offset)),
            defines_links: false,
        }
    }

    /// Drops what starts at or after `offset`, a top-level block boundary.
    fn truncate_at(&mut self, offset: usize) {
        self.headings.truncate(before(&self.headings, offset, |h| h.range));
        self.lists.truncate(before(&self.lists, offset, |l| l.range));
        self.items.truncate(before(&self.items, offset, |i| i.range));
        self.code_spans.truncate(before(&self.code_spans, offset, |s| s.range));
        self.code_blocks
            .truncate(before(&self.code_blocks, offset, |b| b.range));
        self.links.truncate(before(&self.links, offset, |l| l.range));
        self.tables.truncate(before(&self.tables, offset, |t| t.range));
        self.blocks.truncate(self.blocks.partition_point(|&b| b < offset));
    }

    /// Appends what `old` holds from `from` (a top-level block boundary) on,
    /// moved by `by` bytes, its list and item indices renumbered to follow
    /// on from `self`'s.
    fn append_moved(&mut self, old: &MdDoc, from: usize, by: isize) {
        let first_list = before(&old.lists, from, |l| l.range);
        let first_item = before(&old.items, from, |i| i.range);
        let (lists_now, items_now) = (self.lists.len(), self.items.len());
        self.headings.extend(
            old.headings[before(&old.headings, from, |h| h.range)..]
                .iter()
                .map(|h| h.moved(by)),
        );
        self.lists.extend(old.lists[first_list..].iter().map(|l| List {
            range: moved_range(l.range, by),
            ordered: l.ordered,
            depth: l.depth,
            items: l.items.iter().map(|&i| i - first_item + items_now).collect(),
        }));
        self.items.extend(old.items[first_item..].iter().map(|i| ListItem {
            list: i.list - first_list + lists_now,
            ..i.moved(by)
        }));
        self.code_spans.extend(
            old.code_spans[before(&old.code_spans, from, |s| s.range)..]
                .iter()
                .map(|s| CodeSpan {
                    range: moved_range(s.range, by),
                    content: moved_range(s.content, by),
                }),
        );
        self.code_blocks.extend(
            old.code_blocks[before(&old.code_blocks, from, |b| b.range)..]
                .iter()
                .map(|b| CodeBlock {
                    range: moved_range(b.range, by),
                    info: b.info.clone(),
                    content: moved_range(b.content, by),
                }),
        );
        self.links
            .extend(old.links[before(&old.links, from, |l| l.range)..].iter().map(|l| Link {
                range: moved_range(l.range, by),
                dest: l.dest.clone(),
                dest_range: l.dest_range.map(|r| moved_range(r, by)),
                text: l.text.clone(),
                title: l.title.clone(),
            }));
        self.tables.extend(
            old.tables[before(&old.tables, from, |t| t.range)..]
                .iter()
                .map(|t| Table {
                    range: moved_range(t.range, by),
                    header: t.header.moved(by),
                    rows: t.rows.iter().map(|r| r.moved(by)).collect(),
                }),
        );
        self.blocks.extend(
            old.blocks[old.blocks.partition_point(|&b| b < from)..]
                .iter()
                .map(|&b| moved(b, by)),
        );
    }
}

impl Heading {
    fn moved(&self, by: isize) -> Heading {
        Heading {
            level: self.level,
            text: self.text.clone(),
            range: moved_range(self.range, by),
            content_range: moved_range(self.content_range, by),
        }
    }
}

impl ListItem {
    fn moved(&self, by: isize) -> ListItem {
        ListItem {
            range: moved_range(self.range, by),
            task: self.task,
            task_marker: self.task_marker.map(|r| moved_range(r, by)),
            first_line: moved_range(self.first_line, by),
            list: self.list,
        }
    }
}

impl TableRow {
    fn moved(&self, by: isize) -> TableRow {
        TableRow {
            range: moved_range(self.range, by),
            cells: self
                .cells
                .iter()
                .map(|c| TableCell {
                    range: moved_range(c.range, by),
                    text: c.text.clone(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies `old[start..end] = insert` and checks the reparse against a full parse.
    fn check(old: &str, start: usize, end: usize, insert: &str) -> MdDoc {
        let text = format!("{}{insert}{}", &old[..start], &old[end..]);
        let before = markdown::parse(old, 0);
        let edit = Change {
            start,
            old_end: end,
            new_end: start + insert.len(),
        };
        let again = reparse(&before, old, &text, edit);
        assert_eq!(again, markdown::parse(&text, 0), "{old:?} → {text:?}");
        again
    }

    const DOC: &str = "# Title\n\nFirst para with `code`.\n\n- a\n- b\n\n## Next\n\nText [x](y.md).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh\nrun\n```\n\nEnd.\n";

    #[test]
    fn an_edit_in_a_paragraph_keeps_the_blocks_around_it() {
        let at = DOC.find("Text").unwrap();
        let doc = check(DOC, at, at, "More ");
        assert_eq!(doc.links[0].dest, "y.md");
        assert_eq!(doc.tables.len(), 1);
    }

    #[test]
    fn the_blocks_around_an_edit_keep_their_strings() {
        // In the list's second item: the list is parsed again, up to `## Next`.
        let at = DOC.find("- b").unwrap() + 3;
        let text = format!("{}More {}", &DOC[..at], &DOC[at..]);
        let old = markdown::parse(DOC, 0);
        let edit = Change {
            start: at,
            old_end: at,
            new_end: at + 5,
        };
        let again = reparse(&old, DOC, &text, edit);
        assert_eq!(again, markdown::parse(&text, 0));
        // Before the edit and after it: shared, not copied.
        assert!(again.headings[0].text.shares(&old.headings[0].text));
        assert!(again.headings[1].text.shares(&old.headings[1].text));
        assert!(again.links[0].dest.shares(&old.links[0].dest));
        assert!(again.tables[0].rows[0].cells[0]
            .text
            .shares(&old.tables[0].rows[0].cells[0].text));
    }

    #[test]
    fn edits_that_change_the_blocks_around_them_are_seen() {
        // A setext underline turns the paragraph above into a heading.
        let at = DOC.find("\n- a").unwrap() + 1;
        check(DOC, at, at, "===\n\n");
        let at = DOC.find("- a").unwrap() - 1;
        check(DOC, at, at, "===");
        // An opened fence swallows the rest.
        let at = DOC.find("## Next").unwrap();
        check(DOC, at, at, "```\n");
        // Indenting a paragraph after a list joins it to the list.
        let at = DOC.find("## Next").unwrap() - 1;
        check(DOC, at, at, "  more\n");
        // A table row appended, a table delimiter removed.
        let at = DOC.find("| 1 |").unwrap();
        check(DOC, at, at, "| 0 | 0 |\n");
        let at = DOC.find("|---").unwrap();
        check(DOC, at, at + 8, "");
        // Deleting everything between two blocks, and everything.
        let at = DOC.find("Text").unwrap();
        check(DOC, 3, at, "");
        check(DOC, 0, DOC.len(), "");
    }

    #[test]
    fn a_link_definition_anywhere_makes_a_full_parse() {
        let doc = "See [x].\n\nOther.\n";
        let at = doc.find("Other").unwrap();
        let after = check(doc, at, at, "[x]: target.md\n\n");
        assert_eq!(after.links[0].dest, "target.md");
        assert!(after.defines_links);
    }
}
