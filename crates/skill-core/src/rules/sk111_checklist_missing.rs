//! SK111 `checklist-missing`: no `Compliance Checklist` section.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK111",
    name: "checklist-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "no `Compliance Checklist` section",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
