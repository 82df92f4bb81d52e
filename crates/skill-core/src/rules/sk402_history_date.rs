//! SK402 `history-date`: a Version History date that is not a real `YYYY-MM-DD` date.

use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, Rule, RuleCtx, Sink};

pub static RULE: Rule = Rule {
    code: "SK402",
    name: "history-date",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "a Version History date that is not a real `YYYY-MM-DD` date",
    docs: DOCS,
    profiles: crate::profile::Profiles::WORKFLOW,
    check,
};

const DOCS: &str = "\
## What it checks

That every date in the Version History is a real calendar date written
`YYYY-MM-DD`: `2026-02-30`, `2025-13-01`, `2025-01-XX` and `{YYYY-MM-DD}`
are reported (29 February only in leap years). Entries without a date are
not. The range is the date.

## Why it matters

Dates order the history and tell when a change was made; a placeholder or
impossible date says the entry was never finished.

## Example

Bad:

```markdown
| 1.0.0 | 2025-01-XX | Initial release |
```

Good:

```markdown
| 1.0.0 | 2025-01-14 | Initial release |
```";

/// Whether `s` is a real date written `YYYY-MM-DD`.
pub(crate) fn is_real_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    let doc = ctx.doc;
    let Some(h) = doc.history.as_ref() else { return };
    for row in h.rows.iter().filter(|r| !r.date.is_empty() && !is_real_date(&r.date)) {
        sink.report(
            row.date_range,
            format!(
                "`{}` is not a real date: history dates are written `YYYY-MM-DD` and order the changes; write the date of version {}",
                row.date, row.version
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, run};

    #[test]
    fn real_dates_only() {
        assert!(is_real_date("2024-02-29") && is_real_date("2000-02-29") && is_real_date("2026-12-31"));
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
            "2025-01-XX",
            "26-01-01",
            "2026-1-01",
        ] {
            assert!(!is_real_date(bad), "{bad}");
        }
    }

    #[test]
    fn reports_the_date() {
        let text = "## Version History\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-02-30 | a |\n| 1.1.0 | {YYYY-MM-DD} | b |\n";
        let d = run(&RULE, text, "t");
        assert_eq!(
            d.iter().map(|d| at(text, d)).collect::<Vec<_>>(),
            ["2026-02-30", "{YYYY-MM-DD}"]
        );
    }
}
