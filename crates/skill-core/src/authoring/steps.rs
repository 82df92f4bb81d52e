//! Text the workflow fixes insert — step headings, step skeletons, gate
//! lines, checklist items — written in the skill's own style: its heading
//! style and level, `**YOU MUST:**` or `**Purpose**/**Actions**` bodies, gate
//! lines, `---` rules between steps, and its line ending. Interface calls in
//! a skeleton carry the skill's `name` and `primary_domain`.

use crate::config::{CallPattern, Config, StepRef};
use crate::fix::{Edit, Fix};
use crate::model::{BodyStyle, SkillDoc, Step, StepStyle};
use crate::text::TextRange;
use crate::workspace::catalogue::{norm, Param};
use crate::workspace::Workspace;

/// How the skill writes its workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Style {
    pub heading: StepStyle,
    /// Heading level of the steps (3 for `###`).
    pub level: u8,
    pub body: BodyStyle,
    /// Whether steps end with a `**DO NOT ...**` gate line.
    pub gate: bool,
    /// Whether a blank line follows each step heading.
    pub blank_after_heading: bool,
    /// Whether a `---` line separates the steps.
    pub rule_between: bool,
    pub eol: &'static str,
}

/// The template's own style (`SKILL_TEMPLATE.md`): plain `### Step N:` headings,
/// Purpose/Actions/Validation bodies, `---` between steps.
fn template_style(eol: &'static str) -> Style {
    Style {
        heading: StepStyle::Plain,
        level: 3,
        body: BodyStyle::Actions,
        gate: false,
        blank_after_heading: true,
        rule_between: true,
        eol,
    }
}

/// The most common value, ties going to the one seen first. The values
/// are few (step styles, heading levels): a list searched in order costs
/// less than hashing them.
fn majority<T: Copy + Eq>(items: impl IntoIterator<Item = T>) -> Option<T> {
    // Each value with its count, in the order first seen.
    let mut counts: Vec<(T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(value, _)| *value == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    let most = counts.iter().map(|&(_, n)| n).max()?;
    counts.into_iter().find(|&(_, n)| n == most).map(|(value, _)| value)
}

impl Style {
    /// The style of the skill's workflow (or of its stray step lists when it
    /// has no workflow), else the template's.
    pub fn of(doc: &SkillDoc) -> Style {
        let eol = doc.eol;
        let steps: Vec<&Step> = match doc.workflow.as_ref().filter(|w| !w.steps.is_empty()) {
            Some(w) => w.steps.iter().collect(),
            None => doc.stray_step_lists.iter().flat_map(|l| &l.steps).collect(),
        };
        if steps.is_empty() {
            return template_style(eol);
        }
        // Steps written with an instruction block weigh double: a step pasted in
        // by a bulk edit usually has none, so a tie goes to the skill's own style.
        let weighted = steps.iter().flat_map(|s| {
            let weight = if s.instructions.is_some() { 2 } else { 1 };
            std::iter::repeat_n(s.style, weight)
        });
        let heading = majority(weighted).unwrap_or(StepStyle::Plain);
        let level = majority(
            steps
                .iter()
                .filter(|s| s.style == heading)
                .map(|s| doc.md.headings[s.heading].level),
        )
        .unwrap_or(3);
        let default_body = if heading == StepStyle::Warning {
            BodyStyle::YouMust
        } else {
            BodyStyle::Actions
        };
        let body =
            majority(steps.iter().filter_map(|s| s.instructions.as_ref().map(|i| i.style))).unwrap_or(default_body);
        let gate = steps.iter().any(|s| s.gate.is_some()) || heading == StepStyle::Warning;
        let first = steps[0];
        let after = doc.text.get(first.body.start..first.body.end).unwrap_or("");
        let blank_after_heading = after.trim_start_matches(['\r']).strip_prefix('\n').is_some_and(|rest| {
            let line = rest.split('\n').next().unwrap_or("");
            line.trim().is_empty()
        });
        let rule_between = steps.len() > 1
            && steps[..steps.len() - 1].iter().any(|s| {
                let body = doc.text.get(s.body.start..s.body.end).unwrap_or("");
                body.trim_end().ends_with("---")
            });
        Style {
            heading,
            level,
            body,
            gate,
            blank_after_heading,
            rule_between,
            eol,
        }
    }

    /// A step heading line in this style.
    pub fn heading_line(&self, n: impl std::fmt::Display, title: &str) -> String {
        let hashes = "#".repeat(self.level.clamp(1, 6) as usize);
        match self.heading {
            StepStyle::Plain => format!("{hashes} Step {n}: {title}"),
            StepStyle::Warning => format!("{hashes} ⚠️ STEP {n}: {title} (REQUIRED)"),
            StepStyle::Bold => format!("{hashes} **Step {n}: {title}**"),
        }
    }
}

/// Whether a workflow step looks pasted in by a bulk edit rather than
/// written with the others: its heading is in a minority style and it lacks
/// the instruction block (`**YOU MUST:**`, `**Actions**:`) that most steps in
/// the majority style have. Fixes that would adopt such a step into the
/// workflow (restyle, renumber, add to the checklist) are then unsafe: the
/// author may rather delete it.
pub(crate) fn looks_pasted(doc: &SkillDoc, step: &Step) -> bool {
    let Some(w) = doc.workflow.as_ref() else { return false };
    let style = Style::of(doc);
    if step.style == style.heading || step.instructions.is_some() {
        return false;
    }
    let majority: Vec<&Step> = w.steps.iter().filter(|s| s.style == style.heading).collect();
    let with_block = majority.iter().filter(|s| s.instructions.is_some()).count();
    with_block * 2 > majority.len()
}

/// What a step does in the canonical workflow, by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Analysis,
    Memory,
    Context,
    Core,
    Output,
    UpdateMemory,
}

