//! `extend = "../skill-lsp.toml"`: a config that starts from another. The
//! chain of files is read here, by the project resolver, so that the
//! command line and the editor follow it alike; `skill-core` reads the texts
//! (the config first, then each file the one before extends), merges their
//! settings and places each error in the file it is in.

use std::path::{Path, PathBuf};

use skill_core::config::ConfigSource;

use super::ConfigProblem;

/// The files of the `extend` chain starting at `path` (which is read; an
/// error there is the caller's to report), each with its text, and what
/// kept the chain from going on: a file it names that cannot be read, or a
/// loop back to a file already in it, each placed at that `extend` value.
pub fn chain(path: &Path, text: String) -> (Vec<(PathBuf, String)>, Vec<ConfigProblem>) {
    let mut files = vec![(path.to_path_buf(), text)];
    let mut seen = vec![path.canonicalize().unwrap_or_else(|_| path.to_path_buf())];
    loop {
        let (from, text) = files.last().expect("the config itself");
        let Some((name, at)) = ConfigSource::parse(text).extend().map(|(n, at)| (n.to_string(), at)) else {
            return (files, Vec::new());
        };
        let base = from.parent().unwrap_or(Path::new(".")).join(&name);
        let key = base.canonicalize().unwrap_or_else(|_| base.clone());
        let problem = |message: String| ConfigProblem::at(from, text, message, at.start);
        if seen.contains(&key) {
            let problem = problem(format!(
                "`extend` leads back to {}, which this chain of configs already reads",
                base.display()
            ));
            return (files, vec![problem]);
        }
        match std::fs::read_to_string(&base) {
            Ok(next) => {
                seen.push(key);
                files.push((base, next));
            }
            Err(e) => {
                let problem = problem(format!("extend = \"{name}\": {} cannot be read: {e}", base.display()));
                return (files, vec![problem]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_is_read_config_first_and_a_loop_is_placed_at_its_extend() {
        let dir = test_corpus::scratch_dir("skill-lsp-extend");
        std::fs::create_dir_all(dir.join("team")).unwrap();
        let own = "# team settings\nextend = \"team/base.toml\"\n";
        let base = "extend = \"../skill-lsp.toml\"\n";
        std::fs::write(dir.join("skill-lsp.toml"), own).unwrap();
        std::fs::write(dir.join("team/base.toml"), base).unwrap();
        let (files, problems) = chain(&dir.join("skill-lsp.toml"), own.to_string());
        let names: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(names, [own, base]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].path.ends_with("team/base.toml"), "{problems:?}");
        assert!(problems[0].message.contains("leads back"), "{problems:?}");
        let at = problems[0].position.unwrap();
        assert_eq!((at.line, at.col), (0, 10));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
