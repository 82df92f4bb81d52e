//! End-to-end tests of what linter users reach for on their first day,
//! over the real binary: suppression comments, rule selection and the other
//! `check` options, the rule pages in `docs/rules/`, and the diagnostics'
//! links, tags and suppressing quick fixes in the editor.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{file_uri, run_cli, Server, TempDir};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A standard-profile skill with one unknown key (SK005, line 4) and one
/// broken link (SK301, line 9), nothing else.
const SKILL: &str = "---\nname: release-notes\ndescription: Drafts release notes from merged pull requests. Use when the user prepares a release.\nlicence: MIT\n---\n\n# Release notes\n\n1. List the pull requests merged since the last tag, see [the tags](TAGS.md).\n2. Group them into Features, Fixes and Other.\n";

fn skill_dir() -> (TempDir, PathBuf) {
    let dir = TempDir::new("controls");
    let path = dir.write("skills/release-notes/SKILL.md", SKILL);
    (dir, path)
}

fn codes_in(stdout: &str) -> Vec<String> {
    let mut codes: Vec<String> = stdout
        .lines()
        .filter_map(|l| {
            l.split_once('[')
                .and_then(|(_, r)| r.split_once(']'))
                .map(|(c, _)| c.to_string())
        })
        // The summary's `[*]` and `[~]` (fix marks) are no codes.
        .filter(|c| c.starts_with("SK"))
        .collect();
    codes.sort();
    codes
}

