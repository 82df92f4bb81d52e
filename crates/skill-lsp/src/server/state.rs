//! The server's shared state: open documents, workspace indexes, settings,
//! the latest check of each document, and what the client supports.
//!
//! Every lock here is a `std::sync::Mutex`/`RwLock` held for a lookup, an
//! insert or a clone, never across an `.await`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};
use std::time::Duration;

use skill_core::SkillDoc;
use tokio::runtime::Handle;
use tokio::sync::watch;
use tower_lsp_server::ls_types::{MessageType, Uri};
use tower_lsp_server::Client;

use super::capabilities::ClientSupport;
use super::checkers::Checkers;
use super::diagnostics::{self, CheckPanicked, Checked};
use super::documents::{DocumentStore, Snapshot};
use super::index_notices;
use super::scheduler::Scheduler;
use super::settings::ClientSettings;
use super::watch::WatchQueue;
use super::workspace::Workspaces;

/// How long checks wait for the client's settings before going ahead without them.
pub const READY_TIMEOUT: Duration = Duration::from_secs(3);

pub struct State {
    pub client: Client,
    pub documents: DocumentStore,
    pub workspaces: Workspaces,
    pub scheduler: Scheduler,
    /// The threads open documents are checked on.
    pub checkers: Checkers,
    pub watch: WatchQueue,
    /// Set once by `initialize`.
    support: OnceLock<ClientSupport>,
    /// The workspace folders, as paths.
    folders: Mutex<Vec<PathBuf>>,
    settings: RwLock<Arc<ClientSettings>>,
    /// Bumped whenever something besides a document's text changes what its
    /// check gives (an index reloaded, a config or setting changed).
    generation: AtomicU64,
    /// The latest published or pulled check of each open document.
    results: Mutex<HashMap<Uri, Arc<Checked>>>,
    /// A parse a request made of a document's text before that text was
    /// checked, with its revision: the check of that text (or the next
    /// request) starts from it instead of updating the older parse again.
    parses: Mutex<HashMap<Uri, (u64, Arc<SkillDoc>)>>,
    /// Problems already shown to the user (shown once each).
    shown: Mutex<HashSet<String>>,
    pub shutdown_requested: AtomicBool,
    pub exit_received: AtomicBool,
    /// True once the client's settings are known: checks wait for it (up to
    /// [`READY_TIMEOUT`]) so that the first diagnostics already honour them.
    ready: watch::Sender<bool>,
    /// The runtime, for blocking threads that need to send something.
    runtime: Handle,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    /// Whether an open document is checked as a skill
    /// ([`diagnostics::is_skill`]: not when it is an interface document).
    pub fn is_skill(&self, snap: &Snapshot) -> bool {
        diagnostics::is_skill(&self.workspaces, snap.path().as_deref(), &snap.language_id)
    }

    /// Must be called inside the runtime.
    pub fn new(client: Client) -> State {
        let workspaces = Workspaces::default();
        workspaces.notices.set_sink(index_notices::show_messages(&client));
        State {
            client,
            documents: DocumentStore::default(),
            workspaces,
            scheduler: Scheduler::default(),
            checkers: Checkers::default(),
            watch: WatchQueue::default(),
            support: OnceLock::new(),
            folders: Mutex::default(),
            settings: RwLock::default(),
            generation: AtomicU64::new(1),
            results: Mutex::default(),
            parses: Mutex::default(),
            shown: Mutex::default(),
            shutdown_requested: AtomicBool::new(false),
            exit_received: AtomicBool::new(false),
            ready: watch::Sender::new(false),
            runtime: Handle::current(),
        }
    }

    pub fn set_support(&self, support: ClientSupport) {
        let _ = self.support.set(support);
    }

    /// What the client supports (defaults before `initialize`).
    pub fn support(&self) -> ClientSupport {
        self.support.get().copied().unwrap_or_default()
    }

    pub fn is_initialized(&self) -> bool {
        self.support.get().is_some()
    }

    pub fn folders(&self) -> Vec<PathBuf> {
        lock(&self.folders).clone()
    }

    pub fn set_folders(&self, folders: Vec<PathBuf>) {
        *lock(&self.folders) = folders;
    }

