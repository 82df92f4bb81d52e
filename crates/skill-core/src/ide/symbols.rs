//! The outline of a skill (front matter keys, sections, the workflow's steps,
//! the checklist's items), its folding ranges, and the workspace's skills as
//! symbols to jump to by name or description.

use std::path::PathBuf;

use crate::model::SkillDoc;
use crate::syntax::yaml::YamlValue;
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::location::{skill_location, ReadFile};

/// What a symbol of the outline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// The front matter block.
    FrontMatter,
    /// A top-level front matter key.
    Key,
    /// A Markdown section (its heading).
    Section,
    /// The workflow section.
    Workflow,
    /// A workflow step (in any of the three heading styles).
    Step,
    /// The compliance checklist section.
    Checklist,
    /// A `- [ ]` item of the checklist.
    ChecklistItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol covers (a section down to its last line).
    pub range: TextRange,
    /// What to select when going to it (the heading, the key).
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// The outline: the front matter, then the sections as a tree by heading
/// level, steps and checklist items nested where they stand.
pub fn document_symbols(doc: &SkillDoc) -> Vec<Symbol> {
    let mut out = Vec::new();
    out.extend(front_matter_symbol(doc));
    out.extend(section_tree(doc));
    out
}

fn front_matter_symbol(doc: &SkillDoc) -> Option<Symbol> {
    let fm = doc.front_matter.as_ref()?;
    let block = &fm.block;
    let range = block.open.cover(block.close.unwrap_or(block.yaml));
    let children = fm
        .root
        .as_ref()
        .and_then(|r| r.as_map())
        .unwrap_or_default()
        .iter()
        .map(|e| Symbol {
            name: e.key.clone(),
            detail: scalar_detail(&e.value.value),
            kind: SymbolKind::Key,
            range: e.key_range.cover(e.value.range),
            selection: e.key_range,
            children: Vec::new(),
        })
        .collect();
    Some(Symbol {
        name: "front matter".into(),
        detail: doc.name().map(|(n, _)| n.to_string()),
        kind: SymbolKind::FrontMatter,
        range,
        selection: block.open,
        children,
    })
}

