//! What the block rules ([`BLOCK_RULES`]) found in the blocks an edit did
//! not touch, taken from the check before the edit instead of found again:
//! on a large skill these rules read the whole text, and a keystroke changes
//! one block.
//!
//! A block of the new text is *untouched* when the old text had a block of
//! the same text at the same place before the edit, or at the place moved
//! by the edit's change of length after it. The parse of such a block is the
//! same ([`SkillDoc::update`] keeps or moves it, and equals a full parse),
//! and a block rule's findings in a block depend on nothing else, so they
//! are the old ones moved. `tests/fuzz.rs` holds a check that reuses them
//! to a full check over random edits.

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Fix;
use crate::model::SkillDoc;
use crate::rules::{blocks, Block, BlockRule, RuleCtx, Sink, BLOCK_RULES};
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

/// The block rule of a rule code, if it is one.
pub(super) fn block_rule(code: &str) -> Option<&'static BlockRule> {
    BLOCK_RULES.iter().copied().find(|b| b.code == code)
}

/// The blocks of the checked text ([`RuleCtx::blocks`], in order), each with
/// where its findings were in the previous text when it is untouched.
pub(super) struct Plan<'a> {
    blocks: Vec<(TextRange, Option<Moved>)>,
    previous: &'a BlockFindings,
}

/// An untouched block: its range in the previous text, and how far it moved.
#[derive(Clone, Copy)]
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
        let delta = change.new_end as isize - change.old_end as isize;
        let old_blocks = blocks(old);
        let was_block = |r: TextRange| {
            old_blocks
                .binary_search_by_key(&r.start, |b| b.start)
                .is_ok_and(|i| old_blocks[i] == r)
        };
        let blocks = ctx
            .blocks()
            .iter()
            .map(|&b| {
                let moved = if b.end <= change.start {
                    Some(Moved { old: b, delta: 0 })
                } else if b.start >= change.new_end {
                    let old = TextRange::new(shift(b.start, -delta), shift(b.end, -delta));
                    (old.start >= change.old_end).then_some(Moved { old, delta })
                } else {
                    None
                };
                (b, moved.filter(|m| was_block(m.old)))
            })
            .collect();
        Some(Plan { blocks, previous })
    }
}

/// Runs a block rule: on every block, or, with a plan and the rule's
/// findings at this severity in the previous check, only on the blocks the
/// edit touched, the others' findings moved from there.
pub(super) fn run(ctx: &RuleCtx, rule: &BlockRule, severity: Severity, plan: Option<&Plan>, sink: &mut Sink) {
    let Some((plan, found)) = plan.and_then(|p| Some((p, p.previous.of(rule.code, severity)?))) else {
        return ctx.each_block(sink, rule.check_block);
    };
    for (index, &(range, moved)) in plan.blocks.iter().enumerate() {
        let Some(Moved { old, delta }) = moved else {
            (rule.check_block)(ctx, Block { range, index }, sink);
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