#[test]
fn suppression_comments_silence_findings_and_unused_ones_are_reported() {
    let dir = TempDir::new("suppress");
    let text = SKILL
        .replace("licence:", "# skill-lsp-disable-next-line unknown-key\nlicence:")
        .replace("1. List", "<!-- skill-lsp-disable-next-line SK301, SK005 -->\n1. List");
    dir.write("skills/release-notes/SKILL.md", &text);
    let run = run_cli(&dir.path, &["check", "--output-format", "concise", "skills"]);
    // SK005 is suppressed in the front matter, SK301 on its line; SK005 in the
    // body comment suppresses nothing.
    assert_eq!(codes_in(&run.stdout), ["SK901"], "{}", run.stdout);
    assert!(run.stdout.contains("SK005 reports nothing"), "{}", run.stdout);
    // The fix removes only the unused name.
    let fixed = run_cli(&dir.path, &["check", "--fix", "skills"]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    let after = std::fs::read_to_string(dir.join("skills/release-notes/SKILL.md")).unwrap();
    assert!(
        after.contains("<!-- skill-lsp-disable-next-line SK301 -->\n1. List"),
        "{after}"
    );
    // A file-wide and a block suppression.
    let block = SKILL
        .replace(
            "# Release notes\n",
            "# Release notes\n<!-- skill-lsp-disable-file SK005 -->\n<!-- skill-lsp-disable SK301 -->\n",
        )
        .replace("2. Group", "<!-- skill-lsp-enable SK301 -->\n2. Group");
    dir.write("skills/release-notes/SKILL.md", &block);
    let run = run_cli(&dir.path, &["check", "--output-format", "concise", "skills"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(codes_in(&run.stdout).is_empty(), "{}", run.stdout);
}

#[test]
fn select_ignore_and_extend_select_choose_the_rules() {
    let (dir, _) = skill_dir();
    let concise = |args: &[&str]| {
        let mut all = vec!["check", "--output-format", "concise"];
        all.extend_from_slice(args);
        all.push("skills");
        codes_in(&run_cli(&dir.path, &all).stdout)
    };
    assert_eq!(concise(&[]), ["SK005", "SK301"]);
    assert_eq!(concise(&["--select", "SK3"]), ["SK301"]);
    assert_eq!(concise(&["--select", "ALL", "--ignore", "broken-link"]), ["SK005"]);
    assert_eq!(
        concise(&["--select", "SK0", "--extend-select", "SK301"]),
        ["SK005", "SK301"]
    );
    // A config that turns a rule off is overruled by naming it on the command line.
    dir.write("skill-lsp.toml", "[rules]\nSK301 = \"off\"\n");
    assert_eq!(concise(&[]), ["SK005"]);
    assert_eq!(concise(&["--extend-select", "SK301"]), ["SK005", "SK301"]);
    let unknown = run_cli(&dir.path, &["check", "--ignore", "SK7", "skills"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("`SK7` names no rule"), "{}", unknown.stderr);
}

#[test]
fn statistics_count_findings_per_rule() {
    let (dir, _) = skill_dir();
    let run = run_cli(&dir.path, &["check", "--statistics", "skills"]);
    assert_eq!(run.stdout, "1  SK005  [*] unknown-key\n1  SK301      broken-link\n");
    let json = run_cli(&dir.path, &["check", "--statistics", "--format", "json", "skills"]);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        v[0],
        json!({"code": "SK005", "name": "unknown-key", "count": 1, "fixable": 1})
    );
}

#[test]
fn diff_shows_what_fix_would_change_and_writes_nothing() {
    let (dir, path) = skill_dir();
    let run = run_cli(&dir.path, &["check", "--diff", "--unsafe-fixes", "skills"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("--- a/skills/release-notes/SKILL.md\n+++ b/skills/release-notes/SKILL.md\n@@ -1,7 +1,7 @@\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n-licence: MIT\n+license: MIT\n"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("Would apply 1 fix in 1 file"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), SKILL, "nothing written");
    // Nothing to change: status 0, no output.
    let clean = SKILL.replace("licence", "license");
    std::fs::write(&path, &clean).unwrap();
    let run = run_cli(&dir.path, &["check", "--diff", "--unsafe-fixes", "--quiet", "skills"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
}

/// Runs the binary with `input` on standard input.
fn run_stdin(cwd: &Path, args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(common::binary())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn stdin_filename_checks_standard_input_under_that_path() {
    let (dir, _) = skill_dir();
    // The name decides the folder: `name` matches `release-notes`, not `elsewhere`.
    let args = [
        "check",
        "--stdin-filename",
        "skills/elsewhere/SKILL.md",
        "--output-format",
        "concise",
        "-q",
    ];
    let (code, stdout, _) = run_stdin(&dir.path, &args, SKILL);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.starts_with("skills/elsewhere/SKILL.md:2:7: warning[SK006]"),
        "{stdout}"
    );
    assert_eq!(codes_in(&stdout), ["SK005", "SK006", "SK301"]);
    // With --fix the fixed text goes to standard output, the report to standard error.
    let args = [
        "check",
        "--stdin-filename",
        "skills/release-notes/SKILL.md",
        "--unsafe-fixes",
    ];
    let (code, stdout, stderr) = run_stdin(&dir.path, &args, SKILL);
    assert_eq!(code, 0);
    assert_eq!(stdout, SKILL.replace("licence", "license"));
    assert!(stderr.contains("warning[SK301]"), "{stderr}");
    let (code, _, stderr) = run_stdin(&dir.path, &["check", "--stdin-filename", "x/SKILL.md", "skills"], SKILL);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn concise_quiet_and_exit_zero() {
    let (dir, _) = skill_dir();
    dir.write("skill-lsp.toml", "[rules]\nSK301 = \"error\"\n");
    let run = run_cli(&dir.path, &["check", "--output-format", "concise", "skills"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with("skills/release-notes/SKILL.md:4:1: warning[SK005]"));
    assert!(lines[1].starts_with("skills/release-notes/SKILL.md:9:"));
    assert!(
        lines[2].starts_with("Checked 1 file: 1 error, 1 warning"),
        "{}",
        lines[2]
    );
    // `--format` is the same option; `full` the same value as `human`.
    let same = run_cli(&dir.path, &["check", "--format", "concise", "skills"]);
    assert_eq!(same.stdout, run.stdout);
    let full = run_cli(&dir.path, &["check", "--output-format", "full", "skills"]);
    let human = run_cli(&dir.path, &["check", "skills"]);
    assert_eq!(full.stdout, human.stdout);
    let quiet = run_cli(&dir.path, &["check", "--quiet", "skills"]);
    assert!(!quiet.stdout.contains("Checked 1 file"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("error[SK301]"));
    let zero = run_cli(&dir.path, &["check", "--exit-zero", "skills"]);
    assert_eq!(zero.code, 0);
    let missing = run_cli(&dir.path, &["check", "--exit-zero", "no-such-folder"]);
    assert_eq!(missing.code, 2, "unreadable inputs still fail");
}

#[test]
fn every_option_is_in_the_help_and_the_readme() {
    let help = run_cli(&repo(), &["check", "--help"]).stdout;
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for option in [
        "--select",
        "--extend-select",
        "--ignore",
        "--statistics",
        "--diff",
        "--stdin-filename",
        "--output-format",
        "--quiet",
        "--exit-zero",
        "--fix",
        "--unsafe-fixes",
        "--strict",
        "--config",
        "--profile",
    ] {
        assert!(help.contains(option), "`check --help` lacks {option}");
        assert!(readme.contains(&format!("`{option}")), "README lacks {option}");
    }
}

#[test]
fn docs_rules_has_one_page_per_rule_as_explain_prints_it() {
    let dir = repo().join("docs/rules");
    let write = std::env::var_os("SKILL_LSP_WRITE_DOCS").is_some();
    let list = run_cli(&repo(), &["explain"]).stdout;
    let codes: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split(' ').next())
        .filter(|c| c.starts_with("SK"))
        .collect();
    assert!(codes.len() > 40);
    let mut stale = Vec::new();
    for code in &codes {
        let page = run_cli(&repo(), &["explain", code]).stdout;
        let path = dir.join(format!("{code}.md"));
        if write {
            std::fs::write(&path, &page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(code.to_string());
        }
    }
    let index = format!("# Rules\n\nOne page per rule, as `skill-lsp explain CODE` prints it.\n\n```text\n{list}```\n");
    let index_path = dir.join("README.md");
    if write {
        std::fs::write(&index_path, &index).unwrap();
    } else if std::fs::read_to_string(&index_path).ok().as_deref() != Some(index.as_str()) {
        stale.push("README.md".into());
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md" && !codes.iter().any(|c| format!("{c}.md") == *n))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules differs from `skill-lsp explain` (stale: {stale:?}, no such rule: {extra:?}); \
         regenerate with SKILL_LSP_WRITE_DOCS=1 cargo test -p skill-lsp --test controls docs_rules"
    );
}

fn publish_caps() -> Value {
    json!({"textDocument": {"publishDiagnostics": {
        "codeDescriptionSupport": true,
        "relatedInformation": true,
        "tagSupport": {"valueSet": [1, 2]}
    }}})
}

fn open_in_server(caps: Value, text: &str) -> (TempDir, Server, String, Vec<Value>) {
    let dir = TempDir::new("controls-server");
    let path = dir.write("skills/release-notes/SKILL.md", text);
    let mut server = Server::spawn();
    server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&dir.path),
        "capabilities": caps
    }));
    let uri = file_uri(&path);
    server.open(&uri, 1, text);
    let diags = server.diagnostics(&uri, Some(1));
    (dir, server, uri, diags)
}

#[test]
fn server_diagnostics_link_the_rule_page_and_fade_unused_suppressions_when_supported() {
    let text = SKILL.replace(
        "# Release notes\n",
        "# Release notes\n<!-- skill-lsp-disable-file SK103 -->\n",
    );
    let (_dir, server, _, diags) = open_in_server(publish_caps(), &text);
    let unknown = diags.iter().find(|d| d["code"] == "SK005").expect("SK005");
    assert_eq!(
        unknown["codeDescription"]["href"],
        "https://github.com/skill-lsp/skill-lsp/blob/main/docs/rules/SK005.md"
    );
    // SK103 does not run in this profile: no unused report for it.
    assert!(diags.iter().all(|d| d["code"] != "SK901"), "{diags:?}");
    drop(server);
    let text = SKILL.replace(
        "# Release notes\n",
        "# Release notes\n<!-- skill-lsp-disable-file SK006 -->\n",
    );
    let (_dir, server, _, diags) = open_in_server(publish_caps(), &text);
    let unused = diags.iter().find(|d| d["code"] == "SK901").expect("SK901");
    assert_eq!(unused["tags"], json!([1]));
    drop(server);
    // A client that says nothing gets neither.
    let (_dir, server, _, diags) = open_in_server(json!({}), &text);
    assert!(
        diags
            .iter()
            .all(|d| d.get("codeDescription").is_none() && d.get("tags").is_none()),
        "{diags:?}"
    );
    drop(server);
}

#[test]
fn a_config_points_rule_links_elsewhere() {
    let dir = TempDir::new("controls-docs-url");
    dir.write(
        "skill-lsp.toml",
        "docs_url = \"https://example.com/rules/{name}.html\"\n",
    );
    let path = dir.write("skills/release-notes/SKILL.md", SKILL);
    let mut server = Server::spawn();
    server.initialize(json!({"processId": null, "rootUri": file_uri(&dir.path), "capabilities": publish_caps()}));
    let uri = file_uri(&path);
    server.open(&uri, 1, SKILL);
    let diags = server.diagnostics(&uri, Some(1));
    let link = diags.iter().find(|d| d["code"] == "SK301").unwrap();
    assert_eq!(
        link["codeDescription"]["href"],
        "https://example.com/rules/broken-link.html"
    );
}

#[test]
fn the_editor_offers_to_suppress_a_finding_on_its_line_or_in_the_file() {
    let (_dir, mut server, uri, diags) = open_in_server(publish_caps(), SKILL);
    let link = diags.iter().find(|d| d["code"] == "SK301").unwrap().clone();
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": link["range"], "context": {"diagnostics": [link]}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(titles.contains(&"Suppress SK301 on this line"), "{titles:?}");
    assert!(titles.contains(&"Suppress SK301 in this file"), "{titles:?}");
    let on_line = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress SK301 on this line")
        .unwrap();
    let edits = &on_line["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "<!-- skill-lsp-disable-next-line SK301 -->\n");
    assert_eq!(edits[0]["range"]["start"], json!({"line": 8, "character": 0}));
    // Applied, the finding goes and nothing new comes.
    let fixed = SKILL.replace("1. List", "<!-- skill-lsp-disable-next-line SK301 -->\n1. List");
    server.change(&uri, 2, json!([{"text": fixed}]));
    let after = server.diagnostics(&uri, Some(2));
    let codes: Vec<&str> = after.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["SK005"], "{after:?}");
    // In the front matter the comment is YAML.
    let key = diags.iter().find(|d| d["code"] == "SK005").unwrap().clone();
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": key["range"], "context": {"diagnostics": [key]}}),
    );
    let yaml = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress SK005 on this line")
        .unwrap();
    assert_eq!(
        yaml["edit"]["changes"][&uri][0]["newText"],
        "# skill-lsp-disable-next-line SK005\n"
    );
}

/// The configuration schema, compiled.
fn config_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("schemas/skill-lsp.toml.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn toml_to_json(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(text).ok()?;
    serde_json::to_value(table).ok()
}

/// The `skill-lsp.toml` texts the tests write, from their string literals.
fn configs_in_tests() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("tests")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        // `write("skill-lsp.toml", TEXT)` and `std::fs::write(dir.join("skill-lsp.toml"), TEXT)`.
        for marker in ["\"skill-lsp.toml\",", "\"skill-lsp.toml\"),"] {
            let mut rest = source.as_str();
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                let trimmed = rest.trim_start();
                // A literal, or a constant of the same file holding one.
                let ident: String = trimmed
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let literal = if ident.is_empty() {
                    trimmed.strip_prefix('"')
                } else {
                    source
                        .find(&format!("const {ident}: &str = \""))
                        .map(|at| &source[at + ident.len() + 16..])
                };
                let Some(body) = literal else { continue };
                let mut text = String::new();
                let mut chars = body.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some('\n') => {
                                // A continued line: leading whitespace is skipped.
                                let skipped: String = chars.clone().take_while(|c| c.is_whitespace()).collect();
                                for _ in 0..skipped.chars().count() {
                                    chars.next();
                                }
                            }
                            Some(other) => text.push(other),
                            None => break,
                        },
                        c => text.push(c),
                    }
                }
                out.push((path.file_name().unwrap().to_string_lossy().into_owned(), text));
            }
        }
    }
    out
}

