//! Running one rule on a text, and every rule on the corpus, for the rules' own tests.

use crate::diagnostic::Diagnostic;
use crate::fix::apply_fixes;
use crate::model::SkillDoc;
use crate::rules::{Rule, RuleCtx, Sink};
use crate::{Config, Workspace};

/// The rule's diagnostics on `text`, as if it were `skills/<folder>/SKILL.md`.
pub fn run(rule: &Rule, text: &str, folder: &str) -> Vec<Diagnostic> {
    run_in(rule, text, folder, &Workspace::detached(), &Config::default())
}

pub fn run_in(rule: &Rule, text: &str, folder: &str, ws: &Workspace, config: &Config) -> Vec<Diagnostic> {
    let doc = SkillDoc::parse(text, Some(format!("skills/{folder}/SKILL.md").into()));
    let mut sink = Sink::new(rule.code, rule.severity);
    (rule.check)(&RuleCtx::new(&doc, ws, config), &mut sink);
    sink.into_diagnostics()
}

/// The text a diagnostic points at.
pub fn at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    &text[d.range.start..d.range.end]
}

/// `text` with the diagnostic's fix applied.
pub fn fixed(text: &str, d: &Diagnostic) -> String {
    apply_fixes(text, d.fix.iter()).0
}

/// The skills of a corpus tree (`forge`, `forge-clean`) as (name, path,
/// text), and its workspace; empty when the corpus is not present.
pub fn corpus(tree: &str) -> (Vec<(String, std::path::PathBuf, String)>, Workspace) {
    let Some(root) = super::corpus::root(tree) else {
        return (Vec::new(), Workspace::detached());
    };
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir(root.join("skills")) {
        for entry in dir.flatten() {
            let path = entry.path().join("SKILL.md");
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((entry.file_name().to_string_lossy().into_owned(), path, text));
            }
        }
    }
    out.sort();
    let ws = if out.is_empty() {
        Workspace::detached()
    } else {
        Workspace::load(&root)
    };
    (out, ws)
}

/// Every diagnostic of every rule on each corpus skill.
pub fn check_corpus(tree: &str) -> Vec<(String, String, Vec<Diagnostic>)> {
    let (skills, ws) = corpus(tree);
    skills
        .into_iter()
        .map(|(name, path, text)| {
            let doc = SkillDoc::parse(text.as_str(), Some(path));
            let diags = crate::check(&doc, &ws, &Config::default());
            (name, text, diags)
        })
        .collect()
}
