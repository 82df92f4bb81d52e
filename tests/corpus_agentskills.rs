//! The checker measured on `agentskills/`: four public repositories of skills
//! in the open Agent Skills format (223 `SKILL.md` files, none in the workflow
//! format), checked as a new user would, with no configuration and no flags,
//! through the real binary (`skill-lsp check --format json`).
//!
//! Every error below was judged one by one, and the warnings by sample, in
//! `docs/corpus-report.md` ("Standard skills: agentskills/"). A change in any
//! figure fails a test on purpose: judge the new findings and update the
//! report together with the figures.
//!
//! The corpus is read from `$SKILL_LSP_CORPUS`, else `shared/corpus` beside
//! the repository (the `test-corpus` dev crate finds it); without it these tests fail.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use common::TempDir;

/// Findings per code on `agentskills/`, as judged.
const COUNTS: &[(&str, usize)] = &[
    ("SK003", 3),
    ("SK005", 1),
    ("SK301", 24),
    ("SK302", 2),
    ("SK501", 49),
    ("SK502", 76),
    ("SK503", 69),
    ("SK505", 6),
    ("SK506", 4),
    ("SK507", 14),
    ("SK508", 2),
    ("SK509", 2),
    ("SK510", 4),
    ("SK602", 1),
    ("SK606", 47),
    ("SK608", 2),
    ("SK609", 46),
];

/// Every error: path under `agentskills/`, code, one-based line.
const ERRORS: &[(&str, &str, usize)] = &[
    (
        "K-Dense-AI-claude-scientific-skills/scientific-skills/database-lookup/SKILL.md",
        "SK003",
        3,
    ),
    (
        "K-Dense-AI-claude-scientific-skills/scientific-skills/markdown-mermaid-writing/SKILL.md",
        "SK003",
        11,
    ),
    (
        "K-Dense-AI-claude-scientific-skills/scientific-skills/rowan/SKILL.md",
        "SK003",
        8,
    ),
];

fn corpus() -> PathBuf {
    test_corpus::require(&["agentskills/obra-superpowers"])
        .join("agentskills")
        .canonicalize()
        .unwrap()
}

/// `skill-lsp check --format json` on `paths`, run from an empty folder so no
/// configuration applies.
fn check(cwd: &Path, paths: &[&Path]) -> (Output, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_skill-lsp"))
        .current_dir(cwd)
        .args(["check", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).expect("the JSON report");
    (out, json)
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"].as_array().unwrap()
}

#[test]
fn the_standard_repositories_get_only_the_judged_findings() {
    let root = corpus();
    let cwd = TempDir::new("agentskills-cwd");
    let (out, json) = check(&cwd.path, &[&root]);
    assert_eq!(out.status.code(), Some(1), "errors, never an input error (2)");
    assert_eq!(json["files"], 223);
    assert_eq!(json["errors"], serde_json::json!([]));

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in diagnostics(&json) {
        *counts.entry(d["code"].as_str().unwrap().to_string()).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = COUNTS.iter().map(|(c, n)| (c.to_string(), *n)).collect();
    assert_eq!(counts, expected);

    // No finding of a rule of the workflow format: these are standard skills.
    let workflow_only: BTreeSet<&str> = skill_core::rules::ALL
        .iter()
        .filter(|r| !r.profiles.contains(skill_core::Profile::AgentSkills))
        .map(|r| r.code)
        .collect();
    assert!(counts.keys().all(|c| !workflow_only.contains(c.as_str())), "{counts:?}");

    let prefix = format!("{}/", root.display());
    let errors: BTreeSet<(String, String, u64)> = diagnostics(&json)
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            (
                path.strip_prefix(&prefix).unwrap_or(path).to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    let judged: BTreeSet<(String, String, u64)> = ERRORS
        .iter()
        .map(|(p, c, l)| (p.to_string(), c.to_string(), *l as u64))
        .collect();
    assert_eq!(errors, judged);

    // No message of the standard profile speaks of the workflow format.
    for d in diagnostics(&json) {
        let m = d["message"].as_str().unwrap();
        for word in ["memory", "memoryStore", "workflow step", "interfaces/"] {
            assert!(!m.contains(word), "{m}");
        }
    }
}

/// A skill reached twice through a link (`.agents/skills -> ../skills`) is
/// checked and reported once, under its real path; a link to a folder above
/// (`plugins/x -> ..`) is a notice, not an input error.
#[cfg(unix)]
#[test]
fn linked_skills_are_checked_once_and_ancestor_links_are_notices() {
    use std::os::unix::fs::symlink;
    let repo = TempDir::new("agentskills-links");
    let skill = repo.path.join("skills/pdf-forms");
    std::fs::create_dir_all(&skill).unwrap();
    std::fs::write(
        skill.join("SKILL.md"),
        "---\nname: pdf-forms\ndescription: Fills PDF forms.\n---\n\nFill the form.\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.path.join(".agents")).unwrap();
    symlink("../skills", repo.path.join(".agents/skills")).unwrap();
    std::fs::create_dir_all(repo.path.join("plugins")).unwrap();
    symlink("..", repo.path.join("plugins/pdf")).unwrap();

    let (out, json) = check(&repo.path, &[Path::new(".")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{json}\n{stderr}");
    assert_eq!(json["files"], 1, "{json}");
    assert_eq!(json["errors"], serde_json::json!([]));
    let paths: BTreeSet<&str> = diagnostics(&json).iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, BTreeSet::from(["skills/pdf-forms/SKILL.md"]), "{json}");
    assert_eq!(diagnostics(&json).len(), 1, "one SK503, once: {json}");
    assert!(
        stderr.contains("plugins/pdf/: warning[symlink-to-ancestor]"),
        "{stderr}"
    );

    // Named through the link, it is still one skill, under its real path.
    let (out, json) = check(&repo.path, &[Path::new(".agents/skills"), Path::new("skills")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json["files"], 1, "{json}");

    // What the user named and cannot be read is still an input error.
    let (out, _) = check(&repo.path, &[Path::new("no/such/SKILL.md")]);
    assert_eq!(out.status.code(), Some(2));
}
