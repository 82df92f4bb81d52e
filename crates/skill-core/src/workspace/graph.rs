//! The skill graph: `skillInvoker` calls make skills depend on each other.
//! [`invocations`] reads them from one skill; [`Workspace::graph`] holds
//! them for every skill of the workspace, read once on first use (the
//! whole file of each skill, bounded like every indexed file).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::sync::Arc;

use crate::model::{Call, SkillDoc};
use crate::text::TextRange;

use super::{files, lookup, Catalogue, Workspace};

/// One skill invoking another by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The invoked skill's name, as written.
    pub target: String,
    /// The name argument's value, quotes included.
    pub range: TextRange,
    /// The whole call.
    pub call: TextRange,
    /// `invoke`, `delegateAnalysis`, ...
    pub method: String,
}

/// The skills `doc` invokes: the skill-name argument of each `skillInvoker`
/// call (by the catalogue's parameter `skillName`, else the first
/// positional argument), when it is a literal name rather than a
/// placeholder (`"{skill-name}"`). Mentions (`invoke()`) invoke nothing.
pub fn invocations(doc: &SkillDoc, catalogue: &Catalogue) -> Vec<Invocation> {
    doc.calls
        .iter()
        .filter(|c| c.receiver == "skillInvoker" && !c.is_mention)
        .filter_map(|c| invocation(c, catalogue))
        .collect()
}

fn invocation(call: &Call, catalogue: &Catalogue) -> Option<Invocation> {
    let arg = lookup::arg_for(catalogue, call, &["skillName", "skill", "name"])
        .or_else(|| call.args.first().filter(|a| a.keyword.is_none()))?;
    let target = lookup::literal(arg)?;
    Some(Invocation {
        target: target.to_string(),
        range: arg.value_range,
        call: call.range,
        method: call.method.clone(),
    })
}

/// Who invokes whom among a workspace's skills, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillGraph {
    /// Each skill's invocations (names, in text order, each once), for every
    /// skill of the workspace (those invoking nothing too).
    pub edges: BTreeMap<String, Vec<String>>,
}

impl SkillGraph {
    /// The skills that invoke `name`.
    pub fn callers(&self, name: &str) -> Vec<&str> {
        self.edges
            .iter()
            .filter(|(_, to)| to.iter().any(|t| t == name))
            .map(|(from, _)| from.as_str())
            .collect()
    }

    /// A shortest path of invocations from `from` to `to` (both included),
    /// with `own` standing in for the edges of skill `me` (the document being
    /// edited, newer than the index).
    pub fn path(&self, from: &str, to: &str, me: &str, own: &[String]) -> Option<Vec<String>> {
        let next = |n: &str| -> Vec<String> {
            if n == me {
                own.to_vec()
            } else {
                self.edges.get(n).cloned().unwrap_or_default()
            }
        };
        let mut came: BTreeMap<String, String> = BTreeMap::new();
        let mut seen = BTreeSet::from([from.to_string()]);
        let mut queue = VecDeque::from([from.to_string()]);
        while let Some(n) = queue.pop_front() {
            if n == to {
                let mut path = vec![n.clone()];
                let mut at = n;
                while let Some(p) = came.get(&at) {
                    path.push(p.clone());
                    at = p.clone();
                }
                path.reverse();
                return Some(path);
            }
            for m in next(&n) {
                if seen.insert(m.clone()) {
                    came.insert(m.clone(), n.clone());
                    queue.push_back(m);
                }
            }
        }
        None
    }
}

/// A skill's own invocation targets: each name once, in text order.
pub fn targets(invocations: &[Invocation]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    invocations
        .iter()
        .filter(|i| seen.insert(i.target.clone()))
        .map(|i| i.target.clone())
        .collect()
}

