//! Lookups the interface and link rules share: the closest known name to a
//! misspelt one, and which argument of a call stands for a parameter.

use super::catalogue::{self, Catalogue};
use crate::model::{Arg, Call};

/// The candidate a misspelt `name` most likely stands for: the same name in
/// another case, one within two typos (`pyhton` → `python`,
/// `flask_pattern` → `flask_patterns`), or else the only candidate that
/// extends it (`fastapi` → `fastapi_patterns`). `None` when nothing is close:
/// a guess at a distant name would mislead more than help.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    let mut extending = Vec::new();
    for c in candidates {
        if c == name {
            return None;
        }
        let cl = c.to_lowercase();
        let d = if cl == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &cl)
        };
        let limit = if lower.chars().count() <= 4 { 1 } else { 2 };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
        if cl.len() > lower.len() && cl.starts_with(&lower) && !lower.is_empty() {
            extending.push(c);
        }
    }
    best.map(|(_, c)| c)
        .or_else(|| (extending.len() == 1).then(|| extending[0]))
}

/// The words of a camelCase name, lower case: `getDomainIndex` → `get domain index`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_uppercase() || out.is_empty() {
            out.push(String::new());
        }
        if let Some(w) = out.last_mut() {
            w.extend(c.to_lowercase());
        }
    }
    out
}

/// The defined method an undefined one most likely means: a typo away, or
/// the same verb with words added or dropped (`getIndex` → `getDomainIndex`,
/// `updateSkillMemory` → `update`). Methods with another verb never qualify
/// (`getSkillMemory` is no fix for `updateSkillMemory`: it reads instead of writing).
pub fn closest_method<'a>(name: &str, methods: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = words(name);
    let mut best: Option<(usize, usize, &'a str)> = None;
    for m in methods {
        let mw = words(m);
        let d = strsim::damerau_levenshtein(&name.to_lowercase(), &m.to_lowercase());
        let typo = d <= if name.chars().count() <= 5 { 1 } else { 2 };
        let same_verb = mw.first() == w.first();
        let nested = same_verb && (w.iter().all(|x| mw.contains(x)) || mw.iter().all(|x| w.contains(x)));
        if !(typo || nested) {
            continue;
        }
        let rank = usize::from(!typo);
        if best.is_none_or(|(r, bd, _)| (rank, d) < (r, bd)) {
            best = Some((rank, d, m));
        }
    }
    best.map(|(_, _, m)| m)
}

/// The argument of a call that stands for one of the named parameters, under
/// the accepted form that fits it best (`None` for undefined methods, calls
/// whose arguments fit no form, and mentions).
pub fn arg_for<'c>(catalogue: &Catalogue, call: &'c Call, params: &[&str]) -> Option<&'c Arg> {
    if call.is_mention {
        return None;
    }
    let method = catalogue.method(&call.receiver, &call.method)?;
    let binding = catalogue::best_fit(method, &call.args).ok()?;
    binding.arg_for(&call.args, params)
}

/// A string argument's value when it is a literal, not a placeholder
/// (`"{project-name}"`, `"<skill>"`, `"$DOMAIN"`).
pub fn literal(arg: &Arg) -> Option<&str> {
    let s = arg.as_str()?;
    let placeholder = s.is_empty() || s.contains(['{', '}', '<', '>', '$', '*']) || s.contains("...");
    (!placeholder).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        let domains = ["python", "dotnet", "security", "schema"];
        assert_eq!(closest("pyhton", domains), Some("python"));
        assert_eq!(closest("Python", domains), Some("python"));
        assert_eq!(closest("database", domains), None);
        assert_eq!(closest("python", domains), None);
        assert_eq!(
            closest("flask_pattern", ["flask_patterns", "fastapi_patterns"]),
            Some("flask_patterns")
        );
        assert_eq!(
            closest("fastapi", ["flask_patterns", "fastapi_patterns"]),
            Some("fastapi_patterns")
        );
    }

    #[test]
    fn closest_methods_keep_the_verb() {
        let cp = [
            "getCatalog",
            "getDomainIndex",
            "getAlwaysLoadFiles",
            "getConditionalContext",
            "search",
        ];
        assert_eq!(closest_method("getIndex", cp), Some("getDomainIndex"));
        assert_eq!(closest_method("getDomainIdnex", cp), Some("getDomainIndex"));
        assert_eq!(closest_method("getByTags", cp), None);
        assert_eq!(closest_method("loadDomains", cp), None);
        let ms = ["getSkillMemory", "update", "append", "read"];
        assert_eq!(closest_method("updateSkillMemory", ms), Some("update"));
        assert_eq!(closest_method("load", ms), None);
    }
}
