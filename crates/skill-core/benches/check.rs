//! Parse + check benchmarks: a typical skill, a 1 MB skill, the whole corpus,
//! and the workspace index they are checked against.
//!
//! Run: `cargo bench -p skill-core --bench check` (corpus from
//! `$SKILL_LSP_CORPUS` or `shared/corpus` beside the repository).

mod common;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use divan::{black_box, Bencher};
use skill_core::{check, check_reusing, BlockFindings, Config, SkillDoc, Workspace};

fn main() {
    divan::main();
}

/// Loaded once for every benchmark: what a long-running server holds.
struct Env {
    ws: Workspace,
    config: Config,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| Env {
        ws: common::workspace(),
        config: common::config(),
    })
}

fn input(text: &str, path: &std::path::Path) -> (Arc<str>, Option<PathBuf>) {
    (Arc::from(text), Some(path.to_path_buf()))
}

/// Parse + check of one median-sized real skill: the cost of a keystroke's
/// analysis in the editor, and of one file in the CLI.
#[divan::bench]
fn typical_skill(bencher: Bencher) {
    let env = env();
    let skill = common::typical();
    let (text, path) = input(&skill.text, &skill.path);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench_local(|| {
            let doc = SkillDoc::parse(black_box(text.clone()), path.clone());
            check(&doc, &env.ws, &env.config)
        });
}

/// Parse alone of the typical skill, to split the cost between the model and the rules.
#[divan::bench]
fn typical_skill_parse_only(bencher: Bencher) {
    let skill = common::typical();
    let (text, path) = input(&skill.text, &skill.path);
    bencher.bench_local(|| SkillDoc::parse(black_box(text.clone()), path.clone()));
}

/// Parse + check of a 1 MB skill (the typical skill grown with reference sections).
#[divan::bench(sample_count = 30)]
fn one_mb_skill(bencher: Bencher) {
    let env = env();
    let skill = common::typical();
    let big = common::grown(common::ONE_MB);
    let (text, path) = input(&big, &skill.path);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench_local(|| {
            let doc = SkillDoc::parse(black_box(text.clone()), path.clone());
            check(&doc, &env.ws, &env.config)
        });
}

/// The 1 MB skill and the same text with one character typed at the end
/// of a line in its middle, each parsed (and checked, what the block rules
/// found kept): the two sides of a keystroke.
fn keystroke_pair() -> [(Arc<str>, SkillDoc, BlockFindings); 2] {
    let path = Some(common::typical().path);
    let before = common::grown(common::ONE_MB);
    let at = before[before.len() / 2..]
        .find('\n')
        .map_or(before.len(), |i| before.len() / 2 + i);
    let after = format!("{}x{}", &before[..at], &before[at..]);
    [before, after].map(|text| {
        let text: Arc<str> = text.into();
        let doc = SkillDoc::parse(text.clone(), path.clone());
        let found = check_reusing(&doc, None, &env().ws, &env().config).1;
        (text, doc, found)
    })
}

/// A keystroke in the middle of the 1 MB skill as the language server
/// handles it: the last parse updated to the new text (`SkillDoc::update`),
/// then checked reusing what the block rules found in the blocks the
/// keystroke did not touch (`check_reusing`). Typing and deleting alternate.
#[divan::bench(sample_count = 30)]
fn one_mb_keystroke(bencher: Bencher) {
    let env = env();
    let pair = keystroke_pair();
    let mut n = 0;
    bencher.bench_local(|| {
        n += 1;
        let ((_, from, found), (to, _, _)) = (&pair[n % 2], &pair[(n + 1) % 2]);
        let doc = from.update(black_box(to.clone()));
        check_reusing(&doc, Some((from, found)), &env.ws, &env.config)
    });
}

/// The update alone, to split a keystroke's cost between parsing and the rules.
#[divan::bench(sample_count = 30)]
fn one_mb_keystroke_update_only(bencher: Bencher) {
    let pair = keystroke_pair();
    let mut n = 0;
    bencher.bench_local(|| {
        n += 1;
        pair[n % 2].1.update(black_box(pair[(n + 1) % 2].0.clone()))
    });
}

/// Parse + check of all 102 corpus skills, one after the other, against one
/// workspace (the CLI's work on one thread, without file reading).
#[divan::bench(sample_count = 20)]
fn whole_corpus(bencher: Bencher) {
    let env = env();
    let skills: Vec<(Arc<str>, Option<PathBuf>)> = common::corpus().iter().map(|s| input(&s.text, &s.path)).collect();
    let bytes: usize = skills.iter().map(|(t, _)| t.len()).sum();
    bencher.counter(divan::counter::BytesCount::new(bytes)).bench_local(|| {
        let mut diagnostics = 0;
        for (text, path) in &skills {
            let doc = SkillDoc::parse(text.clone(), path.clone());
            diagnostics += check(&doc, &env.ws, &env.config).len();
        }
        diagnostics
    });
}

/// Indexing the corpus workspace: interface documents, context domains, skills.
/// Paid once per root by the CLI and once per session (then incrementally) by the server.
#[divan::bench(sample_count = 20)]
fn workspace_load(bencher: Bencher) {
    let root = common::forge_root();
    bencher.bench_local(|| Workspace::load(black_box(&root)));
}
