//! A YAML tree with a byte range on every key and value, built from the
//! parser's events, with bounds on aliases, depth and size.
//!
//! Ranges are absolute byte offsets into the whole document. A value's range
//! is the value as written: quotes included for a quoted scalar, the `|`/`>`
//! header through the last content character for a block scalar, brackets
//! included for a flow collection, first to last entry for a block
//! collection, and any anchor or tag written in front of it. A value left
//! empty (`key:`) is `Null` with an empty range just after the key. An alias
//! (`*base`) is a copy of the anchored value whose outer range is the alias.
//!
//! Plain scalars resolve per the YAML 1.2 core schema (`null`/`~`/empty,
//! `true`/`false`, decimal, octal `0o` and hex `0x` integers, floats, `.inf`,
//! `.nan`); quoted and block scalars are strings, as is anything tagged
//! `!!str`. saphyr-parser counts marker positions in characters; they are
//! converted to byte offsets here (see `Positions`).

use std::collections::{BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};

pub use super::yaml_tree::{resolve_plain, YamlEntry, YamlLimits, YamlNode, YamlValue};
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The parser stopped: `range` is where.
    Syntax,
    /// A key repeated in one map: `range` is the second occurrence.
    DuplicateKey,
    /// Aliases, nesting or size beyond [`YamlLimits`].
    Limit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub range: TextRange,
    pub message: String,
    /// Reading went on past this error, so the tree is complete after it
    /// (a duplicate key, a `: ` inside an unquoted value). `false` when the
    /// parser stopped here and the tree holds only what came before.
    pub recovered: bool,
}

/// Parses `text[range]` (one YAML document). Never fails: returns what
/// could be built (possibly nothing) and every error found.
///
/// After a syntax error or a limit the tree holds everything completed
/// before that point (open maps and sequences are closed where they stood;
/// a key whose value was never read is dropped), so keys before a broken
/// line stay usable. Past `max_bytes` only the lines before the limit are
/// read. Work is bounded: parsing stops at the first limit crossed, and
/// aliases are counted at their expanded size before anything is copied.
pub fn parse(text: &str, range: TextRange, limits: YamlLimits) -> (Option<YamlNode>, Vec<YamlError>) {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let end = floor_char_boundary(text, range.end.min(text.len())).max(start);
    // Most front matter is of one simple shape, read without the parser.
    if end - start <= limits.max_bytes {
        if let Some(root) = super::yaml_fast::read(&text[start..end], start, limits) {
            return (Some(root), Vec::new());
        }
    }
    parse_events(text, range, limits)
}

/// [`parse`] on the parser's events, whatever the shape: what the fast
/// reader ([`super::yaml_fast`]) is tested against.
pub(crate) fn parse_events(text: &str, range: TextRange, limits: YamlLimits) -> (Option<YamlNode>, Vec<YamlError>) {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let end = floor_char_boundary(text, range.end.min(text.len())).max(start);
    let mut src = &text[start..end];
    let mut errors = Vec::new();
    if src.len() > limits.max_bytes {
        let cut = floor_char_boundary(src, limits.max_bytes);
        let cut = src[..cut].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[cut..].find('\n').map_or(src.len(), |i| cut + i);
        errors.push(YamlError {
            kind: YamlErrorKind::Limit,
            recovered: false,
            range: TextRange::new(start + cut, start + line_end),
            message: format!(
                "the front matter is {} bytes long, more than the {} allowed; only what comes before this line is read",
                src.len(),
                limits.max_bytes
            ),
        });
        src = &src[..cut];
    }

    // A `: ` inside a plain value (`description: Use it. Triggers: x`) is the
    // most common YAML error in real skills. It is reported, and the colon is
    // then read as text so that the rest of the front matter is still read.
    let mut colons: Vec<usize> = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(src);
    let (mut root, run_errors) = loop {
        let (root, run_errors, colon) = read(&current, start, limits);
        match colon {
            Some(rel) if colons.len() < MAX_COLON_RECOVERIES => {
                colons.push(rel);
                let mut patched = current.into_owned();
                patched.replace_range(rel..rel + 1, ";");
                current = std::borrow::Cow::Owned(patched);
            }
            _ => break (root, run_errors),
        }
    };
    if let Some(root) = root.as_mut() {
        for &rel in &colons {
            restore_plain_text(root, src, start, start + rel);
        }
    }
    for &rel in &colons {
        errors.push(colon_error(src, start, rel, root.as_ref()));
    }
    errors.extend(run_errors);
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    (root, errors)
}

