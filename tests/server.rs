//! End-to-end tests of the language server: the real `skill-lsp` binary,
//! spoken to over stdio with JSON-RPC (see `common/mod.rs`).
//!
//! Each test copies `examples/skills` (a skills root with interface documents
//! and context) to a temporary folder and adds a `skills/demo` skill made
//! from the correct `fastapi-review` skill with one defect or another.
//! Waits are generous and nothing asserts a duration.

mod common;

use std::path::Path;

use common::{codes, file_uri, range, utf16_range_of, with_code, Server, TempDir};
use serde_json::{json, Value};

/// A copy of the example skills root.
fn workspace(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    common::copy_dir(&common::repo_root().join("examples/skills"), &dir.path);
    dir
}

/// The correct example skill, renamed `demo`.
fn demo_text() -> String {
    let path = common::repo_root().join("examples/skills/skills/fastapi-review/SKILL.md");
    std::fs::read_to_string(path).unwrap().replace("fastapi-review", "demo")
}

/// Writes `text` as `skills/demo/SKILL.md`; its URI.
fn write_demo(ws: &TempDir, text: &str) -> String {
    file_uri(&ws.write("skills/demo/SKILL.md", text))
}

/// Replaces the first `from` (which must be there) by `to`.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

/// The demo skill with a version that is no semantic version, after an emoji
/// (two UTF-16 units, four bytes), and a tag that is no string, after CJK.
fn broken_demo() -> String {
    let text = replace_once(&demo_text(), "version: \"1.1.0\"", "version: \"😀1.1.0\"");
    replace_once(&text, "tags: [\"python\"", "tags: [\"中文\", 5, \"python\"")
}

fn severity(diag: &Value) -> i64 {
    diag["severity"].as_i64().unwrap()
}

fn client_caps_utf8_pull() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}}
    })
}

fn init_params(root: &Path, capabilities: Value) -> Value {
    json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "ws"}],
        "capabilities": capabilities
    })
}

#[test]
fn initialize_negotiates_the_encoding_and_announces_capabilities() {
    let ws = workspace("init");
    let mut plain = Server::spawn();
    let result = plain.initialize_for(&ws.path);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "{result}");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync: {result}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert!(
        caps.get("diagnosticProvider").is_none(),
        "a client that cannot pull gets pushed diagnostics"
    );
    let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
    assert!(
        kinds.contains("quickfix") && kinds.contains("source.fixAll.skill-lsp"),
        "{kinds}"
    );
    assert_eq!(result["serverInfo"]["name"], "skill-lsp");
    assert!(plain.shutdown_and_exit().success());

    let mut rich = Server::spawn();
    let result = rich.initialize(init_params(&ws.path, client_caps_utf8_pull()));
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8", "{result}");
    assert_eq!(caps["diagnosticProvider"]["workspaceDiagnostics"], true, "{result}");
    assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], true);
    assert!(rich.shutdown_and_exit().success());
}

