//! Pulled diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`),
//! for clients that announce them; such clients never get pushed ones.
//!
//! Result ids let the client skip unchanged reports: an open document's id is
//! its revision and the generation of what it was checked against; a closed
//! file's id is its modification time and size plus the generation, so an
//! unchanged file is answered from a `stat` without reading or checking it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport,
    WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport, WorkspaceFullDocumentDiagnosticReport,
    WorkspaceUnchangedDocumentDiagnosticReport,
};

use super::diagnostics::{self, Checked};
use super::documents::{file_path, Snapshot};
use super::state::State;
use super::tasks;

/// One document's report before it is wrapped for either request.
enum Report {
    Unchanged(String),
    Full(String, Vec<Diagnostic>),
}

fn open_id(checked: &Checked) -> String {
    format!("open-{}-{}", checked.revision, checked.generation)
}

/// `textDocument/diagnostic`.
pub async fn document(state: &Arc<State>, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let previous = params.previous_result_id;
    let report = match state.documents.get(&uri) {
        Some(snap) => open_report(state, snap, previous.as_deref()).await?,
        None => {
            let st = state.clone();
            tasks::blocking("checking", move || closed_report(&st, &uri, previous.as_deref())).await?
        }
    };
    let report = match report {
        Report::Unchanged(result_id) => DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        }),
        Report::Full(result_id, items) => DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items,
            },
        }),
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

/// `workspace/diagnostic`: every open skill, and every skill of the indexed
/// roots that is not open.
pub async fn workspace(
    state: &Arc<State>,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<Uri, String> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri, p.value))
        .collect();
    let mut items = Vec::new();
    let mut open = HashSet::new();
    for snap in state.documents.all() {
        open.insert(snap.uri.clone());
        if !state.is_skill(&snap) {
            continue;
        }
        let (uri, version) = (snap.uri.clone(), Some(i64::from(snap.version)));
        let report = open_report(state, snap, previous.get(&uri).map(String::as_str)).await?;
        items.push(workspace_item(uri, version, report));
    }
    let mut closed: Vec<(Uri, PathBuf)> = state
        .workspaces
        .loaded()
        .iter()
        .flat_map(|ws| ws.skills.values().map(|s| s.path.clone()).collect::<Vec<_>>())
        .filter_map(|path| Some((Uri::from_file_path(&path)?, path)))
        .filter(|(uri, _)| !open.contains(uri))
        .collect();
    closed.sort();
    closed.dedup();
    let st = state.clone();
    let reports = tasks::blocking("checking the workspace", move || {
        closed
            .into_par_iter()
            .map(|(uri, _)| {
                let report = closed_report(&st, &uri, previous.get(&uri).map(String::as_str));
                workspace_item(uri, None, report)
            })
            .collect::<Vec<_>>()
    })
    .await?;
    items.extend(reports);
    Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport {
        items,
    }))
}

fn workspace_item(uri: Uri, version: Option<i64>, report: Report) -> WorkspaceDocumentDiagnosticReport {
    match report {
        Report::Unchanged(result_id) => {
            WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            })
        }
        Report::Full(result_id, items) => {
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri,
                version,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            })
        }
    }
}

async fn open_report(state: &Arc<State>, snap: Snapshot, previous: Option<&str>) -> Result<Report> {
    if !state.is_skill(&snap) {
        return Ok(Report::Full("not-a-skill".into(), Vec::new()));
    }
    let uri = snap.uri.clone();
    let checked = tasks::current_check(state, snap).await?;
    let id = open_id(&checked);
    if previous == Some(id.as_str()) {
        return Ok(Report::Unchanged(id));
    }
    Ok(Report::Full(id, diagnostics::to_lsp(&checked, &uri, &state.support())))
}

/// The report of a file that is not open, read from disk (blocking).
fn closed_report(state: &State, uri: &Uri, previous: Option<&str>) -> Report {
    let Some(path) = file_path(uri).filter(|p| diagnostics::is_skill(&state.workspaces, Some(p), "")) else {
        return Report::Full("not-a-skill".into(), Vec::new());
    };
    let generation = state.generation();
    let Some(id) = stamp(&path).map(|s| format!("file-{s}-{generation}")) else {
        return Report::Full("missing".into(), Vec::new());
    };
    if previous == Some(id.as_str()) {
        return Report::Unchanged(id);
    }
    // Not a regular file (a pipe would block the reader) or too large: not read.
    match std::fs::metadata(&path) {
        Ok(meta) if !meta.is_file() => return Report::Full("unreadable".into(), Vec::new()),
        Ok(meta) if meta.len() > diagnostics::MAX_CHECKED_BYTES as u64 => {
            let d = diagnostics::too_large(meta.len() as usize);
            let lines = super::position::Lines::default();
            return Report::Full(id, vec![diagnostics::to_lsp_one(&lines, &d, state.support().encoding)]);
        }
        _ => {}
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Report::Full("unreadable".into(), Vec::new());
    };
    let settings = state.settings();
    let checked = diagnostics::check_text(
        text.into(),
        Some(&path),
        &state.workspaces,
        &settings,
        generation,
        &|p| state.show_once(tower_lsp_server::ls_types::MessageType::WARNING, p.to_string()),
    );
    match checked {
        Ok(checked) => Report::Full(id, diagnostics::to_lsp(&checked, uri, &state.support())),
        Err(panic) => {
            tracing::error!(path = %path.display(), "checking panicked: {}", panic.0);
            Report::Full("failed".into(), Vec::new())
        }
    }
}

/// Modification time and size of a file, as a result-id fragment.
fn stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{}-{}", modified.as_nanos(), meta.len()))
}
