//! SK203 `skill-name-argument`: the skill-name argument of a memory call (`getSkillMemory` first argument, `skill=`, the template's `update("<skill>", ...)`) differs from `name`.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK203",
    name: "skill-name-argument",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    summary: "the skill-name argument of a memory call (`getSkillMemory` first argument, `skill=`, the template's `update(\"<skill>\", ...)`) differs from `name`",
    docs: "TODO",
    check,
};

fn check(_ctx: &RuleCtx, _sink: &mut Sink) {}
