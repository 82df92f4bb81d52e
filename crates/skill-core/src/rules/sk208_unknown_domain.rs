//! SK208 `unknown-domain`: a domain that is no folder of the workspace's `context/`.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK208",
    name: "unknown-domain",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a domain that is no folder of the workspace's `context/`",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
