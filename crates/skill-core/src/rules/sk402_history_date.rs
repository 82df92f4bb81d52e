//! SK402 `history-date`: a Version History date that is not a real `YYYY-MM-DD` date.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK402",
    name: "history-date",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a Version History date that is not a real `YYYY-MM-DD` date",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
