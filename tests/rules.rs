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
//!
//! `snapshot.txt` beside each fixture pins what `expected.txt` does not: each
//! diagnostic's severity and message, the other places it involves, each
//! fix's title, applicability and
//! edits (and its alternatives), and, where no `fixed.md` stands, the text
//! after every fix. Snapshots are reviewed like code: after a deliberate
//! change, regenerate them with
//! `SKILL_LSP_UPDATE_SNAPSHOTS=1 cargo test -p skill-lsp --test rules`
//! and read the diff.
//!
//! Every rule has a fixture it must report and one it must accept: a
//! fixture under `tests/fixtures/rules/<CODE>/` whose `expected.txt` does not
//! list the code.

mod common;

use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use skill_core::{check, fix_document, Config, Diagnostic, Encoding, Fix, SkillDoc, Workspace};

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
        _ => {
            let mut ws = Workspace::detached();
            ws.names = std::sync::Arc::new(repository_names(skill));
            ws
        }
    }
}

/// The names of the skills of a fixture's repository, as `skill-lsp check`
/// collects them: every `SKILL.md` under the fixture's first folder below
/// its rule's folder (`SK505/pdf-repository/`), each a repository of its own.
fn repository_names(skill: &Path) -> skill_core::workspace::SkillNames {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rules");
    let Ok(rel) = skill.strip_prefix(&rules) else {
        return Default::default();
    };
    let mut parts = rel.components();
    let (Some(rule), Some(top)) = (parts.next(), parts.next()) else {
        return Default::default();
    };
    let repo = rules.join(rule).join(top);
    if !repo.is_dir() {
        return Default::default();
    }
    let mut named = Vec::new();
    let mut stack = vec![repo];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "SKILL.md") {
                named.extend(skill_core::workspace::skill_name(&p).map(|n| (n, p)));
            }
        }
    }
    skill_core::workspace::SkillNames::new(named)
}

/// The nearest `skill-lsp.toml` above the fixture, inside the fixtures: it
/// says which profile the fixture is written in (a skill outside a skills
/// root is a standard skill unless its configuration says otherwise).
/// SK609 (files nothing mentions) runs only in its own fixtures, whose
/// `expected.txt` and `fixed.md` would otherwise be such files.
fn config_for(skill: &Path) -> Config {
    let mut config = common::fixture_config(skill);
    if !skill.components().any(|c| c.as_os_str() == "SK609") {
        config.rules.insert("SK609".into(), skill_core::config::RuleLevel::Off);
    }
    config
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

/// The snapshot of a fixture (see the module's docs).
fn snapshot(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let ws = workspace_for(path);
    let doc = SkillDoc::parse(text.as_str(), Some(path.to_path_buf()));
    let mut config = Config::default();
    if !path.components().any(|c| c.as_os_str() == "SK609") {
        config.rules.insert("SK609".into(), skill_core::config::RuleLevel::Off);
    }
    let mut diags = check(&doc, &ws, &config);
    diags.sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
    let mut out = String::new();
    for d in &diags {
        write_diagnostic(&mut out, &doc, d);
    }
    if !path.with_file_name("fixed.md").exists() {
        let fixed = fix_document(&text, Some(path.to_path_buf()), &ws, &Config::default(), true);
        if fixed.text != text {
            out.push_str("--- text after every fix ---\n");
            out.push_str(&fixed.text);
        }
    }
    out
}

fn write_diagnostic(out: &mut String, doc: &SkillDoc, d: &Diagnostic) {
    writeln!(out, "{} {}", render(doc, d), d.severity.as_str()).unwrap();
    writeln!(out, "  {}", d.message).unwrap();
    for r in &d.related {
        // Another file by its name (its start), this document by position.
        let place = match &r.path {
            Some(p) => {
                let p = p.to_string_lossy();
                let under = p
                    .find("fixtures/rules/")
                    .map_or(&*p, |i| &p[i + "fixtures/rules/".len()..]);
                format!("{under} (start)")
            }
            None => {
                let s = doc.line_index.position(&doc.text, r.range.start, Encoding::Utf16);
                let e = doc.line_index.position(&doc.text, r.range.end, Encoding::Utf16);
                format!("{}:{}-{}:{}", s.line, s.col, e.line, e.col)
            }
        };
        writeln!(out, "  related {place}: {}", r.message).unwrap();
    }
    if let Some(fix) = &d.fix {
        write_fix(out, doc, fix, "fix");
        for alt in &fix.alternatives {
            write_fix(out, doc, alt, "alternative");
        }
    }
}

fn write_fix(out: &mut String, doc: &SkillDoc, fix: &Fix, what: &str) {
    let kind = match fix.applicability {
        skill_core::Applicability::Safe => "safe",
        skill_core::Applicability::Unsafe => "unsafe",
    };
    writeln!(
        out,
        "  {what} ({kind}{}): {}",
        if fix.ambiguous { ", ambiguous" } else { "" },
        fix.title
    )
    .unwrap();
    for e in &fix.edits {
        let s = doc.line_index.position(&doc.text, e.range.start, Encoding::Utf16);
        let t = doc.line_index.position(&doc.text, e.range.end, Encoding::Utf16);
        writeln!(out, "    {}:{}-{}:{} {:?}", s.line, s.col, t.line, t.col, e.new_text).unwrap();
    }
}

#[test]
fn every_fixture_equals_its_snapshot() {
    let update = std::env::var_os("SKILL_LSP_UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    // SK609's fixtures are about which files sit in the skill's folder: a
    // snapshot.txt there would be one more such file. expected.txt pins them.
    for path in fixtures()
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "SK609"))
    {
        let got = snapshot(&path);
        let file = path.with_file_name("snapshot.txt");
        if update {
            std::fs::write(&file, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&file).unwrap_or_default();
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| got.lines().count().min(want.lines().count()) + 1, |n| n + 1);
            failures.push(format!(
                "{} (line {line})\n  snapshot: {}\n  now:      {}",
                file.display(),
                want.lines().nth(line - 1).unwrap_or("(end)"),
                got.lines().nth(line - 1).unwrap_or("(end)")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures differ from their snapshot.txt (after a deliberate change, regenerate with \
         SKILL_LSP_UPDATE_SNAPSHOTS=1 and review the diff):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_fixture_it_must_accept() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rules");
    let missing: Vec<_> = skill_core::rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|code| {
            !fixtures().iter().any(|p| {
                p.starts_with(root.join(code)) && !expected(p).iter().any(|l| l.split(' ').next() == Some(*code))
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture under tests/fixtures/rules/<CODE>/ that they must accept: {missing:?}"
    );
}
