//! The real skills of the corpus, for the core's unit tests (found by the
//! `test-corpus` dev crate, the one place every test looks for it). Tests
//! skip when it is not there.

use std::path::PathBuf;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::SkillDoc;
use crate::workspace::Workspace;

/// `forge-plugin` of a corpus tree (`forge`, `forge-clean`), when present.
pub(crate) fn root(tree: &str) -> Option<PathBuf> {
    test_corpus::forge_root(tree)
}

/// One finding on a corpus skill: the skill's folder name, the diagnostic, the text it covers.
pub(crate) struct Finding {
    pub skill: String,
    pub diagnostic: Diagnostic,
    pub text: String,
}

/// Every finding of the rules `codes` on the skills of a tree, checked against its root.
pub(crate) fn findings(tree: &str, codes: &[&str]) -> Option<Vec<Finding>> {
    let root = root(tree)?;
    let ws = Workspace::load(&root);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("skills"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let path = dir.join("SKILL.md");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let doc = SkillDoc::parse(text.as_str(), Some(path));
        let skill = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for d in crate::analysis::check(&doc, &ws, &Config::default()) {
            if codes.contains(&d.code) {
                let text = doc.slice(d.range).to_string();
                out.push(Finding {
                    skill: skill.clone(),
                    diagnostic: d,
                    text,
                });
            }
        }
    }
    Some(out)
}

/// Every Markdown file of the corpus (all three trees), parsed, with its
/// path; `None` when the corpus is not at hand.
pub(crate) fn markdown_docs() -> Option<Vec<(PathBuf, SkillDoc)>> {
    let corpus = test_corpus::holding(&["forge", "agentskills"])?;
    let files = test_corpus::markdown_files(&corpus);
    Some(
        files
            .into_iter()
            .map(|(path, text)| {
                let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
                (path, doc)
            })
            .collect(),
    )
}
