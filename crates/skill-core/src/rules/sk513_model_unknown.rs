//! SK513 `model-unknown`: `model` is a single word that is no model alias.

use crate::clients::{claude_code, Client};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK513",
    name: "model-unknown",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "`model` is a bare word that is no model alias Claude Code knows (range: the value)",
    docs: DOCS,
    profiles: crate::profile::Profiles::AGENTSKILLS,
    check,
};

const DOCS: &str = "\
## What it checks

Skills in the Agent Skills format, written for Claude Code (it defines
`model`; see `clients` in `skill-lsp.toml`): that `model` is one of Claude
Code's model aliases (`sonnet`, `opus`, `haiku`, `opusplan`, `best`,
`default`, `inherit`, each optionally with `[1m]`) or a model id. A model
id has a digit, a `-`, `.`, `:`, `/` or `@` in it (`claude-sonnet-4-5`,
`claude-opus-4-1@20250805`), so a value that is one bare word and no alias
(`sonet`, `fast`) is neither. Values with spaces are SK003's (the schema's
pattern).

## Why it matters

Claude Code runs the skill with the model `model` names; a misspelt alias
names no model, and the skill does not run as its author meant.

## Example

Bad:

```yaml
model: sonet
```

Good:

```yaml
model: sonnet
```

## Fix

Replaces the value with the alias it most likely means, when exactly one is
a letter or two away (unsafe: the author may have meant another model).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    if !ctx.config.clients.contains(Client::ClaudeCode) {
        return;
    }
    let Some((model, range)) = ctx.doc.front_matter.as_ref().and_then(|fm| fm.str_at(&["model"])) else {
        return;
    };
    let bare = model.trim();
    let word = bare.strip_suffix("[1m]").unwrap_or(bare);
    let id_like = word.is_empty() || word.chars().any(|c| !c.is_ascii_alphabetic());
    if id_like || claude_code::is_model_alias(bare) {
        return;
    }
    let lower = word.to_ascii_lowercase();
    let mut close = claude_code::MODEL_ALIASES
        .iter()
        .filter(|a| crate::text::edit_distance(a, &lower) <= if a.len() <= 5 { 1 } else { 2 });
    let guess = match (close.next(), close.next()) {
        (Some(one), None) => Some(*one),
        _ => None,
    };
    let aliases = "`sonnet`, `opus`, `haiku`, `opusplan`, `best`, `default` or `inherit`";
    match guess {
        Some(alias) => {
            let written = ctx.doc.slice(range);
            let replacement = match written.chars().next() {
                Some(q @ ('"' | '\'')) => format!("{q}{alias}{q}"),
                _ => alias.to_string(),
            };
            sink.report_fix(
                range,
                format!("`model: {bare}` names no model: it is not one of Claude Code's aliases ({aliases}) nor a model id; did you mean `{alias}`?"),
                Some(Fix::guess(
                    format!("Use `{alias}`"),
                    vec![Edit::replace(range, replacement)],
                )),
            );
        }
        None => sink.report(
            range,
            format!("`model: {bare}` names no model: it is not one of Claude Code's aliases ({aliases}) nor a model id such as `claude-sonnet-4-5`"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixed, run};

    fn found(model: &str) -> Vec<crate::Diagnostic> {
        run(
            &RULE,
            &format!("---\nname: demo\ndescription: x\nmodel: {model}\n---\n"),
            "demo",
        )
    }

    #[test]
    fn aliases_and_ids_pass_bare_unknown_words_do_not() {
        for ok in [
            "sonnet",
            "opus[1m]",
            "Haiku",
            "inherit",
            "claude-sonnet-4-5",
            "claude-opus-4-1@20250805",
            "gpt-5",
            "\"\"",
        ] {
            assert!(found(ok).is_empty(), "{ok}");
        }
        let typo = found("sonet");
        assert_eq!(typo.len(), 1);
        assert!(typo[0].message.contains("did you mean `sonnet`"));
        let text = "---\nname: demo\ndescription: x\nmodel: \"sonet\"\n---\n";
        assert!(fixed(text, &run(&RULE, text, "demo")[0]).contains("model: \"sonnet\""));
        let fast = found("fast");
        assert_eq!(fast.len(), 1);
        assert!(fast[0].fix.is_none());
    }
}
