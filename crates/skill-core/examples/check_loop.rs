//! A driver for profilers: parses and checks the same skills N times in one
//! thread, the work of `cargo bench -p skill-core --bench check` without the
//! timing harness, so callgrind or `perf` see only the analysis.
//!
//! ```sh
//! cargo build --release -p skill-core --example check_loop
//! valgrind --tool=callgrind --dump-instr=no target/release/examples/check_loop typical 100
//! target/release/examples/check_loop corpus 10 --without SK6   # the security rules off
//! ```
//!
//! Inputs: `typical` (the benchmarks' typical skill), `corpus` (the 102
//! skills of the forge corpus, against its workspace) or the path of a
//! `SKILL.md` outside a skills root (checked as `check` checks a standard
//! skill: no skills root, its own name the repository's only one).
//! `--without PREFIX` turns off every rule whose code starts with PREFIX
//! (repeatable). Prints the number of diagnostics of one round.

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::sync::Arc;

use skill_core::config::RuleLevel;
use skill_core::rules::ALL;
use skill_core::{check, SkillDoc, Workspace};

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args.next().unwrap_or_else(|| usage());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage());
    let mut config = common::config();
    while let Some(flag) = args.next() {
        let (true, Some(prefix)) = (flag == "--without", args.next()) else {
            usage()
        };
        for rule in ALL.iter().filter(|r| r.code.starts_with(&prefix)) {
            config.rules.insert(rule.code.to_string(), RuleLevel::Off);
        }
    }
    let (ws, skills) = inputs(&input);
    let mut found = 0;
    for round in 0..rounds {
        let mut diagnostics = 0;
        for (text, path) in &skills {
            let doc = SkillDoc::parse(text.clone(), path.clone());
            diagnostics += check(&doc, &ws, &config).len();
        }
        if round == 0 {
            found = diagnostics;
        }
    }
    println!(
        "{found} diagnostics per round, {} skills, {rounds} rounds",
        skills.len()
    );
}

type Skill = (Arc<str>, Option<PathBuf>);

fn inputs(input: &str) -> (Workspace, Vec<Skill>) {
    let read = |i: common::Input| (Arc::from(i.text), Some(i.path));
    match input {
        "typical" => (common::workspace(), vec![read(common::typical())]),
        "corpus" => (common::workspace(), common::corpus().into_iter().map(read).collect()),
        path => {
            let skill = common::read(std::path::Path::new(path));
            let name = skill_core::workspace::skill_name(&skill.path).unwrap_or_default();
            let ws = Workspace::for_repository([(name, skill.path.clone())]);
            (ws, vec![read(skill)])
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: check_loop typical|corpus|PATH/SKILL.md ROUNDS [--without CODE-PREFIX]...");
    std::process::exit(2)
}
