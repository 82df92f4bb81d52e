//! SK113 `checklist-item-extra`: a checklist item for a step that does not exist, or twice for one step.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK113",
    name: "checklist-item-extra",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a checklist item for a step that does not exist, or twice for one step",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
