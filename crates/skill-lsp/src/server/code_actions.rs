//! `textDocument/codeAction`: each fixable diagnostic's fix as a `quickfix`,
//! and `source.fixAll.skill-lsp` applying every safe fix through
//! `skill_core::fix_document`, the same path as `skill-lsp check --fix`.
//! Edits are the core's byte-range edits, converted in the negotiated encoding.

use std::collections::HashMap;
use std::sync::Arc;

use super::position::Lines;
use skill_core::{Applicability, Edit, Fix, TextRange};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::capabilities::FIX_ALL_KIND;
use super::diagnostics::{self, Checked};
use super::position::{self, PositionEncoding};
use super::state::State;
use super::tasks;

pub async fn code_action(state: &Arc<State>, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some(snap) = state.documents.get(&uri) else {
        return Ok(None);
    };
    if !state.is_skill(&snap) {
        return Ok(None);
    }
    let only = params.context.only.as_deref();
    let checked = tasks::current_check(state, snap).await?;
    let support = state.support();
    let target = Target::of(&uri, &checked, state);
    let mut actions = Vec::new();
    if wanted(only, &CodeActionKind::QUICKFIX) {
        let requested = position::text_range(&checked.lines, params.range, support.encoding);
        actions.extend(quick_fixes(&checked, requested, &target).map(CodeActionOrCommand::CodeAction));
        actions.extend(suppressions(&checked, requested, &target).map(CodeActionOrCommand::CodeAction));
    }
    let has_safe_fix = checked
        .diagnostics
        .iter()
        .any(|d| d.fix.as_ref().and_then(Fix::bulk_applicability) == Some(Applicability::Safe));
    if has_safe_fix && wanted(only, &FIX_ALL_KIND) {
        if let Some(action) = fix_all(state, &checked, &target).await? {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    Ok(Some(actions))
}

/// Where edits go: the document, at the version checked when the client
/// supports versioned edits (so it refuses them if the text moved on).
struct Target<'a> {
    uri: &'a Uri,
    version: Option<i32>,
    support: bool,
    enc: PositionEncoding,
}

impl<'a> Target<'a> {
    /// The document `uri` as `checked`, for this client.
    fn of(uri: &'a Uri, checked: &Checked, state: &State) -> Target<'a> {
        let support = state.support();
        Target {
            uri,
            version: checked.version,
            support: support.versioned_edits,
            enc: support.encoding,
        }
    }

    fn edit(&self, lines: &Lines, edits: &[Edit]) -> WorkspaceEdit {
        let edits: Vec<TextEdit> = edits
            .iter()
            .map(|e| TextEdit::new(position::range(lines, e.range, self.enc), e.new_text.clone()))
            .collect();
        if self.support {
            let doc = OptionalVersionedTextDocumentIdentifier {
                uri: self.uri.clone(),
                version: self.version,
            };
            let edits = edits.into_iter().map(OneOf::Left).collect();
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: doc,
                    edits,
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(self.uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }
        }
    }
}

/// Whether the client asked for actions of `kind` (`only` lists kinds or
/// their parents: `source` covers `source.fixAll.skill-lsp`).
fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else { return true };
    let kind = kind.as_str();
    only.iter().any(|k| {
        let k = k.as_str();
        kind == k || (kind.starts_with(k) && kind.as_bytes().get(k.len()) == Some(&b'.'))
    })
}

/// A quick fix for each fixable diagnostic touching `requested`: one per
/// mend it offers when several are equally plausible (each name equally
/// close to a misspelt one), none of them preferred.
fn quick_fixes<'a>(
    checked: &'a Checked,
    requested: TextRange,
    target: &'a Target,
) -> impl Iterator<Item = CodeAction> + 'a {
    checked
        .diagnostics
        .iter()
        .filter(move |d| d.range.start <= requested.end && requested.start <= d.range.end)
        .filter_map(|d| Some((d, d.fix.as_ref()?)))
        .flat_map(move |(d, fix)| {
            let lsp = diagnostics::to_lsp_one(&checked.lines, d, target.enc);
            fix.choices().enumerate().map(move |(i, choice)| CodeAction {
                title: choice.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp.clone()]),
                edit: Some(target.edit(&checked.lines, &choice.edits)),
                // The one obvious mend is preferred (an editor's "auto fix" applies
                // it); a guess between several plausible ones is not, nor an
                // unsafe fix that writes blanks for the author to fill, nor a
                // lesser alternative to the fix itself (inserting the step a
                // misnumbered workflow skips).
                is_preferred: Some(i == 0 && choice.preferred()),
                ..CodeAction::default()
            })
        })
}

