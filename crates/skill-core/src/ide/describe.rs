//! What editor assistance says about the things it shows, in one place for
//! completion, hover and signature help: where an interface is defined, a
//! method's signature line and the form a call site uses, a front matter
//! property's documentation, a profile in a sentence, a topic count.

use crate::ide::cursor::CallSite;
use crate::profile::Profile;
use crate::schema::PropertyInfo;
use crate::workspace::catalogue::{format_form, same_param, Method, Param};
use crate::workspace::Workspace;

/// Where a receiver's methods are defined, for documentation.
pub fn defined_in(ws: &Workspace, receiver: &str) -> String {
    match ws.catalogue.interface(receiver).and_then(|i| i.doc.as_ref()) {
        Some(doc) => {
            let shown = ws.root.as_ref().and_then(|r| doc.strip_prefix(r).ok()).unwrap_or(doc);
            format!("Defined in `{}`.", shown.display())
        }
        None => "From the built-in catalogue (the workspace has no interface document for it).".to_string(),
    }
}

/// `update(id, content) → { id, updated }`.
pub fn signature_line(name: &str, form: &[Param], returns: Option<&str>) -> String {
    match returns {
        Some(r) => format!("{} → {r}", format_form(name, form)),
        None => format_form(name, form),
    }
}

/// The method a call site names, and the accepted form whose parameters
/// its keywords fit (the documented one when nothing decides).
pub fn site_form<'w>(ws: &'w Workspace, call: &CallSite) -> Option<(&'w Method, usize)> {
    let m = ws.catalogue.method(call.interface, &call.method)?;
    let fits = |form: &[Param]| {
        call.args.iter().all(|a| {
            a.keyword
                .as_ref()
                .is_none_or(|(k, _)| form.iter().any(|p| same_param(k, &p.name)))
        }) && call.args.iter().filter(|a| a.keyword.is_none() && !a.is_rest).count() <= form.len()
    };
    let index = m.forms().position(fits).unwrap_or(0);
    Some((m, index))
}

/// Markdown describing a schema property: its description, type, allowed
/// values, default, whether it is required or legacy.
pub fn property_docs(p: &PropertyInfo) -> String {
    let mut out = p.description.clone().unwrap_or_default();
    let mut facts = Vec::new();
    if !p.types.is_empty() {
        facts.push(format!("Type: {}", p.types.join(" or ")));
    }
    if !p.enum_values.is_empty() {
        let vals: Vec<String> = p.enum_values.iter().map(|v| format!("`{}`", plain(v))).collect();
        facts.push(format!("Allowed values: {}", vals.join(", ")));
    }
    if let Some(d) = &p.default {
        facts.push(format!("Default: `{}`", plain(d)));
    }
    if let Some(h) = &p.pattern_hint {
        facts.push(format!("Form: {h}"));
    }
    if p.required {
        facts.push("Required.".into());
    }
    if let Some(dep) = &p.deprecated {
        facts.push(format!("Deprecated: {dep}."));
    }
    if !facts.is_empty() {
        out.push_str("\n\n");
        out.push_str(&facts.iter().map(|f| format!("- {f}")).collect::<Vec<_>>().join("\n"));
    }
    out
}

pub(crate) fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What each profile checks, in a sentence.
pub fn profile_summary(p: Profile) -> &'static str {
    match p {
        Profile::Workflow => {
            "The workflow format of a skills repository: numbered steps that load memory and context through \
             `interfaces/`, a compliance checklist, a Version History."
        }
        Profile::AgentSkills => {
            "The open Agent Skills standard: `name`, `description`, optional `license`, `compatibility`, \
             `metadata` and `allowed-tools`, and a free-form body."
        }
    }
}

/// `1 topic`, `3 topics`.
pub fn topic_count(n: usize) -> String {
    if n == 1 {
        "1 topic".to_string()
    } else {
        format!("{n} topics")
    }
}
