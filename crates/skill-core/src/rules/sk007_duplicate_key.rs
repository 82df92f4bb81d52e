//! SK007 `duplicate-key`: the same key twice in one map (range: the second).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK007",
    name: "duplicate-key",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "the same key twice in one map (range: the second)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
