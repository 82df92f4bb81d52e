//! SK205 `step-interface-use`: step 2 loads no memory, step 3 loads no
//! context, or the last step writes no memory.

use crate::config::StepRef;
use crate::diagnostic::Severity;
use crate::model::{Call, Step};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::lowercase_contains;

pub static RULE: Rule = Rule {
    code: "SK205",
    name: "step-interface-use",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "step 2 loads no memory, step 3 loads no context, or the last step writes no memory",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

The three things the canonical workflow does with the interfaces: load
memory and load context before the core action (steps 2 and 3, in either
order: some skills load the domain index first), and write memory in the
last step. A step does one of these when it calls the method — a `memoryStore`
read such as `getSkillMemory`, any `contextProvider` call,
`memoryStore.update`/`append`/`create` — or mentions it
(`memoryStore.getSkillMemory()`), or links a documented procedure for it
(`[Standard Memory Loading](../../interfaces/shared_loading_patterns.md#...)`).
Reported at step 2's heading when no step up to 3 loads memory, at step 3's
when none loads context, and at the last step's when it writes no memory
(often a step appended after the memory update). Skills without a workflow,
or without a step 2 or 3, are left to SK101/SK102.

A workspace can say what its own steps must call in `skill-lsp.toml`:

```toml
[workflow.calls]
2 = [\"memoryStore.getSkillMemory\"]
3 = [\"contextProvider\"]
last = [\"memoryStore.update|memoryStore.append\"]
```

Each entry must then be called (or mentioned) in that step — a receiver
alone accepts any of its methods, a method name accepts any method starting
with it, `|` separates alternatives — and the built-in checks above are
replaced by these.

## Why it matters

Memory and context are what make a skill better than a bare prompt: without
the memory load the agent repeats past mistakes, without the context load it
works without the domain's guidance, and without the final write nothing it
learned is kept.

## Example

Bad:

```markdown
### Step 2: Load Memory

Look at what you remember about the project.
```

Good:

```markdown
### Step 2: Load Memory

1. Load memory with `memoryStore.getSkillMemory(\"fastapi\", \"{project-name}\")`
```";

/// What a step does with the interfaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    LoadMemory,
    LoadContext,
    WriteMemory,
}

/// Whether `step` does `what`, by a call, a mention or a link to a procedure doing it.
fn does(ctx: &RuleCtx, step: &Step, what: Use) -> bool {
    let doc = ctx.doc;
    let range = step.range(&doc.md);
    let by_call = doc
        .calls
        .iter()
        .filter(|c| range.contains(c.range.start))
        .any(|c| match what {
            Use::LoadMemory => c.receiver == "memoryStore" && !c.writes_memory(),
            Use::LoadContext => c.receiver == "contextProvider",
            Use::WriteMemory => c.writes_memory(),
        });
    let by_link = doc.md.links.iter().filter(|l| range.contains(l.range.start)).any(|l| {
        let fragment = l.dest.split_once('#').map_or("", |(_, f)| f);
        // Whether the link's text or fragment says `word`, in any case: as
        // the lower case of both joined by a space would, for no word
        // searched holds a space, without building that string per link.
        let said = |word: &str| lowercase_contains(&l.text, word) || lowercase_contains(fragment, word);
        match what {
            Use::LoadMemory => said("memory") && said("load"),
            Use::LoadContext => said("context") && said("load"),
            Use::WriteMemory => said("memory") && ["update", "writ", "sav", "stor"].iter().any(|w| said(w)),
        }
    });
    by_call || by_link
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(wf) = &doc.workflow else { return };
    if !ctx.config.workflow.calls.is_empty() {
        configured(ctx, wf, sink);
        return;
    }
    let heading = |s: &Step| doc.md.headings[s.heading].range;
    // The preparatory steps: memory and context are loaded here, in either order.
    let early = || wf.steps.iter().filter(|s| (1..=3).contains(&s.number));
    if let Some(s2) = wf.steps.iter().find(|s| s.number == 2) {
        if !early().any(|s| does(ctx, s, Use::LoadMemory)) {
            sink.report(
                heading(s2),
                "step 2 loads no memory, and no other step before the core action does: the agent starts from nothing and repeats what earlier runs learned; load it with `memoryStore.getSkillMemory(\"<skill>\", \"{project-name}\")`",
            );
        }
    }
    if let Some(s3) = wf.steps.iter().find(|s| s.number == 3) {
        if !early().any(|s| does(ctx, s, Use::LoadContext)) {
            sink.report(
                heading(s3),
                "step 3 loads no context, and no other step before the core action does: the agent works without the domain's guidance; load it with `contextProvider.getDomainIndex(\"<domain>\")` and `getConditionalContext`",
            );
        }
    }
    if let Some(last) = wf.last_step().filter(|l| l.number > 3) {
        if !does(ctx, last, Use::WriteMemory) {
            sink.report(
                heading(last),
                format!(
                    "the last step (step {}) writes no memory: nothing this run learned is kept for the next; end with `memoryStore.update(\"<skill>\", \"{{project-name}}\", ...)`",
                    last.number
                ),
            );
        }
    }
}