impl Workspace {
    /// The invocations between the workspace's skills, read from their files
    /// on first use and kept (a workspace is rebuilt when a skill's
    /// invocations change on disk: see [`Workspace::indexes_skill_as_on_disk`]).
    pub fn graph(&self) -> Arc<SkillGraph> {
        self.graph
            .get_or_init(|| {
                // Every skill's file is read: on all cores, since a check that
                // asks for the graph first holds up every other check asking.
                // A skill whose file indexing found without `skillInvoker`
                // invokes nothing: only the others are read again.
                let skills: Vec<&super::SkillEntry> = self.skills.values().collect();
                let targets = super::in_parallel(&skills, |s| {
                    if self.may_invoke.as_ref().is_none_or(|names| names.contains(&s.name)) {
                        skill_targets(&s.path, &self.catalogue)
                    } else {
                        Vec::new()
                    }
                });
                let edges = skills.iter().zip(targets).map(|(s, t)| (s.name.clone(), t)).collect();
                Arc::new(SkillGraph { edges })
            })
            .clone()
    }

    /// The graph, when it has been read already.
    pub(crate) fn graph_if_read(&self) -> Option<&Arc<SkillGraph>> {
        self.graph.get()
    }
}

/// The skills the file at `path` invokes.
pub(crate) fn skill_targets(path: &Path, catalogue: &Catalogue) -> Vec<String> {
    let files::Read::Text(bytes) = files::read_indexed_bytes(path) else {
        return Vec::new();
    };
    // Most skills invoke nothing: look for the receiver in the bytes before
    // decoding them.
    if !may_invoke(&bytes) {
        return Vec::new();
    }
    let text = files::decode(bytes);
    let doc = SkillDoc::parse(text, Some(path.to_path_buf()));
    targets(&invocations(&doc, catalogue))
}

/// Whether a skill's bytes can invoke a skill: they hold the receiver's
/// name. Decoding keeps every ASCII byte and turns only invalid bytes into
/// (non-ASCII) replacement characters, so the name is in the text exactly
/// when it is in the bytes.
pub(crate) fn may_invoke(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"skillInvoker").is_some()
}

/// [`may_invoke`] of the file at `path` (bounded as indexing reads it).
pub(crate) fn file_may_invoke(path: &Path) -> bool {
    matches!(files::read_indexed_bytes(path), files::Read::Text(bytes) if may_invoke(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> SkillGraph {
        SkillGraph {
            edges: edges
                .iter()
                .map(|(f, t)| (f.to_string(), t.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn invocations_name_literal_skills_only() {
        let text = "---\nname: a\n---\n`skillInvoker.invoke(\"b\", { target: \"x\" })`, `skillInvoker.delegateAnalysis(\"c\", \"src/\", \"deep\")`, `skillInvoker.invoke(\"{skill-name}\", params)`, `skillInvoker.invoke()`\n";
        let doc = SkillDoc::parse(text, None);
        let found = invocations(&doc, &crate::workspace::builtin::catalogue());
        let got: Vec<_> = found
            .iter()
            .map(|i| (i.target.as_str(), &text[i.range.start..i.range.end]))
            .collect();
        assert_eq!(got, [("b", "\"b\""), ("c", "\"c\"")]);
    }

    #[test]
    fn paths_follow_the_document_over_the_index() {
        let g = graph(&[("a", &["b"]), ("b", &["c"]), ("c", &[])]);
        assert_eq!(
            g.path("b", "a", "c", &["a".into()]),
            Some(vec!["b".into(), "c".into(), "a".into()])
        );
        assert_eq!(g.path("b", "a", "x", &[]), None);
        assert_eq!(g.callers("c"), ["b"]);
    }

    /// The graph of a corpus root read through the index's `skillInvoker`
    /// finds is the graph read from every skill's file.
    #[test]
    fn reading_only_the_skills_that_may_invoke_gives_the_whole_graph() {
        for tree in ["forge", "forge-clean"] {
            let Some(root) = crate::testing::corpus::root(tree) else {
                return;
            };
            let indexed = Workspace::load_for_rules(&root);
            let names = indexed.may_invoke.as_ref().expect("indexing read every skill");
            assert!(!names.is_empty() && names.len() < indexed.skills.len() / 4, "{names:?}");
            let mut every = Workspace::load_for_rules(&root);
            every.may_invoke = None;
            assert!(indexed.graph().edges.values().any(|e| !e.is_empty()));
            assert_eq!(indexed.graph(), every.graph(), "{tree}");
        }
    }
}
