//! End-to-end tests in a real editor: headless Neovim (0.7 or newer) with the
//! `editors/nvim` plugin, against the real `skill-lsp` binary, on a broken
//! copy of a corpus skill in a temporary workspace holding the corpus
//! `interfaces/` and `context/`.
//!
//! Each test runs `nvim --headless -u NONE -c "luafile tests/nvim/lsp_check.lua"`
//! for one capability; the script writes what it saw as JSON, asserted here.
//! Neovim comes from the system packages (`scripts/install-test-deps.sh`);
//! `SKILL_LSP_NVIM` names another `nvim` binary to run the same tests with:
//! `scripts/test-editors.sh` runs them on Debian's 0.7.2 and on real 0.11 and
//! 0.12 builds. `SKILL_LSP_SHIM` makes the script install
//! `tests/nvim/api_shims.lua`: at "0.9", test stand-ins for the 0.8-0.10 API
//! (no registry here ships those Neovims); at "0.11", stand-ins on a Neovim
//! older than 0.11 and a recorder of the real API on 0.11 and newer.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one Neovim run may take before it is killed.
const RUN_LIMIT: Duration = Duration::from_secs(40);

/// The corpus skill the tests break: small, clean, and it calls both
/// `memoryStore` and `contextProvider`.
const SKILL: &str = "typescript";
/// The damage, as the corpus's bulk edit did to other skills: a context call
/// to a method the interface does not define (SK201) ...
const GOOD_CALL: &str = "contextProvider.getDomainIndex(\"engineering\")";
const BROKEN_CALL: &str = "contextProvider.getIndex(\"engineering\")";
/// ... and a `name` that differs from the skill's folder (SK006).
const GOOD_NAME: &str = "name: typescript\n";
const BROKEN_NAME: &str = "name: type-script\n";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_skill-lsp")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn forge() -> PathBuf {
    test_corpus::require(&["forge/forge-plugin/skills"]).join("forge/forge-plugin")
}

/// A skills root in a temporary folder: the corpus interfaces and context,
/// a README (Markdown that is no skill) and the broken skill. Removed on drop.
struct Workspace {
    root: PathBuf,
    skill: PathBuf,
}

impl Workspace {
    fn new(check: &str) -> Workspace {
        let root = test_corpus::scratch_dir(&format!("skill-lsp-nvim-{check}"))
            .canonicalize()
            .unwrap();
        copy_dir(&forge().join("interfaces"), &root.join("interfaces"));
        copy_dir(&forge().join("context"), &root.join("context"));
        std::fs::write(
            root.join("README.md"),
            "# Skills\n\nNot a skill: no client attaches here.\n",
        )
        .unwrap();
        let original = std::fs::read_to_string(forge().join("skills").join(SKILL).join("SKILL.md")).unwrap();
        assert!(
            original.contains(GOOD_CALL),
            "the corpus skill {SKILL} no longer calls {GOOD_CALL}"
        );
        let skill = root.join("skills").join(SKILL).join("SKILL.md");
        std::fs::create_dir_all(skill.parent().unwrap()).unwrap();
        std::fs::write(
            &skill,
            original
                .replacen(GOOD_CALL, BROKEN_CALL, 1)
                .replacen(GOOD_NAME, BROKEN_NAME, 1),
        )
        .unwrap();
        Workspace { root, skill }
    }

    /// The zero-based line of the skill holding `needle`.
    fn skill_line(&self, needle: &str) -> usize {
        let text = std::fs::read_to_string(&self.skill).unwrap();
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line holds {needle}"))
    }

