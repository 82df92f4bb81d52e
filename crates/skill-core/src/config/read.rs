//! Reading `skill-lsp.toml` files into a [`Config`], every error of every
//! file with the place it stands at.
//!
//! A config may `extend` another: the project resolver reads the chain of
//! files and hands their texts here, the config itself first. Each file is
//! validated whole (a bad value the extending file sets again is still an
//! error of the file it is in), then their settings merge: the file's own
//! win over those it extends, tables merge key by key, `[[overrides]]` of
//! the extended file come first. What needs the merged settings (titles
//! against the step count, `[workflow.calls]` steps, the `root` folder) is
//! checked last, at the place of the value that decided it.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{CallPattern, Config, ConfigError, ConfigSpan, StepCalls, StepRef};
use crate::clients::{Client, Clients};
use crate::diagnostic::{RuleLevel, Severity};
use crate::overrides::Override;
use crate::profile::Profile;
use crate::text::TextRange;

/// Names a rule by its code, given its code or name (`None`: no such rule).
pub type RuleCode<'a> = &'a dyn Fn(&str) -> Option<String>;

/// One configuration file's text, parsed as TOML (syntax errors kept).
pub struct ConfigSource<'a> {
    text: &'a str,
    table: Spanned<DeTable<'a>>,
    /// TOML syntax errors: message and byte range.
    syntax: Vec<(String, Option<Range<usize>>)>,
}

impl<'a> ConfigSource<'a> {
    pub fn parse(text: &'a str) -> ConfigSource<'a> {
        let (table, errors) = DeTable::parse_recoverable(text);
        let syntax = errors
            .into_iter()
            .map(|e| (e.message().trim().replace('\n', "; "), e.span()))
            .collect();
        ConfigSource { text, table, syntax }
    }

    /// The file `extend` names and where that name stands; `None` when the
    /// file extends nothing (or `extend` is no string, which
    /// [`Config::read_with`] reports).
    pub fn extend(&self) -> Option<(&str, TextRange)> {
        let value = self.table.get_ref().get("extend")?;
        let path = value.get_ref().as_str()?;
        Some((path, string_content(self.text, value.span())))
    }
}

/// A value and where it was written.
#[derive(Debug, Clone)]
struct Placed<T> {
    value: T,
    at: ConfigSpan,
}

/// What one file sets, each part validated.
#[derive(Default)]
struct Settings {
    rules: BTreeMap<String, RuleLevel>,
    steps: Option<Placed<u32>>,
    titles: Option<Placed<Vec<String>>>,
    sections: Option<Vec<String>>,
    /// `[workflow.calls]` by trimmed key: the key's place and the groups.
    calls: BTreeMap<String, (ConfigSpan, Vec<Vec<CallPattern>>)>,
    ignore: Option<Vec<String>>,
    root: Option<Placed<String>>,
    profile: Option<Profile>,
    baseline: Option<String>,
    clients: Option<Clients>,
    docs_url: Option<String>,
    overrides: Vec<Override>,
}

impl Settings {
    /// `over`'s settings win; tables merge key by key, overrides append.
    fn merge(&mut self, over: Settings) {
        self.rules.extend(over.rules);
        self.calls.extend(over.calls);
        self.overrides.extend(over.overrides);
        macro_rules! replace {
            ($($field:ident),*) => {$(if over.$field.is_some() { self.$field = over.$field; })*};
        }
        replace!(steps, titles, sections, ignore, root, profile, baseline, clients, docs_url);
    }
}

const TOP_KEYS: &[&str] = &[
    "profile",
    "clients",
    "root",
    "ignore",
    "baseline",
    "docs_url",
    "workflow",
    "rules",
    "extend",
    "overrides",
];
const WORKFLOW_KEYS: &[&str] = &["steps", "titles", "sections", "calls"];
const OVERRIDE_KEYS: &[&str] = &["files", "profile", "rules"];

impl Config {
    /// Reads a config from the texts of its files: `sources[0]` is the config
    /// itself, each next one the file the one before `extend`s. `rule_code`
    /// names the rules under `[rules]`; `root_is_folder` says whether the
    /// `root` the settings end with is a folder. Every error of every file,
    /// in file order and then by position, or the merged settings.
    pub fn read_with(
        sources: &[ConfigSource],
        rule_code: RuleCode,
        root_is_folder: &dyn Fn(&str) -> bool,
    ) -> Result<Config, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut merged = Settings::default();
        for (layer, source) in sources.iter().enumerate().rev() {
            let mut reader = Reader {
                layer,
                text: source.text,
                rule_code,
                errors: &mut errors,
            };
            for (message, span) in &source.syntax {
                let at = span.clone().map(|s| reader.span(s));
                reader.errors.push(ConfigError {
                    message: message.clone(),
                    at,
                });
            }
            let first = reader.errors.len();
            merged.merge(reader.settings(source.table.get_ref()));
            // What the parser made of a line it could not read is no setting
            // to judge: its syntax error says what is wrong there.
            let line = |at: usize| source.text[..at.min(source.text.len())].matches('\n').count();
            let broken: Vec<usize> = source
                .syntax
                .iter()
                .filter_map(|(_, s)| Some(line(s.as_ref()?.start)))
                .collect();
            if !broken.is_empty() {
                let mut i = 0;
                errors.retain(|e| {
                    i += 1;
                    i <= first || e.at.is_none_or(|at| !broken.contains(&line(at.range.start)))
                });
            }
        }
        let cfg = finish(merged, root_is_folder, &mut errors);
        if errors.is_empty() {
            Ok(cfg)
        } else {
            errors.sort_by_key(|e| e.at.map(|a| (a.layer, a.range.start)));
            Err(errors)
        }
    }
}

