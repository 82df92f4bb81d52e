//! Renaming a skill: its `name` in the front matter, every skill-name
//! argument that names it (`memoryStore.getSkillMemory("x", ...)`,
//! `skill="x"`, `skillInvoker.invoke("x", ...)`), its `/claudedocs/x_...`
//! output paths, and the references other skills make to it (delegation
//! calls, `skill:x` and `skill="x"` in inline code, a `# skill:x` title).
//!
//! A skill's folder carries its name too (SK006): when the caller can move
//! it, the rename says where (and `skills/<name>/` paths written in the
//! skills follow); otherwise the folder keeps its old name.

use std::path::{Path, PathBuf};

use super::cursor::{target_at, Target};
use super::location::{same_file, Location, ReadFile, SKILL_PARAMS};
use crate::fix::Edit;
use crate::model::{Arg, Call, SkillDoc};
use crate::schema::is_kebab;
use crate::syntax::yaml::{YamlNode, YamlValue};
use crate::text::TextRange;
use crate::workspace::catalogue::same_param;
use crate::workspace::{lookup, Workspace};

/// The skill name under the cursor, which a rename replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameTarget {
    /// The name as written, quotes excluded.
    pub range: TextRange,
    pub name: String,
}

/// The edits of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    /// The file; `None` for the document renamed from when it is no file.
    pub path: Option<PathBuf>,
    /// Non-overlapping, in text order.
    pub edits: Vec<Edit>,
}

/// Moving the renamed skill's folder along (`skills/old` → `skills/new`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderMove {
    pub from: PathBuf,
    pub to: PathBuf,
}

/// What a rename changes: text edits (of the files where they are now), then
/// the folder move, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renamed {
    pub files: Vec<FileEdits>,
    pub folder: Option<FolderMove>,
}

/// Why a rename cannot be done, in words for the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

/// The skill name at `offset`, when it names this skill or a skill of the workspace.
pub fn prepare(doc: &SkillDoc, ws: &Workspace, offset: usize) -> Option<RenameTarget> {
    let own = doc.name().map(|(n, _)| n.trim());
    let known = |name: &str| Some(name) == own || ws.skills.contains_key(name);
    let found = occurrences(doc, ws, None)
        .into_iter()
        .find(|(range, _)| range.touches(offset))
        .or_else(|| name_value_at(doc, offset))?;
    let (range, name) = found;
    known(&name).then_some(RenameTarget { range, name })
}

/// The front matter `name` value at `offset`.
fn name_value_at(doc: &SkillDoc, offset: usize) -> Option<(TextRange, String)> {
    match target_at(doc, offset) {
        Target::Value { path, .. } if path == ["name"] => {
            let (name, range) = doc.name()?;
            Some((unquoted(&doc.text, range), name.trim().to_string()))
        }
        _ => None,
    }
}

/// Renames the skill named at `offset` to `new_name` across the workspace's
/// skills (and `doc`, whose text may be newer than the file's). With
/// `move_folder`, a skill whose folder bears the old name moves to a folder
/// of the new one (when no such folder exists yet).
pub fn rename(
    doc: &SkillDoc,
    ws: &Workspace,
    offset: usize,
    new_name: &str,
    move_folder: bool,
    read: ReadFile,
) -> Result<Renamed, RenameError> {
    let Some(target) = prepare(doc, ws, offset) else {
        return Err(RenameError("there is no skill name here to rename".into()));
    };
    let old = target.name.as_str();
    let new_name = new_name.trim();
    if new_name == old {
        return Ok(Renamed::default());
    }
    if !is_kebab(new_name) {
        return Err(RenameError(format!(
            "`{new_name}` cannot be a skill name: use lower-case letters, digits and single hyphens (kebab-case), at most 64 characters"
        )));
    }
    if ws.skills.contains_key(new_name) {
        return Err(RenameError(format!(
            "a skill named `{new_name}` already exists: two skills with one name would share memory and output files"
        )));
    }
    let owner = owner_of(doc, ws, old);
    let folder = owner
        .as_deref()
        .and_then(|p| p.parent())
        .filter(|dir| move_folder && dir.file_name().is_some_and(|n| n == old))
        .and_then(|dir| {
            let to = dir.with_file_name(new_name);
            (!to.exists()).then(|| FolderMove {
                from: dir.to_path_buf(),
                to,
            })
        });
    let files = uses(doc, ws, old, owner.as_deref(), folder.is_some(), read)
        .into_iter()
        .map(|(path, ranges)| FileEdits {
            path,
            edits: ranges.into_iter().map(|r| Edit::replace(r, new_name)).collect(),
        })
        .collect();
    Ok(Renamed { files, folder })
}

