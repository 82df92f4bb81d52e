//! SK001 `front-matter-missing`: no front matter block at the top of the file, or one that is never closed.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK001",
    name: "front-matter-missing",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "no front matter block at the top of the file, or one that is never closed",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
