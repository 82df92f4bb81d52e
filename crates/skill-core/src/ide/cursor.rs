//! What stands at a byte offset of a skill: the question every editor feature
//! asks first.
//!
//! Two views, for two kinds of feature:
//!
//! - [`target_at`] reads the parsed document (calls, headings, links, the
//!   YAML tree): what a finished piece of text under the cursor *is*. Hover,
//!   go-to-definition, references and rename start here.
//! - [`site_at`] reads the raw text around the cursor, because the text being
//!   typed is unfinished (`memoryStore.` has no `(` yet, a half-typed YAML key
//!   has no `:`): what may be *written* here. Completion and signature help
//!   start here.
//!
//! Offsets are bytes; one inside a character is moved back to its start.
//! Nothing here panics on any input.

use crate::model::{near_receiver, Call, SkillDoc, Step, KNOWN_RECEIVERS};
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::{line_range_at, TextRange};
use crate::workspace::catalogue::{same_param, Param};

/// How far back a call's opening parenthesis is looked for in a code block.
const MAX_CALL_LOOKBACK: usize = 8 * 1024;

// ---------------------------------------------------------------------------
// Targets: what the finished text under the cursor is

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
        return match yaml_at(root, offset) {
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

/// The key path, whether the offset is on a key, and the key's or scalar
/// value's range, at `offset` in a YAML tree.
fn yaml_at(root: &YamlNode, offset: usize) -> Option<(Vec<String>, bool, TextRange)> {
    let mut path = Vec::new();
    let mut node = root;
    loop {
        match &node.value {
            YamlValue::Map(entries) => {
                if let Some(e) = entries.iter().find(|e| e.key_range.touches(offset)) {
                    path.push(e.key.clone());
                    return Some((path, true, e.key_range));
                }
                let e = entries
                    .iter()
                    .find(|e| e.value.range.touches(offset) && !e.value.range.is_empty())?;
                path.push(e.key.clone());
                node = &e.value;
            }
            YamlValue::Seq(items) => {
                let i = items.iter().position(|n| n.range.touches(offset))?;
                path.push(i.to_string());
                node = &items[i];
            }
            _ => return Some((path, false, node.range)),
        }
    }
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

// ---------------------------------------------------------------------------
// Words

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The word (ASCII letters, digits, `_`, `-`) touching `offset`, if any.
pub fn word_at(text: &str, offset: usize) -> Option<TextRange> {
    let offset = floor_boundary(text, offset);
    let b = text.as_bytes();
    let mut start = offset;
    while start > 0 && is_word(b[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < b.len() && is_word(b[end]) {
        end += 1;
    }
    (start < end).then(|| TextRange::new(start, end))
}

/// The identifier characters just before `offset` (possibly none).
pub fn ident_before(text: &str, offset: usize) -> TextRange {
    let b = text.as_bytes();
    let mut start = offset.min(b.len());
    while start > 0 && is_ident(b[start - 1]) {
        start -= 1;
    }
    TextRange::new(start, offset.min(b.len()).max(start))
}

/// The end of the run of `pred` bytes from `offset`.
fn run_end(text: &str, offset: usize, pred: impl Fn(u8) -> bool) -> usize {
    let b = text.as_bytes();
    let mut end = offset;
    while end < b.len() && pred(b[end]) {
        end += 1;
    }
    end
}

/// `offset` clamped to the text and moved back to a character boundary.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

// ---------------------------------------------------------------------------
// Sites: what may be written at the cursor

/// One argument of a call being written, split lexically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgPiece {
    /// The argument without surrounding spaces (empty where nothing is written yet).
    pub range: TextRange,
    /// `skill` of `skill="x"` / `skill: "x"`, with its range.
    pub keyword: Option<(String, TextRange)>,
    /// The value after any keyword.
    pub value_range: TextRange,
    /// `...`: "the rest", standing for no one parameter.
    pub is_rest: bool,
}

/// A call whose argument list holds the cursor, read from the raw text (the
/// call may be unfinished: no `)`, no closing backtick).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSite {
    /// The receiver as written.
    pub receiver: String,
    /// The known receiver it stands for (itself, or the one a near miss means).
    pub interface: &'static str,
    pub receiver_range: TextRange,
    pub method: String,
    pub method_range: TextRange,
    /// The `(`.
    pub open: usize,
    /// The matching `)`, when it is written.
    pub close: Option<usize>,
    /// Every argument, the one being written included.
    pub args: Vec<ArgPiece>,
    /// Index into `args` of the argument holding the cursor.
    pub active: usize,
    /// The part of the active argument's value before the cursor, without an
    /// opening quote: what completion filters on.
    pub prefix: TextRange,
    /// The quote character when the cursor is inside a string.
    pub quote: Option<char>,
    /// What a completion of the active value replaces: the value's text
    /// inside its quotes (or the whole unquoted word), around the cursor.
    pub replace: TextRange,
    /// Whether the active argument is still at its keyword (`sk|` with no
    /// `=` yet, no quote): a keyword may be completed here.
    pub at_keyword: bool,
    /// The cursor stands after the active argument's string, closed before
    /// it (`"python"|`): nothing is being typed into the value.
    pub after_string: bool,
}

impl CallSite {
    /// The parameter of `form` the active argument stands for: its keyword's,
    /// else the next positional one not named by a keyword.
    pub fn active_param(&self, form: &[Param]) -> Option<usize> {
        param_of(form, &self.args, self.active)
    }
}

/// The parameter of `form` that argument `index` of `args` stands for.
pub fn param_of(form: &[Param], args: &[ArgPiece], index: usize) -> Option<usize> {
    let arg = args.get(index)?;
    if let Some((k, _)) = &arg.keyword {
        return form.iter().position(|p| same_param(k, &p.name));
    }
    let named: Vec<usize> = args
        .iter()
        .filter_map(|a| a.keyword.as_ref())
        .filter_map(|(k, _)| form.iter().position(|p| same_param(k, &p.name)))
        .collect();
    let position = args[..index]
        .iter()
        .filter(|a| a.keyword.is_none() && !a.is_rest)
        .count();
    (0..form.len()).filter(|i| !named.contains(i)).nth(position)
}

/// What may be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// An identifier in code that may become a receiver (`mem|`).
    Receiver {
        prefix: TextRange,
    },
    /// After `receiver.`: a method (`memoryStore.get|`).
    Method {
        receiver: String,
        /// The known receiver it stands for.
        interface: &'static str,
        receiver_range: TextRange,
        /// The method name typed so far, and the rest of it after the cursor.
        prefix: TextRange,
        replace: TextRange,
        /// A `(` already follows the name: completion inserts the name only.
        has_parens: bool,
    },
    /// Inside a call's parentheses.
    Argument(CallSite),
    /// A front matter key at `path` (the map holding it; list items as `*`).
    FrontMatterKey {
        path: Vec<String>,
        /// The key typed so far, and what a completion replaces.
        prefix: TextRange,
        replace: TextRange,
        /// The key's column, for keys the completion opens below it.
        indent: usize,
        /// Keys the map already has.
        existing: Vec<String>,
    },
    /// A front matter value of the key at the end of `path`.
    FrontMatterValue {
        path: Vec<String>,
        prefix: TextRange,
        replace: TextRange,
        quote: Option<char>,
        /// Inside a flow list (`[a, b|`).
        in_list: bool,
    },
    /// A line of the workflow section where a step heading may go.
    WorkflowLine {
        /// The number of the step before the cursor (0 before the first).
        after: u32,
        /// The line's content, which a completion replaces.
        line: TextRange,
    },
    /// A line of the checklist section where an item may go.
    ChecklistLine {
        line: TextRange,
    },
    /// The profile name of a `# skill-lsp: profile=` comment being written.
    ProfileName {
        replace: TextRange,
    },
    /// A link destination's path being typed (`[x](../interfaces/me|`).
    LinkPath {
        /// The folder part typed so far, relative to the skill (`../interfaces/`, or empty).
        folder: String,
        /// The segment after the folder: what a completion replaces.
        replace: TextRange,
    },
    /// A link destination's fragment being typed (`[x](guide.md#us|`).
    LinkFragment {
        /// The path before `#` (empty: this document).
        target: String,
        replace: TextRange,
    },
    None,
}

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

/// Whether `offset` is in code: a code block, a code span, or after an
/// unclosed backtick on its line (a span being typed).
pub fn in_code(doc: &SkillDoc, offset: usize) -> bool {
    if code_block_at(doc, offset).is_some() || doc.md.code_spans.iter().any(|s| s.content.touches(offset)) {
        return true;
    }
    let line = line_range_at(&doc.text, offset);
    let before = &doc.text[line.start..offset];
    before.matches('`').count() % 2 == 1
}

/// The code block holding `offset`: inside its fences, or at the very end
/// of a block still being typed (its fence not closed, the document ending
/// with it).
fn code_block_at(doc: &SkillDoc, offset: usize) -> Option<&crate::syntax::markdown::CodeBlock> {
    doc.md.code_blocks.iter().find(|b| {
        b.range.contains(offset) || (offset == doc.text.len() && b.range.end == offset && b.content.touches(offset))
    })
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

/// The known receiver `name` is or stands for.
fn known_receiver(name: &str) -> Option<&'static str> {
    KNOWN_RECEIVERS
        .iter()
        .copied()
        .find(|k| *k == name)
        .or_else(|| near_receiver(name))
}

/// The region scanned for a call around `offset`: the code block holding it,
/// else its line (an inline call never spans lines in practice).
fn call_region(doc: &SkillDoc, offset: usize) -> TextRange {
    let block = code_block_at(doc, offset).filter(|b| b.content.touches(offset));
    match block {
        Some(b) => {
            let mut start = b.content.start.max(offset.saturating_sub(MAX_CALL_LOOKBACK));
            start = floor_boundary(&doc.text, start);
            TextRange::new(start, b.content.end.max(offset))
        }
        None => line_range_at(&doc.text, offset),
    }
}

/// The call whose argument list holds `offset`, read from the raw text.
pub fn call_site(doc: &SkillDoc, offset: usize) -> Option<CallSite> {
    let text: &str = &doc.text;
    let region = call_region(doc, offset);
    let b = text.as_bytes();
    // Forward from the region's start: the parentheses still open at the
    // cursor, outside strings. A backtick ends or starts a code span, and
    // with it everything open in prose before it.
    let mut open: Vec<usize> = Vec::new();
    let mut quote: Option<(u8, usize)> = None;
    let mut i = region.start;
    while i < offset {
        let c = b[i];
        match quote {
            Some((q, _)) => {
                if c == b'\\' {
                    i += 2;
                    continue;
                }
                if c == q || (c == b'\n' && q == b'\'') {
                    quote = None;
                }
                if c == b'`' && q != b'`' {
                    quote = None;
                    open.clear();
                }
            }
            None => match c {
                b'"' | b'\'' => quote = Some((c, i)),
                b'`' => open.clear(),
                b'(' | b'[' | b'{' => open.push(i),
                b')' | b']' | b'}' => {
                    open.pop();
                }
                _ => {}
            },
        }
        i += 1;
    }
    // The innermost `(` that opens an interface call.
    let (open_at, receiver_range, method_range, interface) = open.iter().rev().find_map(|&p| {
        if b[p] != b'(' {
            return None;
        }
        let method_range = ident_before(text, p);
        if method_range.is_empty() || method_range.start == 0 || b[method_range.start - 1] != b'.' {
            return None;
        }
        let receiver_range = ident_before(text, method_range.start - 1);
        let interface = known_receiver(&text[receiver_range.start..receiver_range.end])?;
        Some((p, receiver_range, method_range, interface))
    })?;
    // Nested brackets between that `(` and the cursor (an object argument
    // being written) leave the cursor in that argument, not in a new one.
    let (pieces, close) = split_args(text, open_at + 1, region.end.max(offset));
    if close.is_some_and(|c| c < offset) {
        return None;
    }
    let args: Vec<ArgPiece> = pieces.iter().map(|r| read_piece(text, *r)).collect();
    let active = pieces
        .iter()
        .position(|r| r.start <= offset && offset <= r.end)
        .unwrap_or(args.len().saturating_sub(1));
    let piece = args.get(active)?;
    let value_start = piece.value_range.start.min(offset).max(pieces[active].start);
    let (quote, prefix_start) = match b.get(value_start) {
        Some(&q @ (b'"' | b'\'')) if value_start < offset => (Some(q as char), value_start + 1),
        _ => (None, value_start.min(offset)),
    };
    let prefix = TextRange::new(prefix_start.min(offset), offset);
    let after_string = quote.is_some_and(|q| string_closes(&text[prefix.start..offset], q));
    let replace_end = match quote {
        Some(q) => {
            let rest = &text[offset..piece.value_range.end.max(offset)];
            offset + rest.find(q).unwrap_or(rest.len())
        }
        None => run_end(text, offset, is_word),
    };
    let at_keyword = piece.keyword.is_none() && quote.is_none() && text[prefix.start..prefix.end].bytes().all(is_ident);
    Some(CallSite {
        receiver: text[receiver_range.start..receiver_range.end].to_string(),
        interface,
        receiver_range,
        method: text[method_range.start..method_range.end].to_string(),
        method_range,
        open: open_at,
        close,
        args,
        active,
        prefix,
        quote,
        replace: TextRange::new(prefix.start, replace_end.max(offset)),
        after_string,
        at_keyword,
    })
}

/// Whether string content `s` (after its opening quote `q`) holds the closing quote.
fn string_closes(s: &str, q: char) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == q => return true,
            _ => {}
        }
    }
    false
}

