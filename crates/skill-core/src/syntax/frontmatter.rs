//! Finding the front matter block exactly: the opening `---`, the closing
//! `---` (or, when it is missing, where the YAML most likely ends).
//!
//! A block that is never closed is common in damaged files: an editor that
//! deletes the closing `---` line and turns the last YAML line into a Markdown
//! heading (`##       usage: "reference"`), with the Markdown body following.
//! [`locate`] then ends the YAML after its last real line, so that rules point
//! at that line (not at line 1) and the Markdown body is still read from a
//! sensible place; [`commented_out_line`] tells a fix how to restore it.

use crate::text::TextRange;

/// The front matter block of a document that starts with `---`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterBlock {
    /// The opening `---` line (after a BOM, if any), without its terminator.
    pub open: TextRange,
    /// The closing `---` line; `None` when the block is never closed.
    pub close: Option<TextRange>,
    /// The YAML text between the fences. For an unclosed block: up to where
    /// the YAML most likely ends (see [`locate`]).
    pub yaml: TextRange,
    /// Where the Markdown body begins.
    pub body_start: usize,
}

/// Finds the front matter block, or `None` when the text does not start
/// with a `---` line (after an optional BOM).
///
/// The block closes at the first `---` or `...` line, unless Markdown
/// clearly begins before it (a heading after a blank line followed by prose,
/// or a line that cannot be YAML after such a heading): then the closing line
/// is taken to be missing, as it is when there is none at all. For an unclosed
/// block `yaml` ends after the last line that reads as YAML — including a last
/// line an editor commented out as `## ...` — and `body_start` is the start of
/// the next line.
pub fn locate(text: &str) -> Option<FrontMatterBlock> {
    locate_lines(text, true)
}

/// [`locate`], splitting lines up to the first closing fence, or with
/// `to_markdown` only up to the first line that cannot be YAML, the fence
/// after it then found by its first byte alone. [`markdown_start`] reads no
/// line after that one, and in damaged files (the front matter never
/// closed) it comes long before any fence, often the body's first line:
/// the rest of the body is not split and classified line by line.
/// `to_markdown: false` is the general reading the tests hold it to.
fn locate_lines(text: &str, to_markdown: bool) -> Option<FrontMatterBlock> {
    let start = bom_len(text);
    // Room for a usual front matter's lines: no growth step by step.
    let mut kinds: Vec<Kind> = Vec::with_capacity(LINES_USUALLY);
    // Nothing after the first closing fence changes the answer, and the body
    // is most of a skill's text: lines are split only that far.
    let mut lines = split_lines(text, start, |i, line| {
        if i == 0 {
            return !is_fence(line, "---");
        }
        let kind = classify(line);
        kinds.push(kind);
        kind == Kind::Fence || (to_markdown && kind == Kind::Markdown)
    });
    let first = lines.first()?;
    if !is_fence(line_str(text, first), "---") {
        return None;
    }
    let open = TextRange::new(first.start, first.end);
    let yaml_start = first.next;
    if kinds.last() == Some(&Kind::Markdown) {
        lines.extend(first_fence(text, lines[lines.len() - 1].next));
    }
    let rest = &lines[1..];

    let scan_end = kinds.iter().position(|k| *k == Kind::Fence).unwrap_or(kinds.len());
    // The closing fence, also when found after the first Markdown line.
    let fence = (scan_end < rest.len()).then_some(scan_end);
    let markdown_start = markdown_start(text, rest, &kinds[..scan_end], fence.is_none());
    if let (Some(f), None) = (fence, markdown_start) {
        let close = &rest[f];
        return Some(FrontMatterBlock {
            open,
            close: Some(TextRange::new(close.start, close.end)),
            yaml: TextRange::new(yaml_start, close.start),
            body_start: close.next,
        });
    }

    // Unclosed: the YAML ends after its last real line before the Markdown.
    let Some(md) = markdown_start else {
        return Some(FrontMatterBlock {
            open,
            close: None,
            yaml: TextRange::new(yaml_start, text.len()),
            body_start: text.len(),
        });
    };
    let mut last_yaml: Option<usize> = None; // index into `rest`
    for i in (0..md).rev() {
        if !matches!(kinds[i], Kind::Blank | Kind::Hash) {
            last_yaml = Some(i);
            break;
        }
    }
    // A commented-out last line directly after the YAML belongs to it.
    let candidate = last_yaml.map_or(0, |i| i + 1);
    let end_line = if candidate < md && is_commented_yaml(line_str(text, &rest[candidate])) {
        Some(candidate)
    } else {
        last_yaml
    };
    let yaml_end = end_line.map_or(yaml_start, |i| rest[i].next);
    Some(FrontMatterBlock {
        open,
        close: None,
        yaml: TextRange::new(yaml_start, yaml_end),
        body_start: yaml_end,
    })
}

