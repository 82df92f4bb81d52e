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
//! Inputs: `typical` (the benchmarks' typical skill), `one-mb` (it grown to
//! 1 MiB), `corpus` (the 102 skills of the forge corpus, against its
//! workspace) or the path of a
//! `SKILL.md` outside a skills root (checked as `check` checks a standard
//! skill: no skills root, its own name the repository's only one).
//! `--without PREFIX` turns off every rule whose code starts with PREFIX
//! (repeatable). `--keystroke` checks each skill as the language server does
//! after a keystroke: a character typed at the end of a line in its middle
//! and deleted again, alternately, each text's parse updated from the
//! previous one (`SkillDoc::update`) and checked reusing the previous
//! check's block findings (`check_reusing`). Prints the number of
//! diagnostics of one round.

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::sync::Arc;

use skill_core::config::RuleLevel;
use skill_core::rules::ALL;
use skill_core::{check, check_reusing, BlockFindings, SkillDoc, Workspace};

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args.next().unwrap_or_else(|| usage());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage());
    let mut config = common::config();
    let mut keystroke = false;
    while let Some(flag) = args.next() {
        if flag == "--keystroke" {
            keystroke = true;
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
    // Per skill: the text and the text with one character typed, each
    // parsed and checked.
    let typed: Vec<[Typed; 2]> = if keystroke {
        skills
            .iter()
            .map(|(text, path)| {
                keystroke_pair(text, path).map(|(text, doc)| {
                    let found = check_reusing(&doc, None, &ws, &config).1;
                    (text, doc, found)
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut found = 0;
    for round in 0..rounds {
        let mut diagnostics = 0;
        if keystroke {
            for pair in &typed {
                let ((_, from, found), (to, _, _)) = (&pair[round % 2], &pair[(round + 1) % 2]);
                let doc = from.update(to.clone());
                diagnostics += check_reusing(&doc, Some((from, found)), &ws, &config).0.len();
            }
        }
        for (text, path) in skills.iter().filter(|_| !keystroke) {
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

/// A text, its parse and what the block rules found in it.
type Typed = (Arc<str>, SkillDoc, BlockFindings);

/// `text` and `text` with an `x` typed at the end of the line in its middle, each parsed.
fn keystroke_pair(text: &Arc<str>, path: &Option<PathBuf>) -> [(Arc<str>, SkillDoc); 2] {
    let at = text[text.len() / 2..]
        .find('\n')
        .map_or(text.len(), |i| text.len() / 2 + i);
    let typed: Arc<str> = format!("{}x{}", &text[..at], &text[at..]).into();
    [text.clone(), typed].map(|text| {
        let doc = SkillDoc::parse(text.clone(), path.clone());
        (text, doc)
    })
}

fn inputs(input: &str) -> (Workspace, Vec<Skill>) {
    let read = |i: common::Input| (Arc::from(i.text), Some(i.path));
    match input {
        "typical" => (common::workspace(), vec![read(common::typical())]),
        "one-mb" => {
            let typical = common::typical();
            let big = common::Input {
                text: common::grown(common::ONE_MB),
                ..typical
            };
            (common::workspace(), vec![read(big)])
        }
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
    eprintln!("usage: check_loop typical|one-mb|corpus|PATH/SKILL.md ROUNDS [--keystroke] [--without CODE-PREFIX]...");
    std::process::exit(2)
}