#[test]
fn a_broken_skill_shows_its_codes_with_utf16_ranges() {
    let ws = workspace("broken");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let good = file_uri(&ws.join("skills/fastapi-review/SKILL.md"));
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk003 = with_code(&diags, "SK003");
    assert_eq!(sk003.len(), 2, "{diags:#?}");
    // `"😀1.1.0"` on line 2: nine UTF-16 units from character 9.
    assert_eq!(sk003[0]["range"], utf16_range_of(&text, "\"😀1.1.0\""));
    assert_eq!(sk003[0]["range"], range((2, 9), (2, 18)));
    // `5` after `"中文", `: character 13 in UTF-16 (17 in bytes).
    assert_eq!(sk003[1]["range"], range((16, 13), (16, 14)));
    assert!(sk003.iter().all(|d| severity(d) == 1 && d["source"] == "skill-lsp"));
    assert!(sk003[0]["message"].as_str().unwrap().contains("semantic version"));

    // The correct skill next to it has nothing to report.
    server.open(
        &good,
        1,
        &std::fs::read_to_string(ws.join("skills/fastapi-review/SKILL.md")).unwrap(),
    );
    assert_eq!(server.diagnostics(&good, Some(1)), Vec::<Value>::new());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn the_editor_shows_what_the_command_line_reports() {
    let ws = workspace("cli");
    let path = ws.join("skills/broken-flask/SKILL.md");
    let output = std::process::Command::new(common::binary())
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let key = |d: &Value| format!("{} {} {} {}", d["code"], d["severity"], d["range"], d["message"]);
    let mut from_cli: Vec<String> = report["diagnostics"].as_array().unwrap().iter().map(key).collect();
    assert!(!from_cli.is_empty(), "the broken example has defects");

    let uri = file_uri(&path);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &std::fs::read_to_string(&path).unwrap());
    let mut in_editor: Vec<String> = server
        .diagnostics(&uri, Some(1))
        .iter()
        .map(|d| {
            // The command line names severities; the protocol numbers them.
            let name = ["error", "warning", "information"][severity(d) as usize - 1];
            key(&json!({"code": d["code"], "severity": name, "range": d["range"], "message": d["message"]}))
        })
        .collect();
    from_cli.sort();
    in_editor.sort();
    assert_eq!(in_editor, from_cli);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_client_offering_utf8_gets_byte_columns() {
    let ws = workspace("utf8");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let mut server = Server::spawn();
    server.initialize(init_params(&ws.path, caps));
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk003 = with_code(&diags, "SK003");
    assert_eq!(sk003[0]["range"], range((2, 9), (2, 20)), "{diags:#?}");
    assert_eq!(sk003[1]["range"], range((16, 17), (16, 18)));
    // Edits come in bytes too: delete the emoji (bytes 10..14 of line 2).
    server.edit(&uri, 2, (2, 10), (2, 14), "");
    let diags = server.diagnostics(&uri, Some(2));
    assert_eq!(with_code(&diags, "SK003").len(), 1, "{diags:#?}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn incremental_edits_fix_and_rebreak_a_defect() {
    let ws = workspace("edits");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let v1 = server.diagnostics(&uri, Some(1));
    assert!(
        with_code(&v1, "SK003").iter().any(|d| d["range"]["start"]["line"] == 2),
        "{v1:#?}"
    );

    // Delete the emoji: two UTF-16 units at character 10 of line 2.
    server.edit(&uri, 2, (2, 10), (2, 12), "");
    let v2 = server.diagnostics(&uri, Some(2));
    assert!(
        with_code(&v2, "SK003").iter().all(|d| d["range"]["start"]["line"] != 2),
        "fixed: {v2:#?}"
    );

    // Break it again, differently, then fix the tag with one more edit.
    server.edit(&uri, 3, (2, 10), (2, 10), "v");
    let v3 = server.diagnostics(&uri, Some(3));
    let version = with_code(&v3, "SK003")
        .into_iter()
        .find(|d| d["range"]["start"]["line"] == 2)
        .cloned();
    assert_eq!(version.expect("re-broken")["range"], range((2, 9), (2, 17)), "{v3:#?}");
    server.edit(&uri, 4, (16, 13), (16, 16), "");
    let v4 = server.diagnostics(&uri, Some(4));
    assert_eq!(with_code(&v4, "SK003").len(), 1, "only the version is left: {v4:#?}");

    // Versions were published in order, each once.
    let versions: Vec<Option<i64>> = server.published(&uri).into_iter().map(|(v, _)| v).collect();
    assert_eq!(versions, [Some(1), Some(2), Some(3), Some(4)]);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn saving_checks_the_skill_again() {
    let ws = workspace("save");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let first = server.diagnostics(&uri, Some(1));
    server.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    assert_eq!(server.diagnostics(&uri, Some(1)), first);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_burst_of_edits_is_applied_in_order_and_never_published_out_of_order() {
    let ws = workspace("burst");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    // Retype the version value one character at a time without waiting: any
    // edit applied out of order garbles it, and SK003 stays.
    server.edit(&uri, 2, (2, 9), (2, 18), "");
    let typed = "\"9.8.7\"";
    for (i, ch) in typed.chars().enumerate() {
        let col = 9 + i as u32;
        server.edit(&uri, 3 + i as i64, (2, col), (2, col), &ch.to_string());
    }
    let last = 2 + typed.chars().count() as i64;
    let diags = server.diagnostics(&uri, Some(last));
    assert!(
        with_code(&diags, "SK003")
            .iter()
            .all(|d| d["range"]["start"]["line"] != 2),
        "{diags:#?}"
    );
    let versions: Vec<i64> = server.published(&uri).into_iter().filter_map(|(v, _)| v).collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "published out of order: {versions:?}"
    );
    assert_eq!(versions.last(), Some(&last));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn crlf_and_bom_documents_keep_positions_right() {
    let ws = workspace("crlf");
    let text = format!("\u{feff}{}", broken_demo().replace('\n', "\r\n"));
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk003 = with_code(&diags, "SK003");
    assert_eq!(sk003[0]["range"], range((2, 9), (2, 18)), "{diags:#?}");
    // An edit past the end of a line lands before its "\r\n".
    server.edit(&uri, 2, (2, 10), (2, 12), "");
    server.edit(&uri, 3, (0, 0), (0, 1), "");
    let diags = server.diagnostics(&uri, Some(3));
    assert!(
        with_code(&diags, "SK003")
            .iter()
            .all(|d| d["range"]["start"]["line"] != 2),
        "{diags:#?}"
    );
    assert!(
        with_code(&diags, "SK003")
            .iter()
            .any(|d| d["range"] == range((16, 13), (16, 14))),
        "{diags:#?}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// A document with old Mac line ends (a lone `\r`) gets the diagnostics of
/// the same text with `\n`, at the same positions (the protocol ends lines
/// at `\r` too), and quick fixes that write `\r`.
#[test]
fn bare_cr_documents_read_like_lf_documents() {
    let ws = workspace("bare-cr");
    let lf = broken_demo();
    let uri = write_demo(&ws, &lf);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &lf);
    let expected = server.diagnostics(&uri, Some(1));
    assert!(!expected.is_empty());
    let cr = lf.replace('\n', "\r");
    server.change(&uri, 2, json!([{"text": cr}]));
    let got = server.diagnostics(&uri, Some(2));
    assert_eq!(got, expected);
    // Typing on line 2 (after the first `\r`s) lands where the position says.
    server.edit(&uri, 3, (2, 10), (2, 12), "");
    let after = server.diagnostics(&uri, Some(3));
    assert!(
        with_code(&after, "SK003")
            .iter()
            .all(|d| d["range"]["start"]["line"] != 2),
        "{after:#?}"
    );
    // A fix that writes lines (the missing `version` key) writes them with `\r`.
    let without_version = replace_once(&demo_text(), "version: \"1.1.0\"\n", "").replace('\n', "\r");
    server.change(&uri, 4, json!([{"text": without_version}]));
    let diags = server.diagnostics(&uri, Some(4));
    let mut texts = Vec::new();
    for d in &diags {
        let params = json!({"textDocument": {"uri": uri}, "range": d["range"],
            "context": {"diagnostics": [d], "only": ["quickfix"]}});
        let actions = server.request("textDocument/codeAction", params);
        for a in actions.as_array().unwrap() {
            for edits in a["edit"]["changes"].as_object().into_iter().flat_map(|c| c.values()) {
                for e in edits.as_array().unwrap() {
                    texts.push(e["newText"].as_str().unwrap().to_string());
                }
            }
        }
    }
    let actions = format!("{diags:#?} {texts:?}");
    assert!(texts.iter().any(|t| t.contains('\r')), "{actions}");
    assert!(texts.iter().all(|t| !t.contains('\n')), "{actions}");
    assert!(server.shutdown_and_exit().success());
}

/// One defect, one finding: a misspelt declared domain gets SK204 alone,
/// and so one preferred quick fix.
#[test]
fn a_misspelt_declared_domain_gets_one_diagnostic_and_one_preferred_fix() {
    let ws = workspace("one-finding");
    let text = replace_once(
        &demo_text(),
        "contextProvider.getDomainIndex(\"python\")",
        "contextProvider.getDomainIndex(\"pyhton\")",
    );
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let at = utf16_range_of(&text, "\"pyhton\"");
    let here: Vec<&Value> = diags.iter().filter(|d| d["range"] == at).collect();
    assert_eq!(
        codes(&here.iter().map(|d| (*d).clone()).collect::<Vec<_>>()),
        ["SK204"],
        "{diags:#?}"
    );
    let params = json!({"textDocument": {"uri": uri}, "range": at,
        "context": {"diagnostics": here, "only": ["quickfix"]}});
    let actions = server.request("textDocument/codeAction", params);
    let preferred = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .count();
    assert_eq!(preferred, 1, "{actions}");
    assert!(server.shutdown_and_exit().success());
}

/// A `skill=` keyword naming another skill in `memoryStore.update(...)` is
/// reported where it is written.
#[test]
fn a_skill_keyword_in_update_naming_another_skill_is_reported() {
    let ws = workspace("skill-keyword");
    let text = replace_once(
        &demo_text(),
        "memoryStore.update(\"demo\", \"{project-name}\", ...)",
        "memoryStore.update(layer=\"skill-specific\", skill=\"flask-review\", project=\"{project-name}\")",
    );
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk203 = with_code(&diags, "SK203");
    assert_eq!(sk203.len(), 1, "{diags:#?}");
    assert_eq!(sk203[0]["range"], utf16_range_of(&text, "\"flask-review\""));
    assert!(server.shutdown_and_exit().success());
}

/// An unsafe quick fix that writes a blank for the author to fill (the
/// Version History row's `{Describe the changes}`) is never the preferred one.
#[test]
fn unsafe_fixes_writing_blanks_are_not_preferred() {
    let ws = workspace("preferred");
    let path = ws.path.join("skills/broken-flask/SKILL.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let mut blanks = 0;
    for d in &diags {
        let params = json!({"textDocument": {"uri": uri}, "range": d["range"],
            "context": {"diagnostics": [d], "only": ["quickfix"]}});
        let actions = server.request("textDocument/codeAction", params);
        for a in actions.as_array().unwrap() {
            if a["edit"].to_string().contains("{Describe the changes}") {
                blanks += 1;
                assert_eq!(a["isPreferred"], false, "{a}");
            }
        }
    }
    assert!(blanks > 0, "no fix writes the history blank: {diags:#?}");
    assert!(server.shutdown_and_exit().success());
}

/// The example's `STEP 4: Load Context` after step 2: SK103 (not SK102),
/// renumbering the preferred quick fix, inserting a step 3 offered but not
/// preferred; hover calls the step what it is, not the core action.
#[test]
fn a_misnumbered_step_is_renumbered_and_described_by_its_place() {
    let ws = workspace("misnumbered");
    let path = ws.path.join("skills/broken-flask/SKILL.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    assert!(with_code(&diags, "SK102").is_empty(), "{diags:#?}");
    let sk103 = with_code(&diags, "SK103");
    assert_eq!(sk103.len(), 1, "{diags:#?}");
    let d = sk103[0].clone();
    let params = json!({"textDocument": {"uri": uri}, "range": d["range"],
        "context": {"diagnostics": [d], "only": ["quickfix"]}});
    let actions = server.request("textDocument/codeAction", params);
    let titles: Vec<(String, bool)> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["title"].as_str().unwrap().to_string(), a["isPreferred"] == true))
        .collect();
    assert_eq!(
        titles[0],
        ("Renumber the steps 1, 2, 3, ... in order".to_string(), true),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|(t, p)| t.starts_with("Insert step 3") && !p),
        "{titles:?}"
    );
    let line = text[..text.find("### ⚠️ STEP 4").unwrap()].matches('\n').count();
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 8}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        shown.starts_with("**Step 4**, the 3rd of 7 steps: loading the domain knowledge"),
        "{hover}"
    );
    assert!(!shown.contains("core action"), "{hover}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn an_unclosed_front_matter_is_reported_and_mended_by_typing() {
    let ws = workspace("sk001");
    let text = demo_text();
    let closing = "tags: [\"python\", \"fastapi\", \"code-review\", \"backend\"]\n---\n";
    let broken = replace_once(
        &text,
        closing,
        "tags: [\"python\", \"fastapi\", \"code-review\", \"backend\"]\n",
    );
    let uri = write_demo(&ws, &broken);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &broken);
    let diags = server.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["SK001"], "{diags:#?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 16);
    server.edit(&uri, 2, (17, 0), (17, 0), "---\n");
    assert_eq!(server.diagnostics(&uri, Some(2)), Vec::<Value>::new());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_client_that_pulls_gets_pulled_diagnostics_and_no_pushed_ones() {
    let ws = workspace("pull");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize(init_params(&ws.path, client_caps_utf8_pull()));
    server.open(&uri, 1, &text);
    let first = server.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(first["kind"], "full", "{first}");
    let items = first["items"].as_array().unwrap();
    assert_eq!(
        with_code(items, "SK003")[0]["range"],
        range((2, 9), (2, 20)),
        "UTF-8 columns: {first}"
    );
    let id = first["resultId"].as_str().unwrap().to_string();

    let again = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));

    server.edit(&uri, 2, (2, 10), (2, 14), "");
    let after = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(after["kind"], "full");
    assert_ne!(after["resultId"], json!(id));
    assert_eq!(
        with_code(after["items"].as_array().unwrap(), "SK003").len(),
        1,
        "{after}"
    );

    let report = server.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = report["items"].as_array().unwrap();
    let open = items
        .iter()
        .find(|i| i["uri"] == uri)
        .expect("the open skill is reported");
    assert_eq!(open["version"], 2);
    assert_eq!(open["kind"], "full");
    // Re-asked with the ids it gave, nothing changed.
    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    let report = server.request("workspace/diagnostic", json!({"previousResultIds": previous}));
    assert!(
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == "unchanged"),
        "{report}"
    );

    assert!(
        server.published(&uri).is_empty(),
        "a pulling client gets no pushed diagnostics"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn the_workspace_report_covers_the_skills_of_the_index() {
    let ws = workspace("pull-ws");
    let mut server = Server::spawn();
    server.initialize(init_params(&ws.path, client_caps_utf8_pull()));
    // The index is built in the background; the server asks for a refresh when done.
    server.notification("workspace/diagnostic/refresh");
    let report = server.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let uris: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["uri"].as_str())
        .collect();
    let broken = file_uri(&ws.join("skills/broken-flask/SKILL.md"));
    assert!(uris.contains(&broken.as_str()), "{report}");
    let item = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uri"] == broken)
        .unwrap();
    assert!(
        !item["items"].as_array().unwrap().is_empty(),
        "the broken example has defects: {item}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// A server for a client that lets it register file watchers, initialized on `root`.
fn watching_server(root: &Path) -> Server {
    let mut server = Server::spawn();
    server.initialize(init_params(
        root,
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    ));
    server
}

#[test]
fn a_watched_interface_change_rechecks_open_skills() {
    let ws = workspace("watch");
    let text = demo_text();
    let uri = write_demo(&ws, &text);
    let server = watching_server(&ws.path);
    let registration = server.notification("client/registerCapability");
    assert!(
        registration.to_string().contains("workspace/didChangeWatchedFiles"),
        "{registration}"
    );
    server.open(&uri, 1, &text);
    assert!(codes(&server.diagnostics(&uri, Some(1))).is_empty());

    // Remove `getByProject` from the memoryStore interface document.
    let interface = ws.join("interfaces/memory_store.md");
    let doc = std::fs::read_to_string(&interface).unwrap();
    let without = remove_method_section(&doc, "getByProject");
    assert_ne!(doc, without, "the interface document defines getByProject");
    std::fs::write(&interface, without).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&interface), "type": 2}]}),
    );
    let params = server.diagnostics_where(&uri, "SK201 after the interface changed", |d| {
        d.iter().any(|d| d["code"] == "SK201")
    });
    assert_eq!(params["version"], 1, "{params}");
    let sk201 = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SK201")
        .unwrap()
        .clone();
    let call_line = text[..text.find("memoryStore.getByProject").unwrap()]
        .matches('\n')
        .count();
    assert_eq!(sk201["range"]["start"]["line"], call_line, "{sk201}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_saved_skill_with_a_new_description_updates_the_index() {
    let ws = workspace("saved-skill");
    let text = demo_text();
    let uri = write_demo(&ws, &text);
    let mut server = watching_server(&ws.path);
    server.notification("client/registerCapability");
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, Some(1));
    let described = |server: &mut Server, word: &str| -> Vec<String> {
        let found = server.request("workspace/symbol", json!({"query": word}));
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(described(&mut server, "zebrafish").is_empty());

    // The author saves the skill with a new description (the editor's
    // buffer and the file agree); the watcher reports the change.
    let description = text.lines().find(|l| l.starts_with("description:")).unwrap();
    let saved = replace_once(
        &text,
        description,
        "description: Reviews zebrafish APIs. Use when asked.",
    );
    let path = ws.write("skills/demo/SKILL.md", &saved);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&path), "type": 2}]}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let names = described(&mut server, "zebrafish");
        if names == ["demo"] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the index kept the old description: {names:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(server.shutdown_and_exit().success());
}