/// Splits arguments from `start` at top-level commas, up to the matching
/// `)` (returned) or `limit`. Unlike the model's splitter, empty pieces are
/// kept: the argument being written may be empty.
fn split_args(text: &str, start: usize, limit: usize) -> (Vec<TextRange>, Option<usize>) {
    let b = text.as_bytes();
    let limit = limit.min(b.len());
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut piece_start = start;
    let mut i = start;
    while i < limit {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < limit && b[i] != q && !(q == b'\'' && b[i] == b'\n') {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'`' if depth == 0 => break, // the end of the code span
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    pieces.push(TextRange::new(piece_start, i));
                    return (pieces, (b[i] == b')').then_some(i));
                }
                depth -= 1;
            }
            b',' if depth == 0 => {
                pieces.push(TextRange::new(piece_start, i));
                piece_start = i + 1;
            }
            b'\n' if depth == 0 && !text[piece_start..i].contains(['"', '\'']) && i + 1 >= limit => break,
            _ => {}
        }
        i += 1;
    }
    pieces.push(TextRange::new(
        piece_start.min(limit),
        i.min(limit).max(piece_start.min(limit)),
    ));
    (pieces, None)
}

/// One raw argument: trimmed, keyword split off.
fn read_piece(text: &str, raw: TextRange) -> ArgPiece {
    let s = &text[raw.start..raw.end];
    let start = raw.start + (s.len() - s.trim_start().len());
    let end = (raw.start + s.trim_end().len()).max(start);
    let body = &text[start..end];
    let k = body.bytes().take_while(|b| is_ident(*b)).count();
    let rest = &body[k..];
    let gap = rest.len() - rest.trim_start().len();
    let after = &rest[gap..];
    let is_kw = k > 0
        && !body.as_bytes()[0].is_ascii_digit()
        && ((after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=>"))
            || (after.starts_with(':') && !after.starts_with("::")));
    if !is_kw {
        return ArgPiece {
            range: TextRange::new(start, end),
            keyword: None,
            value_range: TextRange::new(start, end),
            is_rest: body == "..." || body == "…",
        };
    }
    let v = &after[1..];
    let value_start = start + k + gap + 1 + (v.len() - v.trim_start().len());
    ArgPiece {
        range: TextRange::new(start, end),
        keyword: Some((body[..k].to_string(), TextRange::new(start, start + k))),
        value_range: TextRange::new(value_start.min(end), end),
        is_rest: false,
    }
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

// ---------------------------------------------------------------------------
// Front matter, read line by line (the YAML being typed rarely parses)

/// One YAML line, as far as completion cares.
struct YamlLine<'t> {
    /// Leading spaces.
    indent: usize,
    /// Starts with `- ` (a list item).
    dash: bool,
    /// The column of the key (after any `- `).
    key_col: usize,
    /// `key` of `key: ...`, when the line has one.
    key: Option<&'t str>,
    /// Nothing but a comment or spaces after `key:` (a map or list follows).
    opens_block: bool,
}

fn read_yaml_line(line: &str) -> Option<YamlLine<'_>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if rest.trim().is_empty() || rest.starts_with('#') {
        return None;
    }
    let (dash, key_col) = if rest == "-" || rest.starts_with("- ") {
        let after = &rest[1..];
        (true, indent + 1 + (after.len() - after.trim_start_matches(' ').len()))
    } else {
        (false, indent)
    };
    let body = &line[key_col..];
    let key_len = yaml_key_len(body);
    let key = key_len.map(|n| body[..n].trim_matches(['"', '\'']));
    let opens_block = key_len.is_some_and(|n| {
        let after = body[n + 1..].trim();
        after.is_empty() || after.starts_with('#') || after.starts_with('&')
    });
    Some(YamlLine {
        indent,
        dash,
        key_col,
        key,
        opens_block,
    })
}

