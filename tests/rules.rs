//! Rule fixtures: every `SKILL.md` under `tests/fixtures/rules/` is checked and
//! its diagnostics compared with the `expected.txt` beside it.
//!
//! `expected.txt` lists every diagnostic the file must produce, one per line,
//! as `CODE line:character-line:character` (zero-based, UTF-16 columns, as in
//! the JSON output); `#` starts a comment. A fixture whose skill sits in a
//! folder holding `interfaces/` (directly or higher up, inside the fixture)
//! is checked against that workspace; otherwise against the built-in catalogue.
//! Where a `fixed.md` stands beside it, applying every fix (safe and unsafe)
//! must give exactly that text.

use std::path::{Path, PathBuf};

use skill_core::{check, fix_document, Config, Encoding, SkillDoc, Workspace};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rules");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "SKILL.md") && p.with_file_name("expected.txt").exists() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn workspace_for(skill: &Path) -> Workspace {
    match Workspace::find_root(skill) {
        Some(root) if root.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")) => {
            Workspace::load(&root)
        }
        _ => Workspace::detached(),
    }
}

/// The nearest `skill-lsp.toml` above the fixture, inside the fixtures: it
/// says which profile the fixture is written in (a skill outside a skills
/// root is a standard skill unless its configuration says otherwise).
fn config_for(skill: &Path) -> Config {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut dir = skill.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(&fixtures)) {
        if let Ok(text) = std::fs::read_to_string(d.join("skill-lsp.toml")) {
            return Config::from_toml(&text).unwrap();
        }
        dir = d.parent();
    }
    Config::default()
}

fn render(doc: &SkillDoc, d: &skill_core::Diagnostic) -> String {
    let s = doc.line_index.position(&doc.text, d.range.start, Encoding::Utf16);
    let e = doc.line_index.position(&doc.text, d.range.end, Encoding::Utf16);
    format!("{} {}:{}-{}:{}", d.code, s.line, s.col, e.line, e.col)
}

fn expected(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path.with_file_name("expected.txt")).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_fixture_gives_exactly_its_expected_diagnostics() {
    let files = fixtures();
    assert!(!files.is_empty(), "no rule fixtures found");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let ws = workspace_for(path);
        let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
        let mut got: Vec<String> = check(&doc, &ws, &config_for(path))
            .iter()
            .map(|d| render(&doc, d))
            .collect();
        got.sort();
        let want = expected(path);
        if got != want {
            failures.push(format!("{}\n  expected: {want:?}\n  got:      {got:?}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_an_invalid_fixture() {
    let mut seen = std::collections::BTreeSet::new();
    for path in fixtures() {
        for line in expected(&path) {
            seen.insert(line.split(' ').next().unwrap().to_string());
        }
    }
    let missing: Vec<_> = skill_core::rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture that triggers them: {missing:?}"
    );
}

#[test]
fn fixes_give_the_expected_text_and_are_idempotent() {
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let ws = workspace_for(&path);
        let once = fix_document(&text, Some(path.clone()), &ws, &config_for(&path), true);
        let fixed = path.with_file_name("fixed.md");
        if fixed.exists() {
            let want = std::fs::read_to_string(&fixed).unwrap();
            assert_eq!(once.text, want, "fixed text of {}", path.display());
        }
        let twice = fix_document(&once.text, Some(path.clone()), &ws, &config_for(&path), true);
        assert_eq!(twice.text, once.text, "fixing {} again changed it", path.display());
    }
}
