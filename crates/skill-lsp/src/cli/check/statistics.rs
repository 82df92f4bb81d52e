//! `--statistics`: how many findings each rule made, instead of the findings.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use skill_core::rules;

use super::report::Report;

/// One rule's count.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Count {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    /// How many of them `--fix` (or `--unsafe-fixes`) could mend.
    pub fixable: usize,
}

/// Counts by rule, the most frequent first (ties in code order).
pub fn counts(report: &Report) -> Vec<Count> {
    let mut by_code: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for d in report.checked.iter().flat_map(|c| &c.diagnostics) {
        let e = by_code.entry(d.code).or_default();
        e.0 += 1;
        e.1 += usize::from(d.fix.as_ref().is_some_and(|f| f.bulk_applicability().is_some()));
    }
    let mut out: Vec<Count> = by_code
        .into_iter()
        .map(|(code, (count, fixable))| Count {
            code,
            name: rules::find(code).map_or("", |r| r.name),
            count,
            fixable,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    out
}

/// `COUNT  CODE  [*] name` lines (`[*]`: some are fixable), aligned.
pub fn write_text(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    write_counts(out, &counts(report))
}

/// [`write_text`] of counts already made.
pub fn write_counts(out: &mut dyn Write, counts: &[Count]) -> io::Result<()> {
    let width = counts.iter().map(|c| c.count.to_string().len()).max().unwrap_or(1);
    for c in counts {
        let mark = if c.fixable > 0 { "[*]" } else { "   " };
        writeln!(out, "{:>width$}  {}  {mark} {}", c.count, c.code, c.name)?;
    }
    Ok(())
}

/// The counts as one JSON array.
pub fn write_json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &counts(report))?;
    writeln!(out)
}
