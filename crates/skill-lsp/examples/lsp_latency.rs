//! Keystroke latency of the language server, measured over stdio as an editor
//! sees it: `didChange` sent → `publishDiagnostics` for that version received.
//!
//! Measures, on the median-sized skill of the corpus and on a ~1 MB skill
//! built from it:
//! - start-up: process spawned → `initialize` answered;
//! - open → first diagnostics (includes indexing the skills root);
//! - one keystroke at a time (type a character at the end of a prose line,
//!   then delete it), each waited for: p50, p90, p99, max;
//! - a burst of keystrokes sent without waiting: time to the last version's
//!   diagnostics, and how many versions were checked (coalescing);
//! - on the corpus's largest skill (every tree), request → answer for
//!   `textDocument/semanticTokens/full` and `textDocument/inlayHint` over the
//!   whole document: p50, p90, max (`--requests-only` measures only these).
//!
//! `--memory` measures instead the server's memory while a ~0.5 MB skill
//! (`--size BYTES`) is edited for 1,000 keystrokes (`--keystrokes N`), each
//! waited for: typing prose in the middle of the body, a backspace now and
//! then, a new line now and then. After the first diagnostics and after
//! every 100 keystrokes it reads the server's `VmRSS` and `VmHWM` from
//! `/proc/PID/status` (Linux), and gives the keystrokes' latency.
//!
//! ```sh
//! cargo build --release -p skill-lsp --bin skill-lsp --example lsp_latency
//! target/release/examples/lsp_latency [--corpus DIR] [--iterations N] [--server PATH] [--json] [--requests-only]
//! target/release/examples/lsp_latency --memory [--size BYTES] [--keystrokes N] [--json]
//! ```
//!
//! The corpus is `--corpus`, else `$SKILL_LSP_CORPUS`, else `shared/corpus`
//! beside the repository (the `test-corpus` dev crate's lookup); its
//! `forge/forge-plugin` skills root is read, never written.

#[path = "../../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{file_uri, Server};
use serde_json::{json, Value};

struct Args {
    corpus: PathBuf,
    server: PathBuf,
    iterations: usize,
    json: bool,
    requests_only: bool,
    memory: bool,
    size: usize,
    keystrokes: usize,
}

fn parse_args() -> Args {
    let mut corpus = None;
    let mut server = None;
    let mut iterations = 400;
    let mut json = false;
    let mut requests_only = false;
    let mut memory = false;
    let mut size = 512 * 1024;
    let mut keystrokes = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from),
            "--server" => server = args.next().map(PathBuf::from),
            "--iterations" => iterations = args.next().and_then(|n| n.parse().ok()).unwrap_or(iterations),
            "--json" => json = true,
            "--requests-only" => requests_only = true,
            "--memory" => memory = true,
            "--size" => size = args.next().and_then(|n| n.parse().ok()).unwrap_or(size),
            "--keystrokes" => keystrokes = args.next().and_then(|n| n.parse().ok()).unwrap_or(keystrokes),
            _ => {
                eprintln!(
                    "usage: lsp_latency [--corpus DIR] [--iterations N] [--server PATH] [--json] [--requests-only]\n       \
                     lsp_latency --memory [--size BYTES] [--keystrokes N] [--corpus DIR] [--server PATH] [--json]"
                );
                std::process::exit(2);
            }
        }
    }
    let corpus = corpus.or_else(default_corpus).unwrap_or_else(|| {
        eprintln!("lsp_latency: no corpus found; pass --corpus or set SKILL_LSP_CORPUS");
        std::process::exit(2);
    });
    Args {
        corpus,
        server: server.unwrap_or_else(common::binary),
        iterations,
        json,
        requests_only,
        memory,
        size,
        keystrokes,
    }
}

fn default_corpus() -> Option<PathBuf> {
    test_corpus::holding(&["forge/forge-plugin"])
}

/// The skill of median size under `root/skills`.
fn median_skill(root: &Path) -> PathBuf {
    let mut skills: Vec<(u64, PathBuf)> = std::fs::read_dir(root.join("skills"))
        .expect("skills folder")
        .filter_map(|e| {
            let path = e.ok()?.path().join("SKILL.md");
            Some((std::fs::metadata(&path).ok()?.len(), path))
        })
        .collect();
    skills.sort();
    skills[skills.len() / 2].1.clone()
}

