//! Fixes as plain data, and the one function that applies them (CLI `--fix` and
//! editor code actions both go through [`apply_fixes`]).

use serde::Serialize;

use crate::text::TextRange;

/// Whether a fix may be applied without the author looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the author's meaning; applied by `check --fix` and fix-all.
    Safe,
    /// Changes meaning or inserts placeholders the author must fill in.
    Unsafe,
}

/// Replace `range` of the original text with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(offset: usize, new_text: impl Into<String>) -> Edit {
        Edit {
            range: TextRange::empty(offset),
            new_text: new_text.into(),
        }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit {
            range,
            new_text: String::new(),
        }
    }
}

/// A set of edits applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What the fix does, shown as the code action's title.
    pub title: String,
    pub applicability: Applicability,
    /// One of several plausible mends (the closest of many names, a step that
    /// may rather be deleted): the editor does not mark it as the preferred
    /// action for its diagnostic. Only unsafe fixes are ambiguous.
    pub ambiguous: bool,
    pub edits: Vec<Edit>,
    /// Other mends the author may choose, each offered by the editor as a
    /// quick fix of its own. When this fix is [`Fix::ambiguous`] they are
    /// exactly as plausible (the names equally close to a misspelt one): none
    /// is preferred and fixing in bulk (`check --fix`, with or without unsafe
    /// fixes, and fix-all) applies none of them, as that would be a coin
    /// toss. Otherwise this fix is the better mend, applied in bulk as its
    /// applicability says, and they are lesser ones (inserting the step a
    /// misnumbered workflow skips, where renumbering is preferred). Empty for
    /// nearly every fix.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Fix>,
}

impl Fix {
    /// Rewrites the `\n`s this fix writes as lone `\r`s, for a document
    /// that ends its lines that way (rules see such a text with `\n`s).
    pub fn end_lines_with_cr(&mut self) {
        for e in &mut self.edits {
            if e.new_text.contains('\n') {
                e.new_text = e.new_text.replace("\r\n", "\r").replace('\n', "\r");
            }
        }
        for alt in &mut self.alternatives {
            alt.end_lines_with_cr();
        }
    }

    /// Whether an editor may mark this fix as the preferred action for its
    /// diagnostic (one an "auto fix" applies without showing it): not a guess
    /// between plausible mends, and not an unsafe fix that writes blanks for
    /// the author to fill (`{Core Action Name}`, `{Describe the changes}`).
    pub fn preferred(&self) -> bool {
        let blanks = self.applicability == Applicability::Unsafe && self.writes_placeholders();
        !self.ambiguous && !blanks
    }

    /// Whether an edit writes a `{Blank}` for the author to fill. The format's
    /// own runtime variables (`{project-name}`, `{baseDir}`) are not blanks.
    pub fn writes_placeholders(&self) -> bool {
        const RUNTIME: [&str; 2] = ["project-name", "baseDir"];
        self.edits.iter().any(|e| {
            let t = &e.new_text;
            t.match_indices('{').any(|(i, _)| {
                let rest = &t[i + 1..];
                let Some(end) = rest.find('}') else { return false };
                let inner = &rest[..end];
                let dollar = t[..i].ends_with('$');
                !dollar
                    && !inner.is_empty()
                    && !RUNTIME.contains(&inner)
                    && inner
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            })
        })
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            ambiguous: false,
            edits,
            alternatives: Vec::new(),
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            ambiguous: false,
            edits,
            alternatives: Vec::new(),
        }
    }

    /// An unsafe fix that guesses between plausible mends (see [`Fix::ambiguous`]).
    pub fn guess(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            ambiguous: true,
            edits,
            alternatives: Vec::new(),
        }
    }

    /// One fix for equally plausible mends: a single one as it is; several
    /// as the first, made an ambiguous unsafe guess, carrying the others
    /// (made so too) as [`Fix::alternatives`]. `None` for none.
    pub fn one_of(fixes: Vec<Fix>) -> Option<Fix> {
        let mut fixes = fixes.into_iter();
        let mut first = fixes.next()?;
        let rest: Vec<Fix> = fixes.map(Fix::into_guess).collect();
        if rest.is_empty() {
            return Some(first);
        }
        first = first.into_guess();
        first.alternatives = rest;
        Some(first)
    }

    fn into_guess(self) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            ambiguous: true,
            ..self
        }
    }

    /// Whether other mends are as plausible (see [`Fix::alternatives`]):
    /// then this is no fix to apply without the author choosing.
    pub fn is_choice(&self) -> bool {
        self.ambiguous && !self.alternatives.is_empty()
    }

    /// How fixing in bulk (`check --fix`, fix-all) treats this fix: its
    /// applicability (`Safe`: always applied; `Unsafe`: with unsafe fixes
    /// asked for), or `None` for a choice, which it never applies.
    pub fn bulk_applicability(&self) -> Option<Applicability> {
        (!self.is_choice()).then_some(self.applicability)
    }

    /// This fix and its alternatives: each a mend the author may choose.
    pub fn choices(&self) -> impl Iterator<Item = &Fix> {
        std::iter::once(self).chain(&self.alternatives)
    }

    /// The smallest range covering every edit.
    pub fn span(&self) -> Option<TextRange> {
        self.edits.iter().map(|e| e.range).reduce(|a, b| a.cover(b))
    }
}

