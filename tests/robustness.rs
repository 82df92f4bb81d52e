//! Hostile input, end to end: the real `skill-lsp` binary fed malformed
//! protocol traffic and hostile files. Every case must be answered with an
//! error or ignored, in bounded time, and the server must stay usable after
//! it (each test that starts it ends by checking a skill and shutting it
//! down cleanly).
//! Hostile trees are generated in temporary folders at test time.
//! See `docs/reliability.md` for what each group covers and the limits.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{codes, file_uri, range, Server, TempDir};
use serde_json::{json, Value};

/// A copy of the example skills root.
fn workspace(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    common::copy_dir(&common::repo_root().join("examples/skills"), &dir.path);
    dir
}

/// A skill named `name`: the correct example with its name changed.
fn skill_named(name: &str) -> String {
    let path = common::repo_root().join("examples/skills/skills/fastapi-review/SKILL.md");
    std::fs::read_to_string(path).unwrap().replace("fastapi-review", name)
}

/// A server initialized for `ws` with a plain client.
fn server_for(ws: &TempDir) -> Server {
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server
}

/// The server still works: a skill opened now is checked and published.
fn assert_still_usable(server: &Server, ws: &TempDir, version: i64) {
    let uri = file_uri(&ws.join("skills/fastapi-review/SKILL.md"));
    let text = std::fs::read_to_string(ws.join("skills/fastapi-review/SKILL.md")).unwrap();
    server.open(&uri, version, &text);
    assert_eq!(server.diagnostics(&uri, Some(version)), Vec::<Value>::new());
}

/// The error object of response `id`.
fn error_of(server: &Server, id: i64) -> Value {
    let response = server.response(id);
    response
        .get("error")
        .cloned()
        .unwrap_or_else(|| panic!("request {id} succeeded: {response}"))
}

