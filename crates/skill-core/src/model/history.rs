//! The Version History: a `| Version | Date | Changes |` table, or, in older
//! skills, entries written as list items (`- v1.1.0 (2026-02-10): ...`) or
//! sub-headings (`### v1.1.0 (2025-07-15)`).

use super::letters::{Letters, Word};
use crate::syntax::markdown::MdDoc;
use crate::text::{lowercase_contains, lowercase_eq, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryOrder {
    OldestFirst,
    NewestFirst,
    /// One row, or rows in no order.
    Unknown,
}

/// How the entries are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryForm {
    Table,
    /// `- v1.0.0 (2026-02-12): Initial release`
    List,
    /// `### v1.1.0 (2025-07-15)`
    Headings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// The table row, list item or heading line.
    pub range: TextRange,
    /// The version as written, without a leading `v` or bold markup.
    pub version: String,
    pub version_range: TextRange,
    /// The date as written (empty when the entry has none).
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
    pub form: HistoryForm,
}

impl VersionHistory {
    /// The row with the highest semantic version.
    pub fn highest(&self) -> Option<&HistoryRow> {
        self.rows
            .iter()
            .filter_map(|r| Some((semver_key(&r.version)?, r)))
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, r)| r)
    }
}

/// MAJOR.MINOR.PATCH as numbers, and whether it is a release (a pre-release
/// sorts below its release).
pub fn semver_key(v: &str) -> Option<(u64, u64, u64, bool)> {
    let v = v.split('+').next().unwrap_or(v);
    let (core, pre) = match v.split_once('-') {
        Some((c, _)) => (c, true),
        None => (v, false),
    };
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let key = (parts.next()??, parts.next()??, parts.next()??, !pre);
    parts.next().is_none().then_some(key)
}

/// `letters` are the headings' ([`super::letters::of_headings`]).
pub(crate) fn extract(text: &str, md: &MdDoc, letters: &[Letters]) -> Option<VersionHistory> {
    // A `Version History` heading wins over a `Changelog` one: skills that
    // write documentation describe a changelog as one of their outputs
    // (`### Changelog` among the document types) and keep their own history
    // further down.
    const VERSION_HISTORY: Word<'static> = Word::new("version history");
    let heading = md
        .headings
        .iter()
        .zip(letters)
        .position(|(h, &l)| h.level >= 2 && VERSION_HISTORY.in_text(&h.text, l))
        .or_else(|| {
            md.headings
                .iter()
                .position(|h| h.level >= 2 && lowercase_eq(&h.text, "changelog"))
        })?;
    let section = md.section(heading, text.len());
    let table = md.tables.iter().position(|t| section.contains(t.range.start));
    let (rows, form) = match table {
        Some(t) => (table_rows(text, md, t), HistoryForm::Table),
        None => {
            let list = list_rows(text, md, section);
            if list.is_empty() {
                (heading_rows(text, md, heading, section), HistoryForm::Headings)
            } else {
                (list, HistoryForm::List)
            }
        }
    };
    let order = order_of(&rows);
    Some(VersionHistory {
        heading,
        table,
        rows,
        order,
        form,
    })
}

fn table_rows(text: &str, md: &MdDoc, t: usize) -> Vec<HistoryRow> {
    let table = &md.tables[t];
    let col = |name: &str| {
        table
            .header
            .cells
            .iter()
            .position(|c| lowercase_contains(&c.text, name))
    };
    let version_col = col("version").unwrap_or(0);
    let date_col = col("date");
    table
        .rows
        .iter()
        .filter_map(|row| {
            let vcell = row.cells.get(version_col)?;
            let (version, version_range) = clean_cell(text, vcell.range, true);
            let (date, date_range) = match date_col.and_then(|c| row.cells.get(c)) {
                Some(cell) => clean_cell(text, cell.range, false),
                None => (String::new(), TextRange::empty(row.range.end)),
            };
            Some(HistoryRow {
                range: row.range,
                version,
                version_range,
                date,
                date_range,
            })
        })
        .collect()
}

/// A cell's text without pipes, blanks, bold markup and (for versions) a leading `v`.
fn clean_cell(text: &str, cell: TextRange, version: bool) -> (String, TextRange) {
    let raw = text.get(cell.start..cell.end).unwrap_or("");
    let strip: &[char] = &['|', ' ', '\t', '*', '_', '`'];
    let start_trim = raw.len() - raw.trim_start_matches(strip).len();
    let mut inner = raw.trim_matches(strip);
    let mut start = cell.start + start_trim;
    if version && inner.starts_with(['v', 'V']) && inner[1..].starts_with(|c: char| c.is_ascii_digit()) {
        inner = &inner[1..];
        start += 1;
    }
    (inner.to_string(), TextRange::new(start, start + inner.len()))
}

/// `- v1.0.0 (2026-02-12): ...`, `- **v1.1.0** (2026-02-10): ...`, `- 1.0.0 - 2026-02-12`.
fn list_rows(text: &str, md: &MdDoc, section: TextRange) -> Vec<HistoryRow> {
    let Some(list) = md
        .lists
        .iter()
        .find(|l| l.depth == 0 && section.contains(l.range.start))
    else {
        return Vec::new();
    };
    list.items
        .iter()
        .filter_map(|&i| {
            let item = md.items.get(i)?;
            entry(text, item.first_line).map(|(v, vr, d, dr)| HistoryRow {
                range: item.range,
                version: v,
                version_range: vr,
                date: d,
                date_range: dr,
            })
        })
        .collect()
}

