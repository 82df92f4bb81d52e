//! SK005 `unknown-key`: a key the schema does not know (range: the key).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK005",
    name: "unknown-key",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a key the schema does not know (range: the key)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
