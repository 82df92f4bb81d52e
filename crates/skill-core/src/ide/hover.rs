//! Hover: Markdown about what the cursor is on, with the range it covers.
//!
//! - a method: its signature and return type, the accepted alternative
//!   forms, its documentation and where it is defined;
//! - a receiver: its interface's methods;
//! - an argument: the parameter it fills, and what the workspace knows of
//!   the value (a domain's folder, a skill's description, a topic's file);
//! - a front matter key or value: the schema's description and allowed values;
//! - a step heading: the step's role in the workflow and what it must contain,
//!   in the skill's own style;
//! - a rule code (`SK201`): the rule's documentation;
//! - a diagnostic under the cursor ([`diagnostics_at`]): its rule, why it
//!   matters and how to fix it.

use std::path::PathBuf;

use crate::authoring::{
    canonical_title_in, evident_role, gate_line, instruction_block, memory_files, required_groups, role, skill_name,
    Role, Style,
};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::ide::cursor::{self, Target};
use crate::ide::describe::{defined_in, profile_summary, property_docs, signature_line, topic_count};
use crate::model::{Call, SkillDoc, Step};
use crate::profile::Profile;
use crate::rules::{self};
use crate::schema::{self, Schema};
use crate::text::TextRange;
use crate::workspace::catalogue::{self, best_fit, format_form};
use crate::workspace::{lookup, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about.
    pub range: TextRange,
    pub markdown: String,
    /// For a method: its interface document and the method's heading in it,
    /// so the editor can say on which line it is defined.
    pub definition: Option<(PathBuf, TextRange)>,
}

/// The hover at `offset`, if the cursor is on something the editor can say
/// more about, under `config` (its profile picks the front matter schema,
/// its `[workflow]` the step titles).
pub fn hover(doc: &SkillDoc, ws: &Workspace, config: &Config, offset: usize) -> Option<Hover> {
    let schema = schema::for_profile(Profile::resolve(doc, ws, config));
    let mut definition = None;
    let (range, markdown) = match cursor::target_at(doc, offset) {
        Target::Method(call) => {
            let receiver = interface_of(call)?;
            definition = definition_of(ws, receiver, &call.method);
            (call.method_range, method(ws, receiver, &call.method)?)
        }
        Target::Receiver(call) => (call.receiver_range, receiver(ws, call)?),
        Target::Argument { call, index } => (call.args[index].range, argument(doc, ws, call, index)?),
        Target::Key { path, range } => (range, key(schema, &path)?),
        Target::Value { path, range } => (range, value(schema, &path)?),
        Target::Heading(h) => {
            let step = cursor::step_of_heading(doc, h)?;
            (doc.md.headings[h].range, step_info(doc, ws, config, step))
        }
        Target::RuleCode { code, range } => (range, rule(&code)?),
        Target::ProfileOverride { range } => (range, profile_override(doc, ws, config, range)),
        Target::Link(_) | Target::None => {
            return written_method(doc, ws, offset).or_else(|| checklist_step(doc, ws, config, offset))
        }
    };
    Some(Hover {
        range,
        markdown,
        definition,
    })
}

/// `Step N` in a checklist item: what step N is and must contain.
fn checklist_step(doc: &SkillDoc, ws: &Workspace, config: &Config, offset: usize) -> Option<Hover> {
    let (range, step) = cursor::checklist_step_at(doc, offset)?;
    let heading = doc
        .slice(doc.md.headings[step.heading].range)
        .trim_start_matches('#')
        .trim();
    Some(Hover {
        range,
        markdown: format!("`{heading}`\n\n{}", step_info(doc, ws, config, step)),
        definition: None,
    })
}

/// The calls the team's `[workflow.calls]` require of step `n` (or of the
/// last step), one entry per group: `` `memoryStore.update` or `memoryStore.append` ``.
fn team_calls(config: &Config, is_last: bool, n: u32) -> Vec<String> {
    required_groups(config, n, is_last)
        .map(|group| group.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" or "))
        .collect()
}

