//! SK204 `domain-argument`: the domain argument of a context call differs from `context.primary_domain` and is not a cross-domain call.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK204",
    name: "domain-argument",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "the domain argument of a context call differs from `context.primary_domain` and is not a cross-domain call",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
