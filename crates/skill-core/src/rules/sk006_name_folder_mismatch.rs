//! SK006 `name-folder-mismatch`: `name` differs from the skill's folder name.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK006",
    name: "name-folder-mismatch",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "`name` differs from the skill's folder name",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
