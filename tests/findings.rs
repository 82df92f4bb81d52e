//! Every finding on the real corpora, pinned: the findings of
//! `skill-lsp check --format json` on `forge/`, `forge-clean/` and
//! `agentskills/`, and the text `check --unsafe-fixes` leaves in every file
//! it changes, compared line by line with the committed snapshots under
//! `tests/snapshots/findings/`.
//!
//! `tests/corpus.rs` audits counts and chosen findings; this test makes any
//! change at all visible, so that a restructuring of the code can show it
//! changed nothing, and a deliberate change shows exactly what it moved.
//! After a deliberate change, regenerate with
//! `SKILL_LSP_UPDATE_SNAPSHOTS=1 cargo test -p skill-lsp --test findings`
//! and review the diff like code. `SKILL_LSP_FINDINGS_BINARY=<path>` takes
//! the findings from another build instead (another branch's binary), so a
//! restructuring can be compared with the code it restructures.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{corpus_holding, repo_root, Run, TempDir};
use serde_json::Value;

const CORPORA: &[&str] = &["forge", "forge-clean", "agentskills"];

#[test]
fn findings_on_every_corpus_equal_the_snapshot() {
    let corpus = corpus_holding(CORPORA).unwrap_or_else(|| {
        panic!("the corpus of real skills is not at hand: set SKILL_LSP_CORPUS to the folder holding {CORPORA:?}")
    });
    let mut failures = Vec::new();
    for name in CORPORA {
        let actual = snapshot_of(&corpus, name);
        let file = repo_root().join("tests/snapshots/findings").join(format!("{name}.txt"));
        if std::env::var_os("SKILL_LSP_UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (generate it with SKILL_LSP_UPDATE_SNAPSHOTS=1)",
                file.display()
            )
        });
        if let Some(diff) = first_difference(&expected, &actual) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "findings differ from tests/snapshots/findings (after a deliberate change, regenerate with \
         SKILL_LSP_UPDATE_SNAPSHOTS=1 and review the diff):\n{}",
        failures.join("\n")
    );
}

/// The day the fixes date what they write (a Version History row): the
/// snapshot's, whatever the day the test runs (`SOURCE_DATE_EPOCH`,
/// 2026-12-02 00:00 UTC).
const FIX_DATE_EPOCH: &str = "1796169600";

/// Runs the binary under test, or `$SKILL_LSP_FINDINGS_BINARY` when set,
/// with the fixes' date fixed.
fn run_cli(cwd: &Path, args: &[&str]) -> Run {
    let binary = std::env::var_os("SKILL_LSP_FINDINGS_BINARY").map_or_else(common::binary, Into::into);
    let out = std::process::Command::new(binary)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", FIX_DATE_EPOCH)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The snapshot of one corpus folder: one line per finding, then one line
/// per file the fixes change, with a digest of its fixed text.
fn snapshot_of(corpus: &Path, name: &str) -> String {
    let mut out = format!("# skill-lsp check --format json {name}\n");
    let run = run_cli(corpus, &["check", "--format", "json", name]);
    write_findings(&mut out, &run.json());

    // Fixes write files: run them on a copy (symbolic links kept as links).
    let tmp = TempDir::new("findings");
    copy_tree(&corpus.join(name), &tmp.join(name));
    let run = run_cli(&tmp.path, &["check", "--unsafe-fixes", "--format", "json", name]);
    writeln!(out, "# after check --unsafe-fixes: what is left").unwrap();
    write_findings(&mut out, &run.json());
    writeln!(out, "# after check --unsafe-fixes: digest of every changed file").unwrap();
    let mut changed = Vec::new();
    changed_files(&corpus.join(name), &tmp.join(name), Path::new(name), &mut changed);
    changed.sort();
    for line in changed {
        writeln!(out, "{line}").unwrap();
    }
    out
}

fn write_findings(out: &mut String, report: &Value) {
    writeln!(out, "files {}", report["files"]).unwrap();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        let r = &d["range"];
        writeln!(
            out,
            "{} {} {} {}:{}-{}:{} fixable={} {}",
            d["path"].as_str().unwrap_or_default(),
            d["code"].as_str().unwrap_or_default(),
            d["severity"].as_str().unwrap_or_default(),
            r["start"]["line"],
            r["start"]["character"],
            r["end"]["line"],
            r["end"]["character"],
            d["fixable"],
            d["message"].as_str().unwrap_or_default(),
        )
        .unwrap();
    }
    for e in report["errors"].as_array().into_iter().flatten() {
        writeln!(out, "error {e}").unwrap();
    }
}

/// Copies a tree, keeping symbolic links as links (the corpus has links,
/// some to folders).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `rel digest` for every regular file whose text differs between the trees.
fn changed_files(before: &Path, after: &Path, rel: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(after).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let name = entry.file_name();
        if kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            changed_files(&before.join(&name), &entry.path(), &rel.join(&name), out);
            continue;
        }
        let new = std::fs::read(entry.path()).unwrap();
        let old = std::fs::read(before.join(&name)).unwrap_or_default();
        if new != old {
            out.push(format!(
                "{} {:016x} {} bytes",
                rel.join(&name).display(),
                fnv1a(&new),
                new.len()
            ));
        }
    }
}

/// FNV-1a, 64 bits: a stable digest with no dependency.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The first line where the texts differ, shown both ways.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    let mut n = 0;
    loop {
        n += 1;
        match (e.next(), a.next()) {
            (None, None) => return None,
            (x, y) if x == y => continue,
            (x, y) => {
                return Some(format!(
                    "line {n}\n  snapshot: {}\n  now:      {}",
                    x.unwrap_or("(end)"),
                    y.unwrap_or("(end)")
                ))
            }
        }
    }
}
