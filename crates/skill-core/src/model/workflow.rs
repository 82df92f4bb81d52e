//! The workflow section and its numbered steps, in all three heading styles.
//!
//! A step heading is recognised by its text, not its level: real skills put
//! steps at H3 or H4, as `### Step N: Title`, `### ⚠️ STEP N: Title (REQUIRED)`
//! or `#### **Step N: Title**`. The workflow section is the heading naming a
//! workflow ("workflow", "mandatory steps") whose section holds the most step
//! headings; step headings anywhere else form stray step lists (the damage a
//! bulk edit leaves when it pastes a second list above the workflow).

use std::sync::OnceLock;

use super::letters::{Letters, Word, CHECKLIST};
use crate::syntax::markdown::{Heading, MdDoc};
use crate::text::TextRange;

/// How a step heading is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepStyle {
    /// `### Step N: Title`
    Plain,
    /// `### ⚠️ STEP N: Title (REQUIRED)`
    Warning,
    /// `#### **Step N: Title**`
    Bold,
}

/// How a step gives its instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyStyle {
    /// `**YOU MUST:**` + numbered list + `**DO NOT PROCEED ...**` gate.
    YouMust,
    /// `**Purpose**:` / `**Actions**:` + numbered list / `**Validation**:`.
    Actions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instructions {
    pub style: BodyStyle,
    /// The `**YOU MUST:**` / `**Actions**:` line.
    pub intro: TextRange,
    /// The numbered list that follows, index into `MdDoc::lists`.
    pub list: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The number in the heading; 0 when the heading writes a placeholder
    /// instead of a number (`Step N-1`).
    pub number: u32,
    /// The digits of the number in the heading (or the placeholder).
    pub number_range: TextRange,
    pub title: String,
    /// Index into `MdDoc::headings`.
    pub heading: usize,
    pub style: StepStyle,
    /// From the end of the heading line to the next heading of the same or
    /// higher level (and never past the end of the section holding the step).
    pub body: TextRange,
    pub instructions: Option<Instructions>,
    /// A `**DO NOT ...**` gate line.
    pub gate: Option<TextRange>,
    /// The first top-level numbered list of the body (index into
    /// `MdDoc::lists`), with or without an introducing line.
    pub numbered_list: Option<usize>,
}

impl Step {
    /// The whole step: its heading line and its body.
    pub fn range(&self, md: &MdDoc) -> TextRange {
        md.headings[self.heading].range.cover(self.body)
    }

    /// Whether the step writes memory: it calls `memoryStore.update` (or
    /// another write), or its title says it updates memory.
    pub fn writes_memory(&self, text: &str) -> bool {
        let title = self.title.to_lowercase();
        let body = text.get(self.body.start..self.body.end).unwrap_or("");
        (title.contains("memory") && !title.contains("load") && !title.contains("check"))
            || [
                "memoryStore.update",
                "memoryStore.append",
                "memoryStore.write",
                "memoryStore.save",
            ]
            .iter()
            .any(|c| body.contains(c))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// Index of the workflow heading into `MdDoc::headings`.
    pub heading: usize,
    /// The whole section.
    pub range: TextRange,
    pub steps: Vec<Step>,
}

impl Workflow {
    /// The step whose heading or body holds `offset`.
    pub fn step_at(&self, md: &MdDoc, offset: usize) -> Option<&Step> {
        self.steps.iter().find(|s| s.range(md).touches(offset))
    }

    /// The last step by position (the one that writes memory in a canonical workflow).
    pub fn last_step(&self) -> Option<&Step> {
        self.steps.last()
    }
}

/// A run of step headings outside the workflow section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepList {
    /// From the first step heading to the end of the last step's body.
    pub range: TextRange,
    pub steps: Vec<Step>,
}

/// What a step heading says, before its body is read. The title is a
/// slice of the text: only the steps built from it own a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepHeading<'t> {
    pub number: u32,
    pub number_range: TextRange,
    pub title: &'t str,
    pub style: StepStyle,
}

