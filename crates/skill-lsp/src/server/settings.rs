//! Settings from the client (`initializationOptions`, `workspace/configuration`
//! section `skillLsp`, `workspace/didChangeConfiguration`), applied on top of
//! the workspace's `skill-lsp.toml`.
//!
//! Shape, mirroring the config file: `{"profile": "agentskills", "rules":
//! {"SK104": "off", "SK114": "error"}, "workflow": {"steps": 7}, "clients":
//! ["codex"]}`; a
//! `profile` of `auto` (or none) leaves the choice to the config file and the
//! skill itself. `"inlayHints": {"parameterNames": false, "stepCount":
//! false, "resolvedPaths": false}` turns kinds of inlay hint off. Wrapped in `{"skillLsp": {...}}` is
//! accepted too, as clients send either. A bad entry is reported and skipped;
//! the rest still applies.

use std::collections::BTreeMap;

use serde_json::Value;
use skill_core::clients::{Client, Clients};
use skill_core::config::RuleLevel;
use skill_core::ide::inlay::InlayKinds;
use skill_core::{Config, Profile, Severity};

/// The configuration section the server asks the client for.
pub const SECTION: &str = "skillLsp";

/// Overrides the client asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSettings {
    pub rules: BTreeMap<String, RuleLevel>,
    pub step_count: Option<u32>,
    /// The profile every skill is checked in, over the config file's.
    pub profile: Option<Profile>,
    /// The clients the skills are written for, over the config file's.
    pub clients: Option<Clients>,
    /// Which inlay hints to show (`inlayHints`: `parameterNames`,
    /// `stepCount`, `resolvedPaths`, each `true` unless set `false`).
    pub inlay: InlayKinds,
}

impl ClientSettings {
    /// Reads settings; the second value lists what was wrong (each a full sentence).
    pub fn parse(value: &Value) -> (ClientSettings, Vec<String>) {
        let mut problems = Vec::new();
        let mut out = ClientSettings::default();
        let value = value.get(SECTION).unwrap_or(value);
        let Some(map) = value.as_object() else {
            if !value.is_null() {
                problems.push(format!(
                    "skill-lsp settings must be an object, not `{value}`; using none."
                ));
            }
            return (out, problems);
        };
        if let Some(rules) = map.get("rules") {
            match rules.as_object() {
                Some(rules) => {
                    for (code, level) in rules {
                        match parse_rule(code, level) {
                            Ok((code, level)) => {
                                out.rules.insert(code, level);
                            }
                            Err(problem) => problems.push(problem),
                        }
                    }
                }
                None => problems.push("skill-lsp setting `rules` must map rule codes to levels.".into()),
            }
        }
        let steps = map
            .get("workflow")
            .and_then(|w| w.get("steps"))
            .or_else(|| map.get("stepCount"));
        if let Some(steps) = steps {
            match steps.as_u64() {
                Some(n @ 1..=100) => out.step_count = Some(n as u32),
                _ => problems.push(format!(
                    "skill-lsp setting `workflow.steps` must be 1 to 100, not {steps}."
                )),
            }
        }
        match map.get("profile") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.trim().is_empty() || s.trim().eq_ignore_ascii_case("auto") => {}
            Some(Value::String(s)) if Profile::parse(s).is_some() => out.profile = Profile::parse(s),
            Some(other) => problems.push(format!(
                "skill-lsp setting `profile` must be `auto`, `workflow` or `agentskills`, not {other}; using auto."
            )),
        }
        match map.get("clients") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                let names: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                match names.map(Clients::parse) {
                    Some(Ok(clients)) => out.clients = Some(clients),
                    Some(Err(name)) => problems.push(format!(
                        "skill-lsp setting `clients`: `{name}` is not a client (use {}); using the config file's.",
                        Client::ALL.map(|c| format!("`{c}`")).join(", ")
                    )),
                    None => problems.push(
                        "skill-lsp setting `clients` must list client names, such as [\"codex\"]; using the config file's.".into(),
                    ),
                }
            }
            Some(other) => problems.push(format!(
                "skill-lsp setting `clients` must be a list of client names, not {other}; using the config file's."
            )),
        }
        if let Some(hints) = map.get("inlayHints") {
            let mut flag = |key: &str, slot: &mut bool| match hints.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::Bool(b)) => *slot = *b,
                Some(other) => problems.push(format!(
                    "skill-lsp setting `inlayHints.{key}` must be true or false, not {other}; ignored."
                )),
            };
            flag("parameterNames", &mut out.inlay.parameter_names);
            flag("stepCount", &mut out.inlay.step_count);
            flag("resolvedPaths", &mut out.inlay.resolved_paths);
        }
        (out, problems)
    }

    /// `config` with these overrides on top.
    pub fn apply(&self, config: &Config) -> Config {
        let mut config = config.clone();
        for (code, level) in &self.rules {
            config.rules.insert(code.clone(), *level);
        }
        if let Some(steps) = self.step_count {
            config.step_count = steps;
        }
        if self.profile.is_some() {
            config.profile = self.profile;
        }
        if let Some(clients) = self.clients {
            config.clients = clients;
        }
        config
    }
}