/// Steps 1–3 analyse, load memory, load context; the last step updates
/// memory and the one before it generates output; the rest are core work.
pub(crate) fn role(n: u32, count: u32) -> Role {
    let count = count.max(4);
    match n {
        1 => Role::Analysis,
        2 => Role::Memory,
        3 => Role::Context,
        _ if n == count => Role::UpdateMemory,
        _ if n + 1 == count && n > 4 => Role::Output,
        _ => Role::Core,
    }
}

/// What a step evidently does, by its title (and, for loading steps, by the
/// calls its body makes), whatever its number says: `None` when nothing
/// shows it. A misnumbered step is told from a missing one by it.
pub(crate) fn evident_role(doc: &SkillDoc, step: &Step) -> Option<Role> {
    let title = step.title.to_lowercase();
    let body = doc.text.get(step.body.start..step.body.end).unwrap_or("");
    let has = |words: &[&str]| words.iter().any(|w| title.contains(w));
    if step.writes_memory(&doc.text) && !has(&["load", "recall", "read"]) {
        return Some(Role::UpdateMemory);
    }
    if has(&["memory"]) && has(&["load", "recall", "read", "check"]) {
        return Some(Role::Memory);
    }
    if has(&["context"]) {
        return Some(Role::Context);
    }
    if has(&["analysis", "analyse", "analyze", "scope"]) {
        return Some(Role::Analysis);
    }
    if has(&["output", "report"]) {
        return Some(Role::Output);
    }
    if body.contains("memoryStore.getSkillMemory") || body.contains("memoryStore.getByProject") {
        return Some(Role::Memory);
    }
    body.contains("contextProvider.").then_some(Role::Context)
}

