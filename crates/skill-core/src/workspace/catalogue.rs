//! The interface catalogue: receivers, their methods and accepted call forms,
//! read from the interface documents' method headings.
//!
//! One parser reads both the workspace's interface documents and the built-in
//! catalogue ([`super::builtin`]). A method heading is a heading whose text is
//! a signature, in any of the shapes the real documents use:
//!
//! ```text
//! ### 1. `create(entry)`
//! ### 1. getCatalog(domain?)
//! ### `create(projectName, projectType) → ExecutionState`
//! ```
//!
//! Parameters ending in `?` (or with a `= default`) are optional, `[]` marks a
//! list. The method's documentation is the text of its section; the return
//! type comes from the heading's `→ Type` or from a `**Returns**:` line.

use std::path::PathBuf;

use crate::model::{Arg, ArgValue};
use crate::syntax::markdown::{self, MdDoc};
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    /// Written `name?` (or `name = default`) in the interface document.
    pub optional: bool,
    /// Written `name[]`: a list.
    pub list: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    pub name: String,
    pub params: Vec<Param>,
    pub returns: Option<String>,
    /// The method's documentation (the text under its heading), Markdown.
    pub docs: String,
    /// The method's heading in its interface document (`None` for the built-in catalogue).
    pub heading: Option<TextRange>,
    /// Other parameter lists real skills use and the catalogue accepts
    /// (`update(skillName, projectName, filename, content)`).
    pub alt_forms: Vec<Vec<Param>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// `memoryStore`, `contextProvider`, `skillInvoker`, `executionContext`.
    pub receiver: String,
    /// The interface document, when read from the workspace.
    pub doc: Option<PathBuf>,
    pub methods: Vec<Method>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub interfaces: Vec<Interface>,
}

/// The receivers skills call, with the file name of their interface document
/// under `interfaces/` and the title the documents give them.
pub const RECEIVERS: &[(&str, &str, &str)] = &[
    ("memoryStore", "memory_store.md", "MemoryStore"),
    ("contextProvider", "context_provider.md", "ContextProvider"),
    ("skillInvoker", "skill_invoker.md", "SkillInvoker"),
    ("executionContext", "execution_context.md", "ExecutionContext"),
];

/// The interface document file name of a receiver (`memory_store.md`).
pub fn doc_file_name(receiver: &str) -> Option<&'static str> {
    RECEIVERS.iter().find(|r| r.0 == receiver).map(|r| r.1)
}

/// The title of a receiver's interface (`MemoryStore`).
pub fn interface_title(receiver: &str) -> Option<&'static str> {
    RECEIVERS.iter().find(|r| r.0 == receiver).map(|r| r.2)
}

impl Catalogue {
    pub fn interface(&self, receiver: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.receiver == receiver)
    }

    pub fn method(&self, receiver: &str, method: &str) -> Option<&Method> {
        self.interface(receiver)?.methods.iter().find(|m| m.name == method)
    }

    /// Why a call the team's `[workflow.calls]` requires can never be made
    /// in this workspace: no such interface, or no method of it that the
    /// pattern's method begins. `None` when it can be, or when the workspace
    /// has no interfaces to tell by.
    pub fn why_uncallable(&self, p: &crate::config::CallPattern) -> Option<String> {
        if self.interfaces.is_empty() {
            return None;
        }
        let listed = |names: Vec<&str>| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let Some(iface) = self.interface(&p.receiver) else {
            let receivers = self.interfaces.iter().map(|i| i.receiver.as_str()).collect();
            return Some(format!(
                "the workspace has no interface `{}` (it has {})",
                p.receiver,
                listed(receivers)
            ));
        };
        let method = p.method.as_deref()?;
        if iface.methods.iter().any(|m| m.name.starts_with(method)) {
            return None;
        }
        let methods = iface.methods.iter().map(|m| m.name.as_str()).collect();
        Some(format!(
            "`{}` has no method `{method}` (it has {})",
            p.receiver,
            listed(methods)
        ))
    }
}

impl Method {
    /// Every accepted parameter list: the documented one first, then the alternatives.
    pub fn forms(&self) -> impl Iterator<Item = &[Param]> {
        std::iter::once(self.params.as_slice()).chain(self.alt_forms.iter().map(Vec::as_slice))
    }

