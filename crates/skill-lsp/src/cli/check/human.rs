//! The default report: `path:line:col: severity[CODE] message`, the source
//! line with a caret under the range, and a summary line. Lines and columns
//! are one-based; columns count characters.

use std::io::{self, Write};

use skill_core::{Applicability, Diagnostic, Encoding, Severity};

use super::report::{bulk_fix, Checked, FixSummary, InputError, InputErrorKind, Report};

/// ANSI styling, on when writing to a terminal (and `NO_COLOR` is unset).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// `--quiet`: the findings only, no summary line.
    pub quiet: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Information => self.paint("1;36", "information"),
        }
    }
}

/// The report as one string (see [`write`]).
#[cfg(test)]
pub fn render(report: &Report, style: Style, fix_requested: bool) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(&mut out, report, style, fix_requested);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the report to `out` as it is rendered, so the whole text (as large
/// as the files' findings) is never held at once.
pub fn write(out: &mut dyn Write, report: &Report, style: Style, fix_requested: bool) -> io::Result<()> {
    for e in &report.errors {
        writeln!(out, "{}", input_error_line(report, e, style))?;
    }
    if !report.errors.is_empty() {
        writeln!(out)?;
    }
    for file in &report.checked {
        if let Some(fixed) = &file.fixed {
            let s = if fixed.applied == 1 { "" } else { "es" };
            writeln!(out, "Fixed {} ({} fix{s}):", report.display(&file.path), fixed.applied)?;
            for title in &fixed.titles {
                writeln!(out, "  - {title}")?;
            }
            writeln!(out)?;
        }
        if let Some(withheld) = &file.withheld {
            writeln!(
                out,
                "Not fixed {}: {}\n",
                report.display(&file.path),
                withheld_reason(withheld)
            )?;
        }
    }
    for file in &report.checked {
        let path = report.display(&file.path);
        for d in &file.diagnostics {
            write_one(out, &path, file, d, style)?;
        }
    }
    if style.quiet {
        return Ok(());
    }
    out.write_all(summary(report, fix_requested).as_bytes())
}

/// An input that could not be checked, on one line.
pub fn input_error_line(report: &Report, e: &super::report::InputError, style: Style) -> String {
    let at = e
        .position
        .map(|p| format!(":{}:{}", p.line + 1, p.col + 1))
        .unwrap_or_default();
    format!(
        "{}{at}: {}[{}] {}",
        style.paint("1", &report.display(&e.path)),
        style.severity(Severity::Error),
        e.kind.as_str(),
        e.message
    )
}

/// A finding's first line, `path:line:col: severity[CODE] message`: all the
/// concise format prints of it.
pub fn headline(path: &str, file: &Checked, d: &Diagnostic, style: Style) -> String {
    let (start, _) = file.span(d, Encoding::Utf32);
    format!(
        "{}: {}[{}] {}{}",
        style.paint("1", &format!("{path}:{}:{}", start.line + 1, start.col + 1)),
        style.severity(d.severity),
        d.code,
        fix_mark(d, file),
        visible(&d.message)
    )
}

fn write_one(out: &mut dyn Write, path: &str, file: &Checked, d: &Diagnostic, style: Style) -> io::Result<()> {
    let (start, end) = file.span(d, Encoding::Utf32);
    writeln!(out, "{}", headline(path, file, d, style))?;
    let line_no = (start.line + 1).to_string();
    let gutter = " ".repeat(line_no.len());
    let source = file.line_text(start.line);
    let marked_len = if end.line == start.line {
        end.col.saturating_sub(start.col) as usize
    } else {
        usize::MAX
    };
    // Columns are characters here (Utf32), so they index `chars()`.
    let shown = Window::around(source, start.col as usize, marked_len);
    let pad = display_width(&shown.before);
    let carets = "^".repeat(display_width(&shown.marked).max(1));
    let more = if end.line > start.line {
        format!(" (to line {})", end.line + 1)
    } else {
        String::new()
    };
    let bar = style.paint("1;34", "|");
    writeln!(out, "{gutter} {bar}")?;
    writeln!(
        out,
        "{} {bar} {}",
        style.paint("1;34", &line_no),
        expand_tabs(&shown.line())
    )?;
    writeln!(
        out,
        "{gutter} {bar} {}{}{more}\n",
        " ".repeat(pad),
        style.paint(if d.severity == Severity::Error { "1;31" } else { "1;33" }, &carets)
    )
}

/// The most terminal columns of a source line the report shows. A longer
/// line (minified JSON, a 200 KB paragraph) is cut to a window around the
/// range, so one finding prints a few lines, not the whole line twice over.
const WINDOW: usize = 120;
/// Columns shown before the range when the line is cut.
const LEAD: usize = 40;
/// Marks where a long line was cut.
const CUT: &str = "…";

/// The part of a source line shown under a finding: the text before the
/// range, the range, and the text after it, each escaped ([`visible`]) and
/// cut to fit [`WINDOW`], with [`CUT`] where text was left out.
struct Window {
    before: String,
    marked: String,
    after: String,
}

impl Window {
    fn around(source: &str, start: usize, len: usize) -> Window {
        let chars: Vec<char> = source.chars().collect();
        let start = start.min(chars.len());
        let end = start.saturating_add(len).min(chars.len());
        let piece = |r: std::ops::Range<usize>| visible(&chars[r].iter().collect::<String>());
        let (before, marked, after) = (piece(0..start), piece(start..end), piece(end..chars.len()));
        if display_width(&before) + display_width(&marked) + display_width(&after) <= WINDOW {
            return Window { before, marked, after };
        }
        let before = if display_width(&before) > LEAD {
            format!("{CUT}{}", tail_within(&before, LEAD - 1))
        } else {
            before
        };
        let room = WINDOW - display_width(&before);
        let marked = if display_width(&marked) > room {
            format!("{}{CUT}", head_within(&marked, room - 1))
        } else {
            marked
        };
        let room = WINDOW.saturating_sub(display_width(&before) + display_width(&marked));
        let after = if display_width(&after) <= room {
            after
        } else if room > 0 {
            format!("{}{CUT}", head_within(&after, room - 1))
        } else {
            String::new()
        };
        Window { before, marked, after }
    }

    fn line(&self) -> String {
        format!("{}{}{}", self.before, self.marked, self.after)
    }
}

/// The longest start of `s` that takes at most `width` columns.
fn head_within(s: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += char_width(c);
        if used > width {
            return &s[..i];
        }
    }
    s
}

