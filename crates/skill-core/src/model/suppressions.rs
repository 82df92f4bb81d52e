//! Suppression comments: where they are, what they name and cover, and
//! which of them suppressed nothing. The forms and what they mean are
//! described in [`crate::suppress`], which applies them with the rules'
//! registry; this part needs nothing above the model, so the rules that
//! judge the comments (SK901, SK902) read it too.

use crate::diagnostic::Diagnostic;
use crate::fix::{Edit, Fix};
use crate::model::SkillDoc;
use crate::text::{line_range_at, TextRange};

/// The common prefix of every directive: a text without it has none.
pub const MARK: &str = "skill-lsp-";

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NextLine,
    Disable,
    Enable,
    File,
}

impl Kind {
    /// The keyword after `skill-lsp-`.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::NextLine => "disable-next-line",
            Kind::Disable => "disable",
            Kind::Enable => "enable",
            Kind::File => "disable-file",
        }
    }

    /// Reads the keyword at the start of `s` (longest first: `disable` is a
    /// prefix of the others); the kind and the rest of `s`.
    fn read(s: &str) -> Option<(Kind, &str)> {
        [Kind::NextLine, Kind::File, Kind::Disable, Kind::Enable]
            .into_iter()
            .find_map(|k| {
                let rest = s.strip_prefix(k.keyword())?;
                // A keyword ends at whitespace or the end: `disabled` is none.
                (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((k, rest))
            })
    }
}

/// Where a directive is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An HTML comment in the Markdown body.
    Body,
    /// A YAML comment in the front matter.
    FrontMatter,
}

/// One rule named in a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// As written.
    pub text: String,
    pub range: TextRange,
    /// The code of the rule it names; `None` for a name no rule has (SK902).
    pub rule: Option<&'static str>,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: Kind,
    pub place: Place,
    /// The comment, from `<!--` (or `#`) to `-->` (or the end of the line).
    pub range: TextRange,
    /// The comment's whole line with its terminator: what removing it deletes.
    pub line_range: TextRange,
    /// Zero-based line of the comment.
    pub line: usize,
    pub names: Vec<Named>,
}

impl Directive {
    /// Whether the directive takes effect: in the front matter only
    /// `disable-next-line` does (SK902 reports the others).
    pub fn is_read(&self) -> bool {
        self.place == Place::Body || self.kind == Kind::NextLine
    }
}

/// A rule's code from a name written in a directive (a code in any case, or
/// a rule's name); the rules' registry sits above the model, so it is passed in.
pub type FindRule<'a> = &'a dyn Fn(&str) -> Option<&'static str>;

/// Every directive of `doc`, in text order, each name resolved by `find`.
pub fn directives(doc: &SkillDoc, find: FindRule) -> Vec<Directive> {
    let text: &str = &doc.text;
    // Most texts hold no directive: one vectorised search says so
    // (`str::contains` went byte by byte; twice per check of a 1 MB skill).
    if memchr::memmem::find(text.as_bytes(), MARK.as_bytes()).is_none() {
        return Vec::new();
    }
    let yaml = doc.front_matter.as_ref().map(|f| f.block.yaml);
    let body_start = doc.md.body_start;
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let line = line_range_at(text, start);
        let next = next_line_start(text, line.end);
        let content = &text[line.start..line.end];
        if content.contains(MARK) {
            let in_yaml = yaml.is_some_and(|y| y.start <= line.start && line.end <= y.end);
            let in_body = line.start >= body_start && !in_code(doc, line.start);
            let parsed = if in_yaml {
                parse_yaml(content, line.start, find)
            } else if in_body {
                parse_html(content, line.start, find)
            } else {
                None
            };
            if let Some((kind, range, names)) = parsed {
                out.push(Directive {
                    kind,
                    place: if in_yaml { Place::FrontMatter } else { Place::Body },
                    range,
                    line_range: TextRange::new(line.start, next),
                    line: doc.line_index.line_of(line.start),
                    names,
                });
            }
        }
        if next <= start {
            break;
        }
        start = next;
    }
    out
}

/// The offset after the terminator of a line that ends at `end`.
fn next_line_start(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end..];
    match rest {
        [b'\r', b'\n', ..] => end + 2,
        [b'\r' | b'\n', ..] => end + 1,
        _ => text.len(),
    }
}

pub(crate) fn in_code(doc: &SkillDoc, offset: usize) -> bool {
    doc.md.code_blocks.iter().any(|b| b.range.contains(offset))
}