    /// `update(id, content)`.
    pub fn signature(&self) -> String {
        format_form(&self.name, &self.params)
    }
}

/// `name(a, b?, c[])`.
pub fn format_form(name: &str, params: &[Param]) -> String {
    // Written into one string: findings and hovers quote every form of a
    // method, and a string per parameter joined afterwards cost several
    // allocations each.
    let len = params.iter().map(|p| p.name.len() + 5).sum::<usize>();
    let mut out = String::with_capacity(name.len() + 2 + len);
    out.push_str(name);
    out.push('(');
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&p.name);
        if p.list {
            out.push_str("[]");
        }
        if p.optional {
            out.push('?');
        }
    }
    out.push(')');
    out
}

// ---------------------------------------------------------------------------
// Reading interface documents

/// Reads the methods of one interface document. Headings inside code blocks
/// are not headings (the Markdown parser sees to that).
pub fn parse_interface(receiver: &str, text: &str, doc: Option<PathBuf>) -> Interface {
    let md = markdown::parse(text, 0);
    let methods = parse_methods(text, &md, TextRange::new(0, text.len()));
    Interface {
        receiver: receiver.to_string(),
        doc,
        methods,
    }
}

/// The methods whose headings lie inside `within`.
pub(crate) fn parse_methods(text: &str, md: &MdDoc, within: TextRange) -> Vec<Method> {
    let mut out: Vec<Method> = Vec::new();
    for (i, h) in md.headings.iter().enumerate() {
        if h.level < 2 || !within.contains(h.range.start) {
            continue;
        }
        let Some(raw) = text.get(h.content_range.start..h.content_range.end) else {
            continue;
        };
        let Some(sig) = parse_signature(raw) else {
            continue;
        };
        if out.iter().any(|m| m.name == sig.name) {
            continue; // a later example heading repeating a method
        }
        let section = md.section(i, text.len());
        let body = TextRange::new(
            h.range.end.min(section.end),
            section.end.min(within.end).max(h.range.end),
        );
        let docs = clean_docs(text.get(body.start..body.end).unwrap_or(""));
        let returns = sig.returns.or_else(|| returns_line(&docs));
        out.push(Method {
            name: sig.name,
            params: sig.params,
            returns,
            docs,
            heading: Some(h.range),
            alt_forms: Vec::new(),
        });
    }
    out
}

struct Signature {
    name: String,
    params: Vec<Param>,
    returns: Option<String>,
}

/// Reads `1. \`name(a, b?)\` → Type` (numbering, backticks and return type
/// optional). `None` when the heading is no signature (`Step 3: Tests (if x)`).
fn parse_signature(raw: &str) -> Option<Signature> {
    let mut s = raw.trim();
    // Numbering: `1.` / `1)`.
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && s[digits..].starts_with(['.', ')']) {
        s = s[digits + 1..].trim_start();
    }
    let s = s.replace('`', "");
    let s = s.trim();
    let name_len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    if name_len == 0 || !s.as_bytes()[0].is_ascii_alphabetic() || !s[name_len..].starts_with('(') {
        return None;
    }
    let name = &s[..name_len];
    let close = matching_paren(s, name_len)?;
    let params = parse_param_list(&s[name_len + 1..close])?;
    let rest = s[close + 1..].trim();
    let returns = if rest.is_empty() {
        None
    } else {
        let t = ["→", "->", ":"].iter().find_map(|a| rest.strip_prefix(a))?;
        Some(t.trim().to_string()).filter(|t| !t.is_empty())
    };
    Some(Signature {
        name: name.to_string(),
        params,
        returns,
    })
}

/// The byte index of the `)` closing the `(` at `open`.
fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (c == ')').then_some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `a, b?, sections[], depth = "deep"` → params; `None` when a parameter is no name.
pub(crate) fn parse_param_list(list: &str) -> Option<Vec<Param>> {
    let mut out = Vec::new();
    for part in list.split(',') {
        let mut p = part.trim();
        if p.is_empty() {
            continue;
        }
        let mut optional = false;
        if let Some((name, _default)) = p.split_once('=') {
            p = name.trim();
            optional = true;
        }
        // A type annotation (`name: string`) is dropped.
        if let Some((name, _ty)) = p.split_once(':') {
            p = name.trim();
        }
        let mut list = false;
        loop {
            if let Some(s) = p.strip_suffix('?') {
                optional = true;
                p = s.trim_end();
            } else if let Some(s) = p.strip_suffix("[]") {
                list = true;
                p = s.trim_end();
            } else {
                break;
            }
        }
        let valid = !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            && !p.as_bytes()[0].is_ascii_digit();
        if !valid {
            return None;
        }
        out.push(Param {
            name: p.to_string(),
            optional,
            list,
        });
    }
    Some(out)
}

