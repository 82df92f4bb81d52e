//! Which bundled files a text mentions (`Bundle::mentioned_in`, what SK609
//! reads), found with most words dismissed at a glance, against its
//! reference, every word of the text read in full
//! (`Bundle::mentioned_in_every_word`): on every skill folder of the corpus,
//! and on generated texts over bundles whose names must be found in any
//! case, beside other words and beyond ASCII. The files a skill reaches
//! through mentions, likewise, against every reached text read.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
mod common;
use common::cases;
use skill_core::workspace::bundle::Bundle;

/// Both readings of `text`, as mentioned from the folder `base`.
fn assert_same(bundle: &Bundle, text: &str, base: &str, what: &dyn std::fmt::Display) {
    assert_eq!(
        bundle.mentioned_in(text, base),
        bundle.mentioned_in_every_word(text, base),
        "{what}: the mentions found differ from every word's"
    );
}

#[test]
fn mentions_are_every_words_in_every_skill_folder_of_the_corpus() {
    let trees = ["forge", "forge-clean", "agentskills"];
    let root = test_corpus::require(&trees);
    let mut skills = 0;
    let mut texts = 0;
    for tree in trees {
        for (path, skill_text) in test_corpus::skill_files(&root.join(tree)) {
            let bundle = Bundle::read(path.parent().unwrap());
            skills += 1;
            assert_same(&bundle, &skill_text, "", &path.display());
            assert_eq!(
                bundle.reachable(&skill_text),
                reachable_reading_every_text(&bundle, &skill_text),
                "{}: the files reached differ",
                path.display()
            );
            for file in &bundle.files {
                let Some(text) = file.text.as_deref() else { continue };
                let base = file.rel.rsplit_once('/').map_or("", |(d, _)| d);
                assert_same(&bundle, text, base, &file.path.display());
                texts += 1;
            }
        }
    }
    assert!(skills > 300 && texts > 1_000, "{skills} skills, {texts} bundled texts");
}

/// The files reachable from `skill_text`, every reached text read for
/// mentions word by word: the reference for `Bundle::reachable`, which stops
/// reading once every file is reached.
fn reachable_reading_every_text(bundle: &Bundle, skill_text: &str) -> Vec<bool> {
    let mut seen = vec![false; bundle.files.len()];
    let mut stack: Vec<usize> = bundle.mentioned_in_every_word(skill_text, "").into_iter().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let file = &bundle.files[i];
        let base = file.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let text = file.text.as_deref().unwrap_or("");
        stack.extend(
            bundle
                .mentioned_in_every_word(text, base)
                .into_iter()
                .filter(|&j| j != i),
        );
    }
    seen
}

/// A bundle of names with upper-case letters, stems, a name holding a
/// space (a word never ends with it), nested folders; and one with names
/// beyond ASCII.
fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let make = |label: &str, files: &[&str]| -> Bundle {
            let dir = test_corpus::scratch_dir(&format!("skill-core-mentions-{label}"));
            for f in files {
                let path: PathBuf = dir.join(f);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, "x").unwrap();
            }
            std::fs::write(dir.join("SKILL.md"), "x").unwrap();
            let bundle = Bundle::read(Path::new(&dir));
            std::fs::remove_dir_all(&dir).unwrap();
            bundle
        };
        [
            make(
                "ascii",
                &[
                    "references/API.md",
                    "references/forms.md",
                    "scripts/run_kit.py",
                    "scripts/lib/helpers.py",
                    "assets/My Notes.md",
                    "Kit.txt",
                ],
            ),
            make("beyond", &["références/café.md", "scripts/run.py"]),
        ]
    })
}

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("references/API.md"),
        Just("REFERENCES/api.MD"),
        Just("api.md"),
        Just("API"),
        Just("forms"),
        Just("Forms.md"),
        Just("xforms.mdx"),
        Just("run_kit"),
        Just("RUN_KIT.PY"),
        Just("helpers"),
        Just("lib/helpers.py"),
        Just("../lib/"),
        Just("scripts/"),
        Just("scripts/*.py"),
        Just("*"),
        Just("**"),
        Just("#"),
        Just("./"),
        Just("/"),
        Just("${CLAUDE_SKILL_DIR}/"),
        Just("{baseDir}/"),
        Just("My Notes.md"),
        Just("kit"),
        Just("\u{212A}it"),
        Just("café"),
        Just("CAFÉ.md"),
        Just("références/"),
        Just("é"),
        Just("."),
        Just(":"),
        Just(" "),
        Just("\n"),
        Just("\u{A0}"),
        Just("\u{3000}"),
        Just("`"),
        Just("("),
        Just("]"),
        Just("|"),
        Just("word"),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(cases(2_000))]

    #[test]
    fn mentions_are_every_words_in_generated_texts(
        text in pieces(),
        base in prop_oneof![Just(""), Just("references"), Just("scripts/lib")],
    ) {
        for bundle in bundles() {
            prop_assert_eq!(bundle.mentioned_in(&text, base), bundle.mentioned_in_every_word(&text, base), "{:?}", text);
        }
    }
}