/// The length of the key of a `key: value` / `key:` line body.
fn yaml_key_len(body: &str) -> Option<usize> {
    let colon = body.find(':')?;
    let key = &body[..colon];
    let after = &body[colon + 1..];
    let plain = !key.is_empty() && key.bytes().all(|b| is_word(b) || b == b'.' || b == b'"' || b == b'\'');
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(colon)
}

/// The lines of the YAML, each with its start offset.
fn yaml_lines(text: &str, yaml: TextRange) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = yaml.start;
    for l in text[yaml.start..yaml.end].split_inclusive('\n') {
        out.push((at, l.trim_end_matches(['\n', '\r'])));
        at += l.len();
    }
    if text[yaml.start..yaml.end].ends_with('\n') || out.is_empty() {
        out.push((yaml.end, ""));
    }
    out
}

fn front_matter_site(doc: &SkillDoc, offset: usize) -> Site {
    let Some(fm) = doc.front_matter.as_ref() else {
        return Site::None;
    };
    let text: &str = &doc.text;
    let lines = yaml_lines(text, fm.block.yaml);
    let Some(row) = lines.iter().rposition(|(start, _)| *start <= offset) else {
        return Site::None;
    };
    let (line_start, line) = lines[row];
    let col = (offset - line_start).min(line.len());
    let before = &line[..col];
    if before.trim_start().starts_with('#') {
        return match override_value_start(before) {
            Some(start) => Site::ProfileName {
                replace: TextRange::new(
                    line_start + start,
                    run_end(text, offset, is_word).min(line_start + line.len()),
                ),
            },
            None => Site::None,
        };
    }
    let indent = before.len() - before.trim_start_matches(' ').len();
    let rest = &before[indent..];
    let (dash, key_col) = if rest == "-" || rest.starts_with("- ") {
        let after = &rest[1..];
        (true, indent + 1 + (after.len() - after.trim_start_matches(' ').len()))
    } else {
        (false, indent)
    };
    let typed = &before[key_col.min(before.len())..];
    if let Some(n) = yaml_key_len(typed) {
        // After `key:`: a value of that key.
        let mut path = parent_path(&lines, row, key_col, dash);
        if dash {
            path.push("*".to_string());
        }
        path.push(typed[..n].trim_matches(['"', '\'']).to_string());
        let value = &typed[n + 1..];
        let lead = value.len() - value.trim_start().len();
        let mut v_start = line_start + key_col + n + 1 + lead;
        let mut value = value.trim_start();
        let in_list = value.starts_with('[');
        if in_list {
            // The item being typed: after the last `[` or `,`.
            let cut = value.rfind([',', '[']).map_or(0, |i| i + 1);
            let item = &value[cut..];
            v_start += cut + (item.len() - item.trim_start().len());
            value = item.trim_start();
        }
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''));
        let prefix_start = v_start + quote.map_or(0, char::len_utf8);
        let line_end = line_start + line.len();
        let replace_end = match quote {
            Some(q) => text[offset..line_end].find(q).map_or(line_end, |i| offset + i),
            None => run_end(text, offset, |b| is_word(b) || b == b'.').min(line_end),
        };
        return Site::FrontMatterValue {
            path,
            prefix: TextRange::new(prefix_start.min(offset), offset),
            replace: TextRange::new(prefix_start.min(offset), replace_end.max(offset)),
            quote,
            in_list,
        };
    }
    if !typed.bytes().all(is_word) {
        return Site::None;
    }
    let mut path = parent_path(&lines, row, key_col, dash);
    if dash {
        path.push("*".to_string());
    }
    let existing = sibling_keys(&lines, row, key_col, dash);
    let prefix = TextRange::new(line_start + key_col, offset);
    Site::FrontMatterKey {
        path,
        prefix,
        replace: TextRange::new(
            prefix.start,
            run_end(text, offset, is_word).min(line_start + line.len()),
        ),
        indent: key_col,
        existing,
    }
}

