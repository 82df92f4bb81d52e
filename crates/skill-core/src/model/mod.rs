//! The skill model: one parsed `SKILL.md` as a value — front matter, Markdown
//! structure, and what sits on top (workflow steps, checklist, interface
//! calls, Version History, output paths). Parsing never fails; what cannot
//! be found is `None` or empty, and syntax problems are kept for the rules.

pub(crate) mod anchor;
mod calls;
mod checklist;
mod domains;
mod history;
mod letters;
pub mod numbering;
mod outputs;
pub mod suppressions;
mod tools;
mod workflow;

pub use calls::{near_receiver, Arg, ArgValue, Call, KNOWN_RECEIVERS};
pub use checklist::{Checklist, ChecklistItem};
pub use history::{semver_key, HistoryForm, HistoryOrder, HistoryRow, VersionHistory};
pub(crate) use letters::Word;
pub use outputs::OutputPath;
pub use tools::ToolEntry;
pub use workflow::{BodyStyle, Instructions, Step, StepList, StepStyle, Workflow};

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::syntax::frontmatter::{self, FrontMatterBlock};
use crate::syntax::markdown::{self, MdDoc};
use crate::syntax::markdown_reparse;
use crate::syntax::yaml::{self, YamlError, YamlLimits, YamlNode};
use crate::text::{with_bare_cr_as_lf, Change, LineIndex, TextRange};

/// The front matter: where it is, what it holds, what went wrong reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub block: FrontMatterBlock,
    /// The YAML root (a map for a well-formed skill); `None` when nothing parsed.
    pub root: Option<YamlNode>,
    pub errors: Vec<YamlError>,
}

impl FrontMatter {
    /// A string value at a key path, with its range.
    pub fn str_at(&self, keys: &[&str]) -> Option<(&str, TextRange)> {
        let node = self.root.as_ref()?.path(keys)?;
        Some((node.as_str()?, node.range))
    }

    pub fn node_at(&self, keys: &[&str]) -> Option<&YamlNode> {
        self.root.as_ref()?.path(keys)
    }
}

/// The interface calls in the code regions (code span or code block
/// contents) `regions` of `text`, read as [`SkillDoc::parse`] reads those of
/// a document, without their workflow steps: for a copy of a document that
/// differs only at the cursor, where the editor writes a marker to see what
/// half-typed text will be.
pub fn calls_in(text: &str, regions: &[TextRange]) -> Vec<Call> {
    calls::in_regions(text, regions.iter().copied())
}

/// One parsed skill document.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillDoc {
    /// The text as parsed: the source, with `\n` in place of each lone `\r`
    /// when the source ends lines that way (`bare_cr`). Offsets and lines
    /// are those of the source (see [`with_bare_cr_as_lf`]).
    pub text: Arc<str>,
    /// The source ends (some) lines with a lone `\r`, the old Mac way. Fixes
    /// write `\r` where they would write `\n` (see `analysis::check`).
    pub bare_cr: bool,
    /// The line ending the text uses ([`crate::text::line_ending`]), for
    /// fixes that write lines: many rules ask, so it is found once.
    pub eol: &'static str,
    /// Where the document lives, when it is a file.
    pub path: Option<PathBuf>,
    /// Shared: the language server hands in the index it keeps of the same
    /// text rather than have a second one built.
    pub line_index: Arc<LineIndex>,
    pub front_matter: Option<FrontMatter>,
    pub md: MdDoc,
    /// The blocks of the text: the front matter (everything before the
    /// body), then each top-level Markdown block of the body with the blank
    /// lines after it ([`MdDoc::blocks`]). Each starts a line, they cover
    /// the text, and a block's parse depends on its text alone (a link
    /// reference definition aside). The rules that read the text for what
    /// it says go block by block (`rules::BlockRule`), and a keystroke's
    /// check reuses what they found in the blocks it did not touch.
    pub blocks: Vec<TextRange>,
    /// The workflow section and its steps, if there is one.
    pub workflow: Option<Workflow>,
    /// Step lists found outside the workflow section (a pasted duplicate).
    pub stray_step_lists: Vec<StepList>,
    pub checklist: Option<Checklist>,
    /// Interface calls in inline code and code blocks, in text order.
    pub calls: Vec<Call>,
    pub history: Option<VersionHistory>,
    /// `/claudedocs/...` output paths.
    pub output_paths: Vec<OutputPath>,
    /// The ASCII letters of each heading's text ([`letters::of_headings`]),
    /// for [`SkillDoc::heading_contains`].
    pub(crate) heading_letters: Vec<letters::Letters>,
}

