//! `textDocument/codeLens` over `skill_core::ide::lens`, and the
//! `workspace/executeCommand` of its "fix all".
//!
//! A lens's command is one of: `skill-lsp.fixAll` (run by the server: it
//! sends the fix-all edit with `workspace/applyEdit`); `skill-lsp.showReferences`
//! with `[uri, position, locations]`, the shape rust-analyzer's lenses use,
//! run by the client (the VS Code extension and the Neovim plugin list the
//! locations); or an empty command, a lens that only tells.

use std::sync::Arc;

use serde_json::{json, Value};
use skill_core::ide::lens::{self, Lens, LensAction};
use skill_core::SkillDoc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams, Command, ExecuteCommandParams, Uri};

use super::code_actions;
use super::navigation::{request, Sources};
use super::position::{self, Lines, PositionEncoding};
use super::state::State;
use super::tasks;

/// Applies every safe fix of the document named by its one argument, a URI.
pub const FIX_ALL: &str = "skill-lsp.fixAll";
/// Lists the locations of its third argument (run by the client).
pub const SHOW_REFERENCES: &str = "skill-lsp.showReferences";

/// The commands the server runs itself (announced in `executeCommandProvider`).
pub fn server_commands() -> Vec<String> {
    vec![FIX_ALL.to_string()]
}

pub async fn code_lens(state: &Arc<State>, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some(snap) = state.documents.get(&uri) else {
        return Ok(None);
    };
    let enc = state.support().encoding;
    if state.is_skill(&snap) {
        // The findings as the editor shows them: the document's current check.
        let checked = tasks::current_check(state, snap.clone()).await?;
        let path = snap.path();
        return tasks::blocking("code lenses", move || {
            let doc = match &checked.doc {
                Some(doc) => doc.clone(),
                None => Arc::new(SkillDoc::parse(checked.text.clone(), path)),
            };
            let lenses = lens::skill_lenses(&doc, &checked.diagnostics);
            Some(to_lsp(&lenses, &uri, &checked.lines, enc, None))
        })
        .await;
    }
    // Any other document: an interface document's methods, else nothing.
    let st = state.clone();
    tasks::blocking("code lenses", move || {
        let r = request(&st, &uri, None)?;
        let lenses = lens::interface_lenses(&r.doc, &r.ws, &|p| r.sources.text(p));
        Some(to_lsp(&lenses, &uri, &r.lines, enc, Some(&r.sources)))
    })
    .await
}

fn to_lsp(
    lenses: &[Lens],
    uri: &Uri,
    lines: &Lines,
    enc: PositionEncoding,
    sources: Option<&Sources>,
) -> Vec<CodeLens> {
    lenses
        .iter()
        .map(|l| {
            let range = position::range(lines, l.range, enc);
            let (command, arguments) = match &l.action {
                LensAction::Label => (String::new(), None),
                LensAction::FixAll => (FIX_ALL.to_string(), Some(vec![json!(uri)])),
                LensAction::ShowReferences(places) => {
                    let locations: Vec<_> = places
                        .iter()
                        .filter_map(|p| sources.and_then(|s| s.location(p)))
                        .collect();
                    (
                        SHOW_REFERENCES.to_string(),
                        Some(vec![json!(uri), json!(range.start), json!(locations)]),
                    )
                }
            };
            CodeLens {
                range,
                command: Some(Command {
                    title: l.title.clone(),
                    command,
                    arguments,
                }),
                data: None,
            }
        })
        .collect()
}

pub async fn execute_command(state: &Arc<State>, params: ExecuteCommandParams) -> Result<Option<Value>> {
    match params.command.as_str() {
        FIX_ALL => {
            let uri = params
                .arguments
                .first()
                .and_then(|a| serde_json::from_value::<Uri>(a.clone()).ok())
                .ok_or_else(|| Error::invalid_params(format!("{FIX_ALL} takes the document's URI")))?;
            let applied = code_actions::run_fix_all(state, uri).await?;
            Ok(Some(json!({ "applied": applied })))
        }
        other => Err(Error::invalid_params(format!("skill-lsp has no command `{other}`"))),
    }
}
