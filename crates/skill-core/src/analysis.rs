//! The entry points: check one document, and fix one document until nothing
//! more can be fixed. The CLI and the language server call only these.

mod kept;
mod reuse;

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{Config, RuleLevel};
use crate::diagnostic::Diagnostic;
use crate::fix::{apply_fixes, compatible_fixes, Applicability, Edit};
use crate::model::suppressions;
use crate::model::SkillDoc;
use crate::rules::{sk901_unused_suppression, RuleCtx, Sink, ALL, BLOCK_RULES};
use crate::syntax::yaml::YamlErrorKind;
use crate::workspace::Workspace;

pub use reuse::BlockFindings;

/// Builds now, on the calling thread, the one-time tables that the first
/// checks of documents in `profile` would otherwise build (the schema's
/// compiled forms and validator, the searchers of secrets and of what the
/// block rules look for, the built-in catalogue) while the other checks
/// wait for them. The same constructors build the same values whichever
/// thread runs them first, so nothing a check finds changes: a caller with
/// a core to spare (`skill-lsp check` while it walks and plans) runs this on
/// it.
pub fn prewarm(profile: crate::Profile) {
    crate::schema::for_profile(profile).prewarm();
    crate::content::secrets::prewarm();
    crate::content::candidates::prewarm();
    drop(crate::workspace::builtin::catalogue());
}

/// Runs every enabled rule on `doc`, then drops what the file's suppression
/// comments suppress and reports those that suppress nothing (SK901);
/// diagnostics sorted by position.
pub fn check(doc: &SkillDoc, ws: &Workspace, config: &Config) -> Vec<Diagnostic> {
    run(doc, None, ws, config, None)
}

/// [`check`] of `doc`, an edit of `previous.0` whose check found
/// `previous.1`: what the block rules found in the blocks the edit did not
/// touch is taken from there instead of found again (the result is the
/// same). Also returns what to hand to the check of the next edit. The
/// language server checks a document after each keystroke this way.
pub fn check_reusing(
    doc: &SkillDoc,
    previous: Option<(&SkillDoc, &BlockFindings)>,
    ws: &Workspace,
    config: &Config,
) -> (Vec<Diagnostic>, BlockFindings) {
    let mut kept = BlockFindings::default();
    let diagnostics = run(doc, previous, ws, config, Some(&mut kept));
    (diagnostics, kept)
}

/// Runs the rules; the block rules' findings are reused from `previous`
/// where they can be, and recorded in `kept` when it is given.
fn run(
    doc: &SkillDoc,
    previous: Option<(&SkillDoc, &BlockFindings)>,
    ws: &Workspace,
    config: &Config,
    mut kept: Option<&mut BlockFindings>,
) -> Vec<Diagnostic> {
    // The `[[overrides]]` matching this file.
    let config = &*config.for_file(doc.path.as_deref());
    let ctx = RuleCtx::new(doc, ws, config);
    let profile = ctx.profile();
    let plan = previous.and_then(|(old, found)| reuse::Plan::new(old, found, &ctx));
    if plan.is_some() {
        ctx.blocks_alone();
    }
    let mut out = Vec::new();
    let mut ran = Vec::with_capacity(ALL.len());
    // One buffer lent to each rule's sink in turn: a rule that reports
    // writes into the room an earlier one left, and its findings are moved
    // out in one copy.
    let mut buffer = Vec::new();
    // The block rules are in code order, as `ALL` is: each is met in turn,
    // one comparison per rule instead of a search of them.
    let mut block_rules = BLOCK_RULES.iter().copied().peekable();
    for rule in ALL {
        let block_rule = block_rules.next_if(|b| b.code == rule.code);
        if !rule.applies_to(profile) {
            continue;
        }
        let severity = match config.level(rule.code, rule.severity) {
            RuleLevel::Off => continue,
            RuleLevel::On(s) => s,
        };
        ran.push((rule.code, severity));
        let mut sink = Sink::with_buffer(rule.code, severity, std::mem::take(&mut buffer));
        let mut found = match block_rule {
            Some(block_rule) => {
                reuse::run(&ctx, block_rule, severity, plan.as_ref(), &mut sink);
                let found = sink.into_diagnostics();
                if let Some(kept) = kept.as_deref_mut() {
                    kept.record(rule.code, severity, &found);
                }
                found
            }
            None => {
                (rule.check)(&ctx, &mut sink);
                sink.into_diagnostics()
            }
        };
        out.append(&mut found);
        buffer = found;
    }
    let directives = ctx.suppressions();
    if !directives.is_empty() {
        let has_run = |code: &str| ran.iter().any(|(c, _)| *c == code);
        let unused = suppressions::apply(doc, directives, &mut out, has_run);
        let unused_rule = &sk901_unused_suppression::RULE;
        if let Some((_, severity)) = ran.iter().find(|(c, _)| *c == unused_rule.code) {
            let mut sink = Sink::new(unused_rule.code, *severity);
            sk901_unused_suppression::report(&doc.text, &unused, &mut sink);
            let mut reported = sink.into_diagnostics();
            // A suppression of SK901 itself hides these too (it is not judged in turn).
            suppressions::apply(doc, directives, &mut reported, |_| false);
            out.extend(reported);
        }
    }
    out.sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
    if doc.bare_cr {
        for fix in out.iter_mut().filter_map(|d| d.fix.as_mut()) {
            fix.end_lines_with_cr();
        }
    }
    out
}

