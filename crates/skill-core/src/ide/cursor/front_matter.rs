//! What may be written at a cursor in the front matter, read from the YAML
//! tree (`syntax::yaml`, a range on every key and value) of the front
//! matter with a marker at the cursor.
//!
//! The line being typed rarely parses as it stands (`  us` has no `:` yet,
//! `tags: [a, b` no `]`), so the line up to the cursor decides only which
//! marker to write: after `key:` a value (the quote and brackets the line
//! leaves open closed after it), else a key (`marker:`). What the rest of
//! the line held is left out. The tree of that text then says where the
//! marker stands: the keys leading to it, the map's other keys, whether it
//! is an item of a flow list.

use crate::model::SkillDoc;
use crate::syntax::yaml::{self, YamlLimits, YamlNode, YamlValue};
use crate::text::{line_range_at, TextRange};

use super::marker::MARKER;
use super::site::Site;
use super::words::{is_word, run_end};

pub(super) fn front_matter_site(doc: &SkillDoc, offset: usize) -> Site {
    let Some(fm) = doc.front_matter.as_ref() else {
        return Site::None;
    };
    let text: &str = &doc.text;
    let yaml = fm.block.yaml;
    let line = line_range_at(text, offset);
    let line_start = line.start.max(yaml.start).min(offset);
    let line_end = line.end.min(yaml.end).max(offset);
    let before = &text[line_start..offset];
    if before.trim_start().starts_with('#') {
        return match override_value_start(before) {
            Some(start) => Site::ProfileName {
                replace: TextRange::new(line_start + start, run_end(text, offset, is_word).min(line_end)),
            },
            None => Site::None,
        };
    }
    let indent = before.len() - before.trim_start_matches(' ').len();
    let rest = &before[indent..];
    // After a list item's `- `, the key stands where its text starts.
    let key_col = if rest == "-" || rest.starts_with("- ") {
        let after = &rest[1..];
        indent + 1 + (after.len() - after.trim_start_matches(' ').len())
    } else {
        indent
    };
    let typed = &before[key_col.min(before.len())..];
    let key_len = yaml_key_len(typed);
    if key_len.is_none() && !typed.bytes().all(is_word) {
        return Site::None;
    }
    // What the document's own tree holds at the cursor, when it holds what
    // is being typed (a key or a value already written out); else the tree
    // of the text with a marker at the cursor.
    let key_start = line_start + key_col;
    let own = fm.root.as_ref().and_then(|root| {
        let (path, on_key, range) = root.place_at(offset)?;
        let fits = match key_len {
            None => on_key && range.start == key_start,
            Some(n) => !on_key && range.start > key_start + n,
        };
        fits.then_some(Found {
            root,
            text,
            path,
            on_key,
            range,
        })
    });
    let reparsed;
    let found = match own {
        Some(found) => found,
        None => {
            reparsed = match with_marker(
                text,
                yaml,
                TextRange::new(line_start, line_end),
                offset,
                key_col,
                key_len,
            ) {
                Some(r) => r,
                None => return Site::None,
            };
            let (root, marked, marker) = (&reparsed.0, reparsed.1.as_str(), reparsed.2);
            let Some((path, on_key, range)) = root.place_at(marker + 1) else {
                return Site::None;
            };
            Found {
                root,
                text: marked,
                path,
                on_key,
                range,
            }
        }
    };
    let Some((_, parents)) = found.path.split_last() else {
        return Site::None;
    };
    match key_len {
        None if found.on_key => {
            let existing = found
                .root
                .at_path(parents)
                .and_then(YamlNode::as_map)
                .map(|entries| {
                    let others = entries.iter().filter(|e| e.key_range != found.range);
                    others.map(|e| e.key.clone()).collect()
                })
                .unwrap_or_default();
            Site::FrontMatterKey {
                path: with_stars(found.root, parents),
                prefix: TextRange::new(key_start, offset),
                replace: TextRange::new(key_start, run_end(text, offset, is_word).min(line_end)),
                indent: key_col,
                existing,
            }
        }
        Some(_) if !found.on_key => {
            let parent = found.root.at_path(parents);
            let in_list = parent
                .is_some_and(|p| matches!(p.value, YamlValue::Seq(_)) && found.text[p.range.start..].starts_with('['));
            let path = if in_list { parents } else { &found.path[..] };
            // The value as written, up to the cursor.
            let v_start = found.range.start.min(offset);
            let quote = text[v_start..offset].chars().next().filter(|c| matches!(c, '"' | '\''));
            let prefix_start = v_start + quote.map_or(0, char::len_utf8);
            let replace_end = match quote {
                Some(q) => text[offset..line_end].find(q).map_or(line_end, |i| offset + i),
                None => run_end(text, offset, |b| is_word(b) || b == b'.').min(line_end),
            };
            Site::FrontMatterValue {
                path: with_stars(found.root, path),
                prefix: TextRange::new(prefix_start.min(offset), offset),
                replace: TextRange::new(prefix_start.min(offset), replace_end.max(offset)),
                quote,
                in_list,
            }
        }
        // A key typed where the tree holds text (the next line of a long
        // value, a block scalar), or a value where it holds a key.
        _ => Site::None,
    }
}

