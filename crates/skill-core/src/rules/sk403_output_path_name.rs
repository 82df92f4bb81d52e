//! SK403 `output-path-name`: a `/claudedocs/` output path that does not start with this skill's name.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK403",
    name: "output-path-name",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a `/claudedocs/` output path that does not start with this skill's name",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
