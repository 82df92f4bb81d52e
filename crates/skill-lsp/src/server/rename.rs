//! `textDocument/prepareRename` and `textDocument/rename` of a skill's name,
//! over `skill_core::ide::rename`. The edit covers open documents (their
//! current text, at their version when the client takes versioned edits)
//! and files not open in the editor (their text on disk). A client that can
//! rename files in a workspace edit also gets the skill's folder renamed,
//! after the text edits (which name the files where they are before it).

use std::collections::HashMap;
use std::sync::Arc;

use skill_core::ide::rename;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, PrepareRenameResponse,
    RenameFile, RenameParams, ResourceOp, TextDocumentEdit, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};

use super::navigation::request;
use super::position;
use super::state::State;
use super::tasks;

pub async fn prepare(state: &Arc<State>, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
    let st = state.clone();
    tasks::blocking("preparing the rename", move || {
        let r = request(&st, &params.text_document.uri, Some(params.position))?;
        let target = rename::prepare(&r.doc, &r.ws, r.offset)?;
        Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: position::range(&r.lines, target.range, r.sources.enc),
            placeholder: target.name,
        })
    })
    .await
}

pub async fn rename(state: &Arc<State>, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let st = state.clone();
    let at = params.text_document_position;
    let new_name = params.new_name;
    let support = state.support();
    let versioned = support.versioned_edits;
    let move_folder = versioned && support.rename_files;
    let outcome = tasks::blocking("renaming", move || {
        let Some(r) = request(&st, &at.text_document.uri, Some(at.position)) else {
            return Ok(None);
        };
        let renamed = rename::rename(&r.doc, &r.ws, r.offset, &new_name, move_folder, &|p| r.sources.text(p))?;
        let mut changes: Vec<(Uri, Option<i32>, Vec<TextEdit>)> = Vec::new();
        for file in renamed.files {
            // The document renamed from: its own text and version.
            let is_doc = file.path.is_none() || file.path == r.doc.path;
            let (uri, version, lines) = if is_doc {
                (at.text_document.uri.clone(), Some(r.version), r.lines.clone())
            } else {
                let Some(source) = file.path.as_deref().and_then(|p| r.sources.get(p)) else {
                    continue;
                };
                (source.uri, source.version, source.lines)
            };
            let edits = file
                .edits
                .iter()
                .map(|e| TextEdit::new(position::range(&lines, e.range, r.sources.enc), e.new_text.clone()))
                .collect();
            changes.push((uri, version, edits));
        }
        let folder = renamed
            .folder
            .and_then(|m| Some((Uri::from_file_path(&m.from)?, Uri::from_file_path(&m.to)?)));
        Ok(Some(workspace_edit(changes, folder, versioned)))
    })
    .await?;
    outcome.map_err(|e: rename::RenameError| Error::invalid_params(e.0))
}

/// The edits as `documentChanges` (each naming the version it applies to;
/// `null` for files not open, the folder move last) when the client takes
/// them, else `changes`.
fn workspace_edit(
    changes: Vec<(Uri, Option<i32>, Vec<TextEdit>)>,
    folder: Option<(Uri, Uri)>,
    versioned: bool,
) -> WorkspaceEdit {
    if versioned {
        let edits = changes.into_iter().map(|(uri, version, edits)| TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        });
        let document_changes = match folder {
            None => DocumentChanges::Edits(edits.collect()),
            Some((old_uri, new_uri)) => {
                let mut ops: Vec<DocumentChangeOperation> = edits.map(DocumentChangeOperation::Edit).collect();
                ops.push(DocumentChangeOperation::Op(ResourceOp::Rename(RenameFile {
                    old_uri,
                    new_uri,
                    options: None,
                    annotation_id: None,
                })));
                DocumentChanges::Operations(ops)
            }
        };
        WorkspaceEdit {
            document_changes: Some(document_changes),
            ..WorkspaceEdit::default()
        }
    } else {
        let map: HashMap<Uri, Vec<TextEdit>> = changes.into_iter().map(|(uri, _, edits)| (uri, edits)).collect();
        WorkspaceEdit {
            changes: Some(map),
            ..WorkspaceEdit::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit() -> Vec<(Uri, Option<i32>, Vec<TextEdit>)> {
        let uri: Uri = "file:///ws/skills/a/SKILL.md".parse().unwrap();
        let range = Range::new(Position::new(1, 6), Position::new(1, 7));
        vec![(uri, Some(3), vec![TextEdit::new(range, "b".into())])]
    }

    #[test]
    fn clients_without_document_changes_get_a_changes_map_and_no_folder_move() {
        let plain = workspace_edit(edit(), None, false);
        assert!(plain.document_changes.is_none());
        assert_eq!(plain.changes.unwrap().values().next().unwrap()[0].new_text, "b");
    }

    #[test]
    fn versioned_edits_name_their_version_and_the_folder_moves_last() {
        let from: Uri = "file:///ws/skills/a".parse().unwrap();
        let to: Uri = "file:///ws/skills/b".parse().unwrap();
        let edit = workspace_edit(edit(), Some((from.clone(), to.clone())), true);
        let Some(DocumentChanges::Operations(ops)) = edit.document_changes else {
            panic!("operations expected")
        };
        assert!(matches!(&ops[0], DocumentChangeOperation::Edit(e) if e.text_document.version == Some(3)));
        assert!(
            matches!(&ops[1], DocumentChangeOperation::Op(ResourceOp::Rename(r)) if r.old_uri == from && r.new_uri == to)
        );
    }
}
