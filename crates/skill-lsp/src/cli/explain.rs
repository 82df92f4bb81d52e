//! `skill-lsp explain CODE`: a rule's documentation; with no code, the list
//! of every rule.

use std::io::Write;
use std::process::ExitCode;

use skill_core::rules::{self, FixAvailability, Rule, ALL};

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`SK102`) or name (`step-missing`); none lists every rule.
    pub code: Option<String>,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    let text = match args.code.as_deref().map(str::trim) {
        None => list(),
        Some(code) => match rules::find(code) {
            Some(rule) => rules::page(rule),
            None => {
                eprintln!("{}", unknown(code));
                return ExitCode::from(2);
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush());
    ExitCode::SUCCESS
}

/// Every rule, one line each, aligned.
fn list() -> String {
    let name_width = ALL.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in ALL {
        let fix = match r.fix {
            FixAvailability::None => " ",
            FixAvailability::Safe | FixAvailability::Sometimes => "*",
            FixAvailability::Unsafe => "~",
        };
        out.push_str(&format!(
            "{} {:<11} {fix} {:<name_width$}  {}\n",
            r.code,
            r.severity.as_str(),
            r.name,
            r.summary
        ));
    }
    out.push_str(
        "\n* has a safe fix, which `check --fix` applies (for some of its findings when `explain` says so); ~ has only unsafe fixes (`check --unsafe-fixes`, or a quick fix in the editor). `skill-lsp explain CODE` prints a rule's documentation.\n",
    );
    out
}

/// The message for a code that names no rule, with the closest ones.
fn unknown(code: &str) -> String {
    let wanted = code.to_ascii_lowercase();
    let mut near: Vec<(usize, &Rule)> = ALL
        .iter()
        .map(|r| {
            (
                distance(&wanted, &r.code.to_ascii_lowercase()).min(distance(&wanted, r.name)),
                *r,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .collect();
    near.sort_by_key(|(d, r)| (*d, r.code));
    let mut msg = format!("skill-lsp explain: no rule is called `{code}`.");
    if !near.is_empty() {
        let names: Vec<String> = near
            .iter()
            .take(3)
            .map(|(_, r)| format!("{} ({})", r.code, r.name))
            .collect();
        msg.push_str(&format!(" Did you mean {}?", names.join(", ")));
    }
    msg.push_str(" Run `skill-lsp explain` with no argument to list every rule.");
    msg
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_get_suggestions() {
        let msg = unknown("SK1O2");
        assert!(msg.contains("SK102"), "{msg}");
        assert!(unknown("nonsense-that-matches-nothing").contains("skill-lsp explain"));
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("sk102", "sk102"), 0);
        assert_eq!(distance("sk12", "sk102"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