/// The skill followed by a notes section of its own prose, repeated to
/// `size` bytes (~1 MB in the latency table).
fn large_skill(text: &str, size: usize) -> String {
    let prose: String = text
        .lines()
        .filter(|l| is_prose(l))
        .map(|l| format!("{l}\n\n"))
        .collect();
    let mut out = format!("{text}\n## Reference Notes\n\n");
    while out.len() < size {
        out.push_str(&prose);
    }
    out
}

fn is_prose(line: &str) -> bool {
    let t = line.trim_start();
    t.len() > 40 && !t.starts_with(['#', '-', '*', '|', '`', '>', '<']) && !t.starts_with(|c: char| c.is_ascii_digit())
}

/// (line, UTF-16 length) of the prose line nearest the middle of the body.
fn typing_spot(text: &str) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let middle = lines.len() / 2;
    let line = (0..lines.len())
        .flat_map(|d| [middle.checked_sub(d), Some(middle + d)])
        .flatten()
        .find(|&i| i < lines.len() && is_prose(lines[i]))
        .expect("a prose line");
    (
        line as u32,
        lines[line].chars().map(char::len_utf16).sum::<usize>() as u32,
    )
}

struct Stats {
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    n: usize,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats {
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: *samples.last().unwrap(),
        n: samples.len(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn start(args: &Args, root: &Path) -> (Server, Duration) {
    let started = Instant::now();
    let mut server = Server::builder_for(&args.server).env("SKILL_LSP_LOG", "warn").spawn();
    server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "corpus"}],
        "capabilities": {}
    }));
    (server, started.elapsed())
}

struct Run {
    name: String,
    bytes: usize,
    diagnostics: usize,
    first: Duration,
    keystroke: Stats,
    burst: Duration,
    burst_len: usize,
    burst_checked: usize,
}

fn measure(args: &Args, root: &Path, path: &Path, text: &str, iterations: usize) -> Run {
    let (server, _) = start(args, root);
    let uri = file_uri(path);
    let t = Instant::now();
    server.open(&uri, 1, text);
    let diagnostics = server.diagnostics(&uri, Some(1)).len();
    let first = t.elapsed();
    let (line, col) = typing_spot(text);
    let mut version = 1;
    let mut samples = Vec::with_capacity(iterations);
    for i in 0..iterations {
        version += 1;
        let t = Instant::now();
        if i % 2 == 0 {
            server.edit(&uri, version, (line, col), (line, col), "x");
        } else {
            server.edit(&uri, version, (line, col), (line, col + 1), "");
        }
        server.diagnostics(&uri, Some(version));
        samples.push(t.elapsed());
    }
    // A burst: type a word without waiting, then delete it.
    let word = "coalescing";
    let before = server.published(&uri).len();
    let t = Instant::now();
    for (i, ch) in word.chars().enumerate() {
        version += 1;
        let c = col + i as u32;
        server.edit(&uri, version, (line, c), (line, c), &ch.to_string());
    }
    server.diagnostics(&uri, Some(version));
    let burst = t.elapsed();
    let burst_checked = server.published(&uri).len() - before;
    version += 1;
    server.edit(&uri, version, (line, col), (line, col + word.len() as u32), "");
    server.diagnostics(&uri, Some(version));
    server.shutdown_and_exit();
    Run {
        name: String::new(),
        bytes: text.len(),
        diagnostics,
        first,
        keystroke: stats(samples),
        burst,
        burst_len: word.len(),
        burst_checked,
    }
}

/// The largest `SKILL.md` anywhere under `corpus` (symbolic links not followed).
fn largest_skill(corpus: &Path) -> PathBuf {
    let mut best: Option<(u64, PathBuf)> = None;
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(e.path());
            } else if meta.is_file() && e.file_name() == "SKILL.md" && best.as_ref().is_none_or(|b| meta.len() > b.0) {
                best = Some((meta.len(), e.path()));
            }
        }
    }
    best.expect("a skill in the corpus").1
}

/// Request → answer times of semantic tokens and inlay hints on the largest skill.
struct Requests {
    path: PathBuf,
    bytes: usize,
    tokens: Stats,
    token_count: usize,
    hints: Stats,
    hint_count: usize,
}

