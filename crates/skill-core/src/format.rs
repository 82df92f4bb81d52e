//! Formatting a skill: the one implementation behind `skill-lsp format`,
//! `textDocument/formatting` and `textDocument/rangeFormatting`.
//!
//! Formatting never changes what a skill means. It renumbers the workflow's
//! steps in the order they stand, with every `Step N` that names them (the
//! renumbering SK103's fix makes, taken only where that fix is safe); puts
//! the Version History table's rows in the order the table already mostly
//! runs; writes the Compliance Checklist's items in one form (`- [ ]`,
//! `- [x]`); and, in the front matter, only strips trailing blanks and
//! writes the closing fence as `---` — and drops even that when the YAML
//! would read differently afterwards.

use crate::authoring::expected_count;
use crate::authoring::renumber;
use crate::config::Config;
use crate::fix::{apply_edits, Edit};
use crate::model::semver_key;
use crate::model::{HistoryForm, HistoryOrder, SkillDoc};
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::TextRange;

/// The edits that format `doc`, sorted by position and never overlapping.
/// Empty when the document is formatted already.
pub fn format(doc: &SkillDoc, config: &Config) -> Vec<Edit> {
    let mut edits = Vec::new();
    if let Some(plan) = renumber::plan(doc, expected_count(doc, config)) {
        if !plan.guesses {
            edits.extend(plan.edits);
        }
    }
    edits.extend(history_order(doc));
    edits.extend(checklist_form(doc));
    let body = disjoint(edits);
    let front = front_matter(doc);
    if front.is_empty() {
        return body;
    }
    let mut all = body.clone();
    all.extend(front);
    let all = disjoint(all);
    // The front matter must read the same afterwards (trailing blanks are
    // content in a block scalar): keep its edits only when it does.
    let after = SkillDoc::parse(apply_edits(&doc.text, &all), doc.path.clone());
    if same_front_matter(doc, &after) {
        all
    } else {
        body
    }
}

/// The edits of [`format`] that touch `range` (a selection to format): an
/// edit is taken whole or not at all, so a renumbering or a reordering that
/// reaches outside the selection still applies entirely.
pub fn format_range(doc: &SkillDoc, config: &Config, range: TextRange) -> Vec<Edit> {
    format(doc, config)
        .into_iter()
        .filter(|e| e.range.overlaps(range) || range.touches(e.range.start) || e.range.touches(range.start))
        .collect()
}

/// `text` formatted.
pub fn format_text(doc: &SkillDoc, config: &Config) -> String {
    apply_edits(&doc.text, &format(doc, config))
}

/// Sorted edits with any that overlap an earlier one left out.
fn disjoint(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if out
            .last()
            .is_some_and(|p| p.range.end > e.range.start || p.range == e.range)
        {
            continue;
        }
        out.push(e);
    }
    out
}

/// The Version History table's rows in the order most of its neighbouring
/// rows already run (newest first or oldest first; a tie goes the way the
/// first and last rows run); nothing when a version does not read as a
/// semantic version.
fn history_order(doc: &SkillDoc) -> Vec<Edit> {
    let Some(h) = &doc.history else { return Vec::new() };
    if h.form != HistoryForm::Table || h.order != HistoryOrder::Unknown || h.rows.len() < 2 {
        return Vec::new();
    }
    let Some(keys) = h
        .rows
        .iter()
        .map(|r| semver_key(&r.version))
        .collect::<Option<Vec<_>>>()
    else {
        return Vec::new();
    };
    let up = keys.windows(2).filter(|w| w[0] < w[1]).count();
    let down = keys.windows(2).filter(|w| w[0] > w[1]).count();
    // A tie goes the way the first and last rows run.
    let (first, last) = (keys[0], keys[keys.len() - 1]);
    let oldest_first = match up.cmp(&down) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal if first != last => first < last,
        std::cmp::Ordering::Equal => return Vec::new(),
    };
    let mut order: Vec<usize> = (0..h.rows.len()).collect();
    order.sort_by(|&a, &b| {
        if oldest_first {
            keys[a].cmp(&keys[b])
        } else {
            keys[b].cmp(&keys[a])
        }
    });
    h.rows
        .iter()
        .zip(&order)
        .filter_map(|(slot, &from)| {
            let moved = doc.slice(h.rows[from].range);
            (moved != doc.slice(slot.range)).then(|| Edit::replace(slot.range, moved))
        })
        .collect()
}