/// The section text without surrounding blank lines and trailing `---` rules.
fn clean_docs(body: &str) -> String {
    let mut t = body.trim();
    loop {
        let trimmed = t.trim_end_matches(['-', '*', '_']).trim_end();
        if trimmed.len() == t.len() || !t[trimmed.len()..].trim().chars().all(|c| matches!(c, '-' | '*' | '_')) {
            break;
        }
        // Only a whole thematic-break line is dropped.
        let last_line_start = t.rfind('\n').map_or(0, |i| i + 1);
        if t[last_line_start..].trim().len() < 3 {
            break;
        }
        t = t[..last_line_start].trim_end();
    }
    t.to_string()
}

/// The type after `**Returns**:` in a method's docs: the first code span, or the rest of the line.
fn returns_line(docs: &str) -> Option<String> {
    for line in docs.lines() {
        let l = line.trim();
        let Some(rest) = l
            .strip_prefix("**Returns**:")
            .or_else(|| l.strip_prefix("**Returns:**"))
        else {
            continue;
        };
        let rest = rest.trim();
        if let Some(inner) = rest.strip_prefix('`') {
            if let Some(end) = inner.find('`') {
                return Some(inner[..end].trim().to_string()).filter(|s| !s.is_empty());
            }
        }
        return Some(rest.to_string()).filter(|s| !s.is_empty());
    }
    None
}

// ---------------------------------------------------------------------------
// Matching a call's arguments to a form

/// Which parameter each argument of a call stands for, under one accepted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding<'a> {
    /// The form that fits (index 0: the documented one).
    pub form: usize,
    /// `(argument index, parameter)` for every argument bound to a parameter.
    pub bound: Vec<(usize, &'a Param)>,
}

impl Binding<'_> {
    /// The argument bound to a parameter of one of these names (or their `...Name` aliases).
    pub fn arg_for<'c>(&self, args: &'c [Arg], names: &[&str]) -> Option<&'c Arg> {
        self.bound
            .iter()
            .find(|(_, p)| names.iter().any(|n| same_param(n, &p.name)))
            .and_then(|(i, _)| args.get(*i))
    }
}

/// Why the arguments fit no form (for the documented form), to tell the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misfit {
    /// Argument `index` has nowhere to go.
    TooMany { index: usize },
    /// These required parameters are not given.
    Missing(Vec<String>),
    /// Keyword argument `index` names no parameter.
    UnknownKeyword { index: usize },
    /// Keyword argument `index` gives a parameter already given.
    Repeated { index: usize },
}

/// Normalised parameter name: lower case, no `_`/`-` (`skill_name` = `skillName`).
pub(crate) fn norm(name: &str) -> String {
    normalised_chars(name).collect()
}

/// The characters of [`norm`] of `name`, one by one.
fn normalised_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
}

/// Whether a keyword names a parameter: the same name ignoring case and
/// `_`, or the short form of a `...Name` parameter (`skill` for `skillName`,
/// `project` for `projectName`), as skills write them.
pub fn same_param(keyword: &str, param: &str) -> bool {
    // Compared as they are normalised, without building the normalised
    // strings: every argument of every call is matched against parameters,
    // and parameters against the names rules ask for. On bytes when both
    // are ASCII (always, in practice).
    if keyword.is_ascii() && param.is_ascii() {
        same_normalised(
            normalised_bytes(keyword),
            normalised_bytes(param),
            b"name".iter().copied(),
        )
    } else {
        same_normalised(normalised_chars(keyword), normalised_chars(param), "name".chars())
    }
}

