//! A reader for the shape most front matter has: block maps and lists of
//! `key: value` lines, each value a plain or quoted scalar on its line or a
//! flow list of such scalars (`tags: [a, b]`), and whole-line comments; no
//! other comments, anchors, tags, block scalars, escapes, tabs or blank lines. It
//! builds the same tree as the general reader ([`super::yaml::parse`], on
//! saphyr's events) in a fraction of the work, and declines (`None`)
//! anything outside that shape, which the general reader then reads; a
//! text it accepts holds no YAML error. The general reader is its oracle in
//! a differential test over every front matter of the corpus and generated
//! ones.

use super::yaml_tree::{resolve_plain, YamlEntry, YamlLimits, YamlNode, YamlValue};
use crate::text::{byte_set, TextRange};

/// The tree of `src` (which starts at byte `base` of the document), or
/// `None` when `src` is not of the shape this reader takes.
pub fn read(src: &str, base: usize, limits: YamlLimits) -> Option<YamlNode> {
    // A carriage return ends a line too, also inside what reads as a comment.
    if memchr::memchr(b'\r', src.as_bytes()).is_some() {
        return None;
    }
    // The bytes it declines are looked for line by line (a comment may hold
    // them) only in a text that holds one: one vector search, not a load
    // per byte, for the rest (most).
    let may_decline = memchr::memchr2(b'\t', b'\\', src.as_bytes()).is_some();
    // One line per line feed, and the last: room for all at once, not
    // grown a step at a time.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', src.as_bytes()).count() + 1);
    let mut next = 0;
    while next < src.len() {
        let start = next;
        let end = memchr::memchr(b'\n', &src.as_bytes()[start..]).map_or(src.len(), |i| start + i);
        next = end + 1;
        let text = &src[start..end];
        let body = text.trim_start_matches(' ');
        let indent = text.len() - body.len();
        if body.starts_with('#') {
            // A whole-line comment, at any indent: the parser skips it
            // (an editor's commented-out last line of a damaged block).
            continue;
        }
        if may_decline && declines(text) {
            return None;
        }
        if body.is_empty() || text.ends_with(' ') {
            // A blank line, or blanks at a line's end.
            return None;
        }
        lines.push(Line { start, indent, text });
    }
    let first = lines.first()?;
    if first.indent != 0 {
        return None;
    }
    let mut reader = Reader {
        lines: &lines,
        at: 0,
        base,
        nodes: 0,
        limits,
    };
    let root = reader.block(0, 1)?;
    (reader.at == lines.len()).then_some(root)
}

/// Bytes this reader takes nowhere (a table: a load per byte, not a
/// comparison with each): tabs, and backslashes, which may escape in a
/// double-quoted scalar. The indicators (`#`, `&`, `*`, `!`, `|`, `>`, `%`,
/// `@`, `` ` ``, `{`, `}`) change a value only where it starts ([`scalar`]
/// declines that) or, for `#`, after a blank (a comment, which it declines
/// too): inside a value (`C# and .NET`, `"@scope/pkg"`, `R&D`) they are text.
static DECLINED: [bool; 256] = byte_set(b"\t\\");

/// Whether `text` holds a byte of [`DECLINED`]. Every byte is read, with no
/// branch per byte: most lines hold none, and a text that does is read
/// again by the general reader at many times the cost anyway.
fn declines(text: &str) -> bool {
    text.bytes().fold(false, |found, b| found | DECLINED[usize::from(b)])
}

struct Line<'s> {
    /// Offset of the line in `src`.
    start: usize,
    indent: usize,
    /// The line without its line feed.
    text: &'s str,
}

struct Reader<'a, 's> {
    lines: &'a [Line<'s>],
    /// The next line to read.
    at: usize,
    base: usize,
    nodes: usize,
    limits: YamlLimits,
}

