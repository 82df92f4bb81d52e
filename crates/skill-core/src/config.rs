//! `skill-lsp.toml`: per-workspace settings — the profile, rule severities,
//! the team's workflow (step count, canonical titles, what each step must
//! call, required sections) and ignore globs. Every key is optional; an
//! empty file gives today's rules.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::clients::{Client, Clients};
use crate::diagnostic::Severity;
use crate::profile::Profile;

/// The file name looked for at the workspace root.
pub const FILE_NAME: &str = "skill-lsp.toml";

pub use crate::diagnostic::RuleLevel;

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
    /// The profile every skill is checked in; `None`: chosen per document
    /// ([`Profile::resolve`]).
    pub profile: Option<Profile>,
    /// The team's workflow, beyond its step count.
    pub workflow: WorkflowConfig,
    /// The baseline file (relative to the config file): findings recorded
    /// there are not reported by `check` and are hints in the editor.
    pub baseline: Option<String>,
    /// The clients the skills are written for (`clients`): a key or a tool
    /// only a client outside them defines is unknown. Every client by default.
    pub clients: Clients,
    /// `docs_url`: where the editor links each rule's page, `{code}` and
    /// `{name}` filled in; `None`: [`crate::rules::DEFAULT_DOCS_URL`].
    pub docs_url: Option<String>,
    /// `[[overrides]]`: settings for the files their globs match.
    pub overrides: Vec<crate::overrides::Override>,
    /// The folder the config file is in, which `[[overrides]]` globs are
    /// relative to (the project resolver sets it).
    pub dir: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: BTreeMap::new(),
            step_count: 6,
            ignore: Vec::new(),
            root: None,
            profile: None,
            workflow: WorkflowConfig::default(),
            baseline: None,
            clients: Clients::ALL,
            docs_url: None,
            overrides: Vec::new(),
            dir: None,
        }
    }
}

/// The `[workflow]` table beyond `steps`. Empty parts mean the built-in
/// workflow: canonical titles from the template, memory and context loaded
/// early and memory written last, Purpose / Interface References / Version
/// History required.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowConfig {
    /// `titles`: the canonical title of each step, step 1 first.
    pub titles: Vec<String>,
    /// `[workflow.calls]`: what each step must call.
    pub calls: Vec<StepCalls>,
    /// `sections`: the headings every skill must have, instead of the built-in three.
    pub sections: Option<Vec<String>>,
}

impl WorkflowConfig {
    /// The configured title of step `n`, if one is configured.
    pub fn title(&self, n: u32) -> Option<&str> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        self.titles.get(i).map(String::as_str).filter(|t| !t.trim().is_empty())
    }
}

/// Which step a `[workflow.calls]` entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StepRef {
    Number(u32),
    /// `last`: the last step, whatever its number.
    Last,
}

/// One `[workflow.calls]` entry: step `2 = ["memoryStore.getSkillMemory"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCalls {
    pub step: StepRef,
    /// Every group must be called in the step; a group is met by a call to any
    /// of its alternatives (`"memoryStore.update|memoryStore.append"`).
    pub required: Vec<Vec<CallPattern>>,
}

/// `receiver` (any of its methods) or `receiver.method` (a method whose name
/// starts with `method`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPattern {
    pub receiver: String,
    pub method: Option<String>,
}

impl CallPattern {
    fn parse(text: &str) -> Option<CallPattern> {
        let text = text.trim().trim_end_matches("()");
        let (receiver, method) = match text.split_once('.') {
            Some((r, m)) => (r, Some(m)),
            None => (text, None),
        };
        let ident = |s: &str| {
            !s.is_empty()
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !s.starts_with(|c: char| c.is_ascii_digit())
        };
        if !ident(receiver) || method.is_some_and(|m| !ident(m)) {
            return None;
        }
        Some(CallPattern {
            receiver: receiver.to_string(),
            method: method.map(str::to_string),
        })
    }

    /// Whether a call of `receiver.method` meets this pattern.
    pub fn matches(&self, receiver: &str, method: &str) -> bool {
        self.receiver == receiver && self.method.as_deref().is_none_or(|m| method.starts_with(m))
    }
}

impl std::fmt::Display for CallPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.method {
            Some(m) => write!(f, "{}.{m}", self.receiver),
            None => f.write_str(&self.receiver),
        }
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
    profile: Option<String>,
    baseline: Option<String>,
    clients: Option<Vec<String>>,
    docs_url: Option<String>,
    #[serde(default)]
    overrides: Vec<crate::overrides::RawOverride>,
    /// Resolved by the project resolver, which reads the chain of files; a
    /// text read alone has nothing to extend.
    #[allow(dead_code)]
    extend: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    steps: Option<u32>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    calls: BTreeMap<String, Vec<String>>,
    sections: Option<Vec<String>>,
}