#[test]
fn the_config_schema_accepts_init_and_every_config_skill_lsp_accepts() {
    let schema = config_schema();
    let dir = TempDir::new("controls-init");
    let init = run_cli(&dir.path, &["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let written = std::fs::read_to_string(dir.join("skill-lsp.toml")).unwrap();
    // `init` writes every setting commented out: uncommented, they must validate too.
    let uncommented: String = written
        .lines()
        .map(|l| l.strip_prefix("# ").filter(|r| r.contains(" = ")).unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let mut configs = vec![
        ("init".to_string(), written),
        ("init, uncommented".to_string(), uncommented),
        (
            "examples".to_string(),
            std::fs::read_to_string(repo().join("examples/skills/skill-lsp.toml")).unwrap(),
        ),
    ];
    let from_tests = configs_in_tests();
    assert!(
        from_tests.len() >= 8,
        "found only {} configs in the tests",
        from_tests.len()
    );
    configs.extend(from_tests);
    let mut checked = 0;
    for (origin, text) in &configs {
        let Some(json) = toml_to_json(text) else { continue };
        // Configs the tests write to see them refused need not validate.
        if skill_core::Config::from_toml(text).is_err() {
            continue;
        }
        let errors: Vec<String> = schema.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{origin}: {text}\n{errors:?}");
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} configs validated");
    // And it refuses what skill-lsp refuses.
    for bad in [
        "colour = \"red\"",
        "profile = \"six\"",
        "[rules]\nSK104 = \"loud\"",
        "[workflow]\nsteps = 0",
        "[workflow.calls]\nfirst = [\"memoryStore\"]",
        "docs_url = \"https://example.com/rules\"",
    ] {
        assert!(skill_core::Config::from_toml(bad).is_err(), "{bad}");
        assert!(
            !schema.is_valid(&toml_to_json(bad).unwrap()),
            "the schema accepts {bad}"
        );
    }
}

#[test]
fn overrides_and_extend_set_rules_per_path_on_the_command_line_and_in_the_editor() {
    let dir = TempDir::new("controls-overrides");
    dir.write("skill-lsp.toml", "[rules]\nSK301 = \"error\"\n");
    dir.write(
        "team/skill-lsp.toml",
        "extend = \"../skill-lsp.toml\"\n\n[[overrides]]\nfiles = [\"skills/legacy-*/**\"]\n[overrides.rules]\nbroken-link = \"off\"\nSK005 = \"error\"\n",
    );
    dir.write(
        "team/skills/legacy-notes/SKILL.md",
        &SKILL.replace("release-notes", "legacy-notes"),
    );
    let current = dir.write("team/skills/release-notes/SKILL.md", SKILL);
    let run = run_cli(&dir.path, &["check", "--output-format", "concise", "-q", "team"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // The legacy skill: SK301 off, SK005 an error; the other: SK301 an error from the extended config.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("team/skills/legacy-notes/SKILL.md:4:1: error[SK005]")),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("legacy-notes") && l.contains("SK301")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("release-notes/SKILL.md:9:") && l.contains("error[SK301]")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("release-notes/SKILL.md:4:1: warning[SK005]")),
        "{lines:?}"
    );
    // The command line still wins.
    let run = run_cli(
        &dir.path,
        &["check", "--output-format", "concise", "--select", "SK301", "team"],
    );
    assert_eq!(codes_in(&run.stdout), ["SK301", "SK301"], "{}", run.stdout);
    // A loop of `extend` is a config error.
    let looped = TempDir::new("controls-extend-loop");
    looped.write("skill-lsp.toml", "extend = \"skill-lsp.toml\"\n");
    looped.write("skills/release-notes/SKILL.md", SKILL);
    let run = run_cli(&looped.path, &["check", "skills"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("`extend` leads back"), "{}", run.stdout);
    // The editor reads the same settings.
    let mut server = Server::spawn();
    server.initialize(json!({"processId": null, "rootUri": file_uri(&dir.path), "capabilities": {}}));
    let legacy = file_uri(&dir.join("team/skills/legacy-notes/SKILL.md"));
    server.open(&legacy, 1, &SKILL.replace("release-notes", "legacy-notes"));
    let diags = server.diagnostics(&legacy, Some(1));
    let severities: Vec<(String, i64)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["severity"].as_i64().unwrap()))
        .collect();
    assert_eq!(severities, [("SK005".to_string(), 1)], "{diags:?}");
    let uri = file_uri(&current);
    server.open(&uri, 1, SKILL);
    let diags = server.diagnostics(&uri, Some(1));
    assert!(
        diags.iter().any(|d| d["code"] == "SK301" && d["severity"] == 1),
        "{diags:?}"
    );
}

/// The completion labels at (line, character).
fn completion_labels(server: &mut Server, uri: &str, line: u32, character: u32) -> Vec<String> {
    let result = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    let items = result["items"]
        .as_array()
        .or_else(|| result.as_array())
        .cloned()
        .unwrap_or_default();
    items.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_editor_completes_link_targets_and_their_headings() {
    let dir = TempDir::new("controls-link-completion");
    dir.write(
        "interfaces/memory_store.md",
        "# MemoryStore\n\n## 8. getSkillMemory(skill_name, project_name)\n",
    );
    dir.write("skills/release-notes/references/tags.md", "# Tags\n");
    let text = "---\nname: release-notes\ndescription: Drafts release notes. Use when the user prepares a release.\n---\n\n# Release notes\n\n## Steps\n\nSee [the store](../../interfaces/\n";
    let path = dir.write("skills/release-notes/SKILL.md", text);
    let mut server = Server::spawn();
    server.initialize(json!({"processId": null, "rootUri": file_uri(&dir.path), "capabilities": {}}));
    let uri = file_uri(&path);
    server.open(&uri, 1, text);
    // After `](../../interfaces/`: the files of that folder.
    let line = 9;
    let end = "See [the store](../../interfaces/".len() as u32;
    assert_eq!(completion_labels(&mut server, &uri, line, end), ["memory_store.md"]);
    // After `](`: the skill's own folder (itself left out).
    let open = "See [the store](".len() as u32;
    assert_eq!(completion_labels(&mut server, &uri, line, open), ["references/"]);
    // After `#`: the target's headings as GitHub anchors them; `#` alone: this document's.
    let with_file = text.replace("interfaces/\n", "interfaces/memory_store.md#\n");
    server.change(&uri, 2, json!([{"text": with_file}]));
    let end = "See [the store](../../interfaces/memory_store.md#".len() as u32;
    assert_eq!(
        completion_labels(&mut server, &uri, line, end),
        ["memorystore", "8-getskillmemoryskill_name-project_name"]
    );
    let own = text.replace("../../interfaces/\n", "#\n");
    server.change(&uri, 3, json!([{"text": own}]));
    let end = "See [the store](#".len() as u32;
    assert_eq!(
        completion_labels(&mut server, &uri, line, end),
        ["release-notes", "steps"]
    );
}

#[test]
fn a_duplicate_key_points_at_the_first_one_when_the_client_shows_related_places() {
    let text = SKILL.replace("licence: MIT\n", "name: release-notes-2\n");
    let (_dir, server, uri, diags) = open_in_server(publish_caps(), &text);
    let dup = diags.iter().find(|d| d["code"] == "SK007").expect("SK007");
    assert_eq!(dup["range"]["start"]["line"], 3);
    let related = dup["relatedInformation"].as_array().expect("relatedInformation");
    assert_eq!(related.len(), 1, "{related:?}");
    assert_eq!(related[0]["location"]["uri"], uri.as_str());
    assert_eq!(
        related[0]["location"]["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    assert_eq!(related[0]["message"], "`name` is first set here");
    drop(server);
    // A client that does not say it shows them gets none.
    let (_dir, server, _, diags) = open_in_server(json!({}), &text);
    let dup = diags.iter().find(|d| d["code"] == "SK007").expect("SK007");
    assert!(dup.get("relatedInformation").is_none(), "{dup}");
    drop(server);
}
