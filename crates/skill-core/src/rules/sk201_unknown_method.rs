//! SK201 `unknown-method`: a method the interface does not define (`contextProvider.getIndex`).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK201",
    name: "unknown-method",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "a method the interface does not define (`contextProvider.getIndex`)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