impl SkillDoc {
    pub fn parse(text: impl Into<Arc<str>>, path: Option<PathBuf>) -> SkillDoc {
        Self::parse_with_limits(text, path, YamlLimits::default())
    }

    pub fn parse_with_limits(text: impl Into<Arc<str>>, path: Option<PathBuf>, limits: YamlLimits) -> SkillDoc {
        let source: Arc<str> = text.into();
        let line_index = Arc::new(LineIndex::new(&source));
        Self::read(source, path, limits, line_index)
    }

    /// [`SkillDoc::parse`] with the text's line index already built
    /// (`LineIndex::new(&text)`, as the language server keeps one).
    pub fn parse_indexed(text: Arc<str>, path: Option<PathBuf>, line_index: Arc<LineIndex>) -> SkillDoc {
        debug_assert_eq!(line_index.len(), text.len(), "the line index of another text");
        Self::read(text, path, YamlLimits::default(), line_index)
    }

    /// A parse with the source's line index. A lone `\r` ends a line as
    /// `\n` does, so the index holds for the parsed text too.
    fn read(source: Arc<str>, path: Option<PathBuf>, limits: YamlLimits, line_index: Arc<LineIndex>) -> SkillDoc {
        // Most texts hold no `\r` at all: one search tells that they have no
        // lone one and end their lines with `\n`, each else a pass of its own.
        let (text, bare_cr, eol): (Arc<str>, bool, &'static str) = if memchr::memchr(b'\r', source.as_bytes()).is_none()
        {
            (source, false, "\n")
        } else {
            let (text, bare_cr): (Arc<str>, bool) = match with_bare_cr_as_lf(&source) {
                Cow::Borrowed(_) => (source.clone(), false),
                Cow::Owned(lf) => (lf.into(), true),
            };
            let eol = crate::text::line_ending(&text);
            (text, bare_cr, eol)
        };
        let front_matter = frontmatter::locate(&text).map(|block| {
            let (root, errors) = yaml::parse(&text, block.yaml, limits);
            FrontMatter { block, root, errors }
        });
        let body_start = front_matter
            .as_ref()
            .map_or_else(|| bom_len(&text), |f| f.block.body_start);
        // A lone `\r` ends a line as `\n` does: the source's line starts
        // are the parsed text's.
        let md = markdown::parse_with_line_starts(&text, body_start, line_index.line_starts());
        Self::assemble(text, bare_cr, eol, path, line_index, front_matter, md)
    }

    /// `SkillDoc::parse(text, self.path)`, reusing what the change from
    /// `self.text` to `text` cannot have changed: the front matter when the
    /// change is in the body, the Markdown blocks before and after it (see
    /// [`markdown_reparse`]). What is built on them (steps, calls, ...) is
    /// derived again. The result always equals a full parse; `tests/fuzz.rs`
    /// holds it to that over random edits.
    pub fn update(&self, text: impl Into<Arc<str>>) -> SkillDoc {
        let text: Arc<str> = text.into();
        let line_index = Arc::new(LineIndex::new(&text));
        self.update_indexed(text, line_index)
    }

    /// [`SkillDoc::update`] with the text's line index already built
    /// (`LineIndex::new(&text)`).
    pub fn update_indexed(&self, text: Arc<str>, line_index: Arc<LineIndex>) -> SkillDoc {
        debug_assert_eq!(line_index.len(), text.len(), "the line index of another text");
        let full = |text: Arc<str>| SkillDoc::parse_indexed(text, self.path.clone(), line_index.clone());
        let Some(change) = Change::between(&self.text, &text) else {
            return full(text);
        };
        // A text with lone `\r`s is parsed with `\n`s in their place: only
        // texts without them, before and after, are compared as they are.
        if self.bare_cr || makes_bare_cr(&text, &change) {
            return full(text);
        }
        let front_matter = match &self.front_matter {
            // Nothing after a closed block's closing line changes where the
            // block is or what it holds.
            Some(fm) if fm.block.close.is_some() && ends_a_line(&self.text, fm.block.body_start) => {
                if change.start < fm.block.body_start {
                    return full(text);
                }
                Some(fm.clone())
            }
            // A block never closed: `locate` read the text only to its first
            // fence line (see `frontmatter::read_end`); an edit after that
            // line, which ends a line, cannot change the block or its YAML.
            Some(fm) if fm.block.close.is_none() => {
                let read = frontmatter::read_end(&self.text, &fm.block);
                if change.start < read || !ends_a_line(&self.text, read) {
                    return full(text);
                }
                Some(fm.clone())
            }
            // No block: the first line is not `---`, and stays so when unchanged.
            None if self.text.find('\n').is_some_and(|i| i < change.start) => None,
            _ => return full(text),
        };
        let md = markdown_reparse::reparse(&self.md, &self.text, &text, change);
        let eol = crate::text::line_ending(&text);
        Self::assemble(text, false, eol, self.path.clone(), line_index, front_matter, md)
    }

    /// The model built on a parsed front matter and body; `eol` is the
    /// text's line ending ([`crate::text::line_ending`]).
    fn assemble(
        text: Arc<str>,
        bare_cr: bool,
        eol: &'static str,
        path: Option<PathBuf>,
        line_index: Arc<LineIndex>,
        front_matter: Option<FrontMatter>,
        md: MdDoc,
    ) -> SkillDoc {
        // Three of them search the headings for words: they share what
        // letters each heading holds.
        let heading_letters = letters::of_headings(&md);
        let (workflow, stray_step_lists) = workflow::extract(&text, &md, &heading_letters);
        let checklist = checklist::extract(&text, &md, &heading_letters);
        let calls = calls::extract(&text, &md, workflow.as_ref());
        let history = history::extract(&text, &md, &heading_letters);
        let output_paths = outputs::extract(&text, &md);
        let blocks = blocks(text.len(), &md);
        SkillDoc {
            eol,
            text,
            bare_cr,
            path,
            line_index,
            front_matter,
            md,
            blocks,
            workflow,
            stray_step_lists,
            checklist,
            calls,
            history,
            output_paths,
            heading_letters,
        }
    }

    /// The skill's `name` from the front matter, with its range.
    pub fn name(&self) -> Option<(&str, TextRange)> {
        self.front_matter.as_ref()?.str_at(&["name"])
    }

    /// `context.primary_domain`, with its range.
    pub fn primary_domain(&self) -> Option<(&str, TextRange)> {
        self.front_matter.as_ref()?.str_at(&["context", "primary_domain"])
    }

    /// The name of the folder holding the document (`fastapi` for `skills/fastapi/SKILL.md`).
    pub fn folder_name(&self) -> Option<&str> {
        self.path.as_deref()?.parent()?.file_name()?.to_str()
    }

    pub fn dir(&self) -> Option<&Path> {
        self.path.as_deref()?.parent()
    }

    /// Whether the text of heading `i`, lower-cased, contains `word` (ASCII
    /// lower case): [`crate::text::lowercase_contains`], passing over a
    /// heading that lacks a letter of the word unread.
    pub(crate) fn heading_contains(&self, i: usize, word: Word) -> bool {
        word.in_text(&self.md.headings[i].text, self.heading_letters[i])
    }

    pub fn slice(&self, range: TextRange) -> &str {
        &self.text[range.start..range.end]
    }
}

/// [`SkillDoc::blocks`] of a text `len` bytes long whose body is `md`.
fn blocks(len: usize, md: &MdDoc) -> Vec<TextRange> {
    let body = md.body_start.min(len);
    let mut out: Vec<TextRange> = Vec::with_capacity(md.blocks.len() + 2);
    let mut start = 0;
    for next in std::iter::once(body).chain(md.blocks.iter().copied()) {
        if next > start && next < len {
            out.push(TextRange::new(start, next));
            start = next;
        }
    }
    out.push(TextRange::new(start, len));
    out
}

/// Whether the line ending just before `offset` is a `\n` (a block closed
/// by a line without a terminator would be changed by text typed after it).
fn ends_a_line(text: &str, offset: usize) -> bool {
    offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\n')
}

/// Whether the changed part of `text` holds a lone `\r`, or makes one of
/// the `\r` just before it lone.
fn makes_bare_cr(text: &str, change: &Change) -> bool {
    let bytes = text.as_bytes();
    (change.start.saturating_sub(1)..change.new_end).any(|i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}
