//! The threads that check open documents: one per core (at most four),
//! started with the server and kept for its life.
//!
//! Checks used to run on the runtime's blocking pool, which starts a thread
//! whenever all of its threads are busy (indexing, a request) and keeps an
//! idle one for ten seconds, so over a long edit a dozen threads had each
//! checked the document some time. The core remembers, per thread, what it
//! derived from the last text that thread checked (`authoring/promise.rs`),
//! recognising the text by its allocation, which it keeps from being freed;
//! each of those threads so held on to an old copy of the text: half a
//! mebibyte each for a 0.5 MB skill, the resident set growing as threads
//! came (`lsp_latency --memory`, docs/performance.md). A fixed pool holds
//! at most one old text per thread, however long the server runs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::diagnostics::panic_message;

/// Most threads the pool starts, however many cores there are: checks of
/// several documents at once are rare (a setting changed, an index reloaded).
const MAX_THREADS: usize = 4;

type Job = Box<dyn FnOnce() + Send>;

/// Runs checks on the pool's threads, in the order they are submitted.
pub struct Checkers {
    jobs: Mutex<Sender<Job>>,
}

impl std::fmt::Debug for Checkers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkers").finish_non_exhaustive()
    }
}

impl Default for Checkers {
    fn default() -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for i in 0..cores.clamp(1, MAX_THREADS) {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("skill-lsp-check-{i}"))
                .spawn(move || work(&queue));
            if let Err(err) = started {
                tracing::error!("cannot start a checking thread: {err}");
            }
        }
        Checkers { jobs: Mutex::new(jobs) }
    }
}

/// Takes jobs until the pool is dropped. A job that panics (each check
/// catches its own panics; this is for anything else) leaves the thread running.
fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = match queue.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

impl Checkers {
    /// `f` on one of the pool's threads; a panic becomes its message.
    pub async fn run<T, F>(&self, f: F) -> Result<T, String>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(f)).map_err(|panic| panic_message(&*panic));
            let _ = answer.send(outcome);
        });
        let sent = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(job);
        if sent.is_err() {
            return Err("no checking thread is running".into());
        }
        answered
            .await
            .unwrap_or_else(|_| Err("the checking thread stopped".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_pool_and_panics_come_back_as_messages() {
        let pool = Checkers::default();
        let name = pool
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert!(name.is_some_and(|n| n.starts_with("skill-lsp-check-")));
        let panicked = pool.run(|| -> u32 { panic!("boom") }).await;
        assert_eq!(panicked, Err("boom".to_string()));
        // The thread that panicked still takes jobs.
        for i in 0..8 {
            assert_eq!(pool.run(move || i * 2).await, Ok(i * 2));
        }
    }
}