/// Reads `Step N: Title` in any of the three styles from a heading, or `None`
/// when the heading is not a step heading.
pub(crate) fn parse_step_heading<'t>(text: &'t str, h: &Heading) -> Option<StepHeading<'t>> {
    let content = h.content_range;
    let raw = text.get(content.start..content.end)?;
    // A short prefix of symbols may stand before the word: `⚠️ `, `**`, a
    // replacement character where an emoji was mangled.
    let word_at = raw.char_indices().find(|(_, c)| c.is_alphanumeric()).map(|(i, _)| i)?;
    let prefix = &raw[..word_at];
    if prefix.chars().count() > 6 {
        return None;
    }
    let rest = &raw[word_at..];
    let word = rest.get(..4)?;
    if !word.eq_ignore_ascii_case("step") {
        return None;
    }
    let after_word = &rest[4..];
    let spaces = after_word.len() - after_word.trim_start_matches([' ', '\t']).len();
    if spaces == 0 {
        return None; // `Step-by-step`, `Steps`
    }
    let num_start = word_at + 4 + spaces;
    let tail = &raw[num_start..];
    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
    let (number, num_len) = if digits > 0 {
        (tail[..digits].parse::<u32>().unwrap_or(u32::MAX), digits)
    } else {
        (0, placeholder_number_len(tail)?)
    };
    let after_num = &tail[num_len..];
    // What follows the number must end it: a separator, markup or the end.
    if !(after_num.is_empty() || after_num.starts_with([':', '.', ' ', '*', '_', '-', '—', '–', ')'])) {
        return None;
    }
    if after_num.starts_with('.') && after_num[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None; // `Step 4.1` is a sub-step
    }
    let title = clean_title(after_num);
    let style = if holds_pair(prefix, b'*') || holds_pair(prefix, b'_') {
        StepStyle::Bold
    } else if word == "STEP" || !prefix.trim().is_empty() {
        StepStyle::Warning
    } else {
        StepStyle::Plain
    };
    let start = content.start + num_start;
    Some(StepHeading {
        number,
        number_range: TextRange::new(start, start + num_len),
        title,
        style,
    })
}

/// Whether `text` holds `b` twice in a row (`**`): a look at each byte,
/// where `str::contains` set up a substring search for the few bytes
/// before a step heading's word.
fn holds_pair(text: &str, b: u8) -> bool {
    text.as_bytes().windows(2).any(|w| w == [b, b])
}

/// The length of a placeholder written where the number belongs
/// (`N`, `N-1`, `X`, `{n}`), when it is followed by a colon.
fn placeholder_number_len(tail: &str) -> Option<usize> {
    let len = if tail.starts_with('{') {
        tail.find('}')? + 1
    } else {
        let mut chars = tail.char_indices();
        let (_, first) = chars.next()?;
        if !matches!(first, 'N' | 'X' | 'n' | 'x') {
            return None;
        }
        tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-'))
            .unwrap_or(tail.len())
    };
    let token = &tail[..len];
    let after = &tail[len..];
    let offset_ok = token.len() == 1 || token.starts_with('{') || matches!(token.as_bytes().get(1), Some(b'+' | b'-'));
    (offset_ok && after.trim_start_matches('*').starts_with(':')).then_some(len)
}

/// The title after the number: without separators, closing markup and
/// `(REQUIRED)`. A slice of `after_num`, nothing copied.
fn clean_title(after_num: &str) -> &str {
    let mut t = after_num.trim_start_matches(['*', '_']).trim_start();
    t = t.trim_start_matches([':', '.', '-', '—', '–', ')']).trim();
    let mut t = t.trim_end_matches(['*', '_']).trim_end();
    // Most titles end with no `)`: none of the suffixes is compared.
    if t.ends_with(')') {
        for suffix in ["(REQUIRED)", "(required)", "(Required)"] {
            if let Some(s) = t.strip_suffix(suffix) {
                t = s.trim_end();
            }
        }
    }
    t.trim_end_matches(['*', '_']).trim()
}

/// Whether a heading, whose [`Letters`] are `letters`, names a workflow section.
fn is_workflow_heading(h: &Heading, letters: Letters) -> bool {
    const WORKFLOW: Word<'static> = Word::new("workflow");
    const MANDATORY_STEPS: Word<'static> = Word::new("mandatory steps");
    h.level >= 2 && (WORKFLOW.in_text(&h.text, letters) || MANDATORY_STEPS.in_text(&h.text, letters))
}