/// [`same_param`] on the normalised names `k` and `p`: equal, or one is the
/// other followed by `name`. Read side by side once: names that differ
/// (nearly every pair asked) differ in their first few characters.
fn same_normalised<T: PartialEq>(
    mut k: impl Iterator<Item = T>,
    mut p: impl Iterator<Item = T>,
    name: impl Iterator<Item = T>,
) -> bool {
    loop {
        match (k.next(), p.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            // One ended where the other goes on: the rest must be `name`.
            (None, Some(b)) => return std::iter::once(b).chain(p).eq(name),
            (Some(a), None) => return std::iter::once(a).chain(k).eq(name),
            (Some(_), Some(_)) => return false,
        }
    }
}

/// Binds `args` to `form`, or says why they do not fit. `...` stands for
/// any number of further arguments, so a call holding one never misses a
/// parameter.
pub fn fit<'a>(form: &'a [Param], args: &[Arg]) -> Result<Vec<(usize, &'a Param)>, Misfit> {
    // Which parameters are bound: on the stack for the few a form has
    // (every call of every check is fitted to each form of its method).
    let (mut few, mut many);
    let taken: &mut [bool] = if form.len() <= 16 {
        few = [false; 16];
        &mut few[..form.len()]
    } else {
        many = vec![false; form.len()];
        &mut many
    };
    let mut bound = Vec::with_capacity(args.len());
    let has_ellipsis = args
        .iter()
        .any(|a| a.value == ArgValue::Ellipsis && a.keyword.is_none());
    // Keywords first: they say which parameter they mean.
    for (i, a) in args.iter().enumerate() {
        let Some((k, _)) = &a.keyword else { continue };
        let Some(pi) = form.iter().position(|p| same_param(k, &p.name)) else {
            return Err(Misfit::UnknownKeyword { index: i });
        };
        if taken[pi] {
            return Err(Misfit::Repeated { index: i });
        }
        taken[pi] = true;
        bound.push((i, &form[pi]));
    }
    // Positional arguments fill the remaining parameters in order.
    let mut next = 0;
    for (i, a) in args.iter().enumerate() {
        if a.keyword.is_some() || a.value == ArgValue::Ellipsis {
            continue;
        }
        while next < form.len() && taken[next] {
            next += 1;
        }
        if next >= form.len() {
            return Err(Misfit::TooMany { index: i });
        }
        taken[next] = true;
        bound.push((i, &form[next]));
    }
    if !has_ellipsis {
        let missing: Vec<String> = form
            .iter()
            .zip(taken.iter())
            .filter(|(p, t)| !p.optional && !**t)
            .map(|(p, _)| p.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(Misfit::Missing(missing));
        }
    }
    bound.sort_by_key(|(i, _)| *i);
    Ok(bound)
}

/// The accepted form that fits `args` best, or why they fit none.
///
/// Several forms may fit the same arguments (`update("fastapi", "{project-name}",
/// ...)` fits both `update(id, content)` and `update(skillName, projectName,
/// ...)`); the one whose string arguments look most like what its parameters
/// hold wins: an `id` holds a path (`skill-specific/fastapi/...`), a skill
/// name is kebab-case. Ties go to the documented form.
pub fn best_fit<'a>(method: &'a Method, args: &[Arg]) -> Result<Binding<'a>, Misfit> {
    let mut best: Option<(i32, Binding<'a>)> = None;
    // The misfit of the form the arguments got furthest into: it names the real problem
    // (`skil=` in a keyword call, not the `layer=` the documented form lacks).
    let mut nearest: Option<(usize, Misfit)> = None;
    for (fi, form) in method.forms().enumerate() {
        match fit(form, args) {
            Ok(bound) => {
                let score: i32 = bound.iter().map(|(i, p)| plausibility(p, &args[*i])).sum();
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, Binding { form: fi, bound }));
                }
            }
            Err(e) => {
                let progress = match &e {
                    Misfit::TooMany { index } | Misfit::UnknownKeyword { index } | Misfit::Repeated { index } => *index,
                    Misfit::Missing(_) => args.len(),
                };
                if nearest.as_ref().is_none_or(|(p, _)| progress > *p) {
                    nearest = Some((progress, e));
                }
            }
        }
    }
    match best {
        Some((_, b)) => Ok(b),
        None => Err(nearest.map_or(Misfit::Missing(Vec::new()), |(_, e)| e)),
    }
}

