//! Profiles end to end, over the real `skill-lsp` binary: skills in the open
//! Agent Skills format (`tests/fixtures/profiles/`: a PDF skill and a Word
//! document skill, with the files their bodies name) check clean as
//! `agentskills`; switching a file's profile (flag, config, front matter
//! comment, editor setting) changes which rules fire; `new` writes skills
//! that check clean in either profile, also under a team's own workflow;
//! `init` writes a config that reads back; and completion, hover and
//! diagnostics in the editor follow the active profile.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{file_uri, utf16_position, Server, TempDir};
use serde_json::{json, Value};
use skill_core::{Config, Profile};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/profiles")
}

/// Runs the binary in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skill-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `check --format json` on `paths` (plus `extra` flags) in `dir`: exit status
/// and (file folder name, code, text at the range) of every diagnostic.
fn check_json(dir: &Path, extra: &[&str], paths: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    let out = run(dir, &args);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), String::from_utf8_lossy(&out.stderr)));
    let diags = report["diagnostics"].as_array().cloned().unwrap_or_default();
    let found = diags
        .iter()
        .map(|d| {
            let path = dir.join(d["path"].as_str().unwrap());
            let text = std::fs::read_to_string(&path).unwrap();
            let at = text_at(&text, &d["range"]);
            let folder = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (folder, d["code"].as_str().unwrap().to_string(), at)
        })
        .collect();
    (out.status.code().unwrap_or(-1), found)
}

