//! SK303 `interface-not-linked`: an interface used in the body but not linked under Interface References.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK303",
    name: "interface-not-linked",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "an interface used in the body but not linked under Interface References",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
