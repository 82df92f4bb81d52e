//! SK122 `title-count`: no H1 title, or more than one.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK122",
    name: "title-count",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "no H1 title, or more than one",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