/// The canonical title of step `n` under `config`: the team's title from
/// `[workflow] titles` when it has one, else the workspace template's when it
/// has one with that step, else built in.
pub(crate) fn canonical_title_in(ws: &Workspace, config: &crate::Config, n: u32, count: u32) -> String {
    if let Some(title) = config.workflow.title(n) {
        return title.to_string();
    }
    if count == 6 {
        if let Some(template) = ws.template.as_ref() {
            // Parsed once per template and thread, not once per missing step of every skill.
            thread_local! {
                static TITLES: std::cell::RefCell<super::promise::TextMemo<Vec<(u32, String)>>> =
                    const { std::cell::RefCell::new(super::promise::TextMemo::new()) };
            }
            let titles = TITLES.with(|memo| {
                memo.borrow_mut().get_or(template, || {
                    let doc = SkillDoc::parse(template.clone(), None);
                    let steps = doc.workflow.map(|w| w.steps).unwrap_or_default();
                    steps.into_iter().map(|s| (s.number, s.title)).collect()
                })
            });
            let found = titles.into_iter().find(|(number, _)| *number == n);
            if let Some((_, title)) = found.filter(|(_, title)| !title.is_empty()) {
                return title;
            }
        }
    }
    match role(n, count) {
        Role::Analysis => "Initial Analysis",
        Role::Memory => "Load Memory",
        Role::Context => "Load Context",
        Role::Core => super::blanks::CORE_TITLE,
        Role::Output => "Generate Output",
        Role::UpdateMemory => "Update Memory",
    }
    .to_string()
}

/// The skill's name for calls and paths: `name`, else the folder's name.
pub(crate) fn skill_name(doc: &SkillDoc) -> String {
    doc.name()
        .map(|(n, _)| n.to_string())
        .or_else(|| doc.folder_name().map(str::to_string))
        .unwrap_or_else(|| "{skill-name}".to_string())
}

/// The files listed under `memory.scopes[].files`.
pub(crate) fn memory_files(doc: &SkillDoc) -> Vec<String> {
    let Some(scopes) = doc
        .front_matter
        .as_ref()
        .and_then(|f| f.node_at(&["memory", "scopes"]))
        .and_then(|n| n.as_seq())
    else {
        return Vec::new();
    };
    scopes
        .iter()
        .filter_map(|s| s.get("files")?.as_seq())
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect()
}

/// The numbered instructions of a step in its canonical role, then
/// `extra` as further numbered instructions, as lines (nested lines indented
/// by three spaces).
fn instructions_with(doc: &SkillDoc, role: Role, extra: &[String]) -> Vec<String> {
    let mut lines = instructions(doc, role);
    let numbered = lines.iter().filter(|l| !l.starts_with(' ')).count();
    lines.extend(
        extra
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{}. {e}", numbered + i + 1)),
    );
    lines
}

/// The numbered instructions of a step in its canonical role, as lines
/// (nested lines indented by three spaces).
fn instructions(doc: &SkillDoc, role: Role) -> Vec<String> {
    let name = skill_name(doc);
    match role {
        Role::Analysis => vec![
            "1. Identify the inputs, the project name and the scope of the task".into(),
            "2. Ask clarifying questions where the request is ambiguous".into(),
        ],
        Role::Memory => vec![
            format!("1. Load project memory with `memoryStore.getSkillMemory(\"{name}\", \"{{project-name}}\")`"),
            "2. If no memory exists, note that this is a new project".into(),
        ],
        Role::Context => {
            let first = match doc.primary_domain().filter(|(d, _)| !d.trim().is_empty()) {
                Some((domain, _)) => {
                    format!("1. Load the domain index with `contextProvider.getDomainIndex(\"{domain}\")`")
                }
                None => "1. Load the context the task needs through `contextProvider`".into(),
            };
            vec![first, "2. Stay within the declared file budget".into()]
        }
        Role::Core => vec![
            format!("1. {}", super::blanks::CORE_ACTION),
            "2. Apply the patterns from memory and the practices from context".into(),
        ],
        Role::Output => vec![
            format!("1. Write the output to `/claudedocs/{name}_{{project}}_{{YYYY-MM-DD}}.md`"),
            "2. Make every finding specific and actionable".into(),
        ],
        Role::UpdateMemory => {
            let mut lines = vec![format!(
                "1. Update memory with `memoryStore.update(\"{name}\", \"{{project-name}}\", ...)`:"
            )];
            lines.extend(memory_files(doc).iter().map(|f| format!("   - `{f}`")));
            if lines.len() == 1 {
                lines[0].pop(); // no file list follows the colon
            }
            lines.push("2. Record only what the next run needs: conventions, decisions, recurring issues".into());
            lines
        }
    }
}