/// How far [`locate`] reads `text` to find `block`: to the end of the first
/// closing fence line (with its terminator), or to the end of the text when
/// there is none. Nothing after that offset changes the block, which lets an
/// edit further down keep it, also when the block is never closed and its
/// YAML ended before a fence that Markdown clearly follows.
pub fn read_end(text: &str, block: &FrontMatterBlock) -> usize {
    if block.close.is_some() {
        return block.body_start;
    }
    let lines = split_lines(text, block.yaml.start, |_, line| classify(line) == Kind::Fence);
    match lines.last() {
        Some(last) if classify(line_str(text, last)) == Kind::Fence => last.next,
        _ => text.len(),
    }
}

/// [`read_end`] found in the bytes of a document before they are decoded,
/// whatever its block (or none): the end of the first fence line after the
/// first line (with its terminator), or the end of `bytes`. `bytes[..end]`
/// decodes to the start of what `bytes` decode to (invalid UTF-8 replaced,
/// a lone `\r` read as `\n`), up to and with that line, so [`locate`] finds
/// the same block in either: a reader that needs only the block decodes no
/// further, and the body after a closed block is neither checked as UTF-8
/// nor scanned for carriage returns.
///
/// A decoded line starts after a `\n` or a lone `\r`, so in the bytes after
/// a `\n` or a `\r` (a `\r` before a `-` or `.` is lone); replacement of
/// invalid bytes never takes in an ASCII byte, so a fence line is the same
/// bytes before and after decoding. Fences are found by their marker, not
/// line by line: most of a body is never looked at byte by byte.
pub fn read_end_of_bytes(bytes: &[u8]) -> usize {
    let Some(first_end) = memchr::memchr2(b'\n', b'\r', bytes) else {
        return bytes.len();
    };
    first_fence_line(bytes, first_end + 1, Breaks::LfOrCr).map_or(bytes.len(), |line| line.next)
}

/// What ends a line where fences are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// A `\n`, or a `\r` not before one: bytes not yet decoded.
    LfOrCr,
    /// A `\n`, a `\r` before it no part of the line: decoded text, as
    /// [`line_at`] splits it.
    Lf,
}

/// The first fence line (`---` or `...`) starting at or after `from` (the
/// start of a line, after its first), lines ending at `breaks`. Fences are
/// found by their markers, not line by line: the lines between are never
/// split, nor most of their bytes looked at one by one.
fn first_fence_line(bytes: &[u8], from: usize, breaks: Breaks) -> Option<Line> {
    let dashes = fence_line(bytes, from, bytes.len(), 0, breaks);
    // Dots close a block too: only before the first dash fence can they
    // be the first fence.
    let dots_until = dashes.map_or(bytes.len(), |line| line.start);
    fence_line(bytes, from, dots_until, 1, breaks).or(dashes)
}

/// The finders of the two fence markers, `---` and `...`, made once.
static FENCE_MARKERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
    std::sync::LazyLock::new(|| [memchr::memmem::Finder::new(b"---"), memchr::memmem::Finder::new(b"...")]);

/// The first fence line of marker `which` (of [`FENCE_MARKERS`]) starting
/// in `bytes[from..until]` (`from` > 0 the start of a line, and `until`),
/// lines ending at `breaks`.
fn fence_line(bytes: &[u8], from: usize, until: usize, which: usize, breaks: Breaks) -> Option<Line> {
    let finder = &FENCE_MARKERS[which];
    finder.find_iter(&bytes[from..until]).find_map(|at| {
        let start = from + at;
        let line = match breaks {
            Breaks::LfOrCr => {
                if !matches!(bytes[start - 1], b'\n' | b'\r') {
                    return None;
                }
                let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |i| start + i);
                let next = match bytes.get(end..end + 2) {
                    Some(b"\r\n") => end + 2,
                    _ => (end + 1).min(bytes.len()),
                };
                Line { start, end, next }
            }
            Breaks::Lf => {
                if bytes[start - 1] != b'\n' {
                    return None;
                }
                line_at(bytes, start)
            }
        };
        is_fence_bytes(&bytes[line.start..line.end], finder.needle()).then_some(line)
    })
}

