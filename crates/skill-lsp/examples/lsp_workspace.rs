//! Workspace-scale measurements of the language server over stdio, as an
//! editor drives it: start-up (spawn → `initialize` answered), `initialize` →
//! first diagnostics with a large workspace open, completion latency (p50,
//! p99) when the server offers completion, and the server's peak RSS.
//!
//! Run (after `cargo build --release -p skill-lsp`):
//!   cargo run --release -p skill-lsp --example lsp_workspace -- WORKSPACE [--server BIN] [--json]
//! where WORKSPACE is a skills root, e.g. one made by `bench/make_tree.py`.
//! `--json` prints one JSON object (for scripts) instead of the table.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How many fresh servers to start for the start-up figure.
const STARTS: usize = 15;
/// Completion requests per position.
const COMPLETIONS: usize = 200;
/// Silence after which the server is taken to have published all it will.
const QUIET: Duration = Duration::from_millis(1500);
/// The longest any single wait may take.
const LIMIT: Duration = Duration::from_secs(60);

fn main() {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("lsp_workspace: {message}");
            eprintln!("usage: lsp_workspace WORKSPACE [--server BIN] [--json]");
            std::process::exit(2);
        }
    };
    match run(&args) {
        Ok(report) => report.print(args.json),
        Err(message) => {
            eprintln!("lsp_workspace: {message}");
            std::process::exit(1);
        }
    }
}

struct Args {
    workspace: PathBuf,
    server: PathBuf,
    json: bool,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut workspace = None;
        let mut server = None;
        let mut json = false;
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--server" => server = Some(PathBuf::from(it.next().ok_or("--server needs a path")?)),
                "--json" => json = true,
                _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
                _ => workspace = Some(PathBuf::from(arg)),
            }
        }
        let workspace = workspace.ok_or("no WORKSPACE given")?;
        let workspace = workspace
            .canonicalize()
            .map_err(|e| format!("{}: {e}", workspace.display()))?;
        // Examples live in target/<profile>/examples/; the binary one level up.
        let server = match server {
            Some(s) => s,
            None => std::env::current_exe()
                .map_err(|e| e.to_string())?
                .parent()
                .and_then(Path::parent)
                .map(|dir| dir.join("skill-lsp"))
                .ok_or("cannot locate the skill-lsp binary; pass --server")?,
        };
        if !server.is_file() {
            return Err(format!(
                "no server binary at {} (build it, or pass --server)",
                server.display()
            ));
        }
        Ok(Args {
            workspace,
            server,
            json,
        })
    }
}

/// What was measured; `None` where the server does not offer the feature.
struct Report {
    skills: usize,
    startup: Summary,
    first_diagnostics: Option<Duration>,
    opened_diagnostics: Option<Duration>,
    published_uris: usize,
    last_diagnostics: Option<Duration>,
    completion: Vec<(String, Summary)>,
    completion_offered: bool,
    peak_rss_kib: Option<u64>,
}

#[derive(Clone, Copy)]
struct Summary {
    p50: Duration,
    p99: Duration,
    n: usize,
}

