//! Go to definition, find references and document links: from what the
//! cursor is on in a skill to the files and headings it refers to.
//!
//! - a method of an interface call → the method's heading in the interface
//!   document; its receiver → the interface document;
//! - a domain argument (or `context.primary_domain`) → `context/<domain>/index.md`;
//!   a topic argument (or an entry of `context.topics`) → `context/<domain>/<topic>.md`;
//! - a skill-name argument naming a skill of the workspace (the skill a
//!   `skillInvoker` call delegates to) → that skill's `SKILL.md`;
//! - a relative link → the file, and its `#fragment` → that heading; a link
//!   to a folder → its `SKILL.md`, `README.md` or `index.md`, else the folder;
//! - `skill:x` / `skill="x"` in inline code → that skill's `SKILL.md`;
//! - `Step N` in a checklist item → the step's heading.
//!
//! Files other than the skill are read through a [`ReadFile`] the caller
//! gives (the editor's current text of open files, the disk otherwise), and
//! every location is a byte range into the text that function returned.

use std::path::PathBuf;

use super::cursor::{checklist_step_at, target_at, Target};
pub use super::location::{front_matter_name, Location, ReadFile};
use super::location::{same_file, skill_location, DOMAIN_PARAMS, SKILL_PARAMS, TOPIC_PARAMS};
use crate::model::{Arg, Call, SkillDoc};
use crate::syntax::frontmatter;
use crate::syntax::markdown::{self, Link};
use crate::text::TextRange;
use crate::workspace::catalogue;
use crate::workspace::links::{self, LinkTarget};
use crate::workspace::{heading_anchors, lookup, normalize, Workspace};

/// A link in the document that leads to a file: where it stands, where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    /// The destination as written (the whole link when it is a reference link).
    pub range: TextRange,
    pub target: Location,
}

/// Where the thing under the cursor is defined.
pub fn definition(doc: &SkillDoc, ws: &Workspace, offset: usize, read: ReadFile) -> Vec<Location> {
    let found = match target_at(doc, offset) {
        Target::Receiver(call) => interface_doc(ws, &call.receiver, read),
        Target::Method(call) => method_heading(ws, &call.receiver, &call.method, read),
        Target::Argument { call, index } => call.args.get(index).and_then(|a| arg_target(ws, call, a, read)),
        Target::Link(i) => doc.md.links.get(i).and_then(|l| link_target(doc, ws, l, read)),
        Target::Value { path, range } => front_matter_target(doc, ws, &path, range),
        _ => checklist_step(doc, offset).or_else(|| skill_reference(doc, ws, offset, read)),
    };
    found.into_iter().collect()
}

/// A front matter value naming a domain (`context.primary_domain`, the
/// legacy `context.primary` list) → its index; one of `context.topics` →
/// the topic's file in the primary domain (else the one domain holding it).
fn front_matter_target(doc: &SkillDoc, ws: &Workspace, path: &[String], range: TextRange) -> Option<Location> {
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    let value = doc.text.get(range.start..range.end)?.trim().trim_matches(['"', '\'']);
    match keys.as_slice() {
        ["context", "primary_domain"] | ["context", "primary"] | ["context", "primary", _] => domain_index(ws, value),
        ["context", "topics", _] => {
            let stem = value.strip_suffix(".md").unwrap_or(value);
            let primary = doc.primary_domain().map(|(d, _)| d.trim());
            let domain = primary
                .and_then(|p| ws.domains.get(p))
                .filter(|d| d.topics.contains(stem))
                .or_else(|| {
                    let mut holding = ws.domains.values().filter(|d| d.topics.contains(stem));
                    let first = holding.next()?;
                    holding.next().is_none().then_some(first)
                })?;
            Some(Location::file(domain.dir.join(format!("{stem}.md"))))
        }
        _ => None,
    }
}

/// `Step N` in a checklist item → that step's heading in the workflow.
fn checklist_step(doc: &SkillDoc, offset: usize) -> Option<Location> {
    let (_, step) = checklist_step_at(doc, offset)?;
    Some(Location {
        path: doc.path.clone()?,
        range: doc.md.headings.get(step.heading)?.range,
    })
}