    /// Runs one check of `tests/nvim/lsp_check.lua` and returns its JSON
    /// result, failing with everything Neovim and the server said when the
    /// script reports an error.
    fn nvim(&self, check: &str, extra_env: &[(&str, &str)]) -> Value {
        let scratch = self.root.join(".nvim");
        std::fs::create_dir_all(&scratch).unwrap();
        let out = scratch.join("result.json");
        let stdout = std::fs::File::create(scratch.join("stdout")).unwrap();
        let stderr = std::fs::File::create(scratch.join("stderr")).unwrap();
        let script = repo().join("tests/nvim/lsp_check.lua");
        let nvim = nvim_binary();
        let mut cmd = Command::new(&nvim);
        cmd.args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
            .arg(format!("luafile {}", script.display()))
            .current_dir(&self.root)
            .env("SKILL_LSP_BIN", bin())
            .env("SKILL_LSP_PLUGIN", repo().join("editors/nvim"))
            .env("SKILL_LSP_FILE", &self.skill)
            .env("SKILL_LSP_CHECK", check)
            .env("SKILL_LSP_OUT", &out)
            // Neovim's own state (the LSP log, shada) stays in the scratch folder.
            .env("XDG_CONFIG_HOME", scratch.join("config"))
            .env("XDG_DATA_HOME", scratch.join("data"))
            .env("XDG_STATE_HOME", scratch.join("state"))
            .env("XDG_CACHE_HOME", scratch.join("cache"))
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {nvim:?} ({e}): install Neovim 0.7 or newer (scripts/install-test-deps.sh does)")
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > RUN_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let said = |name: &str| std::fs::read_to_string(scratch.join(name)).unwrap_or_default();
        let log = std::fs::read_to_string(scratch.join("cache/nvim/lsp.log"))
            .or_else(|_| std::fs::read_to_string(scratch.join("state/nvim/lsp.log")))
            .unwrap_or_default();
        let context = format!(
            "check `{check}`: status {status:?} after {:?}\nstdout:\n{}\nstderr:\n{}\nlsp.log:\n{log}",
            started.elapsed(),
            said("stdout"),
            said("stderr"),
        );
        let text = std::fs::read_to_string(&out).unwrap_or_else(|_| panic!("Neovim wrote no result\n{context}"));
        let result: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("result is not JSON ({e}): {text}\n{context}"));
        assert_eq!(
            result["ok"],
            true,
            "{}\n{context}",
            result["error"].as_str().unwrap_or("no error message")
        );
        result
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The zero-based line of the Markdown heading (outside code blocks) that
/// holds `needle`.
fn heading_line(text: &str, needle: &str) -> Option<usize> {
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && trimmed.starts_with('#') && line.contains(needle) {
            return Some(i);
        }
    }
    None
}

/// The Neovim binary the tests run: `SKILL_LSP_NVIM`, else `nvim` on PATH.
fn nvim_binary() -> std::ffi::OsString {
    std::env::var_os("SKILL_LSP_NVIM").unwrap_or_else(|| "nvim".into())
}

/// The first line of `nvim --version` (`NVIM v0.11.4`) and the minor version.
fn nvim_version() -> (String, u32) {
    let out = Command::new(nvim_binary())
        .arg("--version")
        .output()
        .expect("install Neovim 0.7 or newer (scripts/install-test-deps.sh does)");
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default().to_string();
    let version = first
        .strip_prefix("NVIM v")
        .unwrap_or_else(|| panic!("not Neovim: {first}"));
    let minor = version.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap();
    (first, minor)
}

/// The API the plugin uses on the Neovim under test with no stand-ins.
fn native_api() -> &'static str {
    match nvim_version().1 {
        ..=7 => "vim.lsp.start_client",
        8..=10 => "vim.lsp.start",
        _ => "vim.lsp.enable",
    }
}

/// The API paths the plugin can take here: the native one, and those the
/// stand-ins give (0.8-0.10 always; 0.11+ only on an older Neovim, where
/// it is a stand-in). As (SKILL_LSP_SHIM level, API).
fn api_paths() -> Vec<(&'static str, &'static str)> {
    let mut paths = vec![("", native_api())];
    if native_api() != "vim.lsp.start" {
        paths.push(("0.9", "vim.lsp.start"));
    }
    if native_api() != "vim.lsp.enable" {
        paths.push(("0.11", "vim.lsp.enable"));
    }
    paths
}

/// The tests ran on the Neovim meant: 0.7 or newer, and the version
/// `SKILL_LSP_NVIM_VERSION` names when set (scripts/test-editors.sh sets it
/// for each Neovim it runs the tests on).
#[test]
fn the_neovim_under_test_is_the_one_asked_for() {
    let (first, minor) = nvim_version();
    assert!(first.starts_with("NVIM v0.") && minor >= 7, "{first}");
    if let Ok(expected) = std::env::var("SKILL_LSP_NVIM_VERSION") {
        assert!(
            first.starts_with(&format!("NVIM v{expected}")),
            "asked for {expected}, ran {first}"
        );
    }
    eprintln!("Neovim under test: {first}");
}

#[test]
fn plugin_attaches_to_skills_at_the_skills_root_and_nothing_else() {
    let ws = Workspace::new("attach");
    let r = ws.nvim("attach", &[]);
    assert_eq!(r["attached"], true, "{r}");
    assert_eq!(
        r["root_dir"].as_str().map(PathBuf::from),
        Some(ws.root.clone()),
        "root is the folder holding interfaces/: {r}"
    );
    assert_eq!(r["other_attached"], false, "README.md must not get the client: {r}");
    assert_eq!(
        r["clients_after_other"], 1,
        "opening README.md must start no client: {r}"
    );
}