/// How many `: ` inside plain values are read past before giving up.
const MAX_COLON_RECOVERIES: usize = 16;

/// One pass of the parser over `src` (which starts at byte `base` of the
/// document). Returns the tree, the errors, and — when the parser stopped at
/// a `: ` inside a plain value — that colon's offset in `src` (its error is
/// then left to the caller).
fn read(src: &str, base: usize, limits: YamlLimits) -> (Option<YamlNode>, Vec<YamlError>, Option<usize>) {
    let positions = Positions::new(src, base);
    let mut builder = Builder::new(src, &positions, limits);
    let mut parser = Parser::new_from_str(src);
    let mut colon = None;
    loop {
        // The parser is third-party code run on untrusted text: a panic in it
        // becomes a syntax error, never a crash.
        let next = catch_unwind(AssertUnwindSafe(|| parser.next_event()));
        match next {
            Ok(None) => break,
            Ok(Some(Ok((event, span)))) => match builder.event(event, span) {
                Flow::Continue => {}
                Flow::Done => break,
                Flow::Stop(error) => {
                    builder.errors.push(error);
                    break;
                }
            },
            Ok(Some(Err(e))) => {
                let at = positions.offset(*e.marker());
                let rel = at - base;
                if e.info().starts_with("mapping values are not allowed") && is_colon_in_plain_value(src, rel) {
                    colon = Some(rel);
                    break;
                }
                let mut error = syntax_error(src, &positions, at, e.info());
                if e.info().contains("recursion limit") {
                    // The scanner's own bound on flow nesting (`[[[[...`).
                    error.kind = YamlErrorKind::Limit;
                    error.message = format!("the front matter nests deeper than {} levels", limits.max_depth);
                }
                builder.errors.push(error);
                break;
            }
            Err(_) => {
                let at = builder.last_offset;
                builder.errors.push(YamlError {
                    kind: YamlErrorKind::Syntax,
                    recovered: false,
                    range: token_range(src, &positions, at),
                    message: "the YAML parser could not read past this point".to_string(),
                });
                break;
            }
        }
    }
    // Where reading stopped: the stopping error (or the colon read past).
    let stop = builder
        .errors
        .iter()
        .filter(|e| !e.recovered)
        .map(|e| e.range.end)
        .chain(colon.map(|c| base + c + 1))
        .max()
        .unwrap_or(builder.last_offset);
    let root = builder.finish(stop);
    (root, std::mem::take(&mut builder.errors), colon)
}

/// A `:` followed by a blank, after a `key: ` on the same line: the colon is
/// part of the value the author meant (`description: Do X. Triggers: y`).
fn is_colon_in_plain_value(src: &str, rel: usize) -> bool {
    if src.as_bytes().get(rel) != Some(&b':') {
        return false;
    }
    let line_start = src[..rel].rfind('\n').map_or(0, |i| i + 1);
    let before = &src[line_start..rel];
    let Some(sep) = before.find(": ") else { return false };
    // The value must be plain: not quoted, not a flow collection.
    let value = before[sep + 2..].trim_start();
    !value.is_empty() && !value.starts_with(['"', '\'', '[', '{', '|', '>'])
}

fn colon_error(src: &str, base: usize, rel: usize, root: Option<&YamlNode>) -> YamlError {
    // The word the colon ends (`Triggers:`), for a range the eye finds.
    let word_start = src[..rel]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let range = TextRange::new(base + word_start, base + rel + 1);
    let key = root
        .and_then(|r| key_holding(r, base + rel))
        .map(|k| format!(" of `{k}`"))
        .unwrap_or_default();
    YamlError {
        kind: YamlErrorKind::Syntax,
        recovered: true,
        range,
        message: format!(
            "`{}` in the unquoted value{key}: a colon followed by a space starts a new key in YAML, so \
             strict YAML loaders reject the whole front matter (and skip the skill); put the value in double quotes",
            &src[word_start..=rel]
        ),
    }
}

/// The key whose value holds byte `at` (the innermost one).
fn key_holding(node: &YamlNode, at: usize) -> Option<&str> {
    match &node.value {
        YamlValue::Map(entries) => entries
            .iter()
            .find(|e| e.value.range.touches(at))
            .map(|e| key_holding(&e.value, at).unwrap_or(&e.key)),
        YamlValue::Seq(items) => items
            .iter()
            .find(|n| n.range.touches(at))
            .and_then(|n| key_holding(n, at)),
        _ => None,
    }
}

