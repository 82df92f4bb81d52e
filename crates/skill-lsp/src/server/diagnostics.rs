//! Checking one snapshot with skill-core, and turning the core's diagnostics
//! into LSP ones. Pure and blocking: callers run it off the message loop.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use super::position::Lines;
use skill_core::{BlockFindings, Severity, SkillDoc};
use tower_lsp_server::ls_types::{self as lsp, NumberOrString};

use super::capabilities::ClientSupport;
use super::documents::Snapshot;
use super::position::{self, PositionEncoding};
use super::settings::ClientSettings;
use super::workspace::Workspaces;
use crate::project;

/// `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "skill-lsp";

/// The file name of a skill; other documents are not checked.
pub const SKILL_FILE: &str = "SKILL.md";

/// Whether a document is a skill: a `SKILL.md` file, or any document the
/// client says is in the `skill` language, except an interface document of
/// a skills root (`interfaces/*.md`), whatever language it is sent in (a
/// client pattern such as `**/*.md` sends those as `skill` too).
pub fn is_skill(workspaces: &Workspaces, path: Option<&Path>, language_id: &str) -> bool {
    claims_skill(path, language_id) && !path.is_some_and(|p| workspaces.is_interface_document(p))
}

/// What the name and language of a document say, before the project resolver
/// is asked whether it is an interface document.
fn claims_skill(path: Option<&Path>, language_id: &str) -> bool {
    language_id == "skill"
        || path
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.eq_ignore_ascii_case(SKILL_FILE))
}

/// The outcome of checking one text, kept for code actions and pull requests.
#[derive(Debug)]
pub struct Checked {
    /// The document revision checked (0 for files read from disk).
    pub revision: u64,
    /// The workspace/settings generation the check used.
    pub generation: u64,
    pub version: Option<i32>,
    /// The text checked: ranges convert against it.
    pub lines: Lines,
    pub text: Arc<str>,
    /// The parse the diagnostics came from (`None` when the text was not
    /// checked: ignored or too large). The next check of the document
    /// updates it rather than parsing the whole text again.
    pub doc: Option<Arc<SkillDoc>>,
    /// What the block rules found in `doc`: the next check reuses what
    /// they found in the blocks its edit did not touch.
    pub block_findings: BlockFindings,
    pub diagnostics: Vec<skill_core::Diagnostic>,
    /// For each of `diagnostics`, whether the config's baseline records it:
    /// shown as a hint, as known debt rather than a new defect.
    pub baselined: Vec<bool>,
    /// The URL template of rules' pages the document's config names.
    pub docs_url: Arc<str>,
}

/// Why a check produced nothing.
#[derive(Debug)]
pub struct CheckPanicked(pub String);

/// Checks a snapshot with the workspace and config it belongs to, from
/// `parse` (an earlier parse of the document, with the revision parsed)
/// when there is one: taken as it is when it is of the snapshot's revision,
/// else updated; what the block rules found in the last check (`last`: that
/// check's parse and findings) is reused for the blocks the edit left alone.
/// A panic in the core is caught and returned as an error, so the server
/// lives on.
pub fn check_snapshot(
    snap: &Snapshot,
    parse: Option<(u64, &Arc<SkillDoc>)>,
    last: Option<(&SkillDoc, &BlockFindings)>,
    workspaces: &Workspaces,
    settings: &ClientSettings,
    generation: u64,
    on_config_error: &dyn Fn(&str),
) -> Result<Checked, CheckPanicked> {
    let text = snap.text();
    let Found {
        doc,
        block_findings,
        diagnostics,
        baselined,
        docs_url,
    } = run_check(
        &snap.lines,
        parse.map(|(revision, doc)| (revision == snap.revision, doc)),
        last,
        snap.path().as_deref(),
        workspaces,
        settings,
        on_config_error,
    )?;
    Ok(Checked {
        revision: snap.revision,
        generation,
        version: Some(snap.version),
        lines: snap.lines.clone(),
        text,
        doc,
        block_findings,
        diagnostics,
        baselined,
        docs_url,
    })
}

/// Checks a file's text read from disk.
pub fn check_text(
    text: Arc<str>,
    path: Option<&Path>,
    workspaces: &Workspaces,
    settings: &ClientSettings,
    generation: u64,
    on_config_error: &dyn Fn(&str),
) -> Result<Checked, CheckPanicked> {
    let lines = Lines::new(text.clone());
    let Found {
        doc,
        block_findings,
        diagnostics,
        baselined,
        docs_url,
    } = run_check(&lines, None, None, path, workspaces, settings, on_config_error)?;
    Ok(Checked {
        revision: 0,
        generation,
        version: None,
        lines,
        text,
        doc,
        block_findings,
        diagnostics,
        baselined,
        docs_url,
    })
}

/// What a check found.
struct Found {
    /// The parse checked, when the text was checked.
    doc: Option<Arc<SkillDoc>>,
    block_findings: BlockFindings,
    diagnostics: Vec<skill_core::Diagnostic>,
    /// Whether the baseline records each of `diagnostics`.
    baselined: Vec<bool>,
    /// The URL template of the rules' pages.
    docs_url: Arc<str>,
}

