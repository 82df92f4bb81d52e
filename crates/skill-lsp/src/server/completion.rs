//! `textDocument/completion`: the core's completion items at the cursor,
//! with their byte ranges converted in the negotiated encoding.
//!
//! Each request parses the open document's snapshot and reads the workspace
//! index the server already holds (loaded once per root, kept current by the
//! watcher): no disk reads per request.

use std::path::PathBuf;
use std::sync::Arc;

use super::position::Lines;
use skill_core::ide::completion::{self, Item, ItemKind};
use skill_core::{Config, SkillDoc, TextRange, Workspace};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionList, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InsertTextFormat, MarkupContent, MarkupKind, Position,
    TextDocumentPositionParams, TextEdit, Uri,
};

use super::documents::Snapshot;
use super::position::{self, PositionEncoding};
use super::state::State;
use super::tasks;

/// Characters after which editors ask for completion unprompted: a
/// receiver's `.`, an argument's opening quote or separator, a heading's `#`
/// (also a link's fragment), a link's `(` and each `/` of its path.
pub const TRIGGERS: &[char] = &['.', '"', '(', ',', '#', '/'];

/// An open skill at a position, parsed, with the index of its workspace.
pub struct AtCursor {
    pub doc: Arc<SkillDoc>,
    pub workspace: Arc<Workspace>,
    /// The document's config with the client's settings applied.
    pub config: Config,
    pub lines: Lines,
    pub offset: usize,
    pub enc: PositionEncoding,
}

/// The open skill `uri` with its snapshot, or `None` for a document that is
/// not open or not a skill.
pub fn snapshot(state: &State, uri: &Uri) -> Option<Snapshot> {
    let snap = state.documents.get(uri)?;
    state.is_skill(&snap).then_some(snap)
}

/// Runs `f` off the message loop (see [`tasks::blocking`]) on the open skill
/// `at` names, read at its position; `None` at once for a document that is
/// not open or not a skill. `f` also gets the state and the snapshot read.
pub async fn on_cursor<T, F>(
    state: &Arc<State>,
    what: &'static str,
    at: TextDocumentPositionParams,
    f: F,
) -> Result<Option<T>>
where
    F: FnOnce(&State, &Snapshot, AtCursor) -> Option<T> + Send + 'static,
    T: Send + 'static,
{
    let Some(snap) = snapshot(state, &at.text_document.uri) else {
        return Ok(None);
    };
    let st = state.clone();
    tasks::blocking(what, move || {
        let cur = AtCursor::read(&st, &snap, at.position);
        f(&st, &snap, cur)
    })
    .await
}

impl AtCursor {
    /// Parses the snapshot and finds its workspace (blocking: the first
    /// request for a root may wait for its index to load).
    pub fn read(state: &State, snap: &Snapshot, pos: Position) -> AtCursor {
        let enc = state.support().encoding;
        let path: Option<PathBuf> = snap.path();
        let ctx = state.workspaces.context_for(path.as_deref());
        let config = state.settings().apply(&ctx.config.config);
        let offset = position::offset(&snap.lines, pos, enc);
        AtCursor {
            doc: state.parse(snap),
            workspace: ctx.workspace,
            config,
            lines: snap.lines.clone(),
            offset,
            enc,
        }
    }

    pub fn range(&self, r: TextRange) -> tower_lsp_server::ls_types::Range {
        position::range(&self.lines, r, self.enc)
    }
}

pub async fn completion(state: &Arc<State>, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let support = state.support();
    let (snippets, label_details) = (support.snippets, support.label_details);
    on_cursor(state, "completion", params.text_document_position, move |_, _, cur| {
        let items = completion::complete(&cur.doc, &cur.workspace, &cur.config, cur.offset, snippets);
        let items: Vec<CompletionItem> = items.iter().map(|i| to_lsp(&cur, i, label_details)).collect();
        if items.is_empty() {
            return None;
        }
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        }))
    })
    .await
}

/// What an item replaces, as the protocol requires it: on the cursor's line
/// and holding the cursor.
fn edit_range(cur: &AtCursor, r: TextRange) -> TextRange {
    let text = &cur.doc.text;
    if r.start > cur.offset || r.end < cur.offset || r.end > text.len() {
        return TextRange::empty(cur.offset);
    }
    let before = text[r.start..cur.offset]
        .rfind('\n')
        .map_or(r.start, |i| r.start + i + 1);
    let after = text[cur.offset..r.end]
        .find(['\n', '\r'])
        .map_or(r.end, |i| cur.offset + i);
    TextRange::new(before, after)
}

/// `label_details`: whether the client shows `labelDetails`; the overloads of
/// a method share a label and differ there.
fn to_lsp(cur: &AtCursor, item: &Item, label_details: bool) -> CompletionItem {
    let range = cur.range(edit_range(cur, item.replace));
    let details =
        (item.label_detail.is_some() || item.label_description.is_some()).then(|| CompletionItemLabelDetails {
            detail: item.label_detail.clone(),
            description: item.label_description.clone(),
        });
    CompletionItem {
        label: item.label.clone(),
        label_details: details.filter(|_| label_details),
        kind: Some(kind(item.kind)),
        detail: item.detail.clone(),
        documentation: item.documentation.as_ref().map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d.clone(),
            })
        }),
        sort_text: Some(item.sort.clone()),
        filter_text: item.filter.clone(),
        insert_text_format: Some(if item.snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, item.insert.clone()))),
        ..CompletionItem::default()
    }
}

fn kind(k: ItemKind) -> CompletionItemKind {
    match k {
        ItemKind::Method => CompletionItemKind::METHOD,
        ItemKind::Interface => CompletionItemKind::INTERFACE,
        ItemKind::Keyword => CompletionItemKind::FIELD,
        ItemKind::Property => CompletionItemKind::PROPERTY,
        ItemKind::Value => CompletionItemKind::VALUE,
        ItemKind::Folder => CompletionItemKind::FOLDER,
        ItemKind::File => CompletionItemKind::FILE,
        ItemKind::Module => CompletionItemKind::MODULE,
        ItemKind::Snippet => CompletionItemKind::SNIPPET,
        ItemKind::Heading => CompletionItemKind::REFERENCE,
    }
}
