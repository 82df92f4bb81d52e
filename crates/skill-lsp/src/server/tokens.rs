//! `textDocument/semanticTokens/full` and `.../full/delta` over
//! `skill_core::ide::semantic`. The legend uses the standard token types, so
//! every theme colours them; `unknown` marks receivers, methods and rule
//! codes that do not exist, `defaultLibrary` the interfaces' own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use skill_core::ide::semantic::{self, TokenKind};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensDelta,
    SemanticTokensDeltaParams, SemanticTokensEdit, SemanticTokensFullDeltaResult, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult, Uri,
};

use super::navigation::skill_request;
use super::position;
use super::state::State;
use super::tasks;

const TYPES: [SemanticTokenType; 7] = [
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::METHOD,
    SemanticTokenType::KEYWORD,
    SemanticTokenType::NUMBER,
    SemanticTokenType::MACRO,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::ENUM_MEMBER,
];

fn type_index(kind: TokenKind) -> u32 {
    match kind {
        TokenKind::Receiver => 0,
        TokenKind::Method => 1,
        TokenKind::StepKeyword => 2,
        TokenKind::StepNumber => 3,
        TokenKind::Gate => 4,
        TokenKind::Placeholder => 5,
        TokenKind::RuleCode => 6,
    }
}

/// Modifier bits: 1 `defaultLibrary`, 2 `unknown`.
const DEFAULT_LIBRARY: u32 = 1;
const UNKNOWN: u32 = 2;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![
            SemanticTokenModifier::DEFAULT_LIBRARY,
            SemanticTokenModifier::new("unknown"),
        ],
    }
}

/// Per document: the result id and the tokens last sent under it.
type LastTokens = HashMap<Uri, (String, Vec<SemanticToken>)>;

/// The last tokens sent per document, for deltas (a handful of documents).
fn last() -> &'static Mutex<LastTokens> {
    static LAST: OnceLock<Mutex<LastTokens>> = OnceLock::new();
    LAST.get_or_init(Default::default)
}

fn remember(uri: &Uri, data: &[SemanticToken]) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_string();
    let mut map = last().lock().unwrap_or_else(|e| e.into_inner());
    if map.len() > 64 {
        map.clear();
    }
    map.insert(uri.clone(), (id.clone(), data.to_vec()));
    id
}

fn compute(state: &State, uri: &Uri) -> Option<Vec<SemanticToken>> {
    let r = skill_request(state, uri)?;
    let enc = r.sources.enc;
    let mut out = Vec::new();
    let (mut line, mut col) = (0u32, 0u32);
    for t in semantic::tokens(&r.doc, &r.ws) {
        let range = position::range(&r.lines, t.range, enc);
        let length = range.end.character.saturating_sub(range.start.character);
        if range.start.line != range.end.line || length == 0 {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 {
            range.start.character - col
        } else {
            range.start.character
        };
        let modifiers = if t.unknown {
            UNKNOWN
        } else if matches!(t.kind, TokenKind::Receiver | TokenKind::Method) {
            DEFAULT_LIBRARY
        } else {
            0
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: type_index(t.kind),
            token_modifiers_bitset: modifiers,
        });
        (line, col) = (range.start.line, range.start.character);
    }
    Some(out)
}

pub async fn full(state: &Arc<State>, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    tasks::blocking("semantic tokens", move || {
        let data = compute(&st, &uri)?;
        let id = remember(&uri, &data);
        Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(id),
            data,
        }))
    })
    .await
}

pub async fn delta(
    state: &Arc<State>,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    let previous = params.previous_result_id;
    tasks::blocking("semantic tokens", move || {
        let data = compute(&st, &uri)?;
        let before = last()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&uri)
            .filter(|(id, _)| *id == previous)
            .map(|(_, d)| d.clone());
        let id = remember(&uri, &data);
        Some(match before {
            Some(before) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(id),
                edits: diff(&before, &data),
            }),
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            }),
        })
    })
    .await
}

/// One edit replacing what differs between the common prefix and suffix
/// (in units of integers, as the protocol counts: five per token).
fn diff(before: &[SemanticToken], after: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(after[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = before.len() - prefix - suffix;
    let added = &after[prefix..after.len() - suffix];
    if removed == 0 && added.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: (removed * 5) as u32,
        data: Some(added.to_vec()),
    }]
}
