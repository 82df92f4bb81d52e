//! How parse + check time grows with file size: the typical skill grown to
//! sizes from its own (~10 KB) up to 4 MB, each timed with a plain loop.
//! Prints CSV (`bytes,median_us,p90_us,runs`) for `bench/plot.py`.
//!
//! Run: `cargo bench -p skill-core --bench scaling [-- --out FILE]`.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use skill_core::{check, SkillDoc};

/// Sizes to grow the typical skill to; 0 stands for the skill as it is.
const SIZES: &[usize] = &[
    0,
    32 << 10,
    64 << 10,
    128 << 10,
    256 << 10,
    512 << 10,
    1 << 20,
    2 << 20,
    4 << 20,
];

/// Time spent per size, at least (more runs make the median steadier).
const BUDGET: Duration = Duration::from_millis(400);
const MIN_RUNS: usize = 7;
const MAX_RUNS: usize = 2_000;

fn main() {
    let out = out_path();
    let ws = common::workspace();
    let config = common::config();
    let skill = common::typical();
    let path = Some(skill.path.clone());

    let mut csv = String::from("bytes,median_us,p90_us,runs\n");
    for &size in SIZES {
        let text: Arc<str> = if size == 0 {
            Arc::from(skill.text.as_str())
        } else {
            Arc::from(common::grown(size))
        };
        let mut samples = Vec::new();
        let started = Instant::now();
        while samples.len() < MIN_RUNS || (started.elapsed() < BUDGET && samples.len() < MAX_RUNS) {
            let t = Instant::now();
            let doc = SkillDoc::parse(text.clone(), path.clone());
            std::hint::black_box(check(&doc, &ws, &config));
            samples.push(t.elapsed());
        }
        samples.sort();
        let median = samples[samples.len() / 2];
        let p90 = samples[(samples.len() * 9 / 10).min(samples.len() - 1)];
        let line = format!(
            "{},{:.1},{:.1},{}\n",
            text.len(),
            micros(median),
            micros(p90),
            samples.len()
        );
        eprint!("{line}");
        csv.push_str(&line);
    }
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, &csv) {
                eprintln!("cannot write {}: {e}", path.display());
                std::process::exit(1);
            }
        }
        None => {
            let _ = std::io::stdout().write_all(csv.as_bytes());
        }
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// `--out FILE`; every other argument (cargo passes `--bench`) is ignored.
fn out_path() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--out" {
            return args.next().map(PathBuf::from);
        }
    }
    None
}
