//! `textDocument/inlayHint` over `skill_core::ide::inlay`; which kinds are
//! shown comes from the client settings (`inlayHints`).

use std::sync::Arc;

use skill_core::ide::inlay::{self, InlayKind};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams};

use super::navigation::skill_request;
use super::position;
use super::state::State;
use super::tasks;

pub async fn inlay_hints(state: &Arc<State>, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    let range = params.range;
    tasks::blocking("inlay hints", move || {
        let r = skill_request(&st, &uri)?;
        let enc = r.sources.enc;
        let range = position::text_range(&r.lines, range, enc);
        let kinds = st.settings().inlay;
        let hints = inlay::inlay_hints(&r.doc, &r.ws, range, kinds);
        Some(
            hints
                .into_iter()
                .map(|h| InlayHint {
                    position: position::position(&r.lines, h.offset, enc),
                    label: InlayHintLabel::String(h.label),
                    kind: Some(match h.kind {
                        InlayKind::Parameter => InlayHintKind::PARAMETER,
                        InlayKind::Note => InlayHintKind::TYPE,
                    }),
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(h.kind == InlayKind::Note),
                    padding_right: Some(h.kind == InlayKind::Parameter),
                    data: None,
                })
                .collect(),
        )
    })
    .await
}
