//! SK511 `unknown-tool`: an `allowed-tools` entry names no tool Claude Code has.

use crate::clients::{claude_code, Client};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK511",
    name: "unknown-tool",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary: "an `allowed-tools` entry names no tool Claude Code has (range: the name)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

That each entry of `allowed-tools` (in the string form, `Read Grep
Bash(git diff *)`, or the list form) names a tool: one of Claude Code's
built-in tools by its exact name (`Read`, `Write`, `Edit`, `Bash`, `Glob`,
`Grep`, `WebFetch`, `WebSearch`, `Agent`, `Skill`, `AskUserQuestion`,
`TaskCreate`, ...; earlier names such as `Task` and `MultiEdit` are
accepted), or an MCP tool (`mcp__server__tool`, `mcp__server`). The range
is the name, before any `(pattern)`; SK512 checks the pattern.

`allowed-tools` grants Claude Code's tools: the standard marks the key
experimental and no other client documents tool names for it. So the rule
runs while Claude Code is among the clients the skills are written for
(every client by default; `clients` in `skill-lsp.toml`). An entry that is
only `*` is SK606's.

## Why it matters

Tool names are matched exactly: `read` or `Webfetch` grants nothing, so the
agent stops to ask for a tool the author meant to allow, or, worse, the
author believes a permission is scoped when the entry that scoped it never
matched.

## Example

Bad:

```yaml
allowed-tools: read Grpe Bash(git status:*)
```

Good:

```yaml
allowed-tools: Read Grep Bash(git status:*)
```

## Fix

Renames the entry to the tool it most likely means, when exactly one is
close: safe when the two differ only in case (`read` → `Read`), unsafe
otherwise (`Grpe` → `Grep`).";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    if !ctx.config.clients.contains(Client::ClaudeCode) {
        return;
    }
    for entry in ctx.doc.allowed_tools() {
        let name = entry.name.trim();
        if name.is_empty() || name == "*" || claude_code::is_tool(name) || name.starts_with("mcp__") {
            continue;
        }
        // The name in the document: the entry's range starts with it.
        let range = if ctx.doc.slice(entry.range).starts_with(entry.name) {
            TextRange::new(entry.range.start, entry.range.start + entry.name.len())
        } else {
            entry.range
        };
        match claude_code::closest_tool(name) {
            Some(tool) => {
                let title = format!("Rename `{name}` to `{tool}`");
                let edits = vec![Edit::replace(range, tool.to_string())];
                let fix = if tool.eq_ignore_ascii_case(name) {
                    Fix::safe(title, edits)
                } else {
                    Fix::guess(title, edits)
                };
                sink.report_fix(
                    range,
                    format!("`{name}` is not a tool Claude Code has, so this entry grants nothing; did you mean `{tool}`?"),
                    Some(fix),
                );
            }
            None => sink.report(
                range,
                format!(
                    "`{name}` is not a tool Claude Code has (its tools are named like `Read`, `Bash`, `WebFetch`; MCP tools like `mcp__server__tool`), so this entry grants nothing"
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::Clients;
    use crate::testing::{at, fixed, run, run_in};
    use crate::{Config, Workspace};

    #[test]
    fn names_every_unknown_tool_in_strings_and_lists() {
        let text = "---\nname: demo\ndescription: x\nallowed-tools: read, Grpe Bash(git diff *) Deploy mcp__linear__create_issue Task *\n---\n";
        let found = run(&RULE, text, "demo");
        let names: Vec<&str> = found.iter().map(|d| at(text, d)).collect();
        assert_eq!(names, ["read", "Grpe", "Deploy"]);
        assert!(fixed(text, &found[0]).contains("allowed-tools: Read, Grpe"));
        assert_eq!(found[0].fix.as_ref().unwrap().applicability, crate::Applicability::Safe);
        assert!(found[1].message.contains("did you mean `Grep`"));
        assert!(found[2].fix.is_none());
        let list =
            "---\nname: demo\ndescription: x\nallowed-tools:\n  - Read\n  - \"webfetch(domain:example.com)\"\n---\n";
        let found = run(&RULE, list, "demo");
        assert_eq!(found.iter().map(|d| at(list, d)).collect::<Vec<_>>(), ["webfetch"]);
    }

    #[test]
    fn quiet_when_claude_code_does_not_count() {
        let text = "---\nname: demo\ndescription: x\nallowed-tools: read\n---\n";
        let config = Config {
            clients: Clients::parse(["codex"]).unwrap(),
            ..Config::default()
        };
        assert!(run_in(&RULE, text, "demo", &Workspace::detached(), &config).is_empty());
    }
}
