//! Running core work for a request off the message loop: on a blocking
//! thread, with a panic turned into an error answer so the server lives on.
//! Request handlers (code actions now; completion, hover, definition next)
//! take a snapshot, then call [`blocking`] with a pure function of it.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};

use super::diagnostics::{panic_message, Checked};
use super::documents::Snapshot;
use super::state::State;

/// Runs `f` on a blocking thread; a panic becomes an internal-error answer.
pub async fn blocking<T, F>(what: &'static str, f: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let joined = tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(f))).await;
    match joined {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => Err(internal(what, &panic_message(&*panic))),
        Err(err) => Err(internal(what, &err.to_string())),
    }
}

fn internal(what: &str, why: &str) -> Error {
    tracing::error!("{what} failed: {why}");
    Error {
        message: format!("skill-lsp: {what} failed: {why}").into(),
        ..Error::internal_error()
    }
}

/// How long the server waits for the client to answer one of its requests.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Awaits the client's answer to a server request, at most [`CLIENT_TIMEOUT`]:
/// a client that never answers must not stall what waits on it.
pub async fn ask_client<T>(what: &str, request: impl Future<Output = Result<T>>) -> Option<T> {
    match tokio::time::timeout(CLIENT_TIMEOUT, request).await {
        Ok(Ok(answer)) => Some(answer),
        Ok(Err(err)) => {
            tracing::warn!("the client refused {what}: {err}");
            None
        }
        Err(_) => {
            tracing::warn!("the client did not answer {what} within {CLIENT_TIMEOUT:?}");
            None
        }
    }
}

/// The check of an open document's snapshot: the stored one when it is
/// current, else a new one (stored for the next request).
pub async fn current_check(state: &Arc<State>, snap: Snapshot) -> Result<Arc<Checked>> {
    if let Some(checked) = state.fresh_result(&snap.uri).filter(|c| c.revision == snap.revision) {
        return Ok(checked);
    }
    state.wait_ready().await;
    let worker_state = state.clone();
    let uri = snap.uri.clone();
    let checked = state
        .checkers
        .run(move || worker_state.check(&snap))
        .await
        .and_then(|checked| checked.map_err(|panic| panic.0))
        .map_err(|why| internal("checking", &why))?;
    let checked = Arc::new(checked);
    // Keep it only if it is still of the document's current text.
    if state.documents.revision(&uri) == Some(checked.revision) {
        state.store_result(uri, checked.clone());
    }
    Ok(checked)
}