/// Puts back the text of the plain scalar holding byte `at`, read from the
/// original source (where a `:` had been read as `;`).
fn restore_plain_text(node: &mut YamlNode, src: &str, base: usize, at: usize) {
    if !node.range.contains(at) {
        return;
    }
    match &mut node.value {
        YamlValue::Map(entries) => entries
            .iter_mut()
            .for_each(|e| restore_plain_text(&mut e.value, src, base, at)),
        YamlValue::Seq(items) => items.iter_mut().for_each(|n| restore_plain_text(n, src, base, at)),
        YamlValue::String(s) => {
            let written = &src[node.range.start - base..node.range.end - base];
            if !written.starts_with(['&', '!']) {
                *s = fold_plain(written);
            }
        }
        _ => {}
    }
}

/// The value of a plain scalar as written over one or more lines: lines
/// trimmed, one line break read as a space, each further one kept.
fn fold_plain(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    let mut breaks = 0;
    for (i, line) in written.split('\n').map(str::trim).enumerate() {
        if line.is_empty() {
            breaks += 1;
            continue;
        }
        if i > 0 {
            if breaks == 0 {
                out.push(' ');
            }
            (0..breaks).for_each(|_| out.push('\n'));
        }
        breaks = 0;
        out.push_str(line);
    }
    out
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Converts saphyr markers (character index, 1-based line, character column)
/// into absolute byte offsets.
///
/// The character index is the primary source. saphyr advances it by bytes in
/// a few places (tag and directive names holding non-ASCII characters), so
/// when an offset lands on another line than the marker says, the line and
/// column are used instead.
struct Positions<'s> {
    src: &'s str,
    base: usize,
    /// Byte offset of every 64th character.
    checkpoints: Vec<usize>,
    line_starts: Vec<usize>,
    ascii: bool,
}

const CHECKPOINT: usize = 64;

impl<'s> Positions<'s> {
    fn new(src: &'s str, base: usize) -> Self {
        let ascii = src.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            src.char_indices().step_by(CHECKPOINT).map(|(b, _)| b).collect()
        };
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Positions {
            src,
            base,
            checkpoints,
            line_starts,
            ascii,
        }
    }

    /// Byte offset (relative to the source) of character `index`.
    fn char_to_byte(&self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.src.len());
        }
        let Some(&from) = self.checkpoints.get(index / CHECKPOINT) else {
            return self.src.len();
        };
        let skip = index % CHECKPOINT;
        self.src[from..]
            .char_indices()
            .nth(skip)
            .map_or(self.src.len(), |(b, _)| from + b)
    }

    fn line_of(&self, byte: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= byte).saturating_sub(1)
    }

    /// Absolute byte offset of a marker.
    fn offset(&self, m: Marker) -> usize {
        let by_index = self.char_to_byte(m.index());
        let line = m.line().saturating_sub(1);
        let rel = if line < self.line_starts.len() && self.line_of(by_index) != line && by_index < self.src.len() {
            let start = self.line_starts[line];
            let line_end = self.src[start..].find('\n').map_or(self.src.len(), |i| start + i);
            self.src[start..line_end]
                .char_indices()
                .nth(m.col())
                .map_or(line_end, |(b, _)| start + b)
        } else {
            by_index
        };
        self.base + rel
    }

    fn range(&self, span: Span) -> TextRange {
        let s = self.offset(span.start);
        let e = self.offset(span.end).max(s);
        TextRange::new(s, e)
    }
}

/// What the builder tells the event loop.
enum Flow {
    Continue,
    /// The document ended.
    Done,
    /// A limit was crossed: stop reading.
    Stop(YamlError),
}

/// An open collection.
enum Frame {
    Seq {
        start: TextRange,
        anchor: usize,
        items: Vec<YamlNode>,
        size: usize,
    },
    Map {
        start: TextRange,
        anchor: usize,
        entries: Vec<YamlEntry>,
        /// The key read, waiting for its value.
        key: Option<(String, TextRange)>,
        /// The keys read: a tree, as a front matter's maps hold a few keys
        /// each (hashing each cost more than comparing it with a few).
        seen: BTreeSet<String>,
        size: usize,
    },
}

