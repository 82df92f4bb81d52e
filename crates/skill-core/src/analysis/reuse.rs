//! What the block rules ([`BLOCK_RULES`](crate::rules::BLOCK_RULES)) found in the blocks an edit did
//! not touch, taken from the check before the edit instead of found again:
//! on a large skill these rules read the whole text, and a keystroke changes
//! one block.
//!
//! A block of the new text is *untouched* when the old text had a block of
//! the same text at the same place before the edit, or at the place moved
//! by the edit's change of length after it, and it neither starts the text
//! nor started it before (see [`at_file_start`]). The parse of such a block
//! is the same ([`SkillDoc::update`] keeps or moves it, and equals a full
//! parse), and a block rule's findings in a block depend on nothing else,
//! so they are the old ones moved. `tests/fuzz.rs` holds a check that reuses them
//! to a full check over random edits.

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Fix;
use crate::model::SkillDoc;
use crate::rules::{Block, BlockRule, RuleCtx, Sink};
use crate::text::{Change, TextRange};

/// What the block rules found in one check of a document, kept by the
/// caller beside that check's parse and handed to the next check of the
/// edited text ([`super::check_reusing`]). Plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockFindings {
    rules: Vec<RuleFindings>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct RuleFindings {
    code: &'static str,
    /// The severity the rule ran at: findings carry it.
    severity: Severity,
    /// In block order, each starting in its block.
    found: Vec<Diagnostic>,
}

impl BlockFindings {
    pub(super) fn record(&mut self, code: &'static str, severity: Severity, found: &[Diagnostic]) {
        self.rules.push(RuleFindings {
            code,
            severity,
            found: found.to_vec(),
        });
    }

    fn of(&self, code: &str, severity: Severity) -> Option<&[Diagnostic]> {
        self.rules
            .iter()
            .find(|r| r.code == code && r.severity == severity)
            .map(|r| r.found.as_slice())
    }
}

/// The blocks of the checked text ([`RuleCtx::blocks`], in order) in runs:
/// a run of blocks the edit touched, to be read, or a run of untouched
/// blocks, whose findings are those the previous check found in one range
/// of the previous text, moved. A keystroke makes three runs or so however
/// many blocks the text has, so a rule's reused findings are copied with
/// two binary searches per run, not two per block.
pub(super) struct Plan<'a> {
    runs: Vec<Run>,
    previous: &'a BlockFindings,
}

/// Consecutive blocks of the checked text, `blocks` indices into
/// [`RuleCtx::blocks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    blocks: (usize, usize),
    /// For untouched blocks: where they were in the previous text.
    moved: Option<Moved>,
}

/// Untouched blocks: their range in the previous text, and how far they moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Moved {
    old: TextRange,
    delta: isize,
}

