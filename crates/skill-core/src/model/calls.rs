//! Interface calls (`memoryStore.getSkillMemory("fastapi", "{project-name}")`)
//! in inline code and code blocks: receiver, method, arguments, all spanned.
//!
//! A call is `receiver.method(arguments)` where the receiver is one of the
//! interfaces ([`KNOWN_RECEIVERS`]) or a near miss of one (`memstore`,
//! `MemoryStore`), kept so a rule can point at it; any other `a.b()` in a
//! code block is ordinary code and ignored. Arguments are positional or
//! keyword (`skill="x"`, `skill: "x"`), `...` for "the rest", strings with
//! escapes, nested brackets and braces, over several lines in a code block.
//! `()` with nothing inside mentions the method rather than calling it.

use crate::model::Workflow;
use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

/// The receivers skills call.
pub const KNOWN_RECEIVERS: &[&str] = &["memoryStore", "contextProvider", "skillInvoker", "executionContext"];

/// How far past `(` a call's arguments are looked for; a call left open
/// longer than this ends there (keeps a pathological code block linear).
const MAX_CALL_BYTES: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A quoted string, unquoted and unescaped.
    Str(String),
    /// `...`: "the rest".
    Ellipsis,
    /// Anything else, as written (`project`, `["a", "b"]`, `{...}`).
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The whole argument, `skill="fastapi"` or `"fastapi"`.
    pub range: TextRange,
    /// The keyword of a keyword argument, with its range.
    pub keyword: Option<(String, TextRange)>,
    pub value: ArgValue,
    /// The value as written, quotes included.
    pub value_range: TextRange,
}

impl Arg {
    /// The string value, when the argument is a quoted string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            ArgValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub receiver: String,
    pub receiver_range: TextRange,
    pub method: String,
    pub method_range: TextRange,
    pub args: Vec<Arg>,
    /// Inside the parentheses.
    pub args_range: TextRange,
    /// From the receiver to the closing parenthesis (or the end of what was written).
    pub range: TextRange,
    /// `()` with nothing inside: a mention of the method, not a call.
    pub is_mention: bool,
    /// The number of the workflow step the call stands in, if any.
    pub step: Option<u32>,
}

impl Call {
    /// Whether the receiver is one of [`KNOWN_RECEIVERS`] (not a near miss).
    pub fn is_known_receiver(&self) -> bool {
        KNOWN_RECEIVERS.contains(&self.receiver.as_str())
    }

    /// The known receiver a near-miss receiver stands for (`memstore` → `memoryStore`).
    pub fn near_miss_of(&self) -> Option<&'static str> {
        near_receiver(&self.receiver)
    }
}

/// The known receiver a misspelt one stands for: the same name in another
/// case or with underscores (`MemoryStore`, `memory_store`), up to two typos
/// (`memoryStor`), or a shortening that keeps most of its letters in order
/// (`memstore`). `None` for the known receivers themselves and anything else.
pub fn near_receiver(name: &str) -> Option<&'static str> {
    // Most names in code (`os`, `self`, `json`) are too short to be a near
    // miss: passed over before anything is copied or measured.
    if name.len() < NEAR_MISS_MIN_BYTES {
        return None;
    }
    near_receiver_measured(name)
}

/// The fewest bytes a near miss of a known receiver is written in. Its
/// lower-cased form without `_` has no more characters than the name has
/// bytes (a character lower-cases to at most as many characters as it has
/// bytes), and is at least 8 long: 11 for another case of `memoryStore`,
/// the shortest known receiver, 9 for two typos of it, two thirds of it
/// (rounded up) for a shortening.
const NEAR_MISS_MIN_BYTES: usize = 8;

