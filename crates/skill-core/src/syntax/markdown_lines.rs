//! The Markdown body read line by line, for the constructs skills are made
//! of: ATX headings, fenced code, lists and task items, tables, thematic
//! breaks and paragraphs, with code spans, inline links, autolinks, bare
//! inline tags, emphasis and backslash escapes inside them.
//!
//! It reads a text only where it reads it exactly as pulldown-cmark does and
//! says no otherwise (block quotes, HTML blocks, setext headings, lazy
//! continuation lines, link reference definitions, indented code, tabs in
//! indentation, entities where text is kept, images, ...): the caller then
//! parses with pulldown-cmark. Most skills hold nothing else. This reader
//! is cheaper than pulldown-cmark's two passes because it builds no event
//! stream and looks at inline markup only where a line holds a byte that
//! can start some, and at emphasis only where the model keeps plain text
//! (headings, table cells, link text).
//!
//! `tests/markdown_lines.rs` holds it to pulldown-cmark's result on every
//! Markdown file of the corpus, on random edits of them and on generated
//! Markdown.

use super::markdown_doc::{
    code_block_content, code_content, find_dest, first_line_ending, heading_content, mark_task, trim_line_end,
    CodeBlock, CodeSpan, Heading, Link, List, ListItem, MdDoc, Table, TableCell, TableRow,
};
use crate::text::{any_in_set, byte_set, holds_any3, position_in_set, SharedStr, TextRange};

/// [`markdown::parse`](super::markdown::parse) by this reader alone: `None`
/// when the text holds something it does not read exactly.
#[doc(hidden)]
pub fn parse(text: &str, body_start: usize) -> Option<MdDoc> {
    parse_with_line_starts(text, body_start, &[])
}

/// [`parse`] with the text's line starts known (those of a [`LineIndex`]
/// of it; empty when not known): lines are taken from them instead of
/// searched for.
///
/// [`LineIndex`]: crate::text::LineIndex
#[doc(hidden)]
pub fn parse_with_line_starts(text: &str, body_start: usize, line_starts: &[usize]) -> Option<MdDoc> {
    let mut doc = MdDoc::empty_body(text, body_start);
    read(text, doc.body_start, text.len(), &mut doc, line_starts).then_some(doc)
}

/// Reads `text[from..to]` into `doc` as `markdown::parse_into` does, or
/// leaves `doc` as it was and returns false when the text holds something
/// this reader does not read exactly. A text it reads defines no link
/// reference (it declines any paragraph that may be a definition).
/// `line_starts` are the text's line starts, or empty when not known.
pub(super) fn read(text: &str, from: usize, to: usize, doc: &mut MdDoc, line_starts: &[usize]) -> bool {
    let body = &text.as_bytes()[from..to];
    // Carriage returns (alone, they end lines) and NULs (replaced) are
    // pulldown-cmark's to read.
    if memchr::memchr2(b'\r', 0, body).is_some() {
        return false;
    }
    let mark = Mark::of(doc);
    // With the lines known (a whole body), room for what they may hold is
    // made at once and what is left over given back at the end: two
    // allocations per list instead of one per doubling.
    let known = !line_starts.is_empty();
    if known {
        // The lines starting inside, and the one `from` stands in.
        let lines = line_starts
            .partition_point(|&s| s < to)
            .saturating_sub(line_starts.partition_point(|&s| s <= from))
            + 1;
        Mark::room(doc, lines);
    }
    let mut reader = Reader {
        text,
        b: text.as_bytes(),
        to,
        open: Vec::new(),
        leaf: Leaf::None,
        toks: Vec::new(),
        out: String::new(),
        quote: false,
        cell: false,
        line_starts,
        list_sizes: Vec::with_capacity(if known { line_starts.len() / 6 + 1 } else { 0 }),
    };
    let read = reader.run(doc, from).is_some();
    if read {
        mark.fill_lists(doc, &reader.list_sizes);
    } else {
        mark.restore(doc);
    }
    if known {
        Mark::fit(doc);
    }
    read
}

/// How long each of a document's lists was before a read, to undo it.
struct Mark([usize; 8]);

impl Mark {
    fn of(d: &MdDoc) -> Mark {
        Mark([
            d.headings.len(),
            d.lists.len(),
            d.items.len(),
            d.code_spans.len(),
            d.code_blocks.len(),
            d.links.len(),
            d.tables.len(),
            d.blocks.len(),
        ])
    }

    /// Room in each list of `d` for what `lines` lines may add to it (at
    /// most one item or block a line; the rest fewer, by how many lines
    /// each takes in real skills).
    fn room(d: &mut MdDoc, lines: usize) {
        d.headings.reserve(lines / 6 + 1);
        d.lists.reserve(lines / 6 + 1);
        d.items.reserve(lines * 2 / 3 + 1);
        d.code_spans.reserve(lines / 3 + 1);
        d.code_blocks.reserve(lines / 12 + 1);
        d.links.reserve(lines / 6 + 1);
        d.tables.reserve(lines / 24 + 1);
        d.blocks.reserve(lines / 2 + 1);
    }

    /// Gives back the room [`Mark::room`] made and nothing used: a parse
    /// kept by the language server holds no more than it needs.
    fn fit(d: &mut MdDoc) {
        d.headings.shrink_to_fit();
        d.lists.shrink_to_fit();
        d.items.shrink_to_fit();
        d.code_spans.shrink_to_fit();
        d.code_blocks.shrink_to_fit();
        d.links.shrink_to_fit();
        d.tables.shrink_to_fit();
        d.blocks.shrink_to_fit();
    }

    /// Gives each list read its items, in order, in a vector of exactly
    /// their number (`sizes`, one a list read): one allocation a list,
    /// not one each time a growing list doubles.
    fn fill_lists(&self, d: &mut MdDoc, sizes: &[usize]) {
        let [_, l, i, ..] = self.0;
        let MdDoc { lists, items, .. } = d;
        for (list, &n) in lists[l..].iter_mut().zip(sizes) {
            list.items = Vec::with_capacity(n);
        }
        for (index, item) in items.iter().enumerate().skip(i) {
            lists[item.list].items.push(index);
        }
    }

    fn restore(&self, d: &mut MdDoc) {
        let [h, l, i, s, c, k, t, b] = self.0;
        d.headings.truncate(h);
        // Items read are only ever in lists read.
        d.lists.truncate(l);
        d.items.truncate(i);
        d.code_spans.truncate(s);
        d.code_blocks.truncate(c);
        d.links.truncate(k);
        d.tables.truncate(t);
        d.blocks.truncate(b);
    }
}

/// A list marker: its bullet (`-`, `+`, `*`) or ordered delimiter (`.`,
/// `)`), and an ordered list's number.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Marker {
    ch: u8,
    start: Option<u64>,
}

