//! `textDocument/signatureHelp`: the method's accepted forms inside a
//! call's parentheses, with the active one and its active parameter.

use std::sync::Arc;

use skill_core::ide::signature;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Documentation, MarkupContent, MarkupKind, ParameterInformation, ParameterLabel, SignatureHelp, SignatureHelpParams,
    SignatureInformation,
};

use super::cursor::on_cursor;
use super::state::State;

pub async fn signature_help(state: &Arc<State>, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
    on_cursor(
        state,
        "signature help",
        params.text_document_position_params,
        |_, _, cur| {
            let help = signature::signature_help(&cur.doc, &cur.workspace, cur.offset)?;
            Some(SignatureHelp {
                signatures: help.signatures.iter().map(to_lsp).collect(),
                active_signature: u32::try_from(help.active_signature).ok(),
                active_parameter: help.active_parameter.and_then(|p| u32::try_from(p).ok()),
            })
        },
    )
    .await
}

/// Label offsets count UTF-16 units of the label, as the protocol says.
fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}

fn to_lsp(sig: &signature::Signature) -> SignatureInformation {
    let parameters = sig
        .param_ranges
        .iter()
        .zip(&sig.param_docs)
        .filter_map(|(r, doc)| {
            let before = sig.label.get(..r.start)?;
            let param = sig.label.get(r.start..r.end)?;
            let start = utf16_len(before);
            Some(ParameterInformation {
                label: ParameterLabel::LabelOffsets([start, start + utf16_len(param)]),
                documentation: doc.as_ref().map(|d| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: d.clone(),
                    })
                }),
            })
        })
        .collect();
    SignatureInformation {
        label: sig.label.clone(),
        documentation: sig.documentation.as_ref().map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d.clone(),
            })
        }),
        parameters: Some(parameters),
        active_parameter: None,
    }
}
