//! End-to-end tests of the command line: the real `skill-lsp` binary run on
//! the example skills, on copies of corpus skills and on broken inputs.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{run_cli, TempDir};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> PathBuf {
    repo().join("examples/skills")
}

/// The corpus of real skills (see [`common::corpus_holding`]); `None` when absent.
fn corpus() -> Option<PathBuf> {
    common::corpus_holding(&["forge/forge-plugin/skills"])
}

/// A damaged skill to fix, as (folder name, text): the corpus's fastapi skill
/// (its front matter was left whole, but a second step list was pasted above
/// the workflow), or the defective example where the corpus is not at hand.
fn damaged_skill() -> (&'static str, String) {
    match corpus() {
        Some(c) => (
            "fastapi",
            std::fs::read_to_string(c.join("forge/forge-plugin/skills/fastapi/SKILL.md")).unwrap(),
        ),
        None => (
            "broken-flask",
            std::fs::read_to_string(examples().join(DEFECTIVE)).unwrap(),
        ),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn codes(json: &Value) -> BTreeSet<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn utf16_col(line: &str, needle: &str) -> Option<u64> {
    line.find(needle).map(|byte| line[..byte].encode_utf16().count() as u64)
}

const CORRECT: &str = "skills/fastapi-review/SKILL.md";
const DEFECTIVE: &str = "skills/broken-flask/SKILL.md";

#[test]
fn the_correct_example_gives_no_errors_and_no_warnings() {
    let run = run_cli(&examples(), &["check", "--strict", "--format", "json", CORRECT]);
    let json = run.json();
    let found: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "information")
        .map(|d| format!("{} {} {}", d["code"], d["range"]["start"]["line"], d["message"]))
        .collect();
    assert!(
        found.is_empty(),
        "the correct example has findings:\n{}",
        found.join("\n")
    );
    assert_eq!(json["files"], 1);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let human = run_cli(&examples(), &["check", CORRECT]);
    assert_eq!(human.code, 0);
    assert_eq!(human.stdout, "Checked 1 file: no problems found.\n");
}

#[test]
fn the_defective_example_fails_with_a_finding_of_every_family() {
    let run = run_cli(&examples(), &["check", "--format", "json", DEFECTIVE]);
    assert_eq!(run.code, 1, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    let got = codes(&run.json());
    // Defects written into the file on purpose, at least one per family.
    let expected = [
        "SK003", "SK004", "SK005", "SK006", "SK007", "SK009", // front matter
        // Steps 1, 2, 4, 5...: step 3 numbered one too high (SK103), not a
        // missing step (SK102); the checklist is judged after renumbering.
        "SK103", "SK104", "SK105", "SK106", "SK107", "SK108", // workflow
        "SK114", "SK121", "SK122", "SK123", "SK124", // checklist and sections
        "SK201", "SK203", "SK204", "SK206", "SK207", // interfaces
        "SK301", "SK302", "SK303", // links
        "SK401", "SK402", "SK403", // metadata
    ];
    let missing: Vec<&str> = expected.iter().copied().filter(|c| !got.contains(*c)).collect();
    assert!(missing.is_empty(), "codes not reported: {missing:?}\ngot: {got:?}");
}

/// The example's steps run 1, 2, 4, 5...; step 4 loads context. That is
/// misnumbering: `--fix` renumbers headings and checklist items, and no
/// second "Load Context" step is inserted.
#[test]
fn the_misnumbered_example_is_renumbered_not_given_a_step() {
    let run = run_cli(&examples(), &["check", DEFECTIVE]);
    assert!(
        run.stdout
            .contains("error[SK103] [*] step 4 (Load Context) follows step 2 and does step 3's work"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("[SK102]"), "{}", run.stdout);
    let tmp = TempDir::new("renumber");
    copy_tree(&examples(), &tmp.path);
    let fixed = run_cli(&tmp.path, &["check", "--fix", DEFECTIVE]);
    assert!(fixed.code <= 1, "{}", fixed.stderr);
    let text = std::fs::read_to_string(tmp.path.join(DEFECTIVE)).unwrap();
    assert!(text.contains("### ⚠️ STEP 3: Load Context (REQUIRED)"), "{text}");
    assert_eq!(text.matches("Load Context").count(), 1, "{text}");
    assert!(
        text.contains("- [ ] Step 3: Context loaded via `contextProvider`"),
        "{text}"
    );
}

#[test]
fn the_example_root_is_walked_and_reported_for_people() {
    let run = run_cli(&examples(), &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.last().unwrap().starts_with("Checked 2 files: "), "{}", run.stdout);
    // Every finding: `path:line:col: severity[CODE] message`, the source line, a caret line.
    let mut findings = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix(&format!("{DEFECTIVE}:")) else {
            continue;
        };
        findings += 1;
        let (pos, message) = rest.split_once(": ").unwrap();
        let (l, c) = pos.split_once(':').unwrap();
        let (l, c): (usize, usize) = (l.parse().unwrap(), c.parse().unwrap());
        assert!(l >= 1 && c >= 1, "{line}");
        assert!(
            ["error[SK", "warning[SK", "information[SK"]
                .iter()
                .any(|p| message.starts_with(p)),
            "severity and code: {line}"
        );
        let source = lines[i + 2];
        assert!(
            source.starts_with(&format!("{l} | ")),
            "source line after {line}: {source}"
        );
        assert!(
            lines[i + 3].trim_start().starts_with('|') && lines[i + 3].contains('^'),
            "caret: {}",
            lines[i + 3]
        );
    }
    assert!(findings > 0, "{}", run.stdout);
    // The severity is named as in JSON and the docs.
    assert!(run.stdout.contains(": information[SK"), "{}", run.stdout);
    assert!(
        !run.stdout.contains(CORRECT),
        "the correct skill has findings:\n{}",
        run.stdout
    );
}

/// A copy of the example root where the correct skill's step 3 line starts
/// with an emoji and calls a method the interface does not define.
fn emoji_workspace() -> (TempDir, String) {
    let tmp = TempDir::new("emoji");
    copy_tree(&examples(), &tmp.path);
    std::fs::remove_dir_all(tmp.path.join("skills/broken-flask")).unwrap();
    let skill = tmp.path.join(CORRECT);
    let text = std::fs::read_to_string(&skill).unwrap();
    let bad = "1. 🚀 Use `contextProvider.getIndex(\"python\")` to see what Python context exists";
    let text = text.replace(
        "1. Use `contextProvider.getDomainIndex(\"python\")` to see what Python context exists",
        bad,
    );
    assert!(text.contains(bad));
    std::fs::write(&skill, &text).unwrap();
    (tmp, text)
}

#[test]
fn json_output_has_the_documented_shape_with_utf16_columns() {
    let (tmp, text) = emoji_workspace();
    let run = run_cli(&tmp.path, &["check", "--format", "json"]);
    let json = run.json();
    let top: BTreeSet<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert!(
        top.is_superset(&BTreeSet::from(["files", "diagnostics", "errors"])),
        "{top:?}"
    );
    assert_eq!(json["files"], 1);
    assert_eq!(json["errors"], serde_json::json!([]));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for d in diagnostics {
        let mut keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        // `fix` says how a fix applies, and is there exactly when one is.
        assert_eq!(keys.remove("fix"), d["fixable"] == true, "{d}");
        if d["fixable"] == true {
            assert!(
                ["safe", "unsafe", "choice"].contains(&d["fix"].as_str().unwrap()),
                "{d}"
            );
        }
        assert_eq!(
            keys,
            BTreeSet::from(["path", "code", "severity", "message", "range", "fixable"]),
            "{d}"
        );
        assert_eq!(d["path"], CORRECT, "paths are relative to the current folder");
        assert!(d["code"].as_str().unwrap().starts_with("SK"));
        assert!(["error", "warning", "information"].contains(&d["severity"].as_str().unwrap()));
        assert!(!d["message"].as_str().unwrap().is_empty());
        assert!(d["fixable"].is_boolean());
        for end in ["start", "end"] {
            let line = d["range"][end]["line"].as_u64().unwrap() as usize;
            let character = d["range"][end]["character"].as_u64().unwrap() as usize;
            assert!(line < lines.len().max(1) + 1, "{d}");
            let len16 = lines.get(line).map_or(0, |l| l.encode_utf16().count());
            assert!(character <= len16, "character past the end of its line: {d}");
        }
    }
    let line_no = lines.iter().position(|l| l.contains("🚀")).unwrap();
    let sk201 = diagnostics
        .iter()
        .find(|d| d["code"] == "SK201")
        .unwrap_or_else(|| panic!("no SK201 for `contextProvider.getIndex`: {diagnostics:#?}"));
    let start = &sk201["range"]["start"];
    assert_eq!(
        start["line"].as_u64().unwrap() as usize,
        line_no,
        "lines are zero-based"
    );
    let line = lines[line_no];
    let allowed = [utf16_col(line, "contextProvider.getIndex"), utf16_col(line, "getIndex")];
    let character = start["character"].as_u64().unwrap();
    assert!(
        allowed.contains(&Some(character)),
        "SK201 starts at {character}, expected one of {allowed:?} (UTF-16)"
    );
    assert_eq!(run.code, 1, "SK201 is an error");
}

#[test]
fn sarif_output_is_a_sarif_2_1_0_log() {
    let run = run_cli(&examples(), &["check", "--format", "sarif", DEFECTIVE]);
    let log = run.json();
    assert_eq!(log["version"], "2.1.0");
    let sarif_run = &log["runs"][0];
    assert_eq!(sarif_run["tool"]["driver"]["name"], "skill-lsp");
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"SK001") && ids.contains(&"SK403"), "{ids:?}");
    let listed = run_cli(&examples(), &["explain"]);
    assert_eq!(
        listed.stdout.lines().filter(|l| l.starts_with("SK")).count(),
        rules.len()
    );

    let json = run_cli(&examples(), &["check", "--format", "json", DEFECTIVE]).json();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    for (r, d) in results.iter().zip(diagnostics) {
        assert_eq!(r["ruleId"], d["code"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], DEFECTIVE);
        let region = &loc["region"];
        assert_eq!(
            region["startLine"].as_u64().unwrap(),
            d["range"]["start"]["line"].as_u64().unwrap() + 1
        );
        assert_eq!(
            region["startColumn"].as_u64().unwrap(),
            d["range"]["start"]["character"].as_u64().unwrap() + 1
        );
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }
    assert_eq!(run.code, 1);
}