/// The `SKILL.md` of the skill named `name`: `doc` when it is that skill.
fn owner_of(doc: &SkillDoc, ws: &Workspace, name: &str) -> Option<PathBuf> {
    if doc.name().is_some_and(|(n, _)| n.trim() == name) {
        doc.path.clone()
    } else {
        ws.skills.get(name).map(|s| s.path.clone())
    }
}

/// Where the skill name under the cursor is written, across the
/// workspace's skills: its `name`, the arguments, paths and references
/// that a rename changes.
pub fn skill_uses(doc: &SkillDoc, ws: &Workspace, offset: usize, read: ReadFile) -> Vec<Location> {
    let Some(target) = prepare(doc, ws, offset) else {
        return Vec::new();
    };
    let owner = owner_of(doc, ws, &target.name);
    uses(doc, ws, &target.name, owner.as_deref(), false, read)
        .into_iter()
        .filter_map(|(path, ranges)| Some((path?, ranges)))
        .flat_map(|(path, ranges)| {
            ranges.into_iter().map(move |range| Location {
                path: path.clone(),
                range,
            })
        })
        .collect()
}

/// The ranges naming skill `old` in `doc` (from its current text; `None`
/// when it is no file) and in every other skill of the workspace that has
/// any, file by file.
fn uses(
    doc: &SkillDoc,
    ws: &Workspace,
    old: &str,
    owner: Option<&Path>,
    paths: bool,
    read: ReadFile,
) -> Vec<(Option<PathBuf>, Vec<TextRange>)> {
    let is_owner = |path: Option<&Path>| match (path, owner) {
        (Some(p), Some(o)) => same_file(p, o),
        (None, None) => true,
        _ => false,
    };
    let mut out = Vec::new();
    let own_path = doc.path.as_deref();
    let ranges = ranges_in(doc, ws, old, is_owner(own_path), paths);
    if !ranges.is_empty() {
        out.push((doc.path.clone(), ranges));
    }
    for entry in ws.skills.values() {
        if own_path.is_some_and(|p| same_file(p, &entry.path)) {
            continue;
        }
        let Some(text) = read(&entry.path) else { continue };
        // Most skills never name it: skip them without parsing.
        if !text.contains(old) {
            continue;
        }
        let other = SkillDoc::parse(text, Some(entry.path.clone()));
        let ranges = ranges_in(&other, ws, old, is_owner(Some(&entry.path)), paths);
        if !ranges.is_empty() {
            out.push((Some(entry.path.clone()), ranges));
        }
    }
    out
}

/// The ranges naming `old` in one skill; its `name` too when it is the
/// skill, and `skills/<old>/` paths when its folder moves. Non-overlapping,
/// in text order.
fn ranges_in(doc: &SkillDoc, ws: &Workspace, old: &str, is_owner: bool, paths: bool) -> Vec<TextRange> {
    let mut ranges: Vec<TextRange> = occurrences(doc, ws, Some(old)).into_iter().map(|(r, _)| r).collect();
    if paths {
        let needle = format!("skills/{old}/");
        ranges.extend(
            doc.text
                .match_indices(&needle)
                .map(|(i, _)| TextRange::new(i + "skills/".len(), i + "skills/".len() + old.len())),
        );
    }
    if is_owner {
        // `name`, and any other front matter value that is the name
        // (`memory.skill_memory: x` in older skills).
        if let Some(root) = doc.front_matter.as_ref().and_then(|f| f.root.as_ref()) {
            let mut values = Vec::new();
            string_values(root, &mut values);
            ranges.extend(
                values
                    .into_iter()
                    .filter(|(v, _)| v.trim() == old)
                    .map(|(_, r)| unquoted(&doc.text, r)),
            );
        }
    }
    ranges.sort();
    ranges.dedup();
    // Overlapping ranges cannot both be edited; keep the first.
    let mut out: Vec<TextRange> = Vec::new();
    for r in ranges {
        if out.last().is_some_and(|e| e.end > r.start) {
            continue;
        }
        out.push(r);
    }
    out
}

/// Every string scalar of a YAML tree, with its range.
fn string_values<'y>(node: &'y YamlNode, out: &mut Vec<(&'y str, TextRange)>) {
    match &node.value {
        YamlValue::String(s) => out.push((s, node.range)),
        YamlValue::Seq(items) => items.iter().for_each(|n| string_values(n, out)),
        YamlValue::Map(entries) => entries.iter().for_each(|e| string_values(&e.value, out)),
        _ => {}
    }
}