/// The interface document without the section (heading and body) of `method`.
fn remove_method_section(doc: &str, method: &str) -> String {
    let mut out = String::new();
    let mut skipping: Option<usize> = None;
    let mut in_fence = false;
    for line in doc.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let level = if in_fence {
            0
        } else {
            line.chars().take_while(|&c| c == '#').count()
        };
        if level > 0 {
            if skipping.is_some_and(|l| level <= l) {
                skipping = None;
            }
            if skipping.is_none() && line.contains(method) {
                skipping = Some(level);
            }
        }
        if skipping.is_none() {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn a_config_file_change_applies_at_once() {
    let ws = workspace("config-file");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    assert!(with_code(&server.diagnostics(&uri, Some(1)), "SK003")
        .iter()
        .all(|d| severity(d) == 1));

    let config = ws.write("skill-lsp.toml", "[rules]\nSK003 = \"warning\"\n");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    server.diagnostics_where(&uri, "SK003 as a warning", |d| {
        let sk003: Vec<_> = d.iter().filter(|d| d["code"] == "SK003").collect();
        !sk003.is_empty() && sk003.iter().all(|d| severity(d) == 2)
    });

    // A broken config: a clear message, and the defaults.
    std::fs::write(&config, "[rules]\nSK999 = \"off\"\n").unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let message = server.notification("window/showMessage");
    let text_of = message["message"].as_str().unwrap();
    assert!(
        text_of.contains("SK999") && text_of.contains("skill-lsp.toml"),
        "{message}"
    );
    server.diagnostics_where(&uri, "SK003 back to an error", |d| {
        let sk003: Vec<_> = d.iter().filter(|d| d["code"] == "SK003").collect();
        !sk003.is_empty() && sk003.iter().all(|d| severity(d) == 1)
    });
    // The server lives on.
    server.edit(&uri, 2, (2, 10), (2, 12), "");
    assert_eq!(with_code(&server.diagnostics(&uri, Some(2)), "SK003").len(), 1);
    assert!(server.shutdown_and_exit().success());
}

/// Opens the broken demo skill in `ws` and waits for the message the server
/// shows about the config: the server, the demo's URI and the message.
fn open_demo_for_config_message(ws: &TempDir) -> (Server, String, Value) {
    let text = broken_demo();
    let uri = write_demo(ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let message = server.notification("window/showMessage");
    (server, uri, message)
}

/// The editor is told every error of a broken config, each with its file,
/// line and column (an extended file's errors in that file), in one message,
/// and the defaults apply.
#[test]
fn every_config_error_is_shown_with_its_place_in_the_editor() {
    let ws = workspace("config-errors");
    ws.write(
        "skill-lsp.toml",
        "extend = \"team/base.toml\"\nprofile = \"six\"\nroot = \"nope\"\n[rules]\nSK999 = \"off\"\n[workflow]\nsteps = 0\n",
    );
    ws.write("team/base.toml", "[rules]\nSK104 = \"off\"\nSK105 = \"loud\"\n");
    let (server, uri, message) = open_demo_for_config_message(&ws);
    let shown = message["message"].as_str().unwrap();
    let config = ws.path.join("skill-lsp.toml").display().to_string();
    let base = ws.path.join("team/base.toml").display().to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 6, "{shown}");
    for (line, start) in lines.iter().zip([
        format!("{config}:2:12: profile `six` is not one of"),
        format!("{config}:3:9: root `nope` is no folder"),
        format!("{config}:5:1: unknown rule `SK999`"),
        format!("{config}:7:9: workflow.steps must be 1 to 100, not 0"),
        format!("{base}:3:10: rule `SK105`: `loud` is not one of"),
        "Using the default settings.".to_string(),
    ]) {
        assert!(line.starts_with(&start), "{line}\nexpected {start}");
    }
    assert_eq!(message["type"], 2, "a warning");
    // The defaults: SK003 an error, as the extended file's SK104 = "off" is not applied either.
    assert!(with_code(&server.diagnostics(&uri, Some(1)), "SK003")
        .iter()
        .all(|d| severity(d) == 1));
    assert!(server.shutdown_and_exit().success());
}

/// A `[workflow.calls]` entry the root's interfaces cannot make is shown
/// with its place, as `check` reports it; the config still applies.
#[test]
fn an_uncallable_workflow_call_is_shown_in_the_editor_as_on_the_command_line() {
    let ws = workspace("config-calls");
    ws.write(
        "skill-lsp.toml",
        "[rules]\nSK003 = \"warning\"\n\n[workflow.calls]\n2 = [\"memoryStore.nope\"]\n",
    );
    let (server, uri, message) = open_demo_for_config_message(&ws);
    let shown = message["message"].as_str().unwrap();
    let config = ws.path.join("skill-lsp.toml").display().to_string();
    assert!(
        shown.starts_with(&format!(
            "{config}:5:7: [workflow.calls] `memoryStore.nope` under step `2`: `memoryStore` has no method `nope`"
        )),
        "{shown}"
    );
    let diags = server.diagnostics(&uri, Some(1));
    let sk003 = with_code(&diags, "SK003");
    assert!(
        !sk003.is_empty() && sk003.iter().all(|d| severity(d) == 2),
        "the config applies"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn client_configuration_changes_a_severity() {
    let ws = workspace("settings");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    let settings = std::sync::Arc::new(std::sync::Mutex::new(json!({"rules": {"SK003": "warning"}})));
    let answer = settings.clone();
    server.on_request("workspace/configuration", move |params| {
        assert_eq!(params["items"][0]["section"], "skillLsp");
        json!([answer.lock().unwrap().clone()])
    });
    server.initialize(init_params(&ws.path, json!({"workspace": {"configuration": true}})));
    server.open(&uri, 1, &text);
    // The first diagnostics already honour the client's settings.
    let diags = server.diagnostics(&uri, Some(1));
    let sk003 = with_code(&diags, "SK003");
    assert!(
        !sk003.is_empty() && sk003.iter().all(|d| severity(d) == 2),
        "{diags:#?}"
    );

    *settings.lock().unwrap() = json!({"rules": {"SK003": "off"}});
    server.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    server.diagnostics_where(&uri, "no SK003", |d| d.iter().all(|d| d["code"] != "SK003"));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn initialization_options_and_pushed_settings_apply_without_workspace_configuration() {
    let ws = workspace("init-options");
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    let mut params = init_params(&ws.path, json!({}));
    params["initializationOptions"] = json!({"rules": {"SK003": "information"}});
    server.initialize(params);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    assert!(
        with_code(&diags, "SK003").iter().all(|d| severity(d) == 3),
        "{diags:#?}"
    );
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"skillLsp": {"rules": {"SK003": "error"}}}}),
    );
    server.diagnostics_where(&uri, "SK003 as an error", |d| {
        d.iter().any(|d| d["code"] == "SK003") && d.iter().filter(|d| d["code"] == "SK003").all(|d| severity(d) == 1)
    });
    // A bad setting is reported, not fatal.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"SK003": "loud"}}}),
    );
    let message = server.notification("window/showMessage");
    assert!(message["message"].as_str().unwrap().contains("loud"), "{message}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn code_actions_offer_each_fix_and_fix_all() {
    let ws = workspace("actions");
    // A key in the wrong case: renaming it keeps the author's meaning (a safe fix).
    let text = replace_once(&demo_text(), "\nmemory:", "\nMemory:");
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize(init_params(
        &ws.path,
        json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
    ));
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk005 = with_code(&diags, "SK005")[0].clone();
    let params = json!({"textDocument": {"uri": uri}, "range": sk005["range"], "context": {"diagnostics": [sk005]}});
    let actions = server.request("textDocument/codeAction", params);
    let actions = actions.as_array().unwrap();
    let quickfix = actions.iter().find(|a| a["kind"] == "quickfix").expect("a quick fix");
    assert_eq!(quickfix["diagnostics"][0]["code"], "SK005");
    let doc_edit = &quickfix["edit"]["documentChanges"][0];
    assert_eq!(doc_edit["textDocument"]["version"], 1);
    assert_eq!(doc_edit["edits"][0]["newText"], "memory");
    assert_eq!(doc_edit["edits"][0]["range"], utf16_range_of(&text, "Memory"));

    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.skill-lsp")
        .expect("fix all");
    let edit = &fix_all["edit"]["documentChanges"][0]["edits"][0];
    let fixed = common::apply_lsp_edits(&text, std::slice::from_ref(edit));
    assert!(fixed.contains("\nmemory:") && !fixed.contains("\nMemory:"), "{fixed}");

    // Asking only for source actions leaves the quick fixes out.
    let only = json!({"textDocument": {"uri": uri}, "range": range((0, 0), (0, 0)),
        "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = server.request("textDocument/codeAction", only);
    assert!(
        actions
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["kind"] == "source.fixAll.skill-lsp"),
        "{actions}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn documents_that_are_not_skills_are_not_checked() {
    let ws = workspace("not-skill");
    let readme = file_uri(&ws.join("README.md"));
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&readme, 1, "# Not a skill\n");
    server.open(&uri, 1, &text);
    assert!(!server.diagnostics(&uri, Some(1)).is_empty());
    assert!(server.published(&readme).is_empty());
    // Closing a skill clears its diagnostics.
    server.close(&uri);
    assert_eq!(server.diagnostics(&uri, None), Vec::<Value>::new());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn requests_are_answered_while_a_large_skill_is_checked() {
    let ws = workspace("large");
    let big_uri = file_uri(&ws.join("skills/big/SKILL.md"));
    let paragraph = "Review the routes, the models and the dependencies; note what the team must fix first.\n\n";
    let big = format!(
        "{}\n## Notes\n\n{}",
        demo_text().replace("name: demo", "name: big"),
        paragraph.repeat(12_000)
    );
    let text = broken_demo();
    let uri = write_demo(&ws, &text);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&big_uri, 1, &big);
    for v in 2..6 {
        server.edit(&big_uri, v, (30, 0), (30, 0), "x");
    }
    server.open(&uri, 1, &text);
    let id = server.send_request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((2, 9), (2, 9)), "context": {"diagnostics": []}}),
    );
    assert!(server.response(id).get("result").is_some());
    server.diagnostics(&uri, Some(1));
    server.diagnostics(&big_uri, Some(5));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn indexing_reports_progress() {
    let ws = workspace("progress");
    let mut server = Server::spawn();
    server.initialize(init_params(&ws.path, json!({"window": {"workDoneProgress": true}})));
    let create = server.notification("window/workDoneProgress/create");
    let token = create["token"].clone();
    let begin = server.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    assert_eq!(begin["params"]["token"], token);
    let end = server.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    assert_eq!(end["params"]["token"], token);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn the_process_ends_with_the_protocol_or_with_stdin() {
    let ws = workspace("exit");
    // exit without shutdown: exit code 1.
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit().code(), Some(1));

    // The client goes away: stdin closes, the server ends.
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.close_stdin();
    server.wait_exit();

    // `serve` is the same server.
    let mut server = Server::builder().arg("serve").arg("--stdio").spawn();
    server.initialize_for(&ws.path);
    assert!(server.shutdown_and_exit().success());
}

