//! SK002 `yaml-syntax`: YAML syntax error (range: where the parser stopped).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK002",
    name: "yaml-syntax",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "YAML syntax error (range: where the parser stopped)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