/// [`near_receiver`] measured whatever the name's length: its oracle.
fn near_receiver_measured(name: &str) -> Option<&'static str> {
    if KNOWN_RECEIVERS.contains(&name) {
        return None;
    }
    let n: String = name
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    let n_len = n.chars().count();
    KNOWN_RECEIVERS.iter().zip(KNOWN_LOWER).find_map(|(&known, k)| {
        // The distance is at least the difference in length: most names
        // (`np`, `os`, `self`) are too short or too long to be measured.
        (n == k
            || (n_len.abs_diff(k.len()) <= 2 && strsim::damerau_levenshtein(&n, k) <= 2)
            || (n.len() * 3 >= k.len() * 2 && n.as_bytes().first() == k.as_bytes().first() && is_subsequence(&n, k)))
        .then_some(known)
    })
}

/// [`KNOWN_RECEIVERS`] in lower case, as [`near_receiver`] compares them.
const KNOWN_LOWER: [&str; 4] = ["memorystore", "contextprovider", "skillinvoker", "executioncontext"];

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

pub(crate) fn extract(text: &str, md: &MdDoc, workflow: Option<&Workflow>) -> Vec<Call> {
    let regions = md
        .code_spans
        .iter()
        .map(|s| s.content)
        .chain(md.code_blocks.iter().map(|b| b.content));
    let mut calls = in_regions(text, regions);
    if let Some(w) = workflow {
        for c in &mut calls {
            c.step = w.step_at(md, c.range.start).map(|s| s.number);
        }
    }
    calls
}

/// The calls in the code regions `regions` of `text`, in text order.
pub(crate) fn in_regions(text: &str, regions: impl IntoIterator<Item = TextRange>) -> Vec<Call> {
    let mut calls = Vec::new();
    for region in regions {
        scan(text, region, &mut calls);
    }
    calls.sort_by_key(|c| (c.range.start, c.range.end));
    calls.dedup_by_key(|c| c.range);
    calls
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident(b: u8) -> bool {
    IDENT[usize::from(b)]
}

/// The bytes an identifier holds (ASCII letters and digits, `_`, `$`), by
/// byte: the scan goes back over every method and receiver name a byte at
/// a time, and a look-up is one load where the comparisons were a dozen
/// instructions.
const IDENT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
        b += 1;
    }
    table
};

/// Finds the calls in `text[region]`. A call is `receiver.method(`, so
/// each `(` (found with `memchr`; code holds few) is read backwards: the
/// identifier before it, a dot, the identifier before that. Only whole
/// identifiers count, and a receiver may not start with a digit; the
/// region's start ends an identifier. Calls nested in another's arguments
/// have their own `(`.
fn scan(text: &str, region: TextRange, out: &mut Vec<Call>) {
    let Some(_) = text.get(region.start..region.end) else {
        return;
    };
    let bytes = text.as_bytes();
    let start = region.start;
    for open in memchr::memchr_iter(b'(', &bytes[start..region.end]).map(|i| start + i) {
        let meth_start = ident_run_start(bytes, start, open);
        if meth_start == open || !is_ident_start(bytes[meth_start]) || meth_start == start {
            continue;
        }
        let recv_end = meth_start - 1;
        if bytes[recv_end] != b'.' {
            continue;
        }
        let recv_start = ident_run_start(bytes, start, recv_end);
        if recv_start == recv_end || !is_ident_start(bytes[recv_start]) {
            continue;
        }
        let receiver = &text[recv_start..recv_end];
        let chained = recv_start > start && bytes[recv_start - 1] == b'.';
        let known = KNOWN_RECEIVERS.contains(&receiver);
        if known || (!chained && near_receiver(receiver).is_some()) {
            out.push(read_call(text, region, recv_start, recv_end, meth_start, open));
        }
    }
}

/// Where the run of identifier bytes that ends at `end` starts (`end` when
/// there is none), not before `from`.
fn ident_run_start(bytes: &[u8], from: usize, end: usize) -> usize {
    let mut i = end;
    while i > from && is_ident(bytes[i - 1]) {
        i -= 1;
    }
    i
}

fn ident_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_ident(bytes[i]) {
        i += 1;
    }
    i
}