#[test]
fn github_output_is_one_workflow_annotation_per_finding() {
    let run = run_cli(&examples(), &["check", "--format", "github", DEFECTIVE]);
    let json = run_cli(&examples(), &["check", "--format", "json", DEFECTIVE]).json();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        json["diagnostics"].as_array().unwrap().len(),
        "{}",
        run.stdout
    );
    assert!(!lines.is_empty());
    for line in &lines {
        let rest = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (props, message) = rest.split_once("::").unwrap();
        assert!(!message.is_empty());
        let keys: Vec<&str> = props.split(',').map(|p| p.split_once('=').unwrap().0).collect();
        assert_eq!(keys, ["file", "line", "col", "endLine", "endColumn", "title"], "{line}");
        assert!(props.starts_with(&format!("file={DEFECTIVE},line=")), "{line}");
        assert!(props.contains(",title=SK"), "{line}");
    }
    assert_eq!(run.code, 1);
}

#[test]
fn fix_mends_a_damaged_corpus_skill_once_and_then_changes_nothing() {
    let (name, original) = damaged_skill();
    let rel = format!("{name}/SKILL.md");
    let tmp = TempDir::new("fix");
    let skill = tmp.write(&rel, &original);
    // A workflow skill away from its skills root: its config says so.
    tmp.write("skill-lsp.toml", "profile = \"workflow\"\n");

    let first = run_cli(&tmp.path, &["check", "--fix", "--format", "json"]);
    assert!(first.code == 0 || first.code == 1, "{}", first.stderr);
    let after_first = std::fs::read_to_string(&skill).unwrap();
    let fixed = first.json()["fixed"].clone();
    assert!(fixed.is_array(), "--fix lists what it changed: {}", first.stdout);

    let second = run_cli(&tmp.path, &["check", "--fix", "--format", "json"]);
    let after_second = std::fs::read_to_string(&skill).unwrap();
    assert!(after_first == after_second, "a second --fix changed the file");
    assert_eq!(
        second.json()["fixed"],
        serde_json::json!([]),
        "a second --fix reported changes"
    );
    assert_eq!(second.code, first.code);

    // The fixed file still parses: front matter intact, no syntax errors.
    assert!(
        after_first.starts_with("---\nname: "),
        "{}",
        &after_first[..after_first.len().min(200)]
    );
    let check = run_cli(&tmp.path, &["check", "--format", "json"]).json();
    let syntax: Vec<&Value> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SK001" || d["code"] == "SK002")
        .collect();
    assert!(syntax.is_empty(), "the fixed file no longer parses: {syntax:?}");

    // The damaged skill carries a pasted second step list, which has a safe fix.
    assert!(
        after_first != original,
        "--fix changed nothing in the damaged {name} skill"
    );
    assert!(
        !after_first.contains("### Step 1: Initial Analysis"),
        "the pasted step list is still there"
    );
    assert_eq!(fixed.as_array().unwrap().len(), 1, "{fixed}");
    assert_eq!(fixed[0]["path"], rel.as_str());
    assert!(fixed[0]["applied"].as_u64().unwrap() >= 1);
    let human = run_cli(&tmp.path, &["check", "--fix"]);
    assert!(human.stdout.contains("0 fixes applied"), "{}", human.stdout);
}

