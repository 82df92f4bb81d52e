//! `textDocument/definition`, `textDocument/references` and
//! `textDocument/documentLink` over `skill_core::ide::navigation`, and
//! [`Sources`], which the navigation, symbol and rename requests share: the
//! text of every file a request reads (an open document's current text, else
//! the file on disk) and the conversion of byte ranges into it to LSP
//! locations.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::position::Lines;
use skill_core::ide::navigation::{self, Location as CoreLocation};
use skill_core::workspace::MAX_FILE_BYTES;
use skill_core::{SkillDoc, Workspace};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentLink, DocumentLinkParams, GotoDefinitionParams, GotoDefinitionResponse, Location, Position, Range,
    ReferenceParams, Uri,
};

use super::documents::Snapshot;
use super::position::{self, PositionEncoding};
use super::state::State;
use super::tasks;
use super::workspace::normalize;

/// One file's text as a request sees it.
#[derive(Clone)]
pub struct Source {
    pub uri: Uri,
    pub text: Arc<str>,
    pub lines: Lines,
    /// The editor's version, for open documents.
    pub version: Option<i32>,
}

/// The files one request reads, each read once: open documents from the
/// editor (their unsaved text), the rest from disk (at most
/// [`MAX_FILE_BYTES`], invalid UTF-8 replaced).
pub struct Sources {
    open: HashMap<PathBuf, Snapshot>,
    read: Mutex<HashMap<PathBuf, Option<Source>>>,
    pub enc: PositionEncoding,
}

impl Sources {
    pub fn new(state: &State) -> Sources {
        let open = state
            .documents
            .all()
            .into_iter()
            .filter_map(|snap| Some((normalize(&snap.path()?), snap)))
            .collect();
        Sources {
            open,
            read: Mutex::default(),
            enc: state.support().encoding,
        }
    }

    /// The file at `path`, read on first use.
    pub fn get(&self, path: &Path) -> Option<Source> {
        let key = normalize(path);
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = read.get(&key) {
            return found.clone();
        }
        let source = match self.open.get(&key) {
            Some(snap) => Some(Source {
                uri: snap.uri.clone(),
                text: snap.text(),
                lines: snap.lines.clone(),
                version: Some(snap.version),
            }),
            None => read_disk(&key).and_then(|text| {
                Some(Source {
                    uri: Uri::from_file_path(&key)?,
                    lines: Lines::new(text.clone()),
                    text,
                    version: None,
                })
            }),
        };
        read.insert(key, source.clone());
        source
    }

    /// The text of `path`, for the core's `ReadFile`.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.get(path).map(|s| s.text)
    }

    /// The LSP location of a core location. The top of something no text
    /// is read from — a folder a link names, a file too large to read —
    /// is its URI at 0:0.
    pub fn location(&self, loc: &CoreLocation) -> Option<Location> {
        match self.get(&loc.path) {
            Some(source) => Some(Location::new(
                source.uri.clone(),
                position::range(&source.lines, loc.range, self.enc),
            )),
            None if loc.range.is_empty() && loc.range.start == 0 && loc.path.exists() => Some(Location::new(
                Uri::from_file_path(normalize(&loc.path))?,
                Range::default(),
            )),
            None => None,
        }
    }
}

/// A file's text from disk, when it is a file of at most [`MAX_FILE_BYTES`].
fn read_disk(path: &Path) -> Option<Arc<str>> {
    // Asked before opening: opening a named pipe waits for a writer, forever.
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return None;
    }
    Some(Arc::from(String::from_utf8_lossy(&bytes).as_ref()))
}

/// What a position request works on: the document parsed, its workspace,
/// the cursor as a byte offset, and the files it may read.
pub struct Request {
    pub doc: Arc<SkillDoc>,
    pub ws: Arc<Workspace>,
    pub offset: usize,
    /// The document's text as the editor has it, to convert its ranges.
    pub lines: Lines,
    /// The editor's version of the document.
    pub version: i32,
    pub sources: Sources,
}

/// Gathers what a request on an open document needs: `None` when the
/// document is not open. Reads the disk, so call it on a blocking thread.
pub fn request(state: &State, uri: &Uri, pos: Option<Position>) -> Option<Request> {
    let snap = state.documents.get(uri)?;
    let mut sources = Sources::new(state);
    let path = snap.path();
    // The document as parsed here, not a later edit of it: its ranges
    // convert against this text wherever they are reported.
    if let Some(p) = &path {
        sources.open.insert(normalize(p), snap.clone());
    }
    let ws = state.workspaces.context_for(path.as_deref()).workspace;
    let offset = pos.map_or(0, |p| position::offset(&snap.lines, p, sources.enc));
    let doc = state.parse(&snap);
    Some(Request {
        doc,
        ws,
        offset,
        lines: snap.lines,
        version: snap.version,
        sources,
    })
}

/// [`request`] for what only means something in a skill (formatting, inlay
/// hints, semantic tokens): `None` for any other document, an interface
/// document among them, so formatting never rewrites one as a skill.
pub fn skill_request(state: &State, uri: &Uri) -> Option<Request> {
    let snap = state.documents.get(uri)?;
    state.is_skill(&snap).then(|| request(state, uri, None))?
}

pub async fn definition(state: &Arc<State>, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let st = state.clone();
    let at = params.text_document_position_params;
    tasks::blocking("going to the definition", move || {
        let r = request(&st, &at.text_document.uri, Some(at.position))?;
        let found = navigation::definition(&r.doc, &r.ws, r.offset, &|p| r.sources.text(p));
        let locations: Vec<Location> = found.iter().filter_map(|l| r.sources.location(l)).collect();
        match locations.len() {
            0 => None,
            1 => locations.into_iter().next().map(GotoDefinitionResponse::Scalar),
            _ => Some(GotoDefinitionResponse::Array(locations)),
        }
    })
    .await
}

pub async fn references(state: &Arc<State>, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let st = state.clone();
    let at = params.text_document_position;
    let include_declaration = params.context.include_declaration;
    tasks::blocking("finding references", move || {
        let r = request(&st, &at.text_document.uri, Some(at.position))?;
        let found = navigation::references(&r.doc, &r.ws, r.offset, include_declaration, &|p| r.sources.text(p));
        Some(found.iter().filter_map(|l| r.sources.location(l)).collect())
    })
    .await
}

pub async fn document_links(state: &Arc<State>, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
    let st = state.clone();
    let uri = params.text_document.uri;
    tasks::blocking("listing links", move || {
        let r = request(&st, &uri, None)?;
        let links = navigation::document_links(&r.doc, &r.ws, &|p| r.sources.text(p));
        Some(
            links
                .iter()
                .filter_map(|link| {
                    let target = r.sources.location(&link.target)?;
                    Some(DocumentLink {
                        range: position::range(&r.lines, link.range, r.sources.enc),
                        target: Some(link_target(&target)),
                        tooltip: Some(tooltip(&link.target.path)),
                        data: None,
                    })
                })
                .collect(),
        )
    })
    .await
}

/// The target URI of a document link: the file, with `#L<line>` (one-based,
/// as editors read it) when it leads to a heading below the top.
fn link_target(target: &Location) -> Uri {
    let line = target.range.start.line;
    if line == 0 {
        return target.uri.clone();
    }
    format!("{}#L{}", target.uri.as_str(), line + 1)
        .parse()
        .unwrap_or_else(|_| target.uri.clone())
}

fn tooltip(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!("Open {name}")
}