/// Checklist items written `- [ ]` / `- [x]`: `*` and `+` bullets become
/// `-`, `[X]` becomes `[x]`, one space between bullet and box. Numbered
/// items keep their numbers.
fn checklist_form(doc: &SkillDoc) -> Vec<Edit> {
    let Some(c) = &doc.checklist else { return Vec::new() };
    let mut out = Vec::new();
    for it in &c.items {
        let item = &doc.md.items[it.item];
        let lead = TextRange::new(item.range.start, it.marker.start);
        let written = doc.slice(lead);
        if matches!(written.chars().next(), Some('*' | '+' | '-')) && written != "- " {
            out.push(Edit::replace(lead, "- "));
        }
        if doc.slice(it.marker) == "[X]" {
            out.push(Edit::replace(it.marker, "[x]"));
        }
    }
    out
}

/// Trailing blanks of the front matter's lines, and a closing fence written
/// `...` or with trailing blanks, written `---`.
fn front_matter(doc: &SkillDoc) -> Vec<Edit> {
    let Some(fm) = &doc.front_matter else { return Vec::new() };
    let Some(close) = fm.block.close else { return Vec::new() };
    let text = &doc.text;
    let mut out = Vec::new();
    let mut at = fm.block.open.start;
    while at < close.start {
        let line = crate::text::line_range_at(text, at);
        let content = &text[line.start..line.end];
        let kept = content.trim_end_matches([' ', '\t']).len();
        if kept < content.len() {
            out.push(Edit::delete(TextRange::new(line.start + kept, line.end)));
        }
        let next = text[line.end..].find('\n').map_or(text.len(), |i| line.end + i + 1);
        if next <= at {
            break;
        }
        at = next;
    }
    if doc.slice(close) != "---" {
        out.push(Edit::replace(close, "---"));
    }
    out
}

fn same_front_matter(a: &SkillDoc, b: &SkillDoc) -> bool {
    let root = |d: &SkillDoc| {
        d.front_matter
            .as_ref()
            .map(|f| (f.root.clone(), f.errors.len(), f.block.close.is_some()))
    };
    match (root(a), root(b)) {
        (Some((ra, ea, ca)), Some((rb, eb, cb))) => {
            ea == eb
                && ca == cb
                && match (ra, rb) {
                    (Some(x), Some(y)) => same_value(&x, &y),
                    (None, None) => true,
                    _ => false,
                }
        }
        (None, None) => true,
        _ => false,
    }
}