/// Finds the workflow section, its steps and any stray step lists;
/// `letters` are the headings' ([`super::letters::of_headings`]).
pub(crate) fn extract(text: &str, md: &MdDoc, letters: &[Letters]) -> (Option<Workflow>, Vec<StepList>) {
    let parsed: Vec<Option<StepHeading>> = md.headings.iter().map(|h| parse_step_heading(text, h)).collect();
    let workflow = pick_workflow(text, md, &parsed, letters);
    let in_workflow = |i: usize| workflow.is_some_and(|(w, r)| i > w && md.headings[i].range.start < r.end);
    // Read only for step headings: most documents have none outside the workflow.
    let lists = if parsed.iter().any(Option::is_some) {
        numbered_lists(md)
    } else {
        Vec::new()
    };
    let mut steps = Vec::with_capacity(
        parsed
            .iter()
            .enumerate()
            .filter(|&(i, p)| p.is_some() && in_workflow(i))
            .count(),
    );
    let mut stray: Vec<StepList> = Vec::new();
    let mut run: Vec<Step> = Vec::new();
    for (i, sh) in parsed.iter().enumerate() {
        let Some(sh) = sh else {
            // A heading that is no step and not inside the previous step ends a run.
            if let Some(last) = run.last() {
                if md.headings[i].level <= md.headings[last.heading].level {
                    flush_run(md, &mut run, &mut stray);
                }
            }
            continue;
        };
        if in_workflow(i) {
            flush_run(md, &mut run, &mut stray);
            let limit = workflow.map_or(text.len(), |(_, r)| r.end);
            steps.push(build_step(text, md, &lists, i, sh, limit));
        } else {
            let limit = enclosing_end(md, i, text.len());
            run.push(build_step(text, md, &lists, i, sh, limit));
        }
    }
    flush_run(md, &mut run, &mut stray);
    let workflow = workflow.map(|(heading, range)| Workflow { heading, range, steps });
    (workflow, stray)
}

/// The end of the section that holds heading `i` (the parent heading's section).
fn enclosing_end(md: &MdDoc, i: usize, text_len: usize) -> usize {
    let level = md.headings[i].level;
    md.headings[..i]
        .iter()
        .rposition(|h| h.level < level)
        .map_or(text_len, |p| md.section(p, text_len).end)
}

fn flush_run(md: &MdDoc, run: &mut Vec<Step>, out: &mut Vec<StepList>) {
    if run.is_empty() {
        return;
    }
    let steps = std::mem::take(run);
    let start = md.headings[steps[0].heading].range.start;
    let end = steps.last().map_or(start, |s| s.body.end);
    out.push(StepList {
        range: TextRange::new(start, end),
        steps,
    });
}

/// The workflow heading and its section: among the headings naming a
/// workflow, the one whose section holds the most steps; on a tie the higher
/// level (an H2 over an H3 inside it), then the first. With no steps anywhere,
/// the first H2 naming a workflow outside a checklist.
fn pick_workflow(
    text: &str,
    md: &MdDoc,
    parsed: &[Option<StepHeading>],
    letters: &[Letters],
) -> Option<(usize, TextRange)> {
    let mut best: Option<(usize, TextRange, usize)> = None;
    for (i, h) in md.headings.iter().enumerate() {
        // A step heading is never the workflow's: passed over before its
        // text is searched.
        if parsed[i].is_some() || !is_workflow_heading(h, letters[i]) {
            continue;
        }
        let range = md.section(i, text.len());
        let count = md.headings[i + 1..]
            .iter()
            .zip(&parsed[i + 1..])
            .take_while(|(n, _)| n.range.start < range.end)
            .filter(|(_, p)| p.is_some())
            .count();
        let better = match best {
            None => true,
            Some((b, _, bc)) => count > bc || (count == bc && h.level < md.headings[b].level),
        };
        if better {
            best = Some((i, range, count));
        }
    }
    match best {
        Some((i, range, count)) if count > 0 => Some((i, range)),
        _ => md
            .headings
            .iter()
            .enumerate()
            .find(|(i, h)| {
                h.level == 2
                    && parsed[*i].is_none()
                    && is_workflow_heading(h, letters[*i])
                    && !CHECKLIST.in_text(&h.text, letters[*i])
            })
            .map(|(i, _)| (i, md.section(i, text.len()))),
    }
}

