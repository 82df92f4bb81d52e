//! SK123 `placeholder-left`: placeholder text left in (`[TODO ...]`, `{skill-name}` in a value).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK123",
    name: "placeholder-left",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "placeholder text left in (`[TODO ...]`, `{skill-name}` in a value)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
