//! SK610 `evals-invalid`: `evals/evals.json` does not follow its documented
//! format.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diagnostic::Severity;
use crate::model::anchor;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK610",
    name: "evals-invalid",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "`evals/evals.json` is not valid JSON or does not follow the documented evals format",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

When the skill's folder holds `evals/evals.json`, that it follows the
format documented with Anthropic's skill-creator (`references/schemas.md`
in the `anthropics/skills` repository, section `evals.json`):

```json
{
  \"skill_name\": \"example-skill\",
  \"evals\": [
    {\"id\": 1, \"prompt\": \"...\", \"expected_output\": \"...\",
     \"files\": [\"evals/files/sample1.pdf\"], \"expectations\": [\"...\"]}
  ]
}
```

That documentation gives the fields but does not say which are required
(only `files` is called optional), so only what is certain is checked: the
file is JSON; the top level is an object with an `evals` array; each eval
is an object with a non-empty string `prompt`; `id`, where given, is an
integer no other eval uses; `skill_name`, where given, is a string equal to
the skill's `name`; `expected_output`, where given, is a string;
`expectations` and `files`, where given, are arrays of strings, and each of
`files` exists (relative to the skill's folder). Fields the documentation
does not name are left alone. One finding per problem, on the place where
`SKILL.md` mentions `evals/evals.json` (else on the skill's `name`).

## Why it matters

Evals are how a skill's author shows it works and keeps it working; an
evals file the harness cannot read, or whose cases point at files that are
not there, fails silently or tests nothing.

## Example

Bad: `{\"skill_name\": \"pdf\", \"evals\": [{\"id\": \"one\", \"prompt\": \"\"}]}`

Good: `{\"skill_name\": \"pdf\", \"evals\": [{\"id\": 1, \"prompt\": \"Fill in form.pdf\", \"expectations\": [\"The output is a PDF\"]}]}`

## Fix

Correct the field the message names.";

pub(crate) const EVALS: &str = "evals/evals.json";

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(dir) = doc.dir() else { return };
    let bundle = ctx.ws.bundle(dir);
    let Some(file) = bundle.file(EVALS) else { return };
    let range = anchor::bundled_file(doc, EVALS);
    let Some(text) = &file.text else {
        sink.report(
            range,
            format!("`{EVALS}` is not a readable text file: an evals harness cannot read it"),
        );
        return;
    };
    let problems = problems(text, doc.name().map(|(n, _)| n), &|p| ctx.ws.file_exists(&dir.join(p)));
    for p in problems {
        sink.report(
            range,
            format!("`{EVALS}`: {p}; the evals harness cannot run these cases as written"),
        );
    }
}

/// What is wrong with an evals file, in reading order.
pub(crate) fn problems(text: &str, skill_name: Option<&str>, exists: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "not valid JSON (line {}, column {}: {e})",
                e.line(),
                e.column()
            )]
        }
    };
    let Some(obj) = root.as_object() else {
        return vec!["the top level must be an object with an `evals` array".into()];
    };
    match obj.get("skill_name") {
        None => {}
        Some(Value::String(s)) => {
            if let Some(name) = skill_name.filter(|n| n != s) {
                out.push(format!("`skill_name` is \"{s}\" but the skill is named \"{name}\""));
            }
        }
        Some(_) => out.push("`skill_name` must be a string".into()),
    }
    let Some(evals) = obj.get("evals") else {
        out.push("there is no `evals` array".into());
        return out;
    };
    let Some(evals) = evals.as_array() else {
        out.push("`evals` must be an array".into());
        return out;
    };
    let mut ids = BTreeSet::new();
    for (i, e) in evals.iter().enumerate() {
        let at = format!("evals[{i}]");
        let Some(e) = e.as_object() else {
            out.push(format!("`{at}` must be an object"));
            continue;
        };
        match e.get("prompt") {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            Some(Value::String(_)) => out.push(format!("`{at}.prompt` is empty")),
            Some(_) => out.push(format!("`{at}.prompt` must be a string")),
            None => out.push(format!("`{at}` has no `prompt`")),
        }
        match e.get("id") {
            None => {}
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {
                let first_use = ids.insert(n.to_string());
                if !first_use {
                    out.push(format!("`{at}.id` {n} is used by an earlier eval"));
                }
            }
            Some(_) => out.push(format!("`{at}.id` must be an integer")),
        }
        if e.get("expected_output").is_some_and(|v| !v.is_string()) {
            out.push(format!("`{at}.expected_output` must be a string"));
        }
        for key in ["expectations", "files"] {
            match e.get(key) {
                None => {}
                Some(Value::Array(items)) => {
                    for (k, item) in items.iter().enumerate() {
                        match item.as_str() {
                            None => out.push(format!("`{at}.{key}[{k}]` must be a string")),
                            Some(p) if key == "files" && !exists(p) => out.push(format!(
                                "`{at}.files[{k}]` \"{p}\" does not exist in the skill's folder"
                            )),
                            Some(_) => {}
                        }
                    }
                }
                Some(_) => out.push(format!("`{at}.{key}` must be an array of strings")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_what_the_documented_format_makes_certain() {
        let none = |_: &str| false;
        assert!(problems(
            r#"{"skill_name":"pdf","evals":[{"id":1,"prompt":"Fill it","expected_output":"A PDF","expectations":["x"]}]}"#,
            Some("pdf"),
            &none
        )
        .is_empty());
        let p = problems(
            r#"{"skill_name":"pdfs","evals":[{"id":"one","prompt":""},{"id":2,"prompt":"x","files":["a.pdf"]},{"id":2,"prompt":"y"}]}"#,
            Some("pdf"),
            &none,
        );
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(problems("{", None, &none)[0].starts_with("not valid JSON"));
    }
}