/// "Suppress SKxxx on this line" and "... in this file" for each finding
/// touching `requested` (after its own fixes: mending beats silencing).
fn suppressions<'a>(
    checked: &'a Checked,
    requested: TextRange,
    target: &'a Target,
) -> impl Iterator<Item = CodeAction> + 'a {
    let touching: Vec<&skill_core::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.range.start <= requested.end && requested.start <= d.range.end)
        .collect();
    let doc = (!touching.is_empty()).then(|| checked.doc.clone()).flatten();
    touching.into_iter().flat_map(move |d| {
        let lsp = diagnostics::to_lsp_one(&checked.lines, d, target.enc);
        let fixes = doc
            .as_ref()
            .map(|doc| skill_core::suppress::suppress_fixes(doc, d))
            .unwrap_or_default();
        fixes.into_iter().map(move |fix| CodeAction {
            title: fix.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![lsp.clone()]),
            edit: Some(target.edit(&checked.lines, &fix.edits)),
            is_preferred: Some(false),
            ..CodeAction::default()
        })
    })
}

/// Every safe fix, to a fixpoint, as one edit of the changed region.
async fn fix_all(state: &Arc<State>, checked: &Arc<Checked>, target: &Target<'_>) -> Result<Option<CodeAction>> {
    let Some((applied, edit)) = fix_all_edit(state, checked, target).await? else {
        return Ok(None);
    };
    Ok(Some(CodeAction {
        title: format!("Fix all safely fixable problems ({applied})"),
        kind: Some(FIX_ALL_KIND),
        edit: Some(edit),
        ..CodeAction::default()
    }))
}

/// How many fixes fix-all applies to `checked`, and the edit doing it.
async fn fix_all_edit(
    state: &Arc<State>,
    checked: &Arc<Checked>,
    target: &Target<'_>,
) -> Result<Option<(usize, WorkspaceEdit)>> {
    let st = state.clone();
    let text = checked.text.clone();
    let path = super::documents::file_path(target.uri);
    let outcome = tasks::blocking("fixing all", move || {
        let ctx = st.workspaces.context_for(path.as_deref());
        let config = st.settings().apply(&ctx.config.config);
        skill_core::fix_document(&text, path, &ctx.workspace, &config, false)
    })
    .await?;
    // Like `check --fix`, never offer a text whose front matter would not parse:
    // the quick fixes one by one stay available.
    if outcome.applied == 0 || *outcome.text == *checked.text || !outcome.parses {
        return Ok(None);
    }
    let edit = minimal_edit(&checked.text, &outcome.text);
    Ok(Some((outcome.applied, target.edit(&checked.lines, &[edit]))))
}

/// The `skill-lsp.fixAll` command (a code lens's "fix all"): the fix-all
/// edit of the open document `uri` as checked now, sent to the client to
/// apply. Answers whether the client applied an edit.
pub async fn run_fix_all(state: &Arc<State>, uri: Uri) -> Result<bool> {
    let Some(snap) = state.documents.get(&uri) else {
        return Ok(false);
    };
    let checked = tasks::current_check(state, snap).await?;
    let target = Target::of(&uri, &checked, state);
    let Some((_, edit)) = fix_all_edit(state, &checked, &target).await? else {
        return Ok(false);
    };
    let answer = tasks::ask_client("the fix-all edit", state.client.apply_edit(edit)).await;
    Ok(answer.is_some_and(|a| a.applied))
}

/// One edit turning `old` into `new`: the differing middle, between the
/// common prefix and suffix (on character boundaries), so the editor keeps
/// the cursor and folds outside it.
fn minimal_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit::replace(
        TextRange::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, e: &Edit) -> String {
        format!("{}{}{}", &old[..e.range.start], e.new_text, &old[e.range.end..])
    }

    #[test]
    fn the_minimal_edit_spans_only_the_difference() {
        for (old, new) in [
            ("abcdef", "abXdef"),
            ("abc", "abc!"),
            ("abc", "!abc"),
            ("aaaa", "aa"),
            ("x😀y", "x😁y"),
            ("名前", "名称"),
            ("", "new"),
            ("old", ""),
        ] {
            let e = minimal_edit(old, new);
            assert_eq!(apply(old, &e), new, "{old} -> {new}");
        }
        assert_eq!(minimal_edit("abcdef", "abXdef").range, TextRange::new(2, 3));
    }

    #[test]
    fn only_filters_by_kind_and_parent_kind() {
        let quickfix = CodeActionKind::QUICKFIX;
        assert!(wanted(None, &quickfix));
        assert!(wanted(None, &FIX_ALL_KIND));
        assert!(wanted(Some(&[CodeActionKind::SOURCE]), &FIX_ALL_KIND));
        assert!(wanted(Some(&[CodeActionKind::SOURCE_FIX_ALL]), &FIX_ALL_KIND));
        assert!(!wanted(Some(&[CodeActionKind::SOURCE]), &quickfix));
        assert!(!wanted(Some(&[CodeActionKind::new("source.fix")]), &FIX_ALL_KIND));
        assert!(!wanted(Some(&[CodeActionKind::REFACTOR]), &quickfix));
    }
}