/// Whether two YAML trees hold the same values, wherever they stand.
pub(crate) fn same_value(a: &YamlNode, b: &YamlNode) -> bool {
    match (&a.value, &b.value) {
        (YamlValue::Seq(x), YamlValue::Seq(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b)),
        (YamlValue::Map(x), YamlValue::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| a.key == b.key && same_value(&a.value, &b.value))
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(text: &str) -> String {
        format_text(&SkillDoc::parse(text, None), &Config::default())
    }

    const HEAD: &str = "---\nname: t   \ndescription: d\n...  \n# T\n\n## Mandatory Workflow\n\n";

    #[test]
    fn renumbers_orders_the_history_and_writes_one_item_form() {
        let text = format!(
            "{HEAD}### Step 1: A\n\nThen Step 3.\n\n### Step 3: B\n\n### Step 2: C\n\n## Compliance Checklist\n* [ ] Step 1: A\n+ [X] Step 3: B\n-   [ ] Step 2: C\n\n## Version History\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-01 | a |\n| 1.2.0 | 2026-01-03 | c |\n| 1.1.0 | 2026-01-02 | b |\n"
        );
        let out = formatted(&text);
        assert!(out.starts_with("---\nname: t\ndescription: d\n---\n# T"), "{out}");
        assert!(out.contains("Then Step 2.\n\n### Step 2: B\n\n### Step 3: C"), "{out}");
        assert!(
            out.contains("- [ ] Step 1: A\n- [x] Step 2: B\n- [ ] Step 3: C\n"),
            "{out}"
        );
        assert!(
            out.contains("| 1.0.0 | 2026-01-01 | a |\n| 1.1.0 | 2026-01-02 | b |\n| 1.2.0 | 2026-01-03 | c |\n"),
            "{out}"
        );
        assert_eq!(formatted(&out), out, "formatting again changes nothing");
    }

    #[test]
    fn trailing_blanks_that_are_content_stay() {
        let text = "---\nname: t\ndescription: |\n  two  \n  lines\n---\n# T\n";
        assert_eq!(formatted(text), text);
    }

    #[test]
    fn a_renumbering_that_guesses_is_left_to_the_author() {
        let steps: String = (1..=3)
            .map(|n| format!("### Step {n}: S{n}\n\n**YOU MUST:**\n1. x\n\n"))
            .collect();
        let text = format!("{HEAD}{steps}#### **Step 2: Pasted**\n\nx\n");
        let out = formatted(&text);
        assert!(out.contains("#### **Step 2: Pasted**"), "{out}");
    }

    #[test]
    fn a_range_takes_whole_edits() {
        let text = format!("{HEAD}### Step 1: A\n\n### Step 3: B\n\n### Step 2: C\n");
        let doc = SkillDoc::parse(text.as_str(), None);
        let at = text.find("Step 3").unwrap();
        let edits = format_range(&doc, &Config::default(), TextRange::new(at, at + 6));
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].new_text, "2");
    }
}

/// Formatting every real skill of the corpus (both workflow trees and the
/// Agent Skills repositories, read in place, nothing written) never adds a
/// finding, never changes what the front matter holds, and is idempotent.
#[cfg(test)]
mod corpus {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::workspace::Workspace;

    fn skill_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                skill_files(&p, out);
            } else if meta.is_file() && p.file_name().is_some_and(|n| n == "SKILL.md") {
                out.push(p);
            }
        }
    }

    #[test]
    fn formatting_the_corpus_keeps_meaning_and_is_idempotent() {
        let Some(corpus) = test_corpus::holding(&["forge", "forge-clean", "agentskills"]) else {
            return; // corpus not present
        };
        let mut files = Vec::new();
        for tree in ["forge", "forge-clean", "agentskills"] {
            skill_files(&corpus.join(tree), &mut files);
        }
        assert!(files.len() > 400, "{} skills", files.len());
        let mut workspaces: HashMap<Option<PathBuf>, Workspace> = HashMap::new();
        let config = Config::default();
        let mut changed = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let root = Workspace::find_root(&path);
            let ws = workspaces
                .entry(root.clone())
                .or_insert_with(|| root.as_deref().map_or_else(Workspace::detached, Workspace::load));
            let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
            let out = format_text(&doc, &config);
            if out == text {
                continue;
            }
            changed += 1;
            let after = SkillDoc::parse(out.as_str(), Some(path.clone()));
            assert!(
                same_front_matter(&doc, &after),
                "{}: the front matter changed",
                path.display()
            );
            // The total, not each rule's count: a `Step 100` renumbered to
            // `Step 10` trades its SK103 for the SK112 it hid (the checklist
            // has no item for it), which is the same defect, now said plainly.
            let count = |d: &SkillDoc| crate::check(d, ws, &config).len();
            let (before_n, after_n) = (count(&doc), count(&after));
            assert!(
                after_n <= before_n,
                "{}: findings grew from {before_n} to {after_n}",
                path.display()
            );
            assert_eq!(format_text(&after, &config), out, "{}: not idempotent", path.display());
        }
        assert!(changed > 0, "formatting changed no corpus skill");
    }
}
