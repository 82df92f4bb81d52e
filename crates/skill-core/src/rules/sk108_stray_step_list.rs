//! SK108 `stray-step-list`: a second step list outside the workflow section (pasted above it).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK108",
    name: "stray-step-list",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a second step list outside the workflow section (pasted above it)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