/// An open list item.
struct OpenItem {
    /// Index into `doc.items`, and of its list into `doc.lists`.
    item: usize,
    list: usize,
    marker: Marker,
    /// The column its content starts at: lines indented less leave it.
    col: usize,
    /// The end of its first line (before the line feed).
    first_end: usize,
    /// Where its first line's text starts, when the marker starts the
    /// item: past the marker and the spaces after it, where
    /// [`first_line_ending`] would find it.
    first_start: Option<usize>,
    task: Option<(bool, TextRange)>,
}

/// The open leaf block.
enum Leaf {
    None,
    /// From its first non-blank byte to the end of its last line (before
    /// the line feed).
    Para {
        start: usize,
        end: usize,
    },
    Fence {
        at: usize,
        ch: u8,
        len: usize,
        /// The info string, trimmed: made a string only for the block.
        info: TextRange,
    },
}

/// What a line starts, read after its container's indentation.
enum Start {
    Heading(u8),
    Fence(u8, usize),
    Rule,
    /// A block quote (`>`).
    Quote,
    Item(Marker, usize),
    /// Text; `true` when it looks like a setext underline or a table's
    /// delimiter row, which change the meaning of a paragraph above.
    Text(bool),
}

/// Inline content kept as plain text (a heading's, a cell's, a link's).
enum Tok {
    Text(usize, usize),
    Byte(u8),
    Str(String),
    Delim(Delim),
}

/// A run of `*` or `_`: how many of its characters are still literal.
struct Delim {
    ch: u8,
    count: usize,
    orig: usize,
    open: bool,
    close: bool,
    active: bool,
}

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    to: usize,
    open: Vec<OpenItem>,
    leaf: Leaf,
    toks: Vec<Tok>,
    /// The plain text [`Reader::plain`] assembles, kept for the next.
    out: String,
    /// Whether a block quote is open: only at the top level, holding only
    /// paragraphs.
    quote: bool,
    /// Whether a table cell's content is being read: there `\|` is a pipe,
    /// in code spans too ([`Reader::row`]).
    cell: bool,
    /// The text's line starts, when known (else empty). A text this reader
    /// reads holds no `\r`, so within it each start follows a line feed.
    line_starts: &'a [usize],
    /// How many items each list read holds: their lists are filled at the
    /// end ([`Mark::fill_lists`]).
    list_sizes: Vec<usize>,
}

/// The bytes that may start inline markup where plain text is kept
/// (headings, cells, link text): a table, so the scan costs a load per byte.
static TEXT_MARKUP: [bool; 256] = byte_set(b"`[]\\<!*_~&\n");

/// The bytes that may start a line that is no plain text (a block's marker,
/// a setext underline, a delimiter row): a line starting otherwise (most,
/// with a letter) is text at once ([`Reader::classify`]).
static BLOCK_START: [bool; 256] = byte_set(b"><#`~-*_=|:+0123456789");

/// Whether the byte at `at` is escaped: after an odd run of backslashes
/// that starts at or after `from`, where the text before holds no escape.
fn escaped(b: &[u8], from: usize, at: usize) -> bool {
    let run = b[from..at].iter().rev().take_while(|&&c| c == b'\\').count();
    run % 2 == 1
}