fn purpose(role: Role) -> &'static str {
    match role {
        Role::Analysis => "Understand the task and its scope.",
        Role::Memory => "Load what earlier runs learned about this project.",
        Role::Context => "Load the domain knowledge the task needs.",
        Role::Core => super::blanks::CORE_PURPOSE,
        Role::Output => "Create the output following the output conventions.",
        Role::UpdateMemory => "Store what this run learned for the next one.",
    }
}

fn validation(role: Role) -> &'static str {
    match role {
        Role::Analysis => "Inputs, project name and scope identified",
        Role::Memory => "Project memory checked via memoryStore",
        Role::Context => "Domain context loaded via contextProvider",
        Role::Core => super::blanks::CORE_VALIDATION,
        Role::Output => "Output saved to `/claudedocs/`",
        Role::UpdateMemory => "Memory files updated via memoryStore",
    }
}

/// The gate line closing step `n`.
pub(crate) fn gate_line(role: Role) -> &'static str {
    match role {
        Role::Analysis => "**DO NOT PROCEED WITHOUT A CLEAR SCOPE**",
        Role::Memory => "**DO NOT PROCEED WITHOUT CHECKING MEMORY**",
        Role::Context => "**DO NOT PROCEED WITHOUT RELEVANT CONTEXT**",
        Role::Core => "**DO NOT PROCEED UNTIL THIS STEP IS COMPLETE**",
        Role::Output => "**DO NOT PROCEED WITHOUT SAVING THE OUTPUT**",
        Role::UpdateMemory => "**DO NOT FINISH WITHOUT UPDATING MEMORY**",
    }
}

/// The body of a step in the skill's style, as paragraphs (joined by blank
/// lines), with `extra` instructions after the canonical ones.
fn body_paragraphs_with(doc: &SkillDoc, style: &Style, role: Role, extra: &[String]) -> Vec<String> {
    let eol = style.eol;
    let list = instructions_with(doc, role, extra).join(eol);
    let mut out = Vec::new();
    match style.body {
        BodyStyle::YouMust => out.push(format!("**YOU MUST:**{eol}{list}")),
        BodyStyle::Actions => {
            out.push(format!("**Purpose**: {}", purpose(role)));
            out.push(format!("**Actions**:{eol}{list}"));
            out.push(format!("**Validation**:{eol}- [ ] {}", validation(role)));
        }
    }
    if style.gate {
        out.push(gate_line(role).to_string());
    }
    out
}

/// The introduced numbered list alone (`**YOU MUST:**` or `**Actions**:`
/// and the step's canonical instructions), without a trailing line ending.
pub(crate) fn instruction_block(doc: &SkillDoc, style: &Style, role: Role) -> String {
    let eol = style.eol;
    let list = instructions(doc, role).join(eol);
    format!("{}{eol}{list}", intro_line(style.body))
}

/// The line that introduces a step's numbered list.
pub(crate) fn intro_line(body: BodyStyle) -> &'static str {
    match body {
        BodyStyle::YouMust => "**YOU MUST:**",
        BodyStyle::Actions => "**Actions**:",
    }
}