/// Reads the call whose `(` stands at `open`.
fn read_call(
    text: &str,
    region: TextRange,
    recv_start: usize,
    recv_end: usize,
    meth_start: usize,
    open: usize,
) -> Call {
    let mut limit = region.end.min(open + 1 + MAX_CALL_BYTES);
    while !text.is_char_boundary(limit) {
        limit -= 1; // never inside a character
    }
    let mut args: Vec<Arg> = Vec::new();
    let close = split_args(text, open + 1, limit, |r| args.extend(read_arg(text, r)));
    let inner_end = close.unwrap_or_else(|| trim_end(text, open + 1, limit));
    let is_mention = close.is_some() && text[open + 1..inner_end].trim().is_empty();
    Call {
        receiver: text[recv_start..recv_end].to_string(),
        receiver_range: TextRange::new(recv_start, recv_end),
        method: text[meth_start..open].to_string(),
        method_range: TextRange::new(meth_start, open),
        args,
        args_range: TextRange::new(open + 1, inner_end.max(open + 1)),
        range: TextRange::new(recv_start, close.map_or(inner_end, |c| c + 1)),
        is_mention,
        step: None,
    }
}

/// The byte offset where trailing whitespace of `text[start..end]` begins.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

/// Splits the arguments from `start` at top-level commas, each piece handed
/// to `piece` as it is found (no list of them built), up to the matching
/// `)` (returned) or `limit`. Strings (with `\` escapes) and brackets nest.
fn split_args(text: &str, start: usize, limit: usize, mut piece: impl FnMut(TextRange)) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut piece_start = start;
    let mut i = start;
    while i < limit {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i = string_end(bytes, i, q, limit);
                continue;
            }
            b'(' => stack.push(b')'),
            b'[' => stack.push(b']'),
            b'{' => stack.push(b'}'),
            c @ (b')' | b']' | b'}') => {
                if stack.is_empty() {
                    if c == b')' {
                        piece(TextRange::new(piece_start, i));
                        return Some(i);
                    }
                    break; // a stray closer: the call was never closed
                }
                if stack.last() == Some(&c) {
                    stack.pop();
                }
            }
            b',' if stack.is_empty() => {
                piece(TextRange::new(piece_start, i));
                piece_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    piece(TextRange::new(piece_start, i.min(limit)));
    None
}

/// The offset just past the string opened by quote `q` at `open`.
fn string_end(bytes: &[u8], open: usize, q: u8, limit: usize) -> usize {
    let mut i = open + 1;
    while i < limit {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == q => return i + 1,
            // A quote inside inline prose (`don't`) must not swallow the line.
            b'\n' if q == b'\'' => return i,
            _ => i += 1,
        }
    }
    limit
}

