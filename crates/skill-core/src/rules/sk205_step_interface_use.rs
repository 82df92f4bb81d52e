//! SK205 `step-interface-use`: step 2 loads no memory, step 3 loads no context, or the last step writes no memory.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK205",
    name: "step-interface-use",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "step 2 loads no memory, step 3 loads no context, or the last step writes no memory",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