/// Step `n` of a workflow of `count` steps as this workspace's workflow has
/// it: its canonical title ([`canonical_title_in`]) and its whole block, whose
/// instructions make, after the canonical ones, each call the team's
/// `[workflow.calls]` require of the step and the canonical ones do not
/// make, filled in with the skill's name, domain and `{project-name}`.
pub(crate) fn configured_step(
    doc: &SkillDoc,
    ws: &Workspace,
    config: &Config,
    style: &Style,
    n: u32,
    count: u32,
) -> (String, String) {
    let title = canonical_title_in(ws, config, n, count);
    let r = role(n, count);
    let canonical = instructions(doc, r);
    let extra: Vec<String> = required_groups(config, n, n == count)
        .filter(|group| {
            // Met when a canonical instruction already writes such a call.
            !group.iter().any(|p| {
                let written = format!("`{}.{}", p.receiver, p.method.as_deref().unwrap_or(""));
                canonical.iter().any(|l| l.contains(&written))
            })
        })
        .filter_map(|group| group.iter().find_map(|p| required_call(doc, ws, p)))
        .map(|call| required_instruction(&call))
        .collect();
    let block = step_block_with(doc, style, n, &title, r, &extra);
    (title, block)
}

/// The instruction making a call the team's `[workflow.calls]` require of a
/// step, as every step skeleton and `skill-lsp new` write it.
pub(crate) fn required_instruction(call: &str) -> String {
    format!("Call `{call}` as this workspace's workflow requires")
}

/// The groups of calls the team's `[workflow.calls]` require of step `n`
/// (`is_last`: the workflow's last step), each met by any of its patterns.
pub(crate) fn required_groups(config: &Config, n: u32, is_last: bool) -> impl Iterator<Item = &[CallPattern]> + '_ {
    config
        .workflow
        .calls
        .iter()
        .filter(move |c| match c.step {
            StepRef::Number(k) => k == n,
            StepRef::Last => is_last,
        })
        .flat_map(|c| c.required.iter().map(Vec::as_slice))
}

/// The call a pattern asks for, as the skill would write it: the first
/// method the pattern accepts, its required arguments filled in
/// ([`CallFill`]), positional or keyword as the skill writes its calls.
pub(crate) fn required_call(doc: &SkillDoc, ws: &Workspace, p: &CallPattern) -> Option<String> {
    let iface = ws.catalogue.interface(&p.receiver)?;
    let method = iface
        .methods
        .iter()
        .find(|m| p.method.as_deref().is_none_or(|want| m.name.starts_with(want)))?;
    // The accepted form that names the skill and the project, as real skills
    // write `update`; else the documented one.
    let names_skill = |form: &[Param]| {
        form.iter()
            .filter(|p| matches!(norm(&p.name).as_str(), "skillname" | "projectname"))
            .count()
    };
    let form = method.forms().fold(method.params.as_slice(), |best, f| {
        if names_skill(f) > names_skill(best) {
            f
        } else {
            best
        }
    });
    let keywords = keyword_style(doc, &p.receiver, &method.name);
    let args = call_text(&p.receiver, &method.name, form, &CallFill::of(doc), keywords, false);
    Some(format!("{}.{args}", p.receiver))
}

/// What a call's arguments are filled in with: the skill's name and
/// primary domain.
pub(crate) struct CallFill {
    name: String,
    domain: Option<String>,
}

impl CallFill {
    pub(crate) fn of(doc: &SkillDoc) -> CallFill {
        CallFill {
            name: skill_name(doc),
            domain: doc
                .primary_domain()
                .map(|(d, _)| d.trim().to_string())
                .filter(|d| !d.is_empty()),
        }
    }

    /// The argument for parameter `p` and whether it is a quoted string:
    /// a value the skill decides (its name, its domain, `{project-name}`) or
    /// the parameter's name as a placeholder.
    fn arg(&self, receiver_is_invoker: bool, p: &Param) -> (String, bool) {
        let n = norm(&p.name);
        match n.as_str() {
            "skillname" | "skill" if !receiver_is_invoker => (self.name.clone(), true),
            // The skill to invoke is the author's choice: a placeholder, which
            // the unknown-skill check leaves alone, never a name it would look up.
            "skillname" | "skill" => ("{skill-name}".into(), true),
            "projectname" | "project" => ("{project-name}".into(), true),
            "domain" => (self.domain.clone().unwrap_or_else(|| "domain".into()), true),
            "layer" => ("skill-specific".into(), true),
            "id" => (format!("skill-specific/{}/{{project-name}}/file", self.name), true),
            "filetype" | "filename" | "file" | "detection" | "topic" | "commandname" | "agentname" | "pattern"
            | "query" | "key" | "command" => (p.name.clone(), true),
            _ => (p.name.clone(), false),
        }
    }
}