/// One argument from its raw range: trimmed, keyword split off, value classified.
fn read_arg(text: &str, raw: TextRange) -> Option<Arg> {
    let s = &text[raw.start..raw.end];
    let lead = s.len() - s.trim_start().len();
    let start = raw.start + lead;
    let end = raw.start + s.trim_end().len();
    if start >= end {
        return None;
    }
    let range = TextRange::new(start, end);
    let body = &text[start..end];
    let bytes = body.as_bytes();
    let mut keyword = None;
    let mut value_start = start;
    if is_ident_start(bytes[0]) {
        let k = ident_end(bytes, 0, bytes.len());
        let rest = &body[k..];
        let gap = rest.len() - rest.trim_start().len();
        let after = &rest[gap..];
        let is_kw = (after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=>"))
            || (after.starts_with(':') && !after.starts_with("::"));
        if is_kw && !after[1..].trim().is_empty() {
            keyword = Some((body[..k].to_string(), TextRange::new(start, start + k)));
            let v = &after[1..];
            value_start = start + k + gap + 1 + (v.len() - v.trim_start().len());
        }
    }
    let value_range = TextRange::new(value_start, end);
    let value = classify(&text[value_start..end]);
    Some(Arg {
        range,
        keyword,
        value,
        value_range,
    })
}

fn classify(v: &str) -> ArgValue {
    if v == "..." || v == "…" {
        return ArgValue::Ellipsis;
    }
    let b = v.as_bytes();
    if let Some(&q @ (b'"' | b'\'')) = b.first() {
        if b.len() >= 2 && string_end(b, 0, q, b.len()) == b.len() && b[b.len() - 1] == q {
            return ArgValue::Str(unescape(&v[1..v.len() - 1]));
        }
    }
    ArgValue::Other(v.to_string())
}

fn unescape(s: &str) -> String {
    // Most strings hold no escape: copied whole, not a character at a time.
    if memchr::memchr(b'\\', s.as_bytes()).is_none() {
        return s.to_string();
    }
    unescape_chars(s)
}

/// [`unescape`] a character at a time: what it does with a string holding
/// a `\\`, and its oracle on any other.
fn unescape_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

impl Call {
    /// Calls that write memory, by method name (an undefined `updateSkillMemory`
    /// still writes; so does `memstore.update`, which SK207 reports).
    pub fn writes_memory(&self) -> bool {
        (self.receiver == "memoryStore" || self.near_miss_of() == Some("memoryStore"))
            && ["update", "append", "create", "write", "save", "store"]
                .iter()
                .any(|w| self.method.starts_with(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SkillDoc;
    use proptest::prelude::*;
    use proptest::test_runner::{Config as ProptestConfig, TestCaseError};

    fn calls(text: &str) -> Vec<Call> {
        SkillDoc::parse(text, None).calls
    }

    fn slice(text: &str, r: TextRange) -> &str {
        &text[r.start..r.end]
    }

    #[test]
    fn positional_call_in_inline_code_with_exact_ranges() {
        let text = "# T\n\n1. Lädt 🚀 `memoryStore.getSkillMemory(\"fastapi\", \"{project-name}\")` first\n";
        let c = &calls(text)[0];
        assert_eq!(
            (c.receiver.as_str(), c.method.as_str()),
            ("memoryStore", "getSkillMemory")
        );
        assert_eq!(
            slice(text, c.range),
            "memoryStore.getSkillMemory(\"fastapi\", \"{project-name}\")"
        );
        assert_eq!(slice(text, c.method_range), "getSkillMemory");
        assert_eq!(slice(text, c.args_range), "\"fastapi\", \"{project-name}\"");
        assert_eq!(c.args.len(), 2);
        assert_eq!(c.args[0].value, ArgValue::Str("fastapi".into()));
        assert_eq!(slice(text, c.args[0].value_range), "\"fastapi\"");
        assert_eq!(slice(text, c.args[1].range), "\"{project-name}\"");
        assert!(!c.is_mention);
    }

    #[test]
    fn keyword_arguments_in_both_spellings_and_the_rest() {
        let text = "`memoryStore.update(layer=\"skill-specific\", skill: \"x\", project = p, ...)`\n";
        let c = &calls(text)[0];
        let kw: Vec<Option<&str>> = c
            .args
            .iter()
            .map(|a| a.keyword.as_ref().map(|k| k.0.as_str()))
            .collect();
        assert_eq!(kw, [Some("layer"), Some("skill"), Some("project"), None]);
        assert_eq!(slice(text, c.args[1].keyword.as_ref().unwrap().1), "skill");
        assert_eq!(slice(text, c.args[1].value_range), "\"x\"");
        assert_eq!(c.args[2].value, ArgValue::Other("p".into()));
        assert_eq!(c.args[3].value, ArgValue::Ellipsis);
    }

    #[test]
    fn multi_line_call_with_nested_brackets_and_escapes_in_a_code_block() {
        let text = "# T\n\n```\nmemoryStore.updateSkillMemory(\"ö-skill\", \"a, \\\"b\\\" (c\", {\n  patterns: [...],\n  f: g(1, 2)\n})\n```\n";
        let c = &calls(text)[0];
        assert_eq!(c.args.len(), 3);
        assert_eq!(c.args[1].value, ArgValue::Str("a, \"b\" (c".into()));
        assert!(matches!(&c.args[2].value, ArgValue::Other(v) if v.starts_with('{') && v.ends_with('}')));
        assert!(slice(text, c.range).ends_with("})"));
    }

    #[test]
    fn empty_parentheses_mention_a_method() {
        let c = &calls("- [ ] Step 2: loaded via `memoryStore.getSkillMemory()`\n")[0];
        assert!(c.is_mention && c.args.is_empty());
        let c = &calls("`memoryStore.update(...)`\n")[0];
        assert!(!c.is_mention);
    }

    #[test]
    fn near_misses_are_kept_other_code_is_not() {
        let text = "```python\nresult = foo.bar(1)\nmemstore.update(\"x\")\nMemoryStore.read(a)\nself.memstore.x(1)\nos.path.join(a, b)\n```\n";
        let got: Vec<String> = calls(text).into_iter().map(|c| c.receiver).collect();
        assert_eq!(got, ["memstore", "MemoryStore"]);
        assert_eq!(near_receiver("memstore"), Some("memoryStore"));
        assert_eq!(near_receiver("contextprovider"), Some("contextProvider"));
        assert_eq!(near_receiver("memory"), None);
        assert_eq!(near_receiver("context"), None);
        assert_eq!(near_receiver("memoryStore"), None);
    }

    #[test]
    fn unclosed_call_ends_with_its_code_and_nested_calls_are_found() {
        let text = "`contextProvider.getDomainIndex(\"python\"` and `executionContext.recordContextLoad(s, contextProvider.getConditionalContext(\"python\", \"x\"))`\n";
        let cs = calls(text);
        assert_eq!(cs.len(), 3);
        assert_eq!(slice(text, cs[0].range), "contextProvider.getDomainIndex(\"python\"");
        assert_eq!(cs[0].args[0].value, ArgValue::Str("python".into()));
        assert_eq!(cs[2].method, "getConditionalContext");
    }

    #[test]
    fn a_call_left_open_stops_at_the_limit_on_a_character_boundary() {
        let text = format!("```\nmemoryStore.update(\"x\", é{}\n```\n", "é".repeat(MAX_CALL_BYTES));
        let c = &calls(&text)[0];
        assert!(c.range.len() <= MAX_CALL_BYTES + "memoryStore.update(".len());
        assert!(text.is_char_boundary(c.range.end));
        let text = format!("`memoryStore.update(\"{}`", "\\é".repeat(10));
        assert_eq!(calls(&text).len(), 1);
    }

    /// [`scan`] as first written: every byte visited, each identifier read
    /// forwards. The oracle of the search for `(`.
    fn scan_every_byte(text: &str, region: TextRange, out: &mut Vec<Call>) {
        let Some(_) = text.get(region.start..region.end) else {
            return;
        };
        let bytes = text.as_bytes();
        let end = region.end;
        let mut i = region.start;
        while i < end {
            if !is_ident_start(bytes[i]) || (i > region.start && is_ident(bytes[i - 1])) {
                i += 1;
                continue;
            }
            let recv_start = i;
            let recv_end = ident_end(bytes, i, end);
            let after_dot = recv_end + 1;
            if recv_end >= end || bytes[recv_end] != b'.' || after_dot >= end || !is_ident_start(bytes[after_dot]) {
                i = recv_end;
                continue;
            }
            let meth_end = ident_end(bytes, after_dot, end);
            if meth_end >= end || bytes[meth_end] != b'(' {
                i = recv_end;
                continue;
            }
            let receiver = &text[recv_start..recv_end];
            let chained = recv_start > region.start && bytes[recv_start - 1] == b'.';
            let known = KNOWN_RECEIVERS.contains(&receiver);
            if known || (!chained && near_receiver_by_lowering(receiver).is_some()) {
                out.push(read_call(text, region, recv_start, recv_end, after_dot, meth_end));
            }
            i = meth_end + 1;
        }
    }

    /// [`near_receiver`] as first written, lower-casing the known names on each call.
    fn near_receiver_by_lowering(name: &str) -> Option<&'static str> {
        if KNOWN_RECEIVERS.contains(&name) {
            return None;
        }
        let n: String = name
            .chars()
            .filter(|c| *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        let n_len = n.chars().count();
        KNOWN_RECEIVERS.iter().copied().find(|known| {
            let k = known.to_lowercase();
            n == k
                || (n_len.abs_diff(k.chars().count()) <= 2 && strsim::damerau_levenshtein(&n, &k) <= 2)
                || (n.len() * 3 >= k.len() * 2
                    && n.as_bytes().first() == k.as_bytes().first()
                    && is_subsequence(&n, &k))
        })
    }

    fn same_calls(text: &str, region: TextRange) -> Result<(), TestCaseError> {
        let (mut got, mut want) = (Vec::new(), Vec::new());
        scan(text, region, &mut got);
        scan_every_byte(text, region, &mut want);
        prop_assert_eq!(got, want);
        Ok(())
    }

    #[test]
    fn the_known_names_lower_cased() {
        for (known, lower) in KNOWN_RECEIVERS.iter().zip(KNOWN_LOWER) {
            assert_eq!(known.to_lowercase(), lower);
        }
    }

    #[test]
    fn finds_on_the_corpus_what_visiting_every_byte_finds() {
        let Some(corpus) = test_corpus::holding(&["forge", "agentskills"]) else {
            return;
        };
        let texts = test_corpus::markdown_files(&corpus);
        assert!(!texts.is_empty());
        for (path, text) in &texts {
            let md = crate::syntax::markdown::parse(text, 0);
            let regions = md
                .code_spans
                .iter()
                .map(|s| s.content)
                .chain(md.code_blocks.iter().map(|b| b.content));
            for r in regions.chain([TextRange::new(0, text.len())]) {
                if let Err(e) = same_calls(text, r) {
                    panic!("{}: {e}", path.display());
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn finds_what_visiting_every_byte_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("memoryStore"), Just("memstore"), Just("MemoryStore"), Just("memory_store"),
                    Just("contextProvider"), Just("skillInvoker"), Just("executionContext"), Just("os"),
                    Just("a"), Just("_"), Just("$"), Just("9"), Just("."), Just("("), Just(")"), Just(","),
                    Just("\""), Just("'"), Just(" "), Just("\n"), Just("é"), Just("update"), Just("get"),
                    Just("["), Just("]"), Just("{"), Just("}"), Just("\\"), Just("..."),
                ],
                0..30,
            ),
            skip in 0usize..4,
            cut in 0usize..4,
        ) {
            let text: String = parts.concat();
            same_calls(&text, crate::testing::inner_range(&text, skip, cut))?;
        }

        #[test]
        fn short_names_are_no_near_misses_as_measuring_finds(
            name in "[mMeEoOrRyYsStTcCnNxXpPvVdDkKiIlLuU_\u{130}\u{212A}é]{0,8}",
        ) {
            prop_assert_eq!(near_receiver(&name), near_receiver_measured(&name));
        }

        #[test]
        fn unescapes_as_reading_every_character_does(s in "[a-z\\\\\"ntré ]{0,12}") {
            prop_assert_eq!(unescape(&s), unescape_chars(&s));
        }
    }

    #[test]
    fn calls_know_their_step() {
        let text = "# T\n\n## Workflow\n\n### Step 1: Scope\n\nx\n\n### Step 2: Load Memory\n\n1. `memoryStore.getSkillMemory(\"a\", p)`\n\n## Checklist\n\n`memoryStore.update()`\n";
        let cs = calls(text);
        assert_eq!(cs.iter().map(|c| c.step).collect::<Vec<_>>(), [Some(2), None]);
    }
}
