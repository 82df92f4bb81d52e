//! SK107 `mixed-step-styles`: step headings of mixed styles in one workflow.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK107",
    name: "mixed-step-styles",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "step headings of mixed styles in one workflow",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