/// Where the body names a skill (only `name` when given): skill-name
/// arguments, output paths, `skill:x` / `skill="x"` in inline code, and a
/// `# skill:x` title. Ranges exclude quotes.
fn occurrences(doc: &SkillDoc, ws: &Workspace, name: Option<&str>) -> Vec<(TextRange, String)> {
    let text = &*doc.text;
    let wanted = |s: &str| name.is_none_or(|n| n == s);
    let mut out = Vec::new();
    for call in &doc.calls {
        if let Some(arg) = skill_arg(ws, call) {
            if let Some(value) = lookup::literal(arg).filter(|v| wanted(v)) {
                out.push((unquoted(text, arg.value_range), value.to_string()));
            }
        }
    }
    for p in &doc.output_paths {
        if wanted(&p.name) && is_kebab(&p.name) {
            out.push((p.name_range, p.name.clone()));
        }
    }
    for span in &doc.md.code_spans {
        if let Some((range, value)) = prose_reference(text, span.content) {
            if wanted(value) {
                out.push((range, value.to_string()));
            }
        }
    }
    for h in doc.md.headings.iter().filter(|h| h.level == 1) {
        if let Some((range, value)) = title_reference(text, h.content_range) {
            if wanted(value) {
                out.push((range, value.to_string()));
            }
        }
    }
    out
}

/// The argument of a call holding a skill name: the one bound to
/// `skillName` under the best-fitting form, or for a method the catalogue
/// does not know, a `skill=` / `skillName=` keyword.
fn skill_arg<'c>(ws: &Workspace, call: &'c Call) -> Option<&'c Arg> {
    lookup::arg_for(&ws.catalogue, call, SKILL_PARAMS).or_else(|| {
        call.args
            .iter()
            .find(|a| a.keyword.as_ref().is_some_and(|(k, _)| same_param(k, "skillName")))
    })
}

/// `skill:x`, `skill="x"`, `skill: 'x'`, `skillName="x"` as the whole of an
/// inline code span: the name's range and the name.
pub(crate) fn prose_reference(text: &str, content: TextRange) -> Option<(TextRange, &str)> {
    let raw = text.get(content.start..content.end)?;
    let lead = raw.len() - raw.trim_start().len();
    let s = raw.trim();
    let key_len = ["skillName", "skill"]
        .iter()
        .find(|k| s.len() > k.len() && s.is_char_boundary(k.len()) && s[..k.len()].eq_ignore_ascii_case(k))?
        .len();
    let rest = &s[key_len..];
    let after_sep = rest.trim_start().strip_prefix(['=', ':'])?;
    let value = after_sep.trim_start();
    let value_at = content.start + lead + s.len() - value.len();
    let (inner, inner_at) = match value.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => {
            let body = value.get(1..value.len().checked_sub(1)?)?;
            (value.ends_with(q as char).then_some(body)?, value_at + 1)
        }
        _ => (value, value_at),
    };
    is_kebab(inner).then(|| (TextRange::new(inner_at, inner_at + inner.len()), inner))
}

/// `skill:x` (or `Skill: x`) leading a title: the name's range and the name.
fn title_reference(text: &str, content: TextRange) -> Option<(TextRange, &str)> {
    let raw = text.get(content.start..content.end)?;
    let prefix = raw.get(..6)?;
    if !prefix.eq_ignore_ascii_case("skill:") {
        return None;
    }
    let rest = &raw[6..];
    let value = rest.trim_start();
    let len = value
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .unwrap_or(value.len());
    let name = value[..len].trim_end_matches('-');
    let at = content.start + 6 + rest.len() - value.len();
    is_kebab(name).then(|| (TextRange::new(at, at + name.len()), name))
}

