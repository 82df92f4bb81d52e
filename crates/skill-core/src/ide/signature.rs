//! Signature help inside a call's parentheses: every accepted form of the
//! method (the documented one first), the one the call's keywords fit
//! active, and the parameter the argument at the cursor stands for —
//! positional or keyword.

use crate::ide::cursor::{self, Site};
use crate::ide::describe::{signature_line, site_form};
use crate::model::SkillDoc;
use crate::text::TextRange;
use crate::workspace::catalogue::format_form;
use crate::workspace::Workspace;

/// One signature: its label and each parameter's text within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `getSkillMemory(skillName, projectName) → MemoryEntry[]`.
    pub label: String,
    /// Markdown.
    pub documentation: Option<String>,
    /// Each parameter as written in the label (`skillName`, `sections[]`, `domain?`).
    pub params: Vec<String>,
    /// Where each parameter stands in the label (bytes).
    pub param_ranges: Vec<TextRange>,
    /// Each parameter's description, from the interface document's
    /// parameter table where it has one.
    pub param_docs: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    /// The parameter of the active signature at the cursor, when the
    /// argument stands for one.
    pub active_parameter: Option<usize>,
}

/// Signature help at `offset`, when it is inside an interface call's parentheses.
pub fn signature_help(doc: &SkillDoc, ws: &Workspace, offset: usize) -> Option<SignatureHelp> {
    let Site::Argument(call) = cursor::site_at(doc, offset) else {
        return None;
    };
    let (method, active_signature) = site_form(ws, &call)?;
    let signatures = method
        .forms()
        .enumerate()
        .map(|(i, form)| {
            let params: Vec<String> = form
                .iter()
                .map(|p| {
                    let one = format_form("", std::slice::from_ref(p));
                    one[1..one.len() - 1].to_string()
                })
                .collect();
            // The label writes `name(` and then the parameters joined by `, `.
            let mut at = method.name.len() + 1;
            let param_ranges = params
                .iter()
                .map(|p| {
                    let r = TextRange::new(at, at + p.len());
                    at = r.end + 2;
                    r
                })
                .collect();
            let param_docs = form.iter().map(|p| param_doc(&method.docs, &p.name)).collect();
            let docs = if i == 0 {
                method.docs.clone()
            } else {
                format!("Accepted form real skills use.\n\n{}", method.docs)
            };
            Signature {
                label: signature_line(&method.name, form, method.returns.as_deref()),
                documentation: (!docs.trim().is_empty()).then_some(docs),
                params,
                param_ranges,
                param_docs,
            }
        })
        .collect();
    let form = method.forms().nth(active_signature).unwrap_or(&method.params);
    Some(SignatureHelp {
        signatures,
        active_signature,
        active_parameter: call.active_param(form),
    })
}

/// The description of parameter `name` in a method's docs: the last cell of
/// the first table row whose first cell is `` `name` `` (`| `id` | `string` |
/// Yes | Memory entry ID |`).
fn param_doc(docs: &str, name: &str) -> Option<String> {
    let wanted = format!("`{name}`");
    docs.lines().find_map(|line| {
        let cells: Vec<&str> = line
            .trim()
            .strip_prefix('|')?
            .trim_end_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        (cells.len() >= 2 && cells[0] == wanted)
            .then(|| cells[cells.len() - 1].to_string())
            .filter(|d| !d.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(marked: &str) -> Option<SignatureHelp> {
        let offset = marked.find('|').unwrap();
        let doc = SkillDoc::parse(marked.replacen('|', "", 1), None);
        signature_help(&doc, &Workspace::detached(), offset)
    }

    #[test]
    fn positional_arguments_move_the_active_parameter() {
        let h = help("# T\n\n⚠️ `memoryStore.getSkillMemory(\"demo\", |)`\n").unwrap();
        assert_eq!(h.signatures.len(), 1);
        assert_eq!(
            h.signatures[0].label,
            "getSkillMemory(skillName, projectName) → MemoryEntry[]"
        );
        assert_eq!(h.signatures[0].params, ["skillName", "projectName"]);
        let label = &h.signatures[0].label;
        let r = h.signatures[0].param_ranges[1];
        assert_eq!(&label[r.start..r.end], "projectName");
        assert_eq!(h.active_parameter, Some(1));
        let h = help("# T\n\n`contextProvider.materializeSections(r, [\"a\", |`\n").unwrap();
        assert_eq!(h.active_parameter, Some(1), "inside a list argument");
        assert_eq!(h.signatures[0].params, ["reference", "sections[]"]);
    }

    #[test]
    fn keywords_choose_the_form_and_the_parameter() {
        let h =
            help("# T\n\n```\nmemoryStore.update(layer=\"skill-specific\", skill=\"demo\", project=|)\n```\n").unwrap();
        assert_eq!(h.signatures.len(), 3);
        assert_eq!(h.active_signature, 2);
        assert_eq!(h.active_parameter, Some(2));
        let h = help("# T\n\n`memoryStore.update(\"demo\", \"{project-name}\", |`\n").unwrap();
        assert_eq!(
            h.active_signature, 1,
            "three positional arguments fit the skill-name form"
        );
        assert_eq!(h.active_parameter, Some(2));
    }

    #[test]
    fn parameters_are_described_from_the_interface_documents_tables() {
        let docs = "Replace it.\n\n| Parameter | Type | Required | Description |\n|---|---|---|---|\n| `id` | `string` | Yes | Memory entry ID |\n| `content` | `string` | Yes | New content |\n";
        assert_eq!(param_doc(docs, "id").as_deref(), Some("Memory entry ID"));
        assert_eq!(param_doc(docs, "content").as_deref(), Some("New content"));
        assert_eq!(param_doc(docs, "other"), None);
    }

    #[test]
    fn nothing_outside_calls_or_for_unknown_methods() {
        assert!(help("# T\n\n`memoryStore.getSkillMemory(\"demo\")` |\n").is_none());
        assert!(help("# T\n\n`memoryStore.nope(|)`\n").is_none());
    }
}
