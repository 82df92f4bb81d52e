//! SK508 `personal-path`: an absolute path into one person's home folder.

use crate::content::candidates::Candidates;
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rules::{Block, BlockRule, FixAvailability, Rule, RuleCtx, Sink};
use crate::text::TextRange;

pub static RULE: Rule = Rule {
    code: "SK508",
    name: "personal-path",
    severity: Severity::Warning,
    fix: FixAvailability::Unsafe,
    summary:
        "an absolute path into one person's home folder (`/home/<user>/`, `/Users/<user>/`, `C:\\Users\\<user>\\`)",
    docs: DOCS,
    profiles: crate::profile::Profiles::ALL,
    check,
};

const DOCS: &str = "\
## What it checks

Anywhere in the file: an absolute path into a person's home folder —
`/home/<user>/`, `/Users/<user>/` (macOS, and `/mnt/c/Users/<user>/` under
WSL) or `C:\\Users\\<user>\\` — with a real user name. Names that stand for
anyone (`user`, `username`, `you`, `me`, `name`, `example`, `john.doe`,
`<user>`, `{user}`, `$USER`) are examples, and folders a platform puts
there for everyone (`/home/site/wwwroot` on Azure App Service,
`/home/linuxbrew/` for Homebrew) are no one's: neither is reported. The range is the
home folder (`/home/alice`).

## Why it matters

A skill is shared: on everyone else's machine that folder does not exist, so
the command or file the path names fails, and the path tells the world the
author's user name and folder layout.

## Example

Bad:

```markdown
Data is stored at `/Users/alice/Documents/data/kg.csv`.
```

Good:

```markdown
Data is stored at `~/Documents/data/kg.csv` (set `KG_PATH` to change it).
```

## Fix

Replaces the home folder with `~` (`/Users/alice/data` → `~/data`). Unsafe:
the file may belong somewhere else than the user's home altogether.";

/// How a home folder starts, and the separator after the user name.
const HOMES: &[(&str, char)] = &[
    ("/home/", '/'),
    ("/Users/", '/'),
    ("C:\\Users\\", '\\'),
    ("c:\\users\\", '\\'),
];

/// User names that stand for anyone.
const EXAMPLE_NAMES: &[&str] = &[
    "user",
    "username",
    "your-name",
    "yourname",
    "your_name",
    "your-username",
    "yourusername",
    "you",
    "me",
    "name",
    "example",
    // Folders platforms put under `/home` for everyone: Azure App Service's
    // `/home/site/wwwroot`, Homebrew on Linux's `/home/linuxbrew/.linuxbrew`.
    "site",
    "logfiles",
    "linuxbrew",
    "someone",
    "somebody",
    "john",
    "jane",
    "jdoe",
    "foo",
    "bar",
    "alice",
    "bob",
    "test",
    "default",
    "shared",
    "public",
    "runner",
    "ubuntu",
    "admin",
    "root",
    "node",
    "vscode",
    "coder",
    "dev",
    "app",
];

pub static BLOCKS: BlockRule = BlockRule {
    code: RULE.code,
    check_block,
};

fn check(ctx: &RuleCtx, sink: &mut Sink) {
    ctx.each_block(sink, check_block);
}

/// A path never holds a line break, so it lies in one block.
fn check_block(ctx: &RuleCtx, at: Block, sink: &mut Sink) {
    let block = at.range;
    if !ctx.block_has(at, Candidates::HOME) {
        return;
    }
    for (range, home) in personal_homes(&ctx.doc.text, block) {
        let fix = Fix::unsafe_(format!("Replace `{home}` with `~`"), vec![Edit::replace(range, "~")]);
        sink.report_fix(
            range,
            format!(
                "`{home}` is one person's home folder: on anyone else's machine it does not exist, and it shows the author's user name; write `~` or a path relative to the skill"
            ),
            Some(fix),
        );
    }
}

