//! SK124 `step-count-promise`: prose promises a step count ("5-step workflow") the workflow does not have.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK124",
    name: "step-count-promise",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "prose promises a step count (\"5-step workflow\") the workflow does not have",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
