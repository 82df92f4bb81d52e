//! Where a skill says how many steps its workflow has: "the 6-step workflow",
//! "8-step mandatory workflow", "Execute ALL 6 steps", a heading such as
//! `### Mandatory Workflow (8 Steps)`. The skill's own word on its length
//! counts for more than the project default: SK102 and SK104 measure against
//! it, and SK124 checks that the workflow keeps it.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use crate::model::SkillDoc;
use crate::text::TextRange;

/// A stated step count and where the number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Promise {
    pub count: u32,
    pub range: TextRange,
}

const WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

/// Every statement of the workflow's step count in prose and headings,
/// outside code and outside the Version History (which tells of earlier
/// versions, not this one).
///
/// Nine rules ask for it on every check, and finding the statements scans
/// the whole body, so the answer for the last document seen on this thread
/// is kept (see [`TextMemo`]).
pub(crate) fn promises(doc: &SkillDoc) -> Vec<Promise> {
    thread_local! {
        static LAST: RefCell<TextMemo<Vec<Promise>>> = const { RefCell::new(TextMemo::new()) };
    }
    LAST.with(|memo| memo.borrow_mut().get_or(&doc.text, || scan(doc)))
}

/// A value derived from one text, remembered until asked about another.
///
/// The text is recognised by its allocation: the memo holds a [`Weak`] to
/// it, which keeps the allocation (not a copy) from being freed and reused,
/// so a live `Arc` at the same address is the same, immutable, text. Holds
/// at most one text's allocation per thread.
pub(crate) struct TextMemo<T> {
    text: Option<Weak<str>>,
    value: Option<T>,
}

impl<T: Clone> TextMemo<T> {
    pub(crate) const fn new() -> TextMemo<T> {
        TextMemo {
            text: None,
            value: None,
        }
    }

    /// The value for `text`, computed by `derive` unless it is the text of the last call.
    /// `derive` must depend on nothing but the text.
    pub(crate) fn get_or(&mut self, text: &Arc<str>, derive: impl FnOnce() -> T) -> T {
        let same = self
            .text
            .as_ref()
            .is_some_and(|w| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(text)));
        match &self.value {
            Some(value) if same => value.clone(),
            _ => {
                let value = derive();
                self.text = Some(Arc::downgrade(text));
                self.value = Some(value.clone());
                value
            }
        }
    }
}

/// [`promises`], found afresh.
fn scan(doc: &SkillDoc) -> Vec<Promise> {
    let text = &doc.text;
    let start = doc.md.body_start.min(text.len());
    let lower = text[start..].to_ascii_lowercase();
    let history = doc.history.as_ref().map(|h| doc.md.section(h.heading, text.len()));
    let in_code = |at: usize| doc.md.in_code(at);
    let mut out = Vec::new();
    // One vectorised search over the whole body (`at` is relative to
    // `start`); `str::match_indices` walked it byte by byte.
    for at in memchr::memmem::find_iter(lower.as_bytes(), b"step") {
        let Some((count, num_start)) = number_before(&lower, at) else {
            continue;
        };
        let abs = start + num_start;
        if in_code(abs) || history.is_some_and(|h| h.contains(abs)) {
            continue;
        }
        let after = &lower[at + 4..];
        let hyphenated = lower[..at].ends_with('-');
        let promise = if hyphenated {
            // "6-step workflow", "8-step mandatory workflow": the noun follows closely.
            let window: String = after.chars().take(30).collect();
            after.starts_with([' ', '*']) && window.contains("workflow")
        } else {
            // "ALL 6 steps", "(8 Steps)", "the 6 mandatory steps".
            let before = lower[..num_start].trim_end();
            after.starts_with('s')
                && !after[1..].starts_with(|c: char| c.is_alphanumeric())
                && (before.ends_with("all")
                    || before.ends_with('(')
                    || before.ends_with("the")
                    || before.ends_with("these"))
        };
        if promise {
            let end = start + at + 4 + usize::from(after.starts_with('s') && !hyphenated);
            out.push(Promise {
                count,
                range: TextRange::new(abs, end),
            });
        }
    }
    out
}

/// The count written just before `step` at `at` (`6-`, `6 `, `six-`, `6 mandatory `),
/// with where it starts.
fn number_before(lower: &str, at: usize) -> Option<(u32, usize)> {
    let head = &lower[..at];
    let head = head.strip_suffix('-').or_else(|| head.strip_suffix(' '))?;
    let head = head.strip_suffix(" mandatory").unwrap_or(head).trim_end_matches(' ');
    let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let num_start = head.len() - digits;
        let ok = head[..num_start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '.');
        return ok.then(|| Some((head[num_start..].parse().ok()?, num_start))).flatten();
    }
    WORDS.iter().enumerate().find_map(|(i, w)| {
        let num_start = head.strip_suffix(w)?.len();
        let boundary = head[..num_start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        boundary.then_some((i as u32 + 1, num_start))
    })
}

/// The step count the skill states, when every statement agrees.
pub(crate) fn stated_count(doc: &SkillDoc) -> Option<u32> {
    let all = promises(doc);
    let first = all.first()?.count;
    all.iter().all(|p| p.count == first).then_some(first)
}

/// The count the workflow is measured against: the skill's own statement,
/// else the configured count.
pub(crate) fn expected_count(doc: &SkillDoc, config: &crate::config::Config) -> u32 {
    stated_count(doc).unwrap_or(config.step_count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(body: &str) -> Vec<(u32, String)> {
        let text = format!("---\nname: x\n---\n{body}");
        let doc = SkillDoc::parse(text.as_str(), None);
        promises(&doc)
            .iter()
            .map(|p| (p.count, text[p.range.start..p.range.end].to_string()))
            .collect()
    }

    #[test]
    fn finds_stated_counts() {
        assert_eq!(
            counts("The 6-step workflow outlined here.\n"),
            [(6, "6-step".to_string())]
        );
        assert_eq!(counts("an 8-step mandatory workflow\n"), [(8, "8-step".to_string())]);
        assert_eq!(
            counts("## Mandatory Workflow (7 Steps)\n"),
            [(7, "7 Steps".to_string())]
        );
        assert_eq!(counts("Execute ALL 6 steps in order.\n"), [(6, "6 steps".to_string())]);
        assert_eq!(
            counts("Follow the five-step workflow.\n"),
            [(5, "five-step".to_string())]
        );
    }

    #[test]
    fn remembered_answers_follow_the_text() {
        let six = SkillDoc::parse("---\nname: x\n---\nThe 6-step workflow.\n", None);
        let eight = SkillDoc::parse("---\nname: x\n---\nThe 8-step workflow.\n", None);
        for _ in 0..2 {
            assert_eq!(stated_count(&six), Some(6));
            assert_eq!(stated_count(&eight), Some(8));
        }
        // A text freed and another parsed in its place is never mistaken for it.
        for n in 1..50u32 {
            let doc = SkillDoc::parse(format!("---\nname: x\n---\nThe {n}-step workflow.\n"), None);
            assert_eq!(stated_count(&doc), Some(n));
            assert_eq!(stated_count(&doc.clone()), Some(n));
        }
    }

    #[test]
    fn ignores_other_mentions() {
        assert!(counts("Takes 3 steps to deploy. A 2-step verification.\n").is_empty());
        assert!(counts("`the 6-step workflow`\n").is_empty());
        assert!(counts("## Version History\n- v1.0.0 (2026-02-12): Mandatory 5-step workflow\n").is_empty());
    }
}