fn measure_requests(args: &Args, root: &Path, iterations: usize) -> Requests {
    let path = largest_skill(&args.corpus).canonicalize().expect("largest skill");
    let text = std::fs::read_to_string(&path).expect("read the largest skill");
    let (mut server, _) = start(args, root);
    let uri = file_uri(&path);
    server.open(&uri, 1, &text);
    // Indexing and the first check are done before anything is timed.
    server.diagnostics(&uri, Some(1));
    let lines = text.lines().count() as u32 + 1;
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
    let (mut tokens, mut hints) = (Vec::new(), Vec::new());
    let (mut token_count, mut hint_count) = (0, 0);
    for _ in 0..iterations {
        let t = Instant::now();
        let answer = server.request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        );
        tokens.push(t.elapsed());
        token_count = answer["data"].as_array().map_or(0, |d| d.len() / 5);
        let t = Instant::now();
        let answer = server.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": whole}),
        );
        hints.push(t.elapsed());
        hint_count = answer.as_array().map_or(0, Vec::len);
    }
    server.shutdown_and_exit();
    Requests {
        path,
        bytes: text.len(),
        tokens: stats(tokens),
        token_count,
        hints: stats(hints),
        hint_count,
    }
}

fn print_requests(r: &Requests) {
    println!(
        "largest skill: {} ({} KB): {} semantic tokens, {} inlay hints",
        r.path.display(),
        r.bytes / 1024,
        r.token_count,
        r.hint_count
    );
    println!();
    println!("| request | p50 | p90 | max | n |");
    println!("|---|---|---|---|---|");
    for (name, s) in [
        ("semanticTokens/full", &r.tokens),
        ("inlayHint (whole document)", &r.hints),
    ] {
        println!(
            "| {name} | {} ms | {} ms | {} ms | {} |",
            ms(s.p50),
            ms(s.p90),
            ms(s.max),
            s.n
        );
    }
}

/// `VmRSS` and `VmHWM` of a process, in KiB (Linux `/proc`).
fn memory_of(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// One sample of the memory series: after `keystrokes` keystrokes.
struct MemorySample {
    keystrokes: usize,
    rss_kib: u64,
    hwm_kib: u64,
}

/// Edits a `size`-byte skill for `keystrokes` keystrokes, each waited for,
/// sampling the server's memory every 100.
fn measure_memory(args: &Args, root: &Path) -> (usize, Vec<MemorySample>, Stats) {
    let typical_path = median_skill(root);
    let typical = std::fs::read_to_string(&typical_path).expect("read the typical skill");
    let text = large_skill(&typical, args.size);
    let path = typical_path
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("large-skill/SKILL.md");
    let (server, _) = start(args, root);
    let uri = file_uri(&path);
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, Some(1));
    let sample = |n: usize| {
        let (rss_kib, hwm_kib) = memory_of(server.pid());
        MemorySample {
            keystrokes: n,
            rss_kib,
            hwm_kib,
        }
    };
    let mut series = vec![sample(0)];
    let (mut line, mut col) = typing_spot(&text);
    let sentence: Vec<char> = "Keep the reference notes short and point to the files they describe. "
        .chars()
        .collect();
    let mut samples = Vec::with_capacity(args.keystrokes);
    let mut typed = 0usize;
    for i in 1..=args.keystrokes {
        let version = i as i64 + 1;
        let t = Instant::now();
        if i % 10 == 0 && col > 0 {
            // A backspace.
            server.edit(&uri, version, (line, col - 1), (line, col), "");
            col -= 1;
        } else if i % 97 == 0 {
            server.edit(&uri, version, (line, col), (line, col), "\n");
            (line, col) = (line + 1, 0);
        } else {
            let c = sentence[typed % sentence.len()];
            typed += 1;
            server.edit(&uri, version, (line, col), (line, col), &c.to_string());
            col += c.len_utf16() as u32;
        }
        server.diagnostics(&uri, Some(version));
        samples.push(t.elapsed());
        if i % 100 == 0 || i == args.keystrokes {
            series.push(sample(i));
        }
    }
    server.shutdown_and_exit();
    (text.len(), series, stats(samples))
}