/// The top-level numbered lists, as indices into `MdDoc::lists` in their
/// order: the only lists a step's instructions can be. Found once for all
/// the steps, each of which looks for its own among them.
fn numbered_lists(md: &MdDoc) -> Vec<usize> {
    md.lists
        .iter()
        .enumerate()
        .filter(|(_, l)| l.depth == 0 && l.ordered.is_some())
        .map(|(i, _)| i)
        .collect()
}

/// `lists` ([`numbered_lists`] of `md`) are the numbered lists.
fn build_step(text: &str, md: &MdDoc, lists: &[usize], i: usize, sh: &StepHeading, limit: usize) -> Step {
    let h = &md.headings[i];
    let section_end = md.section(i, text.len()).end.min(limit).max(h.range.end);
    let body = TextRange::new(h.range.end, section_end);
    let numbered_list = lists.iter().copied().find(|&l| {
        let start = md.lists[l].range.start;
        body.contains(start) && !in_nested_heading(md, i, start)
    });
    Step {
        number: sh.number,
        number_range: sh.number_range,
        title: sh.title.to_string(),
        heading: i,
        style: sh.style,
        body,
        instructions: find_instructions(text, md, lists, body),
        gate: find_gate(text, body),
        numbered_list,
    }
}

/// True when `offset` sits under a deeper heading inside step `i`'s body:
/// `md.heading_before(offset)` is another heading than `i`. For an offset
/// at or after heading `i`'s start, that is when the next heading starts
/// at or before it (the headings are in text order): one look, where
/// `heading_before` went back over the headings for each list of the text.
fn in_nested_heading(md: &MdDoc, i: usize, offset: usize) -> bool {
    debug_assert!(md.headings[i].range.start <= offset);
    md.headings.get(i + 1).is_some_and(|n| n.range.start <= offset)
}

/// The whole line of `slice` holding byte `at`, with its terminator.
fn line_around(slice: &[u8], at: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &slice[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &slice[at..]).map_or(slice.len(), |i| at + i + 1);
    (start, end)
}

/// Whether the first character of `line` that is not white space is an
/// ASCII one other than `*`: such a line, trimmed, cannot start with `**`.
fn cannot_open_bold(line: &str) -> bool {
    match line
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c'))
    {
        Some(b) => b.is_ascii() && b != b'*',
        None => true,
    }
}

/// `**YOU MUST:**` or `**Actions**:` and the numbered list after it. Only
/// the lines holding a `*` can start with `**`: they are found with
/// `memchr`, each read once.
fn find_instructions(text: &str, md: &MdDoc, lists: &[usize], body: TextRange) -> Option<Instructions> {
    let slice = text.get(body.start..body.end).unwrap_or("");
    let bytes = slice.as_bytes();
    let mut from = 0;
    let (intro, style) = loop {
        let at = from + memchr::memchr(b'*', &bytes[from..])?;
        let (start, end) = line_around(bytes, at);
        let line = slice[start..end].trim_end_matches(['\n', '\r']);
        let r = TextRange::new(body.start + start, body.start + start + line.len());
        if let Some(found) = instructions_line(md, r, line) {
            break found;
        }
        from = end;
    };
    Some(Instructions {
        style,
        intro,
        list: list_after_intro(text, md, lists, intro, body),
    })
}

/// The instructions line `line` (at `r`) opens, trimmed, and its style.
fn instructions_line(md: &MdDoc, r: TextRange, line: &str) -> Option<(TextRange, BodyStyle)> {
    // Most lines start with something else: they are passed over before
    // anything is trimmed or looked up.
    if cannot_open_bold(line) || md.in_code_block(r.start) {
        return None;
    }
    let t = line.trim();
    let lead = line.len() - line.trim_start().len();
    let r = TextRange::new(r.start + lead, r.start + lead + t.len());
    let key = t.trim_start_matches(['*', '_']).as_bytes();
    let opens = |word: &str| {
        key.get(..word.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(word.as_bytes()))
    };
    if t.starts_with("**") && opens("you must") {
        Some((r, BodyStyle::YouMust))
    } else if t.starts_with("**") && opens("actions") {
        Some((r, BodyStyle::Actions))
    } else {
        None
    }
}

