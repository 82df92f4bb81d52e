//! Renumbering the workflow's steps 1, 2, 3, ... in the order they stand, and
//! everything that names a step by its number with them. One renumberer:
//! SK103's fix and the formatter both take their edits from [`plan`].

use crate::fix::Edit;
use crate::model::numbering::{self, Problem};
use crate::model::{SkillDoc, Step};
use crate::text::TextRange;

use super::{evident_role, looks_pasted, promises, role};

/// A renumbering of the workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Renumbering {
    /// The numbering problems it mends, by step index.
    pub problems: Vec<(usize, Problem)>,
    /// The step numbers, and every `Step N` naming a renumbered step.
    pub edits: Vec<Edit>,
    /// Two steps share a number and one of them looks pasted in: renumbering
    /// adopts the pasted step, when deleting it may be what is wanted.
    pub guesses: bool,
}

/// The renumbering of the workflow, when its numbering has problems (`None`
/// for a workflow numbered well, or with gaps only, which are missing steps).
pub(crate) fn plan(doc: &SkillDoc, expected: u32) -> Option<Renumbering> {
    let w = doc.workflow.as_ref()?;
    let problems = problems(doc, expected);
    if problems.is_empty() {
        return None;
    }
    let guesses = problems.iter().any(|(i, p)| {
        *p == Problem::Repeated
            && w.steps
                .iter()
                .filter(|s| s.number == w.steps[*i].number)
                .any(|s| looks_pasted(doc, s))
    });
    let mut edits: Vec<Edit> = w
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| s.number != *i as u32 + 1)
        .map(|(i, s)| Edit::replace(s.number_range, (i + 1).to_string()))
        .collect();
    edits.extend(reference_edits(doc, &w.steps));
    edits.extend(promise_edits(doc, &w.steps));
    Some(Renumbering {
        problems,
        edits,
        guesses,
    })
}

/// The numbering problems of the workflow's steps, by step index: those the
/// numbers alone show ([`numbering::problems`]), and a gap inside the usual
/// steps whose next step evidently is the step its position makes it
/// ([`Problem::Shifted`]: `Step 4: Load Context` right after step 2 is step
/// 3 numbered one too high, not a lost step 3). Any other gap is a missing
/// step (SK102), no numbering problem.
pub(crate) fn problems(doc: &SkillDoc, expected: u32) -> Vec<(usize, Problem)> {
    let Some(w) = doc.workflow.as_ref() else {
        return Vec::new();
    };
    let mut found = numbering::problems(&w.steps, expected);
    let count = expected.max(u32::try_from(w.steps.len()).unwrap_or(u32::MAX));
    let mut prev = 0u32;
    for (i, s) in w.steps.iter().enumerate() {
        let gap = s.number > prev.saturating_add(1);
        if gap && !found.iter().any(|(j, _)| *j == i) && shifted(doc, s, prev + 1, count) {
            found.push((i, Problem::Shifted));
        }
        prev = prev.max(s.number);
    }
    found.sort_by_key(|(i, _)| *i);
    found
}

/// Whether `step`, numbered past a gap, is evidently step `should` (the
/// number its position gives it) rather than the step its number names.
fn shifted(doc: &SkillDoc, step: &Step, should: u32, count: u32) -> bool {
    let want = role(should, count);
    want != role(step.number, count) && evident_role(doc, step) == Some(want)
}

/// The new number of each old one that changes and that exactly one step
/// holds (so it is clear which step a `Step N` names).
fn moves(steps: &[Step]) -> Vec<(u32, u32)> {
    steps
        .iter()
        .enumerate()
        .filter(|(i, s)| s.number != 0 && s.number != *i as u32 + 1)
        .filter(|(_, s)| steps.iter().filter(|t| t.number == s.number).count() == 1)
        .map(|(i, s)| (s.number, i as u32 + 1))
        .collect()
}