impl Summary {
    fn of(mut samples: Vec<Duration>) -> Summary {
        samples.sort();
        let n = samples.len();
        let at = |q: f64| samples[((n as f64 - 1.0) * q).round() as usize];
        Summary {
            p50: at(0.50),
            p99: at(0.99),
            n,
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Report {
    fn print(&self, as_json: bool) {
        let opt = |d: Option<Duration>| d.map(ms);
        if as_json {
            let completion: serde_json::Map<String, Value> = self
                .completion
                .iter()
                .map(|(name, s)| {
                    (
                        name.clone(),
                        json!({"p50_ms": ms(s.p50), "p99_ms": ms(s.p99), "n": s.n}),
                    )
                })
                .collect();
            let out = json!({
                "skills": self.skills,
                "startup_ms": {"p50": ms(self.startup.p50), "p99": ms(self.startup.p99), "n": self.startup.n},
                "initialize_to_first_diagnostics_ms": opt(self.first_diagnostics),
                "initialize_to_opened_file_diagnostics_ms": opt(self.opened_diagnostics),
                "published_uris": self.published_uris,
                "initialize_to_last_diagnostics_ms": opt(self.last_diagnostics),
                "completion_offered": self.completion_offered,
                "completion_ms": completion,
                "peak_rss_mib": self.peak_rss_kib.map(|k| k as f64 / 1024.0),
            });
            println!("{out}");
            return;
        }
        let show = |d: Option<Duration>| d.map_or("—".to_string(), |d| format!("{:.1} ms", ms(d)));
        println!("workspace: {} skills", self.skills);
        println!(
            "start-up → initialize answered: p50 {:.1} ms, p99 {:.1} ms ({} starts)",
            ms(self.startup.p50),
            ms(self.startup.p99),
            self.startup.n
        );
        println!(
            "initialize → first publishDiagnostics: {}",
            show(self.first_diagnostics)
        );
        println!(
            "initialize → diagnostics of the opened skill: {}",
            show(self.opened_diagnostics)
        );
        println!(
            "initialize → last publishDiagnostics: {} ({} documents published)",
            show(self.last_diagnostics),
            self.published_uris
        );
        if !self.completion_offered {
            println!("completion: not offered by the server (no completionProvider)");
        }
        for (name, s) in &self.completion {
            println!(
                "completion {name}: p50 {:.2} ms, p99 {:.2} ms ({} requests)",
                ms(s.p50),
                ms(s.p99),
                s.n
            );
        }
        match self.peak_rss_kib {
            Some(k) => println!("server peak RSS: {:.1} MiB", k as f64 / 1024.0),
            None => println!("server peak RSS: unknown (no /proc)"),
        }
    }
}

fn run(args: &Args) -> Result<Report, String> {
    let skills = skill_files(&args.workspace);
    let opened = skills
        .first()
        .cloned()
        .ok_or("no skills/<name>/SKILL.md in the workspace")?;

    // Start-up: a fresh process each time, up to the initialize answer.
    let mut starts = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        let started = Instant::now();
        let mut server = Server::spawn(&args.server)?;
        server.initialize(&args.workspace)?;
        starts.push(started.elapsed());
        server.shut_down();
    }

    // The workspace session.
    let mut server = Server::spawn(&args.server)?;
    let t0 = Instant::now();
    let capabilities = server.initialize(&args.workspace)?;
    server.notify("initialized", json!({}))?;
    let text = std::fs::read_to_string(&opened).map_err(|e| format!("{}: {e}", opened.display()))?;
    let opened_uri = file_uri(&opened);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": opened_uri, "languageId": "markdown", "version": 1, "text": text}}),
    )?;

    let mut first = None;
    let mut opened_at = None;
    let mut last = None;
    let mut uris = std::collections::HashSet::new();
    loop {
        let wait = if first.is_none() { LIMIT } else { QUIET };
        match server.next_message(wait) {
            Ok((at, msg)) => {
                if msg.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics") {
                    let uri = msg["params"]["uri"].as_str().unwrap_or_default().to_string();
                    let since = at.duration_since(t0);
                    first.get_or_insert(since);
                    if uri == opened_uri {
                        opened_at.get_or_insert(since);
                    }
                    last = Some(since);
                    uris.insert(uri);
                }
            }
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return Err("the server exited during the session".into()),
        }
        if t0.elapsed() > LIMIT {
            break;
        }
    }

    let completion_offered = !capabilities["completionProvider"].is_null();
    let mut completion = Vec::new();
    if completion_offered {
        for (name, position) in completion_positions(&text) {
            let mut samples = Vec::with_capacity(COMPLETIONS);
            for _ in 0..COMPLETIONS {
                let started = Instant::now();
                server.request(
                    "textDocument/completion",
                    json!({"textDocument": {"uri": opened_uri}, "position": position}),
                )?;
                samples.push(started.elapsed());
            }
            completion.push((name, Summary::of(samples)));
        }
    }