/// The numbered list that follows an instructions line `intro` in a step's
/// `body`, with at most one line of text between them; `lists` are the
/// numbered lists ([`numbered_lists`]).
fn list_after_intro(text: &str, md: &MdDoc, lists: &[usize], intro: TextRange, body: TextRange) -> Option<usize> {
    lists
        .iter()
        .copied()
        .find(|&i| {
            let start = md.lists[i].range.start;
            start >= intro.end && start < body.end
        })
        .filter(|&i| {
            // The list must follow the intro, not sit after another paragraph or heading.
            let between = text.get(intro.end..md.lists[i].range.start).unwrap_or("");
            md.heading_before(md.lists[i].range.start) == md.heading_before(intro.start)
                && between.lines().filter(|l| !l.trim().is_empty()).count() <= 1
        })
}

/// A bold gate line: `**DO NOT PROCEED ...**`, or one that says `DO NOT`
/// further on (`**MEMORY UPDATE IS MANDATORY - DO NOT SKIP**`). Only the
/// lines that hold `DO NOT` are read, found by one search.
fn find_gate(text: &str, body: TextRange) -> Option<TextRange> {
    let slice = text.get(body.start..body.end).unwrap_or("");
    let bytes = slice.as_bytes();
    // One searcher for every step of every parse.
    static DO_NOT: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let do_not = DO_NOT.get_or_init(|| memchr::memmem::Finder::new("DO NOT"));
    let mut from = 0;
    while let Some(i) = do_not.find(&bytes[from..]) {
        let (start, end) = line_around(bytes, from + i);
        let line = slice[start..end].trim_end_matches(['\n', '\r']);
        if let Some(gate) = gate_line(
            TextRange::new(body.start + start, body.start + start + line.len()),
            line,
        ) {
            return Some(gate);
        }
        from = end;
    }
    None
}

