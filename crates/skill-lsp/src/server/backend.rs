//! The `LanguageServer` implementation: each handler is a line or two that
//! hands over to the module doing the work. A new request (completion,
//! hover, definition, ...) is one more method here, a capability in
//! `capabilities.rs`, and a module taking a snapshot to `tasks::blocking`.
//!
//! `didOpen`, `didChange` and `didClose` never reach this type: they are
//! applied in arrival order by `ordering.rs` before the next message is read.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, DidChangeConfigurationParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, DidSaveTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReportResult, InitializeParams, InitializeResult, InitializedParams, ServerInfo,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReportResult,
};
use tower_lsp_server::ls_types::{
    CompletionParams, CompletionResponse, Hover, HoverParams, SignatureHelp, SignatureHelpParams,
};
use tower_lsp_server::ls_types::{
    DocumentLink, DocumentLinkParams, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams, RenameParams,
    TextDocumentPositionParams, WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use tower_lsp_server::{Client, LanguageServer};

use super::capabilities::{server_capabilities, ClientSupport};
use super::documents::file_path;
use super::settings::ClientSettings;
use super::state::State;
use super::{code_actions, navigation, pull, rename, scheduler, setup, symbols, watch};
use super::{completion, hover, signature};
use super::{formatting, hierarchy, highlight, inlay, lens, tokens};
use tower_lsp_server::ls_types::{
    CallHierarchyIncomingCall, CallHierarchyIncomingCallsParams, CallHierarchyItem, CallHierarchyOutgoingCall,
    CallHierarchyOutgoingCallsParams, CallHierarchyPrepareParams, DocumentFormattingParams, DocumentHighlight,
    DocumentHighlightParams, DocumentRangeFormattingParams, InlayHint, InlayHintParams, SelectionRange,
    SelectionRangeParams, SemanticTokensDeltaParams, SemanticTokensFullDeltaResult, SemanticTokensParams,
    SemanticTokensResult, TextEdit,
};
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams, ExecuteCommandParams, LSPAny};

pub struct Backend {
    pub state: Arc<State>,
    /// Problems with `initializationOptions`, shown once the client can see them.
    init_problems: std::sync::Mutex<Vec<String>>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            state: Arc::new(State::new(client)),
            init_problems: Default::default(),
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let support = ClientSupport::read(&params.capabilities);
        tracing::info!(encoding = ?support.encoding, pull = support.pull_diagnostics, "initialize");
        self.state.set_folders(folders(&params));
        if let Some(options) = params.initialization_options.as_ref().filter(|v| !v.is_null()) {
            let (settings, problems) = ClientSettings::parse(options);
            self.state.set_settings(settings);
            *self.init_problems.lock().unwrap_or_else(|e| e.into_inner()) = problems;
        }
        if !support.configuration {
            // No settings will be asked for: checks need not wait.
            self.state.mark_ready();
        }
        self.state.set_support(support);
        Ok(InitializeResult {
            capabilities: server_capabilities(&support),
            server_info: Some(ServerInfo {
                name: "skill-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let problems = std::mem::take(&mut *self.init_problems.lock().unwrap_or_else(|e| e.into_inner()));
        // In the background: it waits for client answers and reads the disk.
        tokio::spawn(setup::after_initialized(self.state.clone(), problems));
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        self.state.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if let Some(snap) = self.state.documents.get(&params.text_document.uri) {
            scheduler::check(&self.state, snap);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        setup::configuration_changed(&self.state, params.settings).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        watch::changed(&self.state, &params.changes);
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let removed: Vec<PathBuf> = params.event.removed.iter().filter_map(|f| file_path(&f.uri)).collect();
        let added: Vec<PathBuf> = params.event.added.iter().filter_map(|f| file_path(&f.uri)).collect();
        let mut folders = self.state.folders();
        folders.retain(|f| !removed.contains(f));
        folders.extend(added.iter().cloned());
        self.state.set_folders(folders);
        tokio::spawn({
            let state = self.state.clone();
            async move { setup::index(&state, added).await }
        });
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        pull::document(&self.state, params).await
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        pull::workspace(&self.state, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        code_actions::code_action(&self.state, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        completion::completion(&self.state, params).await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        signature::signature_help(&self.state, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        hover::hover(&self.state, params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        navigation::definition(&self.state, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        navigation::references(&self.state, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        navigation::document_links(&self.state, params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        symbols::document_symbols(&self.state, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        symbols::folding_ranges(&self.state, params).await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        symbols::workspace_symbols(&self.state, params).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        rename::prepare(&self.state, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        rename::rename(&self.state, params).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        formatting::format(&self.state, params).await
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        formatting::format_range(&self.state, params).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        tokens::full(&self.state, params).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        tokens::delta(&self.state, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        inlay::inlay_hints(&self.state, params).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        highlight::document_highlight(&self.state, params).await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        highlight::selection_range(&self.state, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        lens::code_lens(&self.state, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        lens::execute_command(&self.state, params).await
    }

    async fn prepare_call_hierarchy(
        &self,
        params: CallHierarchyPrepareParams,
    ) -> Result<Option<Vec<CallHierarchyItem>>> {
        hierarchy::prepare(&self.state, params).await
    }

    async fn incoming_calls(
        &self,
        params: CallHierarchyIncomingCallsParams,
    ) -> Result<Option<Vec<CallHierarchyIncomingCall>>> {
        hierarchy::incoming(&self.state, params).await
    }

    async fn outgoing_calls(
        &self,
        params: CallHierarchyOutgoingCallsParams,
    ) -> Result<Option<Vec<CallHierarchyOutgoingCall>>> {
        hierarchy::outgoing(&self.state, params).await
    }
}

/// The workspace folders as paths: `workspaceFolders`, else the deprecated `rootUri`.
#[allow(deprecated)]
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    match &params.workspace_folders {
        Some(folders) => folders.iter().filter_map(|f| file_path(&f.uri)).collect(),
        None => params.root_uri.as_ref().and_then(file_path).into_iter().collect(),
    }
}
