//! SK301 `broken-link`: a relative link whose target file does not exist.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK301",
    name: "broken-link",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a relative link whose target file does not exist",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
