//! SK209 `unknown-topic`: a topic that names no file of `context/<domain>/`.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;
use crate::workspace::{lookup, Domain, MAX_DIR_ENTRIES};

pub static RULE: Rule = Rule {
    code: "SK209",
    name: "unknown-topic",
    severity: Severity::Information,
    fix: FixAvailability::Sometimes,
    summary: "a topic that names no file of `context/<domain>/`",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

Topics the skill loads against the files of their domain's folder: the
topic argument of `contextProvider.getConditionalContext(\"<domain>\",
\"<topic>\")` (and of `getReference`, and `executionContext`'s cached
context), and in the front matter `context.topics` and
`context.always_load_files` against the declared domain. A topic names
`context/<domain>/<topic>.md`, with or without `.md`; a detection value
naming the subject of one topic file (`\"django\"` for `django_patterns.md`)
counts too, as the provider maps it to that file. Only where the
workspace has the domain's folder; placeholders are left alone.

## Why it matters

A topic with no file loads nothing, so the guidance the step counts on is
missing. It is information rather than a warning because a provider may
resolve topics its own way.

## Example

Bad (`context/python/` holds `flask_patterns.md`):

```markdown
2. Load `contextProvider.getConditionalContext(\"python\", \"flask_pattern\")`
```

Good:

```markdown
2. Load `contextProvider.getConditionalContext(\"python\", \"flask_patterns\")`
```

## Fix

Replaces the topic with the closest file of the domain: one a typo away,
or else one extending it. Safe: the name is misspelt. When several are
equally close (`ssync_patterns` with both `async_patterns.md` and
`sync_patterns.md`), the message names them all and each is offered as
its own fix, none preferred and none applied by `check --fix`: which was
meant is the author's call.";

/// Whether `topic` is the first word of exactly one topic file (`django` → `django_patterns`).
fn names_topic_by_prefix(domain: &Domain, topic: &str) -> bool {
    let prefix = format!("{}_", topic.strip_suffix(".md").unwrap_or(topic));
    domain.topics.iter().filter(|t| t.starts_with(&prefix)).count() == 1
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let ws = ctx.ws;
    if ws.context_dir.is_none() {
        return;
    }
    let doc = ctx.doc;
    let mut report = |domain: &Domain, topic: &str, range: TextRange, what: String| {
        if topic.contains('/') || domain.has_topic(topic) || names_topic_by_prefix(domain, topic) {
            return;
        }
        if domain.skipped > 0 {
            // The folder was too large to index whole: the topic may be among the skipped files.
            sink.report(
                range,
                format!(
                    "{what} names topic `{topic}`, which could not be confirmed: `context/{}/` holds {} entries more \
                     than the {MAX_DIR_ENTRIES} skill-lsp indexes, and they were skipped; keep a domain's folder \
                     smaller so its topics can be checked",
                    domain.name, domain.skipped
                ),
            );
            return;
        }
        let ext = if topic.ends_with(".md") { ".md" } else { "" };
        let stem = topic.strip_suffix(".md").unwrap_or(topic);
        let closest = lookup::closest_names(stem, domain.topics.iter().map(String::as_str));
        let quote = doc.slice(range).chars().next().filter(|c| matches!(c, '"' | '\''));
        // One fix per equally close topic: safe when there is one, the author's choice when several.
        let fix = Fix::one_of(
            closest
                .iter()
                .map(|c| {
                    let bare = format!("{c}{ext}");
                    let new = quote.map_or(bare.clone(), |q| format!("{q}{bare}{q}"));
                    Fix::safe(format!("Use the topic `{bare}`"), vec![Edit::replace(range, new)])
                })
                .collect(),
        );
        let advice = match closest.as_slice() {
            [_, ..] => lookup::did_you_mean(&closest, |c| format!("{c}{ext}")),
            [] => {
                // A long list would drown the message: name the first few.
                const LISTED: usize = 20;
                let names: Vec<&str> = domain.topics.iter().take(LISTED).map(String::as_str).collect();
                let more = domain.topics.len().saturating_sub(LISTED);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("its topics are {}{more}", names.join(", "))
            }
        };
        sink.report_fix(
            range,
            format!(
                "{what} names topic `{topic}`, but `context/{}/` has no such file: the guidance it should bring is not loaded; {advice}",
                domain.name
            ),
            fix,
        );
    };
    let (primary, _) = ctx.declared_domains();
    if let (Some(fm), [domain]) = (&doc.front_matter, primary) {
        if let Some(d) = ws.domains.get(domain) {
            for key in ["topics", "always_load_files"] {
                let items = fm
                    .node_at(&["context", key])
                    .and_then(|n| n.as_seq())
                    .unwrap_or_default();
                for item in items {
                    let Some(t) = item
                        .as_str()
                        .map(str::trim)
                        .filter(|t| !t.is_empty() && !t.contains(['{', '<']))
                    else {
                        continue;
                    };
                    report(d, t, item.range, format!("`context.{key}`"));
                }
            }
        }
    }
    for call in doc.calls.iter().filter(|c| c.is_known_receiver()) {
        if !matches!(call.receiver.as_str(), "contextProvider" | "executionContext") {
            continue;
        }
        let Some(domain) = ctx.arg_for(call, &["domain"]).and_then(lookup::literal) else {
            continue;
        };
        let Some(d) = ws.domains.get(domain) else { continue };
        let Some(arg) = ctx.arg_for(call, &["detection", "topic", "file"]) else {
            continue;
        };
        let Some(topic) = lookup::literal(arg) else { continue };
        report(
            d,
            topic,
            arg.value_range,
            format!("`{}.{}`", call.receiver, call.method),
        );
    }
}