    let peak_rss_kib = server.peak_rss_kib();
    server.shut_down();
    Ok(Report {
        skills: skills.len(),
        startup: Summary::of(starts),
        first_diagnostics: first,
        opened_diagnostics: opened_at,
        published_uris: uris.len(),
        last_diagnostics: last,
        completion,
        completion_offered,
        peak_rss_kib,
    })
}

/// Where an author asks for completion: a new front matter key (start of the
/// line after `---`) and a method after `memoryStore.`.
fn completion_positions(text: &str) -> Vec<(String, Value)> {
    let mut out = vec![("front matter key".to_string(), json!({"line": 1, "character": 0}))];
    if let Some(at) = text.find("memoryStore.") {
        let after = at + "memoryStore.".len();
        let line = text[..after].matches('\n').count();
        let line_start = text[..after].rfind('\n').map_or(0, |i| i + 1);
        let character: usize = text[line_start..after].chars().map(char::len_utf16).sum();
        out.push((
            "interface method".to_string(),
            json!({"line": line, "character": character}),
        ));
    }
    out
}

/// `skills/<name>/SKILL.md` under the workspace, sorted.
fn skill_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("skills"))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.path().join("SKILL.md"))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// A server process and the messages it sends, each stamped on arrival.
struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<(Instant, Value)>,
    next_id: i64,
}

impl Server {
    fn spawn(bin: &Path) -> Result<Server, String> {
        let mut child = Command::new(bin)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send((Instant::now(), msg)).is_err() {
                    break;
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            incoming: rx,
            next_id: 1,
        })
    }

    fn send(&mut self, msg: Value) -> Result<(), String> {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body)
            .and_then(|_| self.stdin.flush())
            .map_err(|e| format!("cannot write to the server: {e}"))
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Sends a request and waits for its answer, answering the server's own
    /// requests meanwhile; notifications that arrive are dropped.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (_, msg) = self.next_message(left).map_err(|_| format!("no answer to {method}"))?;
            if msg.get("method").is_none() && msg.get("id") == Some(&json!(id)) {
                if let Some(error) = msg.get("error") {
                    return Err(format!("{method} failed: {error}"));
                }
                return Ok(msg.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    }

    /// The next message that is not a request from the server (those are answered here).
    fn next_message(&mut self, wait: Duration) -> Result<(Instant, Value), RecvTimeoutError> {
        let deadline = Instant::now() + wait;
        loop {
            let (at, msg) = self
                .incoming
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))?;
            if let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str)) {
                let result = match method {
                    // One null per item asked: "no settings, use your defaults".
                    "workspace/configuration" => {
                        let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                        Value::Array(vec![Value::Null; n])
                    }
                    _ => Value::Null,
                };
                let _ = self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
                continue;
            }
            return Ok((at, msg));
        }
    }

    fn initialize(&mut self, root: &Path) -> Result<Value, String> {
        let uri = file_uri(root);
        let name = root
            .file_name()
            .map_or("workspace".into(), |n| n.to_string_lossy().into_owned());
        let result = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": name}],
                "capabilities": {
                    "general": {"positionEncodings": ["utf-8", "utf-16"]},
                    "textDocument": {
                        "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
                        "completion": {"completionItem": {"snippetSupport": true}},
                        "synchronization": {"didSave": true}
                    },
                    "workspace": {
                        "workspaceFolders": true,
                        "configuration": true,
                        "didChangeWatchedFiles": {"dynamicRegistration": true}
                    }
                }
            }),
        )?;
        Ok(result.get("capabilities").cloned().unwrap_or(Value::Null))
    }

    /// The highest resident set size the process has had (Linux `VmHWM`).
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn shut_down(mut self) {
        let _ = self.request("shutdown", Value::Null);
        let _ = self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One JSON-RPC message (`Content-Length` framing); `None` at end of stream.
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
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
