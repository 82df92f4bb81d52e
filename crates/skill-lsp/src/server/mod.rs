//! The language server: LSP 3.17 over stdio, protocol glue over skill-core.
//!
//! Map: `ordering` (text sync applied in arrival order) → `documents` (ropes,
//! snapshots) → `scheduler` (pushed diagnostics, one worker per document) or
//! `pull` (pulled diagnostics) → `diagnostics` (core check, LSP conversion via
//! `position`, the only place positions are converted). `workspace` holds the
//! indexes and configs, `watch` keeps them current, `setup` runs after
//! `initialized`, `settings` reads client settings, `capabilities` says what
//! both sides support, `backend` routes requests, `tasks` runs core work off
//! the message loop with panics caught.

mod backend;
mod capabilities;
mod checkers;
mod code_actions;
mod completion;
mod cursor;
mod diagnostics;
mod documents;
#[cfg(test)]
mod documents_fuzz;
mod formatting;
mod framing;
mod hierarchy;
mod highlight;
mod hover;
mod index_notices;
mod inlay;
mod lens;
mod memory;
mod navigation;
mod ordering;
mod position;
mod pull;
mod refresh;
mod rename;
mod scheduler;
mod settings;
mod setup;
mod signature;
mod state;
mod symbols;
mod tasks;
mod tokens;
mod watch;
mod workspace;

use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::Notify;
use tower_lsp_server::{LspService, Server};
use tracing_subscriber::EnvFilter;

/// The environment variable holding the log filter (`debug`, `skill_lsp=trace`, ...).
pub const LOG_ENV: &str = "SKILL_LSP_LOG";

/// How long requests still running may finish after `exit` or the end of stdin.
const GRACE: Duration = Duration::from_millis(500);

#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let _ = args.stdio;
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        // A person typed `skill-lsp`: say what the silence is waiting for.
        eprintln!(
            "skill-lsp: the language server is waiting for LSP messages on stdin (editors start it this way).\n\
             To check skills from the command line run `skill-lsp check`; for every command, `skill-lsp --help`. Ctrl-D quits."
        );
    }
    memory::keep_little();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("skill-lsp")
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("skill-lsp: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(serve());
    // Checks still running on blocking threads are abandoned, not awaited.
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

fn init_logging() {
    let (filter, bad) = match std::env::var(LOG_ENV) {
        Ok(spec) => match EnvFilter::try_new(&spec) {
            Ok(f) => (f, None),
            Err(err) => (
                EnvFilter::new("info"),
                Some(format!("{LOG_ENV}={spec:?} is not a log filter ({err}); using `info`")),
            ),
        },
        Err(_) => (EnvFilter::new("info"), None),
    };
    // stdout carries the protocol: logs go to stderr only.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    if let Some(bad) = bad {
        tracing::warn!("{bad}");
    }
}

async fn serve() -> ExitCode {
    let exit = Arc::new(Notify::new());
    let closed = Arc::new(Notify::new());
    let (service, socket) = LspService::new(backend::Backend::new);
    let state = service.inner().state.clone();
    let service = ordering::InOrder::new(service, exit.clone());
    // Malformed messages are answered with errors, never allowed to stop the transport.
    let stdin = framing::Reframe::new(NotifyOnEof {
        inner: tokio::io::stdin(),
        eof: closed.clone(),
    });
    let server = Server::new(stdin, tokio::io::stdout(), socket).serve(service);
    // The transport stops reading at `exit` or at the end of stdin, then waits
    // for requests in flight; one waiting on a client that has gone would
    // keep the process alive, so give them a grace period and no more.
    let ending = async {
        tokio::select! {
            () = exit.notified() => {}
            () = closed.notified() => {}
        }
        tokio::time::sleep(GRACE).await;
    };
    tokio::select! {
        () = server => {}
        () = ending => tracing::warn!("requests still running at exit were abandoned"),
    }
    let exited_without_shutdown =
        state.exit_received.load(Ordering::SeqCst) && !state.shutdown_requested.load(Ordering::SeqCst);
    tracing::info!("exit");
    // The protocol: exit code 1 when `exit` came without `shutdown` first.
    if exited_without_shutdown {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Stdin that says when it has ended.
struct NotifyOnEof<R> {
    inner: R,
    eof: Arc<Notify>,
}

impl<R: AsyncRead + Unpin> AsyncRead for NotifyOnEof<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let ended = match &polled {
            Poll::Ready(Ok(())) => buf.filled().len() == before && buf.remaining() > 0,
            Poll::Ready(Err(_)) => true,
            Poll::Pending => false,
        };
        if ended {
            self.eof.notify_one();
        }
        polled
    }
}
