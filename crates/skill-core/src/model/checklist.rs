//! The Compliance Checklist section and its `- [ ] Step N: ...` items.

use super::letters::{Letters, Word, CHECKLIST};
use super::workflow::Step;
use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    /// Index into `MdDoc::items`.
    pub item: usize,
    /// The step number the item names (`Step 2` → 2), if any.
    pub step: Option<u32>,
    /// Where `Step N` stands.
    pub step_range: Option<TextRange>,
    pub checked: bool,
    /// The `[ ]` / `[x]` marker.
    pub marker: TextRange,
    /// True when the item starts with `Step N` (`- [ ] Step 2: Memory loaded`)
    /// rather than mentioning it in passing (`... pattern followed (Step 2)`).
    pub leads_with_step: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// Index of the checklist heading into `MdDoc::headings`.
    pub heading: usize,
    pub range: TextRange,
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    /// Whether the checklist itemises the workflow step by step (at least one
    /// item starts with `Step N`). Older skills list outcomes instead
    /// (`- [ ] Output saved`), mentioning steps only in passing.
    pub fn is_per_step(&self) -> bool {
        self.items.iter().any(|i| i.leads_with_step)
    }

    /// The steps no item names, in order, each number once (steps whose
    /// heading writes a placeholder instead of a number left out).
    pub fn steps_without_item<'s>(&self, steps: &'s [Step]) -> Vec<&'s Step> {
        let mut seen = std::collections::HashSet::new();
        steps
            .iter()
            .filter(|s| s.number > 0 && !self.items.iter().any(|i| i.step == Some(s.number)))
            .filter(|s| seen.insert(s.number))
            .collect()
    }
}

/// The section whose heading names a compliance checklist (`## Compliance
/// Checklist`), else the first other heading naming a checklist at H2 or H3;
/// `letters` are the headings' ([`super::letters::of_headings`]).
pub(crate) fn extract(text: &str, md: &MdDoc, letters: &[Letters]) -> Option<Checklist> {
    let named = |word: Word| {
        md.headings
            .iter()
            .zip(letters)
            .position(|(h, &l)| (2..=3).contains(&h.level) && word.in_text(&h.text, l))
    };
    const COMPLIANCE_CHECKLIST: Word<'static> = Word::new("compliance checklist");
    let heading = named(COMPLIANCE_CHECKLIST).or_else(|| named(CHECKLIST))?;
    let range = md.section(heading, text.len());
    let items = md
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.task.is_some() && range.contains(it.range.start))
        .filter_map(|(i, it)| {
            let marker = it.task_marker?;
            let line = text.get(it.first_line.start..it.first_line.end).unwrap_or("");
            let found = find_step_ref(line);
            Some(ChecklistItem {
                item: i,
                step: found.map(|(n, _, _)| n),
                step_range: found.map(|(_, r, _)| r.shift(it.first_line.start)),
                checked: it.task == Some(true),
                marker,
                leads_with_step: found.is_some_and(|(_, _, lead)| lead),
            })
        })
        .collect();
    Some(Checklist { heading, range, items })
}

/// The first `Step N` in `line` (case-insensitive, a whole word): the number,
/// the range of `Step N` relative to `line`, and whether it leads the line
/// (after markup such as `**`).
pub(crate) fn find_step_ref(line: &str) -> Option<(u32, TextRange, bool)> {
    // `step` in any case, found from its first letter (no lower-case copy
    // of the line, no searcher built per item).
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b's', b'S', &bytes[from..]) {
        let at = from + i;
        if !bytes[at..].get(..4).is_some_and(|w| w.eq_ignore_ascii_case(b"step")) {
            from = at + 1;
            continue;
        }
        from = at + 4;
        // Case does not change whether a character is a letter or digit.
        let before_ok = line[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let rest = &line[at + 4..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let digits = rest[spaces..].bytes().take_while(u8::is_ascii_digit).count();
        if !before_ok || spaces == 0 || digits == 0 {
            continue;
        }
        let after = &rest[spaces + digits..];
        if after.starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        let Ok(n) = rest[spaces..spaces + digits].parse::<u32>() else {
            continue;
        };
        let end = at + 4 + spaces + digits;
        let leads = line[..at]
            .trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
            .is_empty();
        return Some((n, TextRange::new(at, end), leads));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::markdown;

    #[test]
    fn items_name_their_steps() {
        let text = "## Compliance Checklist\n- [ ] Step 1: Scope\n- [x] **Step 2**: Memory\n- [ ] Pattern followed (Step 3)\n- [ ] Output saved\n\n## Version History\n- [ ] Step 9: not here\n";
        let md = markdown::parse(text, 0);
        let c = extract(text, &md, &crate::model::letters::of_headings(&md)).unwrap();
        let got: Vec<_> = c.items.iter().map(|i| (i.step, i.checked, i.leads_with_step)).collect();
        assert_eq!(
            got,
            [
                (Some(1), false, true),
                (Some(2), true, true),
                (Some(3), false, false),
                (None, false, false)
            ]
        );
        let r = c.items[0].step_range.unwrap();
        assert_eq!(&text[r.start..r.end], "Step 1");
        assert_eq!(&text[c.items[1].marker.start..c.items[1].marker.end], "[x]");
        assert!(c.is_per_step());
    }

    /// [`find_step_ref`] as first written: `step` searched in a lower-case copy.
    fn step_ref_by_lowering(line: &str) -> Option<(u32, TextRange, bool)> {
        let lower = line.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find("step") {
            let at = from + i;
            from = at + 4;
            let before_ok = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let rest = &line[at + 4..];
            let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let digits = rest[spaces..].bytes().take_while(u8::is_ascii_digit).count();
            if !before_ok || spaces == 0 || digits == 0 {
                continue;
            }
            let after = &rest[spaces + digits..];
            if after.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let Ok(n) = rest[spaces..spaces + digits].parse::<u32>() else {
                continue;
            };
            let end = at + 4 + spaces + digits;
            let leads = line[..at]
                .trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
                .is_empty();
            return Some((n, TextRange::new(at, end), leads));
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn finds_the_step_reference_the_lower_case_search_finds(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("step"), proptest::strategy::Just("Step"), proptest::strategy::Just("STEP"),
                    proptest::strategy::Just("sTeP"), proptest::strategy::Just("s"), proptest::strategy::Just("S"),
                    proptest::strategy::Just("ste"), proptest::strategy::Just(" "), proptest::strategy::Just("\t"),
                    proptest::strategy::Just("2"), proptest::strategy::Just("99999999999"), proptest::strategy::Just("a"),
                    proptest::strategy::Just("**"), proptest::strategy::Just("_"), proptest::strategy::Just("é"),
                    proptest::strategy::Just("ſ"), proptest::strategy::Just("K"), proptest::strategy::Just(":"),
                ],
                0..14,
            ),
        ) {
            let line: String = parts.concat();
            proptest::prop_assert_eq!(find_step_ref(&line), step_ref_by_lowering(&line));
        }
    }

    #[test]
    fn step_refs_are_whole_words() {
        assert_eq!(find_step_ref("Steps 1-3 done"), None);
        assert_eq!(find_step_ref("footstep 2"), None);
        assert_eq!(find_step_ref("Step 2a"), None);
        assert_eq!(find_step_ref("see step 4."), Some((4, TextRange::new(4, 10), false)));
    }
}
