//! SK605 `secret`: an API key, token or private key in the skill.

use crate::diagnostic::Severity;
use crate::rules::{Block, BlockRule, FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK605",
    name: "secret",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "an API key, access token or private key written into the skill",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Credentials of well-known formats anywhere in `SKILL.md`: AWS access key
ids (`AKIA...`, `ASIA...`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`,
`ghr_`, `github_pat_`), Slack tokens (`xoxb-`, `xoxp-`, ...), OpenAI
(`sk-`, `sk-proj-`) and Anthropic (`sk-ant-`) API keys, Google API keys
(`AIza...`), Stripe live keys, JSON Web Tokens and PEM private key blocks.
A match counts only when its secret part looks random (Shannon entropy of
at least 3 bits per character; 4.5 for a key block) and is no placeholder:
values holding `example`, `your`, `xxxx`, `...`, `<...>`, `${...}`,
`{{...}}`, `dummy`, `fake`, `test`, `1234` or a long run of one character
(`sk-...`, `<your-token>`, `AKIAIOSFODNN7EXAMPLE`, `${API_KEY}`) are
examples, not secrets. The range is the credential.

## Why it matters

Skills are published and copied between repositories and machines; a key
written into one is a key given to everyone who installs it, and to every
agent that loads it. A leaked key must be revoked: removing it from the
file does not remove it from the repository's history.

## Example

Bad:

```markdown
export OPENAI_API_KEY=sk-9fK2mQ7xLp4Rz8Tb1Wv6Yc3Nh5Jd0Ga2
```

Good:

```markdown
export OPENAI_API_KEY=<your-key>   # read from the environment; never commit it
```

## Fix

Revoke the credential, remove it, and have the skill read it from the
environment or a secret store.";

pub static BLOCKS: BlockRule = BlockRule {
    code: RULE.code,
    check_block,
};

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    ctx.each_block(sink, check_block);
}

/// A credential is one token (a PEM key one run of lines without a blank
/// one), so it lies in one block.
fn check_block(ctx: &RuleCtx, at: Block, sink: &mut Sink) {
    for s in ctx.secrets_in(at) {
        sink.report(
            s.range,
            format!(
                "this looks like {}: everyone who installs the skill, and every agent that loads it, gets it; revoke it, remove it and read it from the environment instead",
                s.kind
            ),
        );
    }
}