/// How well a string argument suits a parameter: +1 when it looks like what
/// the parameter holds, -1 when it looks like something else.
fn plausibility(p: &Param, a: &Arg) -> i32 {
    let ArgValue::Str(v) = &a.value else { return 0 };
    // Every bound string argument of every call is scored: the parameter's
    // name is compared as normalised, not normalised into a new string.
    let is = |normalised: &str| norm_is(&p.name, normalised);
    if is("skillname") || is("skill") {
        let kebab = !v.is_empty()
            && v.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let placeholder = v.contains('{') || v.contains('<');
        if v.contains('/') {
            -1
        } else if kebab || placeholder {
            1
        } else {
            0
        }
    } else if is("id") {
        if v.contains('/') {
            1
        } else {
            -1
        }
    } else if is("projectname") || is("project") {
        i32::from(v.contains("project"))
    } else {
        0
    }
}

/// Whether [`norm`] of `name` is `normalised`, without building it.
pub(crate) fn norm_is(name: &str, normalised: &str) -> bool {
    if name.is_ascii() {
        return normalised_bytes(name).eq(normalised.bytes());
    }
    normalised_chars(name).eq(normalised.chars())
}

/// The bytes of [`norm`] of an ASCII `name`, one by one.
fn normalised_bytes(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.bytes()
        .filter(|b| *b != b'_' && *b != b'-')
        .map(|b| b.to_ascii_lowercase())
}

// ---------------------------------------------------------------------------
// Accepted alternative forms

/// Call forms real skills use that the interface documents do not list, and
/// that the catalogue accepts. Decided method by method from every call in
/// the 102 skills of the Forge corpus (`memoryStore.`, `contextProvider.`,
/// `skillInvoker.` in `skills/*/SKILL.md`):
///
/// - `memoryStore.update`: documented as `update(id, content)`, but the
///   template and about sixty skills write `update("<skill>", "{project-name}",
///   filename, content)` (often `..., ...)`), and about thirty the keyword form
///   `update(layer="skill-specific", skill="x", project="...", ...)`. Both say
///   the same as the documented call with the id spelled out in parts:
///   accepted, as `update(skillName, projectName, fileType, content)` and
///   `update(layer, skillName, projectName, fileType, content)`.
/// - `memoryStore.getSkillMemory(skill="x", project="...")` and other keyword
///   spellings need no alternative: a keyword `skill` names the parameter
///   `skillName`, `project` names `projectName` (see [`same_param`]).
/// - `contextProvider.getConditionalContext("python", "fastapi_patterns")`:
///   the documented second parameter is the detection result; skills name the
///   topic it selects. Two arguments either way: the documented form fits.
/// - `getCrossDomainContext("python", {"auth": true})`, `invoke("x", { ... })`,
///   `append("<skill>", { ... })`: an object stands for one argument; fits.
/// - Not accepted, flagged as undefined methods: `contextProvider.getIndex`
///   (52 calls in 16 skills; the interface has `getDomainIndex`, and a
///   provider implementing the document would fail on it),
///   `memoryStore.updateSkillMemory` (4 skills; `update` is the method),
///   `memoryStore.load`, `contextProvider.loadDomains` and
///   `contextProvider.getByTags` (one skill; nothing like them is defined).
pub const ALT_FORMS: &[(&str, &str, &str)] = &[
    ("memoryStore", "update", "skillName, projectName, fileType, content"),
    (
        "memoryStore",
        "update",
        "layer, skillName, projectName, fileType, content",
    ),
];

