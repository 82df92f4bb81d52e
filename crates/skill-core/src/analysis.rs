//! The entry points: check one document, and fix one document until nothing
//! more can be fixed. The CLI and the language server call only these.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{Config, RuleLevel};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{apply_fixes, Applicability};
use crate::model::SkillDoc;
use crate::rules::{RuleCtx, Sink, ALL};
use crate::workspace::Workspace;

/// Runs every enabled rule on `doc`; diagnostics sorted by position.
pub fn check(doc: &SkillDoc, ws: &Workspace, config: &Config) -> Vec<Diagnostic> {
    let ctx = RuleCtx { doc, ws, config };
    let profile = ctx.profile();
    let mut out = Vec::new();
    for rule in ALL.iter().filter(|r| r.applies_to(profile)) {
        let severity = match config.level(rule.code, rule.severity) {
            RuleLevel::Off => continue,
            RuleLevel::On(s) => s,
        };
        let mut sink = Sink::new(rule.code, severity);
        (rule.check)(&ctx, &mut sink);
        out.extend(sink.into_diagnostics());
    }
    out.sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
    out
}

/// What [`fix_document`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    /// How many fixes were applied, over all rounds.
    pub applied: usize,
    /// Titles of the fixes applied, in order.
    pub titles: Vec<String>,
    /// Diagnostics left after fixing.
    pub remaining: Vec<Diagnostic>,
}

/// Applies fixes round after round (a fix may reveal another) until none
/// applies. Unsafe fixes only when `unsafe_fixes`. A round whose result would
/// break the front matter (new SK001/SK002) is refused, so the text always parses
/// at least as well as it did.
pub fn fix_document(text: &str, path: Option<PathBuf>, ws: &Workspace, config: &Config, unsafe_fixes: bool) -> FixOutcome {
    const MAX_ROUNDS: usize = 10;
    let mut current: Arc<str> = text.into();
    let mut doc = SkillDoc::parse(current.clone(), path.clone());
    let mut diags = check(&doc, ws, config);
    let mut applied = 0;
    let mut titles = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let fixes: Vec<_> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
            .collect();
        if fixes.is_empty() {
            break;
        }
        let (next, n) = apply_fixes(&current, fixes.iter().copied());
        if n == 0 || *next == *current {
            break;
        }
        let next_doc = SkillDoc::parse(next.as_str(), path.clone());
        let next_diags = check(&next_doc, ws, config);
        if syntax_errors(&next_diags) > syntax_errors(&diags) {
            break;
        }
        titles.extend(applied_titles(&current, &fixes));
        applied += n;
        current = next.into();
        doc = next_doc;
        diags = next_diags;
    }
    let _ = &doc;
    FixOutcome { text: current.to_string(), applied, titles, remaining: diags }
}

fn syntax_errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| matches!(d.code, "SK001" | "SK002") && d.severity == Severity::Error).count()
}

/// The titles of the fixes `apply_fixes` accepts, in the order it accepts them.
fn applied_titles(text: &str, fixes: &[&crate::fix::Fix]) -> Vec<String> {
    let mut accepted: Vec<&crate::fix::Fix> = Vec::new();
    let mut titles = Vec::new();
    for fix in fixes {
        let mut trial = accepted.clone();
        trial.push(fix);
        if apply_fixes(text, trial.iter().copied()).1 == trial.len() {
            accepted.push(fix);
            titles.push(fix.title.clone());
        }
    }
    titles
}