/// `parse`: an earlier parse of the document, and whether it is of this
/// very text; `last`: the last check's parse and block rules' findings.
fn run_check(
    lines: &Lines,
    parse: Option<(bool, &Arc<SkillDoc>)>,
    last: Option<(&SkillDoc, &BlockFindings)>,
    path: Option<&Path>,
    workspaces: &Workspaces,
    settings: &ClientSettings,
    on_config_error: &dyn Fn(&str),
) -> Result<Found, CheckPanicked> {
    let text = lines.text().clone();
    let ctx = workspaces.context_for(path);
    if let Some(error) = &ctx.config.error {
        on_config_error(error);
    }
    // A `[workflow.calls]` entry the root's interfaces cannot make: the
    // config applies, and SK205 would fire in every skill; said as `check` says it.
    let uncallable = ctx.config.uncallable(&ctx.workspace);
    if !uncallable.is_empty() {
        let lines: Vec<String> = uncallable.iter().map(|p| p.describe()).collect();
        on_config_error(&lines.join("\n"));
    }
    let config = settings.apply(&ctx.config.config);
    let docs_url: Arc<str> = config
        .docs_url
        .as_deref()
        .unwrap_or(skill_core::rules::DEFAULT_DOCS_URL)
        .into();
    let unchecked = |diagnostics: Vec<skill_core::Diagnostic>| Found {
        doc: None,
        block_findings: BlockFindings::default(),
        baselined: vec![false; diagnostics.len()],
        diagnostics,
        docs_url: docs_url.clone(),
    };
    if ctx.ignored {
        return Ok(unchecked(Vec::new()));
    }
    if text.len() > MAX_CHECKED_BYTES {
        return Ok(unchecked(vec![too_large(text.len())]));
    }
    // The baseline `check` compares this file with (read again each time:
    // the file is small, and rewriting it must take effect at once). One that
    // cannot be read marks nothing; `check` reports why.
    let baseline = path.and_then(|p| {
        let file = project::baseline::configured(&ctx.config)?;
        let read = project::baseline::read(&file).ok()?;
        Some(project::baseline::matcher(&file, &read, p))
    });
    let checked = catch_unwind(AssertUnwindSafe(|| {
        // Debug builds only: a marker that makes the check panic, so tests
        // can see how a failing check is reported.
        #[cfg(debug_assertions)]
        if text.contains(DEBUG_PANIC_MARKER) {
            panic!("a deliberate panic ({DEBUG_PANIC_MARKER})");
        }
        // The line index the server keeps of the text serves the parse too.
        let index = lines.index().clone();
        let doc = match parse.filter(|(_, previous)| previous.path.as_deref() == path) {
            Some((true, previous)) => previous.clone(),
            Some((false, previous)) => Arc::new(previous.update_indexed(text, index)),
            None => Arc::new(SkillDoc::parse_indexed(text, path.map(Path::to_path_buf), index)),
        };
        let (diagnostics, block_findings) = skill_core::check_reusing(
            &doc,
            last.filter(|(old, _)| old.path.as_deref() == path),
            &ctx.workspace,
            &config,
        );
        let baselined = match baseline {
            Some(mut matcher) => diagnostics
                .iter()
                .map(|d| matcher.take(d.code, &skill_core::baseline::fingerprint(&doc.text, d)))
                .collect(),
            None => vec![false; diagnostics.len()],
        };
        (doc, block_findings, diagnostics, baselined)
    }))
    .map_err(|panic| CheckPanicked(panic_message(&*panic)));
    // Linked files the check found too large to read are named, as what indexing skipped is.
    workspaces.notices.checked(&ctx.workspace);
    checked.map(|(doc, block_findings, diagnostics, baselined)| Found {
        doc: Some(doc),
        block_findings,
        diagnostics,
        baselined,
        docs_url,
    })
}

/// In debug builds, checking a text that holds this panics (see `run_check`).
#[cfg(debug_assertions)]
const DEBUG_PANIC_MARKER: &str = "skill-lsp-debug-panic-in-check";

/// Documents larger than this are not checked (8 MiB, as on the command
/// line): far beyond any real skill, and checking one would hold a worker
/// for seconds and its model hundreds of megabytes.
pub const MAX_CHECKED_BYTES: usize = 8 * 1024 * 1024;

