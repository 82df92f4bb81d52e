//! End-to-end tests of authoring assistance — completion, signature help and
//! hover — over the real `skill-lsp` binary's stdio (see `common/mod.rs`).
//!
//! Each test builds a skills root in a temporary folder from the corpus of
//! real skills: the interface documents, context and template of `forge/`,
//! and the 102 clean skills of `forge-clean/`. Three skills cover the three
//! step-heading styles: `typescript` (`### Step N:`, positional calls), `sql`
//! (`### ⚠️ STEP N: ... (REQUIRED)`, a keyword `memoryStore.update`) and
//! `firebase-storage` (`#### **Step N:**`, keyword calls). The client speaks
//! UTF-16 and supports snippets; positions on lines holding emoji are
//! computed independently of the server.

mod common;

use std::path::PathBuf;

use common::{file_uri, range, utf16_position, Server, TempDir};
use serde_json::{json, Value};

/// The corpus folder holding `forge/` and `forge-clean/` (see
/// [`common::corpus_holding`]). These tests exist to run on real skills: its
/// absence fails them.
fn corpus() -> PathBuf {
    common::corpus_holding(&["forge/forge-plugin/context", "forge-clean/forge-plugin/skills"])
        .unwrap_or_else(|| panic!("the corpus of real skills is not at hand: set SKILL_LSP_CORPUS"))
}

/// A skills root: `forge/`'s interfaces, context and template, `forge-clean/`'s skills.
fn workspace(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    let forge = corpus().join("forge/forge-plugin");
    common::copy_dir(&forge.join("interfaces"), &dir.join("interfaces"));
    common::copy_dir(&forge.join("context"), &dir.join("context"));
    std::fs::create_dir_all(dir.join("skills")).unwrap();
    std::fs::copy(
        forge.join("skills/SKILL_TEMPLATE.md"),
        dir.join("skills/SKILL_TEMPLATE.md"),
    )
    .unwrap();
    let clean = corpus().join("forge-clean/forge-plugin/skills");
    for entry in std::fs::read_dir(&clean).unwrap().flatten() {
        let skill = entry.path().join("SKILL.md");
        if skill.is_file() {
            let to = dir.join("skills").join(entry.file_name()).join("SKILL.md");
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&skill, &to).unwrap();
        }
    }
    dir
}

/// The skill's text as copied into the workspace.
fn skill_text(ws: &TempDir, skill: &str) -> String {
    std::fs::read_to_string(ws.join(&format!("skills/{skill}/SKILL.md"))).unwrap()
}

/// A server for `ws`, initialized as a UTF-16 client with snippet support.
fn start(ws: &TempDir) -> Server {
    let mut server = Server::spawn();
    server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&ws.path),
        "workspaceFolders": [{"uri": file_uri(&ws.path), "name": "ws"}],
        "capabilities": {
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true, "labelDetailsSupport": true}}}
        }
    }));
    server
}

/// Opens `text` as the skill `skill` of `ws`; its URI.
fn open(server: &Server, ws: &TempDir, skill: &str, text: &str) -> String {
    let uri = file_uri(&ws.join(&format!("skills/{skill}/SKILL.md")));
    server.open(&uri, 1, text);
    uri
}

/// A workspace `name` with a server started on it, and its skill `skill`
/// opened with the text `edit` makes of it: (workspace, server, text, URI).
fn start_with(name: &str, skill: &str, edit: impl FnOnce(&str) -> String) -> (TempDir, Server, String, String) {
    let ws = workspace(name);
    let server = start(&ws);
    let text = edit(&skill_text(&ws, skill));
    let uri = open(&server, &ws, skill, &text);
    (ws, server, text, uri)
}

/// `text` with `line` inserted after the first line holding `needle`.
fn insert_after_line(text: &str, needle: &str, line: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    format!("{}{line}\n{}", &text[..end], &text[end..])
}

/// Replaces the first `from`, which must be there.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

/// The UTF-16 position just after the first `needle` (its end).
fn after(text: &str, needle: &str) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    utf16_position(text, at + needle.len())
}

/// The UTF-16 position `k` bytes into the first `needle`.
fn inside(text: &str, needle: &str, k: usize) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    utf16_position(text, at + k)
}

fn position(p: (u32, u32)) -> Value {
    json!({"line": p.0, "character": p.1})
}

fn params(uri: &str, p: (u32, u32)) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(p)})
}