/// The merged settings as a [`Config`], with what only they can tell checked.
fn finish(s: Settings, root_is_folder: &dyn Fn(&str) -> bool, errors: &mut Vec<ConfigError>) -> Config {
    let mut cfg = Config {
        rules: s.rules,
        ignore: s.ignore.unwrap_or_default(),
        profile: s.profile,
        baseline: s.baseline,
        clients: s.clients.unwrap_or(Clients::ALL),
        docs_url: s.docs_url,
        overrides: s.overrides,
        ..Config::default()
    };
    let err = |message: String, at: ConfigSpan| ConfigError { message, at: Some(at) };
    if let Some(steps) = &s.steps {
        cfg.step_count = steps.value;
    }
    if let Some(titles) = s.titles {
        let count = u32::try_from(titles.value.len()).unwrap_or(u32::MAX);
        match &s.steps {
            // Titles alone set the step count.
            None if count <= 100 => cfg.step_count = count,
            Some(steps) if steps.value == count => {}
            None => errors.push(err(
                format!("workflow.titles names {count} steps, more than 100"),
                titles.at,
            )),
            Some(steps) => errors.push(err(
                format!(
                    "workflow.titles names {count} steps but workflow.steps is {}; give one title per step",
                    steps.value
                ),
                titles.at,
            )),
        }
        cfg.workflow.titles = titles.value;
    }
    cfg.workflow.sections = s.sections;
    for (key, (at, required)) in s.calls {
        let step = match key.as_str() {
            "last" => StepRef::Last,
            n => match n.parse::<u32>() {
                Ok(n) if (1..=cfg.step_count).contains(&n) => StepRef::Number(n),
                _ => {
                    errors.push(err(
                        format!(
                            "[workflow.calls] key `{key}` is not a step: use a number from 1 to {} or `last`",
                            cfg.step_count
                        ),
                        at,
                    ));
                    continue;
                }
            },
        };
        cfg.workflow.calls.push(StepCalls { step, required });
    }
    cfg.workflow.calls.sort_by_key(|c| c.step);
    if let Some(root) = s.root {
        if !root_is_folder(&root.value) {
            errors.push(err(
                format!(
                    "root `{}` is no folder (it is read relative to the folder of {}); name the folder holding `interfaces/`, or leave `root` out",
                    root.value,
                    super::FILE_NAME
                ),
                root.at,
            ));
        }
        cfg.root = Some(root.value);
    }
    cfg
}

/// Validates one file's table.
struct Reader<'r, 'a> {
    layer: usize,
    text: &'a str,
    rule_code: RuleCode<'r>,
    errors: &'r mut Vec<ConfigError>,
}

