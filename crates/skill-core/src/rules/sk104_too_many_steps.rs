//! SK104 `too-many-steps`: more steps than the configured count (default 6).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK104",
    name: "too-many-steps",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "more steps than the configured count (default 6)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
