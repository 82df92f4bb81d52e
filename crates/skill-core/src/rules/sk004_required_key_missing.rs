//! SK004 `required-key-missing`: a required key is missing (range: the parent key, or the opening `---`).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK004",
    name: "required-key-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "a required key is missing (range: the parent key, or the opening `---`)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
