//! The call whose argument list holds the cursor, read through the model's
//! own call parse (`model::calls_in`) of the text with a marker at the
//! cursor (see [`super::marker`]): the argument being typed always has text,
//! so the model's argument spans say which argument the cursor is in,
//! whether it is a keyword argument, where its value starts. Only the code
//! holding the cursor is read again: the code block or code span the
//! document's Markdown found there (a marker of identifier characters does
//! not change Markdown's reading of code), or, for a code span still missing
//! its closing backtick, the cursor's line closed and read by the Markdown
//! parser (a code span never crosses a paragraph, and the line is what an
//! author types it on).

use crate::model::{calls_in, near_receiver, Arg, ArgValue, Call, SkillDoc, KNOWN_RECEIVERS};
use crate::syntax::markdown::{self, CodeBlock};
use crate::text::{line_range_at, TextRange};
use crate::workspace::catalogue::{same_param, Param};

use super::marker::{Marked, MARKER};
use super::words::{floor_boundary, is_ident, is_word, run_end};

/// One argument of a call being written.
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

/// A call whose argument list holds the cursor (the call may be unfinished:
/// no `)`, no closing backtick).
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

/// The known receiver `name` is or stands for.
pub(super) fn known_receiver(name: &str) -> Option<&'static str> {
    KNOWN_RECEIVERS
        .iter()
        .copied()
        .find(|k| *k == name)
        .or_else(|| near_receiver(name))
}

/// Whether `offset` is in code: a code block, a code span, or after an
/// unclosed backtick on its line (a span being typed).
pub fn in_code(doc: &SkillDoc, offset: usize) -> bool {
    code_block_at(doc, offset).is_some() || in_code_span(doc, offset) || open_span_line_end(doc, offset).is_some()
}

fn in_code_span(doc: &SkillDoc, offset: usize) -> bool {
    code_span_at(doc, offset).is_some()
}

/// The content of the code span holding `offset`.
fn code_span_at(doc: &SkillDoc, offset: usize) -> Option<TextRange> {
    doc.md.code_spans.iter().map(|s| s.content).find(|c| c.touches(offset))
}

/// The end of the cursor's line when the cursor stands in a code span whose
/// closing backtick is not written yet: an odd number of backticks before
/// it on its line, in text Markdown reads as prose.
fn open_span_line_end(doc: &SkillDoc, offset: usize) -> Option<usize> {
    if code_block_at(doc, offset).is_some() || in_code_span(doc, offset) {
        return None;
    }
    let line = line_range_at(&doc.text, offset);
    let before = &doc.text[line.start..offset];
    (before.matches('`').count() % 2 == 1).then_some(line.end.max(offset))
}

/// The code block holding `offset`: inside its fences, or at the very end
/// of a block still being typed (its fence not closed, the document ending
/// with it).
pub(super) fn code_block_at(doc: &SkillDoc, offset: usize) -> Option<&CodeBlock> {
    doc.md.code_blocks.iter().find(|b| {
        b.range.contains(offset) || (offset == doc.text.len() && b.range.end == offset && b.content.touches(offset))
    })
}

