//! SK209 `unknown-topic`: a topic that names no file of `context/<domain>/`.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK209",
    name: "unknown-topic",
    severity: Severity::Information,
    fix: FixAvailability::Sometimes,
    summary: "a topic that names no file of `context/<domain>/`",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
