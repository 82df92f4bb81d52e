//! `skill-lsp.toml`: per-workspace settings (rule severities, step count, ignore globs).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::Severity;

/// The file name looked for at the workspace root.
pub const FILE_NAME: &str = "skill-lsp.toml";

/// A rule's configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Overrides by rule code (`SK104`), upper-case.
    pub rules: BTreeMap<String, RuleLevel>,
    /// How many steps the workflow has.
    pub step_count: u32,
    /// Glob patterns (relative to the workspace root) of files not to check.
    pub ignore: Vec<String>,
    /// The skills root (the folder holding `interfaces/`), relative to the
    /// config file, when it is not the config file's own folder.
    pub root: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config { rules: BTreeMap::new(), step_count: 6, ignore: Vec::new(), root: None }
    }
}

/// Why a config could not be used, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    workflow: RawWorkflow,
    #[serde(default)]
    ignore: Vec<String>,
    root: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    steps: Option<u32>,
}

impl Config {
    /// Parses the TOML text of a `skill-lsp.toml`.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigError { message: format!("{FILE_NAME}: {}", e.message()) })?;
        let mut cfg = Config { ignore: raw.ignore, root: raw.root, ..Config::default() };
        if let Some(steps) = raw.workflow.steps {
            if steps == 0 || steps > 100 {
                return Err(ConfigError { message: format!("{FILE_NAME}: workflow.steps must be 1 to 100, not {steps}") });
            }
            cfg.step_count = steps;
        }
        for (code, level) in raw.rules {
            let code_up = code.to_ascii_uppercase();
            let Some(rule) = crate::rules::find(&code_up) else {
                return Err(ConfigError { message: format!("{FILE_NAME}: unknown rule `{code}` under [rules]") });
            };
            let level = match level.trim().to_ascii_lowercase().as_str() {
                "off" | "none" | "allow" => RuleLevel::Off,
                other => RuleLevel::On(Severity::parse(other).ok_or_else(|| ConfigError {
                    message: format!("{FILE_NAME}: rule `{code}`: `{level}` is not one of error, warning, information, off"),
                })?),
            };
            cfg.rules.insert(rule.code.to_string(), level);
        }
        Ok(cfg)
    }

    /// The level of a rule, its default when not configured.
    pub fn level(&self, code: &str, default: Severity) -> RuleLevel {
        self.rules.get(code).copied().unwrap_or(RuleLevel::On(default))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_levels_steps_and_ignores() {
        let cfg = Config::from_toml("ignore = [\"drafts/**\"]\n[rules]\nSK104 = \"off\"\nsk114 = \"error\"\n[workflow]\nsteps = 7\n").unwrap();
        assert_eq!(cfg.level("SK104", Severity::Warning), RuleLevel::Off);
        assert_eq!(cfg.level("SK114", Severity::Warning), RuleLevel::On(Severity::Error));
        assert_eq!(cfg.level("SK001", Severity::Error), RuleLevel::On(Severity::Error));
        assert_eq!(cfg.step_count, 7);
        assert_eq!(cfg.ignore, ["drafts/**"]);
    }

    #[test]
    fn broken_config_says_what_is_wrong() {
        let err = Config::from_toml("[rules]\nSK999 = \"off\"\n").unwrap_err();
        assert!(err.message.contains("SK999"), "{}", err.message);
        let err = Config::from_toml("[rules]\nSK104 = \"loud\"\n").unwrap_err();
        assert!(err.message.contains("loud"), "{}", err.message);
        assert!(Config::from_toml("rules = [").is_err());
    }
}
