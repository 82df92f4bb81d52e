//! The security rules and the baseline through the real binary: a baseline
//! written, a clean check against it, a new defect that alone fails the
//! check although lines moved, and a rewrite that drops what was fixed.

mod common;

use std::path::Path;

use common::{run_cli, TempDir};
use serde_json::Value;

const SKILL: &str = "skills/release-notes/SKILL.md";

fn skill(extra_body: &str, secret: bool) -> String {
    let key = if secret {
        "\nexport OPENAI_API_KEY=sk-9fK2mQ7xLp4Rz8Tb1Wv6Yc3Nh5Jd0Ga2\n"
    } else {
        ""
    };
    format!(
        "---\nname: release-notes\ndescription: Writes release notes from merged pull requests. Use when the user asks for a changelog.\nallowed-tools: Read Bash\n---\n\n# Release notes\n{extra_body}\nCollect the merged pull requests with `git log --merges`\u{200B}.\n{key}"
    )
}

fn findings(json: &Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn baseline_codes(path: &Path) -> Vec<(String, u64)> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap().to_string(), e["count"].as_u64().unwrap()))
        .collect()
}

#[test]
fn baseline_round_trip_reports_only_new_findings() {
    let tmp = TempDir::new("baseline");
    tmp.write(SKILL, &skill("", false));
    let before = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(findings(&before.json()), ["SK606", "SK601"], "{}", before.stdout);

    // Write: today's findings recorded, exit 0.
    let wrote = run_cli(
        &tmp.path,
        &["check", "--write-baseline", "baseline.json", "--format", "json"],
    );
    assert_eq!(wrote.code, 0, "{}", wrote.stderr);
    assert!(wrote.stderr.contains("wrote 2 findings"), "{}", wrote.stderr);
    let file = tmp.path.join("baseline.json");
    assert_eq!(baseline_codes(&file), [("SK601".into(), 1), ("SK606".into(), 1)]);
    assert!(
        !std::fs::read_to_string(&file).unwrap().contains("git log"),
        "the baseline holds hashes, not text"
    );

    // Check clean against it, by option and by config.
    let clean = run_cli(&tmp.path, &["check", "--baseline", "baseline.json", "--format", "json"]);
    assert_eq!((clean.code, findings(&clean.json())), (0, vec![]), "{}", clean.stdout);
    assert!(
        clean.stderr.contains("2 findings recorded in the baseline"),
        "{}",
        clean.stderr
    );
    tmp.write("skill-lsp.toml", "baseline = \"baseline.json\"\n");
    let by_config = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(
        (by_config.code, findings(&by_config.json())),
        (0, vec![]),
        "{}",
        by_config.stdout
    );

    // A new defect, with every old finding moved down two lines: only it is reported, and it fails.
    tmp.write(SKILL, &skill("\nA paragraph added above.\n", true));
    let new = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(findings(&new.json()), ["SK605"], "{}", new.stdout);
    assert_eq!(new.code, 1);

    // Fixed: the secret and the hidden character gone; rewriting drops the fixed finding.
    tmp.write(
        SKILL,
        &skill("\nA paragraph added above.\n", false).replace('\u{200B}', ""),
    );
    let rewrite = run_cli(&tmp.path, &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(rewrite.code, 0, "{}", rewrite.stderr);
    assert_eq!(baseline_codes(&file), [("SK606".into(), 1)]);
    let after = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!((after.code, findings(&after.json())), (0, vec![]), "{}", after.stdout);
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let tmp = TempDir::new("broken-baseline");
    tmp.write(SKILL, &skill("", false));
    tmp.write("baseline.json", "{\"findings\": 3}");
    let run = run_cli(&tmp.path, &["check", "--baseline", "baseline.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a skill-lsp baseline"), "{}", run.stderr);
}

#[test]
fn hidden_characters_are_removed_by_check_fix() {
    let tmp = TempDir::new("fix-hidden");
    tmp.write(SKILL, &skill("", false));
    let run = run_cli(&tmp.path, &["check", "--fix", "--format", "json"]);
    assert_eq!(findings(&run.json()), ["SK606"], "{}", run.stdout);
    let text = std::fs::read_to_string(tmp.path.join(SKILL)).unwrap();
    assert_eq!(text, skill("", false).replace('\u{200B}', ""));
}

/// `--summary`: counts per rule and per skill and a grade, in text and JSON,
/// with the check's own exit status.
#[test]
fn summary_gives_counts_per_rule_and_skill_and_a_grade() {
    let tmp = TempDir::new("summary");
    let clean = "---\nname: {n}\ndescription: Writes release notes from merged pull requests. Use when the user asks for a changelog.\n---\n\n# Notes\n\nRead the merged pull requests and write one line for each.\n";
    for name in ["alpha", "beta", "gamma"] {
        tmp.write(&format!("skills/{name}/SKILL.md"), &clean.replace("{n}", name));
    }
    // Warnings only (SK606 unrestricted Bash, SK601 a hidden character).
    tmp.write(SKILL, &skill("", false));
    // An error: a `name` that is not the folder's.
    tmp.write("skills/broken/SKILL.md", &clean.replace("{n}", "Not A Name"));

    let json = run_cli(&tmp.path, &["check", "--summary", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let v = json.json();
    // (2·3 clean + 1 with warnings only) · 100 / (2·5 skills) = 70: grade C.
    assert_eq!(
        (
            &v["grade"],
            &v["score"],
            &v["skills"],
            &v["clean"],
            &v["warnings_only"],
            &v["with_errors"]
        ),
        (&"C".into(), &70.into(), &5.into(), &3.into(), &1.into(), &1.into()),
        "{}",
        json.stdout
    );
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["skills/broken/SKILL.md", SKILL], "{}", json.stdout);
    let rules: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"SK606") && rules.contains(&"SK601"), "{rules:?}");

    let text = run_cli(&tmp.path, &["check", "--summary"]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("Findings per rule:"), "{}", text.stdout);
    assert!(
        text.stdout
            .ends_with("Grade C (70/100): 5 skills, 3 clean, 1 with warnings only, 1 with errors\n"),
        "{}",
        text.stdout
    );
}

