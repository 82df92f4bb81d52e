//! The Compliance Checklist section and its `- [ ] Step N: ...` items.

use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    /// Index into `MdDoc::items`.
    pub item: usize,
    /// The step number the item names (`Step 2` → 2), if any.
    pub step: Option<u32>,
    /// Where `Step N` stands.
    pub step_range: Option<TextRange>,
    pub checked: bool,
    /// The `[ ]` / `[x]` marker.
    pub marker: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// Index of the checklist heading into `MdDoc::headings`.
    pub heading: usize,
    pub range: TextRange,
    pub items: Vec<ChecklistItem>,
}

pub(crate) fn extract(text: &str, md: &MdDoc) -> Option<Checklist> {
    let _ = (text, md);
    None // implemented in the workflow work
}
