//! A small LSP client for end-to-end tests: spawns the real `skill-lsp`
//! binary and speaks JSON-RPC over its stdio.
//!
//! - [`Server::request`] / [`Server::notify`] send; [`Server::wait_for`] waits
//!   (with a generous timeout, never asserting durations) for the first
//!   message matching a predicate and consumes it.
//! - Requests from the server (`workspace/configuration`,
//!   `client/registerCapability`, ...) are answered on the reader thread by
//!   the handler set with [`Server::on_request`] (default: `null`), and also
//!   queued so a test can wait for them.
//! - Every `textDocument/publishDiagnostics` is also kept in a history, so a
//!   test can check what was ever published for a document and in which order.
//!
//! Test files use it with `mod common;`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long to wait for anything. Generous: tests must not be timing-flaky.
pub const TIMEOUT: Duration = Duration::from_secs(60);

type Handler = Box<dyn Fn(&Value) -> Value + Send>;

#[derive(Default)]
struct Inbox {
    /// Messages not yet consumed by a wait.
    queue: Vec<Value>,
    /// Every `publishDiagnostics` params, in arrival order.
    published: Vec<Value>,
    /// The server closed its stdout.
    closed: bool,
}

struct Shared {
    inbox: Mutex<Inbox>,
    arrived: Condvar,
    handlers: Mutex<HashMap<String, Handler>>,
    stdin: Mutex<Option<ChildStdin>>,
    stderr: Mutex<String>,
}

impl Shared {
    fn write(&self, msg: &Value) {
        let body = msg.to_string();
        let mut stdin = self.stdin.lock().unwrap();
        let Some(stdin) = stdin.as_mut() else {
            panic!("stdin already closed; cannot send {body}")
        };
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        // The server may have exited (a test of exit does that): ignore errors.
        let _ = stdin.write_all(framed.as_bytes()).and_then(|()| stdin.flush());
    }
}

/// A running `skill-lsp` and the client end of its stdio.
pub struct Server {
    child: Child,
    shared: Arc<Shared>,
    next_id: i64,
}

/// How to start the server.
pub struct Builder {
    command: Command,
}

impl Builder {
    pub fn env(mut self, key: &str, value: &str) -> Builder {
        self.command.env(key, value);
        self
    }

    pub fn arg(mut self, arg: &str) -> Builder {
        self.command.arg(arg);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Builder {
        self.command.current_dir(dir);
        self
    }

    pub fn spawn(mut self) -> Server {
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start skill-lsp");
        let shared = Arc::new(Shared {
            inbox: Mutex::default(),
            arrived: Condvar::new(),
            handlers: Mutex::default(),
            stdin: Mutex::new(child.stdin.take()),
            stderr: Mutex::default(),
        });
        let stdout = child.stdout.take().unwrap();
        let reader_shared = shared.clone();
        std::thread::spawn(move || read_messages(stdout, &reader_shared));
        let stderr = child.stderr.take().unwrap();
        let stderr_shared = shared.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = stderr_shared.stderr.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Server {
            child,
            shared,
            next_id: 1,
        }
    }
}

/// The path of the binary under test, for test targets and examples alike.
pub fn binary() -> PathBuf {
    if let Some(path) = option_env!("CARGO_BIN_EXE_skill-lsp") {
        return PathBuf::from(path);
    }
    // Examples: target/<profile>/examples/<name> → target/<profile>/skill-lsp
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(Path::parent).expect("target folder");
    dir.join(format!("skill-lsp{}", std::env::consts::EXE_SUFFIX))
}

fn read_messages(stdout: impl Read, shared: &Shared) {
    let mut reader = BufReader::new(stdout);
    while let Some(msg) = read_message(&mut reader) {
        let is_server_request = msg.get("method").is_some() && msg.get("id").is_some();
        if is_server_request {
            let method = msg["method"].as_str().unwrap_or_default().to_string();
            let result = match shared.handlers.lock().unwrap().get(&method) {
                Some(handler) => handler(&msg["params"]),
                None => Value::Null,
            };
            shared.write(&json!({"jsonrpc": "2.0", "id": msg["id"], "result": result}));
        }
        let mut inbox = shared.inbox.lock().unwrap();
        if msg["method"] == "textDocument/publishDiagnostics" {
            inbox.published.push(msg["params"].clone());
        }
        inbox.queue.push(msg);
        shared.arrived.notify_all();
    }
    shared.inbox.lock().unwrap().closed = true;
    shared.arrived.notify_all();
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    /// Starts `skill-lsp` with no arguments (the server), logging its own debug messages.
    pub fn spawn() -> Server {
        Server::builder().spawn()
    }

    pub fn builder() -> Builder {
        Server::builder_for(&binary())
    }

    /// A builder for another `skill-lsp` binary (a release build, say).
    pub fn builder_for(binary: &Path) -> Builder {
        let mut command = Command::new(binary);
        command.env("SKILL_LSP_LOG", "skill_lsp=debug");
        Builder { command }
    }

    /// Answers the server's `method` requests with `handler(params)`.
    pub fn on_request(&self, method: &str, handler: impl Fn(&Value) -> Value + Send + 'static) {
        self.shared
            .handlers
            .lock()
            .unwrap()
            .insert(method.to_string(), Box::new(handler));
    }

    /// Sends a request; its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.shared
            .write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Writes `bytes` to the server's stdin as they are: malformed framing,
    /// bodies that are not JSON, huge messages.
    pub fn write_raw(&self, bytes: &[u8]) {
        let mut stdin = self.shared.stdin.lock().unwrap();
        let stdin = stdin.as_mut().expect("stdin already closed");
        let _ = stdin.write_all(bytes).and_then(|()| stdin.flush());
    }

    /// Whether the server process is still running.
    /// The server's process id (to read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.shared
            .write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response to request `id` (`result` or `error`).
    pub fn response(&self, id: i64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |m| {
            m.get("method").is_none() && m["id"] == id
        })
    }

