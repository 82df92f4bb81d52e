//! Per-path settings and inherited configs in `skill-lsp.toml`:
//!
//! ```toml
//! extend = "../skill-lsp.toml"      # start from another config
//!
//! [[overrides]]
//! files = ["skills/legacy-*/**"]   # .gitignore-style globs, relative to this file
//! profile = "agentskills"
//! [overrides.rules]
//! SK104 = "off"
//! ```
//!
//! The nearest `skill-lsp.toml` above a skill is the one that applies (a
//! config above it counts only when the nearest one `extend`s it: the
//! project resolver of the binary reads that chain of files). Its
//! `[[overrides]]` whose globs match the skill apply in order, the last
//! winning. [`crate::Config::for_file`] gives a skill's effective settings,
//! and [`crate::analysis::check`] asks it for every document.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{GlobBuilder, GlobSetBuilder};

use crate::diagnostic::RuleLevel;
use crate::profile::Profile;

/// One `[[overrides]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Globs relative to the config's folder.
    pub files: Vec<String>,
    pub profile: Option<Profile>,
    pub rules: BTreeMap<String, RuleLevel>,
}

/// Why `glob` is no glob (an unclosed `[`, say); `None` when it is one.
pub(crate) fn glob_problem(glob: &str) -> Option<String> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .err()
        .map(|e| e.kind().to_string())
}

impl Override {
    /// Whether the override applies to `rel`, a path relative to the config's folder.
    pub(crate) fn matches(&self, rel: &Path) -> bool {
        let mut set = GlobSetBuilder::new();
        for glob in &self.files {
            // A glob without `/` matches at any depth, as in .gitignore.
            let glob = if glob.contains('/') {
                glob.trim_start_matches('/').to_string()
            } else {
                format!("**/{glob}")
            };
            if let Ok(g) = GlobBuilder::new(&glob).literal_separator(true).build() {
                set.add(g);
            }
            // `dir/` and `dir` also cover everything under the folder.
            if let Ok(g) = GlobBuilder::new(&format!("{}/**", glob.trim_end_matches('/')))
                .literal_separator(true)
                .build()
            {
                set.add(g);
            }
        }
        set.build().is_ok_and(|s| s.is_match(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostic::Severity;
    use std::borrow::Cow;
    use std::path::PathBuf;

    #[test]
    fn overrides_apply_to_the_files_they_match_last_one_winning() {
        let mut cfg = Config::from_toml(
            "[rules]\nSK104 = \"error\"\n[[overrides]]\nfiles = [\"skills/legacy-*/**\"]\nprofile = \"agentskills\"\nrules = { SK104 = \"off\", SK105 = \"information\" }\n[[overrides]]\nfiles = [\"legacy-b\"]\nrules = { too-many-steps = \"warning\" }\n",
        )
        .unwrap();
        cfg.dir = Some(PathBuf::from("/ws"));
        let a = cfg.for_file(Some(Path::new("/ws/skills/legacy-a/SKILL.md")));
        assert_eq!(a.level("SK104", Severity::Warning), RuleLevel::Off);
        assert_eq!(
            a.level("SK105", Severity::Warning),
            RuleLevel::On(Severity::Information)
        );
        assert_eq!(a.profile, Some(Profile::AgentSkills));
        let b = cfg.for_file(Some(Path::new("/ws/skills/legacy-b/SKILL.md")));
        assert_eq!(b.level("SK104", Severity::Warning), RuleLevel::On(Severity::Warning));
        let other = cfg.for_file(Some(Path::new("/ws/skills/new/SKILL.md")));
        assert!(matches!(other, Cow::Borrowed(_)));
        assert_eq!(other.level("SK104", Severity::Warning), RuleLevel::On(Severity::Error));
        for bad in [
            "[[overrides]]\nfiles = []",
            "[[overrides]]\nfiles = [\"a\"]\nrules = { SK999 = \"off\" }",
            "[[overrides]]\nfiles = [\"[\"]",
        ] {
            assert!(Config::from_toml(bad).is_err(), "{bad}");
        }
    }
}
