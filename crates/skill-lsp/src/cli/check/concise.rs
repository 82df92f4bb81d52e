//! `--output-format concise`: one line per finding (and per input that could
//! not be checked), `path:line:col: severity[CODE] message`, then the summary.
//! The same first line the full format prints, without the source excerpt.

use std::io::{self, Write};

use super::human::{headline, input_error_line, summary, Style};
use super::report::Report;

pub fn write(out: &mut dyn Write, report: &Report, style: Style, fix_requested: bool) -> io::Result<()> {
    for e in &report.errors {
        writeln!(out, "{}", input_error_line(report, e, style))?;
    }
    for file in &report.checked {
        let path = report.display(&file.path);
        for d in &file.diagnostics {
            writeln!(out, "{}", headline(&path, file, d, style))?;
        }
    }
    if style.quiet {
        return Ok(());
    }
    out.write_all(summary(report, fix_requested).as_bytes())
}