/// `skill:x` or `skill="x"` in inline code → that skill's `SKILL.md`.
fn skill_reference(doc: &SkillDoc, ws: &Workspace, offset: usize, read: ReadFile) -> Option<Location> {
    let span = doc.md.code_spans.iter().find(|s| s.content.touches(offset))?;
    let (_, name) = super::rename::prose_reference(&doc.text, span.content)?;
    ws.skills.get(name).map(|s| skill_location(&s.path, read))
}

/// The interface document of a receiver, at its title.
pub(crate) fn interface_doc(ws: &Workspace, receiver: &str, read: ReadFile) -> Option<Location> {
    let path = ws
        .catalogue
        .interface(receiver)
        .and_then(|i| i.doc.clone())
        .or_else(|| ws.interface_doc(receiver))?;
    let text = read(&path)?;
    let md = markdown::parse(&text, body_start(&text));
    let range = md
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map_or(TextRange::empty(0), |h| h.range);
    Some(Location { path, range })
}

/// The heading of `receiver.method` in its interface document, read afresh
/// so that it is right even while the document is being edited.
pub(crate) fn method_heading(ws: &Workspace, receiver: &str, method: &str, read: ReadFile) -> Option<Location> {
    let path = ws.catalogue.interface(receiver)?.doc.clone()?;
    let text = read(&path)?;
    let iface = catalogue::parse_interface(receiver, &text, None);
    let range = iface.methods.iter().find(|m| m.name == method)?.heading?;
    Some(Location { path, range })
}

/// Where a string argument of a call leads: a skill, a domain, a topic.
fn arg_target(ws: &Workspace, call: &Call, arg: &Arg, read: ReadFile) -> Option<Location> {
    let value = lookup::literal(arg)?;
    let is = |params: &[&str]| lookup::arg_for(&ws.catalogue, call, params).is_some_and(|a| a.range == arg.range);
    if is(SKILL_PARAMS) {
        return ws.skills.get(value).map(|s| skill_location(&s.path, read));
    }
    if call.receiver != "contextProvider" {
        return None;
    }
    if is(DOMAIN_PARAMS) {
        return domain_index(ws, value);
    }
    if is(TOPIC_PARAMS) {
        let domain = lookup::arg_for(&ws.catalogue, call, DOMAIN_PARAMS).and_then(lookup::literal)?;
        let dir = &ws.domains.get(domain)?.dir;
        let stem = value.strip_suffix(".md").unwrap_or(value);
        let path = dir.join(format!("{stem}.md"));
        return ws.file_exists(&path).then(|| Location::file(path));
    }
    None
}

/// `context/<domain>/index.md`, when the domain has one.
fn domain_index(ws: &Workspace, domain: &str) -> Option<Location> {
    let path = ws.domains.get(domain)?.dir.join("index.md");
    ws.file_exists(&path).then(|| Location::file(path))
}

/// The file a link leads to, at the heading its fragment names.
fn link_target(doc: &SkillDoc, ws: &Workspace, link: &Link, read: ReadFile) -> Option<Location> {
    match links::resolve(ws, doc.dir(), &link.dest) {
        LinkTarget::External => None,
        LinkTarget::OwnFragment(fragment) => {
            let path = doc.path.clone()?;
            let range = heading_for_fragment(&doc.text, &fragment)?;
            Some(Location { path, range })
        }
        LinkTarget::File { path, fragment, .. } => file_location(path, fragment.as_deref(), read),
        // Outside what the checker looks at, but still a file the author may open.
        LinkTarget::Unchecked => {
            let dir = doc.dir()?;
            let dest = link.dest.trim();
            let (path_part, fragment) = match dest.split_once('#') {
                Some((p, f)) => (p, Some(links::percent_decode(f))),
                None => (dest, None),
            };
            let path = normalize(&dir.join(links::percent_decode(path_part)));
            file_location(path, fragment.as_deref(), read)
        }
    }
}

/// The files that stand for a folder a link names, first found wins: a
/// skill's, then the usual index pages.
const FOLDER_INDEXES: &[&str] = &["SKILL.md", "README.md", "index.md"];

/// A file at the heading of `fragment` when it has one. A folder
/// (`references/`, `../other-skill/`) leads to its `SKILL.md`, `README.md` or
/// `index.md`, else to the folder itself.
fn file_location(path: PathBuf, fragment: Option<&str>, read: ReadFile) -> Option<Location> {
    if path.is_dir() {
        let index = FOLDER_INDEXES
            .iter()
            .map(|name| path.join(name))
            .find(|p| p.is_file())
            .and_then(|p| text_location(p, fragment, read));
        return Some(index.unwrap_or_else(|| Location::file(path)));
    }
    text_location(path, fragment, read)
}

