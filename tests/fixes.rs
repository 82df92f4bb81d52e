//! Fixes, end to end: the fixable rules are exactly those the catalogue
//! (`rules.md`) gives a fix; each rule's fix mends its fixtures without
//! side effects; every safe fix over the real corpus keeps the author's text
//! and leaves fewer findings; `check --fix` writes only text that parses; and
//! an editor's quick fix inserts a missing step in the skill's own style.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use skill_core::analysis::front_matter_parses;
use skill_core::fix::apply_fixes;
use skill_core::rules::{FixAvailability, ALL};
use skill_core::{check, fix_document, Applicability, Config, Diagnostic, Edit, Severity, SkillDoc, Workspace};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first of `candidates` that exists.
fn first_existing(candidates: impl IntoIterator<Item = Option<PathBuf>>, probe: &str) -> Option<PathBuf> {
    candidates.into_iter().flatten().find(|p| p.join(probe).exists())
}

/// The corpus of real skills: `$SKILL_LSP_CORPUS`, else `shared/corpus`
/// beside the repository, else `/work/shared/corpus`; `None` when absent.
fn corpus() -> Option<PathBuf> {
    first_existing(
        [
            std::env::var_os("SKILL_LSP_CORPUS").map(PathBuf::from),
            Some(repo().join("../shared/corpus")),
            Some(PathBuf::from("/work/shared/corpus")),
        ],
        "forge/forge-plugin/skills",
    )
}

/// The rule catalogue, `rules.md`, from the shared specification.
fn catalogue() -> Option<String> {
    let dir = first_existing(
        [
            std::env::var_os("SKILL_LSP_SPEC").map(PathBuf::from),
            Some(repo().join("../shared/spec")),
            Some(PathBuf::from("/work/shared/spec")),
        ],
        "rules.md",
    )?;
    std::fs::read_to_string(dir.join("rules.md")).ok()
}

/// The codes whose row in the catalogue's tables has a fix (last column not `—`).
fn catalogue_fixes(md: &str) -> BTreeSet<String> {
    md.lines()
        .filter(|l| l.starts_with("| SK"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            let fix = *cells.last()?;
            let has_fix = !fix.is_empty() && fix != "—" && fix != "-";
            has_fix.then(|| cells[0].to_string())
        })
        .collect()
}

fn fixable_rules() -> Vec<&'static str> {
    ALL.iter()
        .filter(|r| r.fix == FixAvailability::Sometimes)
        .map(|r| r.code)
        .collect()
}

// ---------------------------------------------------------------------------
// (a) Each fixable rule on its fixtures
// ---------------------------------------------------------------------------

#[test]
fn the_fixable_rules_are_exactly_those_the_catalogue_gives_a_fix() {
    let code: BTreeSet<String> = fixable_rules().into_iter().map(String::from).collect();
    assert!(code.len() >= 20, "only {} rules have a fix: {code:?}", code.len());
    for rule in ALL.iter().filter(|r| r.fix == FixAvailability::Sometimes) {
        assert!(
            rule.docs.contains("## Fix"),
            "{} has a fix but its docs do not say what it does",
            rule.code
        );
    }
    let Some(md) = catalogue() else {
        eprintln!("rules.md not found: the fix column is not compared");
        return;
    };
    let spec = catalogue_fixes(&md);
    assert!(spec.len() >= 20, "rules.md read wrongly: {spec:?}");
    let lost: Vec<_> = spec.difference(&code).collect();
    let extra: Vec<_> = code.difference(&spec).collect();
    assert!(
        lost.is_empty(),
        "rules.md gives these a fix, the code has none: {lost:?}"
    );
    assert!(
        extra.is_empty(),
        "these have a fix the catalogue does not list: {extra:?}"
    );
}

/// Every `SKILL.md` under `dir`, sorted.
fn skill_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "SKILL.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The workspace a fixture is checked against (as `tests/rules.rs` does).
fn fixture_workspace(skill: &Path) -> Workspace {
    match Workspace::find_root(skill) {
        Some(root) if root.starts_with(repo().join("tests/fixtures")) => Workspace::load(&root),
        _ => Workspace::detached(),
    }
}

fn diagnose(text: &str, path: &Path, ws: &Workspace) -> Vec<Diagnostic> {
    let doc = SkillDoc::parse(text, Some(path.to_path_buf()));
    check(&doc, ws, &Config::default())
}