impl Reader<'_> {
    fn run(&mut self, doc: &mut MdDoc, from: usize) -> Option<()> {
        let mut ls = from;
        // The next known line start after `ls`.
        let mut k = self.line_starts.partition_point(|&s| s <= from);
        while ls < self.to {
            let le = self.line_end(ls, &mut k);
            let next = (le + 1).min(self.to);
            ls = self.line(doc, ls, le, next)?;
        }
        self.close_leaf(doc, self.to)?;
        self.close_items(doc, 0, self.to, self.to);
        Some(())
    }

    /// The end of the line that starts at `ls` (its line feed, or `to`);
    /// `k` is where the line starts after `ls` are looked for.
    fn line_end(&self, ls: usize, k: &mut usize) -> usize {
        if self.line_starts.is_empty() {
            return memchr::memchr(b'\n', &self.b[ls..self.to]).map_or(self.to, |i| ls + i);
        }
        while self.line_starts.get(*k).is_some_and(|&s| s <= ls) {
            *k += 1;
        }
        match self.line_starts.get(*k) {
            Some(&next) if next - 1 < self.to => next - 1,
            _ => self.to,
        }
    }

    fn spaces(&self, mut at: usize, end: usize) -> usize {
        while at < end && self.b[at] == b' ' {
            at += 1;
        }
        at
    }

    /// Reads the line `[ls, le)` (`next` past its line feed); returns where
    /// the next unread line starts.
    fn line(&mut self, doc: &mut MdDoc, ls: usize, le: usize, next: usize) -> Option<usize> {
        let b = self.b;
        let at = self.spaces(ls, le);
        let blank = b[at..le].iter().all(|c| matches!(c, b' ' | b'\t'));
        if let Leaf::Fence { ch, len, .. } = self.leaf {
            let col = self.open.last().map_or(0, |o| o.col);
            if col == 0 || blank {
                return self.fence_line(doc, ls, at, le, next, col, ch, len, blank);
            }
            if at - ls < col && b[at] == b'\t' {
                return None;
            }
            if at - ls >= col {
                return self.fence_line(doc, ls, at, le, next, col, ch, len, false);
            }
            // The line leaves the item: the fence ends unclosed.
            self.close_leaf(doc, ls)?;
        }
        if blank {
            if at < le {
                return None;
            }
            self.close_leaf(doc, ls)?;
            self.quote = false;
            return Some(next);
        }
        if self.quote {
            // A line of the quote, or a lazy continuation line.
            if at - ls > 3 || b[at] != b'>' {
                return None;
            }
            self.quote_line(doc, at, le)?;
            return Some(next);
        }
        if b[at] == b'\t' {
            return None;
        }
        let indent = at - ls;
        if self.open.is_empty() && matches!(self.leaf, Leaf::None) && indent < 4 && b[at..le].starts_with(b"<!--") {
            return self.comment(doc, ls, at, le, next);
        }
        let m = self.open.iter().take_while(|o| indent >= o.col).count();
        let col = if m == 0 { 0 } else { self.open[m - 1].col };
        let in_para = matches!(self.leaf, Leaf::Para { .. });
        let all = m == self.open.len();
        if indent - col >= 4 {
            // Indented code, or a lazy continuation line.
            if in_para && all {
                self.extend_para(le);
                return Some(next);
            }
            return None;
        }
        let start = self.starts(at, le)?;
        match start {
            // A table whose header row starts with a pipe, not indented,
            // interrupts a paragraph (others are pulldown-cmark's to read).
            Start::Text(false) if in_para && all && b[at] == b'|' && at == ls + col && self.may_start_table(next) => {}
            // A row of dashes and pipes that is no table's delimiter row
            // continues the paragraph (no setext underline holds a pipe).
            Start::Text(true) if in_para && all && self.is_delimiter_row(ls) && !self.may_start_table(ls) => {
                self.extend_para(le);
                return Some(next);
            }
            Start::Text(underline) if in_para => {
                if underline || !all {
                    return None;
                }
                self.extend_para(le);
                return Some(next);
            }
            // An ordered list that does not start at 1 cannot interrupt a
            // paragraph: the line continues it.
            Start::Item(mk, _) if in_para && all && mk.start.is_some_and(|n| n != 1) => {
                self.extend_para(le);
                return Some(next);
            }
            // `---` under a paragraph may underline a setext heading.
            Start::Rule if in_para && b[at] == b'-' => return None,
            _ => {}
        }
        self.close_leaf(doc, ls)?;
        let sibling = matches!(start, Start::Item(mk, _) if self.open.get(m).is_some_and(|o| o.marker.ch == mk.ch));
        let list = sibling.then(|| self.open[m].list);
        let reach = match start {
            Start::Text(_) => at,
            Start::Item(..) => ls + col,
            _ => ls,
        };
        self.close_items(doc, m, ls, reach);
        self.block(doc, start, ls, at, le, next, list)
    }

    /// Reads a block that starts at `at` on the line `[ls, le)`, inside the
    /// open items; `list` is the open list a new item continues.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        doc: &mut MdDoc,
        start: Start,
        ls: usize,
        at: usize,
        le: usize,
        next: usize,
        list: Option<usize>,
    ) -> Option<usize> {
        let top = self.open.is_empty();
        if top && list.is_none() {
            doc.blocks.push(ls);
        }
        match start {
            Start::Heading(level) => {
                // pulldown-cmark's ranges around tabs in a heading are its own.
                if self.b[at..le].contains(&b'\t') {
                    return None;
                }
                let range = trim_line_end(self.text, TextRange::new(at, next));
                // A heading that ends in printable ASCII other than `#`
                // (most) has no closing sequence or trailing blank to look
                // for: its content runs from past the `#`s and spaces to there.
                let content = match self.b[range.end - 1] {
                    c if c.is_ascii_graphic() && c != b'#' => {
                        TextRange::new(self.spaces(at + usize::from(level), range.end), range.end)
                    }
                    _ => heading_content(self.text, range),
                };
                let text = self.plain(doc, content.start, content.end)?;
                doc.headings.push(Heading {
                    level,
                    text,
                    range,
                    content_range: content,
                });
            }
            Start::Fence(ch, len) => {
                let after = &self.text[at + len..le];
                let info = after.trim();
                if info.contains(['\\', '&']) || (ch == b'`' && info.contains('`')) {
                    return None;
                }
                // Where `info` stands: after the blanks `trim` dropped.
                let info_at = at + len + (after.len() - after.trim_start().len());
                self.leaf = Leaf::Fence {
                    at,
                    ch,
                    len,
                    info: TextRange::new(info_at, info_at + info.len()),
                };
            }
            Start::Rule => {}
            Start::Quote => {
                if !top {
                    return None;
                }
                self.quote = true;
                self.quote_line(doc, at, le)?;
            }
            Start::Item(marker, width) => {
                let after = at + width;
                let content = self.spaces(after, le);
                if content == le || content - after > 4 || self.b[content] == b'\t' {
                    // An empty item, or one whose content is indented code.
                    return None;
                }
                // Lists and items start past their container's indentation,
                // not at the marker (as pulldown-cmark has it).
                let start = ls + self.open.last().map_or(0, |o| o.col);
                let list = match list {
                    Some(l) => l,
                    None => {
                        doc.lists.push(List {
                            range: TextRange::new(start, start),
                            ordered: marker.start,
                            depth: self.open.len(),
                            items: Vec::new(),
                        });
                        self.list_sizes.push(0);
                        doc.lists.len() - 1
                    }
                };
                doc.items.push(ListItem {
                    range: TextRange::new(start, start),
                    task: None,
                    task_marker: None,
                    first_line: TextRange::new(at, at),
                    list,
                });
                let item = doc.items.len() - 1;
                // Lists are numbered from the first read.
                let first_list = doc.lists.len() - self.list_sizes.len();
                self.list_sizes[list - first_list] += 1;
                self.open.push(OpenItem {
                    item,
                    list,
                    marker,
                    col: content - ls,
                    first_end: le,
                    first_start: (at == start).then_some(content),
                    task: None,
                });
                // The rest of the line is the item's first block.
                let mut first = content;
                let task = self.task_marker(first, le);
                // Anything else that looks like a task marker (alone on its
                // line, a tab inside) is pulldown-cmark's to read.
                if task.is_none() && first + 3 <= le && self.b[first] == b'[' && self.b[first + 2] == b']' {
                    return None;
                }
                if let Some(checked) = task {
                    let marker = TextRange::new(first, first + 3);
                    self.open.last_mut()?.task = Some((checked, marker));
                    first = self.spaces(first + 4, le);
                    if first == le || self.b[first] == b'\t' {
                        return None;
                    }
                }
                let start = self.starts(first, le)?;
                if task.is_some() && !matches!(start, Start::Text(_)) {
                    return None;
                }
                // Text (most items) is read here, not by a call for a block.
                if let Start::Text(_) = start {
                    return self.text(doc, first, le, next);
                }
                return self.block(doc, start, ls, first, le, next, None);
            }
            Start::Text(_) => return self.text(doc, at, le, next),
        }
        Some(next)
    }

    /// Text starting a block at `at` on the line `[.., le)`: a paragraph,
    /// or a table's header row.
    #[inline(always)]
    fn text(&mut self, doc: &mut MdDoc, at: usize, le: usize, next: usize) -> Option<usize> {
        // The next line is looked at first: it fails at its first bytes,
        // where a search for a pipe reads this whole line.
        if self.may_start_table(next) && memchr::memchr(b'|', &self.b[at..le]).is_some() {
            return self.table(doc, at, le, next);
        }
        self.leaf = Leaf::Para { start: at, end: le };
        Some(next)
    }

    /// The line `[at, le)` of a block quote, `at` on its `>`: a paragraph's
    /// line, or a blank one between paragraphs.
    fn quote_line(&mut self, doc: &mut MdDoc, at: usize, le: usize) -> Option<()> {
        let mut c = at + 1;
        if self.b.get(c) == Some(&b' ') && c < le {
            c += 1;
        }
        let first = self.spaces(c, le);
        if first == le {
            return self.close_leaf(doc, first);
        }
        let in_para = matches!(self.leaf, Leaf::Para { .. });
        if self.b[first] == b'\t' || (first - c >= 4 && !in_para) {
            return None;
        }
        if first - c < 4 && !matches!(self.classify(first, le)?, Start::Text(false)) {
            return None;
        }
        if in_para {
            self.extend_para(le);
        } else {
            self.leaf = Leaf::Para { start: first, end: le };
        }
        Some(())
    }

    /// `[ ]`, `[x]` or `[X]` and a blank at `at`: whether it is ticked.
    fn task_marker(&self, at: usize, le: usize) -> Option<bool> {
        let m = self.b.get(at..at + 4)?;
        if at + 4 > le || m[0] != b'[' || m[2] != b']' || !matches!(m[3], b' ' | b'\t') {
            return None;
        }
        match m[1] {
            b' ' => Some(false),
            b'x' | b'X' => Some(true),
            _ => None,
        }
    }

    /// An HTML comment starting the line `[ls, le)` at `at`, at the top
    /// level and not after a paragraph's line (which it would interrupt): a
    /// block of its own that holds nothing the document records, and ends
    /// with the line holding `-->`. Only a comment on one line is read here
    /// (templates write notes so); `<!-->` and `<!--->`, which end early in
    /// some readings, and longer comments are pulldown-cmark's to read.
    fn comment(&mut self, doc: &mut MdDoc, ls: usize, at: usize, le: usize, next: usize) -> Option<usize> {
        let rest = &self.b[at + 4..le];
        if rest.starts_with(b">") || rest.starts_with(b"->") || memchr::memmem::find(rest, b"-->").is_none() {
            return None;
        }
        doc.blocks.push(ls);
        Some(next)
    }

    fn extend_para(&mut self, le: usize) {
        if let Leaf::Para { end, .. } = &mut self.leaf {
            *end = le;
        }
    }

    /// [`Reader::classify`], a line whose first byte can start no block
    /// (most text: a letter) told here, without the call.
    #[inline(always)]
    fn starts(&self, at: usize, le: usize) -> Option<Start> {
        if BLOCK_START[usize::from(self.b[at])] {
            self.classify(at, le)
        } else {
            Some(Start::Text(false))
        }
    }

    /// What the line starting at `at` (after its container's indentation,
    /// less than four columns) starts; `None` for what this reader leaves
    /// to pulldown-cmark.
    fn classify(&self, at: usize, le: usize) -> Option<Start> {
        let b = self.b;
        let line = &b[at..le];
        let c = line[0];
        if !BLOCK_START[usize::from(c)] {
            return Some(Start::Text(false));
        }
        // Strong emphasis opening the line (`**Note**`, the commonest start
        // of an item's text after its marker): a run of two that neither a
        // blank nor a third follows is no rule, bullet or underline.
        if matches!(c, b'*' | b'_')
            && line.get(1) == Some(&c)
            && line.get(2).is_some_and(|&x| !matches!(x, b' ' | b'\t') && x != c)
        {
            return Some(Start::Text(false));
        }
        if matches!(c, b'-' | b'+' | b'*') && matches!(line.get(1), Some(b' ' | b'\t')) {
            // A bullet, unless the line is a thematic break (`- - -`),
            // which has the bullet again as its next byte that is no blank;
            // that line, or one blank after its bullet, is read below.
            let after = line[1..].iter().find(|&&x| x != b' ' && x != b'\t');
            if after.is_some_and(|&x| x != c) {
                return Some(Start::Item(Marker { ch: c, start: None }, 1));
            }
        }
        let run = line.iter().take_while(|&&x| x == c).count();
        match c {
            b'>' => return Some(Start::Quote),
            b'<' => return None,
            b'#' => {
                let after = line.get(run).copied();
                if run <= 6 && matches!(after, None | Some(b' ')) {
                    return Some(Start::Heading(run as u8));
                }
                if run <= 6 && after == Some(b'\t') {
                    return None;
                }
            }
            b'`' | b'~' if run >= 3 => return Some(Start::Fence(c, run)),
            _ => {}
        }
        if matches!(c, b'-' | b'*' | b'_')
            && line.iter().all(|&x| x == c || x == b' ' || x == b'\t')
            && line.iter().filter(|&&x| x == c).count() >= 3
        {
            return Some(Start::Rule);
        }
        let underline = matches!(c, b'=' | b'-' | b'|' | b':')
            && line
                .iter()
                .all(|x| matches!(x, b'=' | b'-' | b'|' | b':' | b' ' | b'\t'))
            && line.iter().any(|x| matches!(x, b'=' | b'-'));
        if matches!(c, b'-' | b'+' | b'*') && matches!(line.get(1), None | Some(b' ' | b'\t')) {
            return Some(Start::Item(Marker { ch: c, start: None }, 1));
        }
        if c.is_ascii_digit() {
            let digits = line.iter().take_while(|x| x.is_ascii_digit()).count();
            let delim = line.get(digits).copied();
            if digits <= 9
                && matches!(delim, Some(b'.' | b')'))
                && matches!(line.get(digits + 1), None | Some(b' ' | b'\t'))
            {
                // At most nine digits: the number fits, read as they are
                // counted, without a parser's checks.
                let n = line[..digits].iter().fold(0, |n, &d| n * 10 + u64::from(d - b'0'));
                let marker = Marker {
                    ch: delim?,
                    start: Some(n),
                };
                return Some(Start::Item(marker, digits + 1));
            }
        }
        Some(Start::Text(underline))
    }

    /// Whether the line starting at `ls` is a table's delimiter row (or
    /// looks enough like one that this reader declines the text).
    #[inline(always)]
    fn is_delimiter_row(&self, ls: usize) -> bool {
        // A line that starts otherwise (most: text) is told at its first
        // byte, where it is asked about.
        ls < self.to && matches!(self.b[ls], b'|' | b'-' | b':' | b' ') && self.delimiter_row_bytes(ls)
    }

    /// [`Reader::is_delimiter_row`] past its first byte's test.
    #[inline(always)]
    fn delimiter_row_bytes(&self, ls: usize) -> bool {
        // Without a pipe (`---`) it may underline a setext heading instead;
        // tabs are pulldown-cmark's to read. One pass that stops at the
        // first byte no such row holds: most lines asked about are text.
        let (mut dash, mut pipe) = (false, false);
        for &c in &self.b[ls..self.to] {
            match c {
                b'-' => dash = true,
                b'|' => pipe = true,
                b':' | b' ' => {}
                b'\n' => break,
                _ => return false,
            }
        }
        dash && pipe
    }

    /// Whether the line starting at `ls` may be a table's delimiter row: it
    /// looks like one ([`Reader::is_delimiter_row`]) and pulldown-cmark
    /// takes it for one (`scanners::scan_table_head`), which it does not
    /// when a pipe ends a column without a dash (`|---||---|`).
    #[inline(always)]
    fn may_start_table(&self, ls: usize) -> bool {
        self.is_delimiter_row(ls) && self.columns_have_dashes(ls)
    }

    /// Whether each column a pipe ends in the delimiter row at `ls` holds a
    /// dash, as pulldown-cmark's `scan_table_head` wants.
    fn columns_have_dashes(&self, ls: usize) -> bool {
        let le = memchr::memchr(b'\n', &self.b[ls..self.to]).map_or(self.to, |i| ls + i);
        let line = self.b[ls..le].trim_ascii_start();
        let line = line.strip_prefix(b"|").unwrap_or(line);
        // The columns a pipe ends: all but what follows the last pipe.
        let mut ended = line.split(|&c| c == b'|');
        ended.next_back();
        ended.all(|column| column.contains(&b'-'))
    }

    /// A line of an open fenced code block, inside items of content column
    /// `col` (0 at the top level); `at` is its first byte that is no space,
    /// at or past `ls + col` when the line is not blank ([`Reader::line`]
    /// found it: past the container's indentation it is the same byte).
    #[allow(clippy::too_many_arguments)]
    fn fence_line(
        &mut self,
        doc: &mut MdDoc,
        ls: usize,
        at: usize,
        le: usize,
        next: usize,
        col: usize,
        ch: u8,
        len: usize,
        blank: bool,
    ) -> Option<usize> {
        if blank {
            return Some(next);
        }
        let run = self.b[at..le].iter().take_while(|&&x| x == ch).count();
        let fence = at - ls - col < 4 && run >= len;
        let rest = &self.b[at + run..le];
        // A tab after a closing fence is pulldown-cmark's to read.
        if fence && rest.contains(&b'\t') && rest.iter().all(|x| matches!(x, b' ' | b'\t')) {
            return None;
        }
        if fence && rest.iter().all(|&x| x == b' ') {
            self.push_code_block(doc, next);
        }
        Some(next)
    }

    fn push_code_block(&mut self, doc: &mut MdDoc, end: usize) {
        if let Leaf::Fence { at, info, .. } = std::mem::replace(&mut self.leaf, Leaf::None) {
            let range = TextRange::new(at, end);
            doc.code_blocks.push(CodeBlock {
                range: trim_line_end(self.text, range),
                info: self.text[info.start..info.end].into(),
                content: code_block_content(self.text, range),
            });
        }
    }

    /// Ends the open leaf block at `end` (the start of the line that ends it).
    #[inline(always)]
    fn close_leaf(&mut self, doc: &mut MdDoc, end: usize) -> Option<()> {
        // Many lines close none (a blank line after another, an item after
        // a heading): no call for them.
        if matches!(self.leaf, Leaf::None) {
            return Some(());
        }
        self.close_open_leaf(doc, end)
    }

    /// [`Reader::close_leaf`] when a leaf block is open.
    fn close_open_leaf(&mut self, doc: &mut MdDoc, end: usize) -> Option<()> {
        match self.leaf {
            Leaf::None => {}
            Leaf::Fence { .. } => self.push_code_block(doc, end),
            Leaf::Para { start, end } => {
                self.leaf = Leaf::None;
                // A paragraph that starts with `[` and holds `]:` may be a link
                // reference definition.
                if self.b[start] == b'[' && memchr::memmem::find(&self.b[start..end], b"]:").is_some() {
                    return None;
                }
                // Outside kept text only these bytes make anything
                // ([`Reader::inline`]): most paragraphs (an item's line)
                // hold none, and then need no scan set up.
                if holds_any3(&self.b[start..end], b'`', b'[', b'<') {
                    self.toks.clear();
                    self.inline(doc, start, end, false, false)?;
                }
            }
        }
        Some(())
    }

    /// Closes the open items from the `keep`-th on, at the line `ls` that
    /// closes them (blank lines before it are theirs). As pulldown-cmark
    /// has it, a list whose container stays open reaches to `at` (a
    /// paragraph's first byte, past its container's indentation for a new
    /// list); the others end at `ls`.
    #[inline(always)]
    fn close_items(&mut self, doc: &mut MdDoc, keep: usize, ls: usize, at: usize) {
        // Most lines close none: no call for them.
        if self.open.len() > keep {
            self.close_open_items(doc, keep, ls, at);
        }
    }

    /// [`Reader::close_items`] when there are items to close.
    fn close_open_items(&mut self, doc: &mut MdDoc, keep: usize, ls: usize, at: usize) {
        while self.open.len() > keep {
            let Some(o) = self.open.pop() else { break };
            let range = trim_line_end(self.text, TextRange::new(doc.items[o.item].range.start, ls));
            let item = &mut doc.items[o.item];
            item.range = range;
            // The first `\n` of the item is its first line's, unless the
            // item ends before it.
            let line_end = o.first_end.min(range.end);
            // Without a line end to trim (the first line's, or the item's
            // already trimmed end) the range needs no search.
            item.first_line = match o.first_start {
                Some(start) => TextRange::new(start.min(line_end), line_end),
                None => first_line_ending(self.text, range, line_end),
            };
            if let Some((checked, marker)) = o.task {
                mark_task(self.text, item, checked, marker);
            }
            doc.lists[o.list].range.end = if self.open.len() <= keep { at } else { ls };
        }
    }

    /// A table whose header row is `[at, le)`; the delimiter row follows.
    /// Its rows are the lines that follow up to a blank one, each in the
    /// open items (indented to their content, and less than four columns
    /// more) and starting with `|`.
    // Rare: kept out of the paths of the lines that are no table.
    #[inline(never)]
    fn table(&mut self, doc: &mut MdDoc, at: usize, le: usize, next: usize) -> Option<usize> {
        let col = self.open.last().map_or(0, |o| o.col);
        let in_items = |ls: usize, row_at: usize| (col..col + 4).contains(&(row_at - ls));
        let columns = cells(self.b, at, le).count();
        let delim_end = memchr::memchr(b'\n', &self.b[next..self.to]).map_or(self.to, |i| next + i);
        let delim_at = self.spaces(next, delim_end);
        let delims = || cells(self.b, delim_at, delim_end);
        let well_formed = |r: &TextRange| {
            let cell = self.text[r.start..r.end].trim_matches(' ');
            let dashes = cell.trim_start_matches(':').trim_end_matches(':');
            !dashes.is_empty() && dashes.bytes().all(|c| c == b'-') && cell.len() - dashes.len() <= 2
        };
        if !in_items(next, delim_at) || delims().count() != columns || !delims().all(|r| well_formed(&r)) {
            return None;
        }
        let mut ls = (delim_end + 1).min(self.to);
        let header = self.row(doc, at, le, next, columns)?;
        let mut rows = Vec::new();
        let mut end = ls;
        while ls < self.to {
            let le = memchr::memchr(b'\n', &self.b[ls..self.to]).map_or(self.to, |i| ls + i);
            let row_at = self.spaces(ls, le);
            if row_at == le || self.leaves_item(ls, row_at, le, col) {
                break;
            }
            if !in_items(ls, row_at) || self.b[row_at] != b'|' {
                return None;
            }
            let next = (le + 1).min(self.to);
            rows.push(self.row(doc, row_at, le, next, columns)?);
            ls = next;
            end = next;
        }
        doc.tables.push(Table {
            range: TextRange::new(at, end),
            header,
            rows,
        });
        Some(end)
    }

    /// Whether the line `[ls, le)`, its first non-blank byte at `at`, ends
    /// a table inside an item (content column `col`) as a blank line does:
    /// it starts another item of a list the table's item is in (`3.` after
    /// a table in item `2.`), so the item is closed before the table could
    /// take the line as a row.
    fn leaves_item(&self, ls: usize, at: usize, le: usize, col: usize) -> bool {
        at - ls < col && matches!(self.classify(at, le), Some(Start::Item(..)))
    }

    fn row(&mut self, doc: &mut MdDoc, at: usize, le: usize, next: usize, columns: usize) -> Option<TableRow> {
        let line = &self.b[at..le];
        // A tab, a pipe after two backslashes, an escaped pipe or a backslash ending
        // the row and a row of nothing but pipes are pulldown-cmark's to read.
        // (A pipe after one backslash is the cell's text: see `cells`.)
        if line.iter().all(|&c| c == b'|' || c == b' ') {
            return None;
        }
        // Only a row with a tab or a backslash (few) is looked at further.
        if let Some(i) = memchr::memchr2(b'\t', b'\\', line) {
            if memchr::memchr(b'\t', &line[i..]).is_some() {
                return None;
            }
            let trimmed = line.trim_ascii_end();
            if memchr::memchr_iter(b'|', line).any(|i| i >= 2 && line[i - 2..i] == *b"\\\\")
                || trimmed.ends_with(b"\\")
                || trimmed.ends_with(b"\\|")
            {
                return None;
            }
        }
        // A row of another number of cells is declined (the whole read
        // is then undone, the code spans and links its cells recorded too).
        let mut row_cells = Vec::with_capacity(columns);
        for r in cells(self.b, at, le) {
            if row_cells.len() == columns {
                return None;
            }
            let raw = &self.b[r.start..r.end];
            if raw.iter().filter(|&&c| c == b'`').count() % 2 == 1 {
                return None;
            }
            let s = self.spaces(r.start, r.end);
            let mut e = r.end;
            while e > s && self.b[e - 1] == b' ' {
                e -= 1;
            }
            self.cell = true;
            let text = self.plain(doc, s, e);
            self.cell = false;
            row_cells.push(TableCell { range: r, text: text? });
        }
        if row_cells.len() != columns {
            return None;
        }
        Some(TableRow {
            range: trim_line_end(self.text, TextRange::new(at, next)),
            cells: row_cells,
        })
    }

    /// The plain text of the inline content `[start, end)`, trimmed,
    /// recording its code spans and links.
    fn plain(&mut self, doc: &mut MdDoc, start: usize, end: usize) -> Option<SharedStr> {
        let bytes = &self.b[start..end];
        if !any_in_set(bytes, &TEXT_MARKUP) {
            return Some(trim_text(&self.text[start..end]).into());
        }
        self.toks.clear();
        self.inline(doc, start, end, true, false)?;
        // Text of one run (a cell of code, a link alone, an `&` that is no
        // entity) is a slice of the document: nothing to resolve or copy.
        if let [Tok::Text(s, e)] = self.toks[..] {
            return Some(trim_text(&self.text[s..e]).into());
        }
        let (mut toks, mut out) = (std::mem::take(&mut self.toks), std::mem::take(&mut self.out));
        out.clear();
        self.assemble(&mut toks, &mut out);
        let text = trim_text(&out).into();
        (self.toks, self.out) = (toks, out);
        Some(text)
    }

    /// Emphasis resolved on `toks`, then their text, added to `out`.
    fn assemble(&self, toks: &mut [Tok], out: &mut String) {
        emphasis(toks);
        for t in toks.iter() {
            match t {
                Tok::Text(s, e) => out.push_str(&self.text[*s..*e]),
                Tok::Byte(c) => out.push(*c as char),
                Tok::Str(s) => out.push_str(s),
                Tok::Delim(d) => out.extend(std::iter::repeat_n(d.ch as char, d.count)),
            }
        }
    }

    /// Reads the inline content `[start, end)`: code spans and links go to
    /// `doc`; with `keep`, its text goes to `self.toks`. Inside a link's
    /// text (`in_link`), stops at the closing `]` and returns where it is
    /// (or `end` when there is none).
    fn inline(&mut self, doc: &mut MdDoc, start: usize, end: usize, keep: bool, in_link: bool) -> Option<usize> {
        let b = self.b;
        let mut i = start;
        let mut text_from = start;
        macro_rules! flush {
            ($upto:expr) => {
                if keep && $upto > text_from {
                    self.toks.push(Tok::Text(text_from, $upto));
                }
            };
        }
        while i < end {
            if !keep {
                // Outside kept text only code spans, links and angle brackets
                // make anything; a backslash matters only before one of them
                // (`![` is declined), so the scan jumps between them.
                let Some(k) = memchr::memchr3(b'`', b'[', b'<', &b[i..end]) else {
                    break;
                };
                let at = i + k;
                if escaped(b, i, at) {
                    i = at + 1;
                    continue;
                }
                if b[at] == b'[' && at > i && b[at - 1] == b'!' && !escaped(b, i, at - 1) {
                    return None;
                }
                i = at;
            } else if !TEXT_MARKUP[b[i] as usize] {
                // Plain text up to the next byte that may start markup.
                i = position_in_set(&b[i..end], &TEXT_MARKUP).map_or(end, |k| i + k);
                continue;
            }
            let c = b[i];
            match c {
                b'\\' => {
                    let next = b.get(i + 1).copied().filter(|_| i + 1 < end);
                    match next {
                        Some(p) if p.is_ascii_punctuation() => {
                            flush!(i);
                            if keep {
                                self.toks.push(Tok::Byte(p));
                            }
                            i += 2;
                            text_from = i;
                        }
                        Some(b'\n') if keep => return None,
                        _ => i += 1,
                    }
                }
                b'`' => {
                    let n = b[i..end].iter().take_while(|&&x| x == b'`').count();
                    let Some(close) = closing_ticks(&b[i + n..end], n) else {
                        i += n;
                        continue;
                    };
                    let inner = TextRange::new(i + n, i + n + close);
                    let raw = &self.text[inner.start..inner.end];
                    if raw.contains('\n') {
                        return None;
                    }
                    let code = if raw.len() >= 2
                        && raw.starts_with(' ')
                        && raw.ends_with(' ')
                        && raw.bytes().any(|x| x != b' ')
                    {
                        &raw[1..raw.len() - 1]
                    } else {
                        raw
                    };
                    let range = TextRange::new(i, inner.end + n);
                    // Where `code` stands inside the backticks: what
                    // `markdown::code_content` finds, without searching.
                    let strip = (raw.len() - code.len()) / 2;
                    let written = TextRange::new(inner.start + strip, inner.end - strip);
                    // GFM reads a cell with its `\|` made `|` first, in code
                    // too; that code is looked for in the span as
                    // pulldown-cmark's is.
                    let piped = (self.cell && memchr::memmem::find(code.as_bytes(), b"\\|").is_some())
                        .then(|| code.replace("\\|", "|"));
                    doc.code_spans.push(CodeSpan {
                        range,
                        content: piped.as_ref().map_or(written, |p| code_content(self.text, range, p)),
                    });
                    flush!(i);
                    if keep {
                        self.toks
                            .push(piped.map_or(Tok::Text(written.start, written.end), Tok::Str));
                    }
                    i = range.end;
                    text_from = i;
                }
                b'[' => {
                    if in_link {
                        return None;
                    }
                    flush!(i);
                    let mark = self.toks.len();
                    self.toks.push(Tok::Text(i, i + 1));
                    let close = self.inline(doc, i + 1, end, true, true)?;
                    if close < end && b.get(close + 1) == Some(&b'(') && close + 1 < end {
                        let (dest, title, after) = self.destination(close + 2, end)?;
                        // The link text's emphasis is its own: resolved on its
                        // tokens alone, which then give way to the text.
                        // A text of one run (most) is a slice: no string is built.
                        let mut toks = std::mem::take(&mut self.toks);
                        let (link_text, tok) = match toks[mark + 1..] {
                            [Tok::Text(s, e)] => (SharedStr::from(&self.text[s..e]), Tok::Text(s, e)),
                            _ => {
                                let mut link_text = String::new();
                                self.assemble(&mut toks[mark + 1..], &mut link_text);
                                (SharedStr::from(link_text.as_str()), Tok::Str(link_text))
                            }
                        };
                        toks.truncate(mark);
                        self.toks = toks;
                        let range = TextRange::new(i, after);
                        let dest_at = dest;
                        let dest: SharedStr = self.text[dest.start..dest.end].into();
                        doc.links.push(Link {
                            range,
                            // Without a title, the link ends `](dest)`: where
                            // `find_dest` would look, the destination is
                            // known (no `](` can stand in it, `(` ends it).
                            dest_range: match title {
                                None => (!dest.is_empty()).then_some(dest_at),
                                Some(_) => find_dest(self.text, range, &dest),
                            },
                            dest,
                            text: link_text,
                            title: title.map_or_else(SharedStr::default, |t| self.text[t.start..t.end].into()),
                        });
                        if keep {
                            self.toks.push(tok);
                        }
                        i = after;
                    } else if close < end {
                        // Brackets that make no link are text; their content's
                        // emphasis stays with the enclosing text.
                        self.toks.push(Tok::Text(close, close + 1));
                        i = close + 1;
                    } else {
                        i = end;
                    }
                    if !keep {
                        self.toks.truncate(mark);
                    }
                    text_from = i;
                }
                b']' => {
                    if in_link {
                        flush!(i);
                        return Some(i);
                    }
                    i += 1;
                }
                b'<' => {
                    let Some(&first) = b.get(i + 1).filter(|_| i + 1 < end) else {
                        i += 1;
                        continue;
                    };
                    if !(first.is_ascii_alphabetic() || matches!(first, b'/' | b'!' | b'?')) {
                        i += 1;
                        continue;
                    }
                    flush!(i);
                    let after = self.angle(doc, i, end, keep, in_link)?;
                    i = after;
                    text_from = i;
                }
                b'!' => {
                    if b.get(i + 1) == Some(&b'[') {
                        return None;
                    }
                    i += 1;
                }
                b'&' => {
                    if may_be_entity(&b[i + 1..end]) {
                        return None;
                    }
                    i += 1;
                }
                b'*' | b'_' | b'~' => {
                    let n = b[i..end].iter().take_while(|&&x| x == c).count();
                    // Three tildes or more strike nothing through: text.
                    if c == b'~' && n > 2 {
                        i += n;
                        continue;
                    }
                    flush!(i);
                    // A heading's or a cell's content ends count as white
                    // space; link text sees the brackets around it.
                    let (lo, hi) = if in_link { (0, self.to) } else { (start, end) };
                    let prev = self.text[lo..i]
                        .chars()
                        .next_back()
                        .map_or(Some(b'\n'), as_ascii_class)?;
                    let next = self.text[i + n..hi]
                        .chars()
                        .next()
                        .map_or(Some(b'\n'), as_ascii_class)?;
                    let (left, right) = flanking(prev, next);
                    let (open, close) = match c {
                        b'*' => (left, right),
                        b'_' => (
                            left && (!right || prev.is_ascii_punctuation()),
                            right && (!left || next.is_ascii_punctuation()),
                        ),
                        _ => tilde_flanking(prev, next, n),
                    };
                    self.toks.push(Tok::Delim(Delim {
                        ch: c,
                        count: n,
                        orig: n,
                        open,
                        close,
                        active: true,
                    }));
                    i += n;
                    text_from = i;
                }
                // A line break inside kept text (link text over lines).
                _ => return None,
            }
        }
        flush!(end);
        Some(end)
    }

    /// An autolink or a bare inline tag at `<` (`at`, a letter, `/`, `!`
    /// or `?` after it): where it ends.
    fn angle(&mut self, doc: &mut MdDoc, at: usize, end: usize, keep: bool, in_link: bool) -> Option<usize> {
        let b = self.b;
        let rest = &b[at + 1..end];
        let first = rest[0];
        let close = memchr::memchr(b'>', rest)?;
        let inner = &rest[..close];
        let after = at + 1 + close + 1;
        if is_plain_tag(inner) {
            return Some(after);
        }
        // A URI autolink: `<scheme:...>`.
        let scheme = inner
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
            .count();
        let scheme_like = first.is_ascii_alphabetic() && (2..=32).contains(&scheme) && inner.get(scheme) == Some(&b':');
        let uri = inner.iter().all(|&c| c > b' ' && c != b'<');
        if scheme_like && uri && !in_link {
            let uri = &self.text[at + 1..at + 1 + close];
            let range = TextRange::new(at, after);
            let dest: SharedStr = uri.into();
            if keep {
                self.toks.push(Tok::Text(at + 1, at + 1 + close));
            }
            doc.links.push(Link {
                range,
                dest_range: find_dest(self.text, range, &dest),
                dest,
                text: uri.into(),
                title: SharedStr::default(),
            });
            return Some(after);
        }
        // `<scheme:` with a blank or `<` before the `>`: no autolink, and no
        // tag either (a tag's name ends at a blank, `/` or `>`, not at `:`),
        // so the `<` is text.
        if scheme_like && !uri {
            if keep {
                self.toks.push(Tok::Text(at, at + 1));
            }
            return Some(at + 1);
        }
        None
    }

    /// An inline link's `dest)` or `dest "title")` from `at` (past `](`):
    /// the destination, the title and where the link ends.
    fn destination(&self, at: usize, end: usize) -> Option<(TextRange, Option<TextRange>, usize)> {
        let b = self.b;
        let stop = |c: u8| c <= b' ' || matches!(c, b'(' | b')' | b'<' | b'\\' | b'&');
        let d_end = at + b[at..end].iter().take_while(|&&c| !stop(c)).count();
        let dest = TextRange::new(at, d_end);
        match b.get(d_end) {
            Some(b')') if d_end < end => return Some((dest, None, d_end + 1)),
            Some(b' ') if d_end > at && d_end < end => {}
            _ => return None,
        }
        let q = self.spaces(d_end, end);
        let quote = *b.get(q).filter(|_| q < end)?;
        if !matches!(quote, b'"' | b'\'') {
            return None;
        }
        let t_len = b[q + 1..end].iter().position(|&c| c == quote)?;
        let title = TextRange::new(q + 1, q + 1 + t_len);
        if b[title.start..title.end]
            .iter()
            .any(|c| matches!(c, b'\\' | b'&' | b'\n'))
        {
            return None;
        }
        let after = self.spaces(title.end + 1, end);
        (after < end && b[after] == b')').then_some((dest, Some(title), after + 1))
    }
}

