//! SK106 `step-without-gate`: a `⚠️ STEP` style step without its `**DO NOT ...**` gate line.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK106",
    name: "step-without-gate",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a `⚠️ STEP` style step without its `**DO NOT ...**` gate line",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
