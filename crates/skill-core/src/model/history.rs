//! The Version History table.

use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryOrder {
    OldestFirst,
    NewestFirst,
    /// One row, or rows in no order.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub range: TextRange,
    pub version: String,
    pub version_range: TextRange,
    pub date: String,
    pub date_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionHistory {
    /// Index of the `Version History` heading into `MdDoc::headings`.
    pub heading: usize,
    /// Index into `MdDoc::tables`, when the section has a table.
    pub table: Option<usize>,
    pub rows: Vec<HistoryRow>,
    pub order: HistoryOrder,
}

pub(crate) fn extract(text: &str, md: &MdDoc) -> Option<VersionHistory> {
    let _ = (text, md);
    None // implemented in the workflow work
}