/// `Step N` in the body (checklist items, cross-references in prose and in
/// other steps) naming a step whose number changes: renumbered with it, so
/// it keeps naming the same step. Step headings (renumbered themselves),
/// code, stray step lists and the Version History (which tells of earlier
/// versions) are left alone.
fn reference_edits(doc: &SkillDoc, steps: &[Step]) -> Vec<Edit> {
    let moves = moves(steps);
    if moves.is_empty() {
        return Vec::new();
    }
    let text = &doc.text;
    let start = doc.md.body_start.min(text.len());
    let history = doc.history.as_ref().map(|h| doc.md.section(h.heading, text.len()));
    let headings: Vec<TextRange> = steps.iter().map(|s| doc.md.headings[s.heading].range).collect();
    let excluded = |at: usize| {
        doc.md.in_code_block(at)
            || doc.md.code_spans.iter().any(|s| s.range.contains(at))
            || history.is_some_and(|h| h.contains(at))
            || headings.iter().any(|h| h.contains(at))
            || doc.stray_step_lists.iter().any(|l| l.range.contains(at))
    };
    let mut out = Vec::new();
    for (number, at) in step_mentions(&text[start..]) {
        let digits = TextRange::new(start + at.start, start + at.end);
        if excluded(digits.start) {
            continue;
        }
        if let Some((_, new)) = moves.iter().find(|(old, _)| *old == number) {
            out.push(Edit::replace(digits, new.to_string()));
        }
    }
    out
}

/// Every `Step N` (a whole word, any case) in `text`: the number and the
/// range of its digits.
fn step_mentions(text: &str) -> Vec<(u32, TextRange)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find(['s', 'S']) {
        let at = from + i;
        from = at + 1;
        let Some(word) = text.get(at..at + 4) else { break };
        if !word.eq_ignore_ascii_case("step") {
            continue;
        }
        if text[..at].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let mut p = at + 4;
        while bytes.get(p) == Some(&b' ') {
            p += 1;
        }
        let digits = bytes[p.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if p == at + 4 || digits == 0 {
            continue;
        }
        if text[p + digits..].starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        if let Ok(n) = text[p..p + digits].parse() {
            out.push((n, TextRange::new(p, p + digits)));
        }
        from = p + digits;
    }
    out
}

/// A stated step count ("the 100-step workflow") that named the number of the
/// last step as it was written, not the number of steps: renumbered to the
/// count with the steps.
fn promise_edits(doc: &SkillDoc, steps: &[Step]) -> Vec<Edit> {
    let count = steps.len() as u32;
    let Some(last) = steps.iter().map(|s| s.number).max() else {
        return Vec::new();
    };
    if last == count {
        return Vec::new();
    }
    promises(doc)
        .into_iter()
        .filter(|p| p.count == last)
        .filter_map(|p| {
            let written = doc.slice(p.range);
            let len = written.bytes().take_while(u8::is_ascii_digit).count();
            (len > 0).then(|| Edit::replace(TextRange::new(p.range.start, p.range.start + len), count.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{apply_fixes, Fix};

    fn renumbered(body: &str) -> String {
        let text = format!("---\nname: t\n---\n# T\n\n## Mandatory Workflow\n\n{body}");
        let doc = SkillDoc::parse(text.as_str(), None);
        let plan = plan(&doc, 6).expect("a renumbering");
        let fix = Fix::safe("renumber", plan.edits);
        apply_fixes(&text, [&fix]).0
    }

    #[test]
    fn cross_references_follow_their_steps() {
        let out = renumbered(
            "### Step 1: A\n\nThen go to Step 3.\n\n### Step 3: B\n\nSee `Step 3` and step 3.\n\n### Step 2: C\n\n## Compliance Checklist\n- [ ] Step 3: B done\n",
        );
        assert!(out.contains("Then go to Step 2."), "{out}");
        assert!(out.contains("### Step 2: B\n\nSee `Step 3` and step 2."), "{out}");
        assert!(out.contains("### Step 3: C"), "{out}");
        assert!(out.contains("- [ ] Step 2: B done"), "{out}");
    }

    #[test]
    fn a_number_two_steps_share_is_not_followed() {
        let out = renumbered("### Step 1: A\n\n### Step 2: B\n\n### Step 2: C\n\nAs in Step 2.\n");
        assert!(out.contains("### Step 3: C\n\nAs in Step 2."), "{out}");
    }

    #[test]
    fn a_count_that_named_the_last_number_follows_the_count() {
        let steps: String = (1..=3).map(|n| format!("### Step {n}: S{n}\n\nx\n\n")).collect();
        let out = renumbered(&format!("Follow the 100-step workflow.\n\n{steps}### Step 100: Out\n"));
        assert!(
            out.contains("the 4-step workflow") && out.contains("### Step 4: Out"),
            "{out}"
        );
    }
}