/// Outside a skills root the editor compares a skill with the other skills of
/// its repository (the folder holding `.git`) as `skill-lsp check` does:
/// two skills of one name (SK505) and a fragment of a skill (SK510, not
/// SK001) are reported the same, and renaming a skill and saving it is seen.
#[test]
fn skills_outside_a_root_are_compared_with_their_repository_as_on_the_command_line() {
    let repo = TempDir::new("repository");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let skill = |name: &str| {
        format!("---\nname: {name}\ndescription: Fills PDF forms. Use when a PDF form must be filled.\n---\n\nFill the form.\n")
    };
    let first = repo.write("skills/pdf/SKILL.md", &skill("pdf"));
    repo.write("preview/pdf/SKILL.md", &skill("pdf"));
    let fragment = repo.write("flavors/pdf/SKILL.md", "<!-- overlay -->\nMore about forms.\n");
    let output = std::process::Command::new(common::binary())
        .args(["check", "--format", "json", "."])
        .current_dir(&repo.path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let on_cli = |file: &str| -> Vec<String> {
        let mut found: Vec<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"].as_str().is_some_and(|p| p.ends_with(file)))
            .map(|d| format!("{} {} {}", d["code"], d["range"], d["message"]))
            .collect();
        found.sort();
        found
    };

    let mut server = Server::spawn();
    server.initialize_for(&repo.path);
    let in_editor = |server: &mut Server, path: &Path, version: i64| -> Vec<String> {
        let uri = file_uri(path);
        server.open(&uri, version, &std::fs::read_to_string(path).unwrap());
        let mut found: Vec<String> = server
            .diagnostics(&uri, Some(version))
            .iter()
            .map(|d| format!("{} {} {}", d["code"], d["range"], d["message"]))
            .collect();
        found.sort();
        found
    };
    let pdf = in_editor(&mut server, &first, 1);
    assert!(pdf.iter().any(|d| d.starts_with("\"SK505\"")), "{pdf:?}");
    assert_eq!(pdf, on_cli("skills/pdf/SKILL.md"));
    let part = in_editor(&mut server, &fragment, 1);
    assert!(part.iter().any(|d| d.starts_with("\"SK510\"")), "{part:?}");
    assert!(!part.iter().any(|d| d.starts_with("\"SK001\"")), "{part:?}");
    assert_eq!(part, on_cli("flavors/pdf/SKILL.md"));

    // The preview gets a name of its own and is saved: the first skill is alone again.
    let preview = repo.write("preview/pdf/SKILL.md", &skill("pdf-preview"));
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&preview), "type": 2}]}),
    );
    let uri = file_uri(&first);
    server.diagnostics_where(&uri, "no duplicate name left", |d| {
        !d.iter().any(|x| x["code"] == "SK505")
    });
    assert!(server.shutdown_and_exit().success());
}
