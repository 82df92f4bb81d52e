//! SK102 `step-missing`: step N (1..6) missing from the workflow.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK102",
    name: "step-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "step N (1..6) missing from the workflow",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