/// The longest end of `s` that takes at most `width` columns.
fn tail_within(s: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices().rev() {
        used += char_width(c);
        if used > width {
            return &s[i + c.len_utf8()..];
        }
    }
    s
}

/// What fixing in bulk does for a finding, as ruff marks it: `[*] ` when
/// `--fix` mends it, `[~] ` when only `--unsafe-fixes` does; nothing for no
/// fix, a choice left to the author, or a file `--fix` withheld.
fn fix_mark(d: &Diagnostic, file: &Checked) -> &'static str {
    if file.withheld.is_some() {
        return "";
    }
    match bulk_fix(d) {
        Some(Applicability::Safe) => "[*] ",
        Some(Applicability::Unsafe) => "[~] ",
        None => "",
    }
}

/// Why `--fix` left a file as it was.
pub fn withheld_reason(withheld: &FixSummary) -> String {
    let n = withheld.applied;
    let s = if n == 1 { "" } else { "es" };
    let why = withheld
        .blocker
        .as_deref()
        .map(|b| format!(" ({b})"))
        .unwrap_or_default();
    format!(
        "its front matter would still not parse after {n} fix{s}{why}, so the file was left untouched; mend the front matter and run --fix again"
    )
}

pub fn summary(report: &Report, fix_requested: bool) -> String {
    let t = report.tally();
    let files = report.checked.len();
    let mut line = format!("Checked {files} file{}", if files == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    for (n, what) in [(t.errors, "error"), (t.warnings, "warning"), (t.infos, "information")] {
        if n > 0 {
            let plural = if n == 1 || what == "information" { "" } else { "s" };
            parts.push(format!("{n} {what}{plural}"));
        }
    }
    if parts.is_empty() {
        line.push_str(": no problems found");
    } else {
        line.push_str(&format!(": {}", parts.join(", ")));
    }
    if fix_requested {
        let fixed: usize = report
            .checked
            .iter()
            .filter_map(|c| c.fixed.as_ref())
            .map(|f| f.applied)
            .sum();
        let files = report.checked.iter().filter(|c| c.fixed.is_some()).count();
        line.push_str(&format!(
            "; {fixed} fixes applied in {files} file{}",
            if files == 1 { "" } else { "s" }
        ));
    }
    if t.safe_fixable > 0 {
        line.push_str(&format!("; {} fixable with `--fix` [*]", t.safe_fixable));
    }
    if t.unsafe_fixable > 0 {
        line.push_str(&format!("; {} more with `--unsafe-fixes` [~]", t.unsafe_fixable));
    }
    // A broken config leaves its skills checked with the defaults: its
    // errors are counted as what they are, not as inputs left unchecked.
    let config = |e: &&InputError| e.kind == InputErrorKind::InvalidConfig;
    let config_errors = report.errors.iter().filter(config).count();
    let unchecked = report.errors.len() - config_errors;
    if config_errors > 0 {
        let s = if config_errors == 1 { "" } else { "s" };
        line.push_str(&format!("; {config_errors} configuration error{s}"));
    }
    if unchecked > 0 {
        let s = if unchecked == 1 { "" } else { "s" };
        line.push_str(&format!("; {unchecked} input{s} could not be checked"));
    }
    line.push_str(".\n");
    line
}

const TAB: &str = "    ";

/// `s` with every control character but the tab written as an escape
/// (`\x1b`, `\u{85}`): text from a file (an `ESC]0;…BEL` in a key, a NUL)
/// must never retitle, recolour or corrupt the terminal. Escapes are ASCII,
/// so carets still line up when both sides of a range go through here.
pub fn visible(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push(c),
            c if c.is_control() && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', TAB)
}

/// Terminal columns `s` takes: wide (East Asian, emoji) characters count two,
/// combining marks and variation selectors none, a tab four.
fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let u = c as u32;
    match u {
        0x09 => TAB.len(),
        0x0300..=0x036F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x1FA70..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    use skill_core::{LineIndex, TextRange};

    use crate::cli::check::report::Keep;

    fn report_of(text: &str, range: TextRange) -> Report {
        let diagnostics = vec![Diagnostic {
            code: "SK201",
            severity: Severity::Error,
            range,
            message: "no such method".into(),
            fix: None,
            related: Vec::new(),
        }];
        let checked = Checked::new(
            PathBuf::from("/ws/skills/a/SKILL.md"),
            text,
            &LineIndex::new(text),
            diagnostics,
            Keep::Lines,
        );
        Report::new(vec![checked], Vec::new(), PathBuf::from("/ws"))
    }

    #[test]
    fn control_characters_are_escaped_and_carets_still_line_up() {
        let text = "# T\nkey\u{1b}]0;owned\u{7}: \u{0}x `y`\n";
        let start = text.find('`').unwrap();
        let out = render(
            &report_of(text, TextRange::new(start, start + 3)),
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[2], "2 | key\\x1b]0;owned\\x07: \\x00x `y`");
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][caret..caret + 3], "`y`");
    }

    #[test]
    fn the_caret_sits_under_the_range_after_wide_characters() {
        let text = "# T\n1. 😀 call `x.getIndex()` now\n";
        let start = text.find("getIndex").unwrap();
        let out = render(
            &report_of(text, TextRange::new(start, start + 8)),
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "skills/a/SKILL.md:2:14: error[SK201] no such method");
        assert_eq!(lines[2], "2 | 1. 😀 call `x.getIndex()` now");
        assert_eq!(lines[3], "  |               ^^^^^^^^");
        assert_eq!(out.lines().last(), Some("Checked 1 file: 1 error."));
    }

    #[test]
    fn empty_and_multi_line_ranges_still_get_a_caret() {
        let text = "line one\nline two\n";
        let out = render(
            &report_of(text, TextRange::empty(text.len())),
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        assert!(out.contains("3 | \n  | ^\n"), "{out}");
        let out = render(
            &report_of(text, TextRange::new(5, 13)),
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        assert!(out.contains("1 | line one\n  |      ^^^ (to line 2)\n"), "{out}");
    }

    /// A finding in the middle of a 200 KB line shows a window of the line
    /// around it, cut at both ends, with the carets under the range.
    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_range() {
        let text = format!("# T\n{}`x.getIndex()`{}\n", "a".repeat(100_000), "b".repeat(100_000));
        let start = text.find("getIndex").unwrap();
        let out = render(
            &report_of(&text, TextRange::new(start, start + 8)),
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        assert!(out.len() < 1000, "{} bytes", out.len());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "skills/a/SKILL.md:2:100004: error[SK201] no such method");
        let shown = lines[2].strip_prefix("2 | ").unwrap();
        assert!(shown.starts_with("…aaa") && shown.ends_with("bbb…"), "{shown}");
        assert!(display_width(shown) <= WINDOW, "{}", display_width(shown));
        let caret = lines[3].find('^').unwrap();
        let under: String = lines[2]
            .chars()
            .skip(lines[3][..caret].chars().count())
            .take(8)
            .collect();
        assert_eq!(under, "getIndex");
        assert_eq!(lines[3].matches('^').count(), 8);
        // A range longer than the window is cut too, its carets with it.
        let out = render(
            &report_of(&text, TextRange::new(4, text.len() - 1)),
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        assert!(out.len() < 1000, "{} bytes", out.len());
        assert!(out.contains("2 | aaaa") && out.contains("a…\n"), "{out}");
    }

    /// A finding `--fix` mends is marked `[*]`, one only `--unsafe-fixes`
    /// mends `[~]`, and the summary counts each; a file `--fix` withheld
    /// gets neither mark nor count, since no flag writes it.
    #[test]
    fn fixes_are_marked_safe_or_unsafe_and_withheld_files_are_not_counted() {
        use skill_core::{Edit, Fix};
        let text = "# T\nab\n";
        let diag = |code, fix| Diagnostic {
            code,
            severity: Severity::Warning,
            range: TextRange::new(4, 5),
            message: "m".into(),
            fix: Some(fix),
            related: Vec::new(),
        };
        let edit = || vec![Edit::replace(TextRange::new(4, 5), "x")];
        let checked = || {
            Checked::new(
                PathBuf::from("/ws/a/SKILL.md"),
                text,
                &LineIndex::new(text),
                vec![
                    diag("SK203", Fix::safe("s", edit())),
                    diag("SK102", Fix::unsafe_("u", edit())),
                ],
                Keep::Lines,
            )
        };
        let report = Report::new(vec![checked()], Vec::new(), PathBuf::from("/ws"));
        let out = render(
            &report,
            Style {
                color: false,
                quiet: false,
            },
            false,
        );
        assert!(out.contains("warning[SK203] [*] m\n"), "{out}");
        assert!(out.contains("warning[SK102] [~] m\n"), "{out}");
        assert!(
            out.ends_with("2 warnings; 1 fixable with `--fix` [*]; 1 more with `--unsafe-fixes` [~].\n"),
            "{out}"
        );
        let mut withheld = checked();
        withheld.withheld = Some(FixSummary {
            applied: 2,
            titles: vec!["s".into(), "u".into()],
            blocker: None,
        });
        let report = Report::new(vec![withheld], Vec::new(), PathBuf::from("/ws"));
        let out = render(
            &report,
            Style {
                color: false,
                quiet: false,
            },
            true,
        );
        assert!(out.contains("warning[SK203] m\n"), "{out}");
        assert!(!out.contains("fixable with"), "{out}");
        assert!(!out.contains("more with"), "{out}");
    }

    #[test]
    fn widths_follow_the_terminal() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("😀x"), 3);
        assert_eq!(display_width("⚠\u{fe0f}"), 1);
        assert_eq!(display_width("\tx"), 5);
    }
}