/// What the profile an override comment names checks, and which profile applies.
fn profile_override(doc: &SkillDoc, ws: &Workspace, config: &Config, range: TextRange) -> String {
    let written = doc.slice(range);
    let applied = Profile::resolve(doc, ws, config);
    match Profile::parse(written) {
        Some(p) => format!(
            "Profile **{}**: {}\n\nThis file is checked in the `{}` profile.",
            p.as_str(),
            profile_summary(p),
            applied.as_str()
        ),
        None => {
            let names: Vec<String> = Profile::ALL.iter().map(|p| format!("`{}`", p.as_str())).collect();
            format!(
                "`{written}` is no profile: write {}. This file is checked in the `{}` profile.",
                names.join(" or "),
                applied.as_str()
            )
        }
    }
}

/// The interface document defining a method, and the method's heading in it.
fn definition_of(ws: &Workspace, receiver: &str, name: &str) -> Option<(PathBuf, TextRange)> {
    let iface = ws.catalogue.interface(receiver)?;
    let heading = iface.methods.iter().find(|m| m.name == name)?.heading?;
    Some((iface.doc.clone()?, heading))
}

/// The diagnostics whose ranges hold `offset`, explained: each one's rule,
/// why it matters and whether a fix is offered. `None` when there are none.
pub fn diagnostics_at(diagnostics: &[Diagnostic], offset: usize) -> Option<Hover> {
    let here: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.range.touches(offset)).collect();
    let range = here.iter().map(|d| d.range).reduce(|a, b| a.cover(b))?;
    let mut seen = Vec::new();
    let parts: Vec<String> = here
        .iter()
        .filter(|d| {
            let new = !seen.contains(&d.code);
            seen.push(d.code);
            new
        })
        .filter_map(|d| {
            let r = rules::find(d.code)?;
            let why = section(r.docs, "Why it matters").unwrap_or(r.summary);
            let fix = if d.fix.is_some() {
                " A quick fix is offered."
            } else {
                ""
            };
            Some(format!(
                "**{}** `{}`: {}\n\n{}{fix} (`skill-lsp explain {}` tells more.)",
                r.code, r.name, r.summary, why, r.code
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| Hover {
        range,
        markdown: parts.join("\n\n"),
        definition: None,
    })
}

/// The text of a `## title` section of a rule's docs, trimmed.
fn section<'d>(docs: &'d str, title: &str) -> Option<&'d str> {
    let start = docs.find(&format!("## {title}"))?;
    let body = &docs[start..];
    let body = &body[body.find('\n')? + 1..];
    let end = body.find("\n## ").unwrap_or(body.len());
    Some(body[..end].trim()).filter(|s| !s.is_empty())
}

/// A method named without a call (`memoryStore.update` in prose).
fn written_method(doc: &SkillDoc, ws: &Workspace, offset: usize) -> Option<Hover> {
    let text: &str = &doc.text;
    let word = cursor::word_at(text, offset)?;
    let b = text.as_bytes();
    if word.start == 0 || b[word.start - 1] != b'.' {
        // A receiver named on its own (`memoryStore` in prose).
        let name = &text[word.start..word.end];
        let known = crate::model::KNOWN_RECEIVERS.iter().find(|r| **r == name)?;
        return Some(Hover {
            range: word,
            markdown: interface_info(ws, name, known)?,
            definition: None,
        });
    }
    let recv = cursor::ident_before(text, word.start - 1);
    let receiver = &text[recv.start..recv.end];
    let known = crate::model::KNOWN_RECEIVERS.contains(&receiver).then_some(receiver);
    let receiver = known.or_else(|| crate::model::near_receiver(receiver))?;
    let name = &text[word.start..word.end];
    ws.catalogue.method(receiver, name)?;
    Some(Hover {
        range: word,
        markdown: method(ws, receiver, name)?,
        definition: definition_of(ws, receiver, name),
    })
}