/// The text an LSP range (UTF-16 columns) covers.
fn text_at(text: &str, range: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let col = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &text[start..];
        let mut units = 0;
        for (i, c) in rest.char_indices() {
            if units >= col {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    text[offset(&range["start"])..offset(&range["end"])].to_string()
}

fn codes(found: &[(String, String, String)]) -> BTreeSet<String> {
    found.iter().map(|(_, c, _)| c.clone()).collect()
}

/// A copy of the standard fixtures (`pdf/`, `docx/`) in a temporary folder.
fn standard_copy(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    common::copy_dir(&fixtures().join("pdf"), &dir.join("pdf"));
    common::copy_dir(&fixtures().join("docx"), &dir.join("docx"));
    dir
}

/// Replaces the first `from` in the file at `rel`, which must hold it.
fn edit(dir: &TempDir, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn standard_skills_check_clean_in_the_agentskills_profile() {
    let dir = standard_copy("clean");
    for extra in [&[][..], &["--profile", "agentskills"][..]] {
        let (status, found) = check_json(&dir.path, extra, &["pdf", "docx"]);
        assert_eq!(found, vec![], "{extra:?}");
        assert_eq!(status, 0);
    }
    // Detected as the standard's without being told.
    assert_eq!(
        Profile::detect(&skill_core::Workspace::detached()),
        Profile::AgentSkills
    );
}

#[test]
fn the_standard_rules_find_what_is_wrong_in_the_pdf_and_docx_skills() {
    let dir = standard_copy("damaged");
    // The script was renamed, the description lost its "when", a workflow key
    // slipped in, and `context` got a value no client knows.
    edit(
        &dir,
        "pdf/SKILL.md",
        "`python scripts/check_fillable_fields.py form.pdf`",
        "`python scripts/check_fields.py form.pdf`",
    );
    edit(&dir, "pdf/SKILL.md", " Use when the user works with a .pdf file, asks to fill a PDF form, or wants text or tables pulled out of a PDF.", "");
    edit(
        &dir,
        "docx/SKILL.md",
        "license: Apache-2.0\n",
        "license: Apache-2.0\nversion: \"1.2.0\"\n",
    );
    edit(
        &dir,
        "docx/SKILL.md",
        "allowed-tools: Bash(python:*) Bash(pandoc:*) Read Write",
        "allowed-tools: Bash(python:*) Bash(pandoc:*) Read Write\ncontext: forked",
    );
    edit(
        &dir,
        "docx/SKILL.md",
        "see references/ooxml.md",
        "see references/open-xml.md",
    );
    let (status, found) = check_json(&dir.path, &[], &["pdf", "docx"]);
    let want: Vec<(&str, &str, &str)> = vec![
        ("docx", "SK003", "forked"),
        ("docx", "SK005", "version"),
        ("docx", "SK502", "references/open-xml.md"),
        // references/ooxml.md is no longer mentioned: reported on the name.
        ("docx", "SK609", "docx"),
        ("pdf", "SK502", "scripts/check_fields.py"),
        (
            "pdf",
            "SK503",
            "Reads, creates and edits PDF files - extracts text and tables, merges and splits documents, and fills in PDF forms.",
        ),
    ];
    let mut got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(f, c, t)| (f.as_str(), c.as_str(), t.as_str()))
        .collect();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(status, 1, "SK003 and SK005's neighbour are errors");

    // A body past 500 lines, and a name that is not its folder's.
    let long: String = (1..=520).map(|i| format!("- Note {i}\n")).collect();
    let pdf = std::fs::read_to_string(dir.join("pdf/SKILL.md")).unwrap();
    std::fs::write(dir.join("pdf/SKILL.md"), format!("{pdf}\n## Notes\n\n{long}")).unwrap();
    edit(&dir, "pdf/SKILL.md", "name: pdf\n", "name: pdf-tools\n");
    let (_, found) = check_json(&dir.path, &[], &["pdf"]);
    let codes = codes(&found);
    assert!(codes.contains("SK501") && codes.contains("SK006"), "{found:?}");
    let long_line = found.iter().find(|(_, c, _)| c == "SK501").unwrap();
    assert!(long_line.2.starts_with("- Note "), "{long_line:?}");
}

#[test]
fn switching_the_profile_changes_which_rules_fire() {
    let dir = standard_copy("switch");
    // The same file in two profiles, by flag.
    let (_, as_standard) = check_json(&dir.path, &["--profile", "agentskills"], &["pdf"]);
    let (status, as_workflow) = check_json(&dir.path, &["--profile", "workflow"], &["pdf"]);
    assert!(as_standard.is_empty(), "{as_standard:?}");
    assert_eq!(status, 1);
    let workflow_codes = codes(&as_workflow);
    for code in ["SK004", "SK101", "SK111", "SK121"] {
        assert!(workflow_codes.contains(code), "{code}: {as_workflow:?}");
    }
    assert!(
        workflow_codes.iter().all(|c| !c.starts_with("SK5")),
        "{workflow_codes:?}"
    );

    // By config: `profile = "workflow"` beside the skills.
    std::fs::write(dir.join("skill-lsp.toml"), "profile = \"workflow\"\n").unwrap();
    let (_, by_config) = check_json(&dir.path, &[], &["pdf"]);
    assert_eq!(codes(&by_config), workflow_codes);
    // The file's own comment wins over the config.
    edit(
        &dir,
        "pdf/SKILL.md",
        "---\nname: pdf\n",
        "---\n# skill-lsp: profile=agentskills\nname: pdf\n",
    );
    let (status, by_comment) = check_json(&dir.path, &[], &["pdf"]);
    assert_eq!((status, by_comment), (0, vec![]));
    // A misspelt comment chooses nothing and says so; the config applies.
    edit(&dir, "pdf/SKILL.md", "profile=agentskills", "profile=agentskils");
    let (_, misspelt) = check_json(&dir.path, &[], &["pdf"]);
    assert!(
        misspelt.contains(&("pdf".into(), "SK504".into(), "agentskils".into())),
        "{misspelt:?}"
    );
    assert!(codes(&misspelt).contains("SK101"));

    // And the other way: a workflow skill read as a standard one.
    let (status, workflow_skill) = check_json(
        &repo().join("examples/skills"),
        &["--profile", "agentskills"],
        &["skills/fastapi-review/SKILL.md"],
    );
    let unknown: BTreeSet<&str> = workflow_skill
        .iter()
        .filter(|(_, c, _)| c == "SK005")
        .map(|(_, _, t)| t.as_str())
        .collect();
    assert_eq!(
        unknown,
        BTreeSet::from(["memory", "tags", "version"]),
        "{workflow_skill:?}"
    );
    // `context` is Claude Code's key, whose value is `fork` or `inherit`, not
    // the workflow's map; the description says what, not when.
    assert_eq!(
        codes(&workflow_skill),
        BTreeSet::from(["SK003".to_string(), "SK005".to_string(), "SK503".to_string()])
    );
    assert_eq!(status, 1, "a `context` no client accepts is an error");
    let (status, as_its_own) = check_json(
        &repo().join("examples/skills"),
        &[],
        &["skills/fastapi-review/SKILL.md"],
    );
    assert_eq!((status, as_its_own), (0, vec![]));
}

/// No errors: the only findings of a new skill are the blanks skill-lsp
/// leaves for the author to fill in (SK123 warnings), so `--strict` fails
/// until they are filled.
fn only_blanks(found: &[(String, String, String)]) -> bool {
    found
        .iter()
        .all(|(_, code, text)| code == "SK123" && BLANKS.contains(&text.as_str()))
}

/// The blanks the step writer leaves in a new workflow skill.
const BLANKS: [&str; 4] = [
    "{Core Action Name}",
    "{Describe the purpose of this step}",
    "{Describe the core action of this step}",
    "{Validation criterion}",
];

/// Runs `new` in `dir` and checks what it wrote where it wrote it.
fn new_and_check(dir: &Path, args: &[&str], written: &str) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains(written), "{}", stdout(&out));
    let (status, found) = check_json(dir, &[], &[written]);
    assert!(only_blanks(&found), "{args:?}: {found:?}");
    assert_eq!(status, 0);
    std::fs::read_to_string(dir.join(written)).unwrap()
}

