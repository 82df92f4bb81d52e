//! SK121 `section-missing`: a standard section missing (Purpose, Interface References, Version History).

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK121",
    name: "section-missing",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "a standard section missing (Purpose, Interface References, Version History)",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