#[test]
fn human_fix_output_names_each_changed_file() {
    let (name, damaged) = damaged_skill();
    let tmp = TempDir::new("fix-human");
    tmp.write(&format!("{name}/SKILL.md"), &damaged);
    tmp.write("skill-lsp.toml", "profile = \"workflow\"\n");
    let run = run_cli(&tmp.path, &["check", "--fix"]);
    assert!(
        run.stdout.contains(&format!("Fixed {name}/SKILL.md (")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  - Delete the stray step list"), "{}", run.stdout);
}

/// Fixes that interact: a skill whose `name` is not its folder's and whose
/// memory call names neither. The first round sets `name` to the folder's and,
/// from the `name` it read, writes `fastapi-review` into the call; the second
/// round writes the new name over it. The report names only the fixes whose
/// effect is in the file written, and counts those.
#[test]
fn the_fix_report_leaves_out_fixes_a_later_fix_rewrote() {
    let tmp = TempDir::new("fix-rewritten");
    copy_tree(&examples(), &tmp.path);
    let text = std::fs::read_to_string(examples().join(CORRECT)).unwrap().replacen(
        "getSkillMemory(\"fastapi-review\"",
        "getSkillMemory(\"fastapi\"",
        1,
    );
    let skill = "skills/api-review/SKILL.md";
    tmp.write(skill, &text);
    let run = run_cli(&tmp.path, &["check", "--unsafe-fixes", "--format", "json", skill]);
    assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
    let after = std::fs::read_to_string(tmp.path.join(skill)).unwrap();
    assert!(after.contains("getSkillMemory(\"api-review\""), "{after}");
    assert!(!after.contains("\"fastapi-review\""), "{after}");
    let fixed = &run.json()["fixed"][0];
    assert_eq!(
        fixed["fixes"],
        serde_json::json!(["Set `name` to `api-review`", "Use the skill's name `api-review`"]),
        "{fixed}"
    );
    assert_eq!(fixed["applied"], 2, "{fixed}");

    tmp.write(skill, &text);
    let human = run_cli(&tmp.path, &["check", "--unsafe-fixes", skill]);
    assert!(
        human.stdout.contains(&format!("Fixed {skill} (2 fixes):\n")),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains("`fastapi-review`"), "{}", human.stdout);
    assert!(human.stdout.contains("2 fixes applied in 1 file"), "{}", human.stdout);
}

#[test]
fn unreadable_inputs_are_reported_and_the_rest_still_checked() {
    let tmp = TempDir::new("inputs");
    let good = std::fs::read_to_string(examples().join(CORRECT)).unwrap();
    tmp.write("skills/fastapi-review/SKILL.md", &good);
    let latin1 = tmp.join("skills/latin1/SKILL.md");
    std::fs::create_dir_all(latin1.parent().unwrap()).unwrap();
    std::fs::write(&latin1, b"---\nname: latin1\n---\n# Caf\xe9\n").unwrap();
    let looped = tmp.path.join("skills/loop/SKILL.md");
    std::fs::create_dir_all(looped.parent().unwrap()).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("SKILL.md", &looped).unwrap();
        std::os::unix::fs::symlink("..", tmp.path.join("skills/fastapi-review/up")).unwrap();
    }

    let run = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(
        run.code, 2,
        "unreadable input gives exit status 2\n{}{}",
        run.stdout, run.stderr
    );
    let json = run.json();
    assert_eq!(json["files"], 1, "the readable skill is still checked: {json}");
    let errors = json["errors"].as_array().unwrap();
    let kinds: BTreeSet<(&str, &str)> = errors
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("skills/latin1/SKILL.md", "invalid-utf8")), "{kinds:?}");
    if cfg!(unix) {
        assert!(kinds.contains(&("skills/loop/SKILL.md", "symlink-loop")), "{kinds:?}");
        // A link to a folder above loses nothing (the folder is walked
        // anyway): a notice, not an input error.
        assert!(
            !kinds.iter().any(|(p, _)| p.starts_with("skills/fastapi-review/up")),
            "{kinds:?}"
        );
        assert!(
            run.stderr
                .contains("skills/fastapi-review/up/: warning[symlink-to-ancestor]"),
            "{}",
            run.stderr
        );
    }
    let latin1 = errors.iter().find(|e| e["kind"] == "invalid-utf8").unwrap();
    assert_eq!(latin1["position"], serde_json::json!({"line": 3, "character": 5}));

    // The same in the human report, one clear line each.
    let human = run_cli(&tmp.path, &["check"]);
    assert_eq!(human.code, 2);
    assert!(
        human
            .stdout
            .contains("skills/latin1/SKILL.md:4:6: error[invalid-utf8] not valid UTF-8"),
        "{}",
        human.stdout
    );
    assert!(!human.stderr.contains("panicked"), "{}", human.stderr);

    // A path that does not exist, or that passes through a file.
    let missing = run_cli(&tmp.path, &["check", "no/such/SKILL.md"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stdout.contains("no/such/SKILL.md: error[not-found]"),
        "{}",
        missing.stdout
    );
    let through = run_cli(
        &tmp.path,
        &["check", "--format", "json", "skills/fastapi-review/SKILL.md/x"],
    );
    assert_eq!(through.code, 2);
    assert_eq!(through.json()["errors"][0]["kind"], "unreadable");
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new("perm");
    let skill = tmp.write("skills/secret/SKILL.md", "---\nname: secret\n---\n");
    std::fs::set_permissions(&skill, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&skill).is_ok() {
        // Running as a user who reads everything (root): nothing to test.
        return;
    }
    let run = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["errors"][0]["kind"], "unreadable");
}

