//! SK207 `unknown-receiver`: an unknown receiver close to a known one (`memstore.update`).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK207",
    name: "unknown-receiver",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "an unknown receiver close to a known one (`memstore.update`)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