type Value<'a> = Spanned<DeValue<'a>>;
type Key<'a> = Spanned<std::borrow::Cow<'a, str>>;

impl Reader<'_, '_> {
    fn span(&self, range: Range<usize>) -> ConfigSpan {
        ConfigSpan {
            layer: self.layer,
            range: TextRange::new(range.start, range.end.max(range.start)),
        }
    }

    /// Where a value stands; for a string, where its text starts (inside the quotes).
    fn at(&self, value: &Value) -> ConfigSpan {
        let range = value.span();
        let range = match value.get_ref() {
            DeValue::String(_) => {
                let r = string_content(self.text, range);
                r.start..r.end
            }
            _ => range,
        };
        self.span(range)
    }

    fn error(&mut self, at: ConfigSpan, message: String) {
        self.errors.push(ConfigError { message, at: Some(at) });
    }

    fn unknown_key(&mut self, key: &Key, table: &str, known: &[&str]) {
        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        let at = self.span(key.span());
        self.error(
            at,
            format!("unknown key `{}`{table}: use {}", key.get_ref(), list.join(", ")),
        );
    }

    fn wrong_type(&mut self, name: &str, value: &Value, wanted: &str) {
        let at = self.span(value.span());
        let name = if name.contains('`') {
            name.to_string()
        } else {
            format!("`{name}`")
        };
        self.error(
            at,
            format!("{name} must be {wanted}, not {}", article(value.get_ref().type_str())),
        );
    }

    fn string(&mut self, name: &str, value: &Value) -> Option<(String, ConfigSpan)> {
        match value.get_ref().as_str() {
            Some(s) => Some((s.to_string(), self.at(value))),
            None => {
                self.wrong_type(name, value, "a string");
                None
            }
        }
    }

    /// An array of strings; each item that is none is an error.
    fn strings(&mut self, name: &str, value: &Value) -> Option<Vec<(String, ConfigSpan)>> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(name, value, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match self.string(&format!("{name}[]"), item) {
                Some(s) => out.push(s),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn table<'v, 'a>(&mut self, name: &str, value: &'v Value<'a>) -> Option<&'v DeTable<'a>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(name, value, "a table");
        }
        table
    }