/// A file the editor can read, at the heading of `fragment` when it has one.
fn text_location(path: PathBuf, fragment: Option<&str>, read: ReadFile) -> Option<Location> {
    let text = read(&path)?;
    let range = fragment
        .filter(|f| !f.is_empty())
        .and_then(|f| heading_for_fragment(&text, f))
        .unwrap_or(TextRange::empty(0));
    Some(Location { path, range })
}

/// The heading whose GitHub anchor is `fragment` (case-insensitive).
pub fn heading_for_fragment(text: &str, fragment: &str) -> Option<TextRange> {
    let md = markdown::parse(text, body_start(text));
    let wanted = fragment.to_lowercase();
    heading_anchors(&md)
        .iter()
        .position(|a| a.to_lowercase() == wanted)
        .map(|i| md.headings[i].range)
}

fn body_start(text: &str) -> usize {
    frontmatter::locate(text).map_or(0, |b| b.body_start)
}

/// The links of a document that lead to files, for the editor to underline.
pub fn document_links(doc: &SkillDoc, ws: &Workspace, read: ReadFile) -> Vec<DocumentLink> {
    doc.md
        .links
        .iter()
        .filter_map(|link| {
            let target = link_target(doc, ws, link, read)?;
            Some(DocumentLink {
                range: link.dest_range.unwrap_or(link.range),
                target,
            })
        })
        .collect()
}

/// The method `receiver.method` the cursor names: on a call's receiver or
/// method in a skill, or on a method's heading in an interface document.
pub fn method_at(doc: &SkillDoc, ws: &Workspace, offset: usize) -> Option<(String, String)> {
    if let Target::Receiver(call) | Target::Method(call) = target_at(doc, offset) {
        return call
            .is_known_receiver()
            .then(|| (call.receiver.clone(), call.method.clone()));
    }
    let iface = interface_of(doc, ws)?;
    let parsed = catalogue::parse_interface(&iface.receiver, &doc.text, None);
    let method = parsed
        .methods
        .iter()
        .find(|m| m.heading.is_some_and(|h| h.touches(offset)))?;
    Some((iface.receiver.clone(), method.name.clone()))
}

/// The interface `doc` documents, when it is the workspace's document of one.
pub fn interface_of<'a>(doc: &SkillDoc, ws: &'a Workspace) -> Option<&'a catalogue::Interface> {
    let path = doc.path.as_deref()?;
    ws.catalogue
        .interfaces
        .iter()
        .find(|i| i.doc.as_deref().is_some_and(|d| same_file(d, path)))
}

/// Every use of the method under the cursor in the workspace's skills (and
/// in `doc` itself, unless it is the interface document: the calls it shows
/// as examples are not uses, and its references are the skills' calls its
/// code lens counts), by the method name's range; with the method's heading
/// first when `include_declaration`. On a skill name instead: where the
/// skills name that skill (what a rename of it changes).
pub fn references(
    doc: &SkillDoc,
    ws: &Workspace,
    offset: usize,
    include_declaration: bool,
    read: ReadFile,
) -> Vec<Location> {
    let Some((receiver, method)) = method_at(doc, ws, offset) else {
        // On a skill's name: where skills name it.
        return super::rename::skill_uses(doc, ws, offset, read);
    };
    let mut out = Vec::new();
    if include_declaration {
        out.extend(method_heading(ws, &receiver, &method, read));
    }
    let mut uses = method_uses(doc, ws, &receiver, &method, read);
    if let (Some(path), Some(_)) = (doc.path.as_deref(), interface_of(doc, ws)) {
        uses.retain(|u| !same_file(&u.path, path));
    }
    out.extend(uses);
    out
}

/// Every call (or mention) of `receiver.method` in the workspace's skills and in `doc`.
pub fn method_uses(doc: &SkillDoc, ws: &Workspace, receiver: &str, method: &str, read: ReadFile) -> Vec<Location> {
    interface_uses(doc, ws, receiver, Some(method), read)
        .into_iter()
        .map(|u| u.at)
        .collect()
}

/// One call (or mention) of an interface's method, at the method's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodUse {
    pub method: String,
    pub at: Location,
}