/// The range without the quotes around it, when it is quoted.
fn unquoted(text: &str, r: TextRange) -> TextRange {
    let s = text.get(r.start..r.end).unwrap_or("");
    let b = s.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'"' | b'\'') && b[b.len() - 1] == b[0] {
        TextRange::new(r.start + 1, r.end - 1)
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::corpus;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Arc;

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.range.start..e.range.end, &e.new_text);
        }
        out
    }

    fn disk(path: &Path) -> Option<Arc<str>> {
        std::fs::read_to_string(path).ok().map(Arc::from)
    }

    struct Tmp(PathBuf);

    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn workspace(name: &str, files: &[(&str, &str)]) -> Tmp {
        let dir = test_corpus::scratch_dir(&format!("skill-core-rename-{name}"));
        std::fs::create_dir_all(dir.join("interfaces")).unwrap();
        for (rel, text) in files {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Tmp(dir)
    }

    const ALPHA: &str = "---\nname: \"alpha\"\ndescription: x\n---\n# skill:alpha - Alpha 😀\n\n## Workflow\n\n### Step 1: Load\n\n`memoryStore.getSkillMemory(\"alpha\", \"{project-name}\")` and `skill=\"alpha\"`\n\n#### **Step 2: Save**\n\n```\nmemoryStore.update(layer=\"skill-specific\", skill=\"alpha\", project=\"p\", ...)\n```\n\nSave to `/claudedocs/alpha_{project}_{YYYY-MM-DD}.md`.\n";
    const BETA: &str = "---\nname: beta\n---\n# Beta\n\n### ⚠️ STEP 1: Delegate (REQUIRED)\n\nDelegate to `skill:alpha` via `skillInvoker.invoke(\"alpha\", { x })`; `memoryStore.getSkillMemory(\"beta\", p)`; alphabet.\n";

    /// The skills `alpha` (with the text `alpha`) and `beta` in a workspace
    /// folder `name`, the workspace loaded, and the skill `open` (`"alpha"` or
    /// `"beta"`) parsed from its file.
    fn alpha_and_beta(name: &str, alpha: &str, open: &str) -> (Tmp, Workspace, SkillDoc) {
        let tmp = workspace(
            name,
            &[("skills/alpha/SKILL.md", alpha), ("skills/beta/SKILL.md", BETA)],
        );
        let ws = Workspace::load(&tmp.0);
        let text = if open == "alpha" { alpha } else { BETA };
        let doc = SkillDoc::parse(text, Some(tmp.0.join(format!("skills/{open}/SKILL.md"))));
        (tmp, ws, doc)
    }

    #[test]
    fn renames_name_arguments_paths_and_references_from_other_skills() {
        let (tmp, ws, doc) = alpha_and_beta("all", ALPHA, "alpha");
        let path = tmp.0.join("skills/alpha/SKILL.md");
        let at = ALPHA.find("name: \"alpha").unwrap() + 8;
        let t = prepare(&doc, &ws, at).unwrap();
        assert_eq!(
            (&ALPHA[t.range.start..t.range.end], t.name.as_str()),
            ("alpha", "alpha")
        );
        let files = rename(&doc, &ws, at, "omega", false, &disk).unwrap().files;
        let by_path: BTreeMap<PathBuf, &FileEdits> = files.iter().map(|f| (f.path.clone().unwrap(), f)).collect();
        let alpha = apply(ALPHA, &by_path[&path].edits);
        assert!(!alpha.contains("alpha"), "{alpha}");
        assert_eq!(alpha.matches("omega").count(), 6, "{alpha}");
        assert!(alpha.contains("name: \"omega\"") && alpha.contains("/claudedocs/omega_{project}"));
        let beta = apply(BETA, &by_path[&tmp.0.join("skills/beta/SKILL.md")].edits);
        assert!(
            beta.contains("`skill:omega`") && beta.contains("invoke(\"omega\""),
            "{beta}"
        );
        assert!(beta.contains("alphabet") && beta.contains("name: beta"));
    }

    #[test]
    fn renames_from_a_delegation_in_another_skill() {
        let (_tmp, ws, doc) = alpha_and_beta("from-other", ALPHA, "beta");
        let at = BETA.find("invoke(\"alpha").unwrap() + 9;
        assert_eq!(prepare(&doc, &ws, at).unwrap().name, "alpha");
        let files = rename(&doc, &ws, at, "omega", false, &disk).unwrap().files;
        assert_eq!(files.len(), 2);
        let alpha = files
            .iter()
            .find(|f| f.path.as_ref().unwrap().ends_with("alpha/SKILL.md"))
            .unwrap();
        assert!(apply(ALPHA, &alpha.edits).contains("name: \"omega\""));
        // Its own name in its own call is renamed as the owner.
        let at_own = BETA.find("(\"beta\"").unwrap() + 2;
        let own = rename(&doc, &ws, at_own, "gamma", false, &disk).unwrap().files;
        assert_eq!(own.len(), 1);
        let renamed = apply(BETA, &own[0].edits);
        assert!(renamed.contains("name: gamma") && renamed.contains("getSkillMemory(\"gamma\""));
    }

    #[test]
    fn the_folder_moves_along_when_the_caller_can_move_it() {
        let alpha = ALPHA.replace(
            "# skill:alpha",
            "```\nskills/alpha/\n└── SKILL.md\n```\n\n# skill:alpha",
        );
        let (tmp, ws, doc) = alpha_and_beta("move", &alpha, "alpha");
        let at = alpha.find("alpha\"").unwrap();
        let moved = rename(&doc, &ws, at, "omega", true, &disk).unwrap();
        assert_eq!(
            moved.folder,
            Some(FolderMove {
                from: tmp.0.join("skills/alpha"),
                to: tmp.0.join("skills/omega")
            })
        );
        let renamed = apply(&alpha, &moved.files[0].edits);
        assert!(
            renamed.contains("skills/omega/\n") && !renamed.contains("alpha"),
            "{renamed}"
        );
        // Not asked to, or a folder of that name exists: the folder stays.
        assert_eq!(rename(&doc, &ws, at, "omega", false, &disk).unwrap().folder, None);
        std::fs::create_dir_all(tmp.0.join("skills/omega")).unwrap();
        assert_eq!(rename(&doc, &ws, at, "omega", true, &disk).unwrap().folder, None);
    }

    #[test]
    fn uses_of_a_skill_name_across_skills() {
        let (_tmp, ws, doc) = alpha_and_beta("uses", ALPHA, "beta");
        let found = skill_uses(&doc, &ws, BETA.find("skill:alpha").unwrap() + 7, &disk);
        let in_alpha = found.iter().filter(|l| l.path.ends_with("alpha/SKILL.md")).count();
        let in_beta = found.iter().filter(|l| l.path.ends_with("beta/SKILL.md")).count();
        assert_eq!((in_alpha, in_beta), (6, 2));
        for l in &found {
            let text = std::fs::read_to_string(&l.path).unwrap();
            assert_eq!(&text[l.range.start..l.range.end], "alpha");
        }
        assert!(skill_uses(&doc, &ws, BETA.find("Delegate").unwrap(), &disk).is_empty());
    }

    #[test]
    fn refuses_bad_names_taken_names_and_places_without_a_skill_name() {
        let (_tmp, ws, doc) = alpha_and_beta("refuse", ALPHA, "alpha");
        let at = ALPHA.find("alpha\"").unwrap();
        assert!(rename(&doc, &ws, at, "Not Kebab", false, &disk)
            .unwrap_err()
            .0
            .contains("kebab"));
        assert!(rename(&doc, &ws, at, "beta", false, &disk)
            .unwrap_err()
            .0
            .contains("already exists"));
        assert_eq!(
            rename(&doc, &ws, at, "alpha", false, &disk).unwrap(),
            Renamed::default()
        );
        assert!(prepare(&doc, &ws, ALPHA.find("Workflow").unwrap()).is_none());
        assert!(prepare(&doc, &ws, ALPHA.find("😀").unwrap()).is_none());
    }

    #[test]
    fn a_document_without_a_file_renames_itself_only() {
        let ws = Workspace::detached();
        let doc = SkillDoc::parse(ALPHA, None);
        let at = ALPHA.find("getSkillMemory(\"alpha").unwrap() + 17;
        let files = rename(&doc, &ws, at, "omega", true, &disk).unwrap().files;
        assert_eq!(files.len(), 1);
        assert!(files[0].path.is_none());
        assert!(!apply(ALPHA, &files[0].edits).contains("alpha"));
    }

    #[test]
    fn corpus_rename_of_a_delegated_skill() {
        let Some(root) = corpus::root("forge") else { return };
        let ws = Workspace::load(&root);
        let path = root.join("skills/project-planning/SKILL.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
        let (_, range) = doc.name().unwrap();
        let files = rename(&doc, &ws, range.start + 1, "project-planner", false, &disk)
            .unwrap()
            .files;
        let paths: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .as_ref()
                    .unwrap()
                    .parent()
                    .unwrap()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert!(paths.contains(&"project-planning".to_string()), "{paths:?}");
        assert!(paths.contains(&"project-workflow".to_string()), "{paths:?}");
        let own = &files[0];
        let renamed = apply(&text, &own.edits);
        assert!(renamed.contains("name: project-planner"));
        assert!(renamed.contains("skill_memory: project-planner"));
        assert!(renamed.contains("skill=\"project-planner\""));
        assert!(!renamed.contains("getSkillMemory(\"project-planning\""));
    }
}
