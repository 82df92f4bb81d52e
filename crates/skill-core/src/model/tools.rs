//! The entries of `allowed-tools`: one string of names separated by spaces
//! or commas (`Read Grep Bash(git diff *)`), or a YAML list of them. An
//! entry is a tool name, optionally followed by a pattern in parentheses
//! (`Bash(npm run:*)`, `WebFetch(domain:example.com)`); spaces and commas
//! inside the parentheses belong to the pattern. Read by the rules about
//! which tools a skill grants (SK606) and how it names them (SK511, SK512).

use super::SkillDoc;
use crate::text::TextRange;

/// One entry of `allowed-tools`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolEntry<'a> {
    /// The whole entry: `Bash(git diff:*)`.
    pub text: &'a str,
    /// Where it is in the document (the whole value when the entry cannot
    /// be found in the source, as in a value written with escapes).
    pub range: TextRange,
    /// The tool's name, before any `(`: `Bash`.
    pub name: &'a str,
    /// The part in parentheses, without them: `git diff:*`; `None` when the
    /// entry has no `(`.
    pub pattern: Option<&'a str>,
    /// Whether parentheses open and close in pairs and the entry ends at its
    /// last `)`.
    pub balanced: bool,
}

impl<'a> ToolEntry<'a> {
    fn new(text: &'a str, range: TextRange) -> ToolEntry<'a> {
        let Some(open) = text.find('(') else {
            return ToolEntry {
                text,
                range,
                name: text,
                pattern: None,
                balanced: !text.contains(')'),
            };
        };
        let mut depth = 0i32;
        let mut closed_at = None;
        let mut balanced = true;
        for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 && closed_at.is_none() {
                        closed_at = Some(i);
                    }
                    balanced &= depth >= 0;
                }
                _ => {}
            }
        }
        let end = closed_at.unwrap_or(text.len());
        ToolEntry {
            text,
            range,
            name: &text[..open],
            pattern: Some(&text[open + 1..end]),
            balanced: balanced && depth == 0 && closed_at == Some(text.len() - 1),
        }
    }
}

/// The entries of an `allowed-tools` string with their offsets in it:
/// separated by spaces or commas, parentheses kept whole.
fn split(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let sep = depth == 0 && (c.is_whitespace() || c == ',');
        match (sep, start) {
            (true, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

impl SkillDoc {
    /// The entries of the front matter's `allowed-tools`, in order; items of
    /// a list that are not strings are left out (the schema reports them).
    pub fn allowed_tools(&self) -> Vec<ToolEntry<'_>> {
        let Some(node) = self.front_matter.as_ref().and_then(|fm| fm.node_at(&["allowed-tools"])) else {
            return Vec::new();
        };
        let items = match node.as_seq() {
            Some(seq) => seq.iter().collect(),
            None => vec![node],
        };
        let mut out = Vec::new();
        for item in items {
            let Some(value) = item.as_str() else { continue };
            let source = self.slice(item.range);
            for (at, entry) in split(value) {
                // The entry in the source: where the value is plain, the same
                // offset; in a quoted value, the first place it is written.
                let range = match source.get(at..at + entry.len()) {
                    Some(s) if s == entry => TextRange::new(item.range.start + at, item.range.start + at + entry.len()),
                    _ => source.find(entry).map_or(item.range, |i| {
                        TextRange::new(item.range.start + i, item.range.start + i + entry.len())
                    }),
                };
                out.push(ToolEntry::new(entry, range));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(yaml: &str) -> Vec<(String, String, Option<String>, bool)> {
        let text = format!("---\nname: x\n{yaml}---\n");
        let doc = SkillDoc::parse(text.as_str(), None);
        doc.allowed_tools()
            .iter()
            .map(|e| {
                assert_eq!(doc.slice(e.range), e.text);
                (
                    e.text.to_string(),
                    e.name.to_string(),
                    e.pattern.map(str::to_string),
                    e.balanced,
                )
            })
            .collect()
    }

    #[test]
    fn strings_and_lists_split_outside_parentheses() {
        let got = entries("allowed-tools: Read, Bash(git diff *) mcp__linear__create_issue\n");
        let names: Vec<&str> = got.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(names, ["Read", "Bash", "mcp__linear__create_issue"]);
        assert_eq!(got[1].2.as_deref(), Some("git diff *"));
        assert!(got.iter().all(|e| e.3));
        let list = entries("allowed-tools:\n  - Read\n  - \"Bash(echo $(date))\"\n  - 3\n");
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].2.as_deref(), Some("echo $(date)"));
        assert!(list[1].3);
    }

    #[test]
    fn unbalanced_entries_are_marked() {
        let got = entries("allowed-tools: Bash(git:* Read\n");
        assert_eq!(got.len(), 1, "an open parenthesis takes the rest: {got:?}");
        assert!(!got[0].3);
        for bad in ["Bash(git))", "Read)", "Bash(git)x"] {
            let got = entries(&format!("allowed-tools: {bad}\n"));
            assert!(!got[0].3, "{bad}: {got:?}");
        }
        assert!(entries("allowed-tools: Bash()\n")[0].3);
    }
}