/// What [`fix_document`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    /// How many fixes were applied, over all rounds, and left something of
    /// theirs in [`FixOutcome::text`]: a fix whose text a later round
    /// rewrote whole, or whose change a later round put back, is not counted.
    pub applied: usize,
    /// Titles of the fixes counted in [`FixOutcome::applied`], in order.
    pub titles: Vec<String>,
    /// Diagnostics left after fixing.
    pub remaining: Vec<Diagnostic>,
    /// The edits of each round, in the coordinates of the text that round
    /// started from: what changed, for callers that show or verify it.
    pub rounds: Vec<Vec<Edit>>,
    /// Whether the fixed text has a closed front matter that reads without a
    /// YAML syntax error. `check --fix` writes no file for which this is false.
    pub parses: bool,
}

/// Applies fixes round after round (a fix may reveal another) until none
/// applies. Unsafe fixes only when `unsafe_fixes`. A fix whose result would
/// break the front matter (new SK001/SK002) is left out, so the text always
/// parses at least as well as it did.
pub fn fix_document(
    text: &str,
    path: Option<PathBuf>,
    ws: &Workspace,
    config: &Config,
    unsafe_fixes: bool,
) -> FixOutcome {
    const MAX_ROUNDS: usize = 10;
    let mut current: Arc<str> = text.into();
    let mut doc = SkillDoc::parse(current.clone(), path.clone());
    let mut diags = check(&doc, ws, config);
    let mut ledger = kept::Ledger::default();
    let mut rounds = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let mut fixes: Vec<_> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            // One of several equally plausible mends is the author's to choose.
            .filter(|f| {
                f.bulk_applicability()
                    .is_some_and(|a| unsafe_fixes || a == Applicability::Safe)
            })
            .collect();
        if fixes.is_empty() {
            break;
        }
        let damage = front_matter_damage(&doc);
        let (mut next, mut n) = apply_fixes(&current, fixes.iter().copied());
        let mut next_doc = SkillDoc::parse(next.as_str(), path.clone());
        if front_matter_damage(&next_doc) > damage {
            // Some fix breaks the front matter: keep only those that do not, alone.
            fixes.retain(|f| {
                let alone = apply_fixes(&current, [*f]).0;
                front_matter_damage(&SkillDoc::parse(alone.as_str(), path.clone())) <= damage
            });
            (next, n) = apply_fixes(&current, fixes.iter().copied());
            next_doc = SkillDoc::parse(next.as_str(), path.clone());
            if front_matter_damage(&next_doc) > damage {
                break;
            }
        }
        if n == 0 || *next == *current {
            break;
        }
        let next_diags = check(&next_doc, ws, config);
        let accepted = compatible_fixes(&current, fixes.iter().copied());
        ledger.round(
            &current,
            accepted.iter().map(|f| (f.title.as_str(), f.edits.as_slice())),
        );
        rounds.push(accepted.iter().flat_map(|f| f.edits.iter().cloned()).collect());
        current = next.into();
        doc = next_doc;
        diags = next_diags;
    }
    let parses = front_matter_parses(&doc);
    let titles = ledger.kept();
    FixOutcome {
        text: current.to_string(),
        applied: titles.len(),
        titles,
        remaining: diags,
        rounds,
        parses,
    }
}

/// A front matter block that is there, closed, and free of YAML syntax errors.
pub fn front_matter_parses(doc: &SkillDoc) -> bool {
    front_matter_problem(doc).is_none()
}

/// What keeps the front matter from parsing, for people: no block, a block
/// never closed, or the first YAML syntax error with its one-based line.
pub fn front_matter_problem(doc: &SkillDoc) -> Option<String> {
    let Some(fm) = &doc.front_matter else {
        return Some("there is no front matter block".to_string());
    };
    if fm.block.close.is_none() {
        return Some("the front matter block is never closed".to_string());
    }
    let e = fm.errors.iter().find(|e| e.kind == YamlErrorKind::Syntax)?;
    Some(format!(
        "line {}: {}",
        doc.line_index.line_of(e.range.start) + 1,
        e.message
    ))
}

/// How badly the front matter fails to read: one for a block that is missing
/// or never closed, plus one per YAML syntax error. Read from the document,
/// not from diagnostics, so a config turning SK001/SK002 off changes nothing.
fn front_matter_damage(doc: &SkillDoc) -> usize {
    match &doc.front_matter {
        None => 1,
        Some(fm) => {
            usize::from(fm.block.close.is_none()) + fm.errors.iter().filter(|e| e.kind == YamlErrorKind::Syntax).count()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`run`] meets the block rules in turn as it walks `ALL`: they must
    /// be in its order, each one of its rules.
    #[test]
    fn the_block_rules_are_met_in_turn_walking_all_rules() {
        let mut block_rules = BLOCK_RULES.iter().peekable();
        for rule in ALL {
            block_rules.next_if(|b| b.code == rule.code);
        }
        assert!(block_rules.next().is_none(), "a block rule out of order or not in ALL");
    }
}
