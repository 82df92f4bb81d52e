//! `/claudedocs/{name}_{project}_{YYYY-MM-DD}.md` output paths named in the body.

use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputPath {
    /// The whole path, `/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md`.
    pub range: TextRange,
    /// The file-name part before the first `_` (`fastapi`), with its range.
    pub name: String,
    pub name_range: TextRange,
}

pub(crate) fn extract(text: &str, md: &MdDoc) -> Vec<OutputPath> {
    let _ = (text, md);
    Vec::new() // implemented in the workflow work
}
