//! Inputs shared by the benchmarks: the real skills of the corpus, a typical
//! skill among them, and a large skill grown from it.

#![allow(dead_code)] // each bench target uses a different subset

use std::path::{Path, PathBuf};

use skill_core::{Config, Workspace};

/// The skill used as "a typical skill": a real one of median size (about
/// 10.6 KB, ten steps, calls, a checklist, a Version History), whose only
/// damage is links to a deleted interface document.
pub const TYPICAL: &str = "cloud-architect";

/// The skills root of the damaged corpus (`forge/forge-plugin`), found by
/// the `test-corpus` dev crate.
pub fn forge_root() -> PathBuf {
    test_corpus::require(&["forge/forge-plugin/skills"]).join("forge/forge-plugin")
}

/// Every `skills/<name>/SKILL.md` under `root`, sorted by path.
pub fn skill_paths(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join("skills")) else {
        panic!(
            "no skills under {} (set SKILL_LSP_CORPUS to the corpus folder)",
            root.display()
        );
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("SKILL.md"))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

/// A skill's path and text.
pub struct Input {
    pub path: PathBuf,
    pub text: String,
}

pub fn read(path: &Path) -> Input {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Input {
        path: path.to_path_buf(),
        text,
    }
}

/// The typical skill, read from the corpus.
pub fn typical() -> Input {
    read(&forge_root().join("skills").join(TYPICAL).join("SKILL.md"))
}

/// Every skill of the corpus, read.
pub fn corpus() -> Vec<Input> {
    skill_paths(&forge_root()).iter().map(|p| read(p)).collect()
}

/// The workspace the corpus skills live in, loaded the way the CLI loads it.
pub fn workspace() -> Workspace {
    let root = forge_root();
    let found = Workspace::find_root(&root.join("skills").join(TYPICAL)).unwrap_or(root);
    Workspace::load(&found)
}

pub fn config() -> Config {
    Config::default()
}

/// The typical skill grown to at least `target` bytes the way large skills
/// grow in practice: more reference material. Its "Architecture Focus Areas"
/// section (H3 subsections of bullet lists) is repeated, each copy's headings
/// numbered anew, just before the Version History, so the workflow, checklist
/// and history stay as they are and the diagnostics stay those of the original.
pub fn grown(target: usize) -> String {
    let text = typical().text;
    let (Some(start), Some(end)) = (
        text.find("## Architecture Focus Areas"),
        text.find("## Version History"),
    ) else {
        panic!("{TYPICAL}: the sections the large input is grown from moved");
    };
    let (head, tail) = text.split_at(end);
    let block = &text[start..end];
    let mut out = String::with_capacity(target + block.len() * 2);
    out.push_str(head);
    let mut copy = 0;
    while out.len() + tail.len() < target {
        copy += 1;
        // Distinct headings, as in a real long document (and distinct anchors).
        out.push_str(&block.replace(
            "## Architecture Focus Areas",
            &format!("## Architecture Focus Areas, part {copy}"),
        ));
    }
    out.push_str(tail);
    out
}

/// One mebibyte: the size of "a 1 MB skill".
pub const ONE_MB: usize = 1 << 20;

/// The 1 MB skill and the same text with one character typed at the end of
/// a line in its middle: the two sides of a keystroke.
pub fn keystroke_texts() -> [String; 2] {
    let before = grown(ONE_MB);
    let at = before[before.len() / 2..]
        .find('\n')
        .map_or(before.len(), |i| before.len() / 2 + i);
    let after = format!("{}x{}", &before[..at], &before[at..]);
    [before, after]
}