/// The cells of the row `b[at..le]`: their content, between the pipes.
fn cells(b: &[u8], at: usize, le: usize) -> impl Iterator<Item = TextRange> + '_ {
    let mut end = le;
    while end > at && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let mut start = at;
    if b.get(start) == Some(&b'|') {
        start += 1;
    }
    // Without a closing pipe, the last cell keeps its trailing blanks.
    if end > start && b[end - 1] == b'|' {
        end -= 1;
    } else {
        end = le;
    }
    // The start of the next cell, `None` once the last was given. A pipe
    // after a backslash is the cell's text (`Reader::row` declines a row
    // where that backslash may be escaped itself).
    let mut s = Some(start);
    std::iter::from_fn(move || {
        let from = s?;
        let to = memchr::memchr_iter(b'|', &b[from..end])
            .map(|i| from + i)
            .find(|&p| p == from || b[p - 1] != b'\\')
            .unwrap_or(end);
        s = (to < end).then_some(to + 1);
        Some(TextRange::new(from, to))
    })
}

/// Whether `&` followed by `rest` may be an entity or a numeric character
/// reference (`&amp;`, `&#39;`), which pulldown-cmark decodes.
fn may_be_entity(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take(40)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
        .count();
    name > 0 && rest.get(name) == Some(&b';')
}