/// The editor shows what the config's baseline records as hints and what
/// is new at its own severity, as `check` reports only the new.
#[test]
fn the_editor_shows_baselined_findings_as_hints() {
    let tmp = TempDir::new("baseline-editor");
    let path = tmp.write(SKILL, &skill("", false));
    tmp.write("skill-lsp.toml", "baseline = \"baseline.json\"\n");
    let wrote = run_cli(&tmp.path, &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(wrote.code, 0, "{}", wrote.stderr);

    let mut server = common::Server::spawn();
    server.initialize_for(&tmp.path);
    let uri = common::file_uri(&path);
    // A new defect beside the recorded ones: a key on the command line.
    let text = skill("", true);
    server.open(&uri, 1, &text);
    let mut got: Vec<(String, u64, bool)> = server
        .diagnostics(&uri, Some(1))
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_u64().unwrap(),
                message.ends_with("(recorded in the baseline)"),
            )
        })
        .collect();
    got.sort();
    // SK601 and SK606 recorded: hints (4); the secret is new: a warning or an error.
    assert_eq!(got[0], ("SK601".to_string(), 4, true), "{got:?}");
    assert!(got.iter().any(|(c, s, b)| c == "SK605" && *s <= 2 && !b), "{got:?}");
    assert!(got.iter().any(|(c, s, b)| c == "SK606" && *s == 4 && *b), "{got:?}");
    // The command line agrees: only the new finding fails the check.
    std::fs::write(&path, &text).unwrap();
    let cli = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(findings(&cli.json()), ["SK605"], "{}", cli.stdout);
    assert!(server.shutdown_and_exit().success());
}
