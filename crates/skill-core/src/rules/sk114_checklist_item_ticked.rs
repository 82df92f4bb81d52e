//! SK114 `checklist-item-ticked`: a checklist item already ticked (`- [x]`).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK114",
    name: "checklist-item-ticked",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a checklist item already ticked (`- [x]`)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
