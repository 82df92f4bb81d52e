//! SK504 `profile-override-unknown`: a `# skill-lsp: profile=...` comment
//! names no profile.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::profile::{Override, Profile};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK504",
    name: "profile-override-unknown",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary: "a `# skill-lsp: profile=...` comment in the front matter names no profile",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That a per-file profile comment in the front matter,
`# skill-lsp: profile=NAME` (or `profile: NAME`), names one of the profiles:
`workflow` (the six-step workflow format) or `agentskills` (the open Agent
Skills standard). The range is the name.

## Why it matters

The comment chooses which rules check the file. A misspelt name chooses
nothing: the file is checked in the profile of its workspace or the one
detected from its content, which may be exactly what the comment was meant
to change.

## Example

Bad:

```yaml
---
# skill-lsp: profile=agentskils
name: pdf
---
```

Good:

```yaml
---
# skill-lsp: profile=agentskills
name: pdf
---
```

## Fix

Replaces the name with the profile it is closest to, when one is close.
Unsafe: it changes which rules check the file.";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let Some(o) = Override::of(ctx.doc) else { return };
    if o.profile.is_some() {
        return;
    }
    let used = ctx.profile();
    let closest = Profile::ALL
        .into_iter()
        .map(|p| (strsim::levenshtein(&o.value.to_ascii_lowercase(), p.as_str()), p))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, p)| p);
    let fix = closest.map(|p| {
        Fix::unsafe_(
            format!("Change the profile to `{p}`"),
            vec![Edit::replace(o.range, p.as_str().to_string())],
        )
    });
    let hint = closest.map_or(String::new(), |p| format!("; did you mean `{p}`?"));
    sink.report_fix(
        o.range,
        format!(
            "`{}` is not a profile (`workflow` or `agentskills`), so the comment changes nothing and the file is checked as `{used}`{hint}",
            o.value
        ),
        fix,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, fixed, run};

    #[test]
    fn a_misspelt_profile_is_reported_and_corrected() {
        let text = "---\n# skill-lsp: profile=agentskils\nname: pdf\n---\n";
        let d = run(&RULE, text, "pdf");
        assert_eq!(d.len(), 1);
        assert_eq!(at(text, &d[0]), "agentskils");
        assert!(fixed(text, &d[0]).contains("profile=agentskills\n"));
        assert!(run(&RULE, "---\n# skill-lsp: profile=workflow\n---\n", "pdf").is_empty());
        let far = run(&RULE, "---\n# skill-lsp: profile=nonsense\n---\n", "pdf");
        assert!(far[0].fix.is_none());
    }
}
