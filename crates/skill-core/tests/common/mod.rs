//! What the property tests of this crate share.

use proptest::test_runner::Config as ProptestConfig;

/// `PROPTEST_CASES` when set, else `default` (small enough for CI in debug).
pub fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        // Shrinking a slow case may take long; a bounded number of steps is enough.
        max_shrink_iters: 2_000,
        // Inputs that once failed are kept as named tests, not in files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The character boundary at or before fraction `f` of `text`.
#[allow(dead_code)] // not every test of the crate cuts texts
pub fn boundary(text: &str, f: f64) -> usize {
    let mut i = ((text.len() as f64) * f.clamp(0.0, 1.0)) as usize;
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
