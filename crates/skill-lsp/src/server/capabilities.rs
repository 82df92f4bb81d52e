//! What the client can do (read once from `initialize`), and what the server
//! announces in return. New features (completion, hover, definition, ...)
//! announce themselves in [`server_capabilities`].

use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DiagnosticOptions, DiagnosticServerCapabilities, DiagnosticTag, DocumentLinkOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, OneOf, RenameOptions, ResourceOperationKind, SaveOptions,
    ServerCapabilities, SignatureHelpOptions, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, WorkDoneProgressOptions, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};

use super::position::{self, PositionEncoding};
use tower_lsp_server::ls_types::{
    CallHierarchyServerCapability, CodeLensOptions, ExecuteCommandOptions, SelectionRangeProviderCapability,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensServerCapabilities,
};

/// The code action kind of "fix everything safely fixable in this file".
pub const FIX_ALL_KIND: CodeActionKind = CodeActionKind::new("source.fixAll.skill-lsp");

/// The client's abilities the server acts on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientSupport {
    pub encoding: PositionEncoding,
    /// `textDocument/diagnostic`: the client pulls, so the server never pushes.
    pub pull_diagnostics: bool,
    /// `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// `workspace/configuration`.
    pub configuration: bool,
    /// `window/workDoneProgress/create`.
    pub work_done_progress: bool,
    /// `client/registerCapability` for `workspace/didChangeWatchedFiles`.
    pub watch_registration: bool,
    /// `client/registerCapability` for `workspace/didChangeConfiguration`.
    pub configuration_registration: bool,
    /// `WorkspaceEdit.documentChanges` (edits that name the document version).
    pub versioned_edits: bool,
    /// Completion items may insert snippets (tab stops, placeholders).
    pub snippets: bool,
    /// Completion items may carry `labelDetails` (shown beside the label).
    pub label_details: bool,
    /// `textDocument/prepareRename`.
    pub prepare_rename: bool,
    /// `documentChanges` may rename files and folders (`resourceOperations` holds `rename`).
    pub rename_files: bool,
    /// `publishDiagnostics.codeDescriptionSupport`: a link to the rule's page.
    pub code_description: bool,
    /// `publishDiagnostics.tagSupport` lists `Unnecessary` (shown faded).
    pub unnecessary_tag: bool,
    /// `publishDiagnostics.relatedInformation`: a finding's other places.
    pub related_information: bool,
}

impl ClientSupport {
    pub fn read(caps: &ClientCapabilities) -> ClientSupport {
        let offered = caps.general.as_ref().and_then(|g| g.position_encodings.as_deref());
        let ws = caps.workspace.as_ref();
        let publish = caps.text_document.as_ref().and_then(|t| t.publish_diagnostics.as_ref());
        ClientSupport {
            encoding: position::negotiate(offered),
            pull_diagnostics: caps.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: ws.and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support) == Some(true),
            configuration: ws.and_then(|w| w.configuration) == Some(true),
            work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress) == Some(true),
            watch_registration: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true),
            configuration_registration: ws
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true),
            versioned_edits: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                == Some(true),
            snippets: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                == Some(true),
            label_details: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.label_details_support)
                == Some(true),
            prepare_rename: caps
                .text_document
                .as_ref()
                .and_then(|t| t.rename.as_ref())
                .and_then(|r| r.prepare_support)
                == Some(true),
            rename_files: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Rename)),
            code_description: publish.and_then(|p| p.code_description_support) == Some(true),
            unnecessary_tag: publish
                .and_then(|p| p.tag_support.as_ref())
                .is_some_and(|t| t.value_set.contains(&DiagnosticTag::UNNECESSARY)),
            related_information: publish.and_then(|p| p.related_information) == Some(true),
        }
    }
}

/// The server's capabilities for a client with `support`.
pub fn server_capabilities(support: &ClientSupport) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(position::kind(support.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        // Announced only to clients that pull, so that no client gets both.
        diagnostic_provider: support.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("skill-lsp".into()),
                // A skill's diagnostics depend on interface and context files.
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(super::completion::TRIGGERS.iter().map(|c| c.to_string()).collect()),
            resolve_provider: Some(false),
            ..CompletionOptions::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            retrigger_characters: Some(vec![",".into()]),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, FIX_ALL_KIND]),
            work_done_progress_options: WorkDoneProgressOptions::default(),
            resolve_provider: Some(false),
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        // `prepareProvider` only for clients that said they send `prepareRename`.
        rename_provider: Some(if support.prepare_rename {
            OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        } else {
            OneOf::Left(true)
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                work_done_progress_options: WorkDoneProgressOptions::default(),
                legend: super::tokens::legend(),
                range: None,
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        call_hierarchy_provider: Some(CallHierarchyServerCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: super::lens::server_commands(),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn caps(value: serde_json::Value) -> ClientCapabilities {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_bare_client_gets_utf16_and_push_diagnostics() {
        let support = ClientSupport::read(&ClientCapabilities::default());
        assert_eq!(support, ClientSupport::default());
        let server = server_capabilities(&support);
        assert!(server.diagnostic_provider.is_none());
        assert_eq!(server.position_encoding, Some(position::kind(PositionEncoding::Utf16)));
    }

    #[test]
    fn a_rich_client_gets_utf8_and_pull_diagnostics() {
        let support = ClientSupport::read(&caps(json!({
            "general": {"positionEncodings": ["utf-16", "utf-8"]},
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {
                "configuration": true,
                "diagnostics": {"refreshSupport": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "workspaceEdit": {"documentChanges": true}
            },
            "window": {"workDoneProgress": true}
        })));
        assert_eq!(support.encoding, PositionEncoding::Utf8);
        assert!(support.pull_diagnostics && support.diagnostic_refresh && support.configuration);
        assert!(support.work_done_progress && support.watch_registration && support.versioned_edits);
        assert!(!support.configuration_registration);
        assert!(server_capabilities(&support).diagnostic_provider.is_some());
    }
}
