//! SK611 `unclosed-code-fence`: a fenced code block opened and never closed.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK611",
    name: "unclosed-code-fence",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a code fence (```` ``` ```` or `~~~`) opened and never closed",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Every fenced code block of the body has a closing fence: a line of at least
as many backticks (or tildes) as the opening one, nothing else on it.
CommonMark ends an unclosed block at the end of the document (or of the
list item or quote holding it). The range is the opening fence line.

## Why it matters

Everything after an unclosed fence is code: the headings, steps and links
that follow are no longer read as such by the agent, by renderers, or by
the other rules — a whole workflow can disappear into one code block, and a
checker sees nothing wrong in it.

## Example

Bad:

````markdown
```bash
npm test

## Step 2: Review
````

Good:

````markdown
```bash
npm test
```

## Step 2: Review
````

## Fix

Add the closing fence where the code ends.";

/// The fence an opening line starts with: its character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start_matches(' ');
    let c = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let text = &*doc.text;
    for block in &doc.md.code_blocks {
        let Some(src) = text.get(block.range.start..block.range.end) else {
            continue;
        };
        let first_end = src.find(['\n', '\r']).unwrap_or(src.len());
        // Inside a list item or quote the block starts after the marker; the fence is at the range start.
        let Some((c, n)) = fence(&src[..first_end]) else {
            continue;
        };
        let closed = first_end < src.len() && {
            let last = src.trim_end_matches(['\n', '\r']).lines().last().unwrap_or("");
            // The closing line may carry the quote or indentation of its container.
            let last = last.trim_start_matches([' ', '>', '\t']);
            last.chars().take_while(|x| *x == c).count() >= n && last.trim_start_matches(c).trim().is_empty()
        };
        if !closed {
            sink.report(
                TextRange::new(block.range.start, block.range.start + first_end),
                format!(
                    "this code fence is never closed: everything after it, to the end of its section, is read as code — by the agent, by renderers and by the other checks; add a closing {} line where the code ends",
                    c.to_string().repeat(n)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn reports_only_the_unclosed_fence() {
        let text = "---\nname: demo\ndescription: x\n---\n```bash\nok\n```\n\n````md\n```\ninner\n```\n````\n\n~~~python\nprint()\n\n## Step 2\n";
        let found: Vec<&str> = run(&RULE, text, "demo").iter().map(|d| at(text, d)).collect();
        assert_eq!(found, ["~~~python"]);
    }
}
