//! Which of the fixes [`super::fix_document`] applied, round after round,
//! still show in the text it ends with. A later round may rewrite what an
//! earlier fix wrote (a name set from a stale `name:`, then set again from
//! the fixed one) or put back what it removed: the report names only the
//! fixes whose effect is in the text written, and counts those.

use crate::fix::Edit;
use crate::text::TextRange;

/// What one applied edit wrote, followed through the rounds after it.
#[derive(Debug)]
struct Written {
    /// Index of the fix (in the order applied) the edit belongs to.
    fix: usize,
    /// Where the written text stands in the current text.
    range: TextRange,
    /// The text the edit replaced.
    replaced: String,
    /// Whether it is still there: not rewritten whole by a later edit, and
    /// not a change a later edit reverted (nor a reversion itself).
    live: bool,
}

/// The applied fixes, and what each wrote.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    titles: Vec<String>,
    written: Vec<Written>,
}

impl Ledger {
    /// Records one round: `fixes` (title and edits, in the coordinates of
    /// `text`, the text the round started from), which apply together.
    pub(super) fn round<'a>(&mut self, text: &str, fixes: impl IntoIterator<Item = (&'a str, &'a [Edit])>) {
        let mut edits: Vec<(usize, &Edit)> = Vec::new();
        for (title, fix_edits) in fixes {
            let fix = self.titles.len();
            self.titles.push(title.to_string());
            edits.extend(fix_edits.iter().map(|e| (fix, e)));
        }
        edits.sort_by_key(|(_, e)| (e.range.start, e.range.end));
        let replaced: Vec<&str> = edits
            .iter()
            .map(|(_, e)| text.get(e.range.start..e.range.end).unwrap_or_default())
            .collect();
        // An edit that writes what was there changes nothing.
        let changes: Vec<bool> = edits
            .iter()
            .zip(&replaced)
            .map(|((_, e), r)| e.new_text != *r)
            .collect();
        // Where each edit's text starts in the text the round makes.
        let mut new_start = Vec::with_capacity(edits.len());
        let mut delta: isize = 0;
        for (_, e) in &edits {
            new_start.push(e.range.start.saturating_add_signed(delta));
            delta += e.new_text.len() as isize - e.range.len() as isize;
        }
        let mut reverting = vec![false; edits.len()];
        // What earlier rounds wrote: rewritten whole, reverted, or moved.
        for w in &mut self.written {
            let mut kept_inside = None;
            for (i, (_, e)) in edits.iter().enumerate() {
                let reverts = e.range == w.range && e.new_text == w.replaced;
                let covers = !w.range.is_empty() && e.range.start <= w.range.start && w.range.end <= e.range.end;
                if reverts && w.live {
                    reverting[i] = true;
                }
                if reverts {
                    w.live = false;
                } else if covers && changes[i] {
                    // A rewrite of a whole line that keeps what the earlier
                    // fix wrote (a heading rewritten around its new number)
                    // keeps that fix's effect.
                    let written = text.get(w.range.start..w.range.end).unwrap_or_default();
                    match e.new_text.find(written) {
                        Some(at) => kept_inside = Some(new_start[i] + at),
                        None => w.live = false,
                    }
                }
            }
            let start = kept_inside.unwrap_or_else(|| shifted(&edits, w.range.start, true));
            let end = match kept_inside {
                Some(at) => at + w.range.len(),
                None if w.range.is_empty() => start,
                None => shifted(&edits, w.range.end, false),
            };
            w.range = TextRange::new(start, end.max(start));
        }
        // What this round writes, in the coordinates of the text it makes.
        for (i, (fix, e)) in edits.iter().enumerate() {
            self.written.push(Written {
                fix: *fix,
                range: TextRange::new(new_start[i], new_start[i] + e.new_text.len()),
                replaced: replaced[i].to_string(),
                live: changes[i] && !reverting[i],
            });
        }
    }

    /// The titles of the fixes something of which is still in the text, in
    /// the order they were applied.
    pub(super) fn kept(&self) -> Vec<String> {
        let mut live = vec![false; self.titles.len()];
        for w in self.written.iter().filter(|w| w.live) {
            live[w.fix] = true;
        }
        self.titles
            .iter()
            .zip(live)
            .filter(|(_, l)| *l)
            .map(|(t, _)| t.clone())
            .collect()
    }
}