fn method(ws: &Workspace, receiver: &str, name: &str) -> Option<String> {
    let iface = ws.catalogue.interface(receiver)?;
    let Some(m) = iface.methods.iter().find(|m| m.name == name) else {
        let names = iface.methods.iter().map(|m| m.name.as_str());
        let hint = match lookup::closest_method(name, names) {
            Some(c) => format!(" Did you mean `{c}`?"),
            None => String::new(),
        };
        return Some(format!(
            "`{receiver}` defines no method `{name}`.{hint}\n\n{}",
            defined_in(ws, receiver)
        ));
    };
    let mut out = format!(
        "```text\n{receiver}.{}\n```",
        signature_line(&m.name, &m.params, m.returns.as_deref())
    );
    if !m.alt_forms.is_empty() {
        let alts: Vec<String> = m
            .alt_forms
            .iter()
            .map(|f| format!("`{}`", format_form(&m.name, f)))
            .collect();
        out.push_str(&format!("\n\nAlso accepted: {}", alts.join(", ")));
    }
    if !m.docs.trim().is_empty() {
        out.push_str("\n\n");
        out.push_str(m.docs.trim());
    }
    if let Some(r) = &m.returns {
        if !m.docs.contains("**Returns**") {
            out.push_str(&format!("\n\nReturns `{r}`."));
        }
    }
    out.push_str("\n\n");
    out.push_str(&defined_in(ws, receiver));
    Some(out)
}

fn receiver(ws: &Workspace, call: &Call) -> Option<String> {
    interface_info(ws, &call.receiver, interface_of(call)?)
}

/// An interface's methods and where they are defined; `written` is the
/// receiver as the skill writes it, `known` the one it stands for.
fn interface_info(ws: &Workspace, written: &str, known: &str) -> Option<String> {
    let iface = ws.catalogue.interface(known)?;
    let title = catalogue::interface_title(known).unwrap_or(known);
    let mut out = format!("**{title}** interface");
    if known != written {
        out.push_str(&format!(" (`{written}` is not a receiver: write `{known}`)"));
    }
    out.push_str("\n\n");
    let list: Vec<String> = iface.methods.iter().map(|m| format!("- `{}`", m.signature())).collect();
    out.push_str(&list.join("\n"));
    out.push_str("\n\n");
    out.push_str(&defined_in(ws, known));
    Some(out)
}

/// The known receiver a call's receiver is or stands for (`memstore` → `memoryStore`).
fn interface_of(call: &Call) -> Option<&str> {
    if call.is_known_receiver() {
        Some(&call.receiver)
    } else {
        call.near_miss_of()
    }
}

fn argument(doc: &SkillDoc, ws: &Workspace, call: &Call, index: usize) -> Option<String> {
    let m = ws.catalogue.method(interface_of(call)?, &call.method)?;
    let binding = best_fit(m, &call.args).ok()?;
    let param = binding.bound.iter().find(|(i, _)| *i == index).map(|(_, p)| *p)?;
    let form = m.forms().nth(binding.form).unwrap_or(&m.params);
    let mut out = format!("`{}` of `{}.{}`", param.name, call.receiver, format_form(&m.name, form));
    let value = call.args[index].as_str().map(str::trim);
    let n: String = param
        .name
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    if let Some(v) = value {
        let about = match n.as_str() {
            "domain" if ws.context_dir.is_some() => Some(match ws.domains.get(v) {
                Some(d) => format!(
                    "Context domain `context/{v}/`: {} ({}{}).",
                    topic_count(d.topics.len()),
                    d.topics.iter().take(8).cloned().collect::<Vec<_>>().join(", "),
                    if d.topics.len() > 8 { ", ..." } else { "" }
                ),
                None => format!("`{v}` is not a folder of `context/`."),
            }),
            "skillname" | "skill" if call.receiver == "skillInvoker" => Some(match ws.skills.get(v) {
                Some(s) => format!("Skill `{v}`: {}", s.description),
                None => format!("No skill named `{v}` in this workspace."),
            }),
            "skillname" | "skill" => {
                (v != skill_name(doc)).then(|| format!("This skill is named `{}`.", skill_name(doc)))
            }
            "detection" | "topic" | "file" => binding
                .arg_for(&call.args, &["domain"])
                .and_then(|a| a.as_str())
                .and_then(|d| ws.domains.get(d.trim()))
                .map(|domain| {
                    // The topic of the domain the call names.
                    let stem = v.strip_suffix(".md").unwrap_or(v);
                    if domain.has_topic(stem) {
                        format!("Context file `context/{}/{stem}.md`.", domain.name)
                    } else {
                        format!("`{stem}` is no topic of `context/{}/`.", domain.name)
                    }
                }),
            "filetype" | "filename" => {
                let files = memory_files(doc);
                (!files.is_empty()).then(|| format!("Memory files of this skill: {}.", files.join(", ")))
            }
            _ => None,
        };
        if let Some(a) = about {
            out.push_str("\n\n");
            out.push_str(&a);
        }
    }
    Some(out)
}