/// Waits for an error answer with a null id (a message whose id could not be read).
fn null_id_error(server: &Server, what: &str) -> Value {
    server.wait_for(what, |m| m["id"].is_null() && m.get("error").is_some())["error"].clone()
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Runs `skill-lsp check --format json` with a time bound; the output.
fn check_json(cwd: &Path, args: &[&str]) -> (Output, Value) {
    let mut child = Command::new(common::binary())
        .current_dir(cwd)
        .args(["check", "--format", "json"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + common::TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("skill-lsp check {args:?} did not finish within {:?}", common::TIMEOUT);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{stderr}", String::from_utf8_lossy(&output.stdout)));
    (output, json)
}

/// `(path, kind)` of each input error of a JSON report.
fn input_errors(report: &Value) -> Vec<(String, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Hostile protocol input

#[test]
fn requests_before_initialize_are_refused_with_32002() {
    let ws = workspace("early");
    let mut server = Server::spawn();
    let uri = file_uri(&ws.join("skills/fastapi-review/SKILL.md"));
    // A notification before initialize is dropped; a request is refused.
    server.open(&uri, 1, "---\nname: x\n---\n");
    let id = server.send_request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((0, 0), (0, 0)), "context": {"diagnostics": []}}),
    );
    assert_eq!(error_of(&server, id)["code"], -32002);
    let id = server.send_request("shutdown", Value::Null);
    assert_eq!(error_of(&server, id)["code"], -32002);

    server.initialize_for(&ws.path);
    // A second initialize is a protocol error, not a crash.
    let id = server.send_request("initialize", json!({"capabilities": {}}));
    assert!(error_of(&server, id)["code"].is_i64());
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn malformed_headers_and_bodies_are_answered_with_errors() {
    let ws = workspace("malformed");
    let mut server = server_for(&ws);

    server.write_raw(&frame(b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "));
    assert_eq!(null_id_error(&server, "a parse error")["code"], -32700);
    server.write_raw(&frame(b"\xff\xfe not UTF-8 \xc3"));
    assert_eq!(null_id_error(&server, "a parse error (UTF-8)")["code"], -32700);
    server.write_raw(b"Content-Length: twelve\r\n\r\n");
    assert_eq!(null_id_error(&server, "an invalid length")["code"], -32700);
    server.write_raw(b"X-Nonsense\r\n\r\n");
    assert_eq!(null_id_error(&server, "a header without a colon")["code"], -32700);
    server.write_raw(b"Content-Type: application/json\r\n\r\n");
    assert_eq!(null_id_error(&server, "a header without a length")["code"], -32700);
    // JSON, but not JSON-RPC: invalid request, with the id when there is one.
    server.write_raw(&frame(br#"{"jsonrpc": "2.0", "id": 4242, "method": 17}"#));
    let error = server.wait_for("an invalid request", |m| m["id"] == 4242)["error"].clone();
    assert_eq!(error["code"], -32600);
    server.write_raw(&frame(b"[1, 2, 3]"));
    assert_eq!(null_id_error(&server, "an array")["code"], -32600);
    server.write_raw(&frame(b"\"just a string\""));
    assert_eq!(null_id_error(&server, "a string")["code"], -32600);
    // Bytes that never make a header, then a good message.
    server.write_raw(&vec![b'z'; 20_000]);
    assert_eq!(null_id_error(&server, "garbage")["code"], -32700);
    // An empty body is nothing at all.
    server.write_raw(b"Content-Length: 0\r\n\r\n");

    assert!(server.is_running());
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn unknown_methods_and_cancellation_leave_the_server_usable() {
    let ws = workspace("unknown");
    let mut server = server_for(&ws);
    let id = server.send_request("skill-lsp/noSuchMethod", json!({"x": 1}));
    assert_eq!(error_of(&server, id)["code"], -32601);
    let id = server.send_request("textDocument/noSuchRequest", Value::Null);
    assert_eq!(error_of(&server, id)["code"], -32601);
    // Unknown notifications, `$/` or not, are ignored.
    server.notify("skill-lsp/noSuchNotification", json!([1, 2]));
    server.notify("$/noSuchNotification", Value::Null);
    server.notify("$/setTrace", json!({"value": "verbose"}));
    // Cancelling what does not exist, or what has finished, is harmless.
    server.notify("$/cancelRequest", json!({"id": 987_654}));
    server.notify("$/cancelRequest", json!({"id": "not-a-request"}));
    server.notify("$/cancelRequest", json!({"id": id}));
    server.notify("$/cancelRequest", json!({}));
    // A request cancelled at once is answered: a result or -32800.
    let uri = file_uri(&ws.join("skills/broken-flask/SKILL.md"));
    server.open(
        &uri,
        1,
        &std::fs::read_to_string(ws.join("skills/broken-flask/SKILL.md")).unwrap(),
    );
    let id = server.send_request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((0, 0), (99, 0)), "context": {"diagnostics": []}}),
    );
    server.notify("$/cancelRequest", json!({"id": id}));
    let response = server.response(id);
    assert!(
        response.get("result").is_some() || response["error"]["code"] == -32800,
        "{response}"
    );
    assert_still_usable(&server, &ws, 1);
    // Parameters of the wrong shape: invalid params, not a crash.
    let id = server.send_request("textDocument/hover", json!({"textDocument": 5, "position": "here"}));
    assert_eq!(error_of(&server, id)["code"], -32602);
    // After shutdown, requests are refused; exit still ends the process cleanly.
    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    let id = server.send_request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(error_of(&server, id)["code"], -32600);
    server.notify("exit", Value::Null);
    assert!(server.wait_exit().success());
}

#[test]
fn out_of_range_positions_and_unopened_documents_are_handled() {
    let ws = workspace("ranges");
    let mut server = server_for(&ws);
    let text = skill_named("demo");
    let uri = file_uri(&ws.write("skills/demo/SKILL.md", &text));
    server.open(&uri, 1, &text);
    assert_eq!(server.diagnostics(&uri, Some(1)), Vec::<Value>::new());

    // Far past the end, reversed, past the end of a line, inside a surrogate
    // pair: each clamps; none ends the session.
    let max = u32::MAX;
    server.edit(&uri, 2, (max, max), (max, max), "\n");
    server.edit(&uri, 3, (5, 3), (2, 1), "");
    server.edit(&uri, 4, (1, max), (1, max), "");
    server.change(
        &uri,
        5,
        json!([{"range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    server.change(&uri, 6, json!([{"text": text}]));
    assert_eq!(server.diagnostics(&uri, Some(6)), Vec::<Value>::new());

    // Requests with positions outside the document, or for documents never opened.
    let result = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((max, max), (0, 0)), "context": {"diagnostics": []}}),
    );
    assert!(result.is_null() || result.is_array(), "{result}");
    let never = file_uri(&ws.join("skills/never-opened/SKILL.md"));
    let result = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": never}, "range": range((0, 0), (0, 0)), "context": {"diagnostics": []}}),
    );
    assert!(
        result.is_null() || result.as_array().is_some_and(Vec::is_empty),
        "{result}"
    );
    // didChange and didClose for a document never opened are ignored.
    server.edit(&never, 2, (0, 0), (0, 0), "x");
    server.close(&never);
    // Malformed parameters of a notification are ignored too.
    server.notify("textDocument/didChange", json!({"textDocument": 5}));
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": "not a uri"}}));

    assert_still_usable(&server, &ws, 1);
    assert!(
        server.published(&never).is_empty(),
        "nothing is published for a document never opened"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn utf32_positions_count_characters_and_clamp_too() {
    let ws = workspace("utf32");
    let text = skill_named("demo").replace("version: \"1.1.0\"", "version: \"😀1.1.0\"");
    let uri = file_uri(&ws.write("skills/demo/SKILL.md", &text));
    let mut server = Server::spawn();
    let result = server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&ws.path),
        "capabilities": {"general": {"positionEncodings": ["utf-32", "utf-16"]}}
    }));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-32", "{result}");
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk003: Vec<&Value> = diags.iter().filter(|d| d["code"] == "SK003").collect();
    // `"😀1.1.0"`: eight characters from character 9.
    assert_eq!(sk003[0]["range"], range((2, 9), (2, 17)), "{diags:#?}");
    // Delete the emoji: one character at 10; then edits far out of range.
    server.edit(&uri, 2, (2, 10), (2, 11), "");
    server.edit(&uri, 3, (2, u32::MAX), (2, u32::MAX), "");
    assert_eq!(server.diagnostics(&uri, Some(3)), Vec::<Value>::new());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_50_mb_message_is_answered_and_the_server_goes_on() {
    let ws = workspace("huge-message");
    let server = server_for(&ws);
    let blob = "a".repeat(50 * 1024 * 1024);
    let body = json!({"jsonrpc": "2.0", "id": 777, "method": "skill-lsp/noSuchMethod", "params": {"blob": blob}});
    server.write_raw(&frame(body.to_string().as_bytes()));
    let error = server.wait_for("the answer to the 50 MB request", |m| m["id"] == 777)["error"].clone();
    assert_eq!(error["code"], -32601);
    // A 50 MB document that is not a skill is kept but not checked.
    let notes = file_uri(&ws.join("notes.md"));
    server.open(&notes, 1, &blob);
    assert_still_usable(&server, &ws, 1);
    assert!(server.published(&notes).is_empty());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_panicking_request_is_answered_with_an_error_and_the_server_goes_on() {
    // Debug builds answer `skill-lsp/debug/panic` by panicking inside the
    // request handler, exactly where a bug would.
    let ws = workspace("panic");
    let mut server = server_for(&ws);
    let id = server.send_request("skill-lsp/debug/panic", Value::Null);
    let error = error_of(&server, id);
    assert_eq!(error["code"], -32603, "{error}");
    assert!(error["message"].as_str().unwrap().contains("panic"), "{error}");
    server.notify("skill-lsp/debug/panic", Value::Null);
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

/// Every request that takes a position, at every line of `text` and at
/// columns inside, at the end of and far past each line; plus the
/// document-wide requests. Sent all at once, then every answer read: none
/// may be an internal error (a caught panic).
fn sweep_requests(server: &mut Server, uri: &str, text: &str) -> usize {
    let lines = text.split('\n').count() as u32;
    let mut ids = Vec::new();
    let doc = json!({"uri": uri});
    for line in (0..lines).chain([lines, lines + 7, u32::MAX]) {
        for col in [0, 3, 17, 200, u32::MAX] {
            let pos = json!({"line": line, "character": col});
            let at = json!({"textDocument": doc, "position": pos});
            for method in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/signatureHelp",
                "textDocument/definition",
                "textDocument/prepareRename",
            ] {
                ids.push((method, server.send_request(method, at.clone())));
            }
            let mut refs = at.clone();
            refs["context"] = json!({"includeDeclaration": true});
            ids.push(("references", server.send_request("textDocument/references", refs)));
            let mut rename = at.clone();
            rename["newName"] = json!("renamed-😀");
            ids.push(("rename", server.send_request("textDocument/rename", rename)));
            let action = json!({"textDocument": doc, "range": {"start": pos, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": []}});
            ids.push(("codeAction", server.send_request("textDocument/codeAction", action)));
        }
    }
    for method in [
        "textDocument/documentLink",
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
    ] {
        ids.push((method, server.send_request(method, json!({"textDocument": doc}))));
    }
    for query in ["", "a", "😀", "\u{0}"] {
        ids.push((
            "workspace/symbol",
            server.send_request("workspace/symbol", json!({"query": query})),
        ));
    }
    for (method, id) in &ids {
        let response = server.response(*id);
        assert_ne!(
            response["error"]["code"],
            -32603,
            "{method} failed inside the server: {response}\n{}",
            server.stderr_tail()
        );
    }
    ids.len()
}

#[test]
fn every_request_at_every_position_is_answered_without_an_internal_error() {
    let ws = workspace("sweep");
    let mut server = server_for(&ws);
    let broken = std::fs::read_to_string(ws.join("skills/broken-flask/SKILL.md")).unwrap();
    let odd = "\u{feff}---\r\nname: odd😀\r\ndescription: [unclosed\r\n## Workflow\r\n### Step 1: `memoryStore.update(\"x\", 中文\r\n\r\n- [ ] Step 1\r# é\n";
    let docs = [
        ("skills/broken-flask/SKILL.md", broken.clone()),
        ("skills/odd/SKILL.md", odd.to_string()),
        ("skills/empty/SKILL.md", String::new()),
        ("skills/bomb/SKILL.md", alias_bomb()),
    ];
    let mut sent = 0;
    for (i, (rel, text)) in docs.iter().enumerate() {
        let uri = file_uri(&ws.write(rel, text));
        server.open(&uri, 1, text);
        sent += sweep_requests(&mut server, &uri, text);
        // And once more on a document that was closed.
        if i == 0 {
            server.close(&uri);
            sent += sweep_requests(&mut server, &uri, text);
        }
    }
    assert!(sent > 1000, "{sent} requests");
    assert!(!server.stderr_tail().contains("panicked"), "{}", server.stderr_tail());
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_panicking_check_is_reported_and_the_document_recovers() {
    // Debug builds panic while checking a text holding this marker, exactly
    // where a bug in a rule would.
    let ws = workspace("check-panic");
    let mut server = server_for(&ws);
    let text = format!("{}\nskill-lsp-debug-panic-in-check\n", skill_named("demo"));
    let uri = file_uri(&ws.write("skills/demo/SKILL.md", &text));
    server.open(&uri, 1, &text);
    let shown = server.notification("window/showMessage");
    assert_eq!(shown["type"], 1, "an error: {shown}");
    assert!(
        shown["message"].as_str().unwrap().contains("failed to check"),
        "{shown}"
    );
    // A request that needs the check is answered with an error.
    let id = server.send_request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((0, 0), (0, 0)), "context": {"diagnostics": []}}),
    );
    assert_eq!(error_of(&server, id)["code"], -32603);
    // Removing the marker: checked and published again.
    server.change(&uri, 2, json!([{"text": skill_named("demo")}]));
    assert_eq!(server.diagnostics(&uri, Some(2)), Vec::<Value>::new());
    assert!(server.shutdown_and_exit().success());
}

/// One step of a random protocol session.
#[derive(Debug, Clone)]
enum Step {
    Open(usize, String),
    Change(usize, (u32, u32), (u32, u32), String),
    Replace(usize, String),
    Close(usize),
    Request(&'static str, usize, (u32, u32)),
    Garbage(Vec<u8>),
    Cancel(i64),
}

const REQUESTS: &[&str] = &[
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/signatureHelp",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/codeAction",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/documentLink",
];

fn protocol_step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    let doc = 0..3usize;
    let pos = || {
        (
            prop_oneof![4 => 0..40u32, 1 => any::<u32>()],
            prop_oneof![4 => 0..60u32, 1 => any::<u32>()],
        )
    };
    let text = || {
        proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(
                    &[
                        "---\n",
                        "name: x\n",
                        "## Workflow\n",
                        "### Step 1: a\n",
                        "`memoryStore.update(",
                        "😀",
                        "\r\n",
                        "- [ ] ",
                        "[l](x.md#y)",
                        "\n"
                    ][..]
                )
                .prop_map(str::to_string),
                any::<String>(),
            ],
            0..12,
        )
        .prop_map(|p| p.concat())
    };
    prop_oneof![
        2 => (doc.clone(), text()).prop_map(|(d, t)| Step::Open(d, t)),
        6 => (doc.clone(), pos(), pos(), text()).prop_map(|(d, a, b, t)| Step::Change(d, a, b, t)),
        1 => (doc.clone(), text()).prop_map(|(d, t)| Step::Replace(d, t)),
        1 => doc.clone().prop_map(Step::Close),
        6 => (proptest::sample::select(REQUESTS), doc, pos()).prop_map(|(m, d, p)| Step::Request(m, d, p)),
        1 => proptest::collection::vec(any::<u8>(), 0..200).prop_map(Step::Garbage),
        1 => (0..40i64).prop_map(Step::Cancel),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(16),
        failure_persistence: None,
        ..Default::default()
    })]

    /// Random sessions — opens, edits anywhere (far out of range too), closes,
    /// requests at random positions, garbage bytes, cancellations — against
    /// the real binary: every request is answered, none with an internal
    /// error, and the server still checks a skill at the end.
    #[test]
    fn random_protocol_sessions_never_break_the_server(steps in proptest::collection::vec(protocol_step(), 1..40)) {
        let ws = workspace("session");
        let mut server = server_for(&ws);
        let uris: Vec<String> = (0..3).map(|i| file_uri(&ws.join(&format!("skills/s{i}/SKILL.md")))).collect();
        let mut versions = [0i64; 3];
        let mut ids = Vec::new();
        for step in &steps {
            match step {
                Step::Open(d, t) => {
                    versions[*d] += 1;
                    server.open(&uris[*d], versions[*d], t);
                }
                Step::Change(d, a, b, t) => {
                    versions[*d] += 1;
                    server.edit(&uris[*d], versions[*d], *a, *b, t);
                }
                Step::Replace(d, t) => {
                    versions[*d] += 1;
                    server.change(&uris[*d], versions[*d], json!([{"text": t}]));
                }
                Step::Close(d) => server.close(&uris[*d]),
                Step::Request(method, d, (line, character)) => {
                    let pos = json!({"line": line, "character": character});
                    let params = json!({
                        "textDocument": {"uri": uris[*d]}, "position": pos,
                        "range": {"start": pos, "end": pos}, "context": {"diagnostics": [], "includeDeclaration": true},
                    });
                    ids.push((*method, server.send_request(method, params)));
                }
                Step::Garbage(bytes) => {
                    server.write_raw(bytes);
                    // Close whatever header the bytes began, so the next message is read.
                    server.write_raw(b"\r\n\r\n");
                }
                Step::Cancel(id) => server.notify("$/cancelRequest", json!({"id": id})),
            }
        }
        for (method, id) in ids {
            let response = server.response(id);
            proptest::prop_assert_ne!(&response["error"]["code"], &json!(-32603), "{}: {}", method, response);
        }
        assert_still_usable(&server, &ws, 1);
        proptest::prop_assert!(server.shutdown_and_exit().success());
    }
}

// ---------------------------------------------------------------------------
// Hostile files

/// A front matter whose aliases expand to 9^9 strings.
fn alias_bomb() -> String {
    let mut text = String::from("---\nname: bomb\ndescription: Expands.\n");
    text.push_str("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    text.push_str("---\n# Bomb\n");
    text
}

/// 100,000 levels of nesting in every construct that nests: YAML flow
/// sequences and maps, block quotes, lists, emphasis, links, call arguments.
fn deep_nesting() -> String {
    let n = 100_000;
    let mut text = String::from("---\nname: deep\ndescription: Nests.\n");
    text.push_str(&format!("seq: {}{}\n", "[".repeat(n), "]".repeat(n)));
    text.push_str(&format!("map: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)));
    text.push_str("---\n# Deep\n\n");
    text.push_str(&format!("{} quoted\n\n", ">".repeat(n)));
    text.push_str(&format!("{}item\n\n", "- ".repeat(n)));
    text.push_str(&format!("{}x{}\n\n", "*".repeat(n), "*".repeat(n)));
    text.push_str(&format!("{}x{}\n\n", "[".repeat(n), "]".repeat(n)));
    text.push_str(&format!("`memoryStore.update({}`\n\n", "[".repeat(n)));
    text.push_str(&format!("```\nskillInvoker.invoke({}\n```\n", "(".repeat(n)));
    text
}

#[test]
fn alias_bombs_and_deep_nesting_are_stopped_in_bounded_time() {
    let ws = workspace("nesting");
    ws.write("skills/bomb/SKILL.md", &alias_bomb());
    ws.write("skills/deep/SKILL.md", &deep_nesting());
    let (output, report) = check_json(&ws.path, &["skills/bomb/SKILL.md", "skills/deep/SKILL.md"]);
    assert_eq!(output.status.code(), Some(1), "errors found, no crash: {report}");
    let messages: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap().contains("bomb"))
        .map(|d| format!("{} {}", d["code"], d["message"]))
        .collect();
    assert!(messages.iter().any(|m| m.contains("alias")), "{messages:#?}");
    let deep: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap().contains("deep"))
        .collect();
    assert!(
        deep.iter().any(|d| d["message"].as_str().unwrap().contains("deeper")),
        "the nesting limit is named: {deep:#?}"
    );

    // The same files in the editor.
    let server = server_for(&ws);
    for name in ["bomb", "deep"] {
        let path = ws.join(&format!("skills/{name}/SKILL.md"));
        let uri = file_uri(&path);
        server.open(&uri, 1, &std::fs::read_to_string(&path).unwrap());
        assert!(!server.diagnostics(&uri, Some(1)).is_empty(), "{name}");
    }
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_20_mb_skill_is_not_checked_and_says_so() {
    let ws = workspace("large-file");
    let paragraph = "Review the routes and the models; note what the team must fix first.\n\n";
    let big = format!(
        "{}\n## Notes\n\n{}",
        skill_named("big"),
        paragraph.repeat(20 * 1024 * 1024 / paragraph.len())
    );
    assert!(big.len() >= 20 * 1024 * 1024);
    ws.write("skills/big/SKILL.md", &big);

    // The command line refuses it, names it, and checks the rest.
    let (output, report) = check_json(&ws.path, &[]);
    assert_eq!(output.status.code(), Some(2), "{report}");
    assert!(
        input_errors(&report).contains(&("skills/big/SKILL.md".to_string(), "too-large".to_string())),
        "{report}"
    );
    assert_eq!(report["files"], 2, "the other skills are checked: {report}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("skills/big/SKILL.md: warning"),
        "named once, by the input error, not again as skipped by indexing: {stderr}"
    );

    // The editor publishes one diagnostic saying it was not checked.
    let server = server_for(&ws);
    let uri = file_uri(&ws.join("skills/big/SKILL.md"));
    server.open(&uri, 1, &big);
    let diags = server.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["too-large"], "{diags:#?}");
    assert_eq!(diags[0]["range"], range((0, 0), (0, 0)));
    assert!(
        diags[0]["message"].as_str().unwrap().contains("not checked"),
        "{diags:#?}"
    );
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

/// How many lines of `text` start with `prefix`.
fn lines_starting(text: &str, prefix: &str) -> usize {
    text.lines().filter(|l| l.starts_with(prefix)).count()
}

/// Waits for a `window/showMessage` whose text holds `needle`; its params.
fn shown_message(server: &Server, needle: &str) -> Value {
    server.wait_for(&format!("a message saying {needle:?}"), |m| {
        m["method"] == "window/showMessage" && m["params"]["message"].as_str().is_some_and(|t| t.contains(needle))
    })["params"]
        .clone()
}

#[test]
fn files_over_the_index_limit_are_not_read_and_are_named() {
    // An interface document of 3 MB (over the 2 MiB indexing limit) that
    // defines a method, a template and a linked context file as large: none
    // is read, the built-in catalogue and template apply, the method is
    // unknown (SK201), and each skip is named once, saying what and which
    // limit.
    let ws = workspace("big-interface");
    let doc = std::fs::read_to_string(ws.join("interfaces/memory_store.md")).unwrap();
    let with_huge = format!("{doc}\n### 99. `hugeMethod(projectName)`\n");
    let padding = "Filler text that makes this document very large.\n".repeat(3 * 1024 * 1024 / 50);
    ws.write("interfaces/memory_store.md", &format!("{with_huge}\n{padding}"));
    ws.write("skills/SKILL_TEMPLATE.md", &padding);
    ws.write("context/python/huge.md", &format!("# Usage\n\n{padding}"));
    let text = skill_named("demo").replace(
        "`memoryStore.getByProject(\"{project-name}\")`",
        "`memoryStore.hugeMethod(\"{project-name}\")`",
    ) + "\nSee [the long notes](../../context/python/huge.md#usage).\n";
    assert!(text.contains("hugeMethod"));
    ws.write("skills/demo/SKILL.md", &text);
    let linked_notice = "context/python/huge.md: warning[file-too-large] was not read: 2.9 MiB";
    let doc_notice = "interfaces/memory_store.md: warning[file-too-large] was not read: 3.0 MiB, over the 2 MiB limit";
    let template_notice =
        "skills/SKILL_TEMPLATE.md: warning[file-too-large] was not read: 2.9 MiB, over the 2 MiB limit";

    // JSON: stdout is the specified document and nothing else; the notices
    // go to stderr, once each. The SK201 finding says why.
    let (output, report) = check_json(&ws.path, &["skills/demo/SKILL.md", "skills/fastapi-review/SKILL.md"]);
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["diagnostics", "errors", "files"], "{report}");
    assert!(input_errors(&report).is_empty(), "a skip is no input error: {report}");
    assert_eq!(output.status.code(), Some(1), "the SK201 error: {report}");
    let unknown: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SK201" && d["message"].as_str().unwrap().contains("hugeMethod"))
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(unknown.len(), 1, "{report}");
    assert!(
        unknown[0].contains("interfaces/memory_store.md was not read: 3.0 MiB, over the 2 MiB limit"),
        "{}",
        unknown[0]
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        lines_starting(&stderr, &format!("skill-lsp: {doc_notice}")),
        1,
        "{stderr}"
    );
    assert_eq!(
        lines_starting(&stderr, &format!("skill-lsp: {template_notice}")),
        1,
        "{stderr}"
    );
    // Found too large while checking the link to it.
    assert_eq!(
        lines_starting(&stderr, &format!("skill-lsp: {linked_notice}")),
        1,
        "{stderr}"
    );

    // Human: the notices first, once per run however many skills use the
    // root; alone they leave the exit status as the findings make it.
    let run = common::run_cli(&ws.path, &["check", "skills/fastapi-review/SKILL.md"]);
    assert_eq!(run.code, 0, "no finding, only notices:\n{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with(doc_notice), "{}", run.stdout);
    assert!(
        lines[0].contains("the built-in `memoryStore` methods apply instead"),
        "{}",
        run.stdout
    );
    assert!(lines[1].starts_with(template_notice), "{}", run.stdout);
    let run = common::run_cli(&ws.path, &["check", "skills"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(lines_starting(&run.stdout, doc_notice), 1, "{}", run.stdout);
    assert_eq!(lines_starting(&run.stdout, template_notice), 1, "{}", run.stdout);
    assert_eq!(lines_starting(&run.stdout, linked_notice), 1, "{}", run.stdout);

    // The server: a warning message for each skip once the root is indexed,
    // and the finding's message says why.
    let server = server_for(&ws);
    let shown = shown_message(
        &server,
        "interfaces/memory_store.md was not read: 3.0 MiB, over the 2 MiB limit",
    );
    assert_eq!(shown["type"], 2, "a warning: {shown}");
    assert_eq!(
        shown_message(&server, "skills/SKILL_TEMPLATE.md was not read")["type"],
        2
    );
    let uri = file_uri(&ws.join("skills/demo/SKILL.md"));
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk201: Vec<&Value> = diags.iter().filter(|d| d["code"] == "SK201").collect();
    assert_eq!(sk201.len(), 1, "{diags:#?}");
    assert!(
        sk201[0]["message"]
            .as_str()
            .unwrap()
            .contains("memory_store.md was not read"),
        "{diags:#?}"
    );
    let linked = shown_message(&server, "context/python/huge.md was not read: 2.9 MiB");
    assert!(
        linked["message"].as_str().unwrap().contains("links to its headings"),
        "{linked}"
    );

    // Reindexed for another change: the skip is not told again. Made small,
    // the document is read and the method known.
    let other = ws.join("interfaces/context_provider.md");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&other), "type": 2}]}),
    );
    server.diagnostics_where(&uri, "diagnostics after the reindex", |d| {
        d.iter().any(|d| d["code"] == "SK201")
    });
    ws.write("interfaces/memory_store.md", &with_huge);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&ws.join("interfaces/memory_store.md")), "type": 2}]}),
    );
    server.diagnostics_where(&uri, "SK201 gone once the document is read", |d| {
        !d.iter().any(|d| d["code"] == "SK201")
    });
    let repeated = server.drain(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("was not read"))
    });
    assert!(repeated.is_empty(), "told once only: {repeated:#?}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn invalid_utf8_files_are_named_and_the_rest_is_indexed() {
    let ws = workspace("utf8");
    let bad = b"---\nname: latin1\ndescription: Caf\xe9\n---\n# Caf\xe9\n";
    std::fs::create_dir_all(ws.join("skills/latin1")).unwrap();
    std::fs::write(ws.join("skills/latin1/SKILL.md"), bad).unwrap();
    std::fs::write(ws.join("context/python/broken.md"), b"# \xff\xfe\n").unwrap();
    #[cfg(unix)]
    {
        // A file name that is not UTF-8 either.
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        std::fs::write(ws.join("context/python").join(name), b"# Caf\xe9\n").unwrap();
    }
    std::fs::write(ws.join("interfaces/memory_store.md"), {
        let mut doc = std::fs::read(ws.join("interfaces/memory_store.md")).unwrap();
        doc.extend_from_slice(b"\n\xc3\x28 stray bytes\n");
        doc
    })
    .unwrap();

    let (output, report) = check_json(&ws.path, &[]);
    assert_eq!(output.status.code(), Some(2), "{report}");
    let errors = input_errors(&report);
    assert!(
        errors.contains(&("skills/latin1/SKILL.md".to_string(), "invalid-utf8".to_string())),
        "{errors:?}"
    );
    let fastapi: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "skills/fastapi-review/SKILL.md")
        .collect();
    assert!(fastapi.is_empty(), "the catalogue is still read: {fastapi:#?}");

    let server = server_for(&ws);
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let ws = workspace("links");
    let outside = TempDir::new("links-outside");
    outside.write("secret/keys.md", "# Keys\n");
    symlink(&ws.path, ws.join("skills/loop")).unwrap();
    symlink("..", ws.join("context/python/up")).unwrap();
    symlink(ws.join("context"), ws.join("context/again")).unwrap();
    symlink("SKILL.md", {
        std::fs::create_dir_all(ws.join("skills/self")).unwrap();
        ws.join("skills/self/SKILL.md")
    })
    .unwrap();
    symlink(outside.join("secret"), ws.join("context/secret")).unwrap();
    // A skill whose domain exists only through the link out of the root.
    let text = skill_named("outsider").replace("primary_domain: \"python\"", "primary_domain: \"secret\"");
    ws.write("skills/outsider/SKILL.md", &text);

    let (output, report) = check_json(&ws.path, &[]);
    assert_eq!(output.status.code(), Some(2), "{report}");
    let kinds: Vec<String> = input_errors(&report).into_iter().map(|e| e.1).collect();
    assert!(kinds.iter().all(|k| k == "symlink-loop"), "{kinds:?}");
    assert!(!kinds.is_empty());
    let outsider: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "skills/outsider/SKILL.md")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(
        outsider.contains(&"SK208".to_string()),
        "a domain reached only through a link out of the root is unknown: {outsider:?}"
    );

    let server = server_for(&ws);
    let uri = file_uri(&ws.join("skills/outsider/SKILL.md"));
    server.open(&uri, 1, &text);
    assert!(codes(&server.diagnostics(&uri, Some(1))).contains(&"SK208".to_string()));
    assert_still_usable(&server, &ws, 2);
    assert!(server.shutdown_and_exit().success());

    // A root whose `interfaces/` is a link out of it: the interface documents
    // there are not read (the built-in catalogue applies), so a method only
    // they define is unknown.
    let doc = std::fs::read_to_string(ws.join("interfaces/memory_store.md")).unwrap();
    outside.write(
        "interfaces/memory_store.md",
        &format!("{doc}\n### 99. `leakedMethod(projectName)`\n\nDefined only outside the root.\n"),
    );
    let linked = TempDir::new("links-root");
    symlink(outside.join("interfaces"), linked.join("interfaces")).unwrap();
    let leaky = skill_named("leaky").replace(
        "`memoryStore.getByProject(\"{project-name}\")`",
        "`memoryStore.leakedMethod(\"{project-name}\")`",
    );
    assert!(leaky.contains("leakedMethod"));
    linked.write("skills/leaky/SKILL.md", &leaky);
    let (_, report) = check_json(&linked.path, &["skills/leaky/SKILL.md"]);
    let found: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SK201" && d["message"].as_str().unwrap().contains("leakedMethod"))
        .collect();
    assert_eq!(found.len(), 1, "the outside catalogue was not read: {report}");
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_pipes_are_skipped_not_waited_on() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace("unreadable");
    let secret = ws.write("skills/secret/SKILL.md", &skill_named("secret"));
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let context_doc = ws.join("context/python/fastapi_patterns.md");
    std::fs::set_permissions(&context_doc, std::fs::Permissions::from_mode(0o000)).unwrap();
    // A named pipe where a skill would be: reading it would wait forever.
    std::fs::create_dir_all(ws.join("skills/pipe")).unwrap();
    let fifo = ws.join("skills/pipe/SKILL.md");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());

    let (output, report) = check_json(&ws.path, &[]);
    let root = std::fs::read(&secret).is_ok(); // root reads everything
    if !root {
        assert_eq!(output.status.code(), Some(2), "{report}");
        assert!(
            input_errors(&report).contains(&("skills/secret/SKILL.md".to_string(), "unreadable".to_string())),
            "{report}"
        );
    }
    if made {
        // Found by the walk: named, not read.
        assert!(
            input_errors(&report).contains(&("skills/pipe/SKILL.md".to_string(), "unreadable".to_string())),
            "{report}"
        );
        let (output, report) = check_json(&ws.path, &["skills/pipe/SKILL.md"]);
        assert_eq!(output.status.code(), Some(2), "{report}");
        assert_eq!(
            input_errors(&report),
            [("skills/pipe/SKILL.md".to_string(), "unreadable".to_string())]
        );
    }

    // A skill linking to a pipe: checked, and navigation does not open it.
    let piped = format!("{}\nSee [the pipe](pipe.md#part).\n", skill_named("piped"));
    let piped_path = ws.write("skills/piped/SKILL.md", &piped);
    let pipe_made = Command::new("mkfifo")
        .arg(ws.join("skills/piped/pipe.md"))
        .status()
        .is_ok_and(|s| s.success());
    if pipe_made {
        let (_, report) = check_json(&ws.path, &["skills/piped/SKILL.md"]);
        assert_eq!(report["files"], 1, "{report}");
    }

    let mut server = server_for(&ws);
    let uri = file_uri(&piped_path);
    server.open(&uri, 1, &piped);
    server.diagnostics(&uri, Some(1));
    let line = piped.lines().count() as u32 - 1;
    for method in ["textDocument/definition", "textDocument/hover"] {
        let at = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 8}});
        let id = server.send_request(method, at);
        assert!(server.response(id).get("result").is_some(), "{method}");
    }
    let id = server.send_request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
    assert!(server.response(id).get("result").is_some());
    assert_still_usable(&server, &ws, 1);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn folders_with_10_000_files_are_indexed_in_bounded_time_and_say_what_they_skipped() {
    let ws = workspace("many-files");
    let dir = ws.join("context/python");
    for i in 0..10_000 {
        std::fs::write(dir.join(format!("topic_{i:05}.md")), "# Topic\n").unwrap();
    }
    // With the example's own files the folder holds more than the 10,000
    // entries indexed: a topic not found there is not called missing.
    let text = skill_named("many").replace(
        "topics: [\"fastapi_patterns\", \"dependency_management\"]",
        "topics: [\"topic_09999\", \"no_such_topic\"]",
    );
    assert!(text.contains("no_such_topic"));
    ws.write("skills/many/SKILL.md", &text);

    // A `skills/` folder as full is read whole: its limit only guards
    // against a runaway folder, far above any real repository.
    for i in 0..10_000 {
        std::fs::write(ws.join(&format!("skills/filler_{i:05}.txt")), "").unwrap();
    }
    let (output, report) = check_json(&ws.path, &["skills/many/SKILL.md"]);
    assert_eq!(output.status.code(), Some(0), "notices leave the exit status: {report}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        lines_starting(
            &stderr,
            "skill-lsp: context/python/: warning[folder-too-large] holds more than the 10,000 entries"
        ),
        1,
        "{stderr}"
    );
    assert_eq!(lines_starting(&stderr, "skill-lsp: skills/:"), 0, "{stderr}");
    let run = common::run_cli(&ws.path, &["check", "skills/many/SKILL.md"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("context/python/: warning[folder-too-large] holds more than the 10,000 entries skill-lsp indexes per folder, so "),
        "{}",
        run.stdout
    );
    assert_eq!(lines_starting(&run.stdout, "skills/:"), 0, "{}", run.stdout);

    let sk209: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SK209")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        sk209
            .iter()
            .any(|m| m.contains("`no_such_topic`") && m.contains("skipped")),
        "the finding says entries were skipped: {sk209:#?}"
    );
    assert!(
        sk209
            .iter()
            .all(|m| m.contains("could not be confirmed") && m.len() < 600),
        "{sk209:#?}"
    );

    let server = server_for(&ws);
    let shown = shown_message(&server, "context/python/ holds more than the 10,000 entries");
    assert_eq!(shown["type"], 2, "{shown}");
    let uri = file_uri(&ws.join("skills/many/SKILL.md"));
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    assert!(codes(&diags).iter().all(|c| c == "SK209"), "{diags:#?}");
    assert!(server.shutdown_and_exit().success());
}
