//! Pushed diagnostics: one worker per document checks its newest text off the
//! message loop and publishes the result with the document version.
//!
//! - No fixed debounce: a check starts as soon as an edit arrives. Edits that
//!   arrive while it runs replace each other in the document's slot, so the
//!   next check takes only the newest text (coalescing).
//! - No stale set: a result is published only if no newer job is waiting and
//!   the document's revision is still the one checked. All publishing for a
//!   document happens on its single worker, in order, so an older version's
//!   diagnostics can never follow a newer one's (and a close's clearing can
//!   never be overtaken by a late check).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::Uri;

use super::diagnostics;
use super::documents::Snapshot;
use super::state::State;

/// What a document's worker does next.
#[derive(Debug)]
pub enum Job {
    /// Check this text and publish its diagnostics.
    Check(Snapshot),
    /// The document was closed: publish an empty set.
    Clear,
}

#[derive(Debug, Default)]
struct Slot {
    /// The newest job not yet started; a newer one replaces it.
    next: Option<Job>,
    /// A worker is running for this document.
    running: bool,
}

#[derive(Debug, Default)]
pub struct Scheduler {
    slots: Mutex<HashMap<Uri, Slot>>,
}

impl Scheduler {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `job`, replacing any job not yet started. True when no worker
    /// runs for the document, so the caller must start one.
    fn submit(&self, uri: &Uri, job: Job) -> bool {
        let mut slots = self.lock();
        let slot = slots.entry(uri.clone()).or_default();
        slot.next = Some(job);
        !std::mem::replace(&mut slot.running, true)
    }

    /// The next job, or `None` and the worker stops (atomically, so a job
    /// submitted meanwhile starts a new worker).
    fn take(&self, uri: &Uri) -> Option<Job> {
        let mut slots = self.lock();
        let slot = slots.get_mut(uri)?;
        let job = slot.next.take();
        if job.is_none() {
            slots.remove(uri);
        }
        job
    }

    fn has_newer(&self, uri: &Uri) -> bool {
        self.lock().get(uri).is_some_and(|slot| slot.next.is_some())
    }
}

/// Checks `snap` and publishes its diagnostics, unless the client pulls them.
pub fn check(state: &Arc<State>, snap: Snapshot) {
    if state.support().pull_diagnostics || !state.is_skill(&snap) {
        return;
    }
    let uri = snap.uri.clone();
    submit(state, uri, Job::Check(snap));
}

/// Clears a closed document's diagnostics.
pub fn clear(state: &Arc<State>, uri: Uri) {
    state.forget_result(&uri);
    if !state.support().pull_diagnostics {
        submit(state, uri, Job::Clear);
    }
}

/// Checks every open document again (what they depend on changed).
pub fn check_all_open(state: &Arc<State>) {
    for snap in state.documents.all() {
        check(state, snap);
    }
}

fn submit(state: &Arc<State>, uri: Uri, job: Job) {
    if state.scheduler.submit(&uri, job) {
        tokio::spawn(run(state.clone(), uri));
    }
}

async fn run(state: Arc<State>, uri: Uri) {
    while let Some(job) = state.scheduler.take(&uri) {
        match job {
            Job::Clear => state.client.publish_diagnostics(uri.clone(), Vec::new(), None).await,
            Job::Check(snap) => {
                let version = snap.version;
                let revision = snap.revision;
                state.wait_ready().await;
                if state.scheduler.has_newer(&uri) {
                    continue;
                }
                let worker_state = state.clone();
                let support = state.support();
                let doc_uri = uri.clone();
                // Check and convert on a checking thread: this loop only publishes.
                let outcome = state
                    .checkers
                    .run(move || {
                        worker_state.check(&snap).map(|checked| {
                            let items = diagnostics::to_lsp(&checked, &doc_uri, &support);
                            (Arc::new(checked), items)
                        })
                    })
                    .await;
                let (checked, items) = match outcome.and_then(|checked| checked.map_err(|panic| panic.0)) {
                    Ok(done) => done,
                    Err(why) => {
                        tracing::error!(uri = uri.as_str(), version, "checking failed: {why}");
                        // No request to answer: tell the user, once per distinct failure.
                        let message = format!("skill-lsp failed to check {}: {why}", uri.as_str());
                        state.show_once(tower_lsp_server::ls_types::MessageType::ERROR, message);
                        continue;
                    }
                };
                if state.scheduler.has_newer(&uri) || state.documents.revision(&uri) != Some(revision) {
                    tracing::debug!(uri = uri.as_str(), version, "dropping the result of a superseded text");
                    continue;
                }
                tracing::debug!(
                    uri = uri.as_str(),
                    version,
                    count = items.len(),
                    "publishing diagnostics"
                );
                state.store_result(uri.clone(), checked);
                state
                    .client
                    .publish_diagnostics(uri.clone(), items, Some(version))
                    .await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri() -> Uri {
        "file:///w/SKILL.md".parse().unwrap()
    }

    #[test]
    fn jobs_coalesce_and_one_worker_runs_per_document() {
        let s = Scheduler::default();
        assert!(s.submit(&uri(), Job::Clear), "the first job starts a worker");
        assert!(!s.submit(&uri(), Job::Clear), "a worker is already running");
        assert!(s.has_newer(&uri()));
        assert!(matches!(s.take(&uri()), Some(Job::Clear)));
        assert!(!s.has_newer(&uri()));
        assert!(s.take(&uri()).is_none(), "the worker stops when nothing waits");
        assert!(s.submit(&uri(), Job::Clear), "and the next job starts a new one");
    }
}