#[test]
fn new_writes_skills_that_check_clean_in_both_profiles() {
    // On its own: the standard's format by default, the workflow's when asked.
    let alone = TempDir::new("new-alone");
    let standard = new_and_check(&alone.path, &["pdf-forms"], "pdf-forms/SKILL.md");
    assert!(
        standard.contains("name: pdf-forms\n") && !standard.contains("version:"),
        "{standard}"
    );
    let workflow = new_and_check(
        &alone.path,
        &["invoice-review", "--profile", "workflow", "--domain", "finance"],
        "invoice-review/SKILL.md",
    );
    assert!(
        workflow.contains("memoryStore.getSkillMemory(\"invoice-review\", \"{project-name}\")"),
        "{workflow}"
    );
    assert!(workflow.contains("contextProvider.getDomainIndex(\"finance\")"));
    // Its warnings name each blank to fill, so `--strict` fails until they are.
    let (strict, found) = check_json(&alone.path, &["--strict"], &["invoice-review"]);
    assert_eq!(strict, 1, "{found:?}");
    for blank in BLANKS {
        assert!(
            found.iter().any(|(_, code, text)| code == "SK123" && text == blank),
            "{blank} not reported: {found:?}"
        );
    }
    // Each reads as its own profile with nothing to say so.
    let (_, both) = check_json(&alone.path, &[], &["pdf-forms", "invoice-review"]);
    assert!(only_blanks(&both), "{both:?}");
    // Refuses to overwrite, and to take a name that is not one.
    assert_eq!(run(&alone.path, &["new", "pdf-forms"]).status.code(), Some(2));
    assert_eq!(run(&alone.path, &["new", "PDF Forms"]).status.code(), Some(2));

    // In a workflow repository: the workflow format, its domains and links;
    // a standard skill there says so in its front matter.
    let ws = TempDir::new("new-ws");
    common::copy_dir(&repo().join("examples/skills"), &ws.path);
    let workflow = new_and_check(
        &ws.path,
        &["api-audit", "--domain", "security"],
        "skills/api-audit/SKILL.md",
    );
    assert!(workflow.contains("(../../interfaces/memory_store.md)"));
    let standard = new_and_check(
        &ws.path,
        &["notes", "--profile", "agentskills"],
        "skills/notes/SKILL.md",
    );
    assert!(
        standard.starts_with("---\n# skill-lsp: profile=agentskills\n"),
        "{standard}"
    );
    let bad = run(&ws.path, &["new", "x-ray", "--domain", "cobol"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`python`"));
}

#[test]
fn new_follows_the_team_workflow_and_the_workspace_template() {
    let ws = TempDir::new("new-team");
    common::copy_dir(&repo().join("examples/skills"), &ws.path);
    std::fs::write(
        ws.join("skill-lsp.toml"),
        "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Research\", \"Draft\", \"Record\"]\nsections = [\"Purpose\", \"Interface References\", \"Version History\", \"Examples\"]\n[workflow.calls]\n4 = [\"skillInvoker.invoke\"]\nlast = [\"memoryStore.update\", \"memoryStore.append\"]\n",
    )
    .unwrap();
    let text = new_and_check(&ws.path, &["release-notes"], "skills/release-notes/SKILL.md");
    assert!(
        text.contains("### Step 1: Scope") && text.contains("### Step 5: Record"),
        "{text}"
    );
    assert!(!text.contains("Step 6"));
    // The calls the team requires, filled in for the skill, as completion
    // and the fix for a missing step write them.
    assert!(
        text.contains("3. Call `skillInvoker.invoke(\"{skill-name}\", params)` as this workspace's workflow requires"),
        "{text}"
    );
    assert_eq!(
        text.matches("memoryStore.update(\"release-notes\", \"{project-name}\"")
            .count(),
        1,
        "the canonical update meets the first group of `last`: {text}"
    );
    assert!(
        text.contains("3. Call `memoryStore.append(\"skill-specific/release-notes/{project-name}/file\", content)` as this workspace's workflow requires"),
        "{text}"
    );
    assert!(text.contains("## Examples"));

    // The workspace's template, filled in.
    std::fs::write(
        ws.join("skills/SKILL_TEMPLATE.md"),
        "---\nname: {skill-name}\ndescription: {Brief one-line description}\nversion: \"1.0.0\"\ncontext:\n  primary_domain: \"{domain-name}\"\n  file_budget: 4\n  topics: [\"{topic1}\"]\nmemory:\n  scopes:\n    - type: \"skill-specific\"\n      files: [\"{file1}.md\"]\ntags: [\"{tag1}\"]\n---\n\n# {skill-name}\n\n## Purpose\n\nTeam template for {skill-name}.\n",
    )
    .unwrap();
    let out = run(&ws.path, &["new", "from-template", "--domain", "python"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout(&out).contains("from skills/SKILL_TEMPLATE.md"),
        "{}",
        stdout(&out)
    );
    let (status, found) = check_json(&ws.path, &[], &["skills/from-template/SKILL.md"]);
    assert_eq!(status, 0);
    assert!(only_blanks(&found), "{found:?}");
    let text = std::fs::read_to_string(ws.join("skills/from-template/SKILL.md")).unwrap();
    assert!(text.contains("Team template for from-template."), "{text}");
    assert!(
        text.contains("### Step 4: Draft"),
        "the team's steps were added: {text}"
    );
    assert!(
        text.contains("Call `skillInvoker.invoke(\"{skill-name}\", params)` as this workspace's workflow requires"),
        "with the calls the team requires: {text}"
    );
    assert!(
        text.contains("Call `memoryStore.append(\"skill-specific/from-template/{project-name}/file\", content)`"),
        "{text}"
    );
}

#[test]
fn init_writes_a_commented_config_that_reads_back() {
    let dir = TempDir::new("init");
    let out = run(&dir.path, &["init"]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.join("skill-lsp.toml")).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 10,
        "commented: {text}"
    );
    for key in [
        "profile",
        "clients",
        "[workflow]",
        "titles",
        "sections",
        "[workflow.calls]",
        "[rules]",
        "ignore",
    ] {
        assert!(text.contains(key), "{key}");
    }
    assert_eq!(Config::from_toml(&text).unwrap(), Config::default());
    assert_eq!(run(&dir.path, &["init"]).status.code(), Some(2), "no overwrite");
    let out = run(&dir.path, &["init", "--force", "--profile", "agentskills"]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.join("skill-lsp.toml")).unwrap();
    assert_eq!(Config::from_toml(&text).unwrap().profile, Some(Profile::AgentSkills));
    // Every setting it shows commented out is valid when uncommented.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") && !rest.starts_with("profile") => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let cfg = Config::from_toml(&uncommented).unwrap_or_else(|e| panic!("{e:?}\n{uncommented}"));
    assert_eq!(cfg.step_count, 6);
    assert_eq!(cfg.workflow.calls.len(), 3);
    assert!(!cfg.clients.is_all() && cfg.clients.contains(skill_core::clients::Client::Codex));
}

/// `clients` in `skill-lsp.toml` decides which clients' keys are known: a key
/// only Claude Code defines is unknown to a repository writing for Codex, and
/// Claude Code's tool names are no longer checked there.
#[test]
fn the_configured_clients_decide_which_keys_are_known() {
    let dir = TempDir::new("clients");
    let skill = "---\nname: review-pr\ndescription: Reviews a pull request. Use when asked to review a PR.\nwhen_to_use: When the user pastes a pull request link.\nuser-invocable: false\nallowed-tools: read Grep\n---\n\nRead the diff and list what must change.\n";
    std::fs::create_dir_all(dir.join("review-pr")).unwrap();
    std::fs::write(dir.join("review-pr/SKILL.md"), skill).unwrap();
    // Every client counts by default: the keys are known, `read` is no Claude Code tool.
    let (_, found) = check_json(&dir.path, &[], &["review-pr"]);
    let of = |code: &str, found: &[(String, String, String)]| -> Vec<String> {
        found.iter().filter(|f| f.1 == code).map(|f| f.2.clone()).collect()
    };
    assert_eq!(of("SK005", &found), Vec::<String>::new());
    assert_eq!(of("SK511", &found), ["read"]);
    std::fs::write(dir.join("skill-lsp.toml"), "clients = [\"codex\"]\n").unwrap();
    let (_, found) = check_json(&dir.path, &[], &["review-pr"]);
    assert_eq!(of("SK005", &found), ["when_to_use", "user-invocable"]);
    assert_eq!(of("SK511", &found), Vec::<String>::new());
    // Copilot defines `user-invocable` too.
    std::fs::write(dir.join("skill-lsp.toml"), "clients = [\"codex\", \"copilot\"]\n").unwrap();
    let (_, found) = check_json(&dir.path, &[], &["review-pr"]);
    assert_eq!(of("SK005", &found), ["when_to_use"]);
    // A name that is no client is a config error (exit 2).
    std::fs::write(dir.join("skill-lsp.toml"), "clients = [\"zed\"]\n").unwrap();
    let out = run(&dir.path, &["check", "review-pr"]);
    assert_eq!(out.status.code(), Some(2));
    let said = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("`zed` is not a client"), "{said}");
}

#[test]
fn explain_documents_the_standard_rules() {
    for code in ["SK501", "SK502", "SK503", "SK504"] {
        let out = run(&repo(), &["explain", code]);
        assert!(out.status.success(), "{code}");
        let text = stdout(&out);
        assert!(text.starts_with(&format!("# {code} ")), "{text}");
        assert!(text.contains("\nProfiles: "), "{text}");
        for part in ["## What it checks", "## Why it matters", "## Example"] {
            assert!(text.contains(part), "{code}: {part}");
        }
    }
    assert!(stdout(&run(&repo(), &["explain", "SK502"])).contains("\nProfiles: agentskills\n"));
    assert!(stdout(&run(&repo(), &["explain", "SK101"])).contains("\nProfiles: workflow\n"));
    assert!(stdout(&run(&repo(), &["explain", "SK003"])).contains("\nProfiles: workflow, agentskills\n"));
    let list = stdout(&run(&repo(), &["explain"]));
    assert!(list.contains("SK502") && list.contains("file-reference-missing"));
}

/// Completion items' labels at `p`.
fn completion_labels(server: &mut Server, uri: &str, p: (u32, u32)) -> Vec<String> {
    let result = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": p.0, "character": p.1}}),
    );
    let items = match result {
        Value::Array(items) => items,
        other => other["items"].as_array().cloned().unwrap_or_default(),
    };
    items
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

fn hover_text(server: &mut Server, uri: &str, p: (u32, u32)) -> String {
    let h = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": p.0, "character": p.1}}),
    );
    h["contents"]["value"]
        .as_str()
        .map_or_else(|| h["contents"].to_string(), str::to_string)
}