/// Every call (or mention) of `receiver`'s methods (of `method` only, when
/// given) in the workspace's skills and in `doc`: one pass over the skills,
/// each parsed only when its text names the receiver (or the method).
pub fn interface_uses(
    doc: &SkillDoc,
    ws: &Workspace,
    receiver: &str,
    method: Option<&str>,
    read: ReadFile,
) -> Vec<MethodUse> {
    let needle = match method {
        Some(m) => format!("{receiver}.{m}("),
        None => format!("{receiver}."),
    };
    let mut out = Vec::new();
    let own_path = doc.path.as_deref();
    let mut own_seen = false;
    for entry in ws.skills.values() {
        let is_own = own_path.is_some_and(|p| same_file(p, &entry.path));
        if is_own {
            own_seen = true;
            out.extend(uses_in(doc, receiver, method, &entry.path));
            continue;
        }
        let Some(text) = read(&entry.path) else { continue };
        // Most skills never name the method: skip them without parsing.
        if !text.contains(&needle) {
            continue;
        }
        let other = SkillDoc::parse(text, Some(entry.path.clone()));
        out.extend(uses_in(&other, receiver, method, &entry.path));
    }
    if !own_seen {
        if let Some(path) = &doc.path {
            out.extend(uses_in(doc, receiver, method, path));
        }
    }
    out
}