/// Where the profile name starts in a `# skill-lsp: profile=` comment line
/// written up to the cursor (`None` when the line is another comment).
fn override_value_start(before: &str) -> Option<usize> {
    let after_hash = before.trim_start().strip_prefix('#')?;
    let rest = after_hash
        .trim_start()
        .strip_prefix(crate::profile::OVERRIDE_MARKER)?
        .trim_start()
        .strip_prefix("profile")?
        .trim_start();
    let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?.trim_start();
    value.bytes().all(is_word).then(|| before.len() - value.len())
}

/// The keys (and `*` for list items) leading to the map whose keys stand at
/// column `col` on line `row`. `dash`: line `row` starts a list item, whose
/// list belongs to the key above.
fn parent_path(lines: &[(usize, &str)], row: usize, col: usize, dash: bool) -> Vec<String> {
    let mut path = Vec::new();
    // The column the next ancestor's content stands at.
    let mut want = col;
    // The next ancestor owns a list whose dashes stand at `want` (YAML lets
    // the dashes stand at the key's own column).
    let mut list_owner = dash;
    if dash {
        want = lines[row].1.len() - lines[row].1.trim_start_matches(' ').len();
    }
    for (_, line) in lines[..row].iter().rev() {
        if want == 0 && !list_owner {
            break;
        }
        let Some(l) = read_yaml_line(line) else { continue };
        if l.dash && l.indent < want {
            // Inside this list item.
            if l.key_col < want && l.opens_block {
                if let Some(k) = l.key {
                    path.push(k.to_string());
                }
            }
            path.push("*".to_string());
            want = l.indent;
            list_owner = true;
            continue;
        }
        if l.dash {
            continue; // an earlier item of the same list, or deeper
        }
        let Some(key) = l.key else { continue };
        let owns = if list_owner {
            l.key_col <= want && l.opens_block
        } else {
            l.key_col < want && l.opens_block
        };
        if owns {
            path.push(key.to_string());
            want = l.key_col;
            list_owner = false;
        } else if l.key_col < want {
            break; // a scalar at a lower column: the map ended above
        }
    }
    path.reverse();
    path
}