#[test]
fn restart_command_starts_a_new_server() {
    let ws = Workspace::new("restart");
    let r = ws.nvim("restart", &[]);
    assert_ne!(r["before"], r["after"], "{r}");
    assert_eq!(r["old_stopped"], true, "{r}");
    assert!(strings(&r["codes"]).contains(&"SK006".to_string()), "{r}");
}

#[test]
fn checkhealth_finds_the_server() {
    let ws = Workspace::new("health");
    let r = ws.nvim("health", &[]);
    let lines = strings(&r["lines"]);
    let report = lines.join("\n");
    let version = format!("skill-lsp {}", env!("CARGO_PKG_VERSION"));
    assert!(
        lines.iter().any(|l| l.contains("OK") && l.contains(&version)),
        "no OK line with `{version}`:\n{report}"
    );
    assert!(
        lines.iter().any(|l| l.contains("OK") && l.contains("setup() called")),
        "{report}"
    );
    assert!(!lines.iter().any(|l| l.contains("ERROR")), "{report}");
    assert_no_deprecation(&r, &report);
}

/// Neovim names every deprecated call it sees (`vim.lsp.get_log_path()` from
/// 0.12 on) in its messages or in the report.
fn assert_no_deprecation(r: &Value, report: &str) {
    let said = r["said"].as_str().unwrap_or_default();
    assert!(
        !said.contains("deprecated") && !report.contains("deprecated"),
        "a deprecated call:\n{said}\n{report}"
    );
}