fn uses_in(doc: &SkillDoc, receiver: &str, method: Option<&str>, path: &std::path::Path) -> Vec<MethodUse> {
    doc.calls
        .iter()
        .filter(|c| c.receiver == receiver && method.is_none_or(|m| c.method == m))
        .map(|c| MethodUse {
            method: c.method.clone(),
            at: Location {
                path: path.to_path_buf(),
                range: c.method_range,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::corpus;
    use std::collections::HashMap;
    use std::path::Path;
    use std::sync::Arc;

    fn disk(path: &Path) -> Option<Arc<str>> {
        std::fs::read_to_string(path).ok().map(Arc::from)
    }

    fn at(text: &str, needle: &str, plus: usize) -> usize {
        text.find(needle).unwrap_or_else(|| panic!("{needle} not in text")) + plus
    }

    fn line_of(path: &Path, range: TextRange) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
        text[start..end].to_string()
    }

    /// A small workspace on disk: interfaces, two domains, three skills.
    struct Ws {
        dir: PathBuf,
    }

    impl Ws {
        fn new(name: &str) -> Ws {
            let dir = test_corpus::scratch_dir(&format!("skill-core-nav-{name}"));
            let files: HashMap<&str, &str> = HashMap::from([
                (
                    "interfaces/memory_store.md",
                    "# MemoryStore Interface\n\n## Methods\n\n### 1. `getSkillMemory(skillName, projectName)`\n\nLoads.\n\n### 2. `update(id, content)`\n\nWrites.\n",
                ),
                (
                    "interfaces/context_provider.md",
                    "# ContextProvider Interface\n\n### 1. `getDomainIndex(domain)`\n\nx\n\n### 2. `getConditionalContext(domain, detection)`\n\ny\n",
                ),
                (
                    "interfaces/skill_invoker.md",
                    "# SkillInvoker Interface\n\n### 1. `invoke(skillName, params)`\n\nz\n",
                ),
                ("context/python/index.md", "# Python\n"),
                ("context/python/fastapi_patterns.md", "# FastAPI\n\n## Routing Rules\n"),
                (
                    "skills/alpha/SKILL.md",
                    "---\nname: alpha\ndescription: First\nversion: 1.0.0\ncontext:\n  primary_domain: python\n  topics: [fastapi_patterns]\n---\n# Alpha\n\nSee [memory](../../interfaces/memory_store.md#2-updateid-content) and [top](#workflow).\n\n## Workflow\n\n### ⚠️ STEP 1: Load 😀 (REQUIRED)\n\n1. `memoryStore.getSkillMemory(\"alpha\", \"{project-name}\")`\n2. `contextProvider.getConditionalContext(\"python\", \"fastapi_patterns\")`\n3. `skillInvoker.invoke(skillName=\"beta\", params)`\n\nThen `skill:beta`.\n\n## Compliance Checklist\n\n- [ ] Step 1: loaded\n",
                ),
                (
                    "skills/beta/SKILL.md",
                    "---\nname: beta\ndescription: Second\n---\n# Beta\n\n## Workflow\n\n#### **Step 1: Load**\n\n`memoryStore.getSkillMemory(skill=\"beta\", project=\"p\")` and `contextProvider.getDomainIndex(\"python\")`\n",
                ),
                ("skills/gamma/SKILL.md", "---\nname: gamma\n---\n# Gamma\n\nNo calls.\n"),
            ]);
            for (rel, text) in files {
                let p = dir.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            Ws { dir }
        }

        fn doc(&self, skill: &str) -> SkillDoc {
            let path = self.dir.join("skills").join(skill).join("SKILL.md");
            SkillDoc::parse(std::fs::read_to_string(&path).unwrap(), Some(path))
        }
    }

    impl Drop for Ws {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    #[test]
    fn definitions_of_methods_receivers_domains_topics_skills_and_links() {
        let w = Ws::new("def");
        let ws = Workspace::load(&w.dir);
        let doc = w.doc("alpha");
        let t = &doc.text;
        let go = |offset: usize| definition(&doc, &ws, offset, &disk);
        let method = go(at(t, "getSkillMemory", 3));
        assert_eq!(method.len(), 1);
        assert_eq!(
            line_of(&method[0].path, method[0].range),
            "### 1. `getSkillMemory(skillName, projectName)`"
        );
        let receiver = &go(at(t, "memoryStore", 0))[0];
        assert!(receiver.path.ends_with("interfaces/memory_store.md"));
        assert_eq!(line_of(&receiver.path, receiver.range), "# MemoryStore Interface");
        let domain = &go(at(t, "\"python\", \"fastapi", 2))[0];
        assert!(domain.path.ends_with("context/python/index.md"));
        let topic = &go(at(t, "\"fastapi_patterns\"", 1))[0];
        assert!(topic.path.ends_with("context/python/fastapi_patterns.md"));
        let skill = &go(at(t, "\"beta\"", 1))[0];
        assert!(skill.path.ends_with("skills/beta/SKILL.md"));
        let primary = &go(at(t, "primary_domain: python", 17))[0];
        assert!(primary.path.ends_with("context/python/index.md"));
        let listed = &go(at(t, "[fastapi_patterns]", 3))[0];
        assert!(listed.path.ends_with("context/python/fastapi_patterns.md"));
        let link = &go(at(t, "memory_store.md#2", 0))[0];
        assert_eq!(line_of(&link.path, link.range), "### 2. `update(id, content)`");
        let own = &go(at(t, "#workflow", 2))[0];
        assert_eq!(&t[own.range.start..own.range.end], "## Workflow");
        assert_eq!(line_of(&skill.path, skill.range), "name: beta");
        // The skill's own name in its own memory call: its own `name`.
        let own_name = &go(at(t, "\"alpha\"", 1))[0];
        assert_eq!(&t[own_name.range.start..own_name.range.end], "alpha");
        assert!(go(at(t, "Load 😀", 0)).is_empty());
        // A checklist item's `Step N` → the step's heading; `skill:x` → the skill.
        let step = &go(at(t, "- [ ] Step 1", 7))[0];
        assert_eq!(
            &t[step.range.start..step.range.end],
            "### ⚠️ STEP 1: Load 😀 (REQUIRED)"
        );
        let delegated = &go(at(t, "`skill:beta`", 3))[0];
        assert_eq!(line_of(&delegated.path, delegated.range), "name: beta");
    }

    #[test]
    fn references_from_a_call_and_from_the_interface_heading() {
        let w = Ws::new("refs");
        let ws = Workspace::load(&w.dir);
        let doc = w.doc("alpha");
        let refs = references(&doc, &ws, at(&doc.text, "getSkillMemory", 0), true, &disk);
        let got: Vec<String> = refs
            .iter()
            .map(|l| l.path.strip_prefix(&w.dir).unwrap().display().to_string())
            .collect();
        assert_eq!(
            got,
            [
                "interfaces/memory_store.md",
                "skills/alpha/SKILL.md",
                "skills/beta/SKILL.md"
            ]
        );
        for r in &refs[1..] {
            let text = std::fs::read_to_string(&r.path).unwrap();
            assert_eq!(&text[r.range.start..r.range.end], "getSkillMemory");
        }
        // From the heading in the interface document.
        let path = w.dir.join("interfaces/memory_store.md");
        let iface = SkillDoc::parse(std::fs::read_to_string(&path).unwrap(), Some(path));
        let from_heading = references(&iface, &ws, at(&iface.text, "### 1.", 2), false, &disk);
        assert_eq!(from_heading.len(), 2);
        assert!(references(&iface, &ws, at(&iface.text, "Loads.", 0), false, &disk).is_empty());
        // A call the interface document shows as an example is no use of the
        // method: its references stay the skills' calls (those its lens counts).
        let with_example = iface
            .text
            .replace("Loads.", "Loads: `memoryStore.getSkillMemory(\"x\", \"y\")`.");
        let iface = SkillDoc::parse(with_example, iface.path.clone());
        let from_heading = references(&iface, &ws, at(&iface.text, "### 1.", 2), false, &disk);
        assert_eq!(from_heading.len(), 2);
        assert!(
            from_heading.iter().all(|l| l.path.ends_with("SKILL.md")),
            "{from_heading:?}"
        );
    }

    #[test]
    fn document_links_lead_to_files_and_headings() {
        let w = Ws::new("links");
        let ws = Workspace::load(&w.dir);
        let doc = w.doc("alpha");
        let links = document_links(&doc, &ws, &disk);
        assert_eq!(links.len(), 2);
        assert_eq!(
            &doc.text[links[0].range.start..links[0].range.end],
            "../../interfaces/memory_store.md#2-updateid-content"
        );
        assert!(links[0].target.path.ends_with("interfaces/memory_store.md"));
        assert!(links[1].target.path.ends_with("skills/alpha/SKILL.md"));
    }

    #[test]
    fn a_skill_outside_any_workspace_still_follows_its_links() {
        let w = Ws::new("detached");
        let ws = Workspace::detached();
        let doc = w.doc("alpha");
        let link = definition(&doc, &ws, at(&doc.text, "memory_store.md#2", 0), &disk);
        assert_eq!(line_of(&link[0].path, link[0].range), "### 2. `update(id, content)`");
        // No interface documents: the built-in catalogue has no headings.
        assert!(definition(&doc, &ws, at(&doc.text, "getSkillMemory", 0), &disk).is_empty());
    }

    /// Character boundaries all over damaged corpus skills in the three step
    /// styles: no panic, and every location inside its file.
    #[test]
    fn corpus_no_panic_at_any_offset() {
        let Some(root) = corpus::root("forge") else { return };
        let ws = Workspace::load(&root);
        for skill in [
            "cli-developer",
            "generate-azure-functions",
            "project-workflow",
            "angular-architect",
        ] {
            let path = root.join("skills").join(skill).join("SKILL.md");
            let doc = SkillDoc::parse(std::fs::read_to_string(&path).unwrap(), Some(path));
            let t = doc.text.clone();
            let offsets: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            // Every third boundary keeps the test quick; each kind of text
            // (keys, values, calls, arguments, links, headings) is hit many times.
            for (n, &offset) in offsets.iter().enumerate().step_by(3) {
                for loc in definition(&doc, &ws, offset, &disk) {
                    let len = std::fs::metadata(&loc.path).map_or(0, |m| m.len() as usize);
                    assert!(loc.range.end <= len, "{skill}@{offset}: {loc:?}");
                }
                let _ = super::super::rename::prepare(&doc, &ws, offset);
                if n % 633 == 0 {
                    let _ = references(&doc, &ws, offset, true, &disk);
                }
            }
            let _ = super::super::symbols::document_symbols(&doc);
            let _ = super::super::symbols::folding_ranges(&doc);
            let _ = document_links(&doc, &ws, &disk);
        }
    }

    #[test]
    fn corpus_methods_land_on_their_headings() {
        let Some(root) = corpus::root("forge") else { return };
        let ws = Workspace::load(&root);
        let path = root.join("skills/typescript/SKILL.md");
        let doc = SkillDoc::parse(std::fs::read_to_string(&path).unwrap(), Some(path));
        let found = definition(&doc, &ws, at(&doc.text, "getSkillMemory", 1), &disk);
        assert_eq!(
            line_of(&found[0].path, found[0].range),
            "### 8. `getSkillMemory(skillName, projectName)`"
        );
        let uses = references(&doc, &ws, at(&doc.text, "getSkillMemory", 1), false, &disk);
        assert!(uses.len() > 50, "{}", uses.len());
    }
}