fn print_memory(bytes: usize, series: &[MemorySample], latency: &Stats, json: bool) {
    if json {
        let samples: Vec<Value> = series
            .iter()
            .map(|s| json!({"keystrokes": s.keystrokes, "rss_kib": s.rss_kib, "hwm_kib": s.hwm_kib}))
            .collect();
        let out = json!({
            "bytes": bytes,
            "memory": samples,
            "keystroke_ms": {"n": latency.n, "p50": latency.p50.as_secs_f64() * 1e3,
                "p90": latency.p90.as_secs_f64() * 1e3, "p99": latency.p99.as_secs_f64() * 1e3,
                "max": latency.max.as_secs_f64() * 1e3},
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap());
        return;
    }
    println!("server memory while a {} KB skill is edited:", bytes / 1024);
    println!();
    println!("| keystrokes | VmRSS | VmHWM (peak) |");
    println!("|---|---|---|");
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    for s in series {
        println!("| {} | {} | {} |", s.keystrokes, mib(s.rss_kib), mib(s.hwm_kib));
    }
    println!();
    println!(
        "keystroke → diagnostics: p50 {} ms, p90 {} ms, p99 {} ms, max {} ms ({} keystrokes)",
        ms(latency.p50),
        ms(latency.p90),
        ms(latency.p99),
        ms(latency.max),
        latency.n
    );
}

fn main() {
    let args = parse_args();
    let root = args
        .corpus
        .join("forge/forge-plugin")
        .canonicalize()
        .expect("corpus root");
    if args.memory {
        let (bytes, series, latency) = measure_memory(&args, &root);
        print_memory(bytes, &series, &latency, args.json);
        return;
    }
    let requests = measure_requests(&args, &root, (args.iterations / 2).max(50));
    if args.requests_only {
        print_requests(&requests);
        return;
    }
    let typical_path = median_skill(&root);
    let typical = std::fs::read_to_string(&typical_path).expect("read the typical skill");

    let startups: Vec<Duration> = (0..20)
        .map(|_| {
            let (server, took) = start(&args, &root);
            server.shutdown_and_exit();
            took
        })
        .collect();
    let startup = stats(startups);

    let mut small = measure(&args, &root, &typical_path, &typical, args.iterations);
    small.name = format!(
        "typical skill ({})",
        typical_path.parent().unwrap().file_name().unwrap().to_string_lossy()
    );
    // The large skill is never written: its URI names a file that does not exist.
    let large_path = typical_path
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("large-skill/SKILL.md");
    let large_text = large_skill(&typical, 1_000_000);
    let mut large = measure(&args, &root, &large_path, &large_text, (args.iterations / 8).max(20));
    large.name = "1 MB skill".into();

    if args.json {
        let run = |r: &Run| {
            json!({
                "name": r.name, "bytes": r.bytes, "diagnostics": r.diagnostics,
                "open_to_first_diagnostics_ms": r.first.as_secs_f64() * 1e3,
                "keystroke_ms": {"n": r.keystroke.n, "p50": r.keystroke.p50.as_secs_f64() * 1e3,
                    "p90": r.keystroke.p90.as_secs_f64() * 1e3, "p99": r.keystroke.p99.as_secs_f64() * 1e3,
                    "max": r.keystroke.max.as_secs_f64() * 1e3},
                "burst": {"keystrokes": r.burst_len, "to_last_ms": r.burst.as_secs_f64() * 1e3, "published": r.burst_checked}
            })
        };
        let request = |s: &Stats| json!({"n": s.n, "p50": s.p50.as_secs_f64() * 1e3, "p90": s.p90.as_secs_f64() * 1e3, "max": s.max.as_secs_f64() * 1e3});
        let out: Value = json!({
            "startup_to_initialize_ms": {"p50": startup.p50.as_secs_f64() * 1e3, "max": startup.max.as_secs_f64() * 1e3},
            "runs": [run(&small), run(&large)],
            "largest_skill": {"path": requests.path, "bytes": requests.bytes,
                "semantic_tokens_ms": request(&requests.tokens), "inlay_hints_ms": request(&requests.hints)}
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap());
        return;
    }
    println!(
        "start-up → initialize answered: p50 {} ms, max {} ms ({} runs)",
        ms(startup.p50),
        ms(startup.max),
        startup.n
    );
    println!();
    println!(
        "| skill | size | diagnostics | open → first | keystroke p50 | p90 | p99 | max | burst of {} → last |",
        small.burst_len
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in [&small, &large] {
        println!(
            "| {} | {} KB | {} | {} ms | {} ms | {} ms | {} ms | {} ms | {} ms ({} published) |",
            r.name,
            r.bytes / 1024,
            r.diagnostics,
            ms(r.first),
            ms(r.keystroke.p50),
            ms(r.keystroke.p90),
            ms(r.keystroke.p99),
            ms(r.keystroke.max),
            ms(r.burst),
            r.burst_checked
        );
    }
    println!();
    println!(
        "keystrokes measured: {} (typical), {} (1 MB)",
        small.keystroke.n, large.keystroke.n
    );
    println!();
    print_requests(&requests);
}
