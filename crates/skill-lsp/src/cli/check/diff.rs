//! `--diff`: what `--fix` would change, as a unified diff, nothing written.

use similar::TextDiff;

/// The hunks of a unified diff from `before` to `after` (three lines of context).
pub fn hunks(before: &str, after: &str) -> String {
    TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .to_string()
}

/// A file's diff headed `--- a/PATH` / `+++ b/PATH` as git writes it, so
/// `git apply` and `patch -p1` take it from the folder paths are shown from.
pub fn with_header(shown: &str, hunks: &str) -> String {
    format!("--- a/{shown}\n+++ b/{shown}\n{hunks}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_shown_with_its_context() {
        let d = with_header("skills/x/SKILL.md", &hunks("a\nb\nc\n", "a\nB\nc\n"));
        assert_eq!(
            d,
            "--- a/skills/x/SKILL.md\n+++ b/skills/x/SKILL.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }
}