/// The team's `[workflow.calls]`: every group of each step met by a call in it.
fn configured(ctx: &RuleCtx, wf: &crate::model::Workflow, sink: &mut Sink) {
    let doc = ctx.doc;
    for entry in &ctx.config.workflow.calls {
        let step = match entry.step {
            StepRef::Number(n) => wf.steps.iter().find(|s| s.number == n),
            StepRef::Last => wf.last_step(),
        };
        // A missing step is SK102's.
        let Some(step) = step else { continue };
        let range = step.range(&doc.md);
        let calls: Vec<&Call> = doc.calls.iter().filter(|c| range.contains(c.range.start)).collect();
        for group in &entry.required {
            if calls
                .iter()
                .any(|c| group.iter().any(|p| p.matches(&c.receiver, &c.method)))
            {
                continue;
            }
            let wanted: Vec<String> = group.iter().map(|p| format!("`{p}`")).collect();
            sink.report(
                doc.md.headings[step.heading].range,
                format!(
                    "step {} calls no {}, which this workspace's workflow requires of it (`[workflow.calls]` in skill-lsp.toml): an agent following the skill skips what the team's process depends on; add the call",
                    step.number,
                    wanted.join(" or ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn the_team_says_what_each_step_calls() {
        let text = "---\nname: demo\n---\n# Demo\n\n## Workflow\n\n### Step 1: Scope\n\nAsk.\n\n### Step 2: Recall\n\n1. `memoryStore.getSkillMemory(\"demo\", \"p\")`\n\n### Step 3: Record\n\n1. Write the report.\n";
        let config = crate::Config::from_toml(
            "[workflow]\nsteps = 3\n[workflow.calls]\n2 = [\"memoryStore.getSkillMemory\"]\nlast = [\"memoryStore.update|memoryStore.append\"]\n",
        )
        .unwrap();
        let d = crate::testing::run_in(&super::RULE, text, "demo", &crate::Workspace::detached(), &config);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(crate::testing::at(text, &d[0]), "### Step 3: Record");
        assert!(
            d[0].message.contains("`memoryStore.update` or `memoryStore.append`"),
            "{}",
            d[0].message
        );
        // The built-in checks would also want context loaded in step 3.
        let builtin = crate::testing::run(&super::RULE, text, "demo");
        assert_eq!(builtin.len(), 1, "{builtin:?}");
        assert!(builtin[0].message.contains("step 3 loads no context"));
    }

    use crate::testing::corpus;

    fn last_step_findings(tree: &str) -> Option<BTreeSet<String>> {
        let found = corpus::findings(tree, &["SK205"])?;
        Some(
            found
                .into_iter()
                .filter(|f| f.diagnostic.message.starts_with("the last step"))
                .map(|f| f.skill)
                .collect(),
        )
    }

    /// The bulk edit appended a step after the memory update (or numbered the
    /// output step 100) in 20 skills: exactly those gain a last-step finding.
    #[test]
    fn corpus_steps_appended_after_the_memory_update() {
        let (Some(forge), Some(clean)) = (last_step_findings("forge"), last_step_findings("forge-clean")) else {
            return;
        };
        let gained: Vec<&str> = forge.difference(&clean).map(String::as_str).collect();
        assert_eq!(
            gained,
            [
                "cli-developer",
                "code-documenter",
                "code-reviewer",
                "database-optimizer",
                "database-schema-analysis",
                "debugging-expert",
                "documentation-generator",
                "email-writer",
                "file-schema-analysis",
                "generate-azure-functions",
                "generate-mock-service",
                "generate-tilt-dev-environment",
                "mcp-developer",
                "postgres",
                "prompt-engineer",
                "python-dependency-management",
                "security-reviewer",
                "slack-message-composer",
                "sql",
                "testing",
            ]
        );
        assert_eq!(
            clean.into_iter().collect::<Vec<_>>(),
            ["generate-more-skills-with-claude"]
        );
    }
}