/// A key or value of a YAML tree, found at the cursor.
struct Found<'t> {
    root: &'t YamlNode,
    /// The text the tree was read from (the document, or its copy with the marker).
    text: &'t str,
    path: Vec<String>,
    on_key: bool,
    range: TextRange,
}

/// The YAML tree of the front matter with the cursor's line written up to
/// the cursor and then a marker: a value after `key:` (the quote and
/// brackets the line leaves open closed after it), else a key
/// (`marker:`). What the rest of the line held is left out. Returns the
/// tree, the text it was read from and where the marker starts.
fn with_marker(
    text: &str,
    yaml: TextRange,
    line: TextRange,
    offset: usize,
    key_col: usize,
    key_len: Option<usize>,
) -> Option<(YamlNode, String, usize)> {
    let (line_start, line_end) = (line.start, line.end);
    let before = &text[line_start..offset];
    let typed = &before[key_col.min(before.len())..];
    // A space keeps the marker apart from a `-` or `:` written just before the cursor.
    let (pad, closer) = match key_len {
        Some(n) => {
            let value = &typed[n + 1..];
            let pad = if value.is_empty() { " " } else { "" };
            (pad, closers(value))
        }
        None => (
            if before.trim_start_matches(' ') == "-" { " " } else { "" },
            ":".to_string(),
        ),
    };
    let written = format!("{before}{pad}{MARKER}{closer}");
    let marked = format!("{}{written}{}", &text[..line_start], &text[line_end..]);
    let marked_yaml = TextRange::new(yaml.start, yaml.end - (line_end - line_start) + written.len());
    let (root, _) = yaml::parse(&marked, marked_yaml, YamlLimits::default());
    Some((root?, marked, line_start + before.len() + pad.len()))
}

/// `path` with each list index written `*`, as the schema names list items.
fn with_stars(root: &YamlNode, path: &[String]) -> Vec<String> {
    (0..path.len())
        .map(|i| match root.at_path(&path[..i]).map(|n| &n.value) {
            Some(YamlValue::Seq(_)) => "*".to_string(),
            _ => path[i].clone(),
        })
        .collect()
}

/// What closes the quote and the flow brackets a value written up to the
/// cursor leaves open (`["a", "b` → `"]`). A quote opens a string only where
/// a scalar starts (`don't` stays plain text).
fn closers(value: &str) -> String {
    let mut open: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut scalar_start = true;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') => match c {
                '\\' => {
                    chars.next();
                }
                '"' => quote = None,
                _ => {}
            },
            Some(q) => {
                if c == q {
                    if chars.peek() == Some(&q) {
                        chars.next(); // `''` inside a single-quoted string
                    } else {
                        quote = None;
                    }
                }
            }
            None => {
                match c {
                    '"' | '\'' if scalar_start => quote = Some(c),
                    '[' => open.push(']'),
                    '{' => open.push('}'),
                    ']' | '}' => {
                        open.pop();
                    }
                    _ => {}
                }
                scalar_start = matches!(c, '[' | '{' | ',' | ':') || (c.is_whitespace() && scalar_start);
            }
        }
    }
    quote.into_iter().chain(open.into_iter().rev()).collect()
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

/// The length of the key of a `key: value` / `key:` line body.
fn yaml_key_len(body: &str) -> Option<usize> {
    let colon = body.find(':')?;
    let key = &body[..colon];
    let after = &body[colon + 1..];
    let plain = !key.is_empty() && key.bytes().all(|b| is_word(b) || b == b'.' || b == b'"' || b == b'\'');
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(colon)
}
