//! SK202 `call-arguments`: a call whose arguments fit no accepted form of the method.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK202",
    name: "call-arguments",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a call whose arguments fit no accepted form of the method",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
