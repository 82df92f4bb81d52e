//! SK003 `schema-violation`: a value violates the schema: type, pattern, enum, range (range: the value).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK003",
    name: "schema-violation",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "a value violates the schema: type, pattern, enum, range (range: the value)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
