//! CONTRIBUTING.md's "Adding a rule" shows the example rule verbatim: the
//! copy in the guide must equal `src/rules/example_rule.rs`, which the crate
//! compiles and tests, so following the guide starts from code that builds.

use std::path::Path;

#[test]
fn the_guides_rule_template_is_the_compiled_example_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("../../CONTRIBUTING.md")).unwrap();
    let example = std::fs::read_to_string(root.join("src/rules/example_rule.rs")).unwrap();
    let section = guide
        .split_once("### 2. Write the rule file")
        .expect("CONTRIBUTING.md has the step \"2. Write the rule file\"")
        .1;
    let shown = section
        .split_once("````rust\n")
        .and_then(|(_, rest)| rest.split_once("\n````\n"))
        .map(|(code, _)| format!("{code}\n"))
        .expect("the step shows the rule in a ````rust block (four backticks: the docs hold ``` fences)");
    assert!(
        shown == example,
        "CONTRIBUTING.md's rule template differs from crates/skill-core/src/rules/example_rule.rs: copy the file into the guide"
    );
}
