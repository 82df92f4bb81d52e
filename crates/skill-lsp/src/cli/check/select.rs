//! `--select`, `--extend-select` and `--ignore`: which rules a run checks.
//!
//! Each takes rule codes (`SK104`), names (`too-many-steps`), code prefixes
//! (`SK1`: every SK1xx rule) or `ALL`. As in ruff, the most specific selector
//! wins (a code or name over a prefix, a longer prefix over a shorter one,
//! any of them over `ALL`), and `--ignore` wins a tie. A rule the command
//! line selects runs even where `skill-lsp.toml` turns it off (at its
//! configured severity, else its default one); without `--select` the
//! configs decide what runs, less what `--ignore` removes.

use skill_core::config::RuleLevel;
use skill_core::rules::{Rule, ALL};
use skill_core::Config;

/// The three lists, as given.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub extend: Vec<String>,
    pub ignore: Vec<String>,
}

/// How specifically a selector names a rule: `None` when it does not.
fn specificity(selector: &str, rule: &Rule) -> Option<usize> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") {
        return Some(0);
    }
    if rule.code.eq_ignore_ascii_case(s) || rule.name.eq_ignore_ascii_case(s) {
        return Some(usize::MAX);
    }
    let upper = s.to_ascii_uppercase();
    (upper.len() >= 2 && rule.code.starts_with(&upper)).then_some(upper.len())
}

fn best<'a>(selectors: impl IntoIterator<Item = &'a String>, rule: &Rule) -> Option<usize> {
    selectors.into_iter().filter_map(|s| specificity(s, rule)).max()
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.select.is_none() && self.extend.is_empty() && self.ignore.is_empty()
    }

    /// The first selector that names no rule, for the usage error.
    pub fn unknown(&self) -> Option<&str> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend)
            .chain(&self.ignore)
            .find(|s| !ALL.iter().any(|r| specificity(s, r).is_some()))
            .map(String::as_str)
    }

    /// `config` with the selection's effect on every rule's level, in the
    /// config and in each of its `[[overrides]]` (the command line wins over
    /// both).
    pub fn apply(&self, config: &mut Config) {
        for rule in ALL {
            let configured = config.level(rule.code, rule.severity);
            config
                .rules
                .insert(rule.code.to_string(), self.decide(rule, configured));
            for o in &mut config.overrides {
                if let Some(level) = o.rules.get_mut(rule.code) {
                    *level = self.decide(rule, *level);
                }
            }
        }
    }

    /// A rule's level, given the one the configs give it.
    fn decide(&self, rule: &Rule, configured: RuleLevel) -> RuleLevel {
        let chosen = best(self.select.iter().flatten().chain(&self.extend), rule);
        let ignored = best(&self.ignore, rule);
        match (chosen, ignored) {
            (c, Some(i)) if c.is_none_or(|c| i >= c) => RuleLevel::Off,
            (Some(_), _) => match configured {
                RuleLevel::Off => RuleLevel::On(rule.severity),
                on => on,
            },
            (None, _) if self.select.is_some() => RuleLevel::Off,
            (None, _) => configured,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skill_core::Severity;

    fn level(sel: &Selection, config: &Config, code: &str) -> RuleLevel {
        let mut c = config.clone();
        sel.apply(&mut c);
        c.level(code, Severity::Warning)
    }

    #[test]
    fn the_most_specific_selector_wins() {
        let config = Config::from_toml("[rules]\nSK104 = \"off\"\nSK105 = \"error\"\n").unwrap();
        let sel = Selection {
            select: Some(vec!["SK1".into()]),
            extend: vec!["broken-link".into()],
            ignore: vec!["SK10".into(), "SK105".into()],
        };
        // SK1 selects, the longer SK10 ignores.
        assert_eq!(level(&sel, &config, "SK103"), RuleLevel::Off);
        let sk111 = skill_core::rules::find("SK111").map(|r| r.severity);
        assert_eq!(Some(level(&sel, &config, "SK111")), sk111.map(RuleLevel::On));
        let sk301 = skill_core::rules::find("SK301").map(|r| r.severity);
        assert_eq!(Some(level(&sel, &config, "SK301")), sk301.map(RuleLevel::On));
        assert_eq!(level(&sel, &config, "SK001"), RuleLevel::Off);
        let turn_on = Selection {
            select: Some(vec!["SK104".into(), "SK105".into()]),
            ..Selection::default()
        };
        assert_eq!(level(&turn_on, &config, "SK104"), RuleLevel::On(Severity::Warning));
        assert_eq!(level(&turn_on, &config, "SK105"), RuleLevel::On(Severity::Error));
        let ignore_only = Selection {
            ignore: vec!["SK3".into()],
            ..Selection::default()
        };
        assert_eq!(
            level(&ignore_only, &config, "SK104"),
            RuleLevel::Off,
            "configured off stays off"
        );
        assert_eq!(level(&ignore_only, &config, "SK302"), RuleLevel::Off);
        assert_eq!(level(&ignore_only, &config, "SK001"), RuleLevel::On(Severity::Error));
        assert_eq!(ignore_only.unknown(), None);
        let wrong = Selection {
            ignore: vec!["SK7".into()],
            ..Selection::default()
        };
        assert_eq!(wrong.unknown(), Some("SK7"));
    }
}