/// A key path for the schema: list indices become `*`.
fn schema_path(path: &[String]) -> Vec<&str> {
    path.iter()
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                s.as_str()
            }
        })
        .collect()
}

fn key(schema: &'static Schema, path: &[String]) -> Option<String> {
    let p = schema_path(path);
    let info = schema.property(&p)?;
    Some(format!(
        "**{}**\n\n{}",
        schema::display_path(path),
        property_docs(&info)
    ))
}

fn value(schema: &'static Schema, path: &[String]) -> Option<String> {
    // A list item's value: about the list.
    let mut p = schema_path(path);
    while p.last() == Some(&"*") {
        p.pop();
    }
    let info = schema.property(&p)?;
    Some(format!("**{}**\n\n{}", schema::display_path(&p), property_docs(&info)))
}

fn rule(code: &str) -> Option<String> {
    let r = rules::find(code)?;
    Some(format!(
        "**{}** `{}` ({:?})\n\n{}\n\n{}",
        r.code, r.name, r.severity, r.summary, r.docs
    ))
}

/// What a step is for and what it must contain, in the skill's style.
fn step_info(doc: &SkillDoc, ws: &Workspace, config: &Config, step: &Step) -> String {
    let in_workflow = doc
        .workflow
        .as_ref()
        .filter(|w| w.steps.iter().any(|s| s.heading == step.heading));
    let count = in_workflow.map_or(6, |w| u32::try_from(w.steps.len()).unwrap_or(u32::MAX));
    let n = step.number;
    // A step is what its place in the workflow makes it: a misnumbered one
    // (`Step 4: Load Context` after step 2) is described by its position,
    // or by what it evidently does, not by its wrong number.
    let position = in_workflow
        .and_then(|w| w.steps.iter().position(|s| s.heading == step.heading))
        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX));
    let at = position.unwrap_or(n);
    let r = match position {
        Some(p) if p != n => evident_role(doc, step).unwrap_or_else(|| role(p, count)),
        _ => role(n, count),
    };
    let name = skill_name(doc);
    let (what, must) = match r {
        Role::Analysis => ("initial analysis: the inputs, the project and the scope", None),
        Role::Memory => (
            "loading what earlier runs learned about the project",
            Some(format!(
                "`memoryStore.getSkillMemory(\"{name}\", \"{{project-name}}\")`"
            )),
        ),
        Role::Context => (
            "loading the domain knowledge the task needs",
            Some(match doc.primary_domain() {
                Some((d, _)) => format!("a `contextProvider` call, such as `contextProvider.getDomainIndex(\"{d}\")`"),
                None => "a `contextProvider` call".to_string(),
            }),
        ),
        Role::Core => ("the skill's core action", None),
        Role::Output => (
            "generating the output",
            Some(format!(
                "the output path `/claudedocs/{name}_{{project}}_{{YYYY-MM-DD}}.md`"
            )),
        ),
        Role::UpdateMemory => (
            "updating memory with what this run learned",
            Some(format!("`memoryStore.update(\"{name}\", \"{{project-name}}\", ...)`")),
        ),
    };
    let mut out = if position.is_some_and(|p| p != n) {
        format!(
            "**Step {n}**, the {at}{} of {count} steps: {what}. It is numbered as step {n}; renumber it {at} (SK103).",
            ordinal_suffix(at)
        )
    } else if in_workflow.is_some() {
        format!("**Step {n} of {count}**: {what}.")
    } else {
        format!("**Step {n}**, outside the workflow section (a pasted step list?): {what}.")
    };
    let canonical = canonical_title_in(ws, config, at, count.max(at));
    if !canonical.starts_with('{') && !canonical.eq_ignore_ascii_case(&step.title) {
        out.push_str(&format!(" The canonical title is *{canonical}*."));
    }
    let style = Style::of(doc);
    out.push_str("\n\nIt must contain:\n");
    out.push_str(&format!(
        "- a numbered list of instructions introduced by `{}`\n",
        crate::authoring::intro_line(style.body)
    ));
    // The team's `[workflow.calls]` replace the built-in expectations.
    let team = team_calls(config, in_workflow.is_some_and(|w| w.last_step() == Some(step)), at);
    if team.is_empty() {
        if let Some(m) = must {
            out.push_str(&format!("- {m}\n"));
        }
    }
    for group in team {
        out.push_str(&format!("- a call to {group} (`[workflow.calls]` in skill-lsp.toml)\n"));
    }
    if r == Role::UpdateMemory {
        let files = memory_files(doc);
        if !files.is_empty() {
            out.push_str(&format!(
                "- the memory files of the front matter: {}\n",
                files.join(", ")
            ));
        }
    }
    if style.gate {
        out.push_str(&format!("- a closing gate line such as `{}`\n", gate_line(r)));
    }
    let mut sample = instruction_block(doc, &style, r);
    if style.gate {
        sample.push_str(&format!("{0}{0}{1}", style.eol, gate_line(r)));
    }
    let missing: Vec<&str> = [
        (step.instructions.is_none(), "instructions"),
        (style.gate && step.gate.is_none(), "gate line"),
    ]
    .iter()
    .filter(|(m, _)| *m)
    .map(|(_, w)| *w)
    .collect();
    if !missing.is_empty() {
        out.push_str(&format!("\nThis step has no {} yet.\n", missing.join(" and no ")));
    }
    out.push_str(&format!("\nIn this skill's style:\n\n```markdown\n{sample}\n```"));
    out
}

