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
//! config above it counts only when the nearest one `extend`s it). Its
//! `[[overrides]]` whose globs match the skill apply in order, the last
//! winning. [`Config::load`] reads a file with what it extends;
//! [`Config::for_file`] gives a skill's effective settings, and
//! [`crate::analysis::check`] asks it for every document.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSetBuilder};
use serde::Deserialize;

use crate::config::{Config, ConfigError, RuleLevel};
use crate::profile::Profile;

/// One `[[overrides]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Globs relative to the config's folder.
    pub files: Vec<String>,
    pub profile: Option<Profile>,
    pub rules: BTreeMap<String, RuleLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOverride {
    files: Vec<String>,
    profile: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
}

impl Override {
    pub(crate) fn from_raw(raw: RawOverride, index: usize) -> Result<Override, ConfigError> {
        let err = |message: String| ConfigError {
            message: format!("[[overrides]] #{}: {message}", index + 1),
        };
        if raw.files.is_empty() {
            return Err(err("`files` lists no glob, so it applies to nothing".into()));
        }
        for glob in &raw.files {
            GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .map_err(|e| err(format!("`{glob}` is not a glob: {}", e.kind())))?;
        }
        let profile = match raw.profile {
            Some(name) => Some(
                Profile::parse(&name)
                    .ok_or_else(|| err(format!("profile `{name}` is not one of `workflow`, `agentskills`")))?,
            ),
            None => None,
        };
        let mut rules = BTreeMap::new();
        for (code, level) in raw.rules {
            let (code, level) = crate::config::parse_rule_level(&code, &level).map_err(|e| err(e.message))?;
            rules.insert(code, level);
        }
        Ok(Override {
            files: raw.files,
            profile,
            rules,
        })
    }

    /// Whether the override applies to `rel`, a path relative to the config's folder.
    fn matches(&self, rel: &Path) -> bool {
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

impl Config {
    /// The settings for the skill at `path`: this config with the
    /// `[[overrides]]` whose globs match it applied, in order.
    pub fn for_file(&self, path: Option<&Path>) -> Cow<'_, Config> {
        if self.overrides.is_empty() {
            return Cow::Borrowed(self);
        }
        let Some(path) = path else { return Cow::Borrowed(self) };
        let rel = match &self.dir {
            Some(dir) => match path.strip_prefix(dir) {
                Ok(rel) => rel,
                Err(_) => return Cow::Borrowed(self),
            },
            None => path,
        };
        let mut out: Option<Config> = None;
        for o in self.overrides.iter().filter(|o| o.matches(rel)) {
            let c = out.get_or_insert_with(|| self.clone());
            if o.profile.is_some() {
                c.profile = o.profile;
            }
            c.rules.extend(o.rules.iter().map(|(k, v)| (k.clone(), *v)));
        }
        match out {
            Some(c) => Cow::Owned(c),
            None => Cow::Borrowed(self),
        }
    }

    /// Reads the config file at `path` with every config it `extend`s: the
    /// file's own settings win over those it extends (tables merge key by
    /// key, `[[overrides]]` of the extended file come first). Relative paths
    /// (`root`, `ignore`, `[[overrides]] files`) are relative to `path`'s folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let table = load_table(path, &mut Vec::new())?;
        let text = toml::to_string(&table).map_err(|e| ConfigError { message: e.to_string() })?;
        let mut config = Config::from_toml(&text)?;
        config.dir = path.parent().map(Path::to_path_buf);
        Ok(config)
    }
}

/// The TOML table of `path` merged over those it extends; `seen` guards against cycles.
fn load_table(path: &Path, seen: &mut Vec<PathBuf>) -> Result<toml::Table, ConfigError> {
    // The caller names `path`; an extended file's errors name that file.
    let err = |message: String| ConfigError { message };
    let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if seen.contains(&key) {
        return Err(err("`extend` leads back to this file".into()));
    }
    seen.push(key);
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot be read: {e}")))?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| err(e.message().to_string()))?;
    let Some(extend) = table.remove("extend") else {
        return Ok(table);
    };
    let Some(extend) = extend.as_str() else {
        return Err(err("`extend` must be the path of another skill-lsp.toml".into()));
    };
    let base_path = path.parent().unwrap_or(Path::new(".")).join(extend);
    let mut base = load_table(&base_path, seen).map_err(|e| ConfigError {
        message: format!("extend = \"{extend}\" ({}): {}", base_path.display(), e.message),
    })?;
    merge(&mut base, table);
    Ok(base)
}

/// `over` merged into `base`: tables key by key, `overrides` arrays appended,
/// anything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (Some(toml::Value::Array(b)), toml::Value::Array(o)) if key == "overrides" => b.extend(o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

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
