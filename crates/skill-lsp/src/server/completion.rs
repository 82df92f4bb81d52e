//! `textDocument/completion`: the core's completion items at the cursor,
//! with their byte ranges converted in the negotiated encoding (the open
//! skill at the cursor is read by [`super::cursor`]).

use std::sync::Arc;

use skill_core::ide::completion::{self, Item, ItemKind};
use skill_core::TextRange;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionList, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InsertTextFormat, MarkupContent, MarkupKind, TextEdit,
};

use super::cursor::{on_cursor, AtCursor};
use super::state::State;

/// Characters after which editors ask for completion unprompted: a
/// receiver's `.`, an argument's opening quote or separator, a heading's `#`
/// (also a link's fragment), a link's `(` and each `/` of its path.
pub const TRIGGERS: &[char] = &['.', '"', '(', ',', '#', '/'];

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
