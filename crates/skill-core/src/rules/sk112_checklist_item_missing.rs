//! SK112 `checklist-item-missing`: no checklist item for step N.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK112",
    name: "checklist-item-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "no checklist item for step N",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
