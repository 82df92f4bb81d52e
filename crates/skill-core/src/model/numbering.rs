//! What is wrong with the numbers of a workflow's steps (placeholder,
//! repeated, backwards, a jump past the end): SK103 reports these, and the
//! rules about missing steps and checklist items leave such steps to it.

use super::Step;

/// What is wrong with one step's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// `Step N-1`: no number at all.
    Placeholder,
    /// The number was used by an earlier step.
    Repeated,
    /// Lower than the step before it.
    Backwards,
    /// A jump past the end of the workflow (`Step 100` after `Step 9`).
    Jump,
    /// A gap whose next step is evidently the step its position makes it
    /// (`Step 4: Load Context` after step 2): numbered too high, not missing.
    /// Telling it takes knowing what each step does, so the authoring layer
    /// finds it (`authoring::renumber::problems`), not [`problems`].
    Shifted,
}

/// The numbering problems of `steps`, by step index. Gaps at or below
/// `expected` are missing steps (SK102), not numbering problems.
pub(crate) fn problems(steps: &[Step], expected: u32) -> Vec<(usize, Problem)> {
    let mut out = Vec::new();
    let mut seen = Seen::default();
    let mut prev = 0u32;
    for (i, s) in steps.iter().enumerate() {
        let problem = if s.number == 0 {
            Some(Problem::Placeholder)
        } else if !seen.insert(s.number) {
            Some(Problem::Repeated)
        } else if s.number < prev {
            Some(Problem::Backwards)
        } else if s.number > prev.saturating_add(1) && s.number - 1 > expected {
            Some(Problem::Jump)
        } else {
            None
        };
        if let Some(p) = problem {
            out.push((i, p));
        }
        if s.number > 0 {
            prev = prev.max(s.number);
        }
    }
    out
}

/// The step numbers seen so far. A workflow's numbers are nearly always
/// small: a bit each for those below 128, no allocation; a tree for the
/// rest (a hash set cost more in hashing and its hasher's set-up than a
/// few dozen numbers are worth).
#[derive(Default)]
struct Seen {
    low: u128,
    high: std::collections::BTreeSet<u32>,
}

impl Seen {
    /// Adds `n`: whether it was not seen before (as `BTreeSet::insert`).
    fn insert(&mut self, n: u32) -> bool {
        if n < u128::BITS {
            let bit = 1u128 << n;
            let new = self.low & bit == 0;
            self.low |= bit;
            new
        } else {
            self.high.insert(n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The bits and the tree answer as one tree does.
        #[test]
        fn seen_answers_as_a_tree(numbers in proptest::collection::vec(0u32..300, 0..60)) {
            let mut seen = Seen::default();
            let mut tree = std::collections::BTreeSet::new();
            for n in numbers {
                proptest::prop_assert_eq!(seen.insert(n), tree.insert(n));
            }
        }
    }
}