/// The call whose argument list holds `offset`, as the model parses the
/// text with a marker at the cursor.
pub fn call_site(doc: &SkillDoc, offset: usize) -> Option<CallSite> {
    let text: &str = &doc.text;
    let offset = floor_boundary(text, offset);
    if !in_code(doc, offset) {
        return None; // calls live in code
    }
    let open_span = open_span_line_end(doc, offset);
    let mut inserts = vec![(offset, MARKER)];
    if let Some(end) = open_span {
        inserts.push((end, "`"));
    }
    let marked = Marked::new(text, &inserts);
    let marker = marked.marker_at(offset);
    let regions: Vec<TextRange> = match (code_block_at(doc, offset), code_span_at(doc, offset), open_span) {
        (Some(block), _, _) => vec![marked.copy_range(block.content)],
        (None, Some(span), _) => vec![marked.copy_range(span)],
        (None, None, Some(_)) => {
            // The line with its span closed, read by the Markdown parser alone.
            let line = marked.copy_range(line_range_at(text, offset));
            let md = markdown::parse(&marked.text[line.start..line.end], 0);
            let shift = |r: TextRange| TextRange::new(line.start + r.start, line.start + r.end);
            let spans = md.code_spans.iter().map(|s| shift(s.content));
            spans.chain(md.code_blocks.iter().map(|b| shift(b.content))).collect()
        }
        (None, None, None) => Vec::new(),
    };
    let calls = calls_in(&marked.text, &regions);
    // The innermost call holding the marker among its arguments.
    let call = calls
        .iter()
        .filter(|c| c.args_range.start <= marker.start && marker.end <= c.args_range.end)
        .min_by_key(|c| c.range.len())?;
    let pieces = pieces(&marked.text, call);
    let active = pieces
        .iter()
        .position(|p| p.range.start <= marker.start && marker.end <= p.range.end)?;
    let args: Vec<ArgPiece> = pieces.iter().map(|p| original_piece(&marked, text, p)).collect();
    let receiver_range = marked.original_range(call.receiver_range);
    let receiver = &text[receiver_range.start..receiver_range.end];
    let interface = known_receiver(receiver)?;
    let method_range = marked.original_range(call.method_range);
    let closed = call.range.end > call.args_range.end;
    let piece = &args[active];
    let value_start = piece.value_range.start.min(offset);
    let b = text.as_bytes();
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
        receiver: receiver.to_string(),
        interface,
        receiver_range,
        method: text[method_range.start..method_range.end].to_string(),
        method_range,
        open: marked.original(call.args_range.start) - 1,
        close: closed.then(|| marked.original(call.range.end - 1)),
        args,
        active,
        prefix,
        quote,
        replace: TextRange::new(prefix.start, replace_end.max(offset)),
        after_string,
        at_keyword,
    })
}

/// The call's arguments as the cursor sees them, in the copy's offsets: the
/// model's, and an empty one wherever nothing stands between two commas (or
/// a comma and a parenthesis). Between the model's arguments there is only
/// blank space and the commas that separate them, so the commas are found
/// there, not by splitting the text again.
fn pieces(text: &str, call: &Call) -> Vec<ArgPiece> {
    let inside = call.args_range;
    let mut commas = Vec::new();
    let mut at = inside.start;
    let ends = TextRange::new(inside.end, inside.end);
    for arg in call.args.iter().map(|a| a.range).chain([ends]) {
        let gap_end = arg.start.max(at);
        commas.extend(text[at..gap_end].match_indices(',').map(|(i, _)| at + i));
        at = arg.end.max(at);
    }
    let mut args = call.args.iter().peekable();
    let mut out = Vec::new();
    let mut start = inside.start;
    for end in commas.into_iter().chain([inside.end]) {
        let end = end.max(start);
        match args.next_if(|a| a.range.end <= end) {
            Some(arg) => out.push(piece_of(arg)),
            None => {
                let rest = &text[start..end];
                let blank = start + (rest.len() - rest.trim_start().len());
                let here = TextRange::new(blank, blank);
                out.push(ArgPiece {
                    range: here,
                    keyword: None,
                    value_range: here,
                    is_rest: false,
                });
            }
        }
        start = end + 1;
    }
    out
}

fn piece_of(arg: &Arg) -> ArgPiece {
    ArgPiece {
        range: arg.range,
        keyword: arg.keyword.clone(),
        value_range: arg.value_range,
        is_rest: arg.keyword.is_none() && arg.value == ArgValue::Ellipsis,
    }
}

/// A piece of the copy as it stands in the original text: the marker taken
/// out of its ranges, a keyword named as the original writes it.
fn original_piece(marked: &Marked, text: &str, p: &ArgPiece) -> ArgPiece {
    let range = marked.original_range(p.range);
    ArgPiece {
        range,
        keyword: p.keyword.as_ref().map(|(_, r)| {
            let r = marked.original_range(*r);
            (text[r.start..r.end].to_string(), r)
        }),
        value_range: marked.original_range(p.value_range),
        is_rest: p.is_rest,
    }
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
