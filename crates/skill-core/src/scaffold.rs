//! Scaffolding: the text of a new skill (`skill-lsp new`) and of a commented
//! `skill-lsp.toml` (`skill-lsp init`).
//!
//! A new skill comes from the workspace's `SKILL_TEMPLATE.md` when there is
//! one, with its placeholders filled in, else from the built-in template of
//! its profile. The built-in workflow skill is assembled from the same
//! skeletons the fixes insert, so it follows the workspace's configured step
//! count, titles, per-step calls and sections, and checks clean; a filled-in
//! workspace template is mended by the fixes where it does not.

use std::path::Path;

use crate::analysis::{check, fix_document};
use crate::authoring::blanks::BLANKS;
use crate::authoring::{
    between, checklist_item, configured_step, content_end, required_call, required_instruction, Style,
};
use crate::config::{Config, StepRef};
use crate::diagnostic::Diagnostic;
use crate::fix::Edit;
use crate::model::SkillDoc;
use crate::profile::Profile;
use crate::schema::{is_kebab, quoted};
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::{line_ending, today};
use crate::workspace::{catalogue, links, Workspace};

/// What to scaffold.
#[derive(Debug, Clone)]
pub struct NewSkill<'a> {
    /// Kebab-case: the skill's `name` and folder.
    pub name: &'a str,
    /// The context domain (workflow) or `metadata.domain` (agentskills).
    pub domain: Option<&'a str>,
    pub profile: Profile,
    /// The folder the skill will live in, for relative links.
    pub dir: Option<&'a Path>,
    /// A template to fill in instead of the built-in one.
    pub template: Option<&'a str>,
}