/// A short rendering of a scalar value, for the outline's detail column.
fn scalar_detail(v: &YamlValue) -> Option<String> {
    let s = match v {
        YamlValue::String(s) => s.clone(),
        YamlValue::Bool(b) => b.to_string(),
        YamlValue::Int(i) => i.to_string(),
        YamlValue::Float(f) => f.to_string(),
        YamlValue::Seq(items) => format!("{} items", items.len()),
        YamlValue::Map(_) | YamlValue::Null => return None,
    };
    Some(shorten(&s, 60))
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The range without the whitespace it ends with (sections end where the
/// next heading starts, blank lines included).
fn trim_end(text: &str, r: TextRange) -> TextRange {
    let body = text.get(r.start..r.end).unwrap_or("");
    TextRange::new(r.start, r.start + body.trim_end().len())
}

fn section_tree(doc: &SkillDoc) -> Vec<Symbol> {
    let text = &*doc.text;
    let md = &doc.md;
    let steps = doc
        .workflow
        .iter()
        .flat_map(|w| &w.steps)
        .chain(doc.stray_step_lists.iter().flat_map(|l| &l.steps));
    let mut step_of = vec![None; md.headings.len()];
    for s in steps {
        if let Some(slot) = step_of.get_mut(s.heading) {
            *slot = Some(s);
        }
    }
    // Headings as (level, symbol); each is closed into its parent when a
    // heading of the same or a higher level follows.
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    let mut roots = Vec::new();
    for (i, h) in md.headings.iter().enumerate() {
        let range = trim_end(text, md.section(i, text.len()));
        let mut sym = Symbol {
            name: h.text.trim().to_string(),
            detail: None,
            kind: SymbolKind::Section,
            range,
            selection: h.range,
            children: Vec::new(),
        };
        if let Some(step) = step_of[i] {
            sym.kind = SymbolKind::Step;
            sym.name = if step.title.is_empty() {
                format!("Step {}", step.number)
            } else {
                format!("Step {}: {}", step.number, step.title)
            };
            sym.detail = Some(h.text.trim().to_string()).filter(|t| *t != sym.name);
        } else if doc.workflow.as_ref().is_some_and(|w| w.heading == i) {
            sym.kind = SymbolKind::Workflow;
        } else if let Some(list) = doc.checklist.as_ref().filter(|c| c.heading == i) {
            sym.kind = SymbolKind::Checklist;
            sym.children = list
                .items
                .iter()
                .filter_map(|it| {
                    let item = md.items.get(it.item)?;
                    let name = text.get(item.first_line.start..item.first_line.end)?.trim();
                    Some(Symbol {
                        name: shorten(name, 80),
                        detail: Some(if it.checked { "done" } else { "open" }.to_string()),
                        kind: SymbolKind::ChecklistItem,
                        range: trim_end(text, item.range),
                        selection: item.first_line,
                        children: Vec::new(),
                    })
                })
                .collect();
        }
        while stack.last().is_some_and(|(level, _)| *level >= h.level) {
            close(&mut stack, &mut roots);
        }
        stack.push((h.level, sym));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

fn close(stack: &mut Vec<(u8, Symbol)>, roots: &mut Vec<Symbol>) {
    if let Some((_, sym)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => parent.children.push(sym),
            None => roots.push(sym),
        }
    }
}

/// What a folding range folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// The front matter: folds like imports, out of the way.
    FrontMatter,
    /// A section, a code block, a table, a list.
    Region,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The front matter, every section, code block, table and top-level list.
/// Ranges end at their last non-blank character; folds of a single line are
/// left to the caller to drop (it knows where lines end).
pub fn folding_ranges(doc: &SkillDoc) -> Vec<Fold> {
    let text = &*doc.text;
    let md = &doc.md;
    let mut out = Vec::new();
    if let Some(fm) = &doc.front_matter {
        let b = &fm.block;
        out.push(Fold {
            range: b.open.cover(b.close.unwrap_or(b.yaml)),
            kind: FoldKind::FrontMatter,
        });
    }
    let region = |range: TextRange| Fold {
        range: trim_end(text, range),
        kind: FoldKind::Region,
    };
    out.extend((0..md.headings.len()).map(|i| region(md.section(i, text.len()))));
    out.extend(md.code_blocks.iter().map(|b| region(b.range)));
    out.extend(md.tables.iter().map(|t| region(t.range)));
    out.extend(md.lists.iter().filter(|l| l.depth == 0).map(|l| region(l.range)));
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out.dedup_by_key(|f| f.range);
    out
}

/// A skill of the workspace, as a symbol to jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillSymbol {
    pub name: String,
    pub description: String,
    pub path: PathBuf,
    /// The `name` value in the skill's front matter (the top when it has none).
    pub range: TextRange,
}

/// At most this many skills answer one workspace-symbol query.
pub const MAX_WORKSPACE_SYMBOLS: usize = 200;

/// The skills whose name or description matches `query` (case-insensitive:
/// a substring, or for names the query's letters in order, as editors'
/// fuzzy pickers do), best first: names that start with the query, names
/// holding it, names matching loosely, then descriptions holding it.
pub fn workspace_symbols(ws: &Workspace, query: &str, read: ReadFile) -> Vec<SkillSymbol> {
    let q = query.trim().to_lowercase();
    let mut ranked: Vec<(u8, &str, &crate::workspace::SkillEntry)> = ws
        .skills
        .values()
        .filter_map(|s| {
            let name = s.name.to_lowercase();
            let rank = if q.is_empty() || name.starts_with(&q) {
                0
            } else if name.contains(&q) {
                1
            } else if is_subsequence(&q, &name) {
                2
            } else if s.description.to_lowercase().contains(&q) {
                3
            } else {
                return None;
            };
            Some((rank, s.name.as_str(), s))
        })
        .collect();
    ranked.sort_by_key(|(rank, name, _)| (*rank, *name));
    ranked
        .into_iter()
        .take(MAX_WORKSPACE_SYMBOLS)
        .map(|(_, _, s)| SkillSymbol {
            name: s.name.clone(),
            description: s.description.clone(),
            path: s.path.clone(),
            range: skill_location(&s.path, read).range,
        })
        .collect()
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::corpus;
    use std::path::Path;
    use std::sync::Arc;

    fn names(symbols: &[Symbol]) -> Vec<String> {
        symbols.iter().map(|s| s.name.clone()).collect()
    }

    fn find(symbols: &[Symbol], kind: SymbolKind) -> Option<&Symbol> {
        symbols.iter().find_map(|s| {
            if s.kind == kind {
                Some(s)
            } else {
                find(&s.children, kind)
            }
        })
    }

    const SKILL: &str = "---\nname: demo\ndescription: A demo\nversion: 1.0.0\ntags: [a, b]\n---\n\n# Demo 😀\n\n## Purpose\n\nText.\n\n## Mandatory Workflow\n\n### ⚠️ STEP 1: Scope (REQUIRED)\n\n1. Look.\n\n### Step 2: Load Memory\n\n```\nmemoryStore.getSkillMemory(\"demo\", p)\n```\n\n#### **Step 3: Act**\n\nDo it.\n\n## Compliance Checklist\n\n- [ ] Step 1: scoped\n- [x] Step 2: memory loaded\n\n## Version History\n\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-01 | First |\n";

    #[test]
    fn outline_nests_steps_under_the_workflow_in_every_style() {
        let doc = SkillDoc::parse(SKILL, None);
        let syms = document_symbols(&doc);
        assert_eq!(names(&syms), ["front matter", "Demo 😀"]);
        assert_eq!(names(&syms[0].children), ["name", "description", "version", "tags"]);
        assert_eq!(syms[0].children[0].detail.as_deref(), Some("demo"));
        assert_eq!(
            names(&syms[1].children),
            [
                "Purpose",
                "Mandatory Workflow",
                "Compliance Checklist",
                "Version History"
            ]
        );
        let workflow = find(&syms, SymbolKind::Workflow).unwrap();
        assert_eq!(names(&workflow.children), ["Step 1: Scope", "Step 2: Load Memory"]);
        // `#### **Step 3**` sits one level deeper, under step 2, as the headings say.
        assert_eq!(names(&workflow.children[1].children), ["Step 3: Act"]);
        assert!(workflow.children.iter().all(|s| s.kind == SymbolKind::Step));
        let checklist = find(&syms, SymbolKind::Checklist).unwrap();
        assert_eq!(names(&checklist.children), ["Step 1: scoped", "Step 2: memory loaded"]);
        assert_eq!(checklist.children[1].detail.as_deref(), Some("done"));
        // Every child lies inside its parent; selections inside ranges.
        fn nested(s: &Symbol) {
            assert!(
                s.range.start <= s.selection.start && s.selection.end <= s.range.end,
                "{}",
                s.name
            );
            for c in &s.children {
                assert!(
                    s.range.start <= c.range.start && c.range.end <= s.range.end,
                    "{} in {}",
                    c.name,
                    s.name
                );
                nested(c);
            }
        }
        syms.iter().for_each(nested);
    }

    #[test]
    fn folds_cover_front_matter_sections_code_and_tables() {
        let doc = SkillDoc::parse(SKILL, None);
        let folds = folding_ranges(&doc);
        let texts: Vec<&str> = folds.iter().map(|f| &SKILL[f.range.start..f.range.end]).collect();
        assert!(texts[0].starts_with("---\nname") && texts[0].ends_with("---"));
        assert_eq!(folds[0].kind, FoldKind::FrontMatter);
        assert!(texts.iter().any(|t| t.starts_with("```") && t.ends_with("```")));
        assert!(texts.iter().any(|t| t.starts_with("| Version")));
        assert!(texts
            .iter()
            .any(|t| t.starts_with("## Mandatory Workflow") && t.ends_with("Do it.")));
        assert!(texts.iter().all(|t| !t.ends_with('\n')));
    }

    #[test]
    fn a_skill_without_front_matter_or_headings_has_a_small_outline() {
        let doc = SkillDoc::parse("just text\n", None);
        assert!(document_symbols(&doc).is_empty());
        let doc = SkillDoc::parse("---\nname: [unclosed\n", None);
        let syms = document_symbols(&doc);
        assert_eq!(names(&syms), ["front matter"]);
    }

    #[test]
    fn corpus_outlines_in_the_three_step_styles() {
        let Some(root) = corpus::root("forge") else { return };
        for (skill, steps) in [("typescript", 6), ("cli-developer", 6), ("generate-azure-functions", 6)] {
            let text = std::fs::read_to_string(root.join("skills").join(skill).join("SKILL.md")).unwrap();
            let doc = SkillDoc::parse(text, None);
            let syms = document_symbols(&doc);
            let workflow = find(&syms, SymbolKind::Workflow).unwrap_or_else(|| panic!("{skill}: no workflow"));
            fn count(s: &Symbol) -> usize {
                s.children
                    .iter()
                    .map(|c| usize::from(c.kind == SymbolKind::Step) + count(c))
                    .sum()
            }
            assert!(count(workflow) >= steps, "{skill}: {:?}", names(&workflow.children));
        }
    }

    /// In every skill of both trees, every workflow step sits under the workflow symbol.
    #[test]
    fn corpus_every_workflow_step_is_under_the_workflow() {
        for tree in ["forge", "forge-clean"] {
            let Some(root) = corpus::root(tree) else { return };
            for entry in std::fs::read_dir(root.join("skills")).unwrap().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path().join("SKILL.md")) else {
                    continue;
                };
                let doc = SkillDoc::parse(text, None);
                let Some(w) = &doc.workflow else { continue };
                let syms = document_symbols(&doc);
                let workflow = find(&syms, SymbolKind::Workflow).unwrap();
                fn count(s: &Symbol) -> usize {
                    s.children
                        .iter()
                        .map(|c| usize::from(c.kind == SymbolKind::Step) + count(c))
                        .sum()
                }
                assert_eq!(count(workflow), w.steps.len(), "{tree}/{:?}", entry.file_name());
            }
        }
    }

    #[test]
    fn corpus_workspace_symbols_by_name_and_description() {
        let Some(root) = corpus::root("forge") else { return };
        let ws = Workspace::load(&root);
        let read = |p: &Path| std::fs::read_to_string(p).ok().map(Arc::<str>::from);
        let all = workspace_symbols(&ws, "", &read);
        assert_eq!(all.len(), 102);
        let ts = workspace_symbols(&ws, "typescr", &read);
        assert_eq!(ts[0].name, "typescript");
        let text = std::fs::read_to_string(&ts[0].path).unwrap();
        assert_eq!(&text[ts[0].range.start..ts[0].range.end], "typescript");
        let by_description = workspace_symbols(&ws, "generics", &read);
        assert!(by_description.iter().any(|s| s.name == "typescript"));
        assert!(workspace_symbols(&ws, "zzzzqqq", &read).is_empty());
    }
}