/// The one diagnostic of a document too large to check, at its start.
pub fn too_large(len: usize) -> skill_core::Diagnostic {
    skill_core::Diagnostic {
        code: "too-large",
        severity: Severity::Warning,
        range: skill_core::TextRange::empty(0),
        message: format!(
            "This file is {len} bytes, more than the {MAX_CHECKED_BYTES} bytes skill-lsp checks, so it was not \
             checked; a skill is a few kilobytes: move long material into files of its own"
        ),
        fix: None,
        related: Vec::new(),
    }
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The LSP form of the core's diagnostics of the document `uri`, ranges in
/// the negotiated encoding, with what the client says it can show: a link to
/// each rule's page (`codeDescription`), the other places a finding involves
/// (`relatedInformation`) and `Unnecessary` on unused suppressions.
pub fn to_lsp(checked: &Checked, uri: &lsp::Uri, support: &ClientSupport) -> Vec<lsp::Diagnostic> {
    checked
        .diagnostics
        .iter()
        .zip(checked.baselined.iter().chain(std::iter::repeat(&false)))
        .map(|(d, &baselined)| {
            let mut item = to_lsp_one(&checked.lines, d, support.encoding);
            if baselined {
                item.severity = Some(lsp::DiagnosticSeverity::HINT);
                item.message.push_str(" (recorded in the baseline)");
            }
            decorate(&mut item, d, &checked.docs_url, support);
            if support.related_information && !d.related.is_empty() {
                item.related_information = Some(related(&checked.lines, uri, d, support.encoding));
            }
            item
        })
        .collect()
}

/// A finding's other places: in its own document converted against its
/// lines, in another file at the place the core names (that file's start).
fn related(
    lines: &Lines,
    uri: &lsp::Uri,
    d: &skill_core::Diagnostic,
    enc: PositionEncoding,
) -> Vec<lsp::DiagnosticRelatedInformation> {
    d.related
        .iter()
        .filter_map(|r| {
            let location = match &r.path {
                None => lsp::Location::new(uri.clone(), position::range(lines, r.range, enc)),
                Some(path) => lsp::Location::new(lsp::Uri::from_file_path(path)?, lsp::Range::default()),
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect()
}

/// Adds the optional parts of a diagnostic the client supports.
pub fn decorate(item: &mut lsp::Diagnostic, d: &skill_core::Diagnostic, docs_url: &str, support: &ClientSupport) {
    let rule = skill_core::rules::find(d.code);
    if support.code_description {
        if let Some(href) = rule.and_then(|r| skill_core::rules::docs_url(docs_url, r).parse::<lsp::Uri>().ok()) {
            item.code_description = Some(lsp::CodeDescription { href });
        }
    }
    if support.unnecessary_tag && skill_core::suppress::is_unnecessary(d.code) {
        item.tags = Some(vec![lsp::DiagnosticTag::UNNECESSARY]);
    }
}

pub fn to_lsp_one(lines: &Lines, d: &skill_core::Diagnostic, enc: PositionEncoding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: position::range(lines, d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        // Marks the diagnostics a quick fix can mend, so clients may show it.
        data: d.fix.as_ref().map(|f| serde_json::json!({ "fix": f.title })),
        ..lsp::Diagnostic::default()
    }
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skill_core::TextRange;

    #[test]
    fn skills_are_skill_md_files_or_the_skill_language() {
        let ws = Workspaces::default();
        assert!(is_skill(&ws, Some(Path::new("/w/skills/a/SKILL.md")), "markdown"));
        assert!(is_skill(&ws, Some(Path::new("/w/skills/a/skill.md")), "markdown"));
        assert!(!is_skill(&ws, Some(Path::new("/w/README.md")), "markdown"));
        assert!(is_skill(&ws, None, "skill"));
        assert!(!is_skill(&ws, None, "markdown"));
    }

    #[test]
    fn interface_documents_are_never_skills() {
        let dir = test_corpus::scratch_dir("skill-lsp-kind");
        std::fs::create_dir_all(dir.join("interfaces")).unwrap();
        let ws = Workspaces::default();
        let doc = dir.join("interfaces/memory_store.md");
        assert!(!is_skill(&ws, Some(&doc), "skill"));
        assert!(!is_skill(&ws, Some(&doc), "markdown"));
        assert!(!is_skill(&ws, Some(&dir.join("interfaces/SKILL.md")), "markdown"));
        // A skill of the same root, and a file sent as `skill` beside the interfaces, still are.
        assert!(is_skill(&ws, Some(&dir.join("skills/a/SKILL.md")), "markdown"));
        assert!(is_skill(&ws, Some(&dir.join("drafts/a.md")), "skill"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn ranges_are_converted_in_the_negotiated_encoding() {
        let text = "---\nname: 😀x\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        let d = skill_core::Diagnostic {
            code: "SK003",
            severity: Severity::Warning,
            range: TextRange::new(x, x + 1),
            message: "m".into(),
            fix: None,
            related: Vec::new(),
        };
        let utf16 = to_lsp_one(&lines, &d, PositionEncoding::Utf16);
        assert_eq!(
            utf16.range,
            lsp::Range::new(lsp::Position::new(1, 8), lsp::Position::new(1, 9))
        );
        assert_eq!(utf16.severity, Some(lsp::DiagnosticSeverity::WARNING));
        assert_eq!(utf16.code, Some(NumberOrString::String("SK003".into())));
        let utf8 = to_lsp_one(&lines, &d, PositionEncoding::Utf8);
        assert_eq!(utf8.range.start, lsp::Position::new(1, 10));
    }

    #[test]
    fn a_detached_text_is_checked() {
        let checked = check_text(
            "no front matter\n".into(),
            None,
            &Workspaces::default(),
            &ClientSettings::default(),
            0,
            &|_| {},
        )
        .unwrap();
        assert!(
            checked.diagnostics.iter().any(|d| d.code == "SK001"),
            "{:?}",
            checked.diagnostics
        );
    }
}
