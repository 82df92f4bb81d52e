//! The open skill at a request's position, for the features that start
//! from the cursor (completion, hover, signature help): the document's
//! snapshot parsed, its workspace and config, the offset in the negotiated
//! encoding, and the request run off the message loop.
//!
//! Each request takes the open document's stored parse (or an update of it,
//! see `State::parse`) and reads the workspace
//! index the server already holds (loaded once per root, kept current by the
//! watcher): no disk reads per request.

use std::path::PathBuf;
use std::sync::Arc;

use skill_core::{Config, SkillDoc, TextRange, Workspace};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Position, TextDocumentPositionParams, Uri};

use super::documents::Snapshot;
use super::position::{self, Lines, PositionEncoding};
use super::state::State;
use super::tasks;

/// An open skill at a position, parsed, with the index of its workspace.
pub struct AtCursor {
    pub doc: Arc<SkillDoc>,
    pub workspace: Arc<Workspace>,
    /// The document's config with the client's settings applied.
    pub config: Config,
    pub lines: Lines,
    pub offset: usize,
    pub enc: PositionEncoding,
}

/// The open skill `uri` with its snapshot, or `None` for a document that is
/// not open or not a skill.
pub fn snapshot(state: &State, uri: &Uri) -> Option<Snapshot> {
    let snap = state.documents.get(uri)?;
    state.is_skill(&snap).then_some(snap)
}

/// Runs `f` off the message loop (see [`tasks::blocking`]) on the open skill
/// `at` names, read at its position; `None` at once for a document that is
/// not open or not a skill. `f` also gets the state and the snapshot read.
pub async fn on_cursor<T, F>(
    state: &Arc<State>,
    what: &'static str,
    at: TextDocumentPositionParams,
    f: F,
) -> Result<Option<T>>
where
    F: FnOnce(&State, &Snapshot, AtCursor) -> Option<T> + Send + 'static,
    T: Send + 'static,
{
    let Some(snap) = snapshot(state, &at.text_document.uri) else {
        return Ok(None);
    };
    let st = state.clone();
    tasks::blocking(what, move || {
        let cur = AtCursor::read(&st, &snap, at.position);
        f(&st, &snap, cur)
    })
    .await
}

impl AtCursor {
    /// Parses the snapshot and finds its workspace (blocking: the first
    /// request for a root may wait for its index to load).
    pub fn read(state: &State, snap: &Snapshot, pos: Position) -> AtCursor {
        let enc = state.support().encoding;
        let path: Option<PathBuf> = snap.path();
        let ctx = state.workspaces.context_for(path.as_deref());
        let config = state.settings().apply(&ctx.config.config);
        let offset = position::offset(&snap.lines, pos, enc);
        AtCursor {
            doc: state.parse(snap),
            workspace: ctx.workspace,
            config,
            lines: snap.lines.clone(),
            offset,
            enc,
        }
    }

    pub fn range(&self, r: TextRange) -> tower_lsp_server::ls_types::Range {
        position::range(&self.lines, r, self.enc)
    }
}