/// Where offset `at` of a round's text lands in the text the round makes.
/// An insertion exactly at `at` comes before a range starting there
/// (`start`) and after one ending there; an offset inside a replaced range
/// moves to that replacement's edge.
fn shifted(edits: &[(usize, &Edit)], at: usize, start: bool) -> usize {
    let mut delta: isize = 0;
    for (_, e) in edits {
        let before = e.range.end < at || (e.range.end == at && (start || !e.range.is_empty()));
        if before {
            delta += e.new_text.len() as isize - e.range.len() as isize;
        } else if e.range.start < at {
            // Inside a replaced range.
            let edge = if start {
                e.range.start + e.new_text.len()
            } else {
                e.range.start
            };
            return edge.saturating_add_signed(delta);
        } else {
            break;
        }
    }
    at.saturating_add_signed(delta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    fn round(ledger: &mut Ledger, text: &str, fixes: &[(&str, Vec<Edit>)]) -> String {
        ledger.round(text, fixes.iter().map(|(t, e)| (*t, e.as_slice())));
        apply_edits(text, fixes.iter().flat_map(|(_, e)| e))
    }

    #[test]
    fn a_fix_whose_text_a_later_fix_rewrites_is_not_kept() {
        let mut ledger = Ledger::default();
        let text = "name: old\ntitle: x\n";
        let text = round(
            &mut ledger,
            text,
            &[
                ("Use `stale`", vec![Edit::replace(TextRange::new(17, 18), "stale")]),
                ("Set name", vec![Edit::replace(TextRange::new(6, 9), "new")]),
            ],
        );
        assert_eq!(text, "name: new\ntitle: stale\n");
        let text = round(
            &mut ledger,
            &text,
            &[("Use `new`", vec![Edit::replace(TextRange::new(17, 22), "new")])],
        );
        assert_eq!(text, "name: new\ntitle: new\n");
        assert_eq!(ledger.kept(), ["Set name", "Use `new`"]);
    }

    #[test]
    fn a_change_put_back_later_counts_for_neither_fix() {
        let mut ledger = Ledger::default();
        let text = round(
            &mut ledger,
            "a b c",
            &[
                ("Delete b", vec![Edit::delete(TextRange::new(2, 4))]),
                ("Upper a", vec![Edit::replace(TextRange::new(0, 1), "A")]),
            ],
        );
        assert_eq!(text, "A c");
        let text = round(&mut ledger, &text, &[("Put b back", vec![Edit::insert(2, "b ")])]);
        assert_eq!(text, "A b c");
        assert_eq!(ledger.kept(), ["Upper a"]);
    }

    #[test]
    fn a_rewrite_of_the_whole_line_that_keeps_what_a_fix_wrote_keeps_the_fix() {
        let mut ledger = Ledger::default();
        let text = round(
            &mut ledger,
            "### step 4: Load\n",
            &[("Renumber", vec![Edit::replace(TextRange::new(9, 10), "3")])],
        );
        let text = round(
            &mut ledger,
            &text,
            &[(
                "Heading form",
                vec![Edit::replace(TextRange::new(0, 16), "### STEP 3: Load (REQUIRED)")],
            )],
        );
        assert_eq!(text, "### STEP 3: Load (REQUIRED)\n");
        assert_eq!(ledger.kept(), ["Renumber", "Heading form"]);
    }

    #[test]
    fn an_edit_inside_what_a_fix_wrote_keeps_both() {
        let mut ledger = Ledger::default();
        let text = round(
            &mut ledger,
            "x",
            &[("Add section", vec![Edit::insert(1, "\n## Purpose\n{Blank}\n")])],
        );
        let at = text.find("{Blank}").unwrap();
        let text = round(
            &mut ledger,
            &text,
            &[("Fill", vec![Edit::replace(TextRange::new(at, at + 7), "Text")])],
        );
        assert_eq!(text, "x\n## Purpose\nText\n");
        assert_eq!(ledger.kept(), ["Add section", "Fill"]);
        // Something inserted before a later fix's range moves it along.
        let text = round(&mut ledger, &text, &[("Prefix", vec![Edit::insert(0, ">> ")])]);
        let at = text.find("Text").unwrap();
        round(
            &mut ledger,
            &text,
            &[("Refill", vec![Edit::replace(TextRange::new(at, at + 4), "More")])],
        );
        assert_eq!(ledger.kept(), ["Add section", "Prefix", "Refill"]);
    }
}