/// The diagnostics Neovim shows for the skill, as (code, line, column, end line, end column).
fn diagnostics(r: &Value) -> Vec<(String, u64, u64, u64, u64)> {
    let field = |d: &Value, k: &str| d[k].as_u64().unwrap_or(u64::MAX);
    r["diagnostics"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|d| {
                    let code = d["code"].as_str().unwrap_or("").to_string();
                    (
                        code,
                        field(d, "line"),
                        field(d, "col"),
                        field(d, "end_line"),
                        field(d, "end_col"),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn diagnostics_of_a_broken_skill_appear_and_match_the_command_line() {
    let ws = Workspace::new("diagnostics");
    let r = ws.nvim("diagnostics", &[]);
    let shown = diagnostics(&r);
    let name_line = ws.skill_line(BROKEN_NAME.trim_end()) as u64;
    let sk006 = shown
        .iter()
        .find(|d| d.0 == "SK006")
        .unwrap_or_else(|| panic!("no SK006 in {shown:?}"));
    assert_eq!(
        (sk006.1, sk006.2, sk006.3, sk006.4),
        (name_line, 6, name_line, 17),
        "SK006 covers the name value: {r}"
    );

    // The editor shows exactly what `skill-lsp check` reports for the file.
    let out = Command::new(bin())
        .args(["check", "--format", "json"])
        .arg(&ws.skill)
        .current_dir(&ws.root)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("check --format json: {e}"));
    // The command line counts columns in UTF-16 units, Neovim in bytes.
    let text = std::fs::read_to_string(&ws.skill).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let byte_col = |line: u64, utf16: u64| -> u64 {
        let text = lines.get(line as usize).copied().unwrap_or("");
        let mut units = 0u64;
        for (i, c) in text.char_indices() {
            if units >= utf16 {
                return i as u64;
            }
            units += c.len_utf16() as u64;
        }
        text.len() as u64
    };
    let mut from_cli: Vec<(String, u64, u64, u64, u64)> = cli["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let at = |p: &str, k: &str| d["range"][p][k].as_u64().unwrap();
            let code = d["code"].as_str().unwrap().to_string();
            let (start, end) = (at("start", "line"), at("end", "line"));
            (
                code,
                start,
                byte_col(start, at("start", "character")),
                end,
                byte_col(end, at("end", "character")),
            )
        })
        .collect();
    let mut in_editor = shown.clone();
    from_cli.sort();
    in_editor.sort();
    assert_eq!(in_editor, from_cli, "Neovim and `skill-lsp check` disagree");
}

#[test]
fn files_matched_by_patterns_are_checked_as_skills() {
    let ws = Workspace::new("patterns");
    let draft = ws.root.join("drafts/typescript.md");
    std::fs::create_dir_all(draft.parent().unwrap()).unwrap();
    std::fs::copy(&ws.skill, &draft).unwrap();
    let r = ws.nvim(
        "diagnostics",
        &[
            ("SKILL_LSP_FILE", draft.to_str().unwrap()),
            ("SKILL_LSP_PATTERNS", "*/drafts/*.md"),
        ],
    );
    let shown = diagnostics(&r);
    // Sent as language `skill`, the draft is checked like any SKILL.md; its
    // name differs from its folder's.
    assert!(
        shown.iter().any(|d| d.0 == "SK006"),
        "no SK006 for the draft: {shown:?}"
    );
}

#[test]
fn unknown_method_is_reported_on_the_call() {
    let ws = Workspace::new("unknown-method");
    let r = ws.nvim("diagnostics", &[]);
    let shown = diagnostics(&r);
    let line = ws.skill_line(BROKEN_CALL) as u64;
    let sk201 = shown
        .iter()
        .find(|d| d.0 == "SK201")
        .unwrap_or_else(|| panic!("no SK201 in {shown:?}"));
    let text = std::fs::read_to_string(&ws.skill).unwrap();
    let line_text = text.lines().nth(line as usize).unwrap();
    let from = line_text.get(sk201.2 as usize..).unwrap_or("");
    assert_eq!(sk201.1, line, "SK201 belongs on the getIndex call: {sk201:?}");
    assert!(
        from.starts_with("getIndex") || from.starts_with("contextProvider.getIndex"),
        "SK201 starts at byte {} of {line_text:?}",
        sk201.2
    );
}

#[test]
fn completion_after_memory_store_lists_its_methods() {
    let ws = Workspace::new("completion");
    let r = ws.nvim("completion", &[]);
    let labels = strings(&r["labels"]);
    assert!(
        labels.iter().any(|l| l.starts_with("getSkillMemory")),
        "no getSkillMemory in {labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.starts_with("update")),
        "no update in {labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l.starts_with("getDomainIndex")),
        "contextProvider methods offered on memoryStore: {labels:?}"
    );
}

#[test]
fn code_action_sets_the_name_to_the_folder() {
    let ws = Workspace::new("code-action-name");
    let r = ws.nvim("code_action", &[("SKILL_LSP_CODE", "SK006")]);
    assert_eq!(
        r["changed"], true,
        "applying `{}` left the buffer as it was: {r}",
        r["applied"]
    );
    assert_eq!(r["line_before"], BROKEN_NAME.trim_end(), "{r}");
    assert_eq!(r["line_after"], GOOD_NAME.trim_end(), "{r}");
    assert!(!strings(&r["codes_after"]).contains(&"SK006".to_string()), "{r}");
}

#[test]
fn code_action_fixes_the_unknown_method() {
    let ws = Workspace::new("code-action-method");
    let r = ws.nvim("code_action", &[("SKILL_LSP_CODE", "SK201")]);
    assert_eq!(
        r["changed"], true,
        "applying `{}` left the buffer as it was: {r}",
        r["applied"]
    );
    let after = r["line_after"].as_str().unwrap_or("");
    assert!(
        !after.contains("contextProvider.getIndex("),
        "still broken after the fix: {after:?}"
    );
    assert!(
        after.contains(GOOD_CALL),
        "the fix should restore {GOOD_CALL}: {after:?}"
    );
    assert!(!strings(&r["codes_after"]).contains(&"SK201".to_string()), "{r}");
}

#[test]
fn definition_opens_the_interface_document_at_the_method() {
    let ws = Workspace::new("definition");
    let r = ws.nvim("definition", &[]);
    let file = PathBuf::from(r["file"].as_str().unwrap_or(""));
    let expected_file = ws.root.join("interfaces/memory_store.md");
    assert_eq!(file.canonicalize().ok(), expected_file.canonicalize().ok(), "{r}");
    let doc = std::fs::read_to_string(&expected_file).unwrap();
    let heading = heading_line(&doc, "getSkillMemory(").expect("memory_store.md has a getSkillMemory heading");
    assert_eq!(
        r["line"],
        heading,
        "cursor on {:?}, expected the heading {:?}",
        r["text"],
        doc.lines().nth(heading)
    );
}

/// Each feature through Neovim's own function where the Neovim under test
/// has one: formatting (`vim.lsp.buf.format`, 0.7's `formatting_sync`),
/// document highlight, semantic tokens (0.9+), inlay hints (0.10+),
/// selection range (0.12+); a raw request where it has none.
#[test]
fn formatting_and_the_newer_requests_reach_the_server() {
    let ws = Workspace::new("features");
    let minor = nvim_version().1;
    // A checklist item in another form: formatting writes it `- [ ]`.
    let text = std::fs::read_to_string(&ws.skill).unwrap();
    std::fs::write(&ws.skill, text.replacen("- [ ] Step 1 ", "* [ ] Step 1 ", 1)).unwrap();
    let r = ws.nvim("features", &[]);
    let via = |feature: &str| r["via"][feature].as_str().unwrap_or("").to_string();
    assert_eq!(r["format_changed_lines"], 1, "{r}");
    assert!(
        r["formatted_line"].as_str().unwrap_or("").starts_with("- [ ] Step 1 "),
        "{r}"
    );
    assert_eq!(
        via("formatting"),
        if minor >= 8 {
            "vim.lsp.buf.format"
        } else {
            "vim.lsp.buf.formatting_sync"
        }
    );
    // Every use of the method, drawn in the references namespace.
    let uses = text.matches("memoryStore.getSkillMemory").count() as u64;
    assert_eq!(r["highlights"], uses, "{r}");
    assert_eq!(r["highlighted"], "memoryStore.getSkillMemory", "{r}");
    if minor >= 9 {
        assert_eq!(via("semantic_tokens"), "vim.lsp.semantic_tokens");
        assert!(
            strings(&r["token_types_at_receiver"]).contains(&"namespace".to_string()),
            "memoryStore is drawn as a namespace: {r}"
        );
    } else {
        assert!(r["semantic_tokens"].as_u64().unwrap_or(0) > 10, "{r}");
    }
    assert_eq!(
        via("inlay_hints"),
        if minor >= 10 { "vim.lsp.inlay_hint" } else { "request" }
    );
    assert!(strings(&r["inlay_labels"]).contains(&"6 steps".to_string()), "{r}");
    assert!(strings(&r["inlay_labels"]).contains(&"skillName:".to_string()), "{r}");
    if minor >= 12 {
        assert_eq!(
            strings(&r["selections"]),
            [
                "\"typescript\"",
                "memoryStore.getSkillMemory(\"typescript\", \"{project-name}\")"
            ],
            "{r}"
        );
    }
    assert!(r["selection_depth"].as_u64().unwrap_or(0) >= 4, "{r}");
    assert_eq!(r["hierarchy"], "type-script", "the skill's own name: {r}");
}

/// Code lenses drawn by `vim.lsp.codelens`; "fix all" run from the title's
/// lens applies the server's edit, the same as `skill-lsp check --fix`.
#[test]
fn code_lenses_are_drawn_and_fix_all_runs() {
    let ws = Workspace::new("codelens");
    let r = ws.nvim("codelens", &[]);
    let lenses = r["lenses"].as_array().cloned().unwrap_or_default();
    let on = |line: &str| -> Vec<String> {
        lenses
            .iter()
            .filter(|l| l["line"].as_str().is_some_and(|t| t.starts_with(line)))
            .filter_map(|l| l["title"].as_str().map(String::from))
            .collect()
    };
    let title = on("# Skill: typescript");
    assert!(title.contains(&"fix all".to_string()), "{r}");
    assert!(title.iter().any(|t| t.contains("error")), "{r}");
    assert_eq!(on("## Mandatory Workflow"), ["6 steps, checklist complete"], "{r}");
    // The buffer after "fix all" is what `skill-lsp check --fix` writes.
    let out = Command::new(bin())
        .args(["check", "--fix", "--format", "json"])
        .arg(&ws.skill)
        .current_dir(&ws.root)
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "{out:?}");
    let fixed = std::fs::read_to_string(&ws.skill).unwrap();
    assert_eq!(r["text_after"].as_str().unwrap_or(""), fixed, "{r}");
}

/// The plugin attaches to an interface document (as Markdown, to the skills
/// root's client), `vim.lsp.codelens` draws "used by N skills" above its
/// methods, and running one lists the skill's calls in the quickfix list;
/// the server checks nothing there.
#[test]
fn interface_documents_attach_and_show_how_many_skills_use_each_method() {
    let mut ws = Workspace::new("interface-lens");
    // A second skill calling the method, so the count is not one by chance.
    let other = ws.root.join("skills/other/SKILL.md");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::write(
        &other,
        "---\nname: other\ndescription: Loads memory.\n---\n# Other\n\nLoad `memoryStore.getSkillMemory(\"other\", \"{project-name}\")`.\n",
    )
    .unwrap();
    let skill = std::mem::replace(&mut ws.skill, ws.root.join("interfaces/memory_store.md"));
    let r = ws.nvim("interface_lens", &[("SKILL_LSP_METHOD", "getSkillMemory")]);
    ws.skill = skill;
    assert_eq!(r["filetype"], "markdown", "{r}");
    assert_eq!(r["root_dir"].as_str().map(PathBuf::from), Some(ws.root.clone()), "{r}");
    let lenses = r["lenses"].as_array().cloned().unwrap_or_default();
    let title_on = |needle: &str| {
        lenses
            .iter()
            .find(|l| l["line"].as_str().is_some_and(|t| t.contains(needle)))
            .and_then(|l| l["title"].as_str())
            .unwrap_or_else(|| panic!("no lens on {needle}: {r}"))
            .to_string()
    };
    assert_eq!(title_on("`getSkillMemory("), "used by 2 skills", "{r}");
    assert_eq!(title_on("`getByProject("), "used by 1 skill", "{r}");
    assert!(
        lenses
            .iter()
            .all(|l| l["title"].as_str().is_some_and(|t| t.starts_with("used by "))),
        "{r}"
    );
    // The lens's uses: one call in each skill, at the lines that make them.
    let mut uses: Vec<(String, u64)> = r["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["file"].as_str().unwrap().to_string(), u["line"].as_u64().unwrap()))
        .collect();
    uses.sort();
    let mut expected = vec![
        (other.display().to_string(), 6),
        (
            ws.skill.display().to_string(),
            ws.skill_line("memoryStore.getSkillMemory(") as u64,
        ),
    ];
    expected.sort();
    assert_eq!(uses, expected, "{r}");
    assert_eq!(r["uses_title"], "used by 2 skills", "{r}");
    assert_eq!(
        r["diagnostics"], 0,
        "an interface document is not checked as a skill: {r}"
    );
    assert_eq!(r["publishes"], 0, "{r}");
}

// The plugin's branches for newer Neovims, run on the Neovim at hand through
// tests/nvim/api_shims.lua: test stand-ins for `vim.lsp.start` (0.8-0.10) and
// `vim.lsp.config`/`vim.lsp.enable` (0.11+), built from the 0.7 API and
// recording what the plugin passes them. The server is the real one.

/// The settings every check's setup() passes, as the server receives them.
fn setup_settings() -> Value {
    serde_json::json!({ "skillLsp": { "workflow": { "steps": 6 } } })
}

/// A second skill under the same skills root as the broken one.
fn second_skill(ws: &Workspace) -> PathBuf {
    let second = ws.root.join("skills/second/SKILL.md");
    std::fs::create_dir_all(second.parent().unwrap()).unwrap();
    std::fs::copy(&ws.skill, &second).unwrap();
    second
}

fn assert_sk006_on_the_name(ws: &Workspace, r: &Value) {
    let name_line = ws.skill_line(BROKEN_NAME.trim_end()) as u64;
    let shown = diagnostics(r);
    assert!(
        shown.iter().any(|d| d.0 == "SK006" && d.1 == name_line),
        "no SK006 on line {name_line} in {shown:?}"
    );
}

/// One client for both skills, none for README.md, and what the plugin
/// passed to `vim.lsp.start`.
fn assert_one_client_per_root(ws: &Workspace, r: &Value) -> Value {
    assert_eq!(r["first"].as_array().map(Vec::len), Some(1), "{r}");
    assert_eq!(
        r["second"], r["first"],
        "two skills under one root share one client: {r}"
    );
    assert_eq!(r["second_buffer"], true, "{r}");
    assert_eq!(r["readme"], serde_json::json!([]), "README.md gets no client: {r}");
    assert_eq!(r["starts_for_readme"], 0, "README.md must not reach vim.lsp.start: {r}");
    assert_eq!(r["started"], 1, "one server process for the root: {r}");
    assert_eq!(r["clients"], 1, "{r}");
    let starts = r["starts"].as_array().cloned().unwrap_or_default();
    assert_eq!(starts.len(), 2, "one vim.lsp.start per skill buffer: {r}");
    for start in &starts {
        assert_eq!(start["name"], "skill_lsp", "{start}");
        assert_eq!(
            start["root_dir"].as_str().map(PathBuf::from),
            Some(ws.root.clone()),
            "{start}"
        );
    }
    starts[0].clone()
}

fn functions(config: &Value) -> Vec<String> {
    strings(&config["functions"])
}

#[test]
fn start_path_of_neovim_0_8_to_0_10_shows_the_servers_diagnostics() {
    let ws = Workspace::new("start-diagnostics");
    let r = ws.nvim("diagnostics", &[("SKILL_LSP_SHIM", "0.9")]);
    assert_eq!(r["api"], "vim.lsp.start", "{r}");
    assert_sk006_on_the_name(&ws, &r);
}

#[test]
fn start_path_shares_one_client_per_root_and_forwards_the_config() {
    let ws = Workspace::new("start-clients");
    let second = second_skill(&ws);
    let r = ws.nvim(
        "clients",
        &[
            ("SKILL_LSP_SHIM", "0.9"),
            ("SKILL_LSP_SECOND", second.to_str().unwrap()),
        ],
    );
    assert_eq!(r["api"], "vim.lsp.start", "{r}");
    let config = assert_one_client_per_root(&ws, &r);
    assert_eq!(config["cmd"], serde_json::json!([bin()]), "{config}");
    assert_eq!(config["settings"], setup_settings(), "{config}");
    assert_eq!(config["init_options"], setup_settings()["skillLsp"], "{config}");
    let callbacks = functions(&config);
    for wanted in ["get_language_id", "on_exit", "on_init"] {
        assert!(callbacks.iter().any(|f| f == wanted), "no {wanted} in {config}");
    }
}

#[test]
fn start_path_restart_starts_a_new_server() {
    let ws = Workspace::new("start-restart");
    let r = ws.nvim("restart", &[("SKILL_LSP_SHIM", "0.9")]);
    assert_eq!(r["api"], "vim.lsp.start", "{r}");
    assert_ne!(r["before"], r["after"], "{r}");
    assert_eq!(r["old_stopped"], true, "{r}");
    assert!(strings(&r["codes"]).contains(&"SK006".to_string()), "{r}");
}

#[test]
fn enable_path_of_neovim_0_11_registers_a_config_that_roots_only_skills() {
    let ws = Workspace::new("enable-config");
    let r = ws.nvim("native_config", &[("SKILL_LSP_SHIM", "0.11")]);
    assert_eq!(r["api"], "vim.lsp.enable", "{r}");
    assert_eq!(r["registered"], serde_json::json!(["skill_lsp"]), "{r}");
    assert_eq!(r["enabled"], serde_json::json!(["skill_lsp"]), "{r}");
    let root = serde_json::json!([ws.root.to_str().unwrap()]);
    let none = serde_json::json!([]);

    let config = &r["config"];
    assert_eq!(config["cmd"], serde_json::json!([bin()]), "{config}");
    assert_eq!(config["filetypes"], serde_json::json!(["markdown"]), "{config}");
    assert_eq!(config["settings"], setup_settings(), "{config}");
    assert_eq!(config["init_options"], setup_settings()["skillLsp"], "{config}");
    assert!(config.get("name").is_none(), "vim.lsp.config names it: {config}");
    assert!(functions(config).contains(&"root_dir".to_string()), "{config}");
    assert_eq!(r["skill_roots"], root, "root_dir gives SKILL.md the skills root: {r}");
    assert_eq!(
        r["readme_roots"], none,
        "root_dir never calls on_dir for README.md: {r}"
    );

    // lsp/skill_lsp.lua, which `vim.lsp.enable("skill_lsp")` loads without setup().
    let file = &r["file_config"];
    assert_eq!(file["cmd"], serde_json::json!(["skill-lsp"]), "{file}");
    assert_eq!(file["filetypes"], serde_json::json!(["markdown"]), "{file}");
    assert_eq!(file["settings"], serde_json::json!({ "skillLsp": {} }), "{file}");
    assert_eq!(file["init_options"], serde_json::json!({}), "{file}");
    // The callbacks of the plugin's own; on_exit was setup()'s.
    assert_eq!(functions(file), ["get_language_id", "on_init", "root_dir"], "{file}");
    assert_eq!(r["file_skill_roots"], root, "{r}");
    assert_eq!(r["file_readme_roots"], none, "{r}");
}

#[test]
fn enable_path_shows_the_servers_diagnostics() {
    let ws = Workspace::new("enable-diagnostics");
    let r = ws.nvim("diagnostics", &[("SKILL_LSP_SHIM", "0.11")]);
    assert_eq!(r["api"], "vim.lsp.enable", "{r}");
    assert_sk006_on_the_name(&ws, &r);
}

#[test]
fn enable_path_shares_one_client_per_root() {
    let ws = Workspace::new("enable-clients");
    let second = second_skill(&ws);
    let r = ws.nvim(
        "clients",
        &[
            ("SKILL_LSP_SHIM", "0.11"),
            ("SKILL_LSP_SECOND", second.to_str().unwrap()),
        ],
    );
    assert_eq!(r["api"], "vim.lsp.enable", "{r}");
    let config = assert_one_client_per_root(&ws, &r);
    assert_eq!(config["cmd"], serde_json::json!([bin()]), "{config}");
    assert_eq!(config["settings"], setup_settings(), "{config}");
}

#[test]
fn enable_path_restart_starts_a_new_server() {
    let ws = Workspace::new("enable-restart");
    let r = ws.nvim("restart", &[("SKILL_LSP_SHIM", "0.11")]);
    assert_eq!(r["api"], "vim.lsp.enable", "{r}");
    assert_ne!(r["before"], r["after"], "{r}");
    assert_eq!(r["old_stopped"], true, "{r}");
    assert!(strings(&r["codes"]).contains(&"SK006".to_string()), "{r}");
}

#[test]
fn enable_without_setup_runs_the_server_from_path_with_the_defaults() {
    let ws = Workspace::new("enable-no-setup");
    let r = ws.nvim(
        "diagnostics",
        &[
            ("SKILL_LSP_SHIM", "0.11"),
            ("SKILL_LSP_NO_SETUP", "1"),
            ("PATH", &path_with_server()),
        ],
    );
    assert_sk006_on_the_name(&ws, &r);
}

/// The PATH with the built server's folder first, as a user who installed
/// skill-lsp has it.
fn path_with_server() -> String {
    let bin_dir = Path::new(bin()).parent().unwrap().to_path_buf();
    let mut dirs = vec![bin_dir];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap().into_string().unwrap()
}

/// `vim.lsp.enable("skill_lsp")` with no setup(): `:checkhealth skill_lsp`
/// says how the server is enabled and goes on to the server and the client.
#[test]
fn checkhealth_after_enable_without_setup_reports_the_server_and_client() {
    let ws = Workspace::new("health-no-setup");
    let r = ws.nvim(
        "health",
        &[
            ("SKILL_LSP_SHIM", "0.11"),
            ("SKILL_LSP_NO_SETUP", "1"),
            ("PATH", &path_with_server()),
        ],
    );
    let lines = strings(&r["lines"]);
    let report = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("OK") && l.contains("vim.lsp.enable('skill_lsp')")),
        "{report}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("setup() has not been called")),
        "{report}"
    );
    let version = format!("skill-lsp {}", env!("CARGO_PKG_VERSION"));
    assert!(
        lines.iter().any(|l| l.contains("OK") && l.contains(&version)),
        "no OK line with `{version}`:\n{report}"
    );
    let running = format!("running for {}", ws.root.display());
    assert!(
        lines.iter().any(|l| l.contains("OK") && l.contains(&running)),
        "no `{running}`:\n{report}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("ERROR") || l.contains("WARN")),
        "{report}"
    );
    assert_no_deprecation(&r, &report);
}