/// `<!-- skill-lsp-KIND NAMES -->`, alone on its line.
fn parse_html(line: &str, at: usize, find: FindRule) -> Option<(Kind, TextRange, Vec<Named>)> {
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix("<!--")?.strip_suffix("-->")?;
    let inner_at = at + lead + 4;
    let (kind, rest) = Kind::read(inner.trim_start().strip_prefix(MARK)?)?;
    let rest_at = inner_at + (inner.len() - rest.len());
    let range = TextRange::new(at + lead, at + lead + trimmed.len());
    Some((kind, range, names(rest, rest_at, find)))
}

/// `# skill-lsp-KIND NAMES`, alone on its line of the front matter.
fn parse_yaml(line: &str, at: usize, find: FindRule) -> Option<(Kind, TextRange, Vec<Named>)> {
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix('#')?;
    let (kind, rest) = Kind::read(inner.trim_start().strip_prefix(MARK)?)?;
    let rest_at = at + lead + (trimmed.len() - rest.len());
    let range = TextRange::new(at + lead, at + lead + trimmed.len());
    Some((kind, range, names(rest, rest_at, find)))
}

/// The rule names of `s` (which starts at offset `at`), split at spaces and commas.
fn names(s: &str, at: usize, find: FindRule) -> Vec<Named> {
    let mut out = Vec::new();
    let mut i = 0;
    for piece in s.split(|c: char| c.is_whitespace() || c == ',') {
        if !piece.is_empty() {
            out.push(Named {
                text: piece.to_string(),
                range: TextRange::new(at + i, at + i + piece.len()),
                rule: find(piece),
            });
        }
        i += piece.len() + 1;
    }
    out
}

/// What a directive names but suppressed nothing: for SK901.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused<'a> {
    pub directive: &'a Directive,
    /// Indexes into `directive.names`; all of them when the whole comment is unused.
    pub names: Vec<usize>,
}

impl Unused<'_> {
    /// Whether nothing in the comment is of use.
    pub fn whole(&self) -> bool {
        self.names.len() == self.directive.names.len()
    }

    /// Where to report: the comment when it is wholly unused, else the names.
    pub fn range(&self) -> TextRange {
        if self.whole() {
            return self.directive.range;
        }
        let mut ranges = self.names.iter().map(|&i| self.directive.names[i].range);
        let first = ranges.next().unwrap_or(self.directive.range);
        ranges.fold(first, |a, b| a.cover(b))
    }

    /// The rules named in vain, as written.
    pub fn listed(&self) -> Vec<&str> {
        self.names
            .iter()
            .map(|&i| self.directive.names[i].text.as_str())
            .collect()
    }

    /// Removes the comment's line, or only the unused names from it.
    pub fn removal(&self, text: &str) -> Fix {
        let d = self.directive;
        if self.whole() {
            return Fix::safe(
                "Remove the unused suppression comment",
                vec![Edit::delete(d.line_range)],
            );
        }
        // The names that stay, written back with the separator the comment used.
        let kept: Vec<&str> = d
            .names
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.names.contains(i))
            .map(|(_, n)| n.text.as_str())
            .collect();
        let (first, last) = (d.names[0].range, d.names[d.names.len() - 1].range);
        let span = TextRange::new(first.start, last.end);
        let sep = if text[span.start..span.end].contains(',') {
            ", "
        } else {
            " "
        };
        Fix::safe(
            format!("Remove {} from the suppression comment", self.listed().join(", ")),
            vec![Edit::replace(span, kept.join(sep))],
        )
    }
}