/// The gate on `line` (at `r`, which holds `DO NOT`), trimmed, when it is one.
fn gate_line(r: TextRange, line: &str) -> Option<TextRange> {
    let t = line.trim();
    let lead = line.len() - line.trim_start().len();
    let inner = t.trim_start_matches(['⚠', '\u{fe0f}', ' ']);
    (inner.starts_with("**") && inner.contains("DO NOT"))
        .then(|| TextRange::new(r.start + lead, r.start + lead + t.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::markdown;
    use proptest::prelude::*;
    use proptest::test_runner::{Config as ProptestConfig, TestCaseError};

    fn doc(text: &str) -> (Option<Workflow>, Vec<StepList>, MdDoc) {
        let md = markdown::parse(text, 0);
        let (w, s) = extract(text, &md, &crate::model::letters::of_headings(&md));
        (w, s, md)
    }

    fn slice(text: &str, r: TextRange) -> &str {
        &text[r.start..r.end]
    }

    #[test]
    fn reads_the_three_heading_styles() {
        let text = "## Mandatory Workflow\n\n### Step 1: Scope\n\n### ⚠️ STEP 2: Load Memory (REQUIRED)\n\n#### **Step 3: Load Context**\n";
        let (w, stray, _) = doc(text);
        let w = w.unwrap();
        assert!(stray.is_empty());
        let got: Vec<_> = w.steps.iter().map(|s| (s.number, s.title.as_str(), s.style)).collect();
        assert_eq!(
            got,
            [
                (1, "Scope", StepStyle::Plain),
                (2, "Load Memory", StepStyle::Warning),
                (3, "Load Context", StepStyle::Bold)
            ]
        );
        assert_eq!(slice(text, w.steps[1].number_range), "2");
    }

    #[test]
    fn not_steps() {
        let text = "### Step-by-step guide\n### Steps\n### Step Functions: AWS\n### 1. Index\n### Step 4.1: sub\n";
        let md = markdown::parse(text, 0);
        assert!(md.headings.iter().all(|h| parse_step_heading(text, h).is_none()));
    }

    #[test]
    fn placeholder_numbers_read_as_zero() {
        let text = "### Step N-1: Generate Output\n";
        let md = markdown::parse(text, 0);
        let sh = parse_step_heading(text, &md.headings[0]).unwrap();
        assert_eq!((sh.number, slice(text, sh.number_range)), (0, "N-1"));
    }

    #[test]
    fn bodies_instructions_and_gates() {
        let text = "## MANDATORY WORKFLOW (MUST FOLLOW EXACTLY)\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n**YOU MUST:**\n1. Ask\n2. Plan\n\n**DO NOT PROCEED WITHOUT A PLAN**\n\n### Step 2: Load\n\n**Purpose**: x\n\n**Actions**:\n1. Load\n\n**Validation**:\n- [ ] ok\n\n## Compliance Checklist\n- [ ] Step 1\n";
        let (w, _, md) = doc(text);
        let w = w.unwrap();
        let s1 = &w.steps[0];
        let ins = s1.instructions.as_ref().unwrap();
        assert_eq!(
            (ins.style, slice(text, ins.intro)),
            (BodyStyle::YouMust, "**YOU MUST:**")
        );
        assert_eq!(ins.list, s1.numbered_list);
        assert!(ins.list.is_some());
        assert_eq!(slice(text, s1.gate.unwrap()), "**DO NOT PROCEED WITHOUT A PLAN**");
        let s2 = &w.steps[1];
        assert_eq!(s2.instructions.as_ref().unwrap().style, BodyStyle::Actions);
        assert!(s2.gate.is_none());
        assert!(slice(text, s2.body).ends_with("- [ ] ok\n\n"));
        assert_eq!(md.headings[w.heading].text, "MANDATORY WORKFLOW (MUST FOLLOW EXACTLY)");
    }

    #[test]
    fn the_section_holding_the_steps_wins_and_pasted_lists_are_stray() {
        let text = "# T\n\n## Files\n\n### Step 1: Initial Analysis\n\nGather.\n\n### Step 2: Load Memory\n\nLoad.\n\n## Interface References\n\n## MANDATORY WORKFLOW\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n\n### ⚠️ STEP 2: Load (REQUIRED)\n\n## Compliance Checklist\n\n### Workflow Compliance\n- [ ] Step 1\n";
        let (w, stray, md) = doc(text);
        let w = w.unwrap();
        assert_eq!(md.headings[w.heading].text, "MANDATORY WORKFLOW");
        assert_eq!(w.steps.len(), 2);
        assert_eq!(stray.len(), 1);
        assert_eq!(
            slice(text, stray[0].range),
            "### Step 1: Initial Analysis\n\nGather.\n\n### Step 2: Load Memory\n\nLoad.\n\n"
        );
    }

    /// [`find_instructions`] as first written: every line trimmed and
    /// lower-cased. The oracle of the one that passes lines over.
    fn instructions_by_every_line(text: &str, md: &MdDoc, body: TextRange) -> Option<Instructions> {
        let (intro, style) = lines_by_split(text, body).find_map(|(r, line)| {
            if md.in_code_block(r.start) {
                return None;
            }
            let t = line.trim();
            let lead = line.len() - line.trim_start().len();
            let r = TextRange::new(r.start + lead, r.start + lead + t.len());
            let key = t.trim_start_matches(['*', '_']).to_ascii_lowercase();
            if t.starts_with("**") && key.starts_with("you must") {
                Some((r, BodyStyle::YouMust))
            } else if t.starts_with("**") && key.starts_with("actions") {
                Some((r, BodyStyle::Actions))
            } else {
                None
            }
        })?;
        Some(Instructions {
            style,
            intro,
            list: list_after_intro(text, md, &numbered_lists(md), intro, body),
        })
    }

    /// [`find_gate`] as first written: every line read.
    fn gate_by_every_line(text: &str, body: TextRange) -> Option<TextRange> {
        lines_by_split(text, body).find_map(|(r, line)| {
            let t = line.trim();
            let lead = line.len() - line.trim_start().len();
            let inner = t.trim_start_matches(['⚠', '\u{fe0f}', ' ']);
            (inner.starts_with("**") && inner.contains("DO NOT"))
                .then(|| TextRange::new(r.start + lead, r.start + lead + t.len()))
        })
    }

    /// A range's lines, each without its terminator, with their ranges.
    fn lines_by_split(text: &str, range: TextRange) -> impl Iterator<Item = (TextRange, &str)> {
        let slice = text.get(range.start..range.end).unwrap_or("");
        let mut at = range.start;
        slice.split_inclusive('\n').map(move |l| {
            let start = at;
            at += l.len();
            let trimmed = l.trim_end_matches(['\n', '\r']);
            (TextRange::new(start, start + trimmed.len()), trimmed)
        })
    }

    /// The step readers agree with their oracles on `text`: on each
    /// heading's body, and on ranges that start and end anywhere.
    fn same_as_every_line(text: &str) -> Result<(), TestCaseError> {
        let md = markdown::parse(text, 0);
        let mut ranges: Vec<TextRange> = (0..md.headings.len())
            .map(|i| TextRange::new(md.headings[i].range.end, md.section(i, text.len()).end))
            .collect();
        let cuts: Vec<usize> = (0..=4).map(|k| boundary(text, f64::from(k) / 4.0)).collect();
        for (a, &s) in cuts.iter().enumerate() {
            ranges.extend(cuts[a..].iter().map(|&e| TextRange::new(s, e)));
        }
        for r in ranges {
            prop_assert_eq!(
                find_instructions(text, &md, &numbered_lists(&md), r),
                instructions_by_every_line(text, &md, r)
            );
            prop_assert_eq!(find_gate(text, r), gate_by_every_line(text, r));
        }
        Ok(())
    }

    fn boundary(text: &str, f: f64) -> usize {
        let mut i = ((text.len() as f64) * f) as usize;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    #[test]
    fn steps_read_on_the_corpus_as_reading_every_line_reads_them() {
        let Some(corpus) = test_corpus::holding(&["forge", "agentskills"]) else {
            return;
        };
        let texts = test_corpus::markdown_files(&corpus);
        assert!(!texts.is_empty());
        for (path, text) in &texts {
            if let Err(e) = same_as_every_line(text) {
                panic!("{}: {e}", path.display());
            }
        }
    }

    proptest! {
        /// The one look at the next heading answers what `heading_before` answers.
        #[test]
        fn nested_heading_by_the_next_heading_is_the_heading_before(
            pieces in proptest::collection::vec(proptest::sample::select(&["# A\n", "## Step 1: X\n", "#### Sub\n", "text\n", "1. item\n", "\n", "```\n"][..]), 0..20),
        ) {
            let text = pieces.concat();
            let md = markdown::parse(&text, 0);
            for (i, h) in md.headings.iter().enumerate() {
                for offset in h.range.start..=text.len() {
                    prop_assert_eq!(
                        in_nested_heading(&md, i, offset),
                        md.heading_before(offset).is_some_and(|b| b != i)
                    );
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn steps_read_as_reading_every_line_reads_them(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("**YOU MUST:**"), Just("**You must**"), Just("__YOU MUST__"), Just("**Actions**:"),
                    Just("**ACTIONS"), Just("**DO NOT PROCEED**"), Just("DO NOT"), Just("DO NO"), Just("**"),
                    Just("*"), Just("_"), Just("⚠️ "), Just("⚠"), Just("\u{fe0f}"), Just("\u{a0}"),
                    Just("\u{85}"), Just("\u{2003}"), Just(" "), Just("\t"), Just("\x0b"), Just("\x0c"),
                    Just("\n"), Just("\r\n"), Just("\r"), Just("```\n"), Just("1. a\n"), Just("2. b\n"),
                    Just("- c\n"), Just("### Step 1: A\n"), Just("## Workflow\n"), Just("x"), Just("é"),
                ],
                0..40,
            ),
        ) {
            same_as_every_line(&parts.concat())?;
        }
    }

    #[test]
    fn an_h2_holding_an_h3_with_the_same_steps_wins() {
        let text = "## Mandatory Workflow\n\n### MANDATORY STEPS (Must Execute in Order)\n\n#### **Step 1: A**\n\n#### **Step 2: B**\n\n### Step 100: Generate Output\n\nx\n\n## Best Practices\n";
        let (w, stray, md) = doc(text);
        let w = w.unwrap();
        assert_eq!(md.headings[w.heading].text, "Mandatory Workflow");
        assert_eq!(w.steps.iter().map(|s| s.number).collect::<Vec<_>>(), [1, 2, 100]);
        assert!(stray.is_empty());
    }
}