/// A server initialized on `root` that asks for its settings
/// (`workspace/configuration`) and gets what the returned value holds.
fn server_with_settings(root: &Path) -> (Server, std::sync::Arc<std::sync::Mutex<Value>>) {
    let settings = std::sync::Arc::new(std::sync::Mutex::new(json!({})));
    let answer = settings.clone();
    let mut server = Server::spawn();
    server.on_request("workspace/configuration", move |_| {
        json!([answer.lock().unwrap().clone()])
    });
    server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "ws"}],
        "capabilities": {"workspace": {"configuration": true}}
    }));
    (server, settings)
}

#[test]
fn completion_hover_and_diagnostics_follow_the_profile() {
    let ws = TempDir::new("lsp");
    common::copy_dir(&fixtures().join("pdf"), &ws.join("standard/pdf"));
    common::copy_dir(&repo().join("examples/skills"), &ws.join("repo"));
    let (mut server, settings) = server_with_settings(&ws.path);

    // A standard skill, with an empty line opened in its front matter.
    let pdf_path = ws.join("standard/pdf/SKILL.md");
    let original = std::fs::read_to_string(&pdf_path).unwrap();
    let text = original.replacen("name: pdf\n", "name: pdf\n\n", 1);
    let uri = file_uri(&pdf_path);
    server.open(&uri, 1, &text);
    assert_eq!(server.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    let blank = utf16_position(&text, text.find("name: pdf\n").unwrap() + "name: pdf\n".len());
    let labels = completion_labels(&mut server, &uri, blank);
    for key in ["allowed-tools", "compatibility", "metadata"] {
        assert!(labels.contains(&key.to_string()), "{key}: {labels:?}");
    }
    // `context` is Claude Code's (`fork`), offered; the workflow's keys are not.
    for key in ["version", "memory", "tags"] {
        assert!(!labels.contains(&key.to_string()), "{key}: {labels:?}");
    }
    let at_license = utf16_position(&text, text.find("license:").unwrap() + 2);
    let hover = hover_text(&mut server, &uri, at_license);
    assert!(
        hover.contains("bundled with the skill"),
        "the standard's description of `license`: {hover}"
    );
    let at_description = utf16_position(&text, text.find("description:").unwrap() + 2);
    let hover = hover_text(&mut server, &uri, at_description);
    assert!(
        hover.contains("1 to 1024 characters"),
        "the standard's `description`: {hover}"
    );
    // Without its licence line, the skill is offered `license` too.
    let unlicensed = text.replacen("license: Proprietary. LICENSE.txt has complete terms\n", "", 1);
    server.change(&uri, 2, json!([{"text": unlicensed}]));
    let labels = completion_labels(&mut server, &uri, blank);
    assert!(labels.contains(&"license".to_string()), "{labels:?}");
    server.change(&uri, 3, json!([{"text": text}]));

    // A workflow skill in its repository: the workflow's keys.
    let fastapi_path = ws.join("repo/skills/fastapi-review/SKILL.md");
    let wf = std::fs::read_to_string(&fastapi_path).unwrap();
    let wf_text = wf.replacen(
        "name: fastapi-review\nversion: \"1.1.0\"\n",
        "name: fastapi-review\n\n",
        1,
    );
    let wf_uri = file_uri(&fastapi_path);
    server.open(&wf_uri, 1, &wf_text);
    let blank = utf16_position(
        &wf_text,
        wf_text.find("name: fastapi-review\n").unwrap() + "name: fastapi-review\n".len(),
    );
    let labels = completion_labels(&mut server, &wf_uri, blank);
    assert_eq!(labels.first().map(String::as_str), Some("version"), "{labels:?}");

    // The editor's setting switches the standard skill to the workflow profile.
    *settings.lock().unwrap() = json!({"profile": "workflow"});
    server.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    let switched = server.diagnostics_where(&uri, "workflow rules on the PDF skill", |d| {
        d.iter().any(|d| d["code"] == "SK101") && d.iter().any(|d| d["code"] == "SK004")
    });
    assert!(switched["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| !d["code"].as_str().unwrap().starts_with("SK5")));
    let hover = hover_text(&mut server, &uri, at_license);
    assert!(
        hover.contains("(Agent Skills standard)"),
        "hover follows the setting: {hover}"
    );
    let labels = completion_labels(
        &mut server,
        &uri,
        utf16_position(&text, text.find("name: pdf\n").unwrap() + 10),
    );
    assert!(
        labels.contains(&"version".to_string()),
        "completion follows the setting: {labels:?}"
    );
    // And back.
    *settings.lock().unwrap() = json!({"profile": "auto"});
    server.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    server.diagnostics_where(&uri, "the PDF skill clean again", |d| d.is_empty());
    assert!(server.shutdown_and_exit().success());
}

/// The editor's `skillLsp.clients` setting decides which clients' keys are
/// known, over the config file, and changing it re-checks the open skill.
#[test]
fn the_clients_setting_follows_the_editor() {
    let ws = TempDir::new("lsp-clients");
    let path = ws.write(
        "review-pr/SKILL.md",
        "---\nname: review-pr\ndescription: Reviews a pull request. Use when asked to review a PR.\nwhen_to_use: When the user pastes a pull request link.\n---\n\nRead the diff and list what must change.\n",
    );
    let (server, settings) = server_with_settings(&ws.path);
    let uri = file_uri(&path);
    server.open(&uri, 1, &std::fs::read_to_string(&path).unwrap());
    let sk005 = |d: &[Value]| d.iter().filter(|x| x["code"] == "SK005").count();
    assert_eq!(sk005(&server.diagnostics(&uri, Some(1))), 0);
    *settings.lock().unwrap() = json!({"skillLsp": {"clients": ["codex"]}});
    server.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    let found = server.diagnostics_where(&uri, "`when_to_use` unknown to Codex", |d| sk005(d) == 1);
    assert!(
        found.to_string().contains("`when_to_use` is a key of Claude Code only"),
        "{found}"
    );
    *settings.lock().unwrap() = json!({"skillLsp": {"clients": ["claude-code"]}});
    server.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    server.diagnostics_where(&uri, "known again for Claude Code", |d| sk005(d) == 0);
    assert!(server.shutdown_and_exit().success());
}

/// The SK5xx catalogue in `docs/profiles.md` is the code's: every rule of the
/// standard profile listed with its name and severity, and nothing else.
#[test]
fn the_documented_sk5xx_catalogue_matches_the_rules() {
    let md = std::fs::read_to_string(repo().join("docs/profiles.md")).unwrap();
    let mut documented = BTreeSet::new();
    // Catalogue rows: `| SK501 | `name` | W | ...`.
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| SK5") && l.split('|').nth(1).is_some_and(|c| c.trim().len() == 5));
    for line in rows {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (code, name, sev) = (cells[1], cells[2].trim_matches('`'), cells[3]);
        let rule = skill_core::rules::find(code).unwrap_or_else(|| panic!("{code} is documented but no rule has it"));
        assert_eq!(rule.name, name, "{code}");
        let letter = match rule.severity {
            skill_core::Severity::Error => "E",
            skill_core::Severity::Warning => "W",
            _ => "I",
        };
        assert_eq!(letter, sev, "{code}");
        documented.insert(code.to_string());
    }
    let in_code: BTreeSet<String> = skill_core::rules::ALL
        .iter()
        .filter(|r| r.code.starts_with("SK5"))
        .map(|r| r.code.to_string())
        .collect();
    assert_eq!(documented, in_code);
    // The standard profile runs its own rules and the format-generic ones only.
    let standard: Vec<&str> = skill_core::rules::for_profile(Profile::AgentSkills)
        .map(|r| r.code)
        .collect();
    assert_eq!(
        standard,
        [
            "SK001", "SK002", "SK003", "SK004", "SK005", "SK006", "SK007", "SK008", "SK123", "SK301", "SK302", "SK501",
            "SK502", "SK503", "SK504", "SK505", "SK506", "SK507", "SK508", "SK509", "SK510", "SK511", "SK512", "SK513",
            "SK601", "SK602", "SK603", "SK604", "SK605", "SK606", "SK607", "SK608", "SK609", "SK610", "SK611", "SK901",
            "SK902"
        ],
        "as the table in docs/profiles.md says"
    );
    let workflow: Vec<&str> = skill_core::rules::for_profile(Profile::Workflow)
        .map(|r| r.code)
        .collect();
    assert!(
        workflow.iter().all(|c| !["SK501", "SK502", "SK503"].contains(c)),
        "{workflow:?}"
    );
}
