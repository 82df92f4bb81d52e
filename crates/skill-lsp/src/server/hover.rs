//! `textDocument/hover`: the core's Markdown about what the cursor is on,
//! with the range it covers in the negotiated encoding.

use std::sync::Arc;

use skill_core::ide::hover;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::completion::{snapshot, AtCursor};
use super::state::State;
use super::tasks;

pub async fn hover(state: &Arc<State>, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    let Some(snap) = snapshot(state, &at.text_document.uri) else {
        return Ok(None);
    };
    let st = state.clone();
    tasks::blocking("hover", move || {
        let cur = AtCursor::read(&st, &snap, at.position);
        let h = hover::hover(&cur.doc, &cur.workspace, &cur.config, cur.offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(cur.range(h.range)),
        })
    })
    .await
}