/// `### v1.1.0 (2025-07-15)` sub-headings.
fn heading_rows(text: &str, md: &MdDoc, heading: usize, section: TextRange) -> Vec<HistoryRow> {
    md.headings[heading + 1..]
        .iter()
        .take_while(|h| h.range.start < section.end)
        .filter_map(|h| {
            entry(text, h.content_range).map(|(v, vr, d, dr)| HistoryRow {
                range: h.range,
                version: v,
                version_range: vr,
                date: d,
                date_range: dr,
            })
        })
        .collect()
}

/// A version at the start of `line` and a date after it (in parentheses or
/// after a dash), with their ranges.
fn entry(text: &str, line: TextRange) -> Option<(String, TextRange, String, TextRange)> {
    let raw = text.get(line.start..line.end)?;
    let lead = raw.len() - raw.trim_start_matches(['*', '_', ' ', '[']).len();
    let mut vstart = lead;
    if raw[vstart..].starts_with(['v', 'V']) {
        vstart += 1;
    }
    let vlen = raw[vstart..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(raw.len() - vstart);
    let version = &raw[vstart..vstart + vlen];
    if !version.starts_with(|c: char| c.is_ascii_digit()) || !version.contains('.') {
        return None;
    }
    let after = vstart + vlen;
    let rest = &raw[after..];
    // The date: the next token that starts with a digit, inside `(...)` or after `-`/`—`.
    let skip = rest.len()
        - rest
            .trim_start_matches(['*', '_', ' ', ']', '(', '-', '—', '–', ':'])
            .len();
    let dstart = after + skip;
    let dlen = raw[dstart..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(raw.len() - dstart);
    let date = &raw[dstart..dstart + dlen];
    let (date, date_range) = if date.starts_with(|c: char| c.is_ascii_digit()) && date.contains('-') {
        (
            date.to_string(),
            TextRange::new(line.start + dstart, line.start + dstart + dlen),
        )
    } else {
        (String::new(), TextRange::empty(line.start + after))
    };
    let vr = TextRange::new(line.start + vstart, line.start + vstart + vlen);
    Some((version.to_string(), vr, date, date_range))
}

fn order_of(rows: &[HistoryRow]) -> HistoryOrder {
    let keys: Vec<_> = rows.iter().filter_map(|r| semver_key(&r.version)).collect();
    if keys.len() < 2 || keys.len() != rows.len() {
        return HistoryOrder::Unknown;
    }
    if keys.windows(2).all(|w| w[0] < w[1]) {
        HistoryOrder::OldestFirst
    } else if keys.windows(2).all(|w| w[0] > w[1]) {
        HistoryOrder::NewestFirst
    } else {
        HistoryOrder::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::markdown;

    fn parse(text: &str) -> VersionHistory {
        let md = markdown::parse(text, 0);
        extract(text, &md, &crate::model::letters::of_headings(&md)).unwrap()
    }

    #[test]
    fn table_rows_with_versions_dates_and_order() {
        let text = "## Version History\n| Version | Date | Changes |\n|---|---|---|\n| **v1.0.0** | 2026-01-12 | a |\n| 1.1.0 | 2026-02-30 | b |\n";
        let h = parse(text);
        assert_eq!(h.form, HistoryForm::Table);
        assert_eq!(h.order, HistoryOrder::OldestFirst);
        let r = &h.rows[0];
        assert_eq!(
            (r.version.as_str(), &text[r.version_range.start..r.version_range.end]),
            ("1.0.0", "1.0.0")
        );
        assert_eq!(
            &text[h.rows[1].date_range.start..h.rows[1].date_range.end],
            "2026-02-30"
        );
        assert_eq!(h.highest().unwrap().version, "1.1.0");
    }

    #[test]
    fn a_version_history_heading_wins_over_a_changelog_document_type() {
        let text = "## Document Types\n### Changelog\nNotable changes per version.\n\n## Version History\n- v1.0.0 (2025-01-02): Initial\n";
        let md = markdown::parse(text, 0);
        let h = extract(text, &md, &crate::model::letters::of_headings(&md)).unwrap();
        assert_eq!(md.headings[h.heading].text, "Version History");
        assert_eq!(h.rows.len(), 1);
        let text = "## Changelog\n- v1.0.0 (2025-01-02): Initial\n";
        assert_eq!(parse(text).rows.len(), 1);
    }

    #[test]
    fn list_and_heading_entries() {
        let text = "## Version History\n- **v1.1.0** (2026-02-10): Migration\n  - detail 1.2.3\n- v1.0.0 (2025-01-XX): Initial\n";
        let h = parse(text);
        assert_eq!(h.form, HistoryForm::List);
        assert_eq!(h.order, HistoryOrder::NewestFirst);
        let got: Vec<_> = h.rows.iter().map(|r| (r.version.as_str(), r.date.as_str())).collect();
        assert_eq!(got, [("1.1.0", "2026-02-10"), ("1.0.0", "2025-01-XX")]);
        let text = "## Version History\n\n### v1.1.0 (2025-07-15)\n- x\n\n### v1.0.0 (2025-11-18)\n- y\n\n## Next\n";
        let h = parse(text);
        assert_eq!(h.form, HistoryForm::Headings);
        let got: Vec<_> = h.rows.iter().map(|r| (r.version.as_str(), r.date.as_str())).collect();
        assert_eq!(got, [("1.1.0", "2025-07-15"), ("1.0.0", "2025-11-18")]);
        assert_eq!(
            &text[h.rows[0].date_range.start..h.rows[0].date_range.end],
            "2025-07-15"
        );
    }
}
