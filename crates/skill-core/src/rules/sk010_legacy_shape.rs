//! SK010 `legacy-shape`: a legacy shape (`context.primary`, `memory.scope`) where a current one exists.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK010",
    name: "legacy-shape",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a legacy shape (`context.primary`, `memory.scope`) where a current one exists",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
