//! `textDocument/documentHighlight` and `textDocument/selectionRange` over
//! `skill_core::ide::highlight`.

use std::sync::Arc;

use skill_core::ide::highlight;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, SelectionRange, SelectionRangeParams,
};

use super::navigation::request;
use super::position;
use super::state::State;
use super::tasks;

pub async fn document_highlight(
    state: &Arc<State>,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let st = state.clone();
    let at = params.text_document_position_params;
    tasks::blocking("highlighting", move || {
        let r = request(&st, &at.text_document.uri, Some(at.position))?;
        let found = highlight::document_highlights(&r.doc, r.offset);
        (!found.is_empty()).then(|| {
            found
                .iter()
                .map(|range| DocumentHighlight {
                    range: position::range(&r.lines, *range, r.sources.enc),
                    kind: Some(DocumentHighlightKind::READ),
                })
                .collect()
        })
    })
    .await
}

pub async fn selection_range(state: &Arc<State>, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    let positions = params.positions;
    tasks::blocking("selection ranges", move || {
        let r = request(&st, &uri, None)?;
        let enc = r.sources.enc;
        Some(
            positions
                .iter()
                .map(|p| {
                    let offset = position::offset(&r.lines, *p, enc);
                    let ranges = highlight::selection_ranges(&r.doc, offset);
                    // Outermost first, each the parent of the next.
                    ranges.iter().rev().fold(None, |parent: Option<SelectionRange>, range| {
                        Some(SelectionRange {
                            range: position::range(&r.lines, *range, enc),
                            parent: parent.map(Box::new),
                        })
                    })
                })
                .map(|s| {
                    s.unwrap_or(SelectionRange {
                        range: tower_lsp_server::ls_types::Range::default(),
                        parent: None,
                    })
                })
                .collect(),
        )
    })
    .await
}