/// :SkillLspRestart before the server has answered `initialize` stops that
/// server and starts a new one, on each API path.
#[test]
fn restart_while_the_server_starts_replaces_it_on_every_api_path() {
    for (level, api) in api_paths() {
        let ws = Workspace::new(&format!("early-restart{level}"));
        let r = ws.nvim("early_restart", &[("SKILL_LSP_SHIM", level)]);
        assert_eq!(r["api"], api, "{r}");
        assert_eq!(r["starting"], 1, "the starting client is listed ({api}): {r}");
        // The real vim.lsp.enable (0.11+) starts the client a turn of the
        // event loop after FileType, and the server may have answered by the
        // time the script sees it: there, the restart may come after
        // `initialize`. Everywhere else it comes before.
        if !(level.is_empty() && api == "vim.lsp.enable") {
            assert_eq!(r["starting_initialized"], false, "{r}");
        }
        assert_ne!(r["before"], r["after"], "{api}: {r}");
        assert_eq!(r["old_stopped"], true, "{api}: {r}");
        assert!(strings(&r["codes"]).contains(&"SK006".to_string()), "{api}: {r}");
    }
}

/// `:checkhealth skill_lsp` names the API in use and lists the client, on
/// each API path, even while the server is still starting.
#[test]
fn checkhealth_lists_the_starting_client_on_every_api_path() {
    for (level, api) in api_paths() {
        let ws = Workspace::new(&format!("health-api{level}"));
        let r = ws.nvim("health", &[("SKILL_LSP_SHIM", level)]);
        let lines = strings(&r["lines"]);
        let report = lines.join("\n");
        assert!(
            lines.iter().any(|l| l.contains(&format!("Neovim API in use: {api}"))),
            "{api}:\n{report}"
        );
        let running = format!("running for {}", ws.root.display());
        assert!(
            lines.iter().any(|l| l.contains("OK") && l.contains(&running)),
            "no `{running}` ({api}):\n{report}"
        );
        assert!(!lines.iter().any(|l| l.contains("ERROR")), "{api}:\n{report}");
    }
}

/// Files matched by `patterns` are checked as skills on the 0.8-0.10 and
/// 0.11+ paths too (on 0.11+ through the registered `root_dir`).
#[test]
fn patterns_attach_on_the_newer_api_paths() {
    for level in ["0.9", "0.11"] {
        let ws = Workspace::new(&format!("patterns{level}"));
        let draft = ws.root.join("drafts/typescript.md");
        std::fs::create_dir_all(draft.parent().unwrap()).unwrap();
        std::fs::copy(&ws.skill, &draft).unwrap();
        let r = ws.nvim(
            "diagnostics",
            &[
                ("SKILL_LSP_SHIM", level),
                ("SKILL_LSP_FILE", draft.to_str().unwrap()),
                ("SKILL_LSP_PATTERNS", "*/drafts/*.md"),
            ],
        );
        let shown = diagnostics(&r);
        assert!(
            shown.iter().any(|d| d.0 == "SK006"),
            "no SK006 for the draft at {level}: {shown:?}"
        );
    }
}
