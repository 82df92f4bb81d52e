//! SK105 `step-without-instructions`: a step with no numbered instruction list.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK105",
    name: "step-without-instructions",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a step with no numbered instruction list",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