    pub fn settings(&self) -> Arc<ClientSettings> {
        self.settings.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the client settings; whether they differ from before.
    pub fn set_settings(&self, settings: ClientSettings) -> bool {
        let mut current = self.settings.write().unwrap_or_else(|e| e.into_inner());
        let changed = **current != settings;
        *current = Arc::new(settings);
        changed
    }

    /// The client's settings are known (or will never be asked for).
    pub fn mark_ready(&self) {
        self.ready.send_replace(true);
    }

    /// Waits until [`State::mark_ready`], at most [`READY_TIMEOUT`].
    pub async fn wait_ready(&self) {
        let mut rx = self.ready.subscribe();
        let _ = tokio::time::timeout(READY_TIMEOUT, rx.wait_for(|ready| *ready)).await;
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Something every check depends on changed: results from before are stale.
    pub fn bump_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Checks a snapshot (blocking: call from a blocking thread).
    pub fn check(&self, snap: &Snapshot) -> Result<Checked, CheckPanicked> {
        // Read the generation before anything the check reads, so a result is
        // never labelled newer than what it saw.
        let generation = self.generation();
        let settings = self.settings();
        // The last parse of the document, whatever its text: the check
        // updates it (or takes it as it is, when it is of this very text);
        // and the last check, whose block rules' findings are reused in the
        // blocks the edit left alone.
        let parse = self.latest_parse(&snap.uri);
        let last = lock(&self.results).get(&snap.uri).cloned();
        diagnostics::check_snapshot(
            snap,
            parse.as_ref().map(|(revision, doc)| (*revision, doc)),
            last.as_deref()
                .and_then(|c| Some((c.doc.as_deref()?, &c.block_findings))),
            &self.workspaces,
            &settings,
            generation,
            &|problem| self.show_once(MessageType::WARNING, problem.to_string()),
        )
    }

    /// The newest parse kept of a document: its check's, or a request's of a
    /// later text; with the revision parsed.
    fn latest_parse(&self, uri: &Uri) -> Option<(u64, Arc<SkillDoc>)> {
        let checked = lock(&self.results)
            .get(uri)
            .and_then(|c| Some((c.revision, c.doc.clone()?)));
        let requested = lock(&self.parses).get(uri).cloned();
        checked
            .into_iter()
            .chain(requested)
            .max_by_key(|(revision, _)| *revision)
    }

    /// The stored check of an open document if it is of its current text and
    /// of the current generation.
    pub fn fresh_result(&self, uri: &Uri) -> Option<Arc<Checked>> {
        let revision = self.documents.revision(uri)?;
        let generation = self.generation();
        lock(&self.results)
            .get(uri)
            .filter(|c| c.revision == revision && c.generation == generation)
            .cloned()
    }

    /// The parse of a snapshot: the one kept of its text when there is one,
    /// else the document's last parse updated to the snapshot's text (equal
    /// to a full parse, and cheaper on a large document), kept for the
    /// check of that text and for the requests that follow.
    pub fn parse(&self, snap: &Snapshot) -> Arc<SkillDoc> {
        let doc = match self.latest_parse(&snap.uri) {
            Some((revision, doc)) if revision == snap.revision => return doc,
            Some((_, doc)) => Arc::new(doc.update_indexed(snap.text(), snap.lines.index().clone())),
            None => Arc::new(SkillDoc::parse_indexed(
                snap.text(),
                snap.path(),
                snap.lines.index().clone(),
            )),
        };
        // Only the document's current text is worth keeping.
        if self.documents.revision(&snap.uri) == Some(snap.revision) {
            let mut parses = lock(&self.parses);
            let newer_kept = parses.get(&snap.uri).is_some_and(|(r, _)| *r >= snap.revision);
            if !newer_kept {
                parses.insert(snap.uri.clone(), (snap.revision, doc.clone()));
            }
        }
        doc
    }

    pub fn store_result(&self, uri: Uri, checked: Arc<Checked>) {
        // A request's parse of this text or an older one is the check's now.
        let mut parses = lock(&self.parses);
        if parses
            .get(&uri)
            .is_some_and(|(revision, _)| *revision <= checked.revision)
        {
            parses.remove(&uri);
        }
        drop(parses);
        lock(&self.results).insert(uri, checked);
    }

    pub fn forget_result(&self, uri: &Uri) {
        lock(&self.parses).remove(uri);
        lock(&self.results).remove(uri);
    }

    /// Shows a message to the user, once per distinct text (until
    /// [`State::forget_shown`]); logs it too. Callable from any thread.
    pub fn show_once(&self, typ: MessageType, message: String) {
        if !lock(&self.shown).insert(message.clone()) {
            return;
        }
        tracing::warn!("{message}");
        let client = self.client.clone();
        self.runtime
            .spawn(async move { client.show_message(typ, message).await });
    }

    /// Lets problems be shown again (their cause was edited).
    pub fn forget_shown(&self) {
        lock(&self.shown).clear();
    }
}