/// Drops from `diagnostics` what the directives suppress, and returns what
/// the directives name in vain. `ran` says whether a rule ran on the
/// document: a suppression of a rule that did not run (turned off, left out
/// by a selection, of another profile) cannot be known to be unused and is
/// never reported.
pub fn apply<'a>(
    doc: &SkillDoc,
    directives: &'a [Directive],
    diagnostics: &mut Vec<Diagnostic>,
    ran: impl Fn(&str) -> bool,
) -> Vec<Unused<'a>> {
    let mut used: Vec<Vec<bool>> = directives.iter().map(|d| vec![false; d.names.len()]).collect();
    // `enable` comments that closed a `disable`.
    let spans = block_spans(directives, &mut used);
    diagnostics.retain(|diag| {
        let line = doc.line_index.line_of(diag.range.start);
        let mut suppressed = false;
        for (di, d) in directives.iter().enumerate().filter(|(_, d)| d.is_read()) {
            for (ni, n) in d.names.iter().enumerate() {
                if n.rule != Some(diag.code) {
                    continue;
                }
                let covers = match d.kind {
                    Kind::File => true,
                    Kind::NextLine => line == d.line + 1,
                    Kind::Disable => spans
                        .iter()
                        .any(|s| s.0 == (di, ni) && line > d.line && s.1.is_none_or(|end| line < end)),
                    Kind::Enable => false,
                };
                if covers {
                    used[di][ni] = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    directives
        .iter()
        .zip(used)
        .filter(|(d, _)| d.is_read())
        .filter_map(|(d, used)| {
            let names: Vec<usize> = d
                .names
                .iter()
                .enumerate()
                .filter(|(i, n)| !used[*i] && n.rule.is_some_and(|r| ran(r) || d.kind == Kind::Enable))
                .map(|(i, _)| i)
                .collect();
            (!names.is_empty()).then_some(Unused { directive: d, names })
        })
        .collect()
}

/// Pairs each `disable` name with the line of the `enable` that ends it
/// (`None`: the end of the file), marking those `enable` names used.
type Span = ((usize, usize), Option<usize>);

fn block_spans(directives: &[Directive], used: &mut [Vec<bool>]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for (di, d) in directives.iter().enumerate().filter(|(_, d)| d.is_read()) {
        for (ni, n) in d.names.iter().enumerate() {
            let Some(rule) = n.rule else { continue };
            match d.kind {
                Kind::Disable => spans.push(((di, ni), None)),
                Kind::Enable => {
                    // Closes the open `disable` of the same rule, if any.
                    let open = spans
                        .iter_mut()
                        .find(|((sd, sn), end)| end.is_none() && directives[*sd].names[*sn].rule == Some(rule));
                    if let Some(open) = open {
                        open.1 = Some(d.line);
                        used[di][ni] = true;
                    }
                }
                _ => {}
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_fixes;

    fn directives(doc: &SkillDoc) -> Vec<Directive> {
        super::directives(doc, &|n| crate::rules::find(n).map(|r| r.code))
    }

    fn doc(text: &str) -> SkillDoc {
        SkillDoc::parse(text, Some("skills/x/SKILL.md".into()))
    }

    #[test]
    fn reads_every_form_and_skips_code() {
        let text = "---\nname: x\n# skill-lsp-disable-next-line SK005\nfoo: 1\n---\n\
                    <!-- skill-lsp-disable-file SK104 -->\n\
                    <!-- skill-lsp-disable SK121, step-missing -->\n\
                    text\n  <!--  skill-lsp-enable SK121 -->\n\
                    ```\n<!-- skill-lsp-disable-file SK301 -->\n```\n\
                    <!-- skill-lsp-disabled SK301 -->\n";
        let ds = directives(&doc(text));
        let kinds: Vec<(Kind, Place)> = ds.iter().map(|d| (d.kind, d.place)).collect();
        assert_eq!(
            kinds,
            [
                (Kind::NextLine, Place::FrontMatter),
                (Kind::File, Place::Body),
                (Kind::Disable, Place::Body),
                (Kind::Enable, Place::Body)
            ]
        );
        assert_eq!(ds[0].names[0].rule, Some("SK005"));
        assert_eq!(&text[ds[0].names[0].range.start..ds[0].names[0].range.end], "SK005");
        let names: Vec<&str> = ds[2].names.iter().map(|n| &text[n.range.start..n.range.end]).collect();
        assert_eq!(names, ["SK121", "step-missing"]);
        assert_eq!(ds[2].names[1].rule, Some("SK102"));
        assert_eq!(
            &text[ds[3].range.start..ds[3].range.end],
            "<!--  skill-lsp-enable SK121 -->"
        );
    }

    #[test]
    fn removing_an_unused_name_keeps_the_others() {
        let text = "---\nname: x\n---\n<!-- skill-lsp-disable-file SK104, SK121 SK102 -->\n";
        let d = doc(text);
        let ds = directives(&d);
        let mut diags = Vec::new();
        let unused = apply(&d, &ds, &mut diags, |_| true);
        assert_eq!(unused.len(), 1);
        assert!(unused[0].whole());
        let partial = Unused {
            directive: &ds[0],
            names: vec![1],
        };
        let fixed = apply_fixes(text, [&partial.removal(text)]).0;
        assert!(fixed.contains("disable-file SK104, SK102 -->"), "{fixed}");
        let first = Unused {
            directive: &ds[0],
            names: vec![0],
        };
        let fixed = apply_fixes(text, [&first.removal(text)]).0;
        assert!(fixed.contains("disable-file SK121, SK102 -->"), "{fixed}");
        let fixed = apply_fixes(text, [&unused[0].removal(text)]).0;
        assert_eq!(fixed, "---\nname: x\n---\n");
    }
}
