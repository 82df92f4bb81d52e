//! SK506 `description-cut-off`: the `description` (with `when_to_use`) is
//! longer than a client shows of it.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK506",
    name: "description-cut-off",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "the `description` with `when_to_use` is longer than the 1,536 characters a client shows",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

/// The characters of `description` and `when_to_use` together that Claude
/// Code keeps in the skill listing the agent chooses from.
pub const LISTING_CHARS: usize = 1536;

/// The standard's own limit on `description` (SK003 reports a longer one).
const DESCRIPTION_CHARS: usize = 1024;

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format (profile `agentskills`): that `description`
and Claude Code's `when_to_use`, which the client appends to it, are together
at most 1,536 characters, the part of them Claude Code puts in the skill
listing. The range is the `when_to_use` value. A `description` alone over the
standard's 1,024 characters is SK003's. The rule runs while Claude Code is
among the clients the skills are written for (`clients` in
`skill-lsp.toml`; every client by default).

## Why it matters

Agents choose a skill by what the listing shows of it. What is past the cut
is never read: the trigger phrases written last are the ones lost.

## Example

Bad: a 900-character `description` and an 800-character `when_to_use`.

Good: both short enough to be read whole (move the details into the body).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    // `when_to_use` is Claude Code's: unknown (SK005) when it does not count.
    if !ctx.config.clients.contains(crate::clients::Client::ClaudeCode) {
        return;
    }
    let Some(fm) = &ctx.doc.front_matter else { return };
    let Some((when, range)) = fm.str_at(&["when_to_use"]) else {
        return;
    };
    let description = fm.str_at(&["description"]).map_or(0, |(d, _)| d.chars().count());
    if description > DESCRIPTION_CHARS {
        return;
    }
    let total = description + when.chars().count();
    if total <= LISTING_CHARS {
        return;
    }
    sink.report(
        range,
        format!(
            "`description` and `when_to_use` are {total} characters together; Claude Code shows agents the first {LISTING_CHARS} and cuts the rest, so the last {} are never read; shorten them and move details into the body",
            total - LISTING_CHARS
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn counts_both_keys_in_characters() {
        let skill = |d: usize, w: usize| {
            format!(
                "---\nname: pdf\ndescription: {}\nwhen_to_use: {}\n---\n",
                "é".repeat(d),
                "w".repeat(w)
            )
        };
        assert!(run(&RULE, &skill(1000, 536), "pdf").is_empty());
        let text = skill(1000, 537);
        let d = run(&RULE, &text, "pdf");
        assert_eq!(d.len(), 1);
        assert_eq!(at(&text, &d[0]), "w".repeat(537));
        assert!(d[0].message.contains("1537 characters"), "{}", d[0].message);
        assert!(run(&RULE, &skill(1100, 600), "pdf").is_empty(), "SK003's");
        assert!(run(&RULE, "---\nname: pdf\ndescription: x\n---\n", "pdf").is_empty());
    }
}
