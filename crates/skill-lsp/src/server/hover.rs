//! `textDocument/hover`: the core's Markdown about what the cursor is on,
//! with the range it covers in the negotiated encoding; below it, the
//! diagnostics under the cursor explained (from the document's stored
//! check: hover never checks anew). For a method, the line of its heading
//! in the interface document, read here (bounded) rather than kept in the
//! index for every method.

use std::path::Path;
use std::sync::Arc;

use skill_core::ide::hover;
use skill_core::TextRange;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Uri};

use super::cursor::on_cursor;
use super::state::State;

/// Interface documents larger than this are not read for a line number.
const MAX_DOC_BYTES: u64 = 2 * 1024 * 1024;

pub async fn hover(state: &Arc<State>, params: HoverParams) -> Result<Option<Hover>> {
    on_cursor(state, "hover", params.text_document_position_params, |st, snap, cur| {
        let found = hover::hover(&cur.doc, &cur.workspace, &cur.config, cur.offset);
        let checked = st.fresh_result(&snap.uri).filter(|c| c.revision == snap.revision);
        let diagnosed = checked.and_then(|c| hover::diagnostics_at(&c.diagnostics, cur.offset));
        let (range, markdown) = match (found, diagnosed) {
            (Some(h), d) => {
                let mut md = h.markdown;
                if let Some(line) = h.definition.as_ref().and_then(|(p, r)| definition_line(p, *r)) {
                    md.push_str(&line);
                }
                if let Some(d) = d {
                    md.push_str("\n\n---\n\n");
                    md.push_str(&d.markdown);
                }
                (h.range, md)
            }
            (None, Some(d)) => (d.range, d.markdown),
            (None, None) => return None,
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(cur.range(range)),
        })
    })
    .await
}

/// ` Line N: [open](file:///...#LN)`, when the document still has a heading there.
fn definition_line(path: &Path, heading: TextRange) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    // Not a pipe (reading one waits forever), nor anything too large.
    if !meta.is_file() || meta.len() > MAX_DOC_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    // The index may be older than the file: only a heading still standing there counts.
    if !text.get(heading.start..heading.end)?.starts_with('#') {
        return None;
    }
    let line = skill_core::LineIndex::new(&text).line_of(heading.start) + 1;
    let uri = Uri::from_file_path(path)?;
    Some(format!(" Line {line}: [open]({}#L{line}).", uri.as_str()))
}
