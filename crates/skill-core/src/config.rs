//! `skill-lsp.toml`: per-workspace settings — the profile, rule severities,
//! the team's workflow (step count, canonical titles, what each step must
//! call, required sections) and ignore globs. Every key is optional; an
//! empty file gives today's rules.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use crate::clients::Clients;
use crate::diagnostic::Severity;
use crate::profile::Profile;
use crate::text::TextRange;

mod read;
pub use read::{ConfigSource, RuleCode};

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
    /// Where the config writes it, for errors about it that only the
    /// workspace can tell (no interface has the method).
    pub at: Option<ConfigSpan>,
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
            at: None,
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

/// One thing wrong in a config, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    /// The offending key or value; `None` when no one place is to blame.
    pub at: Option<ConfigSpan>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A place in one of the files a config was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConfigSpan {
    /// Which file: 0 the config itself, 1 the file it `extend`s, and so on
    /// (the order of the sources given to [`Config::read_with`]).
    pub layer: usize,
    /// Bytes of that file's text.
    pub range: TextRange,
}

impl Config {
    /// Parses the TOML text of one `skill-lsp.toml` that extends nothing,
    /// naming each rule under `[rules]` by what `rule_code` gives for it (its
    /// code; `None`: no such rule, an error). The rules' registry sits above
    /// the settings, so it is passed in: [`Config::from_toml`] (in `rules`)
    /// passes the registry. `root` is not looked for on disk.
    pub fn from_toml_with(text: &str, rule_code: RuleCode) -> Result<Config, Vec<ConfigError>> {
        Config::read_with(&[ConfigSource::parse(text)], rule_code, &|_| true)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::Client;

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
            assert_eq!(e.len(), 1, "{toml}: {e:?}");
            assert!(e[0].message.contains(said), "{toml}: {}", e[0].message);
        }
    }

    #[test]
    fn broken_config_says_what_is_wrong() {
        let err = Config::from_toml("[rules]\nSK999 = \"off\"\n").unwrap_err();
        assert!(err[0].message.contains("SK999"), "{}", err[0].message);
        let err = Config::from_toml("[rules]\nSK104 = \"loud\"\n").unwrap_err();
        assert!(err[0].message.contains("loud"), "{}", err[0].message);
        assert!(Config::from_toml("rules = [").is_err());
    }

    /// Where each error of a text stands: (line, column), both one-based.
    fn places(text: &str) -> Vec<(usize, usize, String)> {
        let errors = Config::from_toml(text).unwrap_err();
        errors
            .into_iter()
            .map(|e| {
                let at = e.at.expect("a place").range.start;
                let line = text[..at].matches('\n').count() + 1;
                let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
                (line, col, e.message)
            })
            .collect()
    }

    #[test]
    fn every_error_of_a_file_is_reported_at_its_key_or_value() {
        let text = "colour = \"red\"\nprofile = \"six\"\n[rules]\nSK999 = \"off\"\nstep-missing = \"loud\"\n[workflow]\nsteps = 0\ntitle = []\n[workflow.calls]\nfirst = [\"memoryStore\"]\n2 = [\"memory store\"]\n";
        let got = places(text);
        let at: Vec<(usize, usize)> = got.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            at,
            [(1, 1), (2, 12), (4, 1), (5, 17), (7, 9), (8, 1), (10, 1), (11, 7)],
            "{got:#?}"
        );
        for (said, (_, _, message)) in [
            "unknown key `colour`",
            "profile `six`",
            "unknown rule `SK999`",
            "`loud` is not one of",
            "workflow.steps must be 1 to 100, not 0",
            "unknown key `title` in [workflow]",
            "key `first` is not a step",
            "`memory store` under step `2`",
        ]
        .iter()
        .zip(&got)
        {
            assert!(message.contains(said), "{message} lacks {said}");
        }
    }

    #[test]
    fn values_of_the_wrong_type_and_syntax_errors_have_places_too() {
        let got = places("ignore = \"drafts\"\n[workflow]\nsteps = \"six\"\nsections = [\"Purpose\", 3]\n");
        let at: Vec<(usize, usize)> = got.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, [(1, 10), (3, 9), (4, 24)], "{got:#?}");
        assert!(
            got[0].2.contains("`ignore` must be an array of strings, not a string"),
            "{got:?}"
        );
        assert!(got[2].2.contains("not an integer"), "{got:?}");
        let syntax = places("[rules]\nSK102 = \"off\"\nsteps = [\n");
        assert_eq!(syntax.len(), 1, "only the syntax error on its line: {syntax:?}");
        assert_eq!(syntax[0].0, 3, "{syntax:?}");
        let more = places("profile = \"workflow\n[rules]\nSK999 = \"off\"\n");
        assert_eq!(more.len(), 2, "and the errors of the lines it could read: {more:?}");
        let overrides = places(
            "[[overrides]]\nprofile = \"agentskills\"\n[[overrides]]\nfiles = [\"[\"]\nrules = { SK999 = \"off\" }\n",
        );
        let at: Vec<(usize, usize)> = overrides.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, [(1, 1), (4, 11), (5, 11)], "{overrides:#?}");
    }

    #[test]
    fn an_extended_files_errors_are_placed_in_it_and_its_settings_merge_under_the_files_own() {
        let own = "extend = \"base.toml\"\n[rules]\nSK105 = \"warning\"\n";
        let base = "root = \"gone\"\n[rules]\nSK104 = \"off\"\nSK105 = \"error\"\n[workflow]\nstep = 3\n";
        let sources = [ConfigSource::parse(own), ConfigSource::parse(base)];
        let errors = Config::read(&sources, &|root| root != "gone").unwrap_err();
        let placed: Vec<(usize, usize)> = errors
            .iter()
            .map(|e| {
                let at = e.at.unwrap();
                (at.layer, at.range.start)
            })
            .collect();
        assert_eq!(placed, [(1, 8), (1, base.find("step =").unwrap())], "{errors:#?}");
        let fine = "root = \"here\"\n[rules]\nSK104 = \"off\"\nSK105 = \"error\"\n[[overrides]]\nfiles = [\"a\"]\n";
        let own = "extend = \"base.toml\"\n[rules]\nSK105 = \"warning\"\n[[overrides]]\nfiles = [\"b\"]\n";
        let cfg = Config::read(&[ConfigSource::parse(own), ConfigSource::parse(fine)], &|_| true).unwrap();
        assert_eq!(cfg.root.as_deref(), Some("here"));
        assert_eq!(cfg.level("SK104", Severity::Warning), RuleLevel::Off);
        assert_eq!(cfg.level("SK105", Severity::Error), RuleLevel::On(Severity::Warning));
        let files: Vec<&str> = cfg.overrides.iter().map(|o| o.files[0].as_str()).collect();
        assert_eq!(files, ["a", "b"], "the extended file's overrides first");
    }
}