/// The completion items at `p`.
fn complete(server: &mut Server, uri: &str, p: (u32, u32)) -> Vec<Value> {
    let result = server.request("textDocument/completion", params(uri, p));
    match result {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        other => other["items"].as_array().cloned().unwrap_or_default(),
    }
}

fn labels(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

/// The first item labelled `label`.
fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no item {label:?} in {:?}", labels(items)))
}

/// The text each item labelled `label` inserts.
fn inserts<'a>(items: &'a [Value], label: &str) -> Vec<&'a str> {
    items
        .iter()
        .filter(|i| i["label"] == label)
        .filter_map(|i| i["textEdit"]["newText"].as_str())
        .collect()
}

fn docs(item: &Value) -> String {
    item["documentation"]["value"].as_str().unwrap_or_default().to_string()
}

#[test]
fn methods_after_each_receiver_come_filled_in_with_the_skills_name_domain_and_project() {
    let line = "- Then `memoryStore.` and `contextProvider.` and `skillInvoker.`";
    let (_ws, mut server, text, uri) = start_with("methods", "typescript", |t| {
        insert_after_line(t, "### Step 2: Load Memory", line)
    });

    let items = complete(&mut server, &uri, after(&text, "`memoryStore."));
    let get = item(&items, "getSkillMemory");
    assert_eq!(get["kind"], 2, "a method");
    assert_eq!(get["insertTextFormat"], 2, "a snippet");
    assert_eq!(
        get["textEdit"]["newText"],
        "getSkillMemory(\"${1:typescript}\", \"${2:{project-name\\}}\")$0"
    );
    let p = after(&text, "`memoryStore.");
    assert_eq!(get["textEdit"]["range"], range(p, p));
    assert_eq!(get["detail"], "getSkillMemory(skillName, projectName) → MemoryEntry[]");
    assert!(docs(get).contains("interfaces/memory_store.md"), "{}", docs(get));
    let names = labels(&items);
    assert!(
        names.contains(&"update".to_string()) && !names.contains(&"getDomainIndex".to_string()),
        "{names:?}"
    );
    // Both accepted forms of update, the template's with the skill's name.
    let updates = inserts(&items, "update");
    assert!(
        updates.contains(&"update(\"${1:typescript}\", \"${2:{project-name\\}}\", \"${3:fileType}\", ${4:content})$0"),
        "{updates:?}"
    );

    // The forms of update share a label: the list tells them apart by their
    // parameters, shown beside the label.
    let forms: Vec<&Value> = items.iter().filter(|i| i["label"] == "update").collect();
    assert!(forms.len() >= 2, "{forms:?}");
    let shown: Vec<String> = forms.iter().map(|i| i["labelDetails"]["detail"].to_string()).collect();
    let mut distinct = shown.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        shown.len(),
        "every form of update reads differently: {shown:?}"
    );
    assert!(shown.iter().all(|d| d.starts_with("\"(")), "{shown:?}");
    assert_eq!(get["labelDetails"]["detail"], "(skillName, projectName)");
    assert_eq!(get["labelDetails"]["description"], "MemoryEntry[]");

    let items = complete(&mut server, &uri, after(&text, "`contextProvider."));
    assert_eq!(
        item(&items, "getDomainIndex")["textEdit"]["newText"],
        "getDomainIndex(\"${1:engineering}\")$0",
        "the skill's primary_domain"
    );
    assert!(!labels(&items).contains(&"getSkillMemory".to_string()));

    let items = complete(&mut server, &uri, after(&text, "`skillInvoker."));
    let invoke = item(&items, "invoke");
    assert_eq!(
        invoke["textEdit"]["newText"],
        "invoke(\"${1:{skill-name\\}}\", ${2:params})$0"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_ranges_are_utf16_on_lines_with_emoji_and_plain_text_without_snippets() {
    let ws = workspace("emoji");
    let mut server = Server::spawn();
    // A client without snippet support gets plain calls.
    server.initialize_for(&ws.path);
    let line = "   - ⚠️ 🚀 Then `memoryStore.getSk`";
    let text = insert_after_line(
        &skill_text(&ws, "sql"),
        "### ⚠️ STEP 2: Load Project Memory & Context (REQUIRED)",
        line,
    );
    let uri = open(&server, &ws, "sql", &text);
    let end = after(&text, "🚀 Then `memoryStore.getSk");
    let items = complete(&mut server, &uri, end);
    let get = item(&items, "getSkillMemory");
    assert_eq!(get["insertTextFormat"], 1, "plain text");
    assert_eq!(
        get["textEdit"]["newText"],
        "getSkillMemory(\"sql\", \"{project-name}\")"
    );
    // `getSk` starts after `⚠️` (two units) and `🚀` (two units).
    let start = inside(&text, "getSk`\n", 0);
    assert_eq!(get["textEdit"]["range"], range(start, end));
    assert_eq!(start.1, "   - ⚠️ 🚀 Then `memoryStore.".encode_utf16().count() as u32);
    // sql writes its memory update with keywords: so does the completion.
    let updates = inserts(&items, "update");
    assert!(
        updates.contains(
            &"update(layer=\"skill-specific\", skill=\"sql\", project=\"{project-name}\", fileType=\"fileType\", content=content)"
        ),
        "{updates:?}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_receiver_being_typed_completes_to_the_receiver() {
    let (_ws, mut server, text, uri) = start_with("receiver", "typescript", |t| {
        insert_after_line(t, "### Step 3: Load Context", "- Use `mem` or `context`")
    });
    let items = complete(&mut server, &uri, inside(&text, "Use `mem` or", 8));
    let store = item(&items, "memoryStore");
    assert_eq!(store["kind"], 8, "an interface");
    assert_eq!(
        store["textEdit"]["range"],
        range(inside(&text, "mem` or", 0), inside(&text, "Use `mem` or", 8))
    );
    assert!(docs(store).contains("getSkillMemory"), "{}", docs(store));
    let items = complete(&mut server, &uri, after(&text, "or `context"));
    assert!(labels(&items).contains(&"contextProvider".to_string()));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn receivers_and_methods_complete_while_the_code_is_still_being_typed() {
    let (_ws, mut server, text, uri) = start_with("typing", "typescript", |t| {
        let t = insert_after_line(t, "### Step 3: Load Context", "- Use `mem");
        let t = insert_after_line(&t, "### Step 2: Load Memory", "- Then `memoryStore.");
        let t = insert_after_line(&t, "### Step 4: Perform Analysis", "```python\nresult = ski\n```");
        // A fence opened at the very end and not closed yet.
        format!("{t}\n```\ncontextProv")
    });
    // An unclosed backtick: the receiver being typed.
    let items = complete(&mut server, &uri, after(&text, "- Use `mem"));
    let store = item(&items, "memoryStore");
    assert_eq!(
        store["textEdit"]["range"],
        range(inside(&text, "- Use `mem", 7), after(&text, "- Use `mem"))
    );
    // After the receiver's dot, backtick still open: its methods, filled in.
    let items = complete(&mut server, &uri, after(&text, "- Then `memoryStore."));
    assert_eq!(
        inserts(&items, "getSkillMemory"),
        ["getSkillMemory(\"${1:typescript}\", \"${2:{project-name\\}}\")$0"]
    );
    // In a fenced block, closed or still open.
    let items = complete(&mut server, &uri, after(&text, "result = ski"));
    assert!(
        labels(&items).contains(&"skillInvoker".to_string()),
        "{:?}",
        labels(&items)
    );
    let items = complete(&mut server, &uri, after(&text, "```\ncontextProv"));
    assert!(
        labels(&items).contains(&"contextProvider".to_string()),
        "{:?}",
        labels(&items)
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn arguments_complete_domains_topics_skills_and_memory_files_in_both_call_styles() {
    let ws = workspace("arguments");
    let mut server = start(&ws);
    let lines = [
        "- `contextProvider.getDomainIndex(\"\")`",
        "- `contextProvider.getConditionalContext(\"python\", \"\")`",
        "- `skillInvoker.invoke(\"\", {})`",
        "- `memoryStore.update(\"typescript\", \"{project-name}\", \"\", ...)`",
    ];
    let mut text = skill_text(&ws, "typescript");
    for l in lines.iter().rev() {
        text = insert_after_line(&text, "### Step 4: Perform Analysis", l);
    }
    let uri = open(&server, &ws, "typescript", &text);

    let items = complete(&mut server, &uri, after(&text, "getDomainIndex(\""));
    let names = labels(&items);
    assert_eq!(
        names.first().map(String::as_str),
        Some("engineering"),
        "own domain first: {names:?}"
    );
    assert!(names.contains(&"python".to_string()) && names.contains(&"security".to_string()));
    assert_eq!(item(&items, "python")["kind"], 19, "a folder");

    let items = complete(&mut server, &uri, after(&text, "getConditionalContext(\"python\", \""));
    assert!(
        labels(&items).contains(&"fastapi_patterns".to_string()),
        "{:?}",
        labels(&items)
    );
    assert!(!labels(&items).contains(&"index".to_string()));

    let items = complete(&mut server, &uri, after(&text, "invoke(\""));
    let names = labels(&items);
    assert!(names.contains(&"sql".to_string()) && names.contains(&"firebase-storage".to_string()));
    assert!(
        !names.contains(&"typescript".to_string()),
        "a skill does not invoke itself"
    );
    assert!(!docs(item(&items, "sql")).is_empty() || item(&items, "sql")["detail"].is_string());

    let items = complete(&mut server, &uri, after(&text, "\"{project-name}\", \""));
    assert_eq!(
        labels(&items),
        [
            "project_overview.md",
            "tsconfig_profile.md",
            "type_patterns.md",
            "migration_notes.md"
        ]
    );

    // The keyword style: `skill=""` in sql's memory update is the skill's own name.
    let sql = replace_once(&skill_text(&ws, "sql"), "skill=\"sql\"", "skill=\"\"");
    let sql_uri = open(&server, &ws, "sql", &sql);
    let items = complete(&mut server, &sql_uri, after(&sql, "skill=\""));
    assert_eq!(labels(&items), ["sql"]);
    let p = after(&sql, "skill=\"");
    assert_eq!(item(&items, "sql")["textEdit"]["range"], range(p, p));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn front_matter_completion_offers_missing_keys_enum_values_and_booleans() {
    let ws = workspace("front-matter");
    let mut server = start(&ws);
    let original = skill_text(&ws, "typescript");
    let text = insert_after_line(&original, "  file_budget: 4", "  ");
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, after(&text, "  file_budget: 4\n  "));
    let names = labels(&items);
    assert!(names.contains(&"topics".to_string()), "{names:?}");
    for present in [
        "primary_domain",
        "file_budget",
        "always_load_files",
        "detection_required",
    ] {
        assert!(
            !names.contains(&present.to_string()),
            "{present} is already there: {names:?}"
        );
    }
    assert!(!names.contains(&"primary".to_string()), "legacy keys are not offered");
    assert!(docs(item(&items, "topics")).contains("context/<primary_domain>/"));

    let text = replace_once(&original, "type: \"shared-project\"", "type: \"\"");
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, after(&text, "    - type: \""));
    assert_eq!(labels(&items), ["skill-specific", "shared-project", "command", "agent"]);

    let text = replace_once(&original, "detection_required: false", "detection_required: ");
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, after(&text, "detection_required: "));
    assert_eq!(labels(&items), ["true", "false"]);

    let text = replace_once(&original, "primary_domain: \"engineering\"", "primary_domain: \"\"");
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, after(&text, "primary_domain: \""));
    assert!(
        labels(&items).contains(&"engineering".to_string()),
        "{:?}",
        labels(&items)
    );
    assert!(server.shutdown_and_exit().success());
}

/// The text of a skill with its last step (heading to the next `## `) cut
/// out, and the position of the blank line left where it stood.
fn without_step(text: &str, heading: &str) -> (String, (u32, u32)) {
    let start = text.find(heading).unwrap_or_else(|| panic!("{heading:?}"));
    let end = text[start..].find("\n## ").map(|i| start + i + 1).unwrap();
    let cut = format!("{}\n{}", &text[..start], &text[end..]);
    let p = utf16_position(&cut, start);
    (cut, p)
}

#[test]
fn the_workflow_offers_the_next_step_in_each_heading_style() {
    let ws = workspace("next-step");
    let mut server = start(&ws);
    let cases = [
        ("typescript", "### Step 6: Update Memory", "### Step 6: Update Memory"),
        (
            "firebase-storage",
            "#### **Step 6: Update Memory**",
            "#### **Step 6: Update Memory**",
        ),
    ];
    for (skill, heading, expected) in cases {
        let (text, p) = without_step(&skill_text(&ws, skill), heading);
        let uri = open(&server, &ws, skill, &text);
        let items = complete(&mut server, &uri, p);
        let names = labels(&items);
        assert_eq!(
            names.first().map(String::as_str),
            Some("Step 6: Update Memory"),
            "{skill}: {names:?}"
        );
        assert_eq!(items[0]["textEdit"]["newText"], expected, "{skill}");
        assert_eq!(items[0]["textEdit"]["range"], range(p, p));
        let whole = items[1]["textEdit"]["newText"].as_str().unwrap();
        assert!(whole.starts_with(expected), "{whole}");
        assert!(
            whole.contains(&format!("memoryStore.update(\"{skill}\", \"{{project-name}}\", ...)")),
            "{whole}"
        );
    }
    // The warning style: sql states a 5-step workflow; without its step 5 it
    // is offered one closing with the memory update, and after it nothing more.
    let (text, p) = without_step(
        &skill_text(&ws, "sql"),
        "### ⚠️ STEP 5: Generate Report & Update Memory (REQUIRED)",
    );
    let uri = open(&server, &ws, "sql", &text);
    let items = complete(&mut server, &uri, p);
    assert_eq!(
        items[0]["textEdit"]["newText"],
        "### ⚠️ STEP 5: Update Memory (REQUIRED)"
    );
    let whole = items[1]["textEdit"]["newText"].as_str().unwrap();
    assert!(whole.contains("**YOU MUST:**") && whole.contains("**DO NOT"), "{whole}");
    let text = skill_text(&ws, "sql");
    let at = text.find("## Output Requirements").unwrap();
    let text = format!("{}\n{}", &text[..at], &text[at..]);
    let uri = open(&server, &ws, "sql", &text);
    let items = complete(&mut server, &uri, utf16_position(&text, at));
    assert!(items.is_empty(), "no sixth step: {:?}", labels(&items));
    assert!(server.shutdown_and_exit().success());
}

/// A team's `skill-lsp.toml` at the root of `ws`: six steps with its own
/// titles, a delegation required of step 4 and an append of the last.
const TEAM_WORKFLOW: &str = "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Research\", \"Review\", \"Report\", \"Record\"]\n[workflow.calls]\n3 = [\"contextProvider.getDomainIndex\"]\n4 = [\"skillInvoker.invoke\"]\nlast = [\"memoryStore.append\"]\n";

#[test]
fn the_next_step_follows_the_teams_configured_workflow() {
    let ws = workspace("team-workflow");
    ws.write("skill-lsp.toml", TEAM_WORKFLOW);
    let mut server = start(&ws);
    let original = skill_text(&ws, "typescript");
    // Step 6 cut: the team's title and the team's call, filled in for the skill.
    let (text, p) = without_step(&original, "### Step 6: Update Memory");
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, p);
    assert_eq!(labels(&items), ["Step 6: Record", "Step 6: Record (with body)"]);
    assert_eq!(items[0]["textEdit"]["newText"], "### Step 6: Record");
    let whole = items[1]["textEdit"]["newText"].as_str().unwrap();
    assert!(whole.starts_with("### Step 6: Record\n"), "{whole}");
    assert!(
        whole.contains("memoryStore.update(\"typescript\", \"{project-name}\", ...)"),
        "the built-in memory update stays: {whole}"
    );
    assert!(
        whole.contains(
            "Call `memoryStore.append(\"skill-specific/typescript/{project-name}/file\", content)` as this workspace's workflow requires"
        ),
        "{whole}"
    );
    // Step 4 cut: the team's delegation; step 3's context call, already canonical, is not doubled.
    let start = original.find("### Step 4: Perform Analysis").unwrap();
    let end = original.find("### Step 5: Generate Output").unwrap();
    let text = format!("{}\n{}", &original[..start], &original[end..]);
    let p = utf16_position(&text, start);
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, p);
    assert_eq!(items[0]["textEdit"]["newText"], "### Step 4: Review");
    let whole = items[1]["textEdit"]["newText"].as_str().unwrap();
    assert!(
        whole.contains("Call `skillInvoker.invoke(\"{skill-name}\", params)`"),
        "{whole}"
    );
    // After the team's sixth and last step: no seventh.
    let at = original.find("## Compliance Checklist").unwrap();
    let text = format!("{}\n{}", &original[..at], &original[at..]);
    let uri = open(&server, &ws, "typescript", &text);
    let items = complete(&mut server, &uri, utf16_position(&text, at));
    assert!(items.is_empty(), "{:?}", labels(&items));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn the_checklist_offers_items_for_steps_it_does_not_list() {
    let (_ws, mut server, text, uri) = start_with("checklist", "typescript", |t| {
        let without_step_4 = replace_once(t, "- [ ] Step 4 analysis covered typing, APIs, and strictness\n", "");
        insert_after_line(&without_step_4, "- [ ] Step 6 memory updated", "- ")
    });
    let items = complete(
        &mut server,
        &uri,
        after(&text, "- [ ] Step 6 memory updated with new insights\n- "),
    );
    assert_eq!(labels(&items), ["- [ ] Step 4: Perform Analysis"]);
    let line_start = after(&text, "- [ ] Step 6 memory updated with new insights\n");
    let line_end = after(&text, "- [ ] Step 6 memory updated with new insights\n- ");
    assert_eq!(items[0]["textEdit"]["range"], range(line_start, line_end));
    assert!(server.shutdown_and_exit().success());
}

/// The signature help at `p`.
fn signature(server: &mut Server, uri: &str, p: (u32, u32)) -> Value {
    server.request("textDocument/signatureHelp", params(uri, p))
}

/// The text of parameter `i` of signature `s`, read through its label offsets.
fn param_text(help: &Value, s: usize, i: usize) -> String {
    let sig = &help["signatures"][s];
    let label: Vec<u16> = sig["label"].as_str().unwrap().encode_utf16().collect();
    let offsets = &sig["parameters"][i]["label"];
    let (a, b) = (
        offsets[0].as_u64().unwrap() as usize,
        offsets[1].as_u64().unwrap() as usize,
    );
    String::from_utf16(&label[a..b]).unwrap()
}

#[test]
fn signature_help_follows_the_active_parameter_positional_and_keyword() {
    let (ws, mut server, text, uri) = start_with("signature", "typescript", str::to_string);
    let call = "memoryStore.getSkillMemory(\"typescript\", \"{project-name}\")";
    let help = signature(
        &mut server,
        &uri,
        inside(&text, call, call.find("\"{project").unwrap() + 2),
    );
    assert_eq!(
        help["signatures"][0]["label"],
        "getSkillMemory(skillName, projectName) → MemoryEntry[]"
    );
    assert_eq!(help["activeParameter"], 1);
    assert_eq!(param_text(&help, 0, 1), "projectName");
    // Each parameter described from the interface document's table.
    assert_eq!(
        help["signatures"][0]["parameters"][0]["documentation"]["value"],
        "Skill name (e.g., `\"python-code-review\"`)"
    );
    let help = signature(&mut server, &uri, inside(&text, call, call.find('(').unwrap() + 1));
    assert_eq!(help["activeParameter"], 0);
    // Outside any call: nothing.
    let none = signature(&mut server, &uri, after(&text, "## Purpose"));
    assert!(none.is_null(), "{none}");

    // Keywords: sql's update names layer, skill and project; the form that has them is active.
    let sql = skill_text(&ws, "sql");
    let sql_uri = open(&server, &ws, "sql", &sql);
    let help = signature(&mut server, &sql_uri, after(&sql, "skill=\"sql\", project=\"{pro"));
    let active = help["activeSignature"].as_u64().unwrap() as usize;
    assert!(
        help["signatures"][active]["label"]
            .as_str()
            .unwrap()
            .starts_with("update(layer, skillName, projectName"),
        "{help}"
    );
    assert_eq!(help["activeParameter"], 2);
    assert_eq!(param_text(&help, active, 2), "projectName");
    assert!(server.shutdown_and_exit().success());
}

/// The hover at `p`: (markdown, range).
fn hover(server: &mut Server, uri: &str, p: (u32, u32)) -> (String, Value) {
    let h = server.request("textDocument/hover", params(uri, p));
    assert!(!h.is_null(), "no hover at {p:?}");
    (
        h["contents"]["value"].as_str().unwrap_or_default().to_string(),
        h["range"].clone(),
    )
}

#[test]
fn hover_explains_methods_keys_step_headings_and_rule_codes() {
    let (ws, mut server, text, uri) = start_with("hover", "sql", |t| {
        insert_after_line(t, "## Focus Areas", "See SK201 when a method is unknown.")
    });

    // A method, on a line after emoji-free text; the range is the method name.
    let (md, r) = hover(&mut server, &uri, inside(&text, "getSkillMemory(\"sql\"", 3));
    assert!(
        md.contains("memoryStore.getSkillMemory(skillName, projectName)"),
        "{md}"
    );
    assert!(md.contains("interfaces/memory_store.md"), "{md}");
    let start = inside(&text, "getSkillMemory(\"sql\"", 0);
    assert_eq!(r, range(start, (start.0, start.1 + "getSkillMemory".len() as u32)));

    // A keyword argument in the update call.
    let (md, _) = hover(&mut server, &uri, inside(&text, "project=\"{project-name}\"", 2));
    assert!(
        md.starts_with("`projectName` of `memoryStore.update(layer, skillName, projectName"),
        "{md}"
    );

    // A step heading holding an emoji: the range counts it in UTF-16 units.
    let heading = "### ⚠️ STEP 2: Load Project Memory & Context (REQUIRED)";
    let (md, r) = hover(&mut server, &uri, inside(&text, heading, heading.find("Load").unwrap()));
    assert!(md.starts_with("**Step 2 of 5**"), "{md}");
    assert!(md.contains("`**YOU MUST:**`") && md.contains("DO NOT PROCEED"), "{md}");
    let (l, c) = inside(&text, heading, 0);
    assert_eq!(r, range((l, c), (l, c + heading.encode_utf16().count() as u32)));

    // A rule code written in the text.
    let (md, _) = hover(&mut server, &uri, inside(&text, "SK201 when", 2));
    assert!(md.starts_with("**SK201** `unknown-method`"), "{md}");
    assert!(md.contains("## What it checks"), "{md}");

    // Front matter keys in typescript; step headings in the other two styles.
    let ts = skill_text(&ws, "typescript");
    let ts_uri = open(&server, &ws, "typescript", &ts);
    let (md, r) = hover(&mut server, &ts_uri, inside(&ts, "file_budget", 3));
    assert!(
        md.starts_with("**context.file_budget**") && md.contains("Type: integer"),
        "{md}"
    );
    assert_eq!(r, range(inside(&ts, "file_budget", 0), after(&ts, "file_budget")));
    let (md, _) = hover(&mut server, &ts_uri, inside(&ts, "    - type: \"skill-specific\"", 14));
    assert!(md.contains("Allowed values: `skill-specific`"), "{md}");
    let (md, _) = hover(&mut server, &ts_uri, inside(&ts, "### Step 6: Update Memory", 6));
    assert!(
        md.starts_with("**Step 6 of 6**") && md.contains("memoryStore.update(\"typescript\""),
        "{md}"
    );
    let fb = skill_text(&ws, "firebase-storage");
    let fb_uri = open(&server, &ws, "firebase-storage", &fb);
    let (md, _) = hover(&mut server, &fb_uri, inside(&fb, "#### **Step 2: Load Memory**", 9));
    assert!(
        md.starts_with("**Step 2 of 6**") && md.contains("getSkillMemory(\"firebase-storage\""),
        "{md}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn requests_on_documents_that_are_no_skills_or_not_open_answer_nothing() {
    let ws = workspace("no-skill");
    let mut server = start(&ws);
    let readme = file_uri(&ws.join("README.md"));
    server.open(&readme, 1, "# Readme\n\n`memoryStore.`\n");
    assert!(complete(&mut server, &readme, (2, 13)).is_empty());
    let closed = file_uri(&ws.join("skills/sql/SKILL.md"));
    assert!(complete(&mut server, &closed, (0, 0)).is_empty());
    let h = server.request("textDocument/hover", params(&closed, (0, 0)));
    assert!(h.is_null());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn hover_explains_the_diagnostic_under_the_cursor_and_where_a_method_is_defined() {
    let (ws, mut server, text, uri) = start_with("hover-diagnostic", "typescript", |t| {
        replace_once(
            t,
            "contextProvider.getDomainIndex(\"engineering\")",
            "contextProvider.getIndex(\"engineering\")",
        )
    });
    // The check the hover explains is the one published for this text.
    let diags = server.diagnostics(&uri, Some(1));
    assert!(common::codes(&diags).contains(&"SK201".to_string()), "{diags:#?}");
    let (md, _) = hover(&mut server, &uri, inside(&text, "getIndex(", 3));
    assert!(
        md.contains("defines no method `getIndex`. Did you mean `getDomainIndex`?"),
        "{md}"
    );
    assert!(md.contains("**SK201** `unknown-method`"), "{md}");
    assert!(md.contains("skill-lsp explain SK201"), "{md}");

    // A defined method: the line of its heading in the interface document.
    let (md, _) = hover(&mut server, &uri, inside(&text, "getSkillMemory(\"typescript\"", 4));
    let doc = std::fs::read_to_string(ws.join("interfaces/memory_store.md")).unwrap();
    let line = doc
        .lines()
        .position(|l| l.starts_with('#') && l.contains("getSkillMemory("))
        .unwrap()
        + 1;
    assert!(md.contains(&format!("Line {line}: [open](")), "{md}");
    assert!(md.contains(&format!("memory_store.md#L{line})")), "{md}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn crlf_skills_get_the_same_answers() {
    let (ws, mut server, text, uri) = start_with("crlf", "typescript", |t| {
        insert_after_line(t, "### Step 2: Load Memory", "- Then `memoryStore.`").replace('\n', "\r\n")
    });
    let p = after(&text, "Then `memoryStore.");
    let items = complete(&mut server, &uri, p);
    let get = item(&items, "getSkillMemory");
    assert_eq!(get["textEdit"]["range"], range(p, p));
    let (md, r) = hover(&mut server, &uri, inside(&text, "### Step 6: Update Memory", 5));
    assert!(md.starts_with("**Step 6 of 6**"), "{md}");
    let (l, c) = inside(&text, "### Step 6: Update Memory", 0);
    assert_eq!(r, range((l, c), (l, c + "### Step 6: Update Memory".len() as u32)));
    // The next step's skeleton uses the document's line ending.
    let (cut, p) = without_step(&text.replace("\r\n", "\n"), "### Step 6: Update Memory");
    let cut = cut.replace('\n', "\r\n");
    let uri = open(&server, &ws, "typescript", &cut);
    let items = complete(&mut server, &uri, p);
    let whole = items[1]["textEdit"]["newText"].as_str().unwrap();
    assert!(
        whole.contains("\r\n") && !whole.replace("\r\n", "").contains('\n'),
        "{whole:?}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_skill_outside_any_skills_root_completes_from_the_built_in_catalogue() {
    let dir = TempDir::new("detached");
    let text = insert_after_line(
        &std::fs::read_to_string(corpus().join("forge-clean/forge-plugin/skills/typescript/SKILL.md")).unwrap(),
        "### Step 2: Load Memory",
        "- Then `memoryStore.`",
    );
    let path = dir.write("typescript/SKILL.md", &text);
    let mut server = Server::spawn();
    server.initialize_for(&dir.path);
    let uri = file_uri(&path);
    server.open(&uri, 1, &text);
    let items = complete(&mut server, &uri, after(&text, "Then `memoryStore."));
    let get = item(&items, "getSkillMemory");
    assert_eq!(
        get["textEdit"]["newText"],
        "getSkillMemory(\"typescript\", \"{project-name}\")"
    );
    assert!(docs(get).contains("built-in catalogue"), "{}", docs(get));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_utf8_client_gets_byte_columns_on_lines_with_emoji() {
    let ws = workspace("utf8");
    let mut server = Server::spawn();
    let init = server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&ws.path),
        "workspaceFolders": [{"uri": file_uri(&ws.path), "name": "ws"}],
        "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
    }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let line = "- ⚠️ 🚀 `memoryStore.getSkillMemory(\"typescript\", \"{project-name}\")` and `contextProvider.getD`";
    let text = insert_after_line(&skill_text(&ws, "typescript"), "### Step 2: Load Memory", line);
    let uri = open(&server, &ws, "typescript", &text);
    let line_no = text[..text.find(line).unwrap()].matches('\n').count() as u32;
    let col = |needle: &str| line.find(needle).unwrap() as u32;

    let end = (line_no, col("getD`") + 4);
    let items = complete(&mut server, &uri, end);
    assert_eq!(
        item(&items, "getDomainIndex")["textEdit"]["range"],
        range((line_no, col("getD`")), end),
        "byte columns"
    );
    let help = signature(&mut server, &uri, (line_no, col("\"{project-name}\"") + 3));
    assert_eq!(help["activeParameter"], 1);
    let (md, r) = hover(&mut server, &uri, (line_no, col("getSkillMemory") + 2));
    assert!(md.contains("getSkillMemory(skillName, projectName)"), "{md}");
    let start = col("getSkillMemory");
    assert_eq!(
        r,
        range((line_no, start), (line_no, start + "getSkillMemory".len() as u32))
    );
    assert!(server.shutdown_and_exit().success());
}
