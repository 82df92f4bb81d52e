//! Call hierarchy over the skill graph: which skills invoke a skill
//! (incoming) and which it invokes (outgoing), through `skillInvoker` calls.

use std::path::PathBuf;

use crate::ide::navigation::ReadFile;
use crate::model::SkillDoc;
use crate::text::TextRange;
use crate::workspace::graph::{invocations, Invocation};
use crate::workspace::Workspace;

/// A skill in the hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillItem {
    pub name: String,
    pub path: PathBuf,
    /// The whole file.
    pub range: TextRange,
    /// The `name` value in the front matter (else the top of the file).
    pub selection: TextRange,
    pub description: String,
}

/// One neighbour and the calls that link to it (in the caller's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub skill: SkillItem,
    pub calls: Vec<TextRange>,
}

fn item_of(doc: &SkillDoc, name: &str) -> Option<SkillItem> {
    Some(SkillItem {
        name: name.to_string(),
        path: doc.path.clone()?,
        range: TextRange::new(0, doc.text.len()),
        selection: doc.name().map_or(TextRange::empty(0), |(_, r)| r),
        description: doc
            .front_matter
            .as_ref()
            .and_then(|f| f.str_at(&["description"]))
            .map(|(d, _)| d.to_string())
            .unwrap_or_default(),
    })
}

fn doc_of(ws: &Workspace, name: &str, read: ReadFile) -> Option<SkillDoc> {
    let entry = ws.skills.get(name)?;
    let text = read(&entry.path)?;
    Some(SkillDoc::parse(text, Some(entry.path.clone())))
}

fn name_of(doc: &SkillDoc) -> Option<String> {
    doc.name()
        .map(|(n, _)| n.to_string())
        .or_else(|| doc.folder_name().map(String::from))
}

/// The skill the hierarchy starts from: the skill an invocation under the
/// cursor names, else the document's own skill.
pub fn prepare(doc: &SkillDoc, ws: &Workspace, offset: usize, read: ReadFile) -> Option<SkillItem> {
    let invoked = invocations(doc, &ws.catalogue)
        .into_iter()
        .find(|i| i.call.touches(offset))
        .and_then(|i| doc_of(ws, &i.target, read).and_then(|d| item_of(&d, &i.target)));
    invoked.or_else(|| item_of(doc, &name_of(doc)?))
}

/// The skills that invoke `name`, each with its calls of it.
pub fn incoming(ws: &Workspace, name: &str, read: ReadFile) -> Vec<Link> {
    ws.graph()
        .callers(name)
        .into_iter()
        .filter_map(|caller| {
            let doc = doc_of(ws, caller, read)?;
            let calls: Vec<TextRange> = invocations(&doc, &ws.catalogue)
                .iter()
                .filter(|i| i.target == name)
                .map(|i| i.call)
                .collect();
            (!calls.is_empty()).then(|| item_of(&doc, caller).map(|skill| Link { skill, calls }))?
        })
        .collect()
}

/// The skills `name` invokes (those the workspace has), each with the calls
/// (in `name`'s text) that invoke it.
pub fn outgoing(ws: &Workspace, name: &str, read: ReadFile) -> Vec<Link> {
    let Some(doc) = doc_of(ws, name, read) else {
        return Vec::new();
    };
    let found: Vec<Invocation> = invocations(&doc, &ws.catalogue);
    let mut out: Vec<Link> = Vec::new();
    for inv in &found {
        if let Some(link) = out.iter_mut().find(|l| l.skill.name == inv.target) {
            link.calls.push(inv.call);
            continue;
        }
        if let Some(skill) = doc_of(ws, &inv.target, read).and_then(|d| item_of(&d, &inv.target)) {
            out.push(Link {
                skill,
                calls: vec![inv.call],
            });
        }
    }
    out
}