/// Whether a run of `n` tildes (one or two) between `prev` and `next` may
/// open and close a strikethrough, as pulldown-cmark has it (not quite
/// CommonMark's flanking): `~~` may stand inside a word, `~` may not, and
/// a run after an escaped `~` may always close.
fn tilde_flanking(prev: u8, next: u8, n: usize) -> (bool, bool) {
    let (pw, nw) = (prev.is_ascii_whitespace(), next.is_ascii_whitespace());
    let (pp, np) = (prev.is_ascii_punctuation(), next.is_ascii_punctuation());
    let open = !nw && (n > 1 || pw || pp);
    let close = !pw && (nw || np || (n > 1 && !pp) || prev == b'~');
    (open, close)
}

/// Whether `<inner>` is an inline tag with no attribute values: `<name>`,
/// `</name>`, `<name/>`, `<name attr other>`.
fn is_plain_tag(inner: &[u8]) -> bool {
    let is_name = |w: &[u8]| {
        w.first().is_some_and(|c| c.is_ascii_alphabetic()) && w.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    if let Some(name) = inner.strip_prefix(b"/") {
        return is_name(name.trim_ascii_end());
    }
    let inner = inner.strip_suffix(b"/").unwrap_or(inner);
    let mut words = inner.split(|c| *c == b' ').filter(|w| !w.is_empty());
    let attribute = |w: &&[u8]| {
        w.first()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b':'))
            && w.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-'))
    };
    !inner.starts_with(b" ") && words.next().is_some_and(is_name) && words.all(|w| attribute(&w))
}

