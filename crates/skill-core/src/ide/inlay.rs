//! Inlay hints: the parameter name before each positional argument of an
//! interface call (`getSkillMemory(skillName: "fastapi", ...)`, as
//! rust-analyzer shows them), the number of steps after the workflow
//! heading, and the file a `{baseDir}/...` path resolves to.

use crate::model::SkillDoc;
use crate::text::TextRange;
use crate::workspace::{catalogue, Workspace};

/// Which kinds of hint to give (each can be turned off in the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlayKinds {
    pub parameter_names: bool,
    pub step_count: bool,
    pub resolved_paths: bool,
}

impl Default for InlayKinds {
    fn default() -> Self {
        InlayKinds {
            parameter_names: true,
            step_count: true,
            resolved_paths: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlayKind {
    /// Shown before the argument: `skillName:`.
    Parameter,
    /// Shown after the thing it describes.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub kind: InlayKind,
}

/// The hints whose position falls inside `range`, in text order.
pub fn inlay_hints(doc: &SkillDoc, ws: &Workspace, range: TextRange, kinds: InlayKinds) -> Vec<InlayHint> {
    let mut out = Vec::new();
    if kinds.parameter_names {
        parameter_names(doc, ws, range, &mut out);
    }
    if kinds.step_count {
        step_count(doc, &mut out);
    }
    if kinds.resolved_paths {
        resolved_paths(doc, &mut out);
    }
    out.retain(|h| range.touches(h.offset));
    out.sort_by_key(|h| h.offset);
    out
}

fn parameter_names(doc: &SkillDoc, ws: &Workspace, range: TextRange, out: &mut Vec<InlayHint>) {
    for call in doc
        .calls
        .iter()
        .filter(|c| c.range.overlaps(range) || range.touches(c.range.start))
    {
        if call.is_mention {
            continue;
        }
        let Some(method) = ws.catalogue.method(&call.receiver, &call.method) else {
            continue;
        };
        let Ok(binding) = catalogue::best_fit(method, &call.args) else {
            continue;
        };
        for (i, param) in &binding.bound {
            let arg = &call.args[*i];
            // A keyword names itself; an argument spelling the name says it already.
            if arg.keyword.is_some() || catalogue::same_param(doc.slice(arg.value_range), &param.name) {
                continue;
            }
            out.push(InlayHint {
                offset: arg.range.start,
                label: format!("{}:", param.name),
                kind: InlayKind::Parameter,
            });
        }
    }
}

fn step_count(doc: &SkillDoc, out: &mut Vec<InlayHint>) {
    let Some(w) = &doc.workflow else { return };
    let n = w.steps.len();
    let heading = &doc.md.headings[w.heading];
    out.push(InlayHint {
        offset: heading.range.end,
        label: if n == 1 { "1 step".into() } else { format!("{n} steps") },
        kind: InlayKind::Note,
    });
}

/// `{baseDir}/path` in the body, with the range of the whole path.
pub fn base_dir_paths(doc: &SkillDoc) -> Vec<(TextRange, &str)> {
    const VAR: &str = "{baseDir}/";
    let text = &doc.text;
    let start = doc.md.body_start.min(text.len());
    text[start..]
        .match_indices(VAR)
        .filter_map(|(at, _)| {
            let from = start + at;
            let rest = &text[from + VAR.len()..];
            let len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | ')' | ']' | '>' | '<' | '|' | ','))
                .unwrap_or(rest.len());
            let rel = rest[..len].trim_end_matches(['.', ':', ';']);
            (!rel.is_empty()).then(|| (TextRange::new(from, from + VAR.len() + rel.len()), rel))
        })
        .collect()
}

fn resolved_paths(doc: &SkillDoc, out: &mut Vec<InlayHint>) {
    let Some(dir) = doc.dir() else { return };
    for (range, rel) in base_dir_paths(doc) {
        let file = dir.join(rel);
        let shown = match dir.file_name() {
            Some(folder) => format!("{}/{rel}", folder.to_string_lossy()),
            None => rel.to_string(),
        };
        let label = if file.exists() {
            format!("→ {shown}")
        } else {
            format!("→ {shown} (not found)")
        };
        out.push(InlayHint {
            offset: range.end,
            label,
            kind: InlayKind::Note,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_positional_arguments_counts_steps_and_resolves_paths() {
        let dir = test_corpus::scratch_dir("skill-inlay");
        std::fs::create_dir_all(dir.join("pdf/references")).unwrap();
        std::fs::write(dir.join("pdf/references/forms.md"), "x").unwrap();
        let text = "---\nname: pdf\n---\n# Pdf\n\n## Mandatory Workflow\n\n### Step 1: A\n\n1. `memoryStore.getSkillMemory(\"pdf\", projectName=\"{project-name}\")`\n\n### Step 2: B\n\nRead {baseDir}/references/forms.md and {baseDir}/gone.md.\n";
        let doc = SkillDoc::parse(text, Some(dir.join("pdf/SKILL.md")));
        let all = TextRange::new(0, text.len());
        let hints = inlay_hints(&doc, &Workspace::detached(), all, InlayKinds::default());
        let got: Vec<(&str, &str)> = hints.iter().map(|h| (&text[h.offset..], h.label.as_str())).collect();
        let labels: Vec<&str> = got.iter().map(|g| g.1).collect();
        assert_eq!(
            labels,
            [
                "2 steps",
                "skillName:",
                "→ pdf/references/forms.md",
                "→ pdf/gone.md (not found)"
            ]
        );
        assert!(got[1].0.starts_with("\"pdf\""));
        let none = inlay_hints(
            &doc,
            &Workspace::detached(),
            all,
            InlayKinds {
                parameter_names: false,
                step_count: false,
                resolved_paths: false,
            },
        );
        assert!(none.is_empty());
    }
}