    /// Sends a request and returns its `result`; panics on an error answer.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}\n{}", self.stderr_tail());
        }
        response["result"].clone()
    }

    /// Waits for the first unconsumed message matching `pred` and consumes it.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let mut inbox = self.shared.inbox.lock().unwrap();
        loop {
            if let Some(i) = inbox.queue.iter().position(&pred) {
                return inbox.queue.remove(i);
            }
            let now = Instant::now();
            if inbox.closed || now >= deadline {
                let why = if inbox.closed {
                    "the server closed its output"
                } else {
                    "timed out"
                };
                let seen: Vec<String> = inbox.queue.iter().map(short).collect();
                drop(inbox);
                panic!(
                    "waiting for {what}: {why}\nunconsumed: {seen:#?}\n{}",
                    self.stderr_tail()
                );
            }
            inbox = self.shared.arrived.wait_timeout(inbox, deadline - now).unwrap().0;
        }
    }

    /// Waits for a notification (or server request) by method; its params.
    pub fn notification(&self, method: &str) -> Value {
        self.wait_for(method, |m| m["method"] == method)["params"].clone()
    }

    /// Waits for the diagnostics published for `uri` at `version` (`None`:
    /// published without a version); the diagnostics.
    pub fn diagnostics(&self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let what = format!("diagnostics for {uri} version {version:?}");
        let msg = self.wait_for(&what, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == version
        });
        msg["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Waits for diagnostics for `uri` (any version) that satisfy `pred`.
    pub fn diagnostics_where(&self, uri: &str, what: &str, pred: impl Fn(&[Value]) -> bool) -> Value {
        self.wait_for(what, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && pred(
                    m["params"]["diagnostics"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default(),
                )
        })["params"]
            .clone()
    }

    /// Every `publishDiagnostics` for `uri` so far, in order: (version, diagnostics).
    pub fn published(&self, uri: &str) -> Vec<(Option<i64>, Vec<Value>)> {
        let inbox = self.shared.inbox.lock().unwrap();
        inbox
            .published
            .iter()
            .filter(|p| p["uri"] == uri)
            .map(|p| {
                (
                    p["version"].as_i64(),
                    p["diagnostics"].as_array().cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Consumes and returns every queued message for which `pred` holds, without waiting.
    pub fn drain(&self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut inbox = self.shared.inbox.lock().unwrap();
        let (taken, kept) = std::mem::take(&mut inbox.queue).into_iter().partition(|m| pred(m));
        inbox.queue = kept;
        taken
    }

    /// `initialize` with `params`, then `initialized`; the initialize result.
    pub fn initialize(&mut self, params: Value) -> Value {
        let result = self.request("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// `initialize` as a plain client (UTF-16, pushed diagnostics), for `root`.
    pub fn initialize_for(&mut self, root: &Path) -> Value {
        self.initialize(json!({
            "processId": null,
            "rootUri": file_uri(root),
            "workspaceFolders": [{"uri": file_uri(root), "name": "ws"}],
            "capabilities": {}
        }))
    }

    pub fn open(&self, uri: &str, version: i64, text: &str) {
        self.open_as(uri, "markdown", version, text);
    }

    /// `didOpen` with the language id a client sends (`skill` from VS Code's
    /// own skill support, `markdown` from most others).
    pub fn open_as(&self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}}),
        );
    }

    /// `didChange` with a list of `{range, text}` changes.
    pub fn change(&self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// `didChange` replacing one range: lines and characters, zero-based.
    pub fn edit(&self, uri: &str, version: i64, start: (u32, u32), end: (u32, u32), text: &str) {
        self.change(uri, version, json!([{"range": range(start, end), "text": text}]));
    }

    pub fn close(&self, uri: &str) {
        self.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }

    /// `shutdown`, `exit`, and the exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Closes the server's stdin (the client went away).
    pub fn close_stdin(&self) {
        self.shared.stdin.lock().unwrap().take();
    }

    /// Waits for the process to end; panics if it does not within [`TIMEOUT`].
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for skill-lsp") {
                return status;
            }
            if Instant::now() >= deadline {
                panic!("skill-lsp did not exit\n{}", self.stderr_tail());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The end of what the server logged, for failure messages.
    pub fn stderr_tail(&self) -> String {
        let log = self.shared.stderr.lock().unwrap();
        let start = log.len().saturating_sub(4000);
        let start = (start..log.len())
            .find(|&i| log.is_char_boundary(i))
            .unwrap_or(log.len());
        format!("--- server log (tail) ---\n{}", &log[start..])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn short(msg: &Value) -> String {
    let text = msg.to_string();
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// An LSP range from (line, character) pairs.
pub fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

/// The UTF-16 (line, character) of byte `offset` in `text`, computed
/// independently of the server (lines end at `\n`; `\r` is not counted).
pub fn utf16_position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = before[line_start..]
        .trim_end_matches('\r')
        .chars()
        .map(char::len_utf16)
        .sum();
    (line as u32, col as u32)
}

/// The LSP range of the first occurrence of `needle` in `text`, in UTF-16.
pub fn utf16_range_of(text: &str, needle: &str) -> Value {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    range(utf16_position(text, start), utf16_position(text, start + needle.len()))
}

/// The codes of a list of LSP diagnostics, sorted.
pub fn codes(diags: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diags
        .iter()
        .filter_map(|d| d["code"].as_str().map(String::from))
        .collect();
    codes.sort();
    codes
}

/// The diagnostics with `code`.
pub fn with_code<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

/// A `file://` URI for an absolute path (percent-encoding what a URI path may not hold).
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'.' | b'_' | b'~' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// A folder under the system temp folder, removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        // Numbered: tests of one file may ask for the same name at once.
        let label = format!("skill-lsp-{name}-{}", COUNTER.fetch_add(1, Ordering::Relaxed));
        let path = test_corpus::scratch_dir(&label);
        // Canonical, so URIs match what the server derives from them.
        let path = path.canonicalize().unwrap();
        TempDir { path }
    }

    /// Writes `text` to `rel` (creating folders); the file's path.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Copies a folder tree (to edit a read-only corpus copy).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A skills root in a temporary folder holding the damaged corpus tree's
/// (`forge/forge-plugin`) interfaces and context and the skills named, with
/// the corpus folder it was copied from (for tests that copy more); `None`,
/// said on stderr, when the corpus is not at hand.
pub fn corpus_workspace(name: &str, skills: &[&str]) -> Option<(TempDir, PathBuf)> {
    let Some(corpus) = corpus_holding(&["forge/forge-plugin/skills"]) else {
        eprintln!("no corpus: skipped");
        return None;
    };
    let forge = corpus.join("forge/forge-plugin");
    let dir = TempDir::new(name);
    copy_dir(&forge.join("interfaces"), &dir.join("interfaces"));
    copy_dir(&forge.join("context"), &dir.join("context"));
    for skill in skills {
        copy_dir(&forge.join("skills").join(skill), &dir.join("skills").join(skill));
    }
    Some((dir, corpus))
}

/// The corpus of real skills holding every folder of `probes` (paths inside
/// it), as the `test-corpus` dev crate finds it; `None` when it is absent.
pub fn corpus_holding(probes: &[&str]) -> Option<PathBuf> {
    test_corpus::holding(probes)
}

/// What one run of the binary on the command line gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output read as JSON, which it must be.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

/// Runs the binary with `args` in `cwd`, without colour and with nothing on
/// standard input.
pub fn run_cli(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(binary())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the skill-lsp binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The byte offset in `text` of an LSP position with UTF-16 columns,
/// computed independently of the server: lines end at `\n`, and a column past
/// a line's content stops at its end (before any `\r`).
pub fn utf16_offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let character = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with LSP text edits (UTF-16 positions, disjoint, all relative to
/// `text`) applied.
pub fn apply_lsp_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                utf16_offset(text, &e["range"]["start"]),
                utf16_offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse((s.0, s.1)));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

/// The config a rule fixture is checked with: the nearest `skill-lsp.toml`
/// above `skill` inside `tests/fixtures` (it says the fixture's profile),
/// else the defaults.
pub fn fixture_config(skill: &Path) -> skill_core::Config {
    // Not canonical: the tests name fixtures through this same spelling.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut dir = skill.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(&fixtures)) {
        if let Ok(text) = std::fs::read_to_string(d.join("skill-lsp.toml")) {
            return skill_core::Config::from_toml(&text).unwrap();
        }
        dir = d.parent();
    }
    skill_core::Config::default()
}