/// For an unclosed block whose last YAML line was turned into a heading
/// (`##   - configuration`): the range of the inserted prefix (`## `), so a
/// fix can delete it and restore the line.
pub fn commented_out_line(text: &str, block: &FrontMatterBlock) -> Option<TextRange> {
    if block.close.is_some() || block.yaml.is_empty() {
        return None;
    }
    let yaml = text.get(block.yaml.start..block.yaml.end)?;
    let body = yaml.trim_end_matches(['\n', '\r']);
    let line_start = body.rfind('\n').map_or(0, |i| i + 1);
    let line = &body[line_start..];
    if !is_commented_yaml(line) {
        return None;
    }
    let prefix = commented_prefix_len(line)?;
    let abs = block.yaml.start + line_start;
    Some(TextRange::new(abs, abs + prefix))
}

/// One line: where it starts, where its content ends (before `\r\n`/`\n`),
/// and where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

/// How many lines a front matter has at most, nearly always (with its
/// fences).
const LINES_USUALLY: usize = 32;

/// The lines from `from` on, up to and including the first for which `last`
/// (given its index and content) is true.
fn split_lines(text: &str, from: usize, mut last: impl FnMut(usize, &str) -> bool) -> Vec<Line> {
    let mut out = Vec::with_capacity(LINES_USUALLY);
    let mut pos = from;
    while pos < text.len() {
        let line = line_at(text.as_bytes(), pos);
        out.push(line);
        if last(out.len() - 1, &text[line.start..line.end]) {
            break;
        }
        pos = line.next;
    }
    out
}

/// The line starting at `pos` (before the end of `text`).
fn line_at(text: &[u8], pos: usize) -> Line {
    let (end, next) = match memchr::memchr(b'\n', &text[pos..]) {
        Some(i) => (pos + i, pos + i + 1),
        None => (text.len(), text.len()),
    };
    let end = if end > pos && text[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    Line { start: pos, end, next }
}

/// The first fence line (`---` or `...`) from `from` on (the start of a
/// line after the first), if any.
fn first_fence(text: &str, from: usize) -> Option<Line> {
    first_fence_line(text.as_bytes(), from, Breaks::Lf)
}

fn line_str<'t>(text: &'t str, line: &Line) -> &'t str {
    &text[line.start..line.end]
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// `---` (or `...`) alone on a line, trailing blanks allowed.
fn is_fence(line: &str, marker: &str) -> bool {
    is_fence_bytes(line.as_bytes(), marker.as_bytes())
}

/// [`is_fence`] of a line's bytes: a blank is one byte, and no byte of a
/// character beyond ASCII is one.
fn is_fence_bytes(line: &[u8], marker: &[u8]) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.iter().all(|&b| b == b' ' || b == b'\t'))
}

/// How a line between the fences reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// `---` or `...`: a closing fence.
    Fence,
    /// Starts with `#`: a YAML comment or a Markdown heading.
    Hash,
    /// Reads as YAML: indented, a `key:`, a `- ` item, a `? ` key.
    Yaml,
    /// Cannot start a line of block YAML at column 0: prose, `**bold**`, a table.
    Markdown,
}

fn classify(line: &str) -> Kind {
    if is_blank(line) {
        Kind::Blank
    } else if is_fence(line, "---") || is_fence(line, "...") {
        Kind::Fence
    } else if line.starts_with('#') {
        Kind::Hash
    } else if line.starts_with([' ', '\t']) || is_yaml_line_start(line) {
        Kind::Yaml
    } else {
        Kind::Markdown
    }
}