#[test]
fn bad_usage_exits_with_status_2() {
    for args in [
        &["check", "--format", "yaml"][..],
        &["check", "--no-such-flag"],
        &["explain", "SK999"],
        &["check", "--config", "/no/such/skill-lsp.toml", "."],
    ] {
        let run = run_cli(&examples(), args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(!run.stderr.is_empty(), "{args:?} says what is wrong");
    }
    let unknown = run_cli(&examples(), &["explain", "SK1O2"]);
    assert!(
        unknown.stderr.contains("SK102"),
        "suggests the closest code: {}",
        unknown.stderr
    );
}

#[test]
fn a_broken_config_is_reported() {
    let tmp = TempDir::new("config");
    tmp.write("skill-lsp.toml", "[rules]\nSK999 = \"off\"\n");
    tmp.write(
        "skills/x/SKILL.md",
        &std::fs::read_to_string(examples().join(CORRECT)).unwrap(),
    );
    let run = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_eq!(json["errors"][0]["kind"], "invalid-config");
    assert!(json["errors"][0]["message"].as_str().unwrap().contains("SK999"));
    // At the entry that names it (zero-based, as JSON positions are).
    assert_eq!(
        json["errors"][0]["position"],
        serde_json::json!({"line": 1, "character": 0})
    );
    assert_eq!(
        json["files"], 1,
        "the skill is still checked, with the default settings"
    );
}

#[test]
fn config_ignore_globs_skip_walked_files_but_not_named_ones() {
    let tmp = TempDir::new("ignore");
    tmp.write("skill-lsp.toml", "ignore = [\"drafts/**\"]\n");
    tmp.write("drafts/wip/SKILL.md", "no front matter at all\n");
    tmp.write(
        "skills/fastapi-review/SKILL.md",
        &std::fs::read_to_string(examples().join(CORRECT)).unwrap(),
    );
    tmp.write(".gitignore", "generated/\n");
    tmp.write("generated/g/SKILL.md", "no front matter either\n");
    let walked = run_cli(&tmp.path, &["check", "--format", "json"]).json();
    assert_eq!(walked["files"], 1, "{walked}");
    let named = run_cli(&tmp.path, &["check", "--format", "json", "drafts/wip/SKILL.md"]).json();
    assert_eq!(named["files"], 1);
    assert!(codes(&named).contains("SK001"), "{named}");
}

#[test]
fn strict_fails_on_warnings_too() {
    let tmp = TempDir::new("strict");
    copy_tree(&examples(), &tmp.path);
    std::fs::remove_dir_all(tmp.path.join("skills/broken-flask")).unwrap();
    let skill = tmp.path.join(CORRECT);
    let text = std::fs::read_to_string(&skill)
        .unwrap()
        .replace("- [ ] Step 4:", "- [x] Step 4:");
    std::fs::write(&skill, text).unwrap();
    let lenient = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(
        codes(&lenient.json()),
        BTreeSet::from(["SK114".to_string()]),
        "{}",
        lenient.stdout
    );
    assert_eq!(lenient.code, 0);
    assert_eq!(run_cli(&tmp.path, &["check", "--strict"]).code, 1);
}

#[test]
fn output_is_deterministic_and_sorted() {
    let first = run_cli(&examples(), &["check", "--format", "json"]);
    let second = run_cli(&examples(), &["check", "--format", "json"]);
    assert_eq!(first.stdout, second.stdout);
    let keys: Vec<(String, u64, u64)> = first.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = &d["range"]["start"];
            (
                d["path"].as_str().unwrap().to_string(),
                s["line"].as_u64().unwrap(),
                s["character"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn explain_prints_a_rules_documentation() {
    let run = run_cli(&examples(), &["explain", "SK102"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# SK102 step-missing\n"), "{}", run.stdout);
    assert!(run.stdout.contains("Severity: error"));
    // SK102's fix inserts a skeleton to fill in: unsafe, left by `--fix`.
    assert!(
        run.stdout.contains("Fix: unsafe (`skill-lsp check --unsafe-fixes`"),
        "{}",
        run.stdout
    );
    let safe = run_cli(&examples(), &["explain", "SK203"]);
    assert!(
        safe.stdout.contains("Fix: safe (`skill-lsp check --fix`"),
        "{}",
        safe.stdout
    );
    for section in ["## What it checks", "## Why it matters", "## Example", "## Fix"] {
        assert!(
            run.stdout.contains(section),
            "explain SK102 lacks `{section}`:\n{}",
            run.stdout
        );
    }
    let by_name = run_cli(&examples(), &["explain", "step-missing"]);
    assert_eq!(by_name.stdout, run.stdout);

    let list = run_cli(&examples(), &["explain"]);
    assert_eq!(list.code, 0);
    for code in ["SK001", "SK102", "SK209", "SK403"] {
        assert!(
            list.stdout.lines().any(|l| l.starts_with(code)),
            "{code} not listed:\n{}",
            list.stdout
        );
    }
}

/// Old Mac line ends (a lone `\r`): the same findings at the same lines and
/// columns as the `\n` file, source lines printed one by one, and fixes that
/// write `\r` and never a second front matter.
#[test]
fn bare_cr_files_read_like_lf_files_and_fixes_keep_their_line_ends() {
    let tmp = TempDir::new("bare-cr");
    copy_tree(&examples(), &tmp.path);
    let lf = std::fs::read_to_string(examples().join(DEFECTIVE)).unwrap();
    assert!(!lf.contains('\r'));
    let cr = lf.replace('\n', "\r");
    let skill = tmp.write(DEFECTIVE, &cr);

    let expected = run_cli(&examples(), &["check", "--format", "json", DEFECTIVE]).json();
    let got = run_cli(&tmp.path, &["check", "--format", "json", DEFECTIVE]).json();
    assert_eq!(got["diagnostics"], expected["diagnostics"]);
    assert!(!codes(&got).contains("SK001"), "{got}");

    let human = run_cli(&tmp.path, &["check", DEFECTIVE]);
    assert!(!human.stdout.contains('\r'), "raw \\r on the terminal");
    assert!(human.stdout.len() < 4 * lf.len(), "{}", human.stdout);
    assert!(
        human.stdout.lines().any(|l| l.trim_end() == "1 | ---"),
        "the first source line alone: {}",
        human.stdout
    );

    let fixed = run_cli(&tmp.path, &["check", "--unsafe-fixes", DEFECTIVE]);
    assert!(fixed.code == 0 || fixed.code == 1, "{}", fixed.stderr);
    let after = std::fs::read_to_string(&skill).unwrap();
    assert_ne!(after, cr, "--unsafe-fixes changed nothing");
    assert!(!after.contains('\n'), "a fix wrote \\n into a \\r file");
    assert_eq!(after.matches("\rname: ").count(), 1, "{after:?}");
    assert!(after.starts_with("---\rname: broken-flask\r"), "{after:?}");
    // The same fixes as in the `\n` file, line end for line end.
    let lf_copy = TempDir::new("bare-cr-lf");
    copy_tree(&examples(), &lf_copy.path);
    run_cli(&lf_copy.path, &["check", "--unsafe-fixes", DEFECTIVE]);
    let lf_after = std::fs::read_to_string(lf_copy.path.join(DEFECTIVE)).unwrap();
    assert_eq!(after.replace('\r', "\n"), lf_after);
}

/// One defect, one finding: the example's `getConditionalContext("pyhton", …)`
/// misspells the declared domain `python`, which SK204 owns (it knows which
/// domain was meant); SK208 (no folder of `context/`) stays quiet there.
#[test]
fn a_misspelt_declared_domain_is_one_finding() {
    let run = run_cli(&examples(), &["check", "--format", "json", DEFECTIVE]);
    let json = run.json();
    let diags = json["diagnostics"].as_array().unwrap();
    let at_pyhton: Vec<&str> = diags
        .iter()
        .filter(|d| d["range"]["start"]["line"] == 56 && d["range"]["start"]["character"] == 66)
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(at_pyhton, ["SK204"], "{}", run.stdout);
    let mut ranges = BTreeSet::new();
    for d in diags.iter().filter(|d| d["code"] == "SK204" || d["code"] == "SK208") {
        assert!(ranges.insert(d["range"].to_string()), "two findings on {}", d["range"]);
    }
}

/// Control characters from a file (a terminal title sequence in a key, a
/// NUL) reach the terminal escaped, never raw.
#[test]
fn control_characters_from_a_file_are_escaped_on_the_terminal() {
    let tmp = TempDir::new("controls");
    tmp.write(
        "demo/SKILL.md",
        "---\nname: demo\ndescription: Does a demo thing when asked to.\nbad\u{1b}]0;owned\u{7}key: 1\n---\n# Demo\n\nText \u{0} here.\n",
    );
    let run = run_cli(&tmp.path, &["check", "--profile", "agentskills"]);
    assert!(run.stdout.contains("\\x1b]0;owned\\x07"), "{}", run.stdout);
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stdout
    );
}

/// A finding on a 200 KB line prints a window around its range, not the
/// line; after wide (CJK) characters the carets sit under the range.
#[test]
fn a_long_line_is_shown_as_a_window_and_carets_follow_wide_characters() {
    let tmp = TempDir::new("long-line");
    let long = format!("{} see [the notes](MISSING.md).", "word ".repeat(40_000));
    tmp.write(
        "demo/SKILL.md",
        &format!("---\nname: demo\ndescription: Does a demo thing when asked to.\n---\n# Demo\n\n{long}\n\n中文中文 [表](GONE.md)\n"),
    );
    let run = run_cli(&tmp.path, &["check", "--color", "never", "--profile", "agentskills"]);
    assert!(
        run.stdout.contains("MISSING.md"),
        "{}",
        &run.stdout[..run.stdout.len().min(2000)]
    );
    assert!(
        run.stdout.len() < 8 * 1024,
        "{} bytes printed for a {}-byte line",
        run.stdout.len(),
        long.len()
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.ends_with("中文中文 [表](GONE.md)"))
        .unwrap();
    let (code, carets) = (lines[source], lines[source + 1]);
    let bar = code.find('|').unwrap();
    // Each CJK character is two columns wide: `中文中文 [表](` is 13 columns.
    let caret_col = carets[bar..].find('^').unwrap();
    let code_col = code[bar..]
        .find("GONE.md")
        .map(|b| {
            code[bar..bar + b]
                .chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        })
        .unwrap();
    assert_eq!(caret_col, code_col, "{code}\n{carets}");
}

/// A folder named on the command line that holds no skill fails (exit 2), as
/// eslint fails a pattern that matches nothing; a bare `check` only warns.
#[test]
fn a_named_path_without_skills_fails_and_a_bare_check_only_warns() {
    let tmp = TempDir::new("empty");
    std::fs::create_dir_all(tmp.path.join("emptydir")).unwrap();
    let named = run_cli(&tmp.path, &["check", "emptydir"]);
    assert_eq!(named.code, 2, "{}{}", named.stdout, named.stderr);
    assert!(
        named.stderr.contains("no SKILL.md files found under emptydir"),
        "{}",
        named.stderr
    );
    let bare = run_cli(&tmp.path.join("emptydir"), &["check"]);
    assert_eq!(bare.code, 0, "{}{}", bare.stdout, bare.stderr);
    assert!(bare.stderr.contains("no SKILL.md files found"), "{}", bare.stderr);
}

/// A folder named on the command line whose skills the configuration's
/// `ignore` globs exclude: the message says so and how to check one anyway
/// (not "no SKILL.md files found"), and naming the file checks it.
#[test]
fn a_named_folder_the_config_ignores_says_so() {
    let tmp = TempDir::new("ignored");
    tmp.write("skill-lsp.toml", "ignore = [\"drafts/**\"]\n");
    tmp.write(
        "drafts/demo/SKILL.md",
        "---\nname: demo\ndescription: Does a demo thing when asked to.\n---\n# Demo\n\nText.\n",
    );
    let run = run_cli(&tmp.path, &["check", "--profile", "agentskills", "drafts"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("no SKILL.md files found"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "no SKILL.md files to check under drafts: the 1 found is excluded by the `ignore` globs of skill-lsp.toml (drafts/demo/SKILL.md); name a SKILL.md file to check it anyway"
        ),
        "{}",
        run.stderr
    );
    let named = run_cli(
        &tmp.path,
        &["check", "--profile", "agentskills", "drafts/demo/SKILL.md"],
    );
    assert!(
        named.stdout.contains("Checked 1 file"),
        "{}{}",
        named.stdout,
        named.stderr
    );
}

/// Bare `skill-lsp` on a terminal says on stderr what it waits for; on a
/// pipe (an editor) it says nothing. The terminal comes from `script(1)`.
#[test]
fn bare_skill_lsp_on_a_terminal_says_what_it_waits_for() {
    let Ok(script) = which_script() else { return };
    let bin = common::binary();
    let out = std::process::Command::new(script)
        .args(["-qec", &format!("timeout 2 {} ; true", bin.display()), "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("waiting for LSP messages on stdin"), "{text}");
    assert!(text.contains("skill-lsp check"), "{text}");
    let piped = std::process::Command::new(&bin)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("waiting for LSP"));
}

fn which_script() -> Result<PathBuf, ()> {
    ["/usr/bin/script", "/bin/script"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .ok_or(())
}

/// `--color` and the colour variables: off on a pipe by default, on with
/// `--color always`, `FORCE_COLOR` or `CLICOLOR_FORCE`, off with `--color never`.
#[test]
fn colour_follows_the_option_and_the_environment() {
    let has_escape = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(common::binary());
        cmd.current_dir(examples()).args(args);
        for k in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
    };
    assert!(!has_escape(&["check", DEFECTIVE], &[]));
    assert!(has_escape(&["check", "--color", "always", DEFECTIVE], &[]));
    assert!(has_escape(&["check", DEFECTIVE], &[("FORCE_COLOR", "1")]));
    assert!(has_escape(&["check", DEFECTIVE], &[("CLICOLOR_FORCE", "1")]));
    assert!(!has_escape(
        &["check", "--color", "never", DEFECTIVE],
        &[("FORCE_COLOR", "1")]
    ));
}

/// Configuration errors: the path once, a `root` that is not there reported,
/// rule names accepted wherever codes are.
#[test]
fn config_errors_name_the_file_once_and_a_missing_root_is_one() {
    let tmp = TempDir::new("config-root");
    tmp.write("skill-lsp.toml", "root = \"nope\"\n");
    tmp.write(
        "skills/x/SKILL.md",
        &std::fs::read_to_string(examples().join(CORRECT)).unwrap(),
    );
    let run = run_cli(&tmp.path, &["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("invalid-config"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(line.contains("root `nope` is no folder"), "{line}");
    assert_eq!(
        line.matches("skill-lsp.toml").count(),
        2,
        "path, then the file named in the advice: {line}"
    );
    // Where in the file: the value `nope`, line 1, column 9.
    assert!(
        line.starts_with("skill-lsp.toml:1:9: error[invalid-config] root"),
        "{line}"
    );

    tmp.write("skill-lsp.toml", "[rules]\nstep-missing = \"off\"\n");
    let run = run_cli(&tmp.path, &["check", "--format", "json"]);
    assert_eq!(run.json()["errors"], serde_json::json!([]), "{}", run.stdout);
}

/// A config with three errors: all three reported, each at the line and
/// column of its key or value, in the human and the JSON report; the skill
/// is still checked, with the defaults, and the run exits 2.
#[test]
fn every_config_error_is_reported_at_its_key_or_value() {
    let tmp = TempDir::new("config-three");
    copy_tree(&examples(), &tmp.path);
    tmp.write(
        "skill-lsp.toml",
        "# team settings\nprofile = \"six\"\n[rules]\nSK999 = \"off\"\n[workflow]\nsteps = 0\n",
    );
    let run = run_cli(&tmp.path, &["check", "--color", "never", CORRECT]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains("invalid-config")).collect();
    let expected = [
        "skill-lsp.toml:2:12: error[invalid-config] profile `six` is not one of",
        "skill-lsp.toml:4:1: error[invalid-config] unknown rule `SK999` under [rules]",
        "skill-lsp.toml:6:9: error[invalid-config] workflow.steps must be 1 to 100, not 0",
    ];
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    for (line, start) in lines.iter().zip(expected) {
        assert!(line.starts_with(start), "{line}\nexpected {start}");
    }
    assert!(run.stdout.contains("; 3 configuration errors."), "{}", run.stdout);

    let json = run_cli(&tmp.path, &["check", "--format", "json", CORRECT]).json();
    let places: Vec<(&str, Value)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["position"].clone()))
        .collect();
    assert_eq!(
        places,
        [
            ("skill-lsp.toml", serde_json::json!({"line": 1, "character": 11})),
            ("skill-lsp.toml", serde_json::json!({"line": 3, "character": 0})),
            ("skill-lsp.toml", serde_json::json!({"line": 5, "character": 8})),
        ],
        "{json}"
    );
    assert_eq!(json["files"], 1, "the skill is still checked");
}

/// An error in a config that `extend` brings in is placed in that file, at
/// its own line and column, after the extending file's own errors.
#[test]
fn an_error_in_an_extended_config_points_at_that_file() {
    let tmp = TempDir::new("config-extend");
    copy_tree(&examples(), &tmp.path);
    tmp.write("skill-lsp.toml", "extend = \"team/base.toml\"\ncolour = \"red\"\n");
    tmp.write("team/base.toml", "[rules]\nSK104 = \"off\"\nSK105 = \"loud\"\n");
    let run = run_cli(&tmp.path, &["check", "--color", "never", CORRECT]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains("invalid-config")).collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("skill-lsp.toml:2:1: error[invalid-config] unknown key `colour`"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(
            "team/base.toml:3:10: error[invalid-config] rule `SK105`: `loud` is not one of error, warning, information, off"
        ),
        "{}",
        lines[1]
    );
    // A file `extend` names that is not there: at the `extend` value.
    tmp.write("skill-lsp.toml", "extend = \"team/gone.toml\"\n");
    let json = run_cli(&tmp.path, &["check", "--format", "json", CORRECT]).json();
    let error = &json["errors"][0];
    assert_eq!(error["path"], "skill-lsp.toml", "{json}");
    assert_eq!(error["position"], serde_json::json!({"line": 0, "character": 10}));
    assert!(
        error["message"].as_str().unwrap().contains("gone.toml cannot be read"),
        "{error}"
    );
}

/// A TOML syntax error has its line and column; a `[workflow.calls]` entry
/// no interface of the workspace can make (so SK205 could never be met) is
/// an error at that entry, naming what the interface has.
#[test]
fn config_errors_have_positions_and_calls_are_validated() {
    let tmp = TempDir::new("config-calls");
    copy_tree(&examples(), &tmp.path);
    tmp.write(
        "skill-lsp.toml",
        "[workflow]\nsteps = 6\n\n[workflow.calls]\n2 = [\"memoryStore.nope\"]\n",
    );
    let run = run_cli(&tmp.path, &["check", "--format", "json", CORRECT]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let error = &json["errors"][0];
    assert_eq!(error["kind"], "invalid-config", "{json}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("[workflow.calls] `memoryStore.nope` under step `2`: `memoryStore` has no method `nope` (it has `create`, `read`"),
        "{message}"
    );
    assert!(
        message.ends_with("so no skill could meet it (SK205); name a call the interfaces define"),
        "{message}"
    );
    assert_eq!(error["position"], serde_json::json!({"line": 4, "character": 6}));

    tmp.write("skill-lsp.toml", "[rules]\nSK102 = \"off\"\nsteps = [\n");
    let run = run_cli(&tmp.path, &["check", CORRECT]);
    assert!(
        run.stdout.contains("skill-lsp.toml:3:"),
        "a syntax error has its line: {}",
        run.stdout
    );
}

/// A `skill=` keyword naming another skill in a memory call that no form of
/// the method fits is still SK203's.
#[test]
fn a_skill_keyword_naming_another_skill_in_update_is_reported() {
    let tmp = TempDir::new("skill-keyword");
    copy_tree(&examples(), &tmp.path);
    let text = std::fs::read_to_string(examples().join(CORRECT)).unwrap().replacen(
        "memoryStore.update(\"fastapi-review\", \"{project-name}\", ...)",
        "memoryStore.update(layer=\"skill-specific\", skill=\"flask-review\", project=\"{project-name}\")",
        1,
    );
    tmp.write(CORRECT, &text);
    let run = run_cli(&tmp.path, &["check", "--format", "json", CORRECT]);
    let json = run.json();
    let sk203: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SK203")
        .collect();
    assert_eq!(sk203.len(), 1, "{}", run.stdout);
    assert!(sk203[0]["message"].as_str().unwrap().contains("`flask-review`"));
    let fixed = run_cli(&tmp.path, &["check", "--fix", CORRECT]);
    assert!(fixed.code <= 1, "{}", fixed.stderr);
    let after = std::fs::read_to_string(tmp.path.join(CORRECT)).unwrap();
    assert!(after.contains("skill=\"fastapi-review\""), "{after}");
}