impl Config {
    /// Parses the TOML text of a `skill-lsp.toml`, naming each rule under
    /// `[rules]` by what `rule_code` gives for it (its code; `None`: no such
    /// rule, an error). The rules' registry sits above the settings, so it
    /// is passed in: [`Config::from_toml`] (in `rules`) passes the registry.
    pub fn from_toml_with(text: &str, rule_code: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().to_string(),
        })?;
        let mut cfg = Config {
            ignore: raw.ignore,
            root: raw.root,
            baseline: raw.baseline,
            ..Config::default()
        };
        let err = |message: String| ConfigError { message };
        if let Some(url) = raw.docs_url {
            if !url.contains("{code}") && !url.contains("{name}") {
                return Err(err(format!(
                    "docs_url `{url}` has neither `{{code}}` nor `{{name}}`, so every rule would link to the same page"
                )));
            }
            cfg.docs_url = Some(url);
        }
        if let Some(name) = raw.profile {
            cfg.profile = Some(Profile::parse(&name).ok_or_else(|| {
                err(format!(
                    "profile `{name}` is not one of `workflow`, `agentskills` (or leave it out to choose per skill)"
                ))
            })?);
        }
        if let Some(names) = raw.clients {
            cfg.clients = Clients::parse(names.iter().map(String::as_str)).map_err(|name| {
                let known: Vec<String> = Client::ALL.iter().map(|c| format!("`{c}`")).collect();
                err(format!(
                    "clients: `{name}` is not a client; use {} (or leave `clients` out to count them all)",
                    known.join(", ")
                ))
            })?;
        }
        let workflow = raw.workflow;
        if let Some(steps) = workflow.steps {
            if steps == 0 || steps > 100 {
                return Err(err(format!("workflow.steps must be 1 to 100, not {steps}")));
            }
            cfg.step_count = steps;
        }
        if !workflow.titles.is_empty() {
            let count = u32::try_from(workflow.titles.len()).unwrap_or(u32::MAX);
            match workflow.steps {
                // Titles alone set the step count.
                None if count <= 100 => cfg.step_count = count,
                Some(steps) if steps == count => {}
                _ => {
                    return Err(err(format!(
                        "workflow.titles names {count} steps but workflow.steps is {}; give one title per step",
                        cfg.step_count
                    )))
                }
            }
            cfg.workflow.titles = workflow.titles;
        }
        for (key, entries) in workflow.calls {
            let step = match key.trim() {
                "last" => StepRef::Last,
                n => match n.parse::<u32>() {
                    Ok(n) if (1..=cfg.step_count).contains(&n) => StepRef::Number(n),
                    _ => {
                        return Err(err(format!(
                            "[workflow.calls] key `{key}` is not a step: use a number from 1 to {} or `last`",
                            cfg.step_count
                        )))
                    }
                },
            };
            let mut required = Vec::new();
            for entry in entries {
                let group: Option<Vec<CallPattern>> = entry.split('|').map(CallPattern::parse).collect();
                match group {
                    Some(g) if !g.is_empty() => required.push(g),
                    _ => {
                        return Err(err(format!(
                            "[workflow.calls] `{entry}` under step `{key}` is not `receiver` or `receiver.method` (alternatives separated by `|`)"
                        )))
                    }
                }
            }
            cfg.workflow.calls.push(StepCalls { step, required });
        }
        cfg.workflow.calls.sort_by_key(|c| c.step);
        if let Some(sections) = workflow.sections {
            if sections.iter().any(|s| s.trim().is_empty()) {
                return Err(err("workflow.sections lists an empty heading".to_string()));
            }
            cfg.workflow.sections = Some(
                sections
                    .into_iter()
                    .map(|s| s.trim().trim_start_matches('#').trim().to_string())
                    .collect(),
            );
        }
        for (code, level) in raw.rules {
            let (code, level) = parse_rule_level(&code, &level, rule_code)?;
            cfg.rules.insert(code, level);
        }
        for (i, o) in raw.overrides.into_iter().enumerate() {
            let parse = |code: &str, level: &str| parse_rule_level(code, level, rule_code).map_err(|e| e.message);
            cfg.overrides
                .push(crate::overrides::Override::from_raw(o, i, &parse).map_err(|message| ConfigError { message })?);
        }
        Ok(cfg)
    }

    /// Checks what the text alone cannot: that `root` names a folder, relative
    /// to `config_dir` (the config file's folder). A root that is not there
    /// would silently drop every rule that needs the workspace.
    pub fn check_root(&self, config_dir: &std::path::Path) -> Result<(), ConfigError> {
        match &self.root {
            Some(root) if !config_dir.join(root).is_dir() => Err(ConfigError {
                message: format!(
                    "root `{root}` is no folder (it is read relative to the folder of {FILE_NAME}); name the folder holding `interfaces/`, or leave `root` out"
                ),
            }),
            _ => Ok(()),
        }
    }

    /// The level of a rule, its default when not configured.
    pub fn level(&self, code: &str, default: Severity) -> RuleLevel {
        self.rules.get(code).copied().unwrap_or(RuleLevel::On(default))
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
}

