//! Completion: what may be written at the cursor, as plain items with byte
//! ranges. Reads only the parsed document and the workspace index in memory.
//!
//! - after `memoryStore.` (and the other receivers): the interface's methods,
//!   inserted as a call whose arguments already hold the skill's `name`, its
//!   `primary_domain` and `{project-name}` where the parameter asks for them;
//! - a receiver being typed in code;
//! - inside a call's arguments: domains, topics of the domain the call names,
//!   skill names for `skillInvoker`, the memory files the front matter lists,
//!   memory layers, keywords the call does not use yet;
//! - in the front matter: the keys the schema allows at that nesting and not
//!   yet present, enum values, booleans, domains and topics;
//! - in the workflow: the next step's heading (and whole skeleton) in the
//!   skill's style, with the team's title and required calls
//!   (`[workflow]` of `skill-lsp.toml`), never past the step count; in the
//!   checklist: items for the steps it does not list;
//! - in a link's destination: the files and folders of the folder typed so
//!   far (relative to the skill), and after `#` the target's headings as
//!   GitHub anchors them (what SK301 and SK302 check).

use crate::authoring::{
    call_text, canonical_title_in, checklist_item, configured_step, escape_placeholder, expected_count, keyword_style,
    memory_files, skill_name, CallFill, Style,
};
use crate::config::Config;
use crate::ide::cursor::{self, CallSite, Site};
use crate::ide::describe::{defined_in, plain, topic_count};
pub use crate::ide::describe::{profile_summary, property_docs, signature_line, site_form};
use crate::model::{SkillDoc, KNOWN_RECEIVERS};
use crate::profile::Profile;
use crate::schema::{self, Schema};
use crate::text::TextRange;
use crate::workspace::catalogue::{self, format_form, norm, same_param, Param};
use crate::workspace::links::{self, LinkTarget};
use crate::workspace::{heading_anchors, normalize, Workspace};

/// What a completion item is, for the editor's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Method,
    Interface,
    /// A keyword argument's name.
    Keyword,
    Property,
    Value,
    /// A context domain (a folder).
    Folder,
    /// A context topic or memory file.
    File,
    /// Another skill.
    Module,
    /// A heading or list item skeleton.
    Snippet,
    /// A heading's anchor, in a link.
    Heading,
}

/// One completion item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// One line shown beside the label (a signature, a type).
    pub detail: Option<String>,
    /// Shown right after the label in the list, so that items with one label
    /// differ at a glance: a method form's parameters, `(id, content)`.
    pub label_detail: Option<String>,
    /// Shown after `label_detail`, less prominently: what a method returns.
    pub label_description: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text the item replaces.
    pub replace: TextRange,
    /// The text it inserts: snippet syntax when `snippet`, else plain.
    pub insert: String,
    pub snippet: bool,
    /// What the editor filters on, when not the label.
    pub filter: Option<String>,
    /// Orders items (the editor sorts by it, not by label).
    pub sort: String,
}

impl Item {
    fn new(label: impl Into<String>, kind: ItemKind, replace: TextRange, insert: impl Into<String>) -> Item {
        Item {
            label: label.into(),
            kind,
            detail: None,
            label_detail: None,
            label_description: None,
            documentation: None,
            replace,
            insert: insert.into(),
            snippet: false,
            filter: None,
            sort: String::new(),
        }
    }

    fn detail(mut self, d: impl Into<String>) -> Item {
        self.detail = Some(d.into());
        self
    }

    fn docs(mut self, d: impl Into<String>) -> Item {
        let d = d.into();
        self.documentation = (!d.is_empty()).then_some(d);
        self
    }
}

/// Completion at `offset`, under `config` (its profile picks the front
/// matter schema, its `[workflow]` the step titles). `snippets`: whether the
/// editor understands snippet syntax (tab stops); without it calls are
/// inserted filled in, plain.
pub fn complete(doc: &SkillDoc, ws: &Workspace, config: &Config, offset: usize, snippets: bool) -> Vec<Item> {
    let schema = schema::for_profile(Profile::resolve(doc, ws, config));
    let mut items = match cursor::site_at(doc, offset) {
        Site::Method {
            interface,
            replace,
            has_parens,
            ..
        } => methods(doc, ws, interface, replace, has_parens, snippets),
        Site::Receiver { prefix } => receivers(ws, prefix),
        Site::Argument(call) => arguments(doc, ws, &call),
        Site::FrontMatterKey {
            path,
            replace,
            indent,
            existing,
            ..
        } => {
            // Renaming the key of a `key: value` line: the value stays.
            let rest = doc.text.get(replace.end..).unwrap_or("");
            let has_colon = rest.trim_start_matches([' ', '\t']).starts_with(':');
            let shape = KeyShape {
                indent,
                eol: doc.eol,
                snippets: snippets && !has_colon,
                name_only: has_colon,
            };
            keys(schema, &path, replace, &existing, &shape)
        }
        Site::FrontMatterValue {
            path, replace, quote, ..
        } => values(schema, doc, ws, &path, replace, quote),
        Site::WorkflowLine { after, line } => next_step(doc, ws, config, after, line),
        Site::ChecklistLine { line } => checklist_items(doc, ws, config, line),
        Site::ProfileName { replace } => profiles(replace),
        Site::LinkPath { folder, replace } => link_paths(doc, ws, &folder, replace),
        Site::LinkFragment { target, replace } => link_fragments(doc, ws, &target, replace),
        Site::None => Vec::new(),
    };
    for (i, item) in items.iter_mut().enumerate() {
        if item.sort.is_empty() {
            item.sort = format!("{i:04}");
        }
    }
    items
}