/// `st`, `nd`, `rd` or `th`, as English writes the ordinal of `n`.
fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_at(text: &str, needle: &str, ws: &Workspace) -> Option<Hover> {
        let doc = SkillDoc::parse(text, Some("skills/demo/SKILL.md".into()));
        let offset = text.find(needle).unwrap_or_else(|| panic!("{needle}")) + 1;
        hover(&doc, ws, &workflow(), offset)
    }

    /// The test skills are workflow skills away from any skills root: checked
    /// so by configuration (a skill file's own comment still wins).
    fn workflow() -> Config {
        Config {
            profile: Some(crate::profile::Profile::Workflow),
            ..Config::default()
        }
    }

    const TEXT: &str = "---\nname: demo\nversion: \"1.0.0\"\ncontext:\n  detection_required: true\nmemory:\n  scopes:\n    - type: skill-specific\n      files: [project_overview.md]\n---\n# Demo\n\n## Mandatory Workflow\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n\n**YOU MUST:**\n1. Ask\n\n**DO NOT PROCEED WITHOUT A SCOPE**\n\n### ⚠️ STEP 2: Load Memory (REQUIRED)\n\n**YOU MUST:**\n1. 🚀 `memoryStore.getSkillMemory(skill=\"demo\", project=\"{project-name}\")`\n\n### ⚠️ STEP 3: Finish (REQUIRED)\n\n**YOU MUST:**\n1. Call `memoryStore.update(\"demo\", \"{project-name}\", \"project_overview.md\", ...)`\n\nSee SK106 and memoryStore.getByProject in prose.\n";

    #[test]
    fn methods_receivers_and_arguments() {
        let ws = Workspace::detached();
        let h = hover_at(TEXT, "etSkillMemory", &ws).unwrap();
        assert!(h
            .markdown
            .contains("memoryStore.getSkillMemory(skillName, projectName) → MemoryEntry[]"));
        assert!(h.markdown.contains("built-in catalogue"));
        assert_eq!(&TEXT[h.range.start..h.range.end], "getSkillMemory");
        let h = hover_at(TEXT, "pdate(", &ws).unwrap();
        assert!(
            h.markdown
                .contains("Also accepted: `update(skillName, projectName, fileType, content)`"),
            "{}",
            h.markdown
        );
        let h = hover_at(TEXT, "emoryStore.getSkill", &ws).unwrap();
        assert!(h.markdown.starts_with("**MemoryStore** interface"));
        let h = hover_at(TEXT, "project=", &ws).unwrap();
        assert!(
            h.markdown.starts_with("`projectName` of `memoryStore.getSkillMemory"),
            "{}",
            h.markdown
        );
        let h = hover_at(TEXT, "\"project_overview.md\"", &ws).unwrap();
        assert!(
            h.markdown.contains("Memory files of this skill: project_overview.md."),
            "{}",
            h.markdown
        );
        let mut ws_py = Workspace::detached();
        ws_py.context_dir = Some("context".into());
        ws_py.domains.insert(
            "python".into(),
            crate::workspace::Domain {
                name: "python".into(),
                dir: "context/python".into(),
                topics: ["fastapi_patterns".to_string()].into_iter().collect(),
                skipped: 0,
            },
        );
        let text = format!("{TEXT}\n`contextProvider.getConditionalContext(\"python\", \"fastapi_patterns\")` and `memstore.getSkillMemory(\"demo\", \"p\")`\n");
        let h = hover_at(&text, "astapi_patterns\"", &ws_py).unwrap();
        assert!(
            h.markdown
                .ends_with("Context file `context/python/fastapi_patterns.md`."),
            "{}",
            h.markdown
        );
        let h = hover_at(&text, "ython\", \"fastapi", &ws_py).unwrap();
        assert!(
            h.markdown
                .contains("Context domain `context/python/`: 1 topic (fastapi_patterns)."),
            "{}",
            h.markdown
        );
        let h = hover_at(&text, "etSkillMemory(\"demo\", \"p\")", &ws_py).unwrap();
        assert!(
            h.markdown
                .contains("memoryStore.getSkillMemory(skillName, projectName)"),
            "a near-miss receiver: {}",
            h.markdown
        );
        let h = hover_at(TEXT, "etByProject", &ws).unwrap();
        assert!(h.markdown.contains("getByProject(projectName)"));
        let h = hover_at(TEXT, "emoryStore.getByProject", &ws).unwrap();
        assert!(
            h.markdown.starts_with("**MemoryStore** interface"),
            "a receiver in prose: {}",
            h.markdown
        );
        assert!(h.markdown.contains("getByProject(projectName)"));
    }

    #[test]
    fn front_matter_keys_and_values() {
        let ws = Workspace::detached();
        let h = hover_at(TEXT, "etection_required", &ws).unwrap();
        assert!(
            h.markdown.starts_with("**context.detection_required**"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("Type: boolean"));
        let h = hover_at(TEXT, "kill-specific\n", &ws).unwrap();
        assert!(
            h.markdown
                .contains("Allowed values: `skill-specific`, `shared-project`"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn step_headings_say_what_the_step_must_contain() {
        let ws = Workspace::detached();
        let h = hover_at(TEXT, "## ⚠️ STEP 2", &ws).unwrap();
        assert!(h.markdown.starts_with("**Step 2 of 3**"), "{}", h.markdown);
        assert!(h.markdown.contains("`**YOU MUST:**`"));
        assert!(
            h.markdown.contains("memoryStore.getSkillMemory(\\\"demo\\\"")
                || h.markdown.contains("memoryStore.getSkillMemory(\"demo\"")
        );
        assert!(h.markdown.contains("This step has no gate line yet."), "{}", h.markdown);
        for heading in ["### Step 2: Load Memory", "#### **Step 2: Load Memory**"] {
            let text = TEXT.replace("### ⚠️ STEP 2: Load Memory (REQUIRED)", heading);
            let h = hover_at(&text, &heading[1..], &ws).unwrap();
            assert!(h.markdown.starts_with("**Step 2 of 3**"), "{heading}: {}", h.markdown);
        }
    }

    /// `STEP 4: Load Context` right after step 2 is described as the step
    /// it is (the 3rd, loading context), not as step 4's core action.
    #[test]
    fn a_misnumbered_step_is_described_by_its_place_and_title() {
        let ws = Workspace::detached();
        let text = "---\nname: demo\n---\n# Demo\n\n## Workflow\n\n### Step 1: Scope\n\n1. a\n\n### Step 2: Load Memory\n\n1. b\n\n### Step 4: Load Context\n\n1. c\n\n### Step 5: Review\n\n1. d\n\n### Step 6: Report\n\n1. e\n\n### Step 7: Update Memory\n\n1. f\n";
        let h = hover_at(text, "## Step 4", &ws).unwrap();
        assert!(
            h.markdown
                .starts_with("**Step 4**, the 3rd of 6 steps: loading the domain knowledge the task needs."),
            "{}",
            h.markdown
        );
        assert!(!h.markdown.contains("core action"), "{}", h.markdown);
        assert!(h.markdown.contains("contextProvider"), "{}", h.markdown);
    }

    #[test]
    fn diagnostics_under_the_cursor_are_explained() {
        let text = TEXT.replace("### ⚠️ STEP 3: Finish (REQUIRED)", "### ⚠️ STEP 4: Finish (REQUIRED)");
        let doc = SkillDoc::parse(text.as_str(), Some("skills/demo/SKILL.md".into()));
        let diags = crate::check(&doc, &Workspace::detached(), &workflow());
        let at = text.find("STEP 4").unwrap() + 6;
        let h = diagnostics_at(&diags, at).expect("a diagnostic on the misnumbered step");
        for d in diags.iter().filter(|d| d.range.touches(at)) {
            let r = rules::find(d.code).unwrap();
            assert!(
                h.markdown.contains(&format!("**{}** `{}`", r.code, r.name)),
                "{}",
                h.markdown
            );
            assert!(h.markdown.contains(&format!("skill-lsp explain {}", r.code)));
        }
        assert!(
            !h.markdown.contains("## "),
            "only the why, not the whole page: {}",
            h.markdown
        );
        assert!(diagnostics_at(&diags, 0).is_none() || diags.iter().any(|d| d.range.touches(0)));
    }

    #[test]
    fn profile_override_comments() {
        let text = "---\n# skill-lsp: profile=agentskills\nname: demo\ndescription: x\n---\n# T\n";
        let h = hover_at(text, "gentskills", &Workspace::detached()).unwrap();
        assert!(h.markdown.starts_with("Profile **agentskills**"), "{}", h.markdown);
        assert!(
            h.markdown.ends_with("checked in the `agentskills` profile."),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn checklist_items_show_their_step() {
        let text = format!("{TEXT}\n## Compliance Checklist\n\n- [ ] Step 2: memory loaded\n");
        let h = hover_at(&text, "tep 2: memory loaded", &Workspace::detached()).unwrap();
        assert!(
            h.markdown
                .starts_with("`⚠️ STEP 2: Load Memory (REQUIRED)`\n\n**Step 2 of 3**"),
            "{}",
            h.markdown
        );
        assert_eq!(&text[h.range.start..h.range.end], "Step 2");
    }

    #[test]
    fn step_headings_name_the_teams_required_calls() {
        let config = Config::from_toml(
            "[workflow]\nsteps = 3\n[workflow.calls]\n2 = [\"memoryStore.getSkillMemory\"]\nlast = [\"memoryStore.update|memoryStore.append\"]\n",
        )
        .unwrap();
        let doc = SkillDoc::parse(TEXT, Some("skills/demo/SKILL.md".into()));
        let at = TEXT.find("STEP 3").unwrap();
        let h = hover(&doc, &Workspace::detached(), &config, at).unwrap();
        assert!(
            h.markdown
                .contains("- a call to `memoryStore.update` or `memoryStore.append` (`[workflow.calls]`"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn rule_codes() {
        let h = hover_at(TEXT, "K106", &Workspace::detached()).unwrap();
        assert!(
            h.markdown.starts_with("**SK106** `step-without-gate`"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("## What it checks"));
    }
}
