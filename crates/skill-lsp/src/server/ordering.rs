//! Text synchronisation in arrival order, by construction.
//!
//! tower-lsp-server turns each incoming message into a future and runs up to
//! four of them at once (`buffer_unordered` in its transport): a handler that
//! awaits anything can be overtaken by the next message's handler, which is how
//! `didChange` notifications get applied out of order (tower-lsp#284,
//! tower-lsp-server#36). What the transport does guarantee is that it calls
//! `Service::call` once per message, in the order read from stdin, on one task,
//! before reading the next message.
//!
//! So this service wraps the `LspService` and applies `didOpen`, `didChange`
//! and `didClose` inside `call` itself, synchronously, under the document
//! store's short lock: an edit is in the store before the next message is even
//! read, and nothing can interleave. Checking is then only scheduled (it runs
//! on its own task), so the read loop never waits for a check. Every other
//! message goes to the `LspService` as usual.
//!
//! Every handler's future is also polled under `catch_unwind`: a panic in a
//! request becomes an internal-error answer, and the server lives on.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::{DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams};
use tower_lsp_server::{ExitedError, LspService};
use tower_service::Service;

use super::backend::Backend;
use super::diagnostics::panic_message;
use super::framing;
use super::scheduler;
use super::state::State;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

pub struct InOrder {
    inner: LspService<Backend>,
    state: Arc<State>,
    /// Notified when the client sends `exit`.
    exit: Arc<Notify>,
}

impl InOrder {
    pub fn new(inner: LspService<Backend>, exit: Arc<Notify>) -> InOrder {
        let state = inner.inner().state.clone();
        InOrder { inner, state, exit }
    }
}

impl Service<Request> for InOrder {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let is_text_sync = matches!(
            req.method(),
            "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose"
        );
        // Before `initialize` has been answered the `LspService` rejects
        // everything; let it, so the protocol's rules hold.
        if is_text_sync && req.id().is_none() && self.state.is_initialized() {
            let (method, _, params) = req.into_parts();
            let state = &self.state;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| {
                apply(state, &method, params.unwrap_or(Value::Null))
            })) {
                tracing::error!("`{method}` panicked: {}", panic_message(&*panic));
            }
            return Box::pin(std::future::ready(Ok(None)));
        }
        // A message the client sent malformed (see `framing.rs`): its error answer.
        if req.method() == framing::INVALID_MESSAGE {
            let (_, _, params) = req.into_parts();
            return Box::pin(std::future::ready(Ok(Some(framing::error_response(params)))));
        }
        // Debug builds only: a request whose handler panics, so tests can see
        // a panic answered as an error with the server going on.
        #[cfg(debug_assertions)]
        if req.method() == "skill-lsp/debug/panic" {
            let panicking = std::future::poll_fn(|_| -> Poll<Result<Option<Response>, ExitedError>> {
                panic!("a deliberate panic (skill-lsp/debug/panic)")
            });
            return Box::pin(CatchPanic {
                inner: Box::pin(panicking),
                id: req.id().cloned(),
                method: req.method().to_string(),
            });
        }
        if req.method() == "exit" {
            self.state.exit_received.store(true, Ordering::SeqCst);
            self.exit.notify_one();
        }
        let id = req.id().cloned();
        let method = req.method().to_string();
        Box::pin(CatchPanic {
            inner: self.inner.call(req),
            id,
            method,
        })
    }
}

/// A handler's future whose panic becomes an error answer (or, for a
/// notification, nothing) instead of unwinding through the transport.
struct CatchPanic {
    inner: BoxFuture<Result<Option<Response>, ExitedError>>,
    id: Option<Id>,
    method: String,
}

impl Future for CatchPanic {
    type Output = Result<Option<Response>, ExitedError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match catch_unwind(AssertUnwindSafe(|| this.inner.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(panic) => {
                let why = panic_message(&*panic);
                tracing::error!("`{}` panicked: {why}", this.method);
                let error = Error {
                    message: format!("skill-lsp: `{}` failed: {why}", this.method).into(),
                    ..Error::internal_error()
                };
                Poll::Ready(Ok(this.id.take().map(|id| Response::from_error(id, error))))
            }
        }
    }
}

/// Applies one text-synchronisation notification and schedules a check.
fn apply(state: &Arc<State>, method: &str, params: Value) {
    match method {
        "textDocument/didOpen" => {
            let Some(p) = parse::<DidOpenTextDocumentParams>(method, params) else {
                return;
            };
            let doc = p.text_document;
            tracing::debug!(uri = doc.uri.as_str(), version = doc.version, "opened");
            let snap = state.documents.open(doc.uri, &doc.language_id, doc.version, &doc.text);
            scheduler::check(state, snap);
        }
        "textDocument/didChange" => {
            let Some(p) = parse::<DidChangeTextDocumentParams>(method, params) else {
                return;
            };
            let doc = p.text_document;
            let enc = state.support().encoding;
            match state.documents.change(&doc.uri, doc.version, &p.content_changes, enc) {
                Some(snap) => scheduler::check(state, snap),
                None => tracing::warn!(
                    uri = doc.uri.as_str(),
                    "a change to a document that is not open; ignored"
                ),
            }
        }
        "textDocument/didClose" => {
            let Some(p) = parse::<DidCloseTextDocumentParams>(method, params) else {
                return;
            };
            let uri = p.text_document.uri;
            if state.documents.close(&uri) {
                scheduler::clear(state, uri);
            }
        }
        _ => {}
    }
}

fn parse<T: DeserializeOwned>(method: &str, params: Value) -> Option<T> {
    serde_json::from_value(params)
        .map_err(|err| tracing::warn!("malformed `{method}` notification ignored: {err}"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notification(method: &str, params: Value) -> Request {
        Request::build(method.to_string()).params(params).finish()
    }

    /// Edits are in the store as soon as `call` returns, before any handler
    /// future has run: the transport calls `call` in arrival order, so the
    /// order holds whatever order the futures are polled in.
    #[tokio::test]
    async fn edits_are_applied_by_call_itself_in_call_order() {
        let (service, _socket) = LspService::new(Backend::new);
        let mut service = InOrder::new(service, Arc::new(Notify::new()));
        let state = service.state.clone();
        std::future::poll_fn(|cx| service.poll_ready(cx)).await.unwrap();
        let init = Request::build("initialize")
            .id(1)
            .params(json!({"capabilities": {}}))
            .finish();
        service.call(init).await.unwrap();

        let uri = "file:///ws/skills/demo/SKILL.md";
        let open = json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "ab\n"}});
        let mut pending = vec![service.call(notification("textDocument/didOpen", open))];
        // Version n types at column n: "ab" becomes "abcde" only in this order.
        for (version, ch) in [(2, "c"), (3, "d"), (4, "e")] {
            let col = version;
            let change = json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": 0, "character": col},
                    "end": {"line": 0, "character": col}}, "text": ch}]
            });
            pending.push(service.call(notification("textDocument/didChange", change)));
        }
        // No future has been polled, and the text is already final.
        let snap = state.documents.get(&uri.parse().unwrap()).unwrap();
        assert_eq!(&*snap.text(), "abcde\n");
        assert_eq!(snap.version, 4);
        // Polled in reverse, the futures change nothing.
        while let Some(fut) = pending.pop() {
            assert!(fut.await.unwrap().is_none());
        }
        assert_eq!(&*state.documents.get(&uri.parse().unwrap()).unwrap().text(), "abcde\n");
    }
}