/// A scaffolded skill: its text, and what a check of it at its place reports.
#[derive(Debug, Clone)]
pub struct Scaffold {
    pub text: String,
    /// Whether the text came from a template rather than the built-in one.
    pub from_template: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a skill cannot be scaffolded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldError(pub String);

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The text of a new skill, checked where it will live (`req.dir`).
pub fn new_skill(req: &NewSkill, ws: &Workspace, config: &Config) -> Result<Scaffold, ScaffoldError> {
    if !is_kebab(req.name) {
        return Err(ScaffoldError(format!(
            "`{}` is not a skill name: use 1 to 64 lowercase letters, digits and single hyphens, like `pdf-forms`",
            req.name
        )));
    }
    let domain = choose_domain(req, ws)?;
    let path = req.dir.map(|d| d.join("SKILL.md"));
    // The skill is written and fixed in the profile asked for.
    let forced = Config {
        profile: Some(req.profile),
        ..config.clone()
    };
    let built_in = || match req.profile {
        Profile::Workflow => workflow_skill(req.name, &domain, req.dir, ws, &forced),
        Profile::AgentSkills => standard_skill(req.name, req.domain),
    };
    let from_template = req.template.map(|template| {
        let filled = fill_template(template, req.name, &domain);
        let filled = settle_template(&filled, req.name, &domain, path.as_deref(), ws);
        // What the fixes can mend, they mend (steps, sections, checklist);
        // the calls the team's workflow requires are added to their steps.
        let fixed = fix_document(&filled, path.clone(), ws, &forced, true).text;
        let called = add_required_calls(&fixed, path.as_deref(), ws, &forced);
        // A call to another interface wants its link (SK303).
        fix_document(&called, path.clone(), ws, &forced, true).text
    });
    // Checked where it will live, as it will be checked there.
    let finish = |text: String| {
        let text = choosing_profile(text, req.profile, path.as_deref(), ws, config);
        let diagnostics = check(&SkillDoc::parse(text.as_str(), path.clone()), ws, config);
        (text, diagnostics)
    };
    if let Some(text) = from_template {
        let (text, diagnostics) = finish(text);
        if blanks_only(&text, &diagnostics) {
            return Ok(Scaffold {
                text,
                from_template: true,
                diagnostics,
            });
        }
        // A template the fixes could not make clean: the built-in skill
        // instead, rather than a new skill that starts with findings.
    }
    // The built-in skill, whose only findings are the blanks it leaves for
    // the author (SK123 names each one).
    let (text, diagnostics) = finish(built_in());
    Ok(Scaffold {
        text,
        from_template: false,
        diagnostics,
    })
}

/// Whether the only findings of a new skill are the blanks skill-lsp wrote
/// for its author to fill in (SK123 warns of each until it is filled).
pub fn blanks_only(text: &str, diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().all(|d| {
        d.code == "SK123"
            && text
                .get(d.range.start..d.range.end)
                .is_some_and(|b| BLANKS.contains(&b))
    })
}

/// The text with a `# skill-lsp: profile=...` comment opening its front
/// matter when, without one, it would be checked in another profile than
/// `profile` where it lives (a standard skill inside a workflow repository).
fn choosing_profile(text: String, profile: Profile, path: Option<&Path>, ws: &Workspace, config: &Config) -> String {
    let doc = SkillDoc::parse(text.as_str(), path.map(Path::to_path_buf));
    if Profile::resolve(&doc, ws, config) == profile {
        return text;
    }
    match text.split_once('\n') {
        Some((first, rest)) if first.trim_end() == "---" => {
            format!("{first}\n# skill-lsp: profile={profile}\n{rest}")
        }
        _ => text,
    }
}

/// `--domain`, checked against the workspace's `context/`; else the
/// workspace's only domain, `engineering`, its first, or `general`.
fn choose_domain(req: &NewSkill, ws: &Workspace) -> Result<String, ScaffoldError> {
    let known: Vec<&str> = ws.domains.keys().map(String::as_str).collect();
    match req.domain {
        Some(d) if req.profile == Profile::Workflow && ws.context_dir.is_some() && !known.contains(&d) => {
            Err(ScaffoldError(format!(
                "`{d}` is not a domain of this workspace's context/ folder; choose one of {}",
                known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            )))
        }
        Some(d) if d.trim().is_empty() || d.contains(['"', '\n', '\r', '\\']) => {
            Err(ScaffoldError(format!("`{d}` is not a domain name")))
        }
        Some(d) => Ok(d.to_string()),
        None if known.contains(&"engineering") => Ok("engineering".to_string()),
        None => Ok(known.first().map_or("general", |d| *d).to_string()),
    }
}

/// `pdf-forms` → `Pdf Forms`.
pub fn title_of(name: &str) -> String {
    name.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A template with its placeholders for the name, title, domain, version and
/// date filled in. Run-time placeholders (`{project-name}`, `{project}`,
/// `{YYYY-MM-DD}`) stay.
pub fn fill_template(template: &str, name: &str, domain: &str) -> String {
    let title = title_of(name);
    let mut out = template.to_string();
    for (from, to) in [
        ("{skill-name}", name),
        ("{skill_name}", name),
        ("{name}", name),
        ("{domain-name}", domain),
        ("{domain}", domain),
        ("{primary-domain}", domain),
        ("{Skill Title}", title.as_str()),
        ("{skill-title}", title.as_str()),
        ("{title}", title.as_str()),
        ("{X.Y.Z}", "1.0.0"),
        ("{date}", today().as_str()),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// Settles what a filled-in template still leaves open, the way an author
/// starting from it would: front matter values that are still placeholders
/// (a generated description; placeholder list entries dropped, the memory
/// file list falling back to `project_overview.md` and the tags to the
/// domain), Version History dates that are still placeholders (today), and
/// links to files that do not exist beside the new skill (kept as text).
pub fn settle_template(text: &str, name: &str, domain: &str, path: Option<&Path>, ws: &Workspace) -> String {
    let doc = SkillDoc::parse(text, path.map(Path::to_path_buf));
    let mut edits: Vec<Edit> = Vec::new();
    let placeholder = |s: &str| s.contains('{') && s.contains('}');
    if let Some(root) = doc.front_matter.as_ref().and_then(|f| f.root.as_ref()) {
        if let Some(entries) = root.as_map() {
            for e in entries {
                settle_value(&doc, &e.key, &e.value, name, domain, &mut edits);
            }
        }
    }
    if let Some(history) = &doc.history {
        for row in history.rows.iter().filter(|r| placeholder(&r.date)) {
            edits.push(Edit::replace(row.date_range, today()));
        }
    }
    for link in &doc.md.links {
        if let links::LinkTarget::File { path, .. } = links::resolve(ws, doc.dir(), &link.dest) {
            if !path.exists() {
                edits.push(Edit::replace(link.range, link.text.clone()));
            }
        }
    }
    crate::fix::apply_fixes(text, [&crate::fix::Fix::safe("settle the template", edits)]).0
}

/// The edit settling one front matter value (recursively in maps).
fn settle_value(doc: &SkillDoc, key: &str, node: &YamlNode, name: &str, domain: &str, edits: &mut Vec<Edit>) {
    let raw = doc.slice(node.range);
    let is_placeholder = |s: &str| s.contains('{') && s.contains('}');
    match &node.value {
        // `description: {Brief ...}` unquoted reads as a flow map.
        YamlValue::Map(_) if raw.starts_with('{') && key == "description" => {
            edits.push(Edit::replace(node.range, quoted(&default_description(name))));
        }
        YamlValue::String(s) if is_placeholder(s) && key == "description" => {
            edits.push(Edit::replace(node.range, quoted(&default_description(name))));
        }
        YamlValue::Map(entries) if !raw.starts_with('{') => {
            for e in entries {
                settle_value(doc, &e.key, &e.value, name, domain, edits);
            }
        }
        YamlValue::Seq(items) => {
            let is_map_list = items.iter().any(|i| i.as_map().is_some());
            if is_map_list {
                for item in items {
                    if let Some(entries) = item.as_map() {
                        for e in entries {
                            settle_value(doc, &e.key, &e.value, name, domain, edits);
                        }
                    }
                }
                return;
            }
            if !items.iter().any(|i| i.as_str().is_some_and(is_placeholder)) {
                return;
            }
            let mut kept: Vec<String> = items
                .iter()
                .filter(|i| !i.as_str().is_some_and(is_placeholder))
                .map(|i| doc.slice(i.range).to_string())
                .collect();
            if kept.is_empty() {
                match key {
                    "files" => kept.push("project_overview.md".to_string()),
                    "tags" => kept.push(quoted(domain)),
                    _ => {}
                }
            }
            edits.push(Edit::replace(node.range, format!("[{}]", kept.join(", "))));
        }
        _ => {}
    }
}

/// The description of a new skill, until its author writes one.
fn default_description(name: &str) -> String {
    let title = title_of(name);
    format!(
        "{title}: what the skill does, in one sentence. Use when a task calls for {}; replace this with the tasks that should trigger it.",
        title.to_lowercase()
    )
}

/// The built-in skill of the open standard.
fn standard_skill(name: &str, domain: Option<&str>) -> String {
    let title = title_of(name);
    let metadata = domain.map_or(String::new(), |d| format!("metadata:\n  domain: {}\n", quoted(d)));
    format!(
        "---\n\
name: {name}\n\
description: {}\n\
{metadata}\
---\n\
\n\
# {title}\n\
\n\
<!-- Written by `skill-lsp new`. Replace the comments and the generic text with the skill's own. -->\n\
\n\
## When to use\n\
\n\
Use this skill when the task matches its description. Name the requests, file types and situations that call for it.\n\
\n\
## Instructions\n\
\n\
1. Confirm what the user wants and which files are involved.\n\
2. Do the work step by step, checking each result before the next step.\n\
3. Report what was done and anything left for the user to decide.\n\
\n\
## Examples\n\
\n\
**Request**: a short example of what a user asks.\n\
\n\
**Result**: what the skill produces for it.\n",
        quoted(&format!(
            "{title}: what the skill does, in one sentence. Use when the user asks for {} work; replace this with the tasks that should trigger it.",
            title.to_lowercase()
        ))
    )
}

/// The built-in workflow skill: front matter, purpose, interface references,
/// the configured workflow from the fixes' skeletons, checklist, the
/// configured extra sections, version history.
fn workflow_skill(name: &str, domain: &str, dir: Option<&Path>, ws: &Workspace, config: &Config) -> String {
    let title = title_of(name);
    let description = default_description(name);
    let front = format!(
        "---\n\
name: {name}\n\
description: {}\n\
version: \"1.0.0\"\n\
context:\n\
\x20 primary_domain: {}\n\
\x20 always_load_files: []\n\
\x20 detection_required: true\n\
\x20 file_budget: 4\n\
\x20 topics: []\n\
memory:\n\
\x20 scopes:\n\
\x20   - type: \"skill-specific\"\n\
\x20     files: [project_overview.md]\n\
\x20   - type: \"shared-project\"\n\
\x20     usage: \"reference\"\n\
tags: [{}]\n\
---\n",
        quoted(&description),
        quoted(domain),
        quoted(domain)
    );
    // The steps' calls read the skill's name, domain and memory files from the front matter.
    let path = dir.map(|d| d.join("SKILL.md"));
    let head = SkillDoc::parse(front.as_str(), path);
    let style = Style::of(&head);
    let count = config.step_count;
    // Each step as the fix for a missing step inserts it and completion
    // offers it: the team's title, and the calls its workflow requires.
    let (titles, steps): (Vec<String>, Vec<String>) = (1..=count)
        .map(|n| configured_step(&head, ws, config, &style, n, count))
        .unzip();
    let checklist: Vec<String> = titles
        .iter()
        .zip(1..)
        .map(|(title, n)| checklist_item(n, title))
        .collect();
    let mut out = front;
    out.push_str(&format!(
        "\n# {title}\n\n<!-- Written by `skill-lsp new`. Replace the comments and the generic text with the skill's own. -->\n\n## Purpose\n\n{description}\n\n## Interface References\n\n{}\n\n## Mandatory Workflow\n\n{}\n\n## Compliance Checklist\n\n{}\n",
        interface_links(dir, ws, config),
        steps.join(&between(&style)),
        checklist.join("\n")
    ));
    let standard = [
        "purpose",
        "interface references",
        "version history",
        "compliance checklist",
    ];
    for section in config.workflow.sections.iter().flatten() {
        if !standard.contains(&section.to_lowercase().as_str()) {
            out.push_str(&format!(
                "\n## {section}\n\n<!-- What belongs under {section} in this team's skills. -->\n"
            ));
        }
    }
    out.push_str(&format!(
        "\n## Version History\n\n| Version | Date | Changes |\n|---------|------|---------|\n| 1.0.0 | {} | Initial release |\n",
        today()
    ));
    out
}

/// Links to the interface documents the skill calls (context, memory, and
/// whatever `[workflow.calls]` adds), relative to the skill's folder.
fn interface_links(dir: Option<&Path>, ws: &Workspace, config: &Config) -> String {
    let configured: Vec<&str> = config
        .workflow
        .calls
        .iter()
        .flat_map(|c| c.required.iter().flatten())
        .map(|p| p.receiver.as_str())
        .collect();
    [
        ("contextProvider", "Context", "Loaded"),
        ("memoryStore", "Memory", "Accessed"),
        ("skillInvoker", "Skills", "Delegated"),
        ("executionContext", "Execution", "Read"),
    ]
    .iter()
    .filter(|(r, ..)| matches!(*r, "contextProvider" | "memoryStore") || configured.contains(r))
    .map(|(receiver, label, verb)| {
        let file = catalogue::doc_file_name(receiver).unwrap_or("");
        let path = match (ws.interface_doc(receiver), dir) {
            (Some(target), Some(dir)) => links::relative_path(
                &std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
                &std::path::absolute(&target).unwrap_or(target),
            ),
            _ => None,
        }
        .unwrap_or_else(|| format!("../../interfaces/{file}"));
        let name = catalogue::interface_title(receiver).unwrap_or(receiver);
        format!("- **{label}**: {verb} via [{name} Interface]({path})")
    })
    .collect::<Vec<_>>()
    .join("\n")
}

/// The text with each call `[workflow.calls]` requires of a step and the step
/// does not make added as the next item of its numbered list.
fn add_required_calls(text: &str, path: Option<&Path>, ws: &Workspace, config: &Config) -> String {
    let doc = SkillDoc::parse(text, path.map(Path::to_path_buf));
    let Some(wf) = &doc.workflow else {
        return text.to_string();
    };
    let mut edits = Vec::new();
    for entry in &config.workflow.calls {
        let step = match entry.step {
            StepRef::Number(k) => wf.steps.iter().find(|s| s.number == k),
            StepRef::Last => wf.last_step(),
        };
        let Some(step) = step else { continue };
        let range = step.range(&doc.md);
        let Some(list) = step.numbered_list.map(|i| &doc.md.lists[i]) else {
            continue;
        };
        let mut next = list.ordered.unwrap_or(1) + list.items.len() as u64;
        let end = content_end(&doc.text, list.range);
        for group in &entry.required {
            let made = doc
                .calls
                .iter()
                .filter(|c| range.contains(c.range.start))
                .any(|c| group.iter().any(|p| p.matches(&c.receiver, &c.method)));
            if made {
                continue;
            }
            // Filled in as a skeleton's calls are: the skill's name, domain, `{project-name}`.
            let Some(call) = group.iter().find_map(|p| required_call(&doc, ws, p)) else {
                continue;
            };
            edits.push(Edit::insert(
                end,
                format!("{}{next}. {}", line_ending(text), required_instruction(&call)),
            ));
            next += 1;
        }
    }
    crate::fix::apply_fixes(text, [&crate::fix::Fix::safe("add the required calls", edits)]).0
}

/// The commented `skill-lsp.toml` that `skill-lsp init` writes.
pub fn init_config(profile: Option<Profile>) -> String {
    let profile_line = match profile {
        Some(p) => format!("profile = \"{p}\"\n"),
        None => "# profile = \"agentskills\"\n".to_string(),
    };
    format!(
        "# skill-lsp settings (every key is optional; `skill-lsp explain` lists the rules).\n\
\n\
# Which format the skills follow: \"workflow\" (the six-step workflow format of a\n\
# skills repository with interfaces/) or \"agentskills\" (the open Agent Skills\n\
# standard). Left out, each skill's is chosen for it: workflow inside a folder\n\
# holding interfaces/, else from what the skill looks like. One file can choose\n\
# its own with a front matter comment: `# skill-lsp: profile=agentskills`.\n\
{profile_line}\
\n\
# The skills root (the folder holding interfaces/), relative to this file,\n\
# when it is not this file's own folder.\n\
# root = \"plugin\"\n\
\n\
# The clients the skills are written for: claude-code, copilot, codex, cursor,\n\
# gemini. A front matter key only other clients define is reported as unknown.\n\
# Left out: every client.\n\
# clients = [\"claude-code\", \"codex\"]\n\
\n\
# Files not to check, in .gitignore syntax, relative to this file.\n\
ignore = []\n\
\n\
[workflow]\n\
# How many steps a workflow has (default 6).\n\
# steps = 6\n\
# The canonical title of each step, used by fixes and `skill-lsp new`\n\
# (one per step; giving them sets the step count).\n\
# titles = [\"Initial Analysis\", \"Load Memory\", \"Load Context\", \"Core Action\", \"Generate Output\", \"Update Memory\"]\n\
# The sections every skill must have (default: Purpose, Interface References, Version History).\n\
# sections = [\"Purpose\", \"Interface References\", \"Version History\"]\n\
\n\
# What each step must call: a receiver, or receiver.method; `|` separates\n\
# alternatives; `last` is the last step. Left out: memory and context loaded\n\
# before the core action, memory written in the last step.\n\
[workflow.calls]\n\
# 2 = [\"memoryStore.getSkillMemory\"]\n\
# 3 = [\"contextProvider\"]\n\
# last = [\"memoryStore.update|memoryStore.append\"]\n\
\n\
[rules]\n\
# Change a rule's severity (error, warning, information) or turn it off:\n\
# SK104 = \"off\"\n\
# SK503 = \"warning\"\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `new pdf-forms --domain python` in `dir`, from `template`.
    pub(super) fn python_skill_from(template: &str, dir: &Path, ws: &Workspace, config: &Config) -> Scaffold {
        let req = NewSkill {
            name: "pdf-forms",
            domain: Some("python"),
            profile: Profile::Workflow,
            dir: Some(dir),
            template: Some(template),
        };
        new_skill(&req, ws, config).unwrap()
    }

    fn scaffold(profile: Profile, ws: &Workspace, config: &Config, dir: &Path) -> Scaffold {
        let req = NewSkill {
            name: "pdf-forms",
            domain: None,
            profile,
            dir: Some(dir),
            template: None,
        };
        new_skill(&req, ws, config).unwrap()
    }

    #[test]
    fn built_in_skills_check_clean_in_their_profile() {
        let ws = Workspace::detached();
        let dir = Path::new("/nowhere/skills/pdf-forms");
        for profile in Profile::ALL {
            let s = scaffold(profile, &ws, &Config::default(), dir);
            assert!(
                blanks_only(&s.text, &s.diagnostics),
                "{profile}: {:?}\n{}",
                s.diagnostics,
                s.text
            );
            // The core step's blanks are named, so `check --strict` fails
            // until the author fills them in.
            let named: Vec<&str> = s
                .diagnostics
                .iter()
                .map(|d| &s.text[d.range.start..d.range.end])
                .collect();
            if profile == Profile::Workflow {
                for blank in ["{Core Action Name}", "{Describe the core action of this step}"] {
                    assert!(named.contains(&blank), "{named:?}");
                }
            }
            // On its own, a workflow skill says so: outside a skills root
            // every skill is a standard one unless its front matter says otherwise.
            let head = match profile {
                Profile::Workflow => "---\n# skill-lsp: profile=workflow\nname: pdf-forms\n",
                Profile::AgentSkills => "---\nname: pdf-forms\n",
            };
            assert!(s.text.starts_with(head), "{}", s.text);
            let doc = SkillDoc::parse(s.text.as_str(), Some(dir.join("SKILL.md")));
            assert_eq!(
                Profile::resolve(&doc, &ws, &Config::default()),
                profile,
                "reads as {profile} on its own too"
            );
        }
    }

    #[test]
    fn the_example_workspace_gets_its_links_domain_and_calls() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/skills");
        let ws = Workspace::load(&root);
        let dir = root.join("skills/pdf-forms");
        let s = scaffold(Profile::Workflow, &ws, &Config::default(), &dir);
        assert!(blanks_only(&s.text, &s.diagnostics), "{:?}\n{}", s.diagnostics, s.text);
        assert!(
            s.text.contains("primary_domain: \"python\""),
            "the first domain: {}",
            s.text
        );
        assert!(s.text.contains("(../../interfaces/memory_store.md)"));
        assert!(s.text.contains("memoryStore.getSkillMemory(\"pdf-forms\""));
        assert!(s.text.contains("contextProvider.getDomainIndex(\"python\")"));
        let bad = NewSkill {
            name: "x",
            domain: Some("cobol"),
            profile: Profile::Workflow,
            dir: None,
            template: None,
        };
        assert!(new_skill(&bad, &ws, &Config::default())
            .unwrap_err()
            .0
            .contains("`python`"));
    }

    #[test]
    fn the_team_workflow_shapes_the_new_skill() {
        let config = Config::from_toml(
            "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Research\", \"Act\", \"Record\"]\nsections = [\"Purpose\", \"Interface References\", \"Version History\", \"Examples\"]\n[workflow.calls]\n4 = [\"skillInvoker\"]\nlast = [\"memoryStore.append\"]\n",
        )
        .unwrap();
        let ws = Workspace::detached();
        let dir = Path::new("/nowhere/skills/pdf-forms");
        let s = scaffold(Profile::Workflow, &ws, &config, dir);
        assert!(blanks_only(&s.text, &s.diagnostics), "{:?}\n{}", s.diagnostics, s.text);
        assert!(s.text.contains("### Step 5: Record"));
        assert!(!s.text.contains("Step 6"));
        assert!(s.text.contains("- [ ] Step 3: Research"));
        assert!(s.text.contains("## Examples"));
        // The team's calls, filled in for the skill, each once.
        assert_eq!(s.text.matches("`skillInvoker.invoke(").count(), 1, "{}", s.text);
        assert!(
            s.text.contains(
                "3. Call `memoryStore.append(\"skill-specific/pdf-forms/{project-name}/file\", content)` as this workspace's workflow requires"
            ),
            "{}",
            s.text
        );
        // Each step is the one the fix for a missing step inserts and completion offers.
        let doc = SkillDoc::parse(s.text.as_str(), Some(dir.join("SKILL.md")));
        let style = Style::of(&doc);
        let forced = Config {
            profile: Some(Profile::Workflow),
            ..config.clone()
        };
        for n in 1..=5 {
            let (title, block) = configured_step(&doc, &ws, &forced, &style, n, 5);
            assert!(
                s.text.contains(&block),
                "step {n} ({title}) differs:\n{block}\n---\n{}",
                s.text
            );
        }
    }

    /// A workspace template's steps get the calls the team requires of them
    /// filled in, as the skeletons write them.
    #[test]
    fn a_templates_steps_get_the_teams_calls_filled_in() {
        let config =
            Config::from_toml("[workflow]\nsteps = 3\n[workflow.calls]\n1 = [\"contextProvider.getDomainIndex\"]\n")
                .unwrap();
        let template = "---\nname: {skill-name}\ndescription: {Brief one-line description}\nversion: \"1.0.0\"\ncontext:\n  primary_domain: \"{domain-name}\"\n  file_budget: 4\nmemory:\n  scopes:\n    - type: \"skill-specific\"\n      files: [project_overview.md]\n---\n\n# {Skill Title}\n\n## Purpose\n\nTeam template.\n\n## Interface References\n\n- **Context**: Loaded via [ContextProvider Interface](../../interfaces/context_provider.md)\n- **Memory**: Accessed via [MemoryStore Interface](../../interfaces/memory_store.md)\n\n## Mandatory Workflow\n\n### Step 1: Scope\n\n1. Ask what is in scope\n";
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/skills");
        let ws = Workspace::load(&root);
        let dir = root.join("skills/pdf-forms");
        let s = python_skill_from(template, &dir, &ws, &config);
        assert!(
            s.from_template && blanks_only(&s.text, &s.diagnostics),
            "{:?}\n{}",
            s.diagnostics,
            s.text
        );
        assert!(
            s.text
                .contains("1. Ask what is in scope\n2. Call `contextProvider.getDomainIndex(\"python\")` as this workspace's workflow requires"),
            "{:?}\n{}",
            s.diagnostics,
            s.text
        );
    }

    #[test]
    fn names_are_checked_and_templates_filled() {
        let req = NewSkill {
            name: "PDF Forms",
            domain: None,
            profile: Profile::AgentSkills,
            dir: None,
            template: None,
        };
        assert!(new_skill(&req, &Workspace::detached(), &Config::default()).is_err());
        let filled = fill_template(
            "# {skill-name} in {domain-name}: {Skill Title} v{X.Y.Z} for {project-name}",
            "pdf-forms",
            "python",
        );
        assert_eq!(filled, "# pdf-forms in python: Pdf Forms v1.0.0 for {project-name}");
        assert_eq!(title_of("pdf-forms-2"), "Pdf Forms 2");
    }

    #[test]
    fn the_init_config_reads_back_as_the_defaults() {
        assert_eq!(Config::from_toml(&init_config(None)).unwrap(), Config::default());
        let cfg = Config::from_toml(&init_config(Some(Profile::AgentSkills))).unwrap();
        assert_eq!(cfg.profile, Some(Profile::AgentSkills));
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    /// The forge repository's own template, filled in for a new skill, checks clean.
    #[test]
    fn the_forge_template_fills_in_clean() {
        let Some(root) = crate::testing::corpus::root("forge") else {
            return; // corpus not present
        };
        let ws = Workspace::load(&root);
        let template = ws.template.clone().expect("the forge root has a template");
        let dir = root.join("skills/pdf-forms");
        let s = super::tests::python_skill_from(&template, &dir, &ws, &Config::default());
        assert!(s.from_template, "{:?}\n{}", s.diagnostics, s.text);
        assert!(blanks_only(&s.text, &s.diagnostics), "{:?}", s.diagnostics);
        assert!(s.text.contains("name: pdf-forms"));
        assert!(
            s.text.contains("memoryStore.getSkillMemory(\"pdf-forms\""),
            "{}",
            s.text
        );
        assert!(s.text.contains("primary_domain: \"python\""));
    }
}