/// The fixes of `fixes` that can be applied together to `text`, in order.
///
/// Fixes are taken in order; one whose edits overlap an already accepted
/// fix (or each other), or fall outside the text or inside a character, is
/// skipped whole, so a fix is never half-applied.
pub fn compatible_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> Vec<&'a Fix> {
    let mut accepted_edits: Vec<&Edit> = Vec::new();
    let mut accepted = Vec::new();
    for fix in fixes {
        let mut edits: Vec<&Edit> = fix.edits.iter().collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let in_bounds = edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let self_overlap = edits.windows(2).any(|w| conflicts(w[0], w[1]));
        let clash = edits.iter().any(|e| accepted_edits.iter().any(|a| conflicts(a, e)));
        if !in_bounds || self_overlap || clash {
            continue;
        }
        accepted_edits.extend(edits);
        accepted.push(fix);
    }
    accepted
}

/// Applies as many of `fixes` as can be applied together to `text` (see
/// [`compatible_fixes`]). Returns the new text and how many fixes were applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let accepted = compatible_fixes(text, fixes);
    let out = apply_edits(text, accepted.iter().flat_map(|f| &f.edits));
    (out, accepted.len())
}

/// Applies `edits` to `text` in one pass, in order of position. The edits of
/// the fixes [`compatible_fixes`] accepts all apply; any other edit that
/// overlaps one before it, or falls outside the text or inside a character,
/// is skipped rather than panicking.
pub fn apply_edits<'a>(text: &str, edits: impl IntoIterator<Item = &'a Edit>) -> String {
    let mut edits: Vec<&Edit> = edits.into_iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 256);
    let mut cursor = 0;
    for e in edits {
        let (Some(kept), Some(_)) = (text.get(cursor..e.range.start), text.get(e.range.start..e.range.end)) else {
            continue;
        };
        out.push_str(kept);
        out.push_str(&e.new_text);
        cursor = e.range.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// Two edits conflict when their ranges overlap, when an insertion falls
/// strictly inside the other's range, or when both insert at one offset
/// (their order would be arbitrary).
fn conflicts(a: &Edit, b: &Edit) -> bool {
    let strictly_inside = |at: usize, r: TextRange| r.start < at && at < r.end;
    match (a.range.is_empty(), b.range.is_empty()) {
        (true, true) => a.range.start == b.range.start,
        (true, false) => strictly_inside(a.range.start, b.range),
        (false, true) => strictly_inside(b.range.start, a.range),
        (false, false) => a.range.overlaps(b.range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_disjoint_fixes_and_skips_overlapping_ones_whole() {
        let text = "hello world";
        let a = Fix::safe("a", vec![Edit::replace(TextRange::new(0, 5), "HELLO")]);
        let b = Fix::safe(
            "b",
            vec![Edit::replace(TextRange::new(3, 8), "x"), Edit::insert(11, "!")],
        );
        let c = Fix::safe("c", vec![Edit::insert(11, "?")]);
        let (out, n) = apply_fixes(text, [&a, &b, &c]);
        assert_eq!(out, "HELLO world?");
        assert_eq!(n, 2);
    }

    #[test]
    fn several_plausible_mends_make_one_choice_of_guesses() {
        let edit = |t: &str| vec![Edit::replace(TextRange::new(0, 3), t)];
        assert_eq!(Fix::one_of(Vec::new()), None);
        let only = Fix::one_of(vec![Fix::safe("a", edit("a"))]).unwrap();
        assert_eq!(only, Fix::safe("a", edit("a")));
        assert!(!only.is_choice());
        let tie = Fix::one_of(vec![Fix::safe("a", edit("a")), Fix::safe("b", edit("b"))]).unwrap();
        assert!(tie.is_choice());
        let titles: Vec<&str> = tie.choices().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["a", "b"]);
        assert!(tie
            .choices()
            .all(|f| f.ambiguous && f.applicability == Applicability::Unsafe));
        assert!(tie.alternatives.iter().all(|f| !f.is_choice()));
        assert_eq!(only.bulk_applicability(), Some(Applicability::Safe));
        assert_eq!(tie.bulk_applicability(), None);
    }

    #[test]
    fn rejects_edits_out_of_bounds_or_inside_a_character() {
        let text = "😀";
        let bad = Fix::safe("bad", vec![Edit::insert(2, "x")]);
        let far = Fix::safe("far", vec![Edit::insert(99, "x")]);
        assert_eq!(apply_fixes(text, [&bad, &far]), (text.to_string(), 0));
    }
}