struct Builder<'a> {
    src: &'a str,
    positions: &'a Positions<'a>,
    limits: YamlLimits,
    stack: Vec<Frame>,
    root: Option<YamlNode>,
    /// Anchored nodes with their sizes (nodes after expansion).
    anchors: HashMap<usize, (YamlNode, usize)>,
    nodes: usize,
    aliases: usize,
    documents: usize,
    errors: Vec<YamlError>,
    /// Where the last event ended: where a parser failure is reported.
    last_offset: usize,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str, positions: &'a Positions<'a>, limits: YamlLimits) -> Self {
        Builder {
            src,
            positions,
            limits,
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            nodes: 0,
            aliases: 0,
            documents: 0,
            errors: Vec::new(),
            last_offset: positions.base,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Flow {
        let range = self.positions.range(span);
        self.last_offset = range.end;
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Flow::Done; // front matter is one document
                }
            }
            Event::StreamEnd => return Flow::Done,
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(stop) = self.count_nodes(1, range, "values") {
                    return Flow::Stop(stop);
                }
                let node = YamlNode {
                    value: scalar_value(&value, style, tag.as_deref()),
                    range: self.scalar_range(style, range),
                };
                self.push(node, anchor, 1);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() + 1 > self.limits.max_depth {
                    return Flow::Stop(YamlError {
                        kind: YamlErrorKind::Limit,
                        recovered: false,
                        range: token_range(self.src, self.positions, range.start),
                        message: format!("the front matter nests deeper than {} levels", self.limits.max_depth),
                    });
                }
                if let Some(stop) = self.count_nodes(1, range, "values") {
                    return Flow::Stop(stop);
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: range,
                        anchor,
                        items: Vec::new(),
                        size: 1,
                    }
                } else {
                    Frame::Map {
                        start: range,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                        seen: BTreeSet::new(),
                        size: 1,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let end = (!range.is_empty()).then_some(range.end);
                if let Some(frame) = self.stack.pop() {
                    let (node, anchor, size) = close(frame, end);
                    self.push(node, anchor, size);
                }
            }
            Event::Alias(id) => {
                self.aliases += 1;
                if self.aliases > self.limits.max_aliases {
                    return Flow::Stop(YamlError {
                        kind: YamlErrorKind::Limit,
                        recovered: false,
                        range,
                        message: format!("the front matter uses more than {} aliases", self.limits.max_aliases),
                    });
                }
                let size = self.anchors.get(&id).map_or(1, |(_, size)| *size);
                // Counted before copying, so a bomb is refused before it costs anything.
                if let Some(stop) = self.count_nodes(size, range, "values once its aliases are expanded") {
                    return Flow::Stop(stop);
                }
                let value = self.anchors.get(&id).map_or(YamlValue::Null, |(n, _)| n.value.clone());
                self.push(YamlNode { value, range }, 0, size);
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
        }
        Flow::Continue
    }

    fn count_nodes(&mut self, n: usize, range: TextRange, what: &str) -> Option<YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        (self.nodes > self.limits.max_nodes).then(|| YamlError {
            kind: YamlErrorKind::Limit,
            recovered: false,
            range,
            message: format!("the front matter holds more than {} {what}", self.limits.max_nodes),
        })
    }

    /// A block scalar's range starts at its `|`/`>` header (the parser's span
    /// starts at the content) and ends at its last non-blank character.
    fn scalar_range(&self, style: ScalarStyle, range: TextRange) -> TextRange {
        if !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            return range;
        }
        let base = self.positions.base;
        let (rs, re) = (range.start - base, range.end - base);
        let content_end = rs + self.src[rs..re].trim_end().len();
        let before = self.src[..rs].trim_end();
        let header_line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
        let header_start = before.len() - header_line.len();
        let code = header_line
            .find(" #")
            .map_or(header_line, |i| &header_line[..i])
            .trim_end();
        let Some(at) = code.rfind(['|', '>']) else { return range };
        if !code[at + 1..].chars().all(|c| matches!(c, '+' | '-' | '0'..='9')) {
            return range;
        }
        let start = header_start + at;
        TextRange::new(base + start, base + content_end.max(start + code.len() - at))
    }

    /// Places a finished node: a sequence item, a key, a key's value, or the root.
    fn push(&mut self, node: YamlNode, anchor: usize, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let awaiting_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
        let key_name = awaiting_key.then(|| match &node.value {
            YamlValue::String(s) => s.clone(),
            YamlValue::Null if node.range.is_empty() => String::new(),
            _ => self.src_text(node.range).to_string(),
        });
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, size: total, .. }) => {
                *total += size;
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                key,
                seen,
                size: total,
                ..
            }) => {
                *total += size;
                match (key.take(), key_name) {
                    (None, Some(name)) => {
                        if !seen.insert(name.clone()) {
                            self.errors.push(YamlError {
                                kind: YamlErrorKind::DuplicateKey,
                                recovered: true,
                                range: node.range,
                                message: format!("the key `{name}` appears more than once in this map"),
                            });
                        }
                        *key = Some((name, node.range));
                    }
                    (Some((name, key_range)), _) => entries.push(YamlEntry {
                        key: name,
                        key_range,
                        value: node,
                    }),
                    (None, None) => {}
                }
            }
        }
    }

    fn src_text(&self, range: TextRange) -> &str {
        let base = self.positions.base;
        self.src.get(range.start - base..range.end - base).unwrap_or("")
    }

    /// Closes whatever is still open (after an error) and returns the root.
    /// A collection left open reaches to `stop`, where reading stopped: it
    /// was unfinished there, and rules must not take it as complete.
    fn finish(&mut self, stop: usize) -> Option<YamlNode> {
        while let Some(frame) = self.stack.pop() {
            let (node, anchor, size) = close(frame, Some(stop));
            self.push(node, anchor, size);
        }
        self.root.take()
    }
}