    fn settings(&mut self, table: &DeTable) -> Settings {
        let mut s = Settings::default();
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "rules" => {
                    if let Some(t) = self.table("rules", value) {
                        s.rules = self.rules(t, "[rules]");
                    }
                }
                "workflow" => {
                    if let Some(t) = self.table("workflow", value) {
                        self.workflow(t, &mut s);
                    }
                }
                "ignore" => {
                    s.ignore = self.strings("ignore", value).map(|globs| {
                        for (glob, at) in &globs {
                            self.gitignore_glob(glob, *at);
                        }
                        globs.into_iter().map(|(g, _)| g).collect()
                    });
                }
                "root" => s.root = self.string("root", value).map(|(value, at)| Placed { value, at }),
                "profile" => s.profile = self.profile("profile", value, "(or leave it out to choose per skill)"),
                "baseline" => s.baseline = self.string("baseline", value).map(|(b, _)| b),
                "clients" => s.clients = self.clients(value),
                "docs_url" => s.docs_url = self.docs_url(value),
                "overrides" => s.overrides = self.overrides(value),
                "extend" => {
                    // Followed by the project resolver; only its type is checked here.
                    if value.get_ref().as_str().is_none() {
                        self.wrong_type("extend", value, "the path of another skill-lsp.toml");
                    }
                }
                _ => self.unknown_key(key, "", TOP_KEYS),
            }
        }
        s
    }

    fn profile(&mut self, name: &str, value: &Value, advice: &str) -> Option<Profile> {
        let (text, at) = self.string(name, value)?;
        let profile = Profile::parse(&text);
        if profile.is_none() {
            self.error(
                at,
                format!("{name} `{text}` is not one of `workflow`, `agentskills` {advice}")
                    .trim_end()
                    .to_string(),
            );
        }
        profile
    }

    fn clients(&mut self, value: &Value) -> Option<Clients> {
        let names = self.strings("clients", value)?;
        let mut ok = true;
        for (name, at) in &names {
            if Client::parse(name).is_none() {
                let known: Vec<String> = Client::ALL.iter().map(|c| format!("`{c}`")).collect();
                self.error(
                    *at,
                    format!(
                        "clients: `{name}` is not a client; use {} (or leave `clients` out to count them all)",
                        known.join(", ")
                    ),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        Clients::parse(names.iter().map(|(n, _)| n.as_str())).ok()
    }

    fn docs_url(&mut self, value: &Value) -> Option<String> {
        let (url, at) = self.string("docs_url", value)?;
        if !url.contains("{code}") && !url.contains("{name}") {
            self.error(
                at,
                format!(
                    "docs_url `{url}` has neither `{{code}}` nor `{{name}}`, so every rule would link to the same page"
                ),
            );
            return None;
        }
        Some(url)
    }

    /// A `[rules]` table (the config's own or an override's): each entry a
    /// rule's code or name and a level.
    fn rules(&mut self, table: &DeTable, name: &str) -> BTreeMap<String, RuleLevel> {
        let mut out = BTreeMap::new();
        for (key, value) in table.iter() {
            let rule = (self.rule_code)(key.get_ref().trim());
            if rule.is_none() {
                let at = self.span(key.span());
                self.error(
                    at,
                    format!(
                        "unknown rule `{}` under {name} (a code such as `SK102` or a name such as `step-missing`)",
                        key.get_ref()
                    ),
                );
            }
            let Some((level, at)) = self.string(&format!("rule `{}`", key.get_ref()), value) else {
                continue;
            };
            let parsed = match level.trim().to_ascii_lowercase().as_str() {
                "off" | "none" | "allow" => Some(RuleLevel::Off),
                other => Severity::parse(other).map(RuleLevel::On),
            };
            match (rule, parsed) {
                (Some(code), Some(level)) => {
                    out.insert(code, level);
                }
                (_, None) => self.error(
                    at,
                    format!(
                        "rule `{}`: `{level}` is not one of error, warning, information, off",
                        key.get_ref()
                    ),
                ),
                (None, Some(_)) => {}
            }
        }
        out
    }

    fn workflow(&mut self, table: &DeTable, s: &mut Settings) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "steps" => {
                    let number = match value.get_ref() {
                        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
                        _ => {
                            self.wrong_type("workflow.steps", value, "a number from 1 to 100");
                            continue;
                        }
                    };
                    let at = self.at(value);
                    match number
                        .and_then(|n| u32::try_from(n).ok())
                        .filter(|n| (1..=100).contains(n))
                    {
                        Some(n) => s.steps = Some(Placed { value: n, at }),
                        None => self.error(
                            at,
                            format!("workflow.steps must be 1 to 100, not {}", self.source_of(value)),
                        ),
                    }
                }
                "titles" => {
                    let at = self.at(value);
                    s.titles = self.strings("workflow.titles", value).map(|titles| Placed {
                        value: titles.into_iter().map(|(t, _)| t).collect(),
                        at,
                    });
                }
                "sections" => {
                    let Some(sections) = self.strings("workflow.sections", value) else {
                        continue;
                    };
                    let mut ok = true;
                    for (heading, at) in &sections {
                        if heading.trim().trim_start_matches('#').trim().is_empty() {
                            self.error(*at, "workflow.sections lists an empty heading".to_string());
                            ok = false;
                        }
                    }
                    if ok {
                        s.sections = Some(
                            sections
                                .into_iter()
                                .map(|(h, _)| h.trim().trim_start_matches('#').trim().to_string())
                                .collect(),
                        );
                    }
                }
                "calls" => {
                    if let Some(t) = self.table("workflow.calls", value) {
                        self.calls(t, s);
                    }
                }
                _ => self.unknown_key(key, " in [workflow]", WORKFLOW_KEYS),
            }
        }
    }

    /// `[workflow.calls]`: each entry's patterns; whether its key is a step
    /// is known once the step count is.
    fn calls(&mut self, table: &DeTable, s: &mut Settings) {
        for (key, value) in table.iter() {
            let name = key.get_ref().trim().to_string();
            let Some(entries) = self.strings(&format!("workflow.calls.{name}"), value) else {
                continue;
            };
            let mut required = Vec::new();
            for (entry, at) in entries {
                let group: Option<Vec<CallPattern>> = entry
                    .split('|')
                    .map(|part| {
                        let mut p = CallPattern::parse(part)?;
                        p.at = Some(self.within(at, part.trim()));
                        Some(p)
                    })
                    .collect();
                match group {
                    Some(g) if !g.is_empty() => required.push(g),
                    _ => self.error(
                        at,
                        format!(
                            "[workflow.calls] `{entry}` under step `{name}` is not `receiver` or `receiver.method` (alternatives separated by `|`)"
                        ),
                    ),
                }
            }
            let at = self.span(key.span());
            s.calls.insert(name, (at, required));
        }
    }

    fn overrides(&mut self, value: &Value) -> Vec<Override> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type("overrides", value, "an array of tables (`[[overrides]]`)");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let name = format!("[[overrides]] #{}", i + 1);
            let Some(table) = self.table(&name, item) else { continue };
            let mut o = Override {
                files: Vec::new(),
                profile: None,
                rules: BTreeMap::new(),
            };
            let mut ok = true;
            let mut has_files = false;
            for (key, value) in table.iter() {
                match key.get_ref().as_ref() {
                    "files" => {
                        has_files = true;
                        let Some(globs) = self.strings(&format!("{name} files"), value) else {
                            ok = false;
                            continue;
                        };
                        if globs.is_empty() {
                            let at = self.span(value.span());
                            self.error(at, format!("{name}: `files` lists no glob, so it applies to nothing"));
                            ok = false;
                        }
                        for (glob, at) in &globs {
                            if let Some(problem) = crate::overrides::glob_problem(glob) {
                                self.error(*at, format!("{name}: `{glob}` is not a glob: {problem}"));
                                ok = false;
                            }
                        }
                        o.files = globs.into_iter().map(|(g, _)| g).collect();
                    }
                    "profile" => {
                        o.profile = self.profile(&format!("{name}: profile"), value, "");
                        ok &= o.profile.is_some();
                    }
                    "rules" => {
                        if let Some(t) = self.table(&format!("{name} rules"), value) {
                            o.rules = self.rules(t, &format!("{name} rules"));
                        }
                    }
                    _ => self.unknown_key(key, &format!(" in {name}"), OVERRIDE_KEYS),
                }
            }
            if !has_files {
                let at = self.span(item.span());
                self.error(at, format!("{name}: `files` is missing: name the globs it applies to"));
                ok = false;
            }
            if ok {
                out.push(o);
            }
        }
        out
    }

    /// An `ignore` line: `.gitignore` syntax, whose globs are globset's once
    /// the negation and anchoring marks are off.
    fn gitignore_glob(&mut self, line: &str, at: ConfigSpan) {
        let glob = line.strip_prefix('!').unwrap_or(line).trim_start_matches('/');
        let glob = glob.strip_suffix('/').unwrap_or(glob);
        if line.starts_with('#') || glob.trim().is_empty() {
            return;
        }
        if let Some(problem) = crate::overrides::glob_problem(glob) {
            self.error(at, format!("ignore: `{line}` is not a glob: {problem}"));
        }
    }

    /// The place of `part`, a piece of the string at `at`, if it can be found
    /// in the string's source text (escapes aside); else the string's.
    fn within(&self, at: ConfigSpan, part: &str) -> ConfigSpan {
        let source = self.text.get(at.range.start..at.range.end).unwrap_or_default();
        match source.find(part) {
            Some(i) if !part.is_empty() => ConfigSpan {
                layer: at.layer,
                range: TextRange::new(at.range.start + i, at.range.start + i + part.len()),
            },
            _ => at,
        }
    }

    /// A value as written in the file.
    fn source_of(&self, value: &Value) -> String {
        self.text.get(value.span()).unwrap_or_default().trim().to_string()
    }
}

/// The range of a string's text inside its quotes (`"…"`, `'…'`, `"""…"""`, `'''…'''`).
fn string_content(text: &str, span: Range<usize>) -> TextRange {
    let raw = text.get(span.clone()).unwrap_or_default();
    let quote = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| raw.len() >= 2 * q.len() && raw.starts_with(q) && raw.ends_with(q))
        .map_or(0, str::len);
    TextRange::new(span.start + quote, span.end - quote)
}

/// "a string", "an array".
fn article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}