// ---------------------------------------------------------------------------
// Link destinations

/// The files and folders in `folder` (as typed, relative to the skill's
/// folder): folders end in `/`, so the next segment follows; names with
/// spaces or parentheses are written percent-encoded, as a link needs them.
fn link_paths(doc: &SkillDoc, ws: &Workspace, folder: &str, replace: TextRange) -> Vec<Item> {
    let Some(dir) = doc.dir() else { return Vec::new() };
    let dir = normalize(&dir.join(links::percent_decode(folder)));
    let own = doc.path.as_deref().map(normalize);
    ws.folder_entries(&dir)
        .into_iter()
        .filter(|(name, _)| own.as_deref() != Some(dir.join(name).as_path()))
        .map(|(name, is_dir)| {
            let encoded = encode_link_path(&name);
            let (label, kind, insert) = if is_dir {
                (format!("{name}/"), ItemKind::Folder, format!("{encoded}/"))
            } else {
                (name.clone(), ItemKind::File, encoded)
            };
            let mut item = Item::new(label, kind, replace, insert).detail(format!("{folder}{name}"));
            item.filter = Some(name);
            item
        })
        .collect()
}

/// A file name as a link destination writes it.
fn encode_link_path(name: &str) -> String {
    name.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// The heading anchors of the link's target (`target` empty: this
/// document): the anchors SK302 accepts, each once.
fn link_fragments(doc: &SkillDoc, ws: &Workspace, target: &str, replace: TextRange) -> Vec<Item> {
    let (anchors, place): (Vec<String>, String) = if target.is_empty() {
        (heading_anchors(&doc.md), "this document".into())
    } else {
        // Any file the author can name, also one outside the skill's folder
        // (which SK302 leaves alone): a URL has no headings to read.
        let (Some(dir), false) = (
            doc.dir(),
            matches!(links::resolve(ws, doc.dir(), target), LinkTarget::External),
        ) else {
            return Vec::new();
        };
        let path = normalize(&dir.join(links::percent_decode(target)));
        if !path.extension().is_some_and(|e| e == "md" || e == "markdown") {
            return Vec::new();
        }
        let Some(anchors) = ws.anchors(&path) else {
            return Vec::new();
        };
        (anchors.to_vec(), format!("`{target}`"))
    };
    let mut seen = std::collections::HashSet::new();
    anchors
        .into_iter()
        .filter(|a| !a.is_empty() && seen.insert(a.clone()))
        .map(|a| Item::new(a.clone(), ItemKind::Heading, replace, a).detail(format!("heading in {place}")))
        .collect()
}

// ---------------------------------------------------------------------------
// Methods and receivers

fn methods(
    doc: &SkillDoc,
    ws: &Workspace,
    receiver: &str,
    replace: TextRange,
    has_parens: bool,
    snippets: bool,
) -> Vec<Item> {
    let Some(iface) = ws.catalogue.interface(receiver) else {
        return Vec::new();
    };
    let fill = CallFill::of(doc);
    let place = defined_in(ws, receiver);
    let mut out = Vec::new();
    for m in &iface.methods {
        let keywords = keyword_style(doc, receiver, &m.name);
        for (form_index, form) in m.forms().enumerate() {
            let insert = if has_parens {
                m.name.clone()
            } else {
                call_text(receiver, &m.name, form, &fill, keywords, snippets)
            };
            let mut docs = m.docs.clone();
            if form_index > 0 {
                docs = format!("Accepted form real skills use.\n\n{docs}");
            }
            let mut item = Item::new(m.name.clone(), ItemKind::Method, replace, insert)
                .detail(signature_line(&m.name, form, m.returns.as_deref()))
                .docs(format!("{docs}\n\n{place}").trim().to_string());
            item.snippet = snippets && !has_parens;
            // Overloads share a label: the parameters tell them apart.
            item.label_detail = Some(format_form("", form));
            item.label_description = m.returns.clone();
            out.push(item);
        }
    }
    out
}

fn receivers(ws: &Workspace, prefix: TextRange) -> Vec<Item> {
    KNOWN_RECEIVERS
        .iter()
        .filter_map(|r| ws.catalogue.interface(r))
        .map(|iface| {
            let title = catalogue::interface_title(&iface.receiver).unwrap_or(&iface.receiver);
            let list: Vec<String> = iface.methods.iter().map(|m| format!("- `{}`", m.signature())).collect();
            Item::new(
                iface.receiver.clone(),
                ItemKind::Interface,
                prefix,
                iface.receiver.clone(),
            )
            .detail(format!("{title} interface"))
            .docs(format!("{}\n\n{}", list.join("\n"), defined_in(ws, &iface.receiver)))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Arguments

fn arguments(doc: &SkillDoc, ws: &Workspace, call: &CallSite) -> Vec<Item> {
    let Some((method, form_index)) = site_form(ws, call) else {
        return Vec::new();
    };
    let form = method.forms().nth(form_index).unwrap_or(&method.params);
    let mut out = Vec::new();
    // Keywords, when the call names its arguments.
    let uses_keywords = call
        .args
        .iter()
        .enumerate()
        .any(|(i, a)| i != call.active && a.keyword.is_some());
    if call.at_keyword && uses_keywords {
        let given: Vec<&str> = call
            .args
            .iter()
            .filter_map(|a| a.keyword.as_ref().map(|k| k.0.as_str()))
            .collect();
        for p in form.iter().filter(|p| !given.iter().any(|g| same_param(g, &p.name))) {
            out.push(
                Item::new(
                    format!("{}=", p.name),
                    ItemKind::Keyword,
                    call.replace,
                    format!("{}=", p.name),
                )
                .detail(format_form(&method.name, form)),
            );
        }
    }
    let Some(param) = call.active_param(form).and_then(|i| form.get(i)) else {
        return out;
    };
    if call.after_string {
        return out;
    }
    let values = param_values(doc, ws, call, form, param);
    for (label, kind, detail) in values {
        let insert = match call.quote {
            Some(_) => label.clone(),
            None => format!("\"{label}\""),
        };
        let mut item = Item::new(label.clone(), kind, call.replace, insert);
        item.detail = detail;
        if call.quote.is_none() {
            item.filter = Some(label);
        }
        out.push(item);
    }
    out
}

/// A value an argument may take: what it inserts, its kind, a detail.
type Choice = (String, ItemKind, Option<String>);

/// The values a parameter may take in this workspace.
fn param_values(doc: &SkillDoc, ws: &Workspace, call: &CallSite, form: &[Param], param: &Param) -> Vec<Choice> {
    let name = skill_name(doc);
    let primary = doc.primary_domain().map(|(d, _)| d.trim().to_string());
    let domains = || -> Vec<Choice> {
        let mut list: Vec<Choice> = ws
            .domains
            .values()
            .map(|d| {
                let detail = format!("context/{}/ ({})", d.name, topic_count(d.topics.len()));
                (d.name.clone(), ItemKind::Folder, Some(detail))
            })
            .collect();
        // The skill's own domain first.
        list.sort_by_key(|(d, _, _)| Some(d) != primary.as_ref());
        list
    };
    match norm(&param.name).as_str() {
        "domain" => domains(),
        "detection" | "topic" | "file" => {
            // The domain the call names, else the skill's own.
            let named = form
                .iter()
                .position(|p| norm(&p.name) == "domain")
                .and_then(|pi| (0..call.args.len()).find(|&ai| cursor::param_of(form, &call.args, ai) == Some(pi)))
                .map(|ai| call.args[ai].value_range)
                .map(|r| doc.text[r.start..r.end].trim_matches(['"', '\'']).to_string());
            let domain = named.or(primary);
            let Some(d) = domain.and_then(|d| ws.domains.get(&d)) else {
                return Vec::new();
            };
            d.topics
                .iter()
                .map(|t| (t.clone(), ItemKind::File, Some(format!("context/{}/{t}.md", d.name))))
                .collect()
        }
        "skillname" | "skill" if call.interface == "skillInvoker" => ws
            .skills
            .values()
            .filter(|s| s.name != name)
            .map(|s| (s.name.clone(), ItemKind::Module, Some(first_line(&s.description))))
            .collect(),
        "skillname" | "skill" => vec![(name, ItemKind::Value, Some("this skill's name".into()))],
        "projectname" | "project" => vec![(
            "{project-name}".into(),
            ItemKind::Value,
            Some("the project, filled in at run time".into()),
        )],
        "filetype" | "filename" => memory_files(doc)
            .into_iter()
            .map(|f| (f, ItemKind::File, Some("listed under memory.scopes[].files".into())))
            .collect(),
        "id" if call.interface == "memoryStore" => memory_files(doc)
            .into_iter()
            .map(|f| {
                let stem = f.strip_suffix(".md").unwrap_or(&f).to_string();
                (
                    format!("skill-specific/{name}/{{project-name}}/{stem}"),
                    ItemKind::File,
                    Some(format!("the memory file {f}")),
                )
            })
            .collect(),
        "layer" => schema::property(&["memory", "scopes", "*", "type"])
            .map(|p| p.enum_values)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str())
            .map(|v| (v.to_string(), ItemKind::Value, Some("memory layer".into())))
            .collect(),
        _ => Vec::new(),
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Front matter

/// How a completed key is written.
struct KeyShape {
    /// The key's column: a map or list under it is indented two more.
    indent: usize,
    /// The document's line ending.
    eol: &'static str,
    snippets: bool,
    /// Only the name: the line already has its `:` and value.
    name_only: bool,
}

fn keys(
    schema: &'static Schema,
    path: &[String],
    replace: TextRange,
    existing: &[String],
    shape: &KeyShape,
) -> Vec<Item> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let inner = " ".repeat(shape.indent + 2);
    let eol = shape.eol;
    schema
        .keys_at(&path)
        .into_iter()
        .filter(|p| p.deprecated.is_none() && !existing.iter().any(|e| schema::same_key(e, &p.key)))
        .enumerate()
        .map(|(i, p)| {
            let mut child = path.clone();
            child.push(&p.key);
            let list_of_maps = {
                let mut items = child.clone();
                items.push("*");
                p.types.iter().any(|t| t == "array") && !schema.keys_at(&items).is_empty()
            };
            let k = &p.key;
            let (snippet, plain) = if p.types.iter().any(|t| t == "object") {
                (format!("{k}:{eol}{inner}$0"), format!("{k}:{eol}{inner}"))
            } else if list_of_maps {
                (format!("{k}:{eol}{inner}- $0"), format!("{k}:{eol}{inner}- "))
            } else if p.types.iter().any(|t| t == "array") {
                (format!("{k}: [$0]"), format!("{k}: []"))
            } else if p.types.iter().any(|t| t == "boolean") {
                let d = p.default.as_ref().and_then(|d| d.as_bool()).unwrap_or(true);
                (format!("{k}: ${{1|{d},{}|}}", !d), format!("{k}: {d}"))
            } else if !p.enum_values.is_empty() {
                let vals: Vec<String> = p.enum_values.iter().map(plain).collect();
                (format!("{k}: ${{1|{}|}}", vals.join(",")), format!("{k}: {}", vals[0]))
            } else {
                let d = p.default.as_ref().map(plain).or_else(|| p.placeholder.clone());
                // Strings quoted (a version must not read as a number), numbers not.
                let q = if p.types.iter().any(|t| t == "string") {
                    "\""
                } else {
                    ""
                };
                match d {
                    Some(d) => (
                        format!("{k}: {q}${{1:{}}}{q}", escape_placeholder(&d)),
                        format!("{k}: {q}{d}{q}"),
                    ),
                    None => (format!("{k}: $0"), format!("{k}: ")),
                }
            };
            let insert = if shape.name_only {
                k.clone()
            } else if shape.snippets {
                snippet
            } else {
                plain
            };
            let mut item = Item::new(k.clone(), ItemKind::Property, replace, insert)
                .detail(match (p.types.join(" | "), p.required) {
                    (t, true) => format!("{t} (required)"),
                    (t, false) => t,
                })
                .docs(property_docs(&p));
            item.snippet = shape.snippets;
            // Required keys first, then in the schema's order.
            item.sort = format!("{}{i:04}", if p.required { 0 } else { 1 });
            item
        })
        .collect()
}

fn values(
    schema: &'static Schema,
    doc: &SkillDoc,
    ws: &Workspace,
    path: &[String],
    replace: TextRange,
    quote: Option<char>,
) -> Vec<Item> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let Some(info) = schema.property(&p) else {
        return Vec::new();
    };
    let key = p.last().copied().unwrap_or("");
    let mut out: Vec<Item> = Vec::new();
    let value = |v: String, kind: ItemKind, detail: Option<String>| {
        let mut item = Item::new(v.clone(), kind, replace, v);
        item.detail = detail;
        item
    };
    for v in &info.enum_values {
        out.push(value(plain(v), ItemKind::Value, None).docs(property_docs(&info)));
    }
    if info.types.iter().any(|t| t == "boolean") && quote.is_none() {
        for b in ["true", "false"] {
            out.push(value(b.into(), ItemKind::Value, Some("boolean".into())));
        }
    }
    match key {
        "primary_domain" => {
            for d in ws.domains.values() {
                out.push(value(
                    d.name.clone(),
                    ItemKind::Folder,
                    Some(format!("context/{}/", d.name)),
                ));
            }
        }
        "topics" | "always_load_files" => {
            let domain = doc.primary_domain().map(|(d, _)| d.trim().to_string());
            if let Some(d) = domain.and_then(|d| ws.domains.get(&d)) {
                for t in &d.topics {
                    let v = if key == "topics" { t.clone() } else { format!("{t}.md") };
                    out.push(value(v, ItemKind::File, Some(format!("context/{}/{t}.md", d.name))));
                }
            }
        }
        "name" => {
            if let Some(folder) = doc.folder_name() {
                out.push(value(folder.into(), ItemKind::Value, Some("the skill's folder".into())));
            }
        }
        _ => {}
    }
    out
}

fn profiles(replace: TextRange) -> Vec<Item> {
    Profile::ALL
        .iter()
        .map(|p| {
            Item::new(p.as_str(), ItemKind::Value, replace, p.as_str())
                .detail("profile")
                .docs(profile_summary(*p))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Workflow and checklist

/// The next step after step `after`, when the workflow lacks it and it is
/// within the step count (the skill's stated count, else the configured
/// one): its heading, and the whole step as the fix for a missing step
/// writes it with the team's `[workflow.calls]`, in the skill's style.
fn next_step(doc: &SkillDoc, ws: &Workspace, config: &Config, after: u32, line: TextRange) -> Vec<Item> {
    let Some(w) = &doc.workflow else {
        return Vec::new();
    };
    let n = after + 1;
    let expected = expected_count(doc, config);
    // The next step is already written, or would go past the workflow's end.
    if n > expected || w.steps.iter().any(|s| s.number == n) {
        return Vec::new();
    }
    // Roles as the missing-step fix assigns them: by the longer of the
    // expected workflow and the one written.
    let count = w.steps.iter().map(|s| s.number).max().unwrap_or(0).max(expected);
    let style = Style::of(doc);
    let (title, block) = configured_step(doc, ws, config, &style, n, count);
    let heading = style.heading_line(n, &title);
    let label = format!("Step {n}: {title}");
    vec![
        Item::new(label.clone(), ItemKind::Snippet, line, heading.clone())
            .detail("step heading in this skill's style")
            .docs(format!("```markdown\n{heading}\n```")),
        Item::new(format!("{label} (with body)"), ItemKind::Snippet, line, block.clone())
            .detail("whole step in this skill's style")
            .docs(format!("```markdown\n{block}\n```")),
    ]
    .into_iter()
    .map(|mut i| {
        // Filtered against what is typed on the line: the heading's start.
        i.filter = Some(heading.clone());
        i
    })
    .collect()
}

/// Items for the steps the workflow has and a step-by-step checklist does
/// not list yet, as the fix for a missing item writes them: the step's own
/// title, the canonical one when its heading has none.
fn checklist_items(doc: &SkillDoc, ws: &Workspace, config: &Config, line: TextRange) -> Vec<Item> {
    let (Some(w), Some(c)) = (&doc.workflow, &doc.checklist) else {
        return Vec::new();
    };
    // A checklist of outcomes (`- [ ] Output saved`), as older skills keep,
    // is not itemised by step: no step items for it.
    if !c.items.is_empty() && !c.is_per_step() {
        return Vec::new();
    }
    let count = w
        .steps
        .iter()
        .map(|s| s.number)
        .max()
        .unwrap_or(0)
        .max(expected_count(doc, config));
    w.steps
        .iter()
        .filter(|s| s.number > 0 && !c.items.iter().any(|i| i.step == Some(s.number)))
        .map(|s| {
            let title = match s.title.trim() {
                "" => canonical_title_in(ws, config, s.number, count),
                t => t.to_string(),
            };
            let text = checklist_item(s.number, &title);
            let mut item = Item::new(text.clone(), ItemKind::Snippet, line, text.clone())
                .detail("checklist item for a step not yet listed");
            item.filter = Some(text);
            item
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::with_cursor as at;

    fn labels(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    const HEAD: &str = "---\nname: demo\ncontext:\n  primary_domain: python\nmemory:\n  scopes:\n    - type: skill-specific\n      files: [project_overview.md, known_issues.md]\n---\n# Demo\n\n";

    /// A skills root of the workflow format, with one domain.
    fn ws() -> Workspace {
        let mut ws = Workspace {
            root: Some("/ws".into()),
            ..Workspace::detached()
        };
        let mut topics = std::collections::BTreeSet::new();
        topics.insert("fastapi_patterns".to_string());
        ws.domains.insert(
            "python".into(),
            crate::workspace::Domain {
                name: "python".into(),
                dir: "context/python".into(),
                topics,
                skipped: 0,
            },
        );
        ws
    }

    #[test]
    fn link_destinations_complete_files_folders_and_heading_anchors() {
        let root = test_corpus::scratch_dir("skill-core-link-completion");
        let skill = root.join("skills/demo");
        std::fs::create_dir_all(skill.join("references")).unwrap();
        std::fs::create_dir_all(root.join("interfaces")).unwrap();
        std::fs::create_dir_all(skill.join(".hidden")).unwrap();
        std::fs::write(skill.join("my notes.md"), "# Notes\n").unwrap();
        std::fs::write(
            root.join("interfaces/memory_store.md"),
            "# MemoryStore\n## 8. getSkillMemory(skill_name, project_name)\n## Usage\n## Usage\n",
        )
        .unwrap();
        let ws = Workspace::detached();
        let at_path = |marked: &str| {
            let offset = marked.find('|').unwrap();
            let text = marked.replacen('|', "", 1);
            let doc = SkillDoc::parse(text, Some(skill.join("SKILL.md")));
            complete(&doc, &ws, &Config::default(), offset, true)
        };
        // The skill's folder: folders first, itself and hidden entries left out.
        let items = at_path("---\nname: demo\n---\n# Demo\n\nSee [notes](|).\n");
        assert_eq!(labels(&items), ["references/", "my notes.md"]);
        assert_eq!(items[1].insert, "my%20notes.md");
        assert_eq!(items[0].kind, ItemKind::Folder);
        // A folder typed so far, the segment after it replaced up to `)`.
        let marked = "---\nname: demo\n---\nSee [the store](../../interfaces/mem|x.md).\n";
        let items = at_path(marked);
        assert_eq!(labels(&items), ["memory_store.md"]);
        let start = marked.find("mem").unwrap();
        assert_eq!(items[0].replace, TextRange::new(start, start + "memx.md".len()));
        // After `#`: the target's anchors as GitHub makes them, each once.
        let items = at_path("---\nname: demo\n---\n[x](../../interfaces/memory_store.md#|)\n");
        assert_eq!(
            labels(&items),
            [
                "memorystore",
                "8-getskillmemoryskill_name-project_name",
                "usage",
                "usage-1"
            ]
        );
        // This document's own headings.
        let items = at_path("---\nname: demo\n---\n# Demo\n## Set up\n[x](#|)\n");
        assert_eq!(labels(&items), ["demo", "set-up"]);
        // Not in code, not once the destination is closed or has a title.
        assert!(at_path("---\nname: demo\n---\n`[x](|`\n").is_empty());
        assert!(at_path("---\nname: demo\n---\n[x](a.md) and |\n").is_empty());
        assert!(at_path("---\nname: demo\n---\n[x](a.md \"t|\n").is_empty());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn methods_come_filled_in_with_the_skills_name_domain_and_project() {
        let (doc, offset) = at(&format!("{HEAD}- Load `memoryStore.|`\n"));
        let items = complete(&doc, &ws(), &Config::default(), offset, true);
        let m = items.iter().find(|i| i.label == "getSkillMemory").unwrap();
        assert_eq!(m.insert, "getSkillMemory(\"${1:demo}\", \"${2:{project-name\\}}\")$0");
        assert!(m.snippet);
        assert_eq!(
            m.detail.as_deref(),
            Some("getSkillMemory(skillName, projectName) → MemoryEntry[]")
        );
        assert!(m.documentation.as_deref().unwrap().contains("built-in catalogue"));
        assert!(!labels(&items).contains(&"getDomainIndex"));
        let (doc, offset) = at(&format!("{HEAD}- `contextProvider.getD|`\n"));
        let items = complete(&doc, &ws(), &Config::default(), offset, false);
        let m = items.iter().find(|i| i.label == "getDomainIndex").unwrap();
        assert_eq!(m.insert, "getDomainIndex(\"python\")");
        assert_eq!(&doc.text[m.replace.start..m.replace.end], "getD");
        // Both accepted forms of update are offered.
        let (doc, offset) = at(&format!("{HEAD}- `memoryStore.|`\n"));
        let updates: Vec<String> = complete(&doc, &ws(), &Config::default(), offset, false)
            .into_iter()
            .filter(|i| i.label == "update")
            .map(|i| i.insert)
            .collect();
        assert!(updates.contains(&"update(\"skill-specific/demo/{project-name}/file\", content)".to_string()));
        assert!(updates.contains(&"update(\"demo\", \"{project-name}\", \"fileType\", content)".to_string()));
    }

    #[test]
    fn methods_follow_the_skills_keyword_style() {
        let text = format!(
            "{HEAD}- `memoryStore.update(layer=\"skill-specific\", skill=\"demo\", project=\"p\", ...)`\n- `contextProvider.getDomainIndex(\"python\")`, `memoryStore.getByProject(\"p\")`\n- `memoryStore.|`\n"
        );
        let (doc, offset) = at(&text);
        let items = complete(&doc, &ws(), &Config::default(), offset, false);
        let updates: Vec<&str> = items
            .iter()
            .filter(|i| i.label == "update")
            .map(|i| i.insert.as_str())
            .collect();
        assert!(
            updates.contains(
                &"update(layer=\"skill-specific\", skill=\"demo\", project=\"{project-name}\", fileType=\"fileType\", content=content)"
            ),
            "{updates:?}"
        );
        // Most other calls are positional: so are the other methods'.
        let get = items.iter().find(|i| i.label == "getSkillMemory").unwrap();
        assert_eq!(get.insert, "getSkillMemory(\"demo\", \"{project-name}\")");
    }

    #[test]
    fn arguments_offer_domains_topics_skills_and_memory_files() {
        let (doc, offset) = at(&format!("{HEAD}- `contextProvider.getDomainIndex(\"|\")`\n"));
        assert_eq!(
            labels(&complete(&doc, &ws(), &Config::default(), offset, true)),
            ["python"]
        );
        let (doc, offset) = at(&format!(
            "{HEAD}- `contextProvider.getConditionalContext(\"python\", |)`\n"
        ));
        let items = complete(&doc, &ws(), &Config::default(), offset, true);
        assert_eq!(labels(&items), ["fastapi_patterns"]);
        assert_eq!(items[0].insert, "\"fastapi_patterns\"");
        let (doc, offset) = at(&format!(
            "{HEAD}- `memoryStore.update(\"demo\", \"{{project-name}}\", \"|\", ...)`\n"
        ));
        assert_eq!(
            labels(&complete(&doc, &ws(), &Config::default(), offset, true)),
            ["project_overview.md", "known_issues.md"]
        );
        let (doc, offset) = at(&format!(
            "{HEAD}- `memoryStore.update(layer=\"skill-specific\", skill=\"demo\", |)`\n"
        ));
        let got = labels(&complete(&doc, &ws(), &Config::default(), offset, true))
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        assert!(got.contains(&"projectName=".to_string()), "{got:?}");
        assert!(!got.contains(&"layer=".to_string()), "{got:?}");
    }

    #[test]
    fn front_matter_keys_not_yet_present_and_values() {
        let (doc, offset) = at(&HEAD.replace("  primary_domain: python\n", "  primary_domain: python\n  |\n"));
        let items = complete(&doc, &ws(), &Config::default(), offset, true);
        let got = labels(&items);
        assert!(
            got.contains(&"file_budget") && got.contains(&"detection_required"),
            "{got:?}"
        );
        assert!(!got.contains(&"primary_domain") && !got.contains(&"primary"), "{got:?}");
        let budget = items.iter().find(|i| i.label == "file_budget").unwrap();
        assert_eq!(budget.insert, "file_budget: ${1:4}", "a number, unquoted");
        let (doc, offset) = at(&HEAD
            .replace(
                "memory:\n  scopes:\n    - type: skill-specific\n      files: [project_overview.md, known_issues.md]\n",
                "|\n",
            )
            .replace('\n', "\r\n"));
        let items = complete(&doc, &ws(), &Config::default(), offset, false);
        assert_eq!(
            items.iter().find(|i| i.label == "memory").unwrap().insert,
            "memory:\r\n  ",
            "the document's line ending"
        );
        // Renaming a key keeps its value.
        let (doc, offset) = at(&HEAD.replace(
            "  primary_domain: python\n",
            "  primary_domain: python\n  file_bu|: 4\n",
        ));
        let items = complete(&doc, &ws(), &Config::default(), offset, true);
        let budget = items.iter().find(|i| i.label == "file_budget").unwrap();
        assert_eq!((budget.insert.as_str(), budget.snippet), ("file_budget", false));
        assert!(budget.documentation.as_deref().unwrap().contains("context files"));
        let (doc, offset) = at(&HEAD.replace("    - type: skill-specific", "    - type: |"));
        let got: Vec<String> = complete(&doc, &ws(), &Config::default(), offset, true)
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert_eq!(got, ["skill-specific", "shared-project", "command", "agent"]);
        let (doc, offset) = at(&HEAD.replace(
            "  primary_domain: python\n",
            "  primary_domain: python\n  detection_required: |\n",
        ));
        assert_eq!(
            labels(&complete(&doc, &ws(), &Config::default(), offset, true)),
            ["true", "false"]
        );
    }

    #[test]
    fn next_step_and_missing_checklist_items_in_the_skills_style() {
        let body = "## Mandatory Workflow\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n\n**YOU MUST:**\n1. Ask\n\n**DO NOT PROCEED WITHOUT A SCOPE**\n\n### ⚠️ STEP 2: Load Memory (REQUIRED)\n\n**YOU MUST:**\n1. Load\n\n**DO NOT PROCEED**\n\n|\n\n## Compliance Checklist\n\n- [ ] Step 1: Scope\n";
        let (doc, offset) = at(&format!("{HEAD}{body}"));
        let items = complete(&doc, &ws(), &Config::default(), offset, true);
        assert_eq!(items[0].insert, "### ⚠️ STEP 3: Load Context (REQUIRED)");
        assert!(
            items[1].insert.contains("contextProvider.getDomainIndex(\"python\")"),
            "{}",
            items[1].insert
        );
        // Between two steps that follow each other: nothing to add.
        let (doc, offset) = at(&format!(
            "{HEAD}{}",
            body.replace(
                "**DO NOT PROCEED WITHOUT A SCOPE**\n",
                "**DO NOT PROCEED WITHOUT A SCOPE**\n|\n"
            )
            .replacen("\n|\n\n## Compliance", "\n\n## Compliance", 1)
        ));
        assert!(complete(&doc, &ws(), &Config::default(), offset, true).is_empty());
        let text = format!(
            "{HEAD}{}",
            body.replace('|', "")
                .replace("- [ ] Step 1: Scope\n", "- [ ] Step 1: Scope\n|\n")
        );
        let (doc, offset) = at(&text);
        assert_eq!(
            labels(&complete(&doc, &ws(), &Config::default(), offset, true)),
            ["- [ ] Step 2: Load Memory"]
        );
        let (doc, offset) = at(&text.replace("- [ ] Step 1: Scope\n", "- [ ] Output saved (Step 1)\n"));
        assert!(
            complete(&doc, &ws(), &Config::default(), offset, true).is_empty(),
            "an outcome checklist"
        );
    }

    #[test]
    fn the_next_step_follows_the_teams_workflow() {
        let team = Config::from_toml(
            "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Research\", \"Record\"]\n[workflow.calls]\n3 = [\"skillInvoker.invoke\", \"contextProvider.getDomainIndex\"]\nlast = [\"memoryStore.append\"]\n",
        )
        .unwrap();
        let body = "## Workflow\n\n### Step 1: Scope\n\n1. Ask\n\n### Step 2: Recall\n\n1. `memoryStore.getSkillMemory(\"demo\", \"p\")`\n\n|\n\n## Compliance Checklist\n\n- [ ] Step 1: Scope\n";
        let (doc, offset) = at(&format!("{HEAD}{body}"));
        let items = complete(&doc, &ws(), &team, offset, true);
        assert_eq!(labels(&items), ["Step 3: Research", "Step 3: Research (with body)"]);
        assert_eq!(items[0].insert, "### Step 3: Research");
        let block = &items[1].insert;
        // The canonical context call is there already; the invoker call is added, filled in.
        assert_eq!(
            block.matches("contextProvider.getDomainIndex(\"python\")").count(),
            1,
            "{block}"
        );
        assert!(
            block.contains(
                "3. Call `skillInvoker.invoke(\"{skill-name}\", params)` as this workspace's workflow requires"
            ),
            "{block}"
        );
        // The last configured step carries the team's memory call.
        let after_three = body.replace("|", "### Step 3: Research\n\n1. Look\n\n|");
        let (doc, offset) = at(&format!("{HEAD}{after_three}"));
        let items = complete(&doc, &ws(), &team, offset, false);
        assert_eq!(items[0].insert, "### Step 4: Record");
        assert!(
            items[1]
                .insert
                .contains("3. Call `memoryStore.append(\"skill-specific/demo/{project-name}/file\", content)`"),
            "{}",
            items[1].insert
        );
        // Nothing past the team's four steps.
        let after_four = after_three.replace("|", "### Step 4: Record\n\n1. Save\n\n|");
        let (doc, offset) = at(&format!("{HEAD}{after_four}"));
        assert!(complete(&doc, &ws(), &team, offset, true).is_empty());
        // The checklist offers the steps it lacks, none past the workflow.
        let (doc, offset) = at(&format!(
            "{HEAD}{}",
            after_four
                .replace('|', "")
                .replace("- [ ] Step 1: Scope\n", "- [ ] Step 1: Scope\n|\n")
        ));
        assert_eq!(
            labels(&complete(&doc, &ws(), &team, offset, true)),
            ["- [ ] Step 2: Recall", "- [ ] Step 3: Research", "- [ ] Step 4: Record"]
        );
    }

    /// Every position of every real skill, damaged and clean, in its real
    /// workspace: completion, hover and signature help answer without
    /// panicking, and every range they give lies on character boundaries
    /// around the cursor.
    #[test]
    fn every_offset_of_every_corpus_skill_is_safe() {
        for tree in ["forge", "forge-clean"] {
            let (skills, ws) = crate::testing::corpus(tree);
            for (name, path, text) in &skills {
                let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
                let config = Config::default();
                // Every offset of the front matter, then a sample (a prime
                // step, so the sample falls at every column).
                let front = doc.md.body_start + 200;
                let offsets = (0..=text.len()).filter(|o| *o < front || o % 17 == 0);
                for offset in offsets {
                    for item in complete(&doc, &ws, &config, offset, true) {
                        let r = item.replace;
                        assert!(
                            r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                            "{tree}/{name} at {offset}: {item:?}"
                        );
                    }
                    if let Some(h) = crate::ide::hover::hover(&doc, &ws, &config, offset) {
                        assert!(text.is_char_boundary(h.range.start) && text.is_char_boundary(h.range.end));
                    }
                    let _ = crate::ide::signature::signature_help(&doc, &ws, offset);
                }
            }
        }
    }

    #[test]
    fn profile_names_in_the_override_comment() {
        let (doc, offset) = at("---\n# skill-lsp: profile=|\nname: demo\n---\n# T\n");
        assert_eq!(
            labels(&complete(&doc, &ws(), &Config::default(), offset, true)),
            ["workflow", "agentskills"]
        );
    }

    #[test]
    fn receivers_complete_in_code() {
        let (doc, offset) = at(&format!("{HEAD}Use `mem|\n"));
        let got = labels(&complete(&doc, &ws(), &Config::default(), offset, true))
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        assert!(got.contains(&"memoryStore".to_string()) && got.contains(&"contextProvider".to_string()));
        // A fence being typed at the end of the document, not closed yet.
        let (doc, offset) = at(&format!("{HEAD}```\nmem|"));
        let items = complete(&doc, &ws(), &Config::default(), offset, true);
        assert!(labels(&items).contains(&"memoryStore"), "{:?}", labels(&items));
        let (doc, offset) = at(&format!("{HEAD}```\nmemoryStore.getSkillMemory(\"demo\", |"));
        let site = cursor::site_at(&doc, offset);
        assert!(matches!(site, Site::Argument(ref c) if c.active == 1), "{site:?}");
    }
}
