//! SK205 `step-interface-use`: step 2 loads no memory, step 3 loads no
//! context, or the last step writes no memory.

use crate::diagnostic::Severity;
use crate::model::{Call, Step};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK205",
    name: "step-interface-use",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "step 2 loads no memory, step 3 loads no context, or the last step writes no memory",
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it checks

The three workflow steps that talk to the interfaces in the canonical
workflow: step 2 loads memory (a `memoryStore` read such as
`getSkillMemory`), step 3 loads context (any `contextProvider` call), and
the last step writes memory (`memoryStore.update`, `append` or `create`).
A mention such as `memoryStore.getSkillMemory()` counts: the step names the
method to use. The range is the step's heading. Skills without a workflow,
or without a step 2 or 3, are left to SK101/SK102.

## Why it matters

Memory and context are what make a skill better than a bare prompt: without
the load in step 2 the agent repeats past mistakes, without step 3 it works
without the domain's guidance, and without the write in the last step
nothing it learned is kept.

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

/// Methods that write memory, by name (an undefined `updateSkillMemory` still writes).
pub(crate) fn writes_memory(call: &Call) -> bool {
    call.receiver == "memoryStore"
        && ["update", "append", "create", "write", "save", "store"]
            .iter()
            .any(|w| call.method.starts_with(w))
}

fn calls_in<'a>(ctx: &'a RuleCtx, step: &Step) -> impl Iterator<Item = &'a Call> {
    let range = step.range(&ctx.doc.md);
    ctx.doc.calls.iter().filter(move |c| range.contains(c.range.start))
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(wf) = &doc.workflow else { return };
    let heading = |s: &Step| doc.md.headings[s.heading].range;
    let last = wf.last_step();
    if let Some(s2) = wf.steps.iter().find(|s| s.number == 2) {
        if !calls_in(ctx, s2).any(|c| c.receiver == "memoryStore" && !writes_memory(c)) {
            sink.report(
                heading(s2),
                "step 2 loads no memory: without it the agent starts from nothing and repeats what earlier runs learned; load it with `memoryStore.getSkillMemory(\"<skill>\", \"{project-name}\")`",
            );
        }
    }
    if let Some(s3) = wf.steps.iter().find(|s| s.number == 3) {
        if !calls_in(ctx, s3).any(|c| c.receiver == "contextProvider") {
            sink.report(
                heading(s3),
                "step 3 loads no context: the agent works without the domain's guidance; load it with `contextProvider.getDomainIndex(\"<domain>\")` and `getConditionalContext`",
            );
        }
    }
    if let Some(last) = last.filter(|l| l.number > 3) {
        if !calls_in(ctx, last).any(writes_memory) {
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
