//! SK009 `file-budget-exceeded`: `always_load_files` has more entries than `file_budget`.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK009",
    name: "file-budget-exceeded",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "`always_load_files` has more entries than `file_budget`",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
