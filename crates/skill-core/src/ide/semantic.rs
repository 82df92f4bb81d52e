//! Semantic tokens: what the Markdown grammar of an editor cannot know —
//! interface receivers and methods (unknown ones marked), step headings'
//! keyword and number, gate lines, placeholders still to fill in, and rule
//! codes in suppression comments (`<!-- skill-lsp-disable SK104 -->`).

use crate::model::SkillDoc;
use crate::text::TextRange;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// `memoryStore` in a call.
    Receiver,
    /// `getSkillMemory` in a call.
    Method,
    /// `Step` / `STEP` in a step heading.
    StepKeyword,
    /// The number of a step heading.
    StepNumber,
    /// A `**DO NOT PROCEED ...**` gate line.
    Gate,
    /// `[TODO ...]`, `{skill-name}` left from a template.
    Placeholder,
    /// `SK104` (or a rule's name, `step-missing`) in a suppression comment.
    RuleCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Never spans a line end.
    pub range: TextRange,
    pub kind: TokenKind,
    /// A receiver, method or rule code that is not known.
    pub unknown: bool,
}

/// Every token of the document, sorted, none overlapping another.
pub fn tokens(doc: &SkillDoc, ws: &Workspace) -> Vec<Token> {
    let mut out = Vec::new();
    let mut push = |range: TextRange, kind: TokenKind, unknown: bool| {
        if !range.is_empty() {
            out.push(Token { range, kind, unknown });
        }
    };
    for call in &doc.calls {
        push(call.receiver_range, TokenKind::Receiver, !call.is_known_receiver());
        let known = ws.catalogue.method(&call.receiver, &call.method).is_some();
        push(call.method_range, TokenKind::Method, !known);
    }
    let steps = doc
        .workflow
        .iter()
        .flat_map(|w| &w.steps)
        .chain(doc.stray_step_lists.iter().flat_map(|l| &l.steps));
    for step in steps {
        let heading = &doc.md.headings[step.heading];
        let before = doc.slice(TextRange::new(heading.content_range.start, step.number_range.start));
        if let Some(at) = before.to_ascii_lowercase().rfind("step") {
            let start = heading.content_range.start + at;
            push(TextRange::new(start, start + 4), TokenKind::StepKeyword, false);
        }
        push(step.number_range, TokenKind::StepNumber, false);
        if let Some(gate) = step.gate {
            push(gate, TokenKind::Gate, false);
        }
    }
    placeholders(doc, &mut push);
    suppression_codes(doc, &mut push);
    out.sort_by_key(|t| (t.range.start, t.range.end));
    let text = &doc.text;
    let mut kept: Vec<Token> = Vec::with_capacity(out.len());
    for mut t in out {
        if let Some(nl) = text[t.range.start..t.range.end].find(['\n', '\r']) {
            t.range = TextRange::new(t.range.start, t.range.start + nl);
        }
        if t.range.is_empty() || kept.last().is_some_and(|p| p.range.end > t.range.start) {
            continue;
        }
        kept.push(t);
    }
    kept
}

/// `[TODO ...]` in the body outside code, and `{placeholder}` in front matter values.
fn placeholders(doc: &SkillDoc, push: &mut impl FnMut(TextRange, TokenKind, bool)) {
    let text = &doc.text;
    let body = doc.md.body_start.min(text.len());
    for (at, _) in text[body..].match_indices("[TODO") {
        let start = body + at;
        if doc.md.in_code_block(start) || doc.md.code_spans.iter().any(|s| s.range.contains(start)) {
            continue;
        }
        let line_end = text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i);
        let end = text[start..line_end].find(']').map_or(line_end, |i| start + i + 1);
        push(TextRange::new(start, end), TokenKind::Placeholder, false);
    }
    if let Some(fm) = &doc.front_matter {
        let yaml = fm.block.yaml;
        let mut at = yaml.start;
        while let Some(i) = text[at..yaml.end].find('{') {
            let start = at + i;
            let Some(len) = text[start..yaml.end].find('}') else {
                break;
            };
            let inner = &text[start + 1..start + len];
            if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                push(TextRange::new(start, start + len + 1), TokenKind::Placeholder, false);
            }
            at = start + len + 1;
        }
    }
}

/// The rules named in suppression comments (`<!-- skill-lsp-disable-next-line
/// SK104 -->`, `# skill-lsp-disable-next-line SK005` in the front matter),
/// by code or name, as the checker reads them; a name no rule has is marked.
fn suppression_codes(doc: &SkillDoc, push: &mut impl FnMut(TextRange, TokenKind, bool)) {
    for directive in crate::suppress::directives(doc) {
        for named in &directive.names {
            push(named.range, TokenKind::RuleCode, named.rule.is_none());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_steps_gates_placeholders_and_codes() {
        let text = "---\nname: {skill-name}\n---\n# T\n<!-- skill-lsp-disable SK104 SK999 -->\n\n## Mandatory Workflow\n\n### ⚠️ STEP 1: Load (REQUIRED)\n**YOU MUST:**\n1. `memoryStore.getSkillMemory(\"t\", \"p\")` then `memStore.nope()`\n\n**DO NOT PROCEED WITHOUT MEMORY**\n\n[TODO: describe]\n";
        let doc = SkillDoc::parse(text, None);
        let got: Vec<(TokenKind, &str, bool)> = tokens(&doc, &Workspace::detached())
            .iter()
            .map(|t| (t.kind, &text[t.range.start..t.range.end], t.unknown))
            .collect();
        use TokenKind::*;
        assert_eq!(
            got,
            [
                (Placeholder, "{skill-name}", false),
                (RuleCode, "SK104", false),
                (RuleCode, "SK999", true),
                (StepKeyword, "STEP", false),
                (StepNumber, "1", false),
                (Receiver, "memoryStore", false),
                (Method, "getSkillMemory", false),
                (Receiver, "memStore", true),
                (Method, "nope", true),
                (Gate, "**DO NOT PROCEED WITHOUT MEMORY**", false),
                (Placeholder, "[TODO: describe]", false),
            ]
        );
    }

    /// Every form the checker reads: next line, file, by name, in the front
    /// matter; none in a code block, none in a comment of another tool.
    #[test]
    fn rules_named_in_every_form_of_suppression() {
        let text = "---\nname: t\n# skill-lsp-disable-next-line SK005\nfoo: 1\n---\n# T\n<!-- skill-lsp-disable-file SK121, step-missing -->\n<!-- skill-lsp-disable-next-line sk104 no-such-rule -->\ntext\n<!-- other-tool-disable SK104 -->\n```\n<!-- skill-lsp-disable-file SK301 -->\n```\n";
        let doc = SkillDoc::parse(text, None);
        let got: Vec<(&str, bool)> = tokens(&doc, &Workspace::detached())
            .iter()
            .filter(|t| t.kind == TokenKind::RuleCode)
            .map(|t| (&text[t.range.start..t.range.end], t.unknown))
            .collect();
        assert_eq!(
            got,
            [
                ("SK005", false),
                ("SK121", false),
                ("step-missing", false),
                ("sk104", false),
                ("no-such-rule", true),
            ]
        );
    }
}
