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
//! `keystroke` is the 1 MB skill of the benchmarks with one character typed
//! and deleted in turn in its middle: each round updates the last parse
//! (`SkillDoc::update`), as the language server does per keystroke.
//! `--without PREFIX` turns off every rule whose code starts with PREFIX
//! (repeatable); `--parse-only` parses and checks nothing. Prints the
//! number of diagnostics of one round.

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
    let mut parse_only = false;
    while let Some(flag) = args.next() {
        if flag == "--parse-only" {
            parse_only = true;
            continue;
        }
        let (true, Some(prefix)) = (flag == "--without", args.next()) else {
            usage()
        };
        for rule in ALL.iter().filter(|r| r.code.starts_with(&prefix)) {
            config.rules.insert(rule.code.to_string(), RuleLevel::Off);
        }
    }
    let (ws, skills) = inputs(&input);
    let mut last = (input == "keystroke").then(|| SkillDoc::parse(skills[1].0.clone(), skills[1].1.clone()));
    let mut found = 0;
    for round in 0..rounds {
        let mut diagnostics = 0;
        let each = if last.is_some() {
            &skills[round % 2..round % 2 + 1]
        } else {
            &skills[..]
        };
        for (text, path) in each {
            let doc = match &last {
                Some(before) => before.update(text.clone()),
                None => SkillDoc::parse(text.clone(), path.clone()),
            };
            if !parse_only {
                diagnostics += check(&doc, &ws, &config).len();
            }
            if last.is_some() {
                last = Some(doc);
            }
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
        "keystroke" => {
            let path = Some(common::typical().path);
            let texts = common::keystroke_texts().map(|t| (Arc::from(t), path.clone()));
            (common::workspace(), texts.into())
        }
        path => {
            let skill = common::read(std::path::Path::new(path));
            let name = skill_core::workspace::skill_name(&skill.path).unwrap_or_default();
            let ws = Workspace::for_repository([(name, skill.path.clone())]);
            (ws, vec![read(skill)])
        }
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: check_loop typical|corpus|keystroke|PATH/SKILL.md ROUNDS [--parse-only] [--without CODE-PREFIX]..."
    );
    std::process::exit(2)
}