/// `line.trim().is_empty()`, settled by the first byte for nearly every
/// line: one that is ASCII and no white space.
fn is_blank(line: &str) -> bool {
    match line.as_bytes().first() {
        None => true,
        Some(&b) if b.is_ascii() && !matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ') => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// A line that starts a block YAML entry: `key:`, `"key":`, `- item`, `? key`.
fn is_yaml_line_start(line: &str) -> bool {
    if line == "-" || line.starts_with("- ") || line.starts_with("-\t") || line.starts_with("? ") {
        return true;
    }
    is_key_line(line)
}

/// `key: ...` with a plain key of identifier characters, or a quoted key.
fn is_key_line(line: &str) -> bool {
    let after_key = if let Some(q @ ('"' | '\'')) = line.chars().next() {
        match line[1..].find(q) {
            Some(i) => &line[i + 2..],
            None => return false,
        }
    } else {
        // By bytes: a character beyond ASCII ends the key at its first byte.
        let key_len = line
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'$')))
            .unwrap_or(line.len());
        if key_len == 0 || line.starts_with('-') {
            return false;
        }
        &line[key_len..]
    };
    let after_key = after_key.trim_start_matches([' ', '\t']);
    after_key
        .strip_prefix(':')
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// A Markdown ATX heading: 1 to 6 `#`, a space, some text.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with([' ', '\t']) && !line[hashes..].trim().is_empty()
}

/// The length of a `#`-run plus one space in front of a commented-out line.
fn commented_prefix_len(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || !line[hashes..].starts_with(' ') {
        return None;
    }
    Some(hashes + 1)
}

/// `##       usage: "reference"`, `##   - configuration`, `## description: ...`:
/// a heading whose text is itself a line of YAML (indented, or a key).
fn is_commented_yaml(line: &str) -> bool {
    let Some(prefix) = commented_prefix_len(line) else {
        return false;
    };
    let rest = &line[prefix..];
    if rest.trim().is_empty() {
        return false;
    }
    let indented = rest.starts_with([' ', '\t']) && {
        let t = rest.trim_start();
        is_yaml_line_start(t)
    };
    indented || is_key_line(rest)
}