/// The keys of the map whose keys stand at `col` around line `row`.
fn sibling_keys(lines: &[(usize, &str)], row: usize, col: usize, dash: bool) -> Vec<String> {
    let mut out = Vec::new();
    let item_start = |l: &YamlLine| l.dash && l.indent < col;
    // Upwards, to the map's first line (or its list item's dash line).
    if !dash {
        for (_, line) in lines[..row].iter().rev() {
            let Some(l) = read_yaml_line(line) else { continue };
            if l.key_col < col && !l.dash {
                break;
            }
            if item_start(&l) {
                if l.key_col == col {
                    out.extend(l.key.map(str::to_string));
                }
                break;
            }
            if l.key_col == col && !l.dash {
                out.extend(l.key.map(str::to_string));
            }
        }
    }
    out.reverse();
    // Downwards, to the map's end (or the next list item).
    for (_, line) in lines.iter().skip(row + 1) {
        let Some(l) = read_yaml_line(line) else { continue };
        if l.key_col < col || item_start(&l) {
            break;
        }
        if l.key_col == col && !l.dash {
            out.extend(l.key.map(str::to_string));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document with `|` removed, and the offset where it stood.
    fn at(marked: &str) -> (SkillDoc, usize) {
        let offset = marked.find('|').expect("a | marks the cursor");
        let text = marked.replacen('|', "", 1);
        (SkillDoc::parse(text, Some("skills/demo/SKILL.md".into())), offset)
    }

    fn slice(doc: &SkillDoc, r: TextRange) -> &str {
        &doc.text[r.start..r.end]
    }

    const FM: &str = "---\nname: demo\ncontext:\n  primary_domain: python\n  |\nmemory:\n  scopes:\n    - type: \"skill-specific\"\n      files: [a.md]\n---\n# T\n";

    /// [`FM`] without its cursor.
    fn bare() -> String {
        FM.replace("  |\n", "")
    }

    #[test]
    fn front_matter_keys_know_their_map_and_its_keys() {
        let (doc, offset) = at(FM);
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, existing, .. } => {
                assert_eq!(path, ["context"]);
                assert_eq!(existing, ["primary_domain"]);
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&bare().replace("      files: [a.md]", "      files: [a.md]\n      us|"));
        match site_at(&doc, offset) {
            Site::FrontMatterKey {
                path, existing, prefix, ..
            } => {
                assert_eq!(path, ["memory", "scopes", "*"]);
                assert_eq!(existing, ["type", "files"]);
                assert_eq!(slice(&doc, prefix), "us");
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&FM
            .replace("  |\n", "")
            .replace("# T", "")
            .replace("name: demo\n", "name: demo\nv|\n"));
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, existing, .. } => {
                assert!(path.is_empty());
                assert_eq!(existing, ["name", "context", "memory"]);
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&bare().replace("      files: [a.md]", "      files: [a.md]\n    - |"));
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, existing, .. } => {
                assert_eq!(path, ["memory", "scopes", "*"]);
                assert!(existing.is_empty(), "{existing:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_closing_fence_is_not_front_matter() {
        let (doc, offset) = at("---\nname: demo\n|---\n# T\n");
        assert_eq!(site_at(&doc, offset), Site::None);
        let (doc, offset) = at("---\nname: demo\n|\n---\n# T\n");
        assert!(matches!(site_at(&doc, offset), Site::FrontMatterKey { .. }));
    }

    #[test]
    fn profile_override_comments() {
        let (doc, offset) = at("---\n# skill-lsp: profile=agent|\nname: demo\n---\n# T\n");
        let Site::ProfileName { replace } = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(slice(&doc, replace), "agent");
        let (doc, offset) = at("---\n# just a comment|\nname: demo\n---\n# T\n");
        assert_eq!(site_at(&doc, offset), Site::None);
        let (doc, offset) = at("---\n# skill-lsp: profile=agent|skills\nname: demo\n---\n# T\n");
        assert!(
            matches!(target_at(&doc, offset), Target::ProfileOverride { range } if slice(&doc, range) == "agentskills")
        );
    }

    #[test]
    fn front_matter_values_know_their_key() {
        let (doc, offset) = at(&bare().replace("    - type: \"skill-specific\"", "    - type: \"sh|\""));
        match site_at(&doc, offset) {
            Site::FrontMatterValue {
                path,
                prefix,
                replace,
                quote,
                ..
            } => {
                assert_eq!(path, ["memory", "scopes", "*", "type"]);
                assert_eq!(slice(&doc, prefix), "sh");
                assert_eq!(slice(&doc, replace), "sh");
                assert_eq!(quote, Some('"'));
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&FM.replace("  |\n", "  detection_required: t|\n"));
        match site_at(&doc, offset) {
            Site::FrontMatterValue { path, quote, .. } => {
                assert_eq!(path, ["context", "detection_required"]);
                assert_eq!(quote, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn methods_after_a_receiver_even_unfinished() {
        let (doc, offset) = at("---\nname: demo\n---\n# T\n\n- Then `memoryStore.get|\n");
        match site_at(&doc, offset) {
            Site::Method {
                interface,
                prefix,
                has_parens,
                ..
            } => {
                assert_eq!(interface, "memoryStore");
                assert_eq!(slice(&doc, prefix), "get");
                assert!(!has_parens);
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at("# T\n\n- 🚀 `memstore.|()`\n");
        assert!(matches!(
            site_at(&doc, offset),
            Site::Method {
                interface: "memoryStore",
                has_parens: true,
                ..
            }
        ));
        let (doc, offset) = at("# T\n\n- `os.path.|`\n");
        assert_eq!(site_at(&doc, offset), Site::None);
    }

    #[test]
    fn receivers_only_in_code() {
        let (doc, offset) = at("# T\n\nUse `mem|\n");
        assert!(matches!(site_at(&doc, offset), Site::Receiver { .. }));
        let (doc, offset) = at("# T\n\nUse mem| here\n");
        assert_eq!(site_at(&doc, offset), Site::None);
    }

    #[test]
    fn arguments_positional_and_keyword() {
        let (doc, offset) = at("# T\n\n`memoryStore.getSkillMemory(\"demo\", \"{pro|`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(
            (c.interface, c.method.as_str(), c.active),
            ("memoryStore", "getSkillMemory", 1)
        );
        assert_eq!(slice(&doc, c.prefix), "{pro");
        assert_eq!(c.quote, Some('"'));
        assert!(c.close.is_none());

        let (doc, offset) = at("# T\n\n`memoryStore.update(layer=\"skill-specific\", skill=\"|\", project=\"p\")`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(c.active, 1);
        assert_eq!(c.args[1].keyword.as_ref().map(|k| k.0.as_str()), Some("skill"));
        assert_eq!(c.args.len(), 3);
        assert!(c.close.is_some());
        let form =
            crate::workspace::catalogue::parse_param_list("layer, skillName, projectName, fileType, content").unwrap();
        assert_eq!(c.active_param(&form), Some(1));
        // Positional after keywords: the next parameter no keyword names.
        let (doc, offset) = at("# T\n\n`memoryStore.update(skill=\"x\", |)`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(c.active_param(&form), Some(0));
        assert!(c.at_keyword);

        let (doc, offset) = at("# T\n\n```\ncontextProvider.getConditionalContext(\n  \"python\",\n  |\n)\n```\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!((c.method.as_str(), c.active), ("getConditionalContext", 1));
        // After a closed string: nothing is being typed into it.
        let (doc, offset) = at("# T\n\n`contextProvider.getDomainIndex(\"python\"|)`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert!(c.after_string);
        let (doc, offset) = at("# T\n\n`contextProvider.getDomainIndex(\"py\\\"|\")`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert!(!c.after_string, "an escaped quote does not close the string");
        // After the closing parenthesis: no longer in the call.
        let (doc, offset) = at("# T\n\n`contextProvider.getDomainIndex(\"python\")|`\n");
        assert!(!matches!(site_at(&doc, offset), Site::Argument(_)));
    }

    #[test]
    fn workflow_and_checklist_lines() {
        let text = "# T\n\n## Mandatory Workflow\n\n### Step 1: Scope\n\nDo.\n\n### Step 2: Load Memory\n\nDo.\n\n|\n\n## Compliance Checklist\n\n- [ ] Step 1: Scope\n";
        let (doc, offset) = at(text);
        assert!(matches!(site_at(&doc, offset), Site::WorkflowLine { after: 2, .. }));
        let (doc, offset) = at(&text
            .replace("- [ ] Step 1: Scope\n", "- [ ] Step 1: Scope\n- |\n")
            .replacen("|\n\n##", "\n\n##", 1));
        assert!(
            matches!(site_at(&doc, offset), Site::ChecklistLine { .. }),
            "{:?}",
            site_at(&doc, offset)
        );
    }

    #[test]
    fn targets_of_finished_text() {
        let (doc, offset) = at("---\nname: demo\nver|sion: \"1.0.0\"\n---\n# T\n\n`memoryStore.getSkillMemory(\"demo\", \"{project-name}\")` and SK201\n");
        assert!(matches!(target_at(&doc, offset), Target::Key { ref path, .. } if path == &["version"]));
        let text = doc.text.clone();
        let m = text.find("getSkill").unwrap() + 2;
        assert!(matches!(target_at(&doc, m), Target::Method(c) if c.method == "getSkillMemory"));
        let a = text.find("{project").unwrap();
        assert!(matches!(target_at(&doc, a), Target::Argument { index: 1, .. }));
        let code = text.find("SK201").unwrap() + 1;
        assert!(matches!(target_at(&doc, code), Target::RuleCode { ref code, .. } if code == "SK201"));
        assert!(matches!(target_at(&doc, text.find("# T").unwrap()), Target::Heading(0)));
    }

    #[test]
    fn no_panic_anywhere_in_unusual_text() {
        let text = "---\nname: ü😀\n  - : :\n- [\n---\n# ⚠️ `memoryStore.x(\"😀, ' `(` \n```\nmemoryStore.update(\"a\n";
        let doc = SkillDoc::parse(text, None);
        for offset in 0..=text.len() + 2 {
            let _ = site_at(&doc, offset);
            let _ = target_at(&doc, offset);
        }
    }
}