impl Reader<'_, '_> {
    /// Counts a node; `None` past the limits (the general reader reports them).
    fn count(&mut self, depth: usize) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.limits.max_nodes && depth <= self.limits.max_depth).then_some(())
    }

    /// The block collection starting at the current line, at its indent.
    fn block(&mut self, min_indent: usize, depth: usize) -> Option<YamlNode> {
        let line = self.lines.get(self.at)?;
        if line.indent < min_indent {
            return None;
        }
        if is_item(line.text, line.indent) {
            self.seq(line.indent, true, depth)
        } else {
            self.map(line.indent, line.indent, depth)
        }
    }

    /// A block map whose keys stand at `indent`; its first key at column
    /// `first` of the current line (after a list item's `- `).
    fn map(&mut self, indent: usize, first: usize, depth: usize) -> Option<YamlNode> {
        self.count(depth)?;
        let mut entries: Vec<YamlEntry> = Vec::new();
        let mut column = first;
        while let Some(line) = self.lines.get(self.at) {
            if entries.is_empty() {
                if line.indent > column {
                    return None;
                }
            } else if line.indent < indent {
                break;
            } else if line.indent > indent || is_item(line.text, line.indent) {
                return None;
            }
            let text = &line.text[column..];
            let colon = memchr::memchr(b':', text.as_bytes())?;
            let key = &text[..colon];
            // Keys are told apart by comparing them with those before: a
            // map too long for that is the general reader's.
            if !is_key(key) || entries.len() >= MAX_KEYS || entries.iter().any(|e| e.key == key) {
                return None;
            }
            let key_start = self.base + line.start + column;
            let key_range = TextRange::new(key_start, key_start + key.len());
            let rest = &text[colon + 1..];
            self.at += 1;
            let value = if rest.is_empty() {
                self.nested(indent, key_range.end, depth + 1)?
            } else {
                let value = rest.strip_prefix(' ')?;
                let value_start = key_range.end + 2;
                self.count(depth + 1)?;
                let node = self.inline(value, value_start, depth + 1)?;
                // A value continued on the next lines is not taken.
                if self.lines.get(self.at).is_some_and(|l| l.indent > indent) {
                    return None;
                }
                node
            };
            entries.push(YamlEntry {
                key: key.to_string(),
                key_range,
                value,
            });
            column = indent;
        }
        let last = entries.last()?;
        let range = TextRange::new(entries[0].key_range.start, last.value.range.end.max(last.key_range.end));
        Some(YamlNode {
            value: YamlValue::Map(entries),
            range,
        })
    }

    /// The value of a key written with nothing after its colon: the block
    /// below it, or empty (where the key ends, as the parser places it).
    fn nested(&mut self, indent: usize, key_end: usize, depth: usize) -> Option<YamlNode> {
        match self.lines.get(self.at) {
            Some(next) if next.indent > indent => self.block(indent, depth),
            // A list written at its key's indent.
            Some(next) if next.indent == indent && is_item(next.text, next.indent) => self.seq(indent, false, depth),
            _ => {
                self.count(depth)?;
                Some(YamlNode {
                    value: YamlValue::Null,
                    range: TextRange::empty(key_end),
                })
            }
        }
    }

    /// A block list whose `- ` stand at `indent`. The parser starts the
    /// range of an indented list at its first `-`, of a list at its key's
    /// indent at its first item.
    fn seq(&mut self, indent: usize, indented: bool, depth: usize) -> Option<YamlNode> {
        self.count(depth)?;
        let first_dash = self.base + self.lines.get(self.at)?.start + indent;
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if !is_item(line.text, line.indent) {
                // A key of the map this list is the value of.
                break;
            }
            let column = indent + 2;
            let text = &line.text[column..];
            let item_start = self.base + line.start + column;
            let item = if holds_pair(text, b':', b' ') || text.ends_with(':') {
                self.map(column, column, depth + 1)?
            } else {
                self.at += 1;
                self.count(depth + 1)?;
                let node = self.inline(text, item_start, depth + 1)?;
                if self.lines.get(self.at).is_some_and(|l| l.indent > indent) {
                    return None;
                }
                node
            };
            items.push(item);
        }
        let start = if indented {
            first_dash
        } else {
            items.first()?.range.start
        };
        let range = TextRange::new(start, items.last()?.range.end);
        Some(YamlNode {
            value: YamlValue::Seq(items),
            range,
        })
    }

    /// A value written on one line: a quoted or plain scalar, or a flow
    /// list of them; `start` is its offset in the document.
    fn inline(&mut self, text: &str, start: usize, depth: usize) -> Option<YamlNode> {
        let range = TextRange::new(start, start + text.len());
        if let Some(inner) = text.strip_prefix('[') {
            let inner = inner.strip_suffix(']')?;
            let mut items = Vec::new();
            if !inner.is_empty() {
                let mut at = start + 1;
                for item in split_at_pairs(inner, b',', b' ') {
                    self.count(depth + 1)?;
                    let node = scalar(item, at, true)?;
                    items.push(node);
                    at += item.len() + 2;
                }
            }
            return Some(YamlNode {
                value: YamlValue::Seq(items),
                range,
            });
        }
        scalar(text, start, false)
    }
}

/// The most keys a map may have for this reader: it finds a repeated key by
/// comparing each with those before.
const MAX_KEYS: usize = 64;

/// Whether `text` holds byte `a` followed by byte `b` (`text.contains(": ")`
/// for two ASCII bytes, without building a searcher). A space, the
/// commonest byte of a value, is found as the byte before the other one
/// (` #`: the `#` is looked for, not each space).
fn holds_pair(text: &str, a: u8, b: u8) -> bool {
    let bytes = text.as_bytes();
    if a == b' ' {
        return memchr::memchr_iter(b, bytes).any(|i| i > 0 && bytes[i - 1] == a);
    }
    memchr::memchr_iter(a, bytes).any(|i| bytes.get(i + 1) == Some(&b))
}

