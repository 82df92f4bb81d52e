//! `--format github`: GitHub Actions workflow commands, one annotation per
//! line (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=SK102::message`).
//! Lines and columns are one-based.

use std::io::{self, Write};

use skill_core::{Encoding, Severity};

use super::report::Report;

/// Writes the annotations to `out`, one line each, as they are rendered.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for e in &report.errors {
        let mut props = format!("file={}", property(&report.display(&e.path)));
        if let Some(p) = e.position {
            props.push_str(&format!(",line={},col={}", p.line + 1, p.col + 1));
        }
        writeln!(
            out,
            "::error {props},title={}::{}",
            property(e.kind.as_str()),
            data(&e.message)
        )?;
    }
    for file in &report.checked {
        let path = property(&report.display(&file.path));
        for d in &file.diagnostics {
            let (start, end) = file.span(d, Encoding::Utf16);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information => "notice",
            };
            writeln!(
                out,
                "::{command} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                start.line + 1,
                start.col + 1,
                end.line + 1,
                end.col + 1,
                property(d.code),
                data(&d.message)
            )?;
        }
    }
    Ok(())
}

/// Escapes a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_would_misread() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
