//! SK606 `unrestricted-tools`: `allowed-tools` grants any shell command or
//! writes to any file without asking.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK606",
    name: "unrestricted-tools",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "`allowed-tools` grants every shell command (`Bash`, `Bash(*)`) or writes to every file",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

The entries of the front matter's `allowed-tools` (a space- or
comma-separated string, or a list) that grant without limit:

- `Bash`, `Bash(*)`, `Bash(**)` or `Bash(:*)`: every shell command;
- `Write`, `Edit`, `MultiEdit` or `NotebookEdit` with a pattern matching
  every path (`(*)`, `(**)`, `(/**)`, `(//**)`, `(~/**)`): every file;
- `*`: every tool.

Scoped grants (`Bash(git diff:*)`, `Bash(npm run test:*)`, `Edit(src/**)`)
and bare `Read`, `Write`, `Edit` are not reported. The range is the entry.

## Why it matters

In Claude Code, `allowed-tools` lists the tools the agent may use *without
asking for permission* while the skill is active (Claude Code documentation,
Skills, frontmatter reference: https://code.claude.com/docs/en/skills).
`Bash` alone lets whatever the skill — or text it reads — suggests run as the
user, with no prompt to stop it: a prompt injection in a fetched page
becomes a command. Granting the commands the skill needs keeps the prompt
for everything else.

## Example

Bad:

```yaml
allowed-tools: Read Grep Bash
```

Good:

```yaml
allowed-tools: Read Grep Bash(git status:*) Bash(git diff:*)
```

## Fix

List the commands the skill runs, `Bash(command:*)` each, and the folders
it writes, `Edit(path/**)`.";

/// Why an entry grants without limit, if it does.
fn unrestricted(entry: &str) -> Option<&'static str> {
    let entry = entry.trim();
    let (tool, pattern) = match entry.split_once('(') {
        Some((t, rest)) => (t.trim(), Some(rest.trim_end_matches(')').trim())),
        None => (entry, None),
    };
    const EVERYTHING: &[&str] = &["*", "**", "/**", "//**", "~/**", ":*", "**/*"];
    match (tool, pattern) {
        ("*", None) => Some("use every tool"),
        ("Bash", None) => Some("run every shell command"),
        ("Bash", Some(p)) if EVERYTHING.contains(&p) || p.is_empty() => Some("run every shell command"),
        ("Write" | "Edit" | "MultiEdit" | "NotebookEdit", Some(p)) if EVERYTHING.contains(&p) => {
            Some("write to every file")
        }
        _ => None,
    }
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for entry in ctx.doc.allowed_tools() {
        let Some(what) = unrestricted(entry.text) else { continue };
        sink.report(
            entry.range,
            format!(
                "`allowed-tools: {}` lets the agent {what} without asking while the skill is active: anything the skill or a page it reads suggests runs as the user; grant only what it needs, such as `Bash(git diff:*)`",
                entry.text
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn reports_unscoped_bash_and_write_everywhere() {
        let text =
            "---\nname: demo\ndescription: x\nallowed-tools: Read Bash(git diff:*) Bash Write(/**) Edit\n---\nBody\n";
        let found: Vec<&str> = run(&RULE, text, "demo").iter().map(|d| at(text, d)).collect();
        assert_eq!(found, ["Bash", "Write(/**)"]);
        let list = "---\nname: demo\ndescription: x\nallowed-tools:\n  - Read\n  - Bash(*)\n---\nBody\n";
        let found: Vec<&str> = run(&RULE, list, "demo").iter().map(|d| at(list, d)).collect();
        assert_eq!(found, ["Bash(*)"]);
    }
}
