//! Once the client is initialized: fetch its settings, register for file and
//! configuration changes, and index the workspace folders in the background
//! with `$/progress` reports.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::{ConfigurationItem, MessageType, NumberOrString, Registration};
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::settings::{ClientSettings, SECTION};
use super::state::State;
use super::{refresh, tasks, watch, workspace};

/// Everything after `initialized`, in order.
pub async fn after_initialized(state: Arc<State>, problems: Vec<String>) {
    fetch_settings(&state).await;
    state.mark_ready();
    for problem in problems {
        state.show_once(MessageType::WARNING, problem);
    }
    register(&state).await;
    index(&state, state.folders()).await;
}

/// Asks the client for the `skillLsp` section; whether the settings changed.
/// An empty answer keeps what `initializationOptions` gave.
pub async fn fetch_settings(state: &Arc<State>) -> bool {
    if !state.support().configuration {
        return false;
    }
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some(SECTION.into()),
    };
    let values = tasks::ask_client("workspace/configuration", state.client.configuration(vec![item])).await;
    match values.and_then(|v| v.into_iter().next()) {
        Some(value) if !value.is_null() => apply_settings(state, &value),
        _ => false,
    }
}

/// Reads settings the client sent; whether they changed. Problems are shown.
pub fn apply_settings(state: &State, value: &Value) -> bool {
    let (settings, problems) = ClientSettings::parse(value);
    for problem in problems {
        state.show_once(MessageType::WARNING, problem);
    }
    let changed = state.set_settings(settings);
    if changed {
        tracing::info!(settings = %value, "client settings changed");
    }
    changed
}

/// `workspace/didChangeConfiguration`: new settings apply to every open skill.
pub async fn configuration_changed(state: &Arc<State>, settings: Value) {
    let changed = if state.support().configuration {
        fetch_settings(state).await
    } else if settings.is_null() {
        false
    } else {
        apply_settings(state, &settings)
    };
    if changed {
        state.bump_generation();
        refresh::everything(state).await;
    }
}

async fn register(state: &Arc<State>) {
    let support = state.support();
    let mut registrations = Vec::new();
    if support.watch_registration {
        registrations.push(watch::registration());
    }
    if support.configuration_registration {
        registrations.push(Registration {
            id: "skill-lsp/configuration".into(),
            method: "workspace/didChangeConfiguration".into(),
            register_options: None,
        });
    }
    if registrations.is_empty() {
        return;
    }
    tasks::ask_client(
        "client/registerCapability",
        state.client.register_capability(registrations),
    )
    .await;
}

/// Creates a progress token with the client and begins a report on it.
async fn begin_progress(state: &State) -> Option<OngoingProgress<Bounded, NotCancellable>> {
    static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);
    let token = NumberOrString::String(format!(
        "skill-lsp/index/{}",
        NEXT_TOKEN.fetch_add(1, Ordering::Relaxed)
    ));
    let create = state.client.create_work_done_progress(token.clone());
    tasks::ask_client("window/workDoneProgress/create", create).await?;
    let progress = state
        .client
        .progress(token, "Indexing skills")
        .with_message("finding skills roots");
    Some(progress.with_percentage(0).begin().await)
}

/// Indexes the skills roots in and around `folders`, reporting progress when
/// the client shows it.
pub async fn index(state: &Arc<State>, folders: Vec<PathBuf>) {
    if folders.is_empty() {
        return;
    }
    let started = std::time::Instant::now();
    let progress = if state.support().work_done_progress {
        begin_progress(state).await
    } else {
        None
    };
    let st = state.clone();
    let roots = tasks::blocking("finding skills roots", move || {
        let mut roots: Vec<PathBuf> = folders
            .iter()
            .flat_map(|f| workspace::discover_roots(&st.workspaces, f))
            .collect();
        roots.sort();
        roots.dedup();
        roots
    })
    .await
    .unwrap_or_default();
    let mut skills = 0;
    for (i, root) in roots.iter().enumerate() {
        if let Some(p) = &progress {
            let percentage = (i * 100 / roots.len().max(1)) as u32;
            p.report_with_message(format!("{}", root.display()), percentage).await;
        }
        let st = state.clone();
        let root = root.clone();
        if let Ok(ws) = tasks::blocking("indexing a skills root", move || st.workspaces.load(&root)).await {
            skills += ws.skills.len();
        }
    }
    let summary = format!("{skills} skills in {} skills roots", roots.len());
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "indexed {summary}");
    if let Some(p) = progress {
        p.finish_with_message(summary).await;
    }
    // Pull clients learn of the skills found; push clients already had their
    // open skills checked against the roots those needed.
    if state.support().pull_diagnostics {
        refresh::everything(state).await;
    }
}
