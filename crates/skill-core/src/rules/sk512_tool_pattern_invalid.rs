//! SK512 `tool-pattern-invalid`: an `allowed-tools` entry that no tool
//! name and pattern can be read from.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK512",
    name: "tool-pattern-invalid",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "an `allowed-tools` entry is malformed: unbalanced parentheses, an empty pattern, `:*` before the end, an empty MCP name (range: the entry)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

The form of each `allowed-tools` entry: a tool name, optionally followed by
one pattern in parentheses (`Bash(git diff *)`, `Bash(npm run test:*)`,
`Read(./docs/**)`, `WebFetch(domain:example.com)`), or an MCP tool
(`mcp__server__tool`, `mcp__server`, `mcp__server__*`). Reported, with the
entry as the range:

- parentheses that do not pair up, or text after the closing one
  (`Bash(git:*`, `Bash(git status))`, `Bash(git)x`): everything up to the
  next closing parenthesis is read as one entry;
- nothing before the `(` or nothing inside it (`(git:*)`, `Bash()`);
- `:*` anywhere but at the end of a pattern (`Bash(git:* status)`): it
  means \"followed by anything\" only at the end, elsewhere it is matched as
  written;
- an MCP name with an empty server or tool part (`mcp__`, `mcp__github__`).

Which tool a name means is SK511's.

## Why it matters

A malformed entry matches nothing, or swallows the entries after it:
`allowed-tools: Bash(git:* Read Grep` grants neither `Read` nor `Grep`, and
the agent stops to ask for each.

## Example

Bad:

```yaml
allowed-tools: Bash(git add:* Bash(git commit:*) Read
```

Good:

```yaml
allowed-tools: Bash(git add:*) Bash(git commit:*) Read
```";

/// What is wrong with an entry, if anything.
fn problem(name: &str, pattern: Option<&str>, balanced: bool) -> Option<&'static str> {
    if !balanced {
        return Some("its parentheses do not pair up (or text follows the closing one), so it and what follows up to the next `)` match nothing");
    }
    if let Some(rest) = name.strip_prefix("mcp__") {
        let mut parts = rest.splitn(2, "__");
        let server = parts.next().unwrap_or_default();
        if server.is_empty() || parts.next().is_some_and(str::is_empty) {
            return Some("an MCP entry is `mcp__server` or `mcp__server__tool`, with neither part empty");
        }
    }
    let pattern = pattern?;
    if name.trim().is_empty() {
        return Some("it has a pattern but no tool name before the `(`");
    }
    if pattern.trim().is_empty() {
        return Some("its parentheses are empty: leave them out to name the whole tool, or write the pattern inside");
    }
    if pattern.trim_end().strip_suffix(":*").unwrap_or(pattern).contains(":*") {
        return Some(
            "`:*` means \"followed by anything\" only at the end of a pattern; elsewhere it is matched as written",
        );
    }
    None
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    for entry in ctx.doc.allowed_tools() {
        if let Some(why) = problem(entry.name, entry.pattern, entry.balanced) {
            sink.report(entry.range, format!("`allowed-tools` entry `{}`: {why}", entry.text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn malformed_entries_and_well_formed_ones() {
        let text = "---\nname: demo\ndescription: x\nallowed-tools: Bash(git status)) Bash() (npm:*) Bash(git:* status) mcp__github__ Read Bash(npm run test:*) Bash(echo $(date)) mcp__github mcp__github__* Bash(git add:* Grep\n---\n";
        let found = run(&RULE, text, "demo");
        let entries: Vec<&str> = found.iter().map(|d| at(text, d)).collect();
        assert_eq!(
            entries,
            [
                "Bash(git status))",
                "Bash()",
                "(npm:*)",
                "Bash(git:* status)",
                "mcp__github__",
                "Bash(git add:* Grep",
            ]
        );
        assert!(found[0].message.contains("do not pair up"), "{}", found[0].message);
        assert!(found[3].message.contains("only at the end"));
    }
}
