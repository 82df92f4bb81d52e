//! SK401 `version-mismatch`: the highest version in Version History differs from front matter `version`.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK401",
    name: "version-mismatch",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "the highest version in Version History differs from front matter `version`",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