/// Index (into `lines`) of the first line of Markdown before the closing
/// fence, or `None` when everything there reads as YAML.
///
/// Markdown starts at the first line that cannot be YAML, or earlier at a
/// heading that follows a blank line (or a commented-out YAML line) when only
/// headings and blank lines stand between it and such a line. A heading that
/// is followed by YAML keys is a comment (`# CONTEXT CONFIGURATION`); a line
/// that cannot be YAML with no heading before it is a YAML error inside a
/// block that closes later, when there is a closing fence.
fn markdown_start(text: &str, lines: &[Line], kinds: &[Kind], no_fence: bool) -> Option<usize> {
    let first_md = kinds.iter().position(|k| *k == Kind::Markdown);
    // A heading opening the Markdown: after a blank line or a commented-out
    // last YAML line, with only blank lines and headings up to the prose.
    let mut heading: Option<usize> = None;
    for i in 0..kinds.len() {
        if kinds[i] == Kind::Markdown {
            break;
        }
        if kinds[i] == Kind::Yaml {
            // A key after the heading makes it a YAML comment; a `- item` or an
            // indented line may as well be a Markdown list.
            // (Asked only when there is such a heading.)
            if heading.is_some() && is_key_line(line_str(text, &lines[i])) {
                heading = None;
            }
            continue;
        }
        if heading.is_none() && kinds[i] == Kind::Hash && is_heading(line_str(text, &lines[i])) && i > 0 {
            let prev = line_str(text, &lines[i - 1]);
            if kinds[i - 1] == Kind::Blank || (kinds[i - 1] == Kind::Hash && is_commented_yaml(prev)) {
                heading = Some(i);
            }
        }
    }
    match (heading, first_md) {
        (Some(h), Some(_)) => Some(h),
        (Some(h), None) if no_fence => Some(h),
        (None, Some(m)) if no_fence => Some(m),
        (None, Some(m)) => {
            // A line that cannot be YAML before the closing fence: Markdown
            // only when a commented-out YAML line gives the damage away.
            let damaged = (0..m).any(|i| {
                kinds[i] == Kind::Hash
                    && i > 0
                    && kinds[i - 1] == Kind::Yaml
                    && is_commented_yaml(line_str(text, &lines[i]))
                    && kinds[i + 1..m].iter().all(|k| matches!(k, Kind::Blank | Kind::Hash))
            });
            damaged.then_some(m)
        }
        (Some(h), None) => {
            // Headings with nothing after them but the fence: Markdown only
            // when they follow a commented-out YAML line.
            let damaged = h >= 2 && is_commented_yaml(line_str(text, &lines[h - 2])) && kinds[h - 1] == Kind::Blank;
            let damaged = damaged || (h >= 1 && is_commented_yaml(line_str(text, &lines[h - 1])));
            damaged.then_some(h)
        }
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn slice(text: &str, r: TextRange) -> &str {
        &text[r.start..r.end]
    }

    #[test]
    fn closed_block_with_bom_and_trailing_blanks() {
        let text = "\u{feff}---  \nname: x\n--- \n# Title\n";
        let b = locate(text).unwrap();
        assert_eq!(slice(text, b.open), "---  ");
        assert_eq!(slice(text, b.close.unwrap()), "--- ");
        assert_eq!(slice(text, b.yaml), "name: x\n");
        assert_eq!(&text[b.body_start..], "# Title\n");
    }

    #[test]
    fn dots_close_a_block_and_crlf_is_kept_out_of_ranges() {
        let text = "---\r\nname: x\r\n...\r\nbody";
        let b = locate(text).unwrap();
        assert_eq!(slice(text, b.open), "---");
        assert_eq!(slice(text, b.close.unwrap()), "...");
        assert_eq!(slice(text, b.yaml), "name: x\r\n");
        assert_eq!(&text[b.body_start..], "body");
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(locate("# Title\n---\n"), None);
        assert_eq!(locate(""), None);
        assert_eq!(locate("----\nname: x\n---\n"), None);
    }

    #[test]
    fn empty_block_and_open_fence_only() {
        let b = locate("---\n---\n").unwrap();
        assert!(b.yaml.is_empty());
        assert_eq!(b.body_start, 8);
        let b = locate("---").unwrap();
        assert_eq!(b.close, None);
        assert_eq!(b.yaml, TextRange::new(3, 3));
        assert_eq!(b.body_start, 3);
    }

    #[test]
    fn comments_inside_a_block_are_not_markdown() {
        let text = "---\n# REQUIRED FIELDS\nname: x\n\n# CONTEXT CONFIGURATION\ncontext:\n  file_budget: 4\n---\n# T\n";
        let b = locate(text).unwrap();
        assert!(b.close.is_some());
        assert!(slice(text, b.yaml).ends_with("file_budget: 4\n"));
    }

    #[test]
    fn a_broken_line_inside_a_closed_block_stays_yaml() {
        let text = "---\nname: x\ndescription: foo\nbar baz\n---\n# T\n";
        let b = locate(text).unwrap();
        assert!(b.close.is_some());
        assert_eq!(slice(text, b.yaml), "name: x\ndescription: foo\nbar baz\n");
    }

    #[test]
    fn unclosed_without_any_fence_ends_before_the_markdown() {
        let text = "---\nname: x\ndescription: y\n\n# Title\n\nSome prose.\n";
        let b = locate(text).unwrap();
        assert_eq!(b.close, None);
        assert_eq!(slice(text, b.yaml), "name: x\ndescription: y\n");
        assert_eq!(&text[b.body_start..], "\n# Title\n\nSome prose.\n");
        assert_eq!(commented_out_line(text, &b), None);
    }

    #[test]
    fn unclosed_all_yaml_to_the_end() {
        let text = "---\nname: x\n";
        let b = locate(text).unwrap();
        assert_eq!(b.close, None);
        assert_eq!(slice(text, b.yaml), "name: x\n");
        assert_eq!(b.body_start, text.len());
    }

    #[test]
    fn commented_out_last_line_with_a_later_horizontal_rule() {
        let text =
            "---\nname: a\ntags:\n  - x\n##   - y\n\n# skill:a - A\n\n## Purpose\n\nDoes things.\n\n---\n\nMore.\n";
        let b = locate(text).unwrap();
        assert_eq!(b.close, None);
        assert_eq!(slice(text, b.yaml), "name: a\ntags:\n  - x\n##   - y\n");
        assert_eq!(&text[b.body_start..b.body_start + 15], "\n# skill:a - A\n");
        let prefix = commented_out_line(text, &b).unwrap();
        assert_eq!(slice(text, prefix), "## ");
        assert_eq!(&text[prefix.end..prefix.end + 5], "  - y");
    }

    #[test]
    fn commented_out_top_level_key() {
        let text = "---\nname: cli\n## description: Builds CLIs.\n\n# CLI Developer\n\n**CRITICAL**: follow it.\n";
        let b = locate(text).unwrap();
        assert_eq!(b.close, None);
        assert_eq!(slice(text, b.yaml), "name: cli\n## description: Builds CLIs.\n");
        assert!(commented_out_line(text, &b).is_some());
    }

    #[test]
    fn heading_then_horizontal_rule_after_a_commented_out_line() {
        let text = "---\nname: a\n##   files: [a.md]\n\n# Title\n\n---\n\n## Purpose\n";
        let b = locate(text).unwrap();
        assert_eq!(b.close, None);
        assert_eq!(slice(text, b.yaml), "name: a\n##   files: [a.md]\n");
    }

    #[test]
    fn headings_in_markdown_versus_version_heading() {
        // `## Version: 1.0.0` after a blank line is Markdown, not YAML.
        let text = "---\nname: a\nversion: \"1.0.0\"\n\n# A\n\n## Version: 1.0.0\n\nText here.\n---\n";
        let b = locate(text).unwrap();
        assert_eq!(b.close, None);
        assert_eq!(slice(text, b.yaml), "name: a\nversion: \"1.0.0\"\n");
        assert_eq!(commented_out_line(text, &b), None);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "---\n#",
            "---\n\"",
            "---\n'abc",
            "---\n##",
            "---\n## ",
            "---\n\u{feff}",
            "\u{feff}",
            "---\r",
            "---\n😀: x\n# é\n\né",
        ] {
            let _ = locate(text).map(|b| commented_out_line(text, &b));
        }
    }

    /// Stopping at the first Markdown line gives what splitting every line
    /// up to the fence gives, on every corpus file and on generated texts.
    #[test]
    fn stopping_at_the_markdown_locates_as_splitting_to_the_fence() {
        let corpus = test_corpus::holding(&["forge", "agentskills"]);
        for (_, text) in corpus.iter().flat_map(|c| test_corpus::markdown_files(c)) {
            assert_eq!(locate_lines(&text, true), locate_lines(&text, false), "{text}");
        }
    }

    proptest! {
        #[test]
        fn stopping_at_the_markdown_locates_as_splitting_to_the_fence_generated(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("---\n"), Just("...\n"),
                    Just("name: a\n"), Just("  - x\n"),
                    Just("\n"), Just("# A\n"),
                    Just("## b: c\n"), Just("Prose.\n"),
                    Just("**Bold**\n"), Just("- item\n"),
                    Just("--- \r\n"), Just("-- x\n"),
                    Just(".x\n"), Just("\u{feff}"),
                    Just("\r"), Just("---\r"), Just("x---\n"), Just("|---|\n"),
                    Just("....\n"), Just("...\r\n"), Just("---\r\r\n"),
                ],
                0..24,
            ),
        ) {
            let text = parts.concat();
            prop_assert_eq!(locate_lines(&text, true), locate_lines(&text, false));
        }
    }

    /// The general reading of how far [`locate`] reads the text `bytes`
    /// decode to: that text's [`read_end`], `None` without a block.
    fn read_end_of_decoded(bytes: &[u8]) -> (String, Option<usize>) {
        let text = crate::text::with_bare_cr_as_lf(&String::from_utf8_lossy(bytes)).into_owned();
        let end = locate(&text).map(|block| read_end(&text, &block));
        (text, end)
    }

    proptest! {
        /// The first byte settles blankness as trimming does, with white
        /// space beyond ASCII and the ASCII controls `trim` takes.
        #[test]
        fn a_blank_line_is_what_trims_to_nothing(line in "[ \t\r\n\x0b\x0c\u{85}\u{a0}\u{2003}\u{3000}a:é]{0,6}") {
            prop_assert_eq!(is_blank(&line), line.trim().is_empty());
        }

        /// A key read by bytes ends where reading it by characters ended.
        #[test]
        fn a_key_line_is_read_as_by_characters(line in "[a-z_./$é日\"' :\t-]{0,10}") {
            let key_len = line
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '$')))
                .map_or(line.len(), |(i, _)| i);
            let by_chars = !line.starts_with(['"', '\'']) && key_len > 0 && !line.starts_with('-') && {
                let after = line[key_len..].trim_start_matches([' ', '\t']);
                after.strip_prefix(':').is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
            };
            if !line.starts_with(['"', '\'']) {
                prop_assert_eq!(is_key_line(&line), by_chars);
            }
        }
    }

    /// What generated documents are made of, for finding fences in bytes.
    const PIECES: &[&[u8]] = &[
        b"---",
        b"...",
        b"--",
        b"----",
        b"\n",
        b"\r",
        b"\r\n",
        b" ",
        b"\t",
        b"name: a",
        b"  - x",
        b"# A",
        b"## b: c",
        b"Prose.",
        b"|---|",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\xc3",
        b"\xc3\xa9",
    ];

    proptest! {
        /// Found in the bytes, the end of the first fence line is the
        /// text's [`read_end`] (for valid UTF-8, where offsets agree), and
        /// the bytes up to it decode to a start of the text in which
        /// [`locate`] finds the same block: with CR, CRLF and lone CR line
        /// ends, invalid bytes, a BOM, blanks after fences, dashes and dots
        /// inside lines, and no fence at all.
        #[test]
        fn the_read_end_found_in_bytes_is_the_texts(
            parts in proptest::collection::vec(
                proptest::sample::select(PIECES),
                0..30,
            ),
            opened in any::<bool>(),
        ) {
            let mut bytes = if opened { b"---\n".to_vec() } else { Vec::new() };
            bytes.extend(parts.concat());
            let end = read_end_of_bytes(&bytes);
            let (text, text_end) = read_end_of_decoded(&bytes);
            if let (Ok(_), Some(text_end)) = (std::str::from_utf8(&bytes), text_end) {
                prop_assert_eq!(end, text_end);
            }
            let (front, _) = read_end_of_decoded(&bytes[..end]);
            prop_assert!(text.starts_with(&front), "{:?}", front);
            prop_assert_eq!(locate(&front), locate(&text));
        }
    }

    #[test]
    fn fences_are_found_in_bytes_at_line_starts_only() {
        for (bytes, end) in [
            (&b"---\nname: a\n---\nbody\n---\n"[..], 16),
            (b"---\r\nname: a\r\n--- \t\r\nbody", 21),
            (b"---\rname: a\r...\rbody", 16),
            (b"---\nname: a\nx ---\n|---|\n----\n---x\n", 34),
            (b"---\nname: a\n...\n---\n", 16),
            (b"---\nname: a\n---", 15),
            (b"---", 3),
            (b"", 0),
        ] {
            assert_eq!(read_end_of_bytes(bytes), end, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    fn corpus_file(tree: &str, skill: &str) -> Option<String> {
        let p = crate::testing::corpus::root(tree)?
            .join("skills")
            .join(skill)
            .join("SKILL.md");
        std::fs::read_to_string(p).ok()
    }

    /// The damaged corpus files: the YAML ends at the commented-out line, and
    /// the clean version of the same file closes exactly there.
    #[test]
    fn corpus_unclosed_blocks_end_where_the_clean_file_closes() {
        for skill in [
            "azure-auth",
            "create-agents",
            "cli-developer",
            "angular-code-review",
            "dev-tools",
        ] {
            let (Some(broken), Some(clean)) = (corpus_file("forge", skill), corpus_file("forge-clean", skill)) else {
                continue; // corpus not present
            };
            let b = locate(&broken).unwrap();
            assert_eq!(b.close, None, "{skill}");
            let c = locate(&clean).unwrap();
            let clean_close = c.close.expect(skill);
            // The broken file lacks the `---` line and has `## ` more: its
            // YAML ends where the clean one closes, plus that prefix.
            let prefix = commented_out_line(&broken, &b).expect(skill);
            assert_eq!(b.yaml.end - prefix.len(), clean_close.start, "{skill}");
            assert_eq!(broken[..prefix.start], clean[..prefix.start], "{skill}");
        }
    }
}
