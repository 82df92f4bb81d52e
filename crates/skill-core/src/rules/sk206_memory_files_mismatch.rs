//! SK206 `memory-files-mismatch`: a file listed under `memory.scopes[].files` is not written in the last step, or the last step writes a file not listed.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK206",
    name: "memory-files-mismatch",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a file listed under `memory.scopes[].files` is not written in the last step, or the last step writes a file not listed",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
