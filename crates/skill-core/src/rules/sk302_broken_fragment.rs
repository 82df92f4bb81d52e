//! SK302 `broken-fragment`: a link whose `#fragment` names no heading of its target.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK302",
    name: "broken-fragment",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a link whose `#fragment` names no heading of its target",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