/// `text.split(", ")` for two ASCII bytes `a`, `b` (`, `), without a
/// searcher: the pieces between the pairs. Two different bytes make pairs
/// that never overlap.
fn split_at_pairs(text: &str, a: u8, b: u8) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut cuts = memchr::memchr_iter(a, bytes).filter(move |&i| bytes.get(i + 1) == Some(&b));
    let mut from = Some(0);
    std::iter::from_fn(move || {
        let start = from?;
        match cuts.next() {
            Some(i) => {
                from = Some(i + 2);
                Some(&text[start..i])
            }
            None => {
                from = None;
                Some(&text[start..])
            }
        }
    })
}

/// Whether `text` (a line from `indent` on) is a list item: `- ` then something.
fn is_item(text: &str, indent: usize) -> bool {
    text[indent..].starts_with("- ") && text.len() > indent + 2
}

/// A key this reader takes: a plain word that reads as a string.
fn is_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        // Of the words a plain scalar resolves to something else than a
        // string, only these start with a letter or `_` (numbers start with
        // a digit, a sign or a dot).
        && !matches!(key, "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
}

/// The bytes a plain scalar may not hold inside a flow list (a table).
static FLOW_INDICATORS: [bool; 256] = byte_set(b"[],{}");

/// A quoted or plain scalar making up all of `text`; `in_flow` inside `[...]`.
fn scalar(text: &str, start: usize, in_flow: bool) -> Option<YamlNode> {
    let range = TextRange::new(start, start + text.len());
    let quoted = |q: char| {
        let inner = text.strip_prefix(q)?.strip_suffix(q)?;
        // `q` is ASCII: a byte search (vectorised on a long description).
        memchr::memchr(q as u8, inner.as_bytes())
            .is_none()
            .then(|| YamlValue::String(inner.to_string()))
    };
    let value = match text.as_bytes().first()? {
        b'"' => quoted('"')?,
        b'\'' => quoted('\'')?,
        // Indicators a plain scalar may not start with.
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
        | b'@' | b'`' | b' ' => return None,
        _ => {
            // By bytes: an item is a few of them, shorter than a `char`
            // pattern's searcher takes to set up.
            let flow_bad = in_flow && text.bytes().any(|b| FLOW_INDICATORS[usize::from(b)]);
            if flow_bad || holds_pair(text, b':', b' ') || text.ends_with(':') || holds_pair(text, b' ', b'#') {
                return None;
            }
            resolve_plain(text)
        }
    };
    Some(YamlNode { value, range })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::syntax::yaml::parse_events;

    /// What the general reader makes of `src`, when it finds no error.
    fn general(src: &str) -> Option<YamlNode> {
        let (root, errors) = parse_events(src, TextRange::new(0, src.len()), YamlLimits::default());
        errors.is_empty().then_some(root).flatten()
    }

    fn same(src: &str) {
        let fast = read(src, 0, YamlLimits::default());
        if let Some(fast) = fast {
            assert_eq!(Some(fast), general(src), "{src}");
        }
    }

    /// Every front matter of the corpus, and each with one edit at every
    /// line start and after every colon: read alike, or declined.
    #[test]
    fn reads_every_corpus_front_matter_as_the_general_reader() {
        let Some(corpus) = test_corpus::holding(&["forge", "agentskills"]) else {
            return;
        };
        let (mut taken, mut total) = (0, 0);
        let texts = test_corpus::markdown_files(&corpus);
        assert!(!texts.is_empty());
        for (_, text) in &texts {
            let Some(block) = crate::syntax::frontmatter::locate(text) else {
                continue;
            };
            let src = &text[block.yaml.start..block.yaml.end];
            total += 1;
            taken += usize::from(read(src, 0, YamlLimits::default()).is_some());
            same(src);
            for (i, b) in src.bytes().enumerate() {
                if i == 0 || b == b':' || src.as_bytes()[i - 1] == b'\n' {
                    for edit in [" ", "- ", ":", "\"", "'", "[", "]", ",", "\n", "x: y\n", "  "] {
                        same(&format!("{}{edit}{}", &src[..i], &src[i..]));
                    }
                    if i < src.len() {
                        let next = i + src[i..].chars().next().map_or(0, char::len_utf8);
                        same(&format!("{}{}", &src[..i], &src[next..]));
                    }
                }
            }
        }
        // Most real front matter takes the fast path (what makes it pay).
        eprintln!("{taken} of {total} front matters read by the fast reader");
        assert!(taken * 2 > total, "{taken} of {total}");
    }

    proptest! {
        #[test]
        fn a_key_is_what_resolves_to_a_string(key in "[a-zA-Z_.~+0-9-]{0,6}|null|Null|NULL|true|TRUE|False|nan|inf|e5|_1") {
            let b = key.as_bytes();
            let by_resolving = !b.is_empty()
                && (b[0].is_ascii_alphabetic() || b[0] == b'_')
                && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                && matches!(resolve_plain(&key), YamlValue::String(_));
            prop_assert_eq!(is_key(&key), by_resolving);
        }

        #[test]
        fn pairs_are_found_and_split_at_as_by_str(text in "[a:, #\\[\\]é]{0,12}") {
            prop_assert_eq!(holds_pair(&text, b':', b' '), text.contains(": "));
            prop_assert_eq!(holds_pair(&text, b' ', b'#'), text.contains(" #"));
            prop_assert_eq!(split_at_pairs(&text, b',', b' ').collect::<Vec<_>>(), text.split(", ").collect::<Vec<_>>());
        }
    }

    #[test]
    fn reads_the_common_shape() {
        let src = "name: \"cloud-architect\"\nversion: 1.0.0\nn: 6\nok: false\ncontext:\n  primary_domain: \"azure\"\n  always_load_files: []\n  file_budget: 6\nmemory:\n  scopes:\n    - type: \"skill-specific\"\n      files: [a.md, b.md]\n    - type: 'shared'\ntags: [cloud, aws]\nlist:\n- a\n- b\nempty:\n";
        assert!(read(src, 0, YamlLimits::default()).is_some());
        same(src);
        // A damaged block's commented-out last line is skipped, as the parser skips it.
        let damaged = "name: a\nmemory:\n  scope: x\n##   files: [a.md, b.md]\n";
        assert!(read(damaged, 0, YamlLimits::default()).is_some());
        same(damaged);
        for src in [
            "- a\n- b: c\n  d: e\n",
            "a:\n- b: c\n  d: [x, \"y\"]\n- e\nf: g\n",
            "a:\n  - b\n  -  c\n",
            "a: 'x' \n",
            "a: [b,c]\n",
            "a: -b\n",
            "a: https://x.y/z\n",
            "a: [ b ]\n",
            "a:\n  b:\n  c: d\n",
            "a:b\n",
            "a: b\n c: d\n",
            "# c\na: b\n  # c\n",
            "a:\n# c\n  b: 1\n##   c: [d]\n",
            "a: b\n  # c\n  d\n",
        ] {
            same(src);
        }
        // Indicators inside a value are its text.
        for src in [
            "a: C# and .NET\n",
            "a: \"x @y/z (3 kb) #1\"\n",
            "a: R&D *now*!\n",
            "a: 'b | c > d'\n",
            "a: [b&c, d`e, 50%]\n",
            "a:\n  - x{y}\n",
        ] {
            assert!(read(src, 0, YamlLimits::default()).is_some(), "{src}");
            same(src);
        }
    }

    proptest! {
        /// Texts pieced together from the shape's parts and what breaks it:
        /// read alike, or declined.
        #[test]
        fn reads_generated_front_matter_as_the_general_reader(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("name"), Just("a"), Just(": "),
                    Just(":"), Just("\n"), Just("- "),
                    Just("  "), Just(" "), Just("\""),
                    Just("'"), Just("["), Just("]"),
                    Just(", "), Just("1.0"), Just("true"),
                    Just("null"), Just("~"), Just("7"),
                    Just("x y"), Just("é"), Just("-"),
                    Just("?"), Just("."),
                    Just("# c"), Just("#"), Just("\r"),
                    Just("@"), Just("&"), Just("*"), Just("!"),
                    Just("|"), Just(">"), Just("%"), Just("`"),
                    Just("{"), Just("}"), Just("\\"), Just("\t"),
                ],
                0..40,
            ),
        ) {
            same(&parts.concat());
        }
    }

    #[test]
    fn declines_what_it_does_not_take() {
        for src in [
            "a: b # c\n",
            "a: |\n  x\n",
            "a: b\n\nc: d\n",
            "a: b\n  c\n",
            "a: b: c\n",
            "a: b\na: c\n",
            "a: [b, [c]]\n",
            "a: \"b\\\"\"\n",
            "a: b\n# c\rd: e\n",
            "a: &x b\n",
            "a: *x\n",
            "a: !t b\n",
            "a: >\n  b\n",
            "a: [b, @c]\n",
            "a: {b: c}\n",
            "a:\tb\n",
        ] {
            assert_eq!(read(src, 0, YamlLimits::default()), None, "{src}");
        }
    }
}