/// `name(args)`: the required parameters, filled in where the skill says
/// what they hold; tab stops on each when `snippets`.
pub(crate) fn call_text(
    receiver: &str,
    name: &str,
    form: &[Param],
    fill: &CallFill,
    keywords: bool,
    snippets: bool,
) -> String {
    let invoker = receiver == "skillInvoker";
    let mut args = Vec::new();
    for (i, p) in form.iter().filter(|p| !p.optional).enumerate() {
        let (value, quoted) = fill.arg(invoker, p);
        let body = if snippets {
            format!("${{{}:{}}}", i + 1, escape_placeholder(&value))
        } else {
            value
        };
        let arg = if quoted { format!("\"{body}\"") } else { body };
        args.push(if keywords {
            format!("{}={arg}", short_keyword(&p.name))
        } else {
            arg
        });
    }
    let (name, end) = if snippets {
        (escape_placeholder(name), "$0")
    } else {
        (name.to_string(), "")
    };
    format!("{name}({}){end}", args.join(", "))
}

/// Whether the skill writes its calls with keywords (`skill="x"`): as it
/// writes this method where it calls it, else as most of its calls.
pub(crate) fn keyword_style(doc: &SkillDoc, receiver: &str, method: &str) -> bool {
    let calls = || {
        doc.calls
            .iter()
            .filter(|c| !c.is_mention && c.is_known_receiver() && !c.args.is_empty())
    };
    let uses_keywords = |c: &crate::model::Call| c.args.iter().any(|a| a.keyword.is_some());
    let own: Vec<bool> = calls()
        .filter(|c| c.receiver == receiver && c.method == method)
        .map(uses_keywords)
        .collect();
    let votes = if own.is_empty() {
        calls().map(uses_keywords).collect()
    } else {
        own
    };
    votes.iter().filter(|k| **k).count() * 2 > votes.len()
}

/// The keyword skills write for a parameter: `skill` for `skillName`,
/// `project` for `projectName` (the catalogue accepts both).
fn short_keyword(param: &str) -> &str {
    match param.strip_suffix("Name") {
        Some(short) if !short.is_empty() => short,
        _ => param,
    }
}