fn count(diags: &[Diagnostic], pred: impl Fn(&Diagnostic) -> bool) -> usize {
    diags.iter().filter(|d| pred(d)).count()
}

/// Error-severity findings that `after` has more of than `before`, by code.
fn new_errors(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<String> {
    let tally = |ds: &[Diagnostic]| {
        let mut m: BTreeMap<&str, usize> = BTreeMap::new();
        for d in ds.iter().filter(|d| d.severity == Severity::Error) {
            *m.entry(d.code).or_default() += 1;
        }
        m
    };
    let (b, a) = (tally(before), tally(after));
    a.iter()
        .filter(|(code, n)| b.get(*code).copied().unwrap_or(0) < **n)
        .map(|(code, n)| format!("{code} {} -> {n}", b.get(code).copied().unwrap_or(0)))
        .collect()
}

/// For every fixable rule, on each of its fixtures: each of its fixes, alone,
/// removes its finding and adds no error; all of its fixes applied pass after
/// pass settle, with none of its fixable findings left, and one more pass
/// changes nothing.
#[test]
fn each_rules_fix_mends_its_fixtures_without_new_errors_and_settles() {
    let root = repo().join("tests/fixtures/rules");
    let mut failures = Vec::new();
    for code in fixable_rules() {
        let mut fixed_somewhere = 0;
        for path in skill_files(&root.join(code)) {
            let at = format!("{code} {}", path.strip_prefix(&root).unwrap_or(&path).display());
            let text = std::fs::read_to_string(&path).unwrap();
            let ws = fixture_workspace(&path);
            let before = diagnose(&text, &path, &ws);
            let ours = |ds: &[Diagnostic]| count(ds, |d| d.code == code);
            for d in before.iter().filter(|d| d.code == code) {
                let Some(fix) = &d.fix else { continue };
                fixed_somewhere += 1;
                let (after_text, n) = apply_fixes(&text, [fix]);
                if n != 1 || after_text == text {
                    failures.push(format!("{at}: `{}` does not apply", fix.title));
                    continue;
                }
                let after = diagnose(&after_text, &path, &ws);
                if ours(&after) >= ours(&before) {
                    failures.push(format!("{at}: `{}` leaves its finding: {}", fix.title, d.message));
                }
                let worse = new_errors(&before, &after);
                if !worse.is_empty() {
                    failures.push(format!("{at}: `{}` brings new errors {worse:?}", fix.title));
                }
            }
            // All of the rule's fixes, pass after pass.
            let pass = |t: &str| {
                let ds = diagnose(t, &path, &ws);
                apply_fixes(t, ds.iter().filter(|d| d.code == code).filter_map(|d| d.fix.as_ref())).0
            };
            let mut current = text.clone();
            let mut settled = false;
            for _ in 0..6 {
                let next = pass(&current);
                if next == current {
                    settled = true;
                    break;
                }
                current = next;
            }
            if !settled {
                failures.push(format!("{at}: its fixes never settle"));
                continue;
            }
            let after = diagnose(&current, &path, &ws);
            let left: Vec<_> = after.iter().filter(|d| d.code == code && d.fix.is_some()).collect();
            if !left.is_empty() {
                failures.push(format!("{at}: fixable findings left after fixing: {left:?}"));
            }
            let worse = new_errors(&before, &after);
            if !worse.is_empty() {
                failures.push(format!("{at}: fixing all brings new errors {worse:?}"));
            }
        }
        if fixed_somewhere == 0 {
            failures.push(format!("{code}: no fixture finding carries a fix"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// (b) Every safe fix over the real corpus
// ---------------------------------------------------------------------------

/// Applies one round's edits (disjoint, in the round's own coordinates).
fn apply_round(text: &str, edits: &[Edit]) -> String {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::new();
    let mut cursor = 0;
    for e in edits {
        out.push_str(&text[cursor..e.range.start]);
        out.push_str(&e.new_text);
        cursor = e.range.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The lines of `old` that no edit touches (an edit overlapping the line,
/// or inserting strictly inside it) must all be lines of `new`, in order.
fn untouched_lines_kept(old: &str, new: &str, edits: &[Edit]) -> Result<(), String> {
    let mut new_lines = new.split('\n');
    let mut start = 0;
    for line in old.split_inclusive('\n') {
        let content_end = start + line.trim_end_matches('\n').len();
        let end = start + line.len();
        let touched = edits.iter().any(|e| {
            if e.range.is_empty() {
                start < e.range.start && e.range.start < content_end
            } else {
                e.range.start < end && start < e.range.end
            }
        });
        let content = &old[start..content_end];
        start = end;
        if touched {
            continue;
        }
        if !new_lines.any(|l| l == content) {
            return Err(format!("line lost or changed: {content:?}"));
        }
    }
    Ok(())
}

/// What fixing one tree of the corpus did.
#[derive(Default, Debug)]
struct Tally {
    files: usize,
    changed: usize,
    fixes: usize,
    before: usize,
    after: usize,
}

fn fix_tree(tree: &Path, failures: &mut Vec<String>) -> Tally {
    let ws = Workspace::load(tree);
    let config = Config::default();
    let mut t = Tally::default();
    for path in skill_files(&tree.join("skills")) {
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
        let before = check(&doc, &ws, &config);
        let safe = count(&before, |d| {
            d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe)
        });
        let out = fix_document(&text, Some(path.clone()), &ws, &config, false);
        t.files += 1;
        t.before += before.len();
        t.after += out.remaining.len();
        t.fixes += out.applied;
        t.changed += usize::from(out.text != text);

        // The rounds say exactly what changed, and no author's line outside them is lost.
        let mut current = text.clone();
        for edits in &out.rounds {
            let next = apply_round(&current, edits);
            if let Err(e) = untouched_lines_kept(&current, &next, edits) {
                failures.push(format!("{name}: {e}"));
            }
            current = next;
        }
        if current != out.text {
            failures.push(format!("{name}: the reported edits do not give the fixed text"));
        }
        // The front matter parses whenever it can be made to with safe fixes.
        let fixed_doc = SkillDoc::parse(out.text.as_str(), Some(path.clone()));
        let syntax: Vec<_> = out
            .remaining
            .iter()
            .filter(|d| matches!(d.code, "SK001" | "SK002"))
            .collect();
        if out.parses != front_matter_parses(&fixed_doc) {
            failures.push(format!("{name}: `parses` is wrong"));
        }
        let unfixable_syntax = before.iter().any(|d| {
            matches!(d.code, "SK001" | "SK002") && d.fix.as_ref().is_none_or(|f| f.applicability != Applicability::Safe)
        });
        if !syntax.is_empty() && !unfixable_syntax {
            failures.push(format!("{name}: the fixed front matter does not parse: {syntax:?}"));
        }
        if out.remaining.len() > before.len() {
            failures.push(format!(
                "{name}: {} findings before, {} after",
                before.len(),
                out.remaining.len()
            ));
        }
        // Mending a front matter that did not parse lets the schema rules read
        // it: what they find then was hidden before, not made by the fix.
        let revealed = !front_matter_parses(&doc) && out.parses;
        if safe > 0 && out.remaining.len() >= before.len() && !revealed {
            failures.push(format!(
                "{name}: {safe} safe fixes, yet {} findings before and {} after: {:?}",
                before.len(),
                out.remaining.len(),
                out.remaining
                    .iter()
                    .filter(|d| d.fix.is_some())
                    .map(|d| &d.message)
                    .collect::<Vec<_>>()
            ));
        }
        let again = fix_document(&out.text, Some(path.clone()), &ws, &config, false);
        if again.text != out.text {
            failures.push(format!("{name}: fixing again changes it: {:?}", again.titles));
        }
    }
    t
}

/// Over every skill of both corpus trees: the safe fixes leave a front matter
/// that parses, keep every line they do not edit, leave fewer findings
/// wherever there was something to fix (never more), and fixing again
/// changes nothing.
#[test]
fn safe_fixes_over_the_corpus_keep_the_authors_text_and_lessen_the_findings() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let mut failures = Vec::new();
    for tree in ["forge", "forge-clean"] {
        let t = fix_tree(&corpus.join(tree).join("forge-plugin"), &mut failures);
        eprintln!("{tree}: {t:?}");
        assert!(t.files >= 100, "{tree}: only {} skills", t.files);
        assert!(t.after < t.before, "{tree}: {t:?}");
        if tree == "forge" {
            assert!(t.changed >= 50, "the damaged tree should have much to fix: {t:?}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