/// `s` trimmed as `str::trim` trims it, which a string whose first and
/// last bytes are printable ASCII (most: a cell's and a heading's content
/// come trimmed of spaces) needs no search for.
fn trim_text(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Where the first run of exactly `n` backticks in `rest` starts.
fn closing_ticks(rest: &[u8], n: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'`', &rest[at..]) {
        let s = at + i;
        let run = rest[s..].iter().take_while(|&&x| x == b'`').count();
        if run == n {
            return Some(s);
        }
        at = s + run;
    }
    None
}

/// A character beside a delimiter run as an ASCII byte of the same class
/// for [`flanking`]: itself when ASCII, `a` for a letter or digit; `None`
/// (not read here) for other white space and punctuation, whose Unicode
/// classes this reader does not carry.
fn as_ascii_class(c: char) -> Option<u8> {
    if c.is_ascii() {
        Some(c as u8)
    } else if c.is_alphanumeric() {
        Some(b'a')
    } else {
        None
    }
}

/// Whether a delimiter run between `prev` and `next` is left- and
/// right-flanking (CommonMark; a line's ends count as white space).
fn flanking(prev: u8, next: u8) -> (bool, bool) {
    let (pw, nw) = (prev.is_ascii_whitespace(), next.is_ascii_whitespace());
    let (pp, np) = (prev.is_ascii_punctuation(), next.is_ascii_punctuation());
    (!nw && (!np || pw || pp), !pw && (!pp || nw || np))
}