/// A `[rules]` entry: the rule's code and its level, or what is wrong.
fn parse_rule_level(
    code: &str,
    level: &str,
    rule_code: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, RuleLevel), ConfigError> {
    // A code (any case) or a rule's name, as `skill-lsp explain` takes.
    let Some(rule) = rule_code(code.trim()) else {
        return Err(ConfigError {
            message: format!(
                "unknown rule `{code}` under [rules] (a code such as `SK102` or a name such as `step-missing`)"
            ),
        });
    };
    let level = match level.trim().to_ascii_lowercase().as_str() {
        "off" | "none" | "allow" => RuleLevel::Off,
        other => RuleLevel::On(Severity::parse(other).ok_or_else(|| ConfigError {
            message: format!("rule `{code}`: `{level}` is not one of error, warning, information, off"),
        })?),
    };
    Ok((rule, level))
}

/// Where in `text` the TOML parser stops reading it as a `skill-lsp.toml`
/// (bad syntax, a value of the wrong type, an unknown key): the byte offset
/// of the offending place. `None` when the parser reads it all, so any
/// error is one [`Config::from_toml_with`] found in the values.
pub fn parse_error_offset(text: &str) -> Option<usize> {
    toml::from_str::<RawConfig>(text).err()?.span().map(|s| s.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_levels_steps_and_ignores() {
        let cfg = Config::from_toml(
            "ignore = [\"drafts/**\"]\n[rules]\nSK104 = \"off\"\nsk114 = \"error\"\n[workflow]\nsteps = 7\n",
        )
        .unwrap();
        assert_eq!(cfg.level("SK104", Severity::Warning), RuleLevel::Off);
        assert_eq!(cfg.level("SK114", Severity::Warning), RuleLevel::On(Severity::Error));
        assert_eq!(cfg.level("SK001", Severity::Error), RuleLevel::On(Severity::Error));
        assert_eq!(cfg.step_count, 7);
        assert_eq!(cfg.ignore, ["drafts/**"]);
    }

    #[test]
    fn rule_names_are_accepted_where_codes_are() {
        let cfg = Config::from_toml("[rules]\nstep-missing = \"off\"\n").unwrap();
        assert_eq!(cfg.level("SK102", Severity::Error), RuleLevel::Off);
        assert!(Config::from_toml("[rules]\nstep-mising = \"off\"\n").is_err());
    }

    #[test]
    fn reads_the_profile_and_the_team_workflow() {
        let cfg = Config::from_toml(
            "profile = \"agentskills\"\n[workflow]\ntitles = [\"Scope\", \"Recall\", \"Act\", \"Record\"]\nsections = [\"## Purpose\", \"Examples\"]\n[workflow.calls]\n2 = [\"memoryStore.getSkillMemory\"]\nlast = [\"memoryStore.update|memoryStore.append\", \"skillInvoker\"]\n",
        )
        .unwrap();
        assert_eq!(cfg.profile, Some(Profile::AgentSkills));
        assert_eq!(cfg.step_count, 4, "titles set the step count");
        assert_eq!(cfg.workflow.title(3), Some("Act"));
        assert_eq!(cfg.workflow.title(5), None);
        assert_eq!(
            cfg.workflow.sections.as_deref(),
            Some(&["Purpose".to_string(), "Examples".to_string()][..])
        );
        assert_eq!(cfg.workflow.calls.len(), 2);
        assert_eq!(cfg.workflow.calls[0].step, StepRef::Number(2));
        let last = &cfg.workflow.calls[1];
        assert_eq!(last.step, StepRef::Last);
        assert_eq!(last.required[0].len(), 2);
        assert!(last.required[0][1].matches("memoryStore", "appendNote"));
        assert!(last.required[1][0].matches("skillInvoker", "invoke"));
        assert!(!last.required[1][0].matches("memoryStore", "invoke"));
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
        assert!(Config::default().clients.is_all());
        let codex = Config::from_toml("clients = [\"codex\", \"Cursor\"]\n")
            .unwrap()
            .clients;
        assert!(codex.contains(Client::Codex) && codex.contains(Client::Cursor));
        assert!(!codex.contains(Client::ClaudeCode));
    }

    #[test]
    fn a_broken_team_workflow_says_what_is_wrong() {
        for (toml, said) in [
            ("profile = \"six\"", "six"),
            ("[workflow]\nsteps = 3\ntitles = [\"a\", \"b\"]", "titles"),
            ("[workflow.calls]\n9 = [\"memoryStore\"]", "`9`"),
            ("[workflow.calls]\n2 = [\"memory store\"]", "memory store"),
            ("[workflow]\nsections = [\" \"]", "empty"),
            ("clients = [\"codex\", \"zed\"]", "`zed` is not a client"),
        ] {
            let e = Config::from_toml(toml).unwrap_err();
            assert!(e.message.contains(said), "{toml}: {}", e.message);
        }
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
