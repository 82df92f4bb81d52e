//! Where the corpus of real skills is, for every test, benchmark, fuzz
//! property and example of the workspace: the one place that knows.
//!
//! The corpus is the folder `$SKILL_LSP_CORPUS` names, else `shared/corpus`
//! beside the repository (where CI puts it). It holds `forge/` and
//! `forge-clean/` (one repository of workflow-format skills, damaged and
//! clean) and `agentskills/` (public Agent Skills repositories). It is read,
//! never edited: tests that change it copy it first.
//!
//! It also makes the scratch folders tests write their trees in
//! ([`scratch_dir`]), so that every test makes them the same way.
//!
//! Development only (`publish = false`): the crates take it as a
//! dev-dependency, so nothing of it reaches the product.

use std::path::{Path, PathBuf};

/// The variable that names the corpus folder, overriding the default.
pub const ENV: &str = "SKILL_LSP_CORPUS";

/// The folders the corpus is looked for in, in order: `$SKILL_LSP_CORPUS`
/// when set, then `shared/corpus` beside the repository.
pub fn candidates() -> Vec<PathBuf> {
    let beside = repository().parent().map(|p| p.join("shared/corpus"));
    std::env::var_os(ENV)
        .map(PathBuf::from)
        .into_iter()
        .chain(beside)
        .collect()
}

/// The first candidate folder holding every path of `probes` as a folder
/// (`holding(&["forge/forge-plugin/skills"])`); `None` when none does.
pub fn holding(probes: &[&str]) -> Option<PathBuf> {
    candidates()
        .into_iter()
        .find(|dir| dir.is_dir() && probes.iter().all(|p| dir.join(p).is_dir()))
}

/// The skills root (`forge-plugin`, holding `skills/`, `interfaces/`,
/// `context/`) of a workflow-format tree: `forge` or `forge-clean`.
pub fn forge_root(tree: &str) -> Option<PathBuf> {
    let probe = format!("{tree}/forge-plugin/skills");
    holding(&[probe.as_str()]).map(|dir| dir.join(tree).join("forge-plugin"))
}

/// [`holding`], or a panic that says where the corpus was looked for: for
/// tests that exist to run on real skills.
pub fn require(probes: &[&str]) -> PathBuf {
    holding(probes).unwrap_or_else(|| {
        let looked: Vec<String> = candidates().iter().map(|p| p.display().to_string()).collect();
        panic!(
            "the corpus of real skills is not at hand (looked in {}, for {probes:?}); \
             set {ENV} to the folder holding forge/, forge-clean/ and agentskills/",
            if looked.is_empty() {
                "no folder".to_string()
            } else {
                looked.join(", ")
            }
        )
    })
}

/// Every Markdown file (`.md`) under `dir` with its text, sorted by path.
/// Linked folders are not entered: in the corpus they lead to files found
/// elsewhere in it, and a loop of links would never end.
pub fn markdown_files(dir: &Path) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "md") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push((path, text));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every skill (`SKILL.md`) under `dir` with its text, sorted by path, as
/// [`markdown_files`] finds them.
pub fn skill_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = markdown_files(dir);
    files.retain(|(path, _)| path.file_name().is_some_and(|n| n == "SKILL.md"));
    files
}

/// The repository's root folder (canonical, so that its parent is the
/// folder beside which the corpus is looked for).
pub fn repository() -> PathBuf {
    // This crate lives in `crates/test-corpus`.
    let lexical = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    lexical.canonicalize().unwrap_or(lexical)
}

/// A fresh, empty folder for a test, created: `<label>-<process id>` in
/// the system temp folder. Whatever is there already is removed first: a
/// run killed before its clean-up leaves its folder behind, and process
/// ids are used again. Tests that run at the same time in one process must
/// give distinct labels; removing the folder at the end is the test's.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{label}-{}", std::process::id()));
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        assert!(
            e.kind() == std::io::ErrorKind::NotFound,
            "cannot empty {}: {e}",
            dir.display()
        );
    }
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_holding_the_probes_is_found_and_one_lacking_them_is_not() {
        let dir = scratch_dir("test-corpus");
        std::fs::create_dir_all(dir.join("forge/forge-plugin/skills")).unwrap();
        // The variable is read by every candidate lookup of this process;
        // this crate's tests are the only ones here.
        std::env::set_var(ENV, &dir);
        assert_eq!(candidates()[0], dir);
        assert_eq!(holding(&["forge/forge-plugin/skills"]), Some(dir.clone()));
        assert_eq!(forge_root("forge"), Some(dir.join("forge/forge-plugin")));
        let repo = repository();
        assert!(
            repo.join("crates/test-corpus/Cargo.toml").is_file(),
            "{}",
            repo.display()
        );
        let beside = repo.parent().unwrap().join("shared/corpus");
        assert_eq!(candidates().last(), Some(&beside));
        let missing = holding(&["no-such-tree"]);
        assert!(missing.is_none() || missing == Some(beside));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_scratch_folder_is_made_fresh_and_empty_under_its_own_name() {
        let dir = scratch_dir("test-corpus-scratch");
        assert!(dir.is_dir(), "{}", dir.display());
        assert!(dir.starts_with(std::env::temp_dir()), "{}", dir.display());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        // What an earlier run left (a file, a folder with a file) is gone.
        std::fs::write(dir.join("left.md"), "x").unwrap();
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/left.md"), "x").unwrap();
        assert_eq!(scratch_dir("test-corpus-scratch"), dir);
        assert!(dir.is_dir());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let other = scratch_dir("test-corpus-scratch-other");
        assert_ne!(other, dir);
        assert!(other.is_dir() && dir.is_dir());
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&other).unwrap();
    }
}
