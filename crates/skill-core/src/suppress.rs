//! Suppression comments: an author accepting one finding in one place.
//!
//! The forms are fixed, so that scripts and other tools can rely on them:
//!
//! - `<!-- skill-lsp-disable-next-line SK104 -->`: the line after the comment;
//! - `<!-- skill-lsp-disable SK121 -->` … `<!-- skill-lsp-enable SK121 -->`:
//!   the lines between (to the end of the file without an `enable`);
//! - `<!-- skill-lsp-disable-file SK104 -->`: the whole file;
//! - `# skill-lsp-disable-next-line SK005`: a YAML comment in the front
//!   matter, for the next line of the front matter.
//!
//! Each names one or more rules, by code or name, separated by spaces or
//! commas. A comment is a line of its own; in the body it must lie outside
//! code blocks (a skill that documents these comments shows them in code).
//!
//! The comments are read by [`crate::model::suppressions`];
//! [`crate::model::suppressions::apply`] runs after every rule has reported
//! (in [`crate::analysis::check`], the one entry point of the CLI and the
//! editor): it drops what is suppressed and says which suppressions
//! suppressed nothing, for SK901. This module adds what needs the rules'
//! registry: names resolved against it, and the editor's quick fixes. The
//! comments' own mistakes (a rule that does not exist, a form not allowed in
//! the front matter, no rule named) are SK902, a rule like any other.

use crate::diagnostic::Diagnostic;
use crate::fix::{Edit, Fix};
use crate::model::suppressions::{in_code, Directive, Kind, Place, MARK};
use crate::model::SkillDoc;
use crate::rules;
use crate::text::line_range_at;

/// Every suppression comment of `doc`, each rule it names resolved against
/// the catalogue.
pub fn directives(doc: &SkillDoc) -> Vec<Directive> {
    rules::suppressions(doc)
}

/// Whether findings of `code` are about text that does nothing (an unused
/// suppression): editors show them faded.
pub fn is_unnecessary(code: &str) -> bool {
    code == crate::rules::sk901_unused_suppression::RULE.code
}

/// The quick fixes that suppress `diag`: on its line, and in the whole file.
/// A finding inside a code block or a table, or on a front matter fence, gets
/// only the second (a comment line there would change what the text is).
pub fn suppress_fixes(doc: &SkillDoc, diag: &Diagnostic) -> Vec<Fix> {
    let Some(rule) = rules::find(diag.code) else {
        return Vec::new();
    };
    let text: &str = &doc.text;
    let eol = doc.eol;
    let mut out = Vec::new();
    let line = line_range_at(text, diag.range.start);
    let indent_len = text[line.start..line.end].len() - text[line.start..line.end].trim_start().len();
    let indent = &text[line.start..line.start + indent_len];
    let line_no = doc.line_index.line_of(line.start);
    let existing = directives(doc);
    let yaml = doc.front_matter.as_ref().map(|f| f.block.yaml);
    let in_yaml = yaml.is_some_and(|y| y.start <= line.start && line.end <= y.end);
    let in_body = line.start >= doc.md.body_start
        && !in_code(doc, line.start)
        && !doc
            .md
            .tables
            .iter()
            .any(|t| t.range.contains(line.start) && t.range.start < line.start);
    if in_yaml || in_body {
        let place = if in_yaml { Place::FrontMatter } else { Place::Body };
        let title = format!("Suppress {} on this line", rule.code);
        // Adds to a `disable-next-line` comment already above the line.
        let above = existing
            .iter()
            .find(|d| d.kind == Kind::NextLine && d.place == place && d.line + 1 == line_no);
        let edit = match above {
            Some(d) if d.names.iter().any(|n| n.rule == Some(rule.code)) => None,
            Some(d) => {
                let end = d.names.last().map_or(d.range.start, |n| n.range.end);
                Some(Edit::insert(end, format!(", {}", rule.code)))
            }
            None => Some(Edit::insert(
                line.start,
                match place {
                    Place::FrontMatter => format!("{indent}# {MARK}disable-next-line {}{eol}", rule.code),
                    Place::Body => format!("{indent}<!-- {MARK}disable-next-line {} -->{eol}", rule.code),
                },
            )),
        };
        if let Some(edit) = edit {
            out.push(Fix::unsafe_(title, vec![edit]));
        }
    }
    let whole_file = existing
        .iter()
        .any(|d| d.kind == Kind::File && d.names.iter().any(|n| n.rule == Some(rule.code)));
    if !whole_file {
        // After the front matter, so the file still opens with it.
        let at = doc.md.body_start.min(text.len());
        let sep = if at > 0 && !text[..at].ends_with('\n') && !text[..at].ends_with('\r') {
            eol
        } else {
            ""
        };
        out.push(Fix::unsafe_(
            format!("Suppress {} in this file", rule.code),
            vec![Edit::insert(
                at,
                format!("{sep}<!-- {MARK}disable-file {} -->{eol}", rule.code),
            )],
        ));
    }
    // The rules see a lone-`\r` document with `\n`s: write its own line ending.
    if doc.bare_cr {
        out.iter_mut().for_each(Fix::end_lines_with_cr);
    }
    out
}
