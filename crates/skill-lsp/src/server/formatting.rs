//! `textDocument/formatting` and `textDocument/rangeFormatting` over
//! `skill_core::format`, the implementation `skill-lsp format` uses.

use std::sync::Arc;

use skill_core::fix::Edit;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit, Uri};

use super::navigation::{skill_request, Request};
use super::position;
use super::state::State;
use super::tasks;

pub async fn format(state: &Arc<State>, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
    edits(state, params.text_document.uri, None).await
}

pub async fn format_range(state: &Arc<State>, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
    edits(state, params.text_document.uri, Some(params.range)).await
}

async fn edits(
    state: &Arc<State>,
    uri: Uri,
    range: Option<tower_lsp_server::ls_types::Range>,
) -> Result<Option<Vec<TextEdit>>> {
    let st = state.clone();
    tasks::blocking("formatting", move || {
        let r = skill_request(&st, &uri)?;
        let ctx = st.workspaces.context_for(r.doc.path.as_deref());
        let config = st.settings().apply(&ctx.config.config);
        let edits = match range {
            None => skill_core::format::format(&r.doc, &config),
            Some(range) => {
                let range = position::text_range(&r.lines, range, r.sources.enc);
                skill_core::format::format_range(&r.doc, &config, range)
            }
        };
        Some(edits.iter().map(|e| text_edit(&r, e)).collect())
    })
    .await
}

fn text_edit(r: &Request, e: &Edit) -> TextEdit {
    TextEdit::new(position::range(&r.lines, e.range, r.sources.enc), e.new_text.clone())
}
