//! SK101 `workflow-missing`: no workflow section.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK101",
    name: "workflow-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "no workflow section",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