/// CommonMark's emphasis resolution over the delimiter runs of `toks`:
/// each run keeps as literal text the characters no match used.
///
/// Tildes strike through as pulldown-cmark has it: a run matches only a
/// run of its length, and once a run of tildes closes nothing, none of the
/// runs before it is opened by a later one.
fn emphasis(toks: &mut [Tok]) {
    let mut tilde_bottom = 0;
    for c in 0..toks.len() {
        // A closer matches openers while it has characters left.
        while let Tok::Delim(cd) = &toks[c] {
            if !cd.active || !cd.close || cd.count == 0 {
                break;
            }
            let (cch, copen, corig) = (cd.ch, cd.open, cd.orig);
            let bottom = if cch == b'~' { tilde_bottom } else { 0 };
            let opener = (bottom..c).rev().find(|&o| match &toks[o] {
                Tok::Delim(od) => {
                    od.active
                        && od.open
                        && od.count > 0
                        && od.ch == cch
                        && (cch != b'~' || od.orig == corig)
                        && !((od.close || copen) && (od.orig + corig) % 3 == 0 && !(od.orig % 3 == 0 && corig % 3 == 0))
                }
                _ => false,
            });
            let Some(o) = opener else {
                if cch == b'~' {
                    tilde_bottom = c;
                }
                if !copen {
                    if let Tok::Delim(cd) = &mut toks[c] {
                        cd.active = false;
                    }
                }
                break;
            };
            let counts = |t: &Tok| if let Tok::Delim(d) = t { d.count } else { 0 };
            let used = if counts(&toks[o]) >= 2 && counts(&toks[c]) >= 2 {
                2
            } else {
                1
            };
            for (k, t) in toks[o..=c].iter_mut().enumerate() {
                if let Tok::Delim(d) = t {
                    if k == 0 || k == c - o {
                        d.count -= used;
                        if d.count == 0 {
                            d.active = false;
                        }
                    } else {
                        d.active = false;
                    }
                }
            }
        }
    }
}