/// Each home folder with a real user name in `text`: its range and text.
/// One pass over the bytes: every prefix of [`HOMES`] starts with `/` or has
/// `:` second, so only those bytes are looked at closely.
/// The home folders named in `text[within]` (which starts a line).
fn personal_homes(text: &str, within: TextRange) -> Vec<(TextRange, &str)> {
    let mut out = Vec::new();
    let bytes = &text.as_bytes()[..within.end];
    // Where each prefix may match next: matches of one prefix do not overlap.
    let mut next = [within.start; HOMES.len()];
    for (i, &b) in bytes.iter().enumerate().skip(within.start) {
        let at = match b {
            b'/' => i,
            b':' if i > within.start => i - 1,
            _ => continue,
        };
        for (k, (prefix, sep)) in HOMES.iter().enumerate() {
            // Byte-wise: `at` may not start a character when no prefix matches.
            if at < next[k] || !bytes[at..].starts_with(prefix.as_bytes()) {
                continue;
            }
            let from = at + prefix.len();
            next[k] = from;
            let rest = &text[from..within.end];
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
                .unwrap_or(rest.len());
            let user = &rest[..len];
            if len == 0 || !rest[len..].starts_with(*sep) || is_example(user) {
                continue;
            }
            // `C:\Users\` found by both spellings only once.
            if out.iter().any(|(r, _): &(TextRange, &str)| r.end == from + len) {
                continue;
            }
            // WSL's view of a Windows home: `/mnt/c/Users/<user>`.
            let before = text.get(at.saturating_sub(6).max(within.start)..at).unwrap_or("");
            let wsl = *sep == '/'
                && *prefix == "/Users/"
                && before.len() == 6
                && before.starts_with("/mnt/")
                && before.ends_with(|c: char| c.is_ascii_alphabetic());
            let start = if wsl { at - 6 } else { at };
            let range = TextRange::new(start, from + len);
            out.push((range, &text[range.start..range.end]));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

fn is_example(user: &str) -> bool {
    let lower = user.to_ascii_lowercase();
    let first = lower.split(['.', '-', '_']).next().unwrap_or("");
    EXAMPLE_NAMES.contains(&lower.as_str()) || EXAMPLE_NAMES.contains(&first) || lower.starts_with("your")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One search per prefix: what the one pass of [`personal_homes`] finds.
    fn personal_homes_by_search(text: &str) -> Vec<(TextRange, &str)> {
        let mut out = Vec::new();
        for (prefix, sep) in HOMES {
            let mut from = 0;
            while let Some(i) = text[from..].find(prefix) {
                let at = from + i;
                from = at + prefix.len();
                let rest = &text[from..];
                let len = rest
                    .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
                    .unwrap_or(rest.len());
                let user = &rest[..len];
                if len == 0
                    || !rest[len..].starts_with(*sep)
                    || is_example(user)
                    || out.iter().any(|(r, _): &(TextRange, &str)| r.end == from + len)
                {
                    continue;
                }
                let before = text.get(at.saturating_sub(6)..at).unwrap_or("");
                let wsl = *sep == '/'
                    && *prefix == "/Users/"
                    && before.len() == 6
                    && before.starts_with("/mnt/")
                    && before.ends_with(|c: char| c.is_ascii_alphabetic());
                let start = if wsl { at - 6 } else { at };
                out.push((TextRange::new(start, from + len), &text[start..from + len]));
            }
        }
        out.sort_by_key(|(r, _)| r.start);
        out
    }

    proptest! {
        #[test]
        fn one_pass_finds_what_one_search_per_prefix_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("/home/"), Just("/Users/"), Just("C:\\Users\\"), Just("c:\\users\\"), Just("/mnt/c"),
                    Just("alice"), Just("user"), Just("/"), Just("\\"), Just(":"), Just("C"), Just("é"), Just(" "),
                ],
                0..24,
            ),
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(personal_homes(&text, TextRange::new(0, text.len())), personal_homes_by_search(&text));
        }
    }

    #[test]
    fn real_names_not_example_ones() {
        let text = "`C:\\Users\\eamon\\Data\\kg.csv` and /mnt/c/Users/eamon/x and /home/bob/x and /Users/<user>/x and C:\\Users\\john.doe\\p and /home/$USER/x and /home/site/wwwroot/ and /home/ada-l/.cache/";
        let found: Vec<&str> = personal_homes(text, TextRange::new(0, text.len()))
            .into_iter()
            .map(|(_, h)| h)
            .collect();
        assert_eq!(found, ["C:\\Users\\eamon", "/mnt/c/Users/eamon", "/home/ada-l"]);
    }
}
