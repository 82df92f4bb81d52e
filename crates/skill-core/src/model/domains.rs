//! The context domains a skill declares in its front matter
//! (`context.primary_domain`, `context.secondary`): what its context calls
//! should name, for the rules that check them.

use super::SkillDoc;

impl SkillDoc {
    /// The domains the front matter declares: `(primary, also listed)`.
    pub fn declared_domains(&self) -> (Vec<String>, Vec<String>) {
        let Some(fm) = &self.front_matter else {
            return Default::default();
        };
        let strings = |keys: &[&str]| -> Vec<String> {
            match fm.node_at(keys) {
                Some(n) => match (n.as_str(), n.as_seq()) {
                    (Some(s), _) => vec![s.trim().to_string()],
                    (_, Some(items)) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .map(|s| s.trim().to_string())
                        .collect(),
                    _ => Vec::new(),
                },
                None => Vec::new(),
            }
        };
        let mut primary = strings(&["context", "primary_domain"]);
        primary.extend(strings(&["context", "primary"]));
        primary.retain(|d| !d.is_empty() && !d.contains(['{', '<']));
        let listed = strings(&["context", "secondary"]);
        (primary, listed)
    }
}