/// Turns a finished (or abandoned) collection into a node.
fn close(frame: Frame, end: Option<usize>) -> (YamlNode, usize, usize) {
    match frame {
        Frame::Seq {
            start,
            anchor,
            items,
            size,
        } => {
            let last = items.last().map_or(start.end, |n| n.range.end);
            let range = TextRange::new(start.start, end.unwrap_or(last).max(last).max(start.end));
            (
                YamlNode {
                    value: YamlValue::Seq(items),
                    range,
                },
                anchor,
                size,
            )
        }
        Frame::Map {
            start,
            anchor,
            entries,
            size,
            ..
        } => {
            let last = entries
                .last()
                .map_or(start.end, |e| e.value.range.end.max(e.key_range.end));
            let range = TextRange::new(start.start, end.unwrap_or(last).max(last).max(start.end));
            (
                YamlNode {
                    value: YamlValue::Map(entries),
                    range,
                },
                anchor,
                size,
            )
        }
    }
}

fn scalar_value(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> YamlValue {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() && tag.suffix == "str" {
            return YamlValue::String(value.to_string());
        }
    }
    match style {
        ScalarStyle::Plain => resolve_plain(value),
        _ => YamlValue::String(value.to_string()),
    }
}

/// The token at `at` (to the next blank), or the last thing written before
/// it when `at` is at the end of a line or of the text.
fn token_range(src: &str, positions: &Positions, at: usize) -> TextRange {
    let base = positions.base;
    let rel = at.saturating_sub(base).min(src.len());
    let rest = &src[rel..];
    let len = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    if len > 0 {
        return TextRange::new(at, at + len);
    }
    // At a line end: the last non-blank line before.
    let before = src[..rel].trim_end();
    if before.is_empty() {
        return TextRange::empty(base + rel);
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let indent = line.len() - line.trim_start().len();
    TextRange::new(base + line_start + indent, base + before.len())
}

/// A syntax error, placed where the problem is as closely as the text allows.
fn syntax_error(src: &str, positions: &Positions, at: usize, info: &str) -> YamlError {
    let base = positions.base;
    let rel = at.saturating_sub(base).min(src.len());
    let line_start = src[..rel].rfind('\n').map_or(0, |i| i + 1);
    let at_line_start = src[line_start..rel].trim().is_empty();
    // "simple key expect ':'" is raised where the parser gives up on a line
    // that is not `key: value`: the start of the next line. The line at fault
    // is the one before.
    let range = if info.contains("simple key") && at_line_start {
        let before = src[..line_start].trim_end();
        let prev_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = &before[prev_start..];
        let indent = line.len() - line.trim_start().len();
        if before.is_empty() {
            token_range(src, positions, at)
        } else {
            TextRange::new(base + prev_start + indent, base + before.len())
        }
    } else {
        token_range(src, positions, at)
    };
    YamlError {
        kind: YamlErrorKind::Syntax,
        recovered: false,
        range,
        message: info.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> (Option<YamlNode>, Vec<YamlError>) {
        parse(text, TextRange::new(0, text.len()), YamlLimits::default())
    }

    fn at(text: &str, r: TextRange) -> &str {
        &text[r.start..r.end]
    }

    #[test]
    fn ranges_are_byte_offsets_with_emoji_and_cjk() {
        let text = "---\nname: \"技能😀\"\nd: 'é'\nk: 中文 text\nlast: ok\n";
        let yaml = TextRange::new(4, text.len());
        let (root, errors) = parse(text, yaml, YamlLimits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let root = root.unwrap();
        let name = root.get("name").unwrap();
        assert_eq!(name.as_str(), Some("技能😀"));
        assert_eq!(at(text, name.range), "\"技能😀\"");
        assert_eq!(at(text, root.entry("d").unwrap().key_range), "d");
        assert_eq!(at(text, root.get("d").unwrap().range), "'é'");
        assert_eq!(at(text, root.get("k").unwrap().range), "中文 text");
        assert_eq!(at(text, root.entry("last").unwrap().key_range), "last");
        assert_eq!(at(text, root.get("last").unwrap().range), "ok");
    }

    #[test]
    fn core_schema_resolution() {
        let text = "a: ~\nb: null\nc:\nd: true\ne: False\nf: 42\ng: -7\nh: 0x1F\ni: 0o17\nj: 1.5\nk: 1.0.0\nl: \"42\"\nm: .inf\nn: !!str 12\no: 1e3\np: 99999999999999999999\nq: yes\n";
        let (root, errors) = parse_all(text);
        assert!(errors.is_empty());
        let root = root.unwrap();
        let v = |k: &str| root.get(k).unwrap().value.clone();
        assert_eq!(v("a"), YamlValue::Null);
        assert_eq!(v("b"), YamlValue::Null);
        assert_eq!(v("c"), YamlValue::Null);
        assert_eq!(v("d"), YamlValue::Bool(true));
        assert_eq!(v("e"), YamlValue::Bool(false));
        assert_eq!(v("f"), YamlValue::Int(42));
        assert_eq!(v("g"), YamlValue::Int(-7));
        assert_eq!(v("h"), YamlValue::Int(31));
        assert_eq!(v("i"), YamlValue::Int(15));
        assert_eq!(v("j"), YamlValue::Float(1.5));
        assert_eq!(v("k"), YamlValue::String("1.0.0".into()));
        assert_eq!(v("l"), YamlValue::String("42".into()));
        assert_eq!(v("m"), YamlValue::Float(f64::INFINITY));
        assert_eq!(v("n"), YamlValue::String("12".into()));
        assert_eq!(v("o"), YamlValue::Float(1000.0));
        assert_eq!(v("p"), YamlValue::Float(99999999999999999999.0));
        assert_eq!(v("q"), YamlValue::String("yes".into())); // YAML 1.1 only
                                                             // An empty value: an empty range just after the key.
        let c = root.get("c").unwrap();
        assert!(c.range.is_empty());
        assert_eq!(c.range.start, root.entry("c").unwrap().key_range.end);
    }

    #[test]
    fn collections_and_block_scalars_have_their_written_ranges() {
        let text =
            "tags: [a, \"b\"]\nctx: {x: 1}\nlist:\n  - one\n  - two\nk: |-\n  line1\n  line2\n\nz: >\n  folded\n";
        let (root, errors) = parse_all(text);
        assert!(errors.is_empty());
        let root = root.unwrap();
        assert_eq!(at(text, root.get("tags").unwrap().range), "[a, \"b\"]");
        assert_eq!(at(text, root.get("ctx").unwrap().range), "{x: 1}");
        assert_eq!(at(text, root.get("list").unwrap().range), "- one\n  - two");
        assert_eq!(at(text, root.get("k").unwrap().range), "|-\n  line1\n  line2");
        assert_eq!(root.get("k").unwrap().as_str(), Some("line1\nline2"));
        assert_eq!(at(text, root.get("z").unwrap().range), ">\n  folded");
        assert_eq!(root.range.start, 0);
    }

    #[test]
    fn duplicate_key_is_reported_at_the_second_key() {
        let text = "name: a\ncontext:\n  file_budget: 1\n  file_budget: 2\nname: b\n";
        let (root, errors) = parse_all(text);
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.kind == YamlErrorKind::DuplicateKey));
        assert_eq!(at(text, errors[0].range), "file_budget");
        assert_eq!(errors[0].range.start, text.rfind("file_budget").unwrap());
        assert_eq!(at(text, errors[1].range), "name");
        assert_eq!(errors[1].range.start, text.rfind("name").unwrap());
        // The first occurrence is what lookups see.
        assert_eq!(root.unwrap().get("name").unwrap().as_str(), Some("a"));
    }

    #[test]
    fn syntax_error_keeps_what_came_before() {
        let text = "name: demo\nversion: \"1.0.0\"\ndescription: Does things\nbroken line here\ntags: [a]\n";
        let (root, errors) = parse_all(text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, YamlErrorKind::Syntax);
        assert!(!errors[0].recovered);
        assert_eq!(at(text, errors[0].range), "broken line here");
        let root = root.unwrap();
        assert_eq!(root.get("name").unwrap().as_str(), Some("demo"));
        assert_eq!(root.get("description").unwrap().as_str(), Some("Does things"));
        assert!(root.get("tags").is_none());
    }

    #[test]
    fn colon_inside_a_plain_value_is_reported_and_read_past() {
        let text =
            "name: demo\ndescription: Builds agents. Triggers: create agent, Note: x\nversion: \"1.0.0\"\ntags: [a]\n";
        let (root, errors) = parse_all(text);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.kind == YamlErrorKind::Syntax && e.recovered));
        assert_eq!(at(text, errors[0].range), "Triggers:");
        assert_eq!(at(text, errors[1].range), "Note:");
        assert!(errors[0].message.contains("of `description`"), "{}", errors[0].message);
        let root = root.unwrap();
        assert_eq!(
            root.get("description").unwrap().as_str(),
            Some("Builds agents. Triggers: create agent, Note: x")
        );
        assert_eq!(root.get("version").unwrap().as_str(), Some("1.0.0"));
        assert_eq!(root.get("tags").unwrap().as_seq().unwrap().len(), 1);
    }

    #[test]
    fn colon_after_a_wide_space() {
        let text = "description: 説明\u{3000}注意: これ\n";
        let (root, errors) = parse_all(text);
        assert_eq!(at(text, errors[0].range), "注意:");
        assert_eq!(
            root.unwrap().get("description").unwrap().as_str(),
            Some("説明\u{3000}注意: これ")
        );
    }

    #[test]
    fn fold_plain_joins_lines_like_yaml() {
        assert_eq!(fold_plain("a b"), "a b");
        assert_eq!(fold_plain("a\n  b"), "a b");
        assert_eq!(fold_plain("a\n\n  b"), "a\nb");
    }

    #[test]
    fn an_unfinished_collection_reaches_to_where_reading_stopped() {
        let text = "name: demo\ntags: [a, b\nversion: 1\n";
        let (root, errors) = parse_all(text);
        assert_eq!(errors.len(), 1);
        let tags = root.unwrap().get("tags").unwrap().clone();
        assert!(!tags.as_seq().unwrap().is_empty());
        assert!(tags.range.end >= errors[0].range.start, "{tags:?} {errors:?}");
    }

    #[test]
    fn place_at_an_offset() {
        let text = "name: demo\ncontext:\n  file_budget: 4\nmemory:\n  scopes:\n    - type: skill-specific\n";
        let (root, _) = parse_all(text);
        let root = root.unwrap();
        let at_text = |needle: &str| {
            root.place_at(text.find(needle).unwrap() + 1)
                .map(|(path, on_key, _)| (path, on_key))
        };
        assert_eq!(at_text("name"), Some((vec!["name".to_string()], true)));
        assert_eq!(at_text("demo"), Some((vec!["name".to_string()], false)));
        assert_eq!(
            at_text("file_budget"),
            Some((vec!["context".into(), "file_budget".into()], true))
        );
        assert_eq!(
            at_text("4\n"),
            Some((vec!["context".into(), "file_budget".into()], false))
        );
        assert_eq!(
            at_text("type"),
            Some((vec!["memory".into(), "scopes".into(), "0".into(), "type".into()], true))
        );
        assert_eq!(root.place_at(text.len() + 10), None);
    }

    #[test]
    fn syntax_error_ranges_are_tight() {
        let cases = [
            ("a: \"x\" y\nb: 1\n", "y"),
            ("a: @x\n", "@x"),
            ("a:\n  b: 1\n c: 2\n", "c:"),
            ("name: ok\nx: \"unterminated\n", "\"unterminated"),
        ];
        for (text, want) in cases {
            let (_, errors) = parse_all(text);
            assert_eq!(errors.len(), 1, "{text:?}");
            assert_eq!(at(text, errors[0].range), want, "{text:?}: {}", errors[0].message);
        }
    }

    #[test]
    fn billion_laughs_is_stopped_cheaply() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
        }
        let started = std::time::Instant::now();
        let (root, errors) = parse_all(&text);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(errors.iter().any(|e| e.kind == YamlErrorKind::Limit), "{errors:?}");
        assert!(root.is_some());
    }

    #[test]
    fn alias_uses_are_limited_and_expanded_when_allowed() {
        let (root, errors) = parse_all("base: &b [x, y]\ncopy: *b\n");
        assert!(errors.is_empty());
        let root = root.unwrap();
        assert_eq!(root.get("copy").unwrap().as_seq().unwrap().len(), 2);
        let many: String = std::iter::once("a: &x 1\n".to_string())
            .chain((0..150).map(|i| format!("k{i}: *x\n")))
            .collect();
        let (_, errors) = parse_all(&many);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, YamlErrorKind::Limit);
        assert!(errors[0].message.contains("aliases"));
    }

    #[test]
    fn depth_and_size_limits() {
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let (_, errors) = parse_all(&deep);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, YamlErrorKind::Limit);
        assert!(errors[0].message.contains("deeper"));
        let block: String = (0..100).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        let (root, errors) = parse_all(&block);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, YamlErrorKind::Limit);
        assert!(root.unwrap().get("k0").is_some());

        let big: String = (0..100).map(|i| format!("k{i}: value number {i}\n")).collect();
        let limits = YamlLimits {
            max_bytes: 200,
            ..YamlLimits::default()
        };
        let (root, errors) = parse(&big, TextRange::new(0, big.len()), limits);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, YamlErrorKind::Limit);
        assert!(errors[0].range.start <= 200);
        assert!(root.unwrap().get("k0").is_some());
    }

    #[test]
    fn node_limit_counts_plain_values_too() {
        let many: String = (0..300).map(|i| format!("k{i}: v\n")).collect();
        let limits = YamlLimits {
            max_nodes: 100,
            ..YamlLimits::default()
        };
        let (_, errors) = parse(&many, TextRange::new(0, many.len()), limits);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, YamlErrorKind::Limit);
    }

    #[test]
    fn never_panics_on_adversarial_input() {
        let inputs = [
            "",
            ":",
            "- - - - -",
            "{",
            "[",
            "]]]",
            "? ? ?",
            "&a *a",
            "*unknown",
            "a: *a",
            "a: &a\n  b: *a\n",
            "%YAML 1.2\n---\na: 1\n",
            "---\n---\n---\n",
            "a: 1\n...\nb: 2\n",
            "\t\t\t",
            "a: \"\\xZZ\"",
            "a: !<tag:ü> x\n",
            "!ü x: y\n",
            "a: |\n",
            "a: >9\n x\n",
            "\u{feff}a: 1",
            "a: b\r\nc: d\r",
            "😀😀😀: 😀\n  - 😀",
            "key: 'unterminated\n\n\n",
            "- [a, {b: [c, {d: e",
            "a:\n  - b\n -c\n",
        ];
        for input in inputs {
            let _ = parse_all(input);
            // And any prefix, to cut inside every token.
            for (i, _) in input.char_indices() {
                let _ = parse_all(&input[..i]);
            }
        }
        // Ranges outside the text or inside a character are clamped, not a panic.
        let text = "é: x";
        let _ = parse(text, TextRange::new(1, 99), YamlLimits::default());
    }

    #[test]
    fn ranges_stay_inside_the_parsed_slice() {
        let text = "prefix ---\nname: \"技能\"\nlist: [😀, b]\nbad: [\n";
        let r = TextRange::new(11, text.len());
        let (root, errors) = parse(text, r, YamlLimits::default());
        fn walk(n: &YamlNode, r: TextRange, text: &str) {
            assert!(n.range.start >= r.start && n.range.end <= r.end);
            assert!(text.is_char_boundary(n.range.start) && text.is_char_boundary(n.range.end));
            match &n.value {
                YamlValue::Map(m) => m.iter().for_each(|e| {
                    assert!(text.is_char_boundary(e.key_range.start));
                    walk(&e.value, r, text)
                }),
                YamlValue::Seq(s) => s.iter().for_each(|c| walk(c, r, text)),
                _ => {}
            }
        }
        walk(&root.unwrap(), r, text);
        for e in errors {
            assert!(e.range.start >= r.start && e.range.end <= r.end, "{e:?}");
        }
    }
}
