//! `textDocument/documentSymbol` (the skill's outline), `textDocument/foldingRange`
//! and `workspace/symbol` (the skills of every indexed root, by name and
//! description), over `skill_core::ide::symbols`.

use std::collections::HashSet;
use std::sync::Arc;

use super::position::Lines;
use skill_core::ide::symbols::{self, Fold, Symbol, SymbolKind as CoreKind};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeParams, Location,
    SymbolInformation, SymbolKind, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use super::navigation::{request, Sources};
use super::position::{self, PositionEncoding};
use super::state::State;
use super::tasks;

pub async fn document_symbols(
    state: &Arc<State>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    tasks::blocking("listing symbols", move || {
        let r = request(&st, &uri, None)?;
        let syms = symbols::document_symbols(&r.doc);
        Some(DocumentSymbolResponse::Nested(
            syms.iter().map(|s| to_lsp(&r.lines, s, r.sources.enc)).collect(),
        ))
    })
    .await
}

fn kind(k: CoreKind) -> SymbolKind {
    match k {
        CoreKind::FrontMatter => SymbolKind::OBJECT,
        CoreKind::Key => SymbolKind::PROPERTY,
        CoreKind::Section => SymbolKind::STRING,
        CoreKind::Workflow => SymbolKind::NAMESPACE,
        CoreKind::Step => SymbolKind::FUNCTION,
        CoreKind::Checklist => SymbolKind::ARRAY,
        CoreKind::ChecklistItem => SymbolKind::BOOLEAN,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the type
fn to_lsp(lines: &Lines, s: &Symbol, enc: PositionEncoding) -> DocumentSymbol {
    DocumentSymbol {
        // An empty name is invalid in the protocol (VS Code rejects the whole answer).
        name: if s.name.trim().is_empty() {
            "(untitled)".into()
        } else {
            s.name.clone()
        },
        detail: s.detail.clone(),
        kind: kind(s.kind),
        tags: None,
        deprecated: None,
        range: position::range(lines, s.range, enc),
        selection_range: position::range(lines, s.selection, enc),
        children: (!s.children.is_empty()).then(|| s.children.iter().map(|c| to_lsp(lines, c, enc)).collect()),
    }
}

pub async fn folding_ranges(state: &Arc<State>, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    tasks::blocking("folding", move || {
        let r = request(&st, &uri, None)?;
        let mut seen = HashSet::new();
        let folds = symbols::folding_ranges(&r.doc)
            .iter()
            .filter_map(|f| fold(&r.lines, f, r.sources.enc))
            // Two folds on the same lines are one for the editor.
            .filter(|f| seen.insert((f.start_line, f.end_line)))
            .collect();
        Some(folds)
    })
    .await
}

/// A fold by lines; `None` for one that would fold a single line.
fn fold(lines: &Lines, f: &Fold, enc: PositionEncoding) -> Option<FoldingRange> {
    let start = position::position(lines, f.range.start, enc).line;
    let end = position::position(lines, f.range.end, enc).line;
    (end > start).then(|| FoldingRange {
        start_line: start,
        end_line: end,
        // Sections and front matter are plain regions: `imports` or
        // `comment` would make editors fold them on their own.
        kind: None,
        ..FoldingRange::default()
    })
}

pub async fn workspace_symbols(
    state: &Arc<State>,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let st = state.clone();
    tasks::blocking("listing skills", move || {
        let sources = Sources::new(&st);
        let mut out = Vec::new();
        // The indexed roots, and those of open documents (waiting for one
        // still being indexed, so an early query is not answered empty).
        let mut roots = st.workspaces.loaded();
        for snap in st.documents.all() {
            if let Some(path) = snap.path() {
                roots.push(st.workspaces.context_for(Some(&path)).workspace);
            }
        }
        let mut seen = HashSet::new();
        roots.retain(|ws| ws.root.is_some() && seen.insert(ws.root.clone()));
        for ws in roots {
            for s in symbols::workspace_symbols(&ws, &params.query, &|p| sources.text(p)) {
                let Some(source) = sources.get(&s.path) else { continue };
                out.push(information(
                    s.name,
                    &s.description,
                    Location::new(source.uri, position::range(&source.lines, s.range, sources.enc)),
                ));
            }
        }
        Some(WorkspaceSymbolResponse::Flat(out))
    })
    .await
}

#[allow(deprecated)] // `deprecated` is a required field of the type
fn information(name: String, description: &str, location: Location) -> SymbolInformation {
    let description = description.trim();
    let container = match description.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &description[..i]),
        None => description.to_string(),
    };
    SymbolInformation {
        name,
        kind: SymbolKind::MODULE,
        tags: None,
        deprecated: None,
        location,
        container_name: (!container.is_empty()).then_some(container),
    }
}