impl<'a> Plan<'a> {
    /// `None` when nothing can be reused: a text with lone `\r`s (parsed
    /// with `\n`s in their place), or one defining link references (a
    /// definition gives links in other blocks their titles).
    pub(super) fn new(old: &SkillDoc, previous: &'a BlockFindings, ctx: &RuleCtx) -> Option<Plan<'a>> {
        let doc = ctx.doc;
        if old.bare_cr || doc.bare_cr || old.md.defines_links || doc.md.defines_links {
            return None;
        }
        let len = doc.text.len();
        let change = Change::between(&old.text, &doc.text).unwrap_or(Change {
            start: len,
            old_end: len,
            new_end: len,
        });
        Some(Plan {
            runs: runs(&doc.blocks, &old.blocks, change),
            previous,
        })
    }
}

/// The runs of `blocks` (a text's blocks) against `old_blocks` (the blocks
/// of the text before `change`). A block is untouched when the old text had
/// a block of the same text at the same place before the edit, or at the
/// place moved by the edit's change of length after it.
///
/// Usually the blocks before the edit are the old ones and those after it
/// the old ones moved: two comparisons of whole lists say so, and make
/// three runs. Otherwise one walk over both lists answers block by block.
fn runs(blocks: &[TextRange], old_blocks: &[TextRange], change: Change) -> Vec<Run> {
    let delta = change.delta();
    let before = blocks.partition_point(|b| b.end <= change.start);
    // An empty text's one block is empty, and may be both before and after the edit.
    let after = blocks.partition_point(|b| b.start < change.new_end).max(before);
    let old_after = old_blocks.partition_point(|b| b.start < change.old_end);
    let moved_after = blocks.len() - after == old_blocks.len() - old_after
        && (delta == 0 || blocks.get(after).is_none_or(|b| !at_file_start(b.start, delta)))
        && blocks[after..]
            .iter()
            .zip(&old_blocks[old_after..])
            .all(|(b, o)| b.start == shift(o.start, delta) && b.end == shift(o.end, delta));
    if old_blocks.get(..before) == Some(&blocks[..before]) && moved_after {
        let whole = |from: &[TextRange]| TextRange::new(from[0].start, from[from.len() - 1].end);
        let mut runs = Vec::with_capacity(3);
        if before > 0 {
            let old = whole(&blocks[..before]);
            runs.push(Run {
                blocks: (0, before),
                moved: Some(Moved { old, delta: 0 }),
            });
        }
        if after > before {
            runs.push(Run {
                blocks: (before, after),
                moved: None,
            });
        }
        if blocks.len() > after {
            let old = whole(&old_blocks[old_after..]);
            runs.push(Run {
                blocks: (after, blocks.len()),
                moved: Some(Moved { old, delta }),
            });
        }
        return runs;
    }
    walk(blocks, old_blocks, change)
}

/// Where a block of the new text stood before `change`, when it is
/// outside the change: in place before it, moved by the change of length
/// after it. (Whether the old text had a block there is the caller's
/// question.)
fn outside(b: TextRange, change: Change) -> Option<Moved> {
    let delta = change.delta();
    if b.end <= change.start {
        Some(Moved { old: b, delta: 0 })
    } else if b.start >= change.new_end {
        let old = TextRange::new(shift(b.start, -delta), shift(b.end, -delta));
        (old.start >= change.old_end && (delta == 0 || !at_file_start(b.start, delta))).then_some(Moved { old, delta })
    } else {
        None
    }
}

/// Whether a block now at `start`, moved there by `delta`, starts the file
/// now or started it before. Such a block's findings are not the old ones
/// moved: a U+FEFF is a byte order mark at the start of a file and a hidden
/// character anywhere else (SK601).
fn at_file_start(start: usize, delta: isize) -> bool {
    start == 0 || shift(start, -delta) == 0
}

/// [`runs`] found block by block: both lists are in text order, so one
/// walk over the two answers every block.
fn walk(blocks: &[TextRange], old_blocks: &[TextRange], change: Change) -> Vec<Run> {
    let mut old_blocks = old_blocks.iter().peekable();
    let mut runs: Vec<Run> = Vec::new();
    for (index, &b) in blocks.iter().enumerate() {
        let moved = outside(b, change).filter(|m| {
            while old_blocks.next_if(|o| o.start < m.old.start).is_some() {}
            old_blocks.peek() == Some(&&m.old)
        });
        match (runs.last_mut(), moved) {
            (Some(Run { blocks, moved: None }), None) => blocks.1 = index + 1,
            (
                Some(Run {
                    blocks,
                    moved: Some(last),
                }),
                Some(m),
            ) if last.delta == m.delta && last.old.end == m.old.start => {
                blocks.1 = index + 1;
                last.old.end = m.old.end;
            }
            _ => runs.push(Run {
                blocks: (index, index + 1),
                moved,
            }),
        }
    }
    runs
}

/// Runs a block rule: on every block, or, with a plan and the rule's
/// findings at this severity in the previous check, only on the blocks the
/// edit touched, the others' findings moved from there.
pub(super) fn run(ctx: &RuleCtx, rule: &BlockRule, severity: Severity, plan: Option<&Plan>, sink: &mut Sink) {
    let Some((plan, found)) = plan.and_then(|p| Some((p, p.previous.of(rule.code, severity)?))) else {
        return ctx.each_block(sink, rule.check_block);
    };
    let blocks = ctx.blocks();
    for run in &plan.runs {
        let Some(Moved { old, delta }) = run.moved else {
            let (from, to) = run.blocks;
            for (index, &range) in blocks.iter().enumerate().take(to).skip(from) {
                (rule.check_block)(ctx, Block { range, index }, sink);
            }
            continue;
        };
        let first = found.partition_point(|d| d.range.start < old.start);
        let last = found.partition_point(|d| d.range.start < old.end);
        for d in &found[first..last] {
            sink.push(moved_diagnostic(d, delta));
        }
    }
}

/// `d` with every offset in the document moved by `delta`.
fn moved_diagnostic(d: &Diagnostic, delta: isize) -> Diagnostic {
    let mut d = d.clone();
    if delta != 0 {
        d.range = moved_range(d.range, delta);
        if let Some(fix) = &mut d.fix {
            move_fix(fix, delta);
        }
        for r in d.related.iter_mut().filter(|r| r.path.is_none()) {
            r.range = moved_range(r.range, delta);
        }
    }
    d
}

fn move_fix(fix: &mut Fix, delta: isize) {
    for e in &mut fix.edits {
        e.range = moved_range(e.range, delta);
    }
    for alt in &mut fix.alternatives {
        move_fix(alt, delta);
    }
}

fn moved_range(r: TextRange, delta: isize) -> TextRange {
    TextRange::new(shift(r.start, delta), shift(r.end, delta))
}

fn shift(offset: usize, delta: isize) -> usize {
    offset.saturating_add_signed(delta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Blocks covering `0..len` that start at `cuts` (each below `len`).
    fn partition(mut cuts: Vec<usize>, len: usize) -> Vec<TextRange> {
        if len == 0 {
            return vec![TextRange::new(0, 0)];
        }
        cuts.push(0);
        cuts.retain(|&c| c < len);
        cuts.sort_unstable();
        cuts.dedup();
        let ends = cuts[1..].iter().copied().chain([len]);
        cuts.iter().zip(ends).map(|(&s, e)| TextRange::new(s, e)).collect()
    }

    /// Each block of `blocks` with where it was, one block at a time: a
    /// binary search of the old blocks per block, as the plan was first made.
    fn per_block(blocks: &[TextRange], old_blocks: &[TextRange], change: Change) -> Vec<Option<Moved>> {
        let was_block = |r: TextRange| {
            old_blocks
                .binary_search_by_key(&r.start, |b| b.start)
                .is_ok_and(|i| old_blocks[i] == r)
        };
        blocks
            .iter()
            .map(|&b| outside(b, change).filter(|m| was_block(m.old)))
            .collect()
    }

    /// Whether `runs` cover the blocks in order and say of each what
    /// `expected` says, a run of untouched blocks covering exactly their old
    /// ranges.
    fn say_the_same(runs: &[Run], expected: &[Option<Moved>]) -> bool {
        let mut next = 0;
        for run in runs {
            let (from, to) = run.blocks;
            if from != next || to <= from {
                return false;
            }
            next = to;
            let each = &expected[from..to];
            let agrees = match run.moved {
                None => each.iter().all(Option::is_none),
                Some(m) => {
                    each.iter().all(|e| e.is_some_and(|e| e.delta == m.delta))
                        && each[0].is_some_and(|e| e.old.start == m.old.start)
                        && each[each.len() - 1].is_some_and(|e| e.old.end == m.old.end)
                        && each
                            .windows(2)
                            .all(|w| w[0].map(|e| e.old.end) == w[1].map(|e| e.old.start))
                }
            };
            if !agrees {
                return false;
            }
        }
        next == expected.len()
    }

    /// A one-byte text emptied: the new text's one block is empty, and both
    /// before and after the edit. The input the property test below once
    /// shrank to, kept here rather than in a regression file.
    #[test]
    fn an_emptied_text_says_what_each_block_says() {
        let change = Change {
            start: 0,
            old_end: 1,
            new_end: 0,
        };
        let (blocks, old_blocks) = (partition(vec![], 0), partition(vec![], 1));
        let expected = per_block(&blocks, &old_blocks, change);
        assert!(say_the_same(&runs(&blocks, &old_blocks, change), &expected));
        assert!(say_the_same(&walk(&blocks, &old_blocks, change), &expected));
    }

    proptest! {
        // Failing inputs are kept as named tests (above), not in files.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        /// The runs say of every block what the block-by-block plan says, and
        /// a run of untouched blocks covers exactly their old ranges.
        #[test]
        fn runs_say_what_each_block_says(
            old_len in 0usize..400,
            old_cuts in proptest::collection::vec(0usize..400, 0..40),
            new_cuts in proptest::collection::vec(0usize..500, 0..40),
            edit in (0usize..400, 0usize..20, 0usize..20),
            keep_old in any::<bool>(),
        ) {
            let start = edit.0.min(old_len);
            let old_end = (start + edit.1).min(old_len);
            let new_len = old_len - (old_end - start) + edit.2;
            let change = Change { start, old_end, new_end: start + edit.2 };
            let old_blocks = partition(old_cuts, old_len);
            // Blocks of the new text: often the old ones kept and moved, as an edit does.
            let blocks = if keep_old {
                let delta = edit.2 as isize - (old_end - start) as isize;
                let mut cuts: Vec<usize> = old_blocks
                    .iter()
                    .filter(|b| b.start <= start || b.start >= old_end)
                    .map(|b| if b.start >= old_end { shift(b.start, delta) } else { b.start })
                    .collect();
                cuts.extend(new_cuts.iter().filter(|&&c| c >= start && c < start + edit.2));
                partition(cuts, new_len)
            } else {
                partition(new_cuts, new_len)
            };
            let expected = per_block(&blocks, &old_blocks, change);
            prop_assert!(say_the_same(&runs(&blocks, &old_blocks, change), &expected));
            prop_assert!(say_the_same(&walk(&blocks, &old_blocks, change), &expected));
        }
    }
}