fn parse_rule(code: &str, level: &Value) -> Result<(String, RuleLevel), String> {
    let Some(rule) = skill_core::rules::find(code) else {
        return Err(format!(
            "skill-lsp setting `rules.{code}`: no rule has that code; ignored."
        ));
    };
    let text = level.as_str().unwrap_or_default();
    let level = match text.trim().to_ascii_lowercase().as_str() {
        "off" | "none" | "allow" => RuleLevel::Off,
        other => match Severity::parse(other) {
            Some(s) => RuleLevel::On(s),
            None => {
                return Err(format!(
                    "skill-lsp setting `rules.{code}`: {level} is not one of error, warning, information, off; ignored."
                ))
            }
        },
    };
    Ok((rule.code.to_string(), level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_rule_levels_and_steps_wrapped_or_not() {
        let (s, problems) = ClientSettings::parse(&json!({"rules": {"sk005": "off", "SK006": "error"}}));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.rules["SK005"], RuleLevel::Off);
        assert_eq!(s.rules["SK006"], RuleLevel::On(Severity::Error));
        let (s, _) = ClientSettings::parse(&json!({"skillLsp": {"workflow": {"steps": 7}}}));
        assert_eq!(s.step_count, Some(7));
        let config = s.apply(&Config::default());
        assert_eq!(config.step_count, 7);
    }

    #[test]
    fn inlay_hint_kinds_can_be_turned_off() {
        let (s, problems) = ClientSettings::parse(&json!({"inlayHints": {"parameterNames": false, "stepCount": "no"}}));
        assert!(!s.inlay.parameter_names && s.inlay.step_count && s.inlay.resolved_paths);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn bad_entries_are_reported_and_skipped() {
        let (s, problems) = ClientSettings::parse(
            &json!({"rules": {"SK999": "off", "SK005": "loud", "SK006": "warn"}, "workflow": {"steps": 0}}),
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("SK999")));
        assert_eq!(s.rules.len(), 1);
        assert_eq!(s.step_count, None);
        let (s, problems) = ClientSettings::parse(&json!("nonsense"));
        assert_eq!(s, ClientSettings::default());
        assert_eq!(problems.len(), 1);
        assert!(ClientSettings::parse(&Value::Null).1.is_empty());
    }

    #[test]
    fn reads_the_clients() {
        let (s, problems) = ClientSettings::parse(&json!({"skillLsp": {"clients": ["codex", "Copilot"]}}));
        assert!(problems.is_empty(), "{problems:?}");
        let clients = s.apply(&Config::default()).clients;
        assert!(clients.contains(Client::Codex) && clients.contains(Client::Copilot));
        assert!(!clients.contains(Client::ClaudeCode));
        let file = Config::from_toml("clients = [\"codex\"]\n").unwrap();
        assert_eq!(ClientSettings::default().apply(&file).clients, file.clients);
        for bad in [
            json!({"clients": ["zed"]}),
            json!({"clients": "codex"}),
            json!({"clients": [3]}),
        ] {
            let (s, problems) = ClientSettings::parse(&bad);
            assert_eq!((s.clients, problems.len()), (None, 1), "{bad}");
        }
    }

    #[test]
    fn reads_the_profile() {
        let (s, problems) = ClientSettings::parse(&json!({"skillLsp": {"profile": "agentskills"}}));
        assert!(problems.is_empty());
        assert_eq!(s.apply(&Config::default()).profile, Some(Profile::AgentSkills));
        let file = Config::from_toml("profile = \"workflow\"\n").unwrap();
        let (auto, _) = ClientSettings::parse(&json!({"profile": "auto"}));
        assert_eq!(
            auto.apply(&file).profile,
            Some(Profile::Workflow),
            "auto keeps the file's"
        );
        let (s, problems) = ClientSettings::parse(&json!({"profile": "six-step"}));
        assert_eq!((s.profile, problems.len()), (None, 1));
    }

    #[test]
    fn client_overrides_win_over_the_file() {
        let file = Config::from_toml("[rules]\nSK005 = \"error\"\nSK006 = \"off\"\n").unwrap();
        let (s, _) = ClientSettings::parse(&json!({"rules": {"SK005": "off"}}));
        let merged = s.apply(&file);
        assert_eq!(merged.level("SK005", Severity::Warning), RuleLevel::Off);
        assert_eq!(merged.level("SK006", Severity::Warning), RuleLevel::Off);
    }
}