/// Adds the accepted alternative forms to the methods they belong to.
pub(crate) fn add_alt_forms(iface: &mut Interface) {
    for (receiver, method, params) in ALT_FORMS {
        if *receiver != iface.receiver {
            continue;
        }
        let Some(m) = iface.methods.iter_mut().find(|m| m.name == *method) else {
            continue;
        };
        if let Some(form) = parse_param_list(params) {
            if !m.alt_forms.contains(&form) && m.params != form {
                m.alt_forms.push(form);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Comparing as the names normalise gives what comparing the
        /// normalised strings gives (`skill` and `skill_name` for `skillName`).
        #[test]
        fn same_param_answers_as_the_normalised_strings_compare(
            keyword in "[aAnNeEmMsSé_-]{0,9}(name|Name)?",
            param in "[aAnNeEmMsS_-]{0,9}(name|Name)?",
        ) {
            let (k, p) = (norm(&keyword), norm(&param));
            let expected = k == p || format!("{k}name") == p || format!("{p}name") == k;
            proptest::prop_assert_eq!(same_param(&keyword, &param), expected);
        }

        /// Comparing as a name normalises gives what comparing its
        /// normalised string gives.
        #[test]
        fn norm_is_answers_as_the_normalised_string_compares(
            name in "[iIdDkKsS\u{212A}é_-]{0,6}",
            other in "[idks\u{212A}é]{0,4}",
        ) {
            proptest::prop_assert_eq!(norm_is(&name, &other), norm(&name) == other);
        }

        /// A form is written as its parameters, each written alone, joined.
        #[test]
        fn a_form_is_written_as_its_parameters_joined(
            name in "[a-z]{0,5}",
            params in proptest::collection::vec(("[a-zé]{1,6}", proptest::bool::ANY, proptest::bool::ANY), 0..5),
        ) {
            let params: Vec<Param> = params
                .into_iter()
                .map(|(name, optional, list)| Param { name, optional, list })
                .collect();
            let each: Vec<String> = params
                .iter()
                .map(|p| format!("{}{}{}", p.name, if p.list { "[]" } else { "" }, if p.optional { "?" } else { "" }))
                .collect();
            proptest::prop_assert_eq!(format_form(&name, &params), format!("{name}({})", each.join(", ")));
        }
    }

    fn p(name: &str, optional: bool) -> Param {
        Param {
            name: name.into(),
            optional,
            list: false,
        }
    }

    #[test]
    fn reads_the_three_heading_shapes_of_the_real_documents() {
        let s = parse_signature("1. `create(entry)`").unwrap();
        assert_eq!(
            (s.name.as_str(), s.params, s.returns),
            ("create", vec![p("entry", false)], None)
        );
        let s = parse_signature("1. getCatalog(domain?)").unwrap();
        assert_eq!((s.name.as_str(), s.params), ("getCatalog", vec![p("domain", true)]));
        let s = parse_signature("`create(projectName, projectType) → ExecutionState`").unwrap();
        assert_eq!(s.params, vec![p("projectName", false), p("projectType", false)]);
        assert_eq!(s.returns.as_deref(), Some("ExecutionState"));
        let s = parse_signature("10. materializeSections(reference, sections[])").unwrap();
        assert_eq!(
            s.params[1],
            Param {
                name: "sections".into(),
                optional: false,
                list: true
            }
        );
        let s = parse_signature("`getPreviousCommand(state, command?) → CommandExecution | null`").unwrap();
        assert_eq!(s.returns.as_deref(), Some("CommandExecution | null"));
        assert!(parse_signature("3. getLoadingProtocol()").unwrap().params.is_empty());
    }

    #[test]
    fn headings_that_are_no_signature_are_not_methods() {
        for h in [
            "Step 3: Generate Missing Tests (if --generate)",
            "Methods",
            "SkillResult",
            "Frontend & UI (6)",
            "",
        ] {
            assert!(parse_signature(h).is_none(), "{h}");
        }
    }

    #[test]
    fn methods_come_with_docs_heading_and_return_type() {
        let text = "# MemoryStore\n\n## Methods\n\n### 1. `read(layer, skillName?)`\n\nRead a file.\n\n\
                    **Returns**: `MemoryEntry | null` (null if missing)\n\n```\n# not a heading(x)\n```\n\n---\n\n\
                    ### 2. `update(id, content)`\n\nReplace it — ünïcode.\n\n## Staleness\n";
        let iface = parse_interface("memoryStore", text, None);
        let names: Vec<&str> = iface.methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["read", "update"]);
        let read = &iface.methods[0];
        assert_eq!(read.returns.as_deref(), Some("MemoryEntry | null"));
        assert!(read.docs.starts_with("Read a file."), "{}", read.docs);
        assert!(!read.docs.ends_with("---"), "{}", read.docs);
        let h = read.heading.unwrap();
        assert_eq!(&text[h.start..h.end], "### 1. `read(layer, skillName?)`");
        assert_eq!(iface.methods[1].docs, "Replace it — ünïcode.");
    }
}