/// Text inside a snippet placeholder: `$`, `}` and `\` escaped.
pub(crate) fn escape_placeholder(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A whole step — heading and body — without a trailing line ending, with
/// `extra` instructions after the canonical ones.
fn step_block_with(doc: &SkillDoc, style: &Style, n: u32, title: &str, role: Role, extra: &[String]) -> String {
    let eol = style.eol;
    let heading = style.heading_line(n, title);
    let body = body_paragraphs_with(doc, style, role, extra).join(&format!("{eol}{eol}"));
    let gap = if style.blank_after_heading {
        format!("{eol}{eol}")
    } else {
        eol.to_string()
    };
    format!("{heading}{gap}{body}")
}

/// What separates two steps: a blank line, or `---` between blank lines.
pub(crate) fn between(style: &Style) -> String {
    let eol = style.eol;
    if style.rule_between {
        format!("{eol}{eol}---{eol}{eol}")
    } else {
        format!("{eol}{eol}")
    }
}

/// The end of the last line in `range` that says something: trailing blank
/// lines and `---` rules are not part of a step's content.
pub(crate) fn content_end(text: &str, range: TextRange) -> usize {
    let mut end = range.end.min(text.len());
    loop {
        let slice = text.get(range.start..end).unwrap_or("");
        let trimmed = slice.trim_end();
        let cut = range.start + trimmed.len();
        let line_start = trimmed.rfind('\n').map_or(range.start, |i| range.start + i + 1);
        let last = text.get(line_start..cut).unwrap_or("").trim();
        if !last.is_empty() && last.chars().all(|c| c == '-') && last.len() >= 3 && line_start > range.start {
            end = line_start;
            continue;
        }
        return cut;
    }
}

/// The edit inserting step `n` (with `block` as its text) between its
/// neighbours: before the first step numbered higher, else after the last step.
pub(crate) fn insert_step(doc: &SkillDoc, style: &Style, n: u32, block: &str) -> Option<Edit> {
    let w = doc.workflow.as_ref()?;
    let sep = between(style);
    if let Some(next) = w.steps.iter().find(|s| s.number > n) {
        let at = doc.md.headings[next.heading].range.start;
        return Some(Edit::insert(at, format!("{block}{sep}")));
    }
    let anchor = match w.steps.last() {
        Some(last) => content_end(&doc.text, last.range(&doc.md)),
        None => doc.md.headings[w.heading].range.end,
    };
    Some(Edit::insert(anchor, format!("{sep}{block}")))
}

/// The fix that inserts step `n` of `count` between its neighbours as this
/// workspace's workflow has it ([`configured_step`]), with its Compliance
/// Checklist item, so the checklist stays complete. Unsafe: the skeleton is
/// a starting point to fill in.
pub(crate) fn insert_step_fix(
    doc: &SkillDoc,
    ws: &Workspace,
    config: &Config,
    style: &Style,
    n: u32,
    count: u32,
) -> Option<Fix> {
    let (title, block) = configured_step(doc, ws, config, style, n, count);
    insert_step(doc, style, n, &block).map(|e| {
        let edits = std::iter::once(e).chain(checklist_item_edit(doc, n, &title)).collect();
        Fix::unsafe_(format!("Insert step {n}: {title}"), edits)
    })
}

/// The checklist item for step `n`: `- [ ] Step n: title`.
pub(crate) fn checklist_item(n: u32, title: &str) -> String {
    format!("- [ ] Step {n}: {title}")
}

/// The edit adding `- [ ] Step n: title` to a step-by-step checklist, in
/// order among the items that lead with `Step N`: before the first numbered
/// higher, else after the last. `None` when there is no such checklist or it
/// already has an item for step `n`.
pub(crate) fn checklist_item_edit(doc: &SkillDoc, n: u32, title: &str) -> Option<Edit> {
    let c = doc.checklist.as_ref().filter(|c| c.is_per_step())?;
    if c.items.iter().any(|i| i.step == Some(n)) {
        return None;
    }
    let eol = doc.eol;
    let item_text = checklist_item(n, title);
    let leading: Vec<_> = c.items.iter().filter(|i| i.leads_with_step).collect();
    match leading.iter().find(|i| i.step.is_some_and(|s| s > n)) {
        Some(next) => doc
            .md
            .items
            .get(next.item)
            .map(|it| Edit::insert(it.range.start, format!("{item_text}{eol}"))),
        None => leading
            .last()
            .and_then(|last| doc.md.items.get(last.item))
            .map(|it| Edit::insert(it.range.end, format!("{eol}{item_text}"))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// As counting in a map, each value's first place breaking ties.
        #[test]
        fn majority_is_the_most_common_value_first_seen(items in proptest::collection::vec(0u8..4, 0..12)) {
            let mut counts: HashMap<u8, (usize, usize)> = HashMap::new();
            for (i, item) in items.iter().enumerate() {
                counts.entry(*item).or_insert((0, i)).0 += 1;
            }
            let by_map = counts
                .into_iter()
                .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
                .map(|(k, _)| k);
            prop_assert_eq!(majority(items), by_map);
        }
    }

    #[test]
    fn roles_by_number() {
        let got: Vec<_> = (1..=6).map(|n| role(n, 6)).collect();
        assert_eq!(
            got,
            [
                Role::Analysis,
                Role::Memory,
                Role::Context,
                Role::Core,
                Role::Output,
                Role::UpdateMemory
            ]
        );
        assert_eq!(role(7, 8), Role::Output);
        assert_eq!(role(4, 5), Role::Core);
        assert_eq!(role(5, 5), Role::UpdateMemory);
    }

    #[test]
    fn canonical_titles_come_from_the_workspace_template() {
        let template = "---\nname: x\n---\n# T\n\n## Mandatory Workflow\n\n### Step 1: Scope It\n\n### Step 4: {Core Action Name}\n";
        let ws = Workspace {
            template: Some(template.into()),
            ..Workspace::detached()
        };
        assert_eq!(canonical_title_in(&ws, &crate::Config::default(), 1, 6), "Scope It");
        assert_eq!(canonical_title_in(&ws, &crate::Config::default(), 2, 6), "Load Memory"); // not in the template: built in
        assert_eq!(
            canonical_title_in(&Workspace::detached(), &crate::Config::default(), 6, 6),
            "Update Memory"
        );
        let team =
            crate::Config::from_toml("[workflow]\ntitles = [\"Scope\", \"Recall\", \"Act\", \"Record\"]\n").unwrap();
        assert_eq!(canonical_title_in(&ws, &team, 1, 4), "Scope");
        assert_eq!(canonical_title_in(&ws, &team, 4, 4), "Record");
    }

    #[test]
    fn a_configured_step_carries_the_teams_title_and_calls_filled_in() {
        let doc = SkillDoc::parse(
            "---\nname: demo\ncontext:\n  primary_domain: python\n---\n# Demo\n\n## Workflow\n\n### Step 1: Scope\n\n1. Ask\n",
            Some("skills/demo/SKILL.md".into()),
        );
        let team = crate::Config::from_toml(
            "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Look\"]\n[workflow.calls]\n2 = [\"memoryStore.getSkill|memoryStore.read\", \"skillInvoker\"]\n",
        )
        .unwrap();
        let ws = Workspace::detached();
        let (title, block) = configured_step(&doc, &ws, &team, &Style::of(&doc), 2, 3);
        assert_eq!(title, "Recall");
        assert!(block.starts_with("### Step 2: Recall"), "{block}");
        // The canonical memory call meets the first group; the second is added.
        assert_eq!(block.matches("memoryStore.").count(), 1, "{block}");
        assert!(
            block.contains(
                "3. Call `skillInvoker.invoke(\"{skill-name}\", params)` as this workspace's workflow requires"
            ),
            "{block}"
        );
        assert_eq!(required_groups(&team, 3, true).count(), 0);
    }

    /// The clean corpus is quiet: the workflow rules report only what was
    /// judged a real defect there (a skill without `Step N` headings, missing
    /// checklists and sections, inner steps without gates, version and date
    /// slips, outputs named after something else).
    #[test]
    fn the_clean_corpus_is_not_flooded() {
        let mut counts = std::collections::BTreeMap::new();
        for (_, _, diags) in crate::testing::check_corpus("forge-clean") {
            for d in diags
                .iter()
                .filter(|d| d.code.starts_with("SK1") || d.code.starts_with("SK4"))
            {
                *counts.entry(d.code).or_insert(0) += 1;
            }
        }
        if counts.is_empty() {
            return; // corpus not present
        }
        for quiet in [
            "SK101", "SK103", "SK104", "SK105", "SK107", "SK108", "SK112", "SK113", "SK114", "SK122", "SK123", "SK124",
        ] {
            assert_eq!(counts.get(quiet), None, "{quiet} fires on the clean corpus: {counts:?}");
        }
        assert!(counts.values().sum::<usize>() <= 45, "{counts:?}");
    }

    #[test]
    fn content_end_skips_rules_and_blank_lines() {
        let text = "a\nb\n\n---\n\n";
        assert_eq!(content_end(text, TextRange::new(0, text.len())), 3);
    }
}
