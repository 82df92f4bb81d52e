//! SK103 `step-numbering`: steps out of order, a number skipped or repeated (`Step 100`, two STEP 2).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK103",
    name: "step-numbering",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "steps out of order, a number skipped or repeated (`Step 100`, two STEP 2)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
