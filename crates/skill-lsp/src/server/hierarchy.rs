//! Call hierarchy over the skill graph (`skillInvoker` calls):
//! `textDocument/prepareCallHierarchy`, `callHierarchy/incomingCalls` and
//! `callHierarchy/outgoingCalls`, over `skill_core::ide::hierarchy`.

use std::sync::Arc;

use serde_json::json;
use skill_core::ide::hierarchy::{self, SkillItem};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CallHierarchyIncomingCall, CallHierarchyIncomingCallsParams, CallHierarchyItem, CallHierarchyOutgoingCall,
    CallHierarchyOutgoingCallsParams, CallHierarchyPrepareParams, SymbolKind,
};

use super::documents::file_path;
use super::navigation::{request, Sources};
use super::position;
use super::state::State;
use super::tasks;

fn item(sources: &Sources, s: &SkillItem) -> Option<CallHierarchyItem> {
    let source = sources.get(&s.path)?;
    let description = s.description.trim();
    let detail = match description.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &description[..i]),
        None => description.to_string(),
    };
    Some(CallHierarchyItem {
        name: s.name.clone(),
        kind: SymbolKind::MODULE,
        tags: None,
        detail: (!detail.is_empty()).then_some(detail),
        uri: source.uri.clone(),
        range: position::range(&source.lines, s.range, sources.enc),
        selection_range: position::range(&source.lines, s.selection, sources.enc),
        data: Some(json!({"skill": s.name})),
    })
}

fn name_of(item: &CallHierarchyItem) -> String {
    item.data
        .as_ref()
        .and_then(|d| d.get("skill"))
        .and_then(|s| s.as_str())
        .map_or_else(|| item.name.clone(), String::from)
}

pub async fn prepare(state: &Arc<State>, params: CallHierarchyPrepareParams) -> Result<Option<Vec<CallHierarchyItem>>> {
    let st = state.clone();
    let at = params.text_document_position_params;
    tasks::blocking("preparing the call hierarchy", move || {
        let r = request(&st, &at.text_document.uri, Some(at.position))?;
        let found = hierarchy::prepare(&r.doc, &r.ws, r.offset, &|p| r.sources.text(p))?;
        Some(vec![item(&r.sources, &found)?])
    })
    .await
}

pub async fn incoming(
    state: &Arc<State>,
    params: CallHierarchyIncomingCallsParams,
) -> Result<Option<Vec<CallHierarchyIncomingCall>>> {
    let st = state.clone();
    tasks::blocking("finding incoming calls", move || {
        let sources = Sources::new(&st);
        let path = file_path(&params.item.uri);
        let ws = st.workspaces.context_for(path.as_deref()).workspace;
        let links = hierarchy::incoming(&ws, &name_of(&params.item), &|p| sources.text(p));
        Some(
            links
                .iter()
                .filter_map(|l| {
                    let from = item(&sources, &l.skill)?;
                    let source = sources.get(&l.skill.path)?;
                    Some(CallHierarchyIncomingCall {
                        from,
                        from_ranges: l
                            .calls
                            .iter()
                            .map(|r| position::range(&source.lines, *r, sources.enc))
                            .collect(),
                    })
                })
                .collect(),
        )
    })
    .await
}

pub async fn outgoing(
    state: &Arc<State>,
    params: CallHierarchyOutgoingCallsParams,
) -> Result<Option<Vec<CallHierarchyOutgoingCall>>> {
    let st = state.clone();
    tasks::blocking("finding outgoing calls", move || {
        let sources = Sources::new(&st);
        let path = file_path(&params.item.uri);
        let ws = st.workspaces.context_for(path.as_deref()).workspace;
        let caller = sources.get(path.as_deref()?)?;
        let links = hierarchy::outgoing(&ws, &name_of(&params.item), &|p| sources.text(p));
        Some(
            links
                .iter()
                .filter_map(|l| {
                    Some(CallHierarchyOutgoingCall {
                        to: item(&sources, &l.skill)?,
                        from_ranges: l
                            .calls
                            .iter()
                            .map(|r| position::range(&caller.lines, *r, sources.enc))
                            .collect(),
                    })
                })
                .collect(),
        )
    })
    .await
}
