//! SK008 `front-matter-limits`: front matter beyond the safety limits (aliases, nesting depth, size).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK008",
    name: "front-matter-limits",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "front matter beyond the safety limits (aliases, nesting depth, size)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
