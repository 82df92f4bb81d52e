//! Fixes, end to end: the fixable rules are exactly those the catalogue
//! (`rules.md`) gives a fix; each rule's fix mends its fixtures without
//! side effects; every safe fix over the real corpus keeps the author's text
//! and leaves fewer findings; `check --fix` writes only text that parses; and
//! an editor's quick fix inserts a missing step in the skill's own style,
//! under a team's workflow the very step completion offers.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{apply_lsp_edits, file_uri, run_cli, Server, TempDir};
use serde_json::json;
use skill_core::analysis::front_matter_parses;
use skill_core::fix::{apply_edits, apply_fixes};
use skill_core::rules::ALL;
use skill_core::{check, fix_document, Applicability, Config, Diagnostic, Edit, Severity, SkillDoc, Workspace};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first of `candidates` that exists.
fn first_existing(candidates: impl IntoIterator<Item = Option<PathBuf>>, probe: &str) -> Option<PathBuf> {
    candidates.into_iter().flatten().find(|p| p.join(probe).exists())
}

/// The corpus of real skills (see [`common::corpus_holding`]); `None` when absent.
fn corpus() -> Option<PathBuf> {
    common::corpus_holding(&["forge/forge-plugin/skills"])
}

/// The rule catalogue, `rules.md`, from the shared specification.
fn catalogue() -> Option<String> {
    let dir = first_existing(
        [
            std::env::var_os("SKILL_LSP_SPEC").map(PathBuf::from),
            Some(repo().join("../shared/spec")),
            Some(PathBuf::from("/work/shared/spec")),
        ],
        "rules.md",
    )?;
    std::fs::read_to_string(dir.join("rules.md")).ok()
}

/// The codes of the catalogue's tables, each with whether its row has a fix
/// (last column not `—`).
fn catalogue_rows(md: &str) -> BTreeMap<String, bool> {
    md.lines()
        .filter(|l| l.starts_with("| SK"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            let fix = *cells.last()?;
            let has_fix = !fix.is_empty() && fix != "—" && fix != "-";
            Some((cells[0].to_string(), has_fix))
        })
        .collect()
}

fn fixable_rules() -> Vec<&'static str> {
    ALL.iter().filter(|r| r.fix.any()).map(|r| r.code).collect()
}

// ---------------------------------------------------------------------------
// (a) Each fixable rule on its fixtures
// ---------------------------------------------------------------------------

#[test]
fn the_fixable_rules_are_exactly_those_the_catalogue_gives_a_fix() {
    let code: BTreeSet<String> = fixable_rules().into_iter().map(String::from).collect();
    assert!(code.len() >= 20, "only {} rules have a fix: {code:?}", code.len());
    for rule in ALL.iter().filter(|r| r.fix.any()) {
        assert!(
            rule.docs.contains("## Fix"),
            "{} has a fix but its docs do not say what it does",
            rule.code
        );
    }
    let Some(md) = catalogue() else {
        eprintln!("rules.md not found: the fix column is not compared");
        return;
    };
    let rows = catalogue_rows(&md);
    assert!(rows.len() >= 40, "rules.md read wrongly: {rows:?}");
    let unknown: Vec<_> = rows.keys().filter(|c| skill_core::rules::find(c).is_none()).collect();
    assert!(unknown.is_empty(), "rules.md lists codes no rule has: {unknown:?}");
    // Rules the catalogue does not list yet are not compared.
    let spec: BTreeSet<String> = rows.iter().filter(|(_, fix)| **fix).map(|(c, _)| c.clone()).collect();
    let listed: BTreeSet<String> = code.into_iter().filter(|c| rows.contains_key(c)).collect();
    assert!(spec.len() >= 20, "rules.md read wrongly: {spec:?}");
    let lost: Vec<_> = spec.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&spec).collect();
    assert!(
        lost.is_empty(),
        "rules.md gives these a fix, the code has none: {lost:?}"
    );
    assert!(
        extra.is_empty(),
        "these have a fix the catalogue does not list: {extra:?}"
    );
}

/// Every `SKILL.md` under `dir`, sorted.
fn skill_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "SKILL.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The workspace a fixture is checked against (as `tests/rules.rs` does).
fn fixture_workspace(skill: &Path) -> Workspace {
    match Workspace::find_root(skill) {
        Some(root) if root.starts_with(repo().join("tests/fixtures")) => Workspace::load(&root),
        _ => Workspace::detached(),
    }
}

fn diagnose(text: &str, path: &Path, ws: &Workspace) -> Vec<Diagnostic> {
    let doc = SkillDoc::parse(text, Some(path.to_path_buf()));
    check(&doc, ws, &common::fixture_config(path))
}

fn count(diags: &[Diagnostic], pred: impl Fn(&Diagnostic) -> bool) -> usize {
    diags.iter().filter(|d| pred(d)).count()
}

/// Error-severity findings that `after` has more of than `before`, by code.
fn new_errors(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<String> {
    let tally = |ds: &[Diagnostic]| {
        let mut m: BTreeMap<&str, usize> = BTreeMap::new();
        for d in ds.iter().filter(|d| d.severity == Severity::Error) {
            *m.entry(d.code).or_default() += 1;
        }
        m
    };
    let (b, a) = (tally(before), tally(after));
    a.iter()
        .filter(|(code, n)| b.get(*code).copied().unwrap_or(0) < **n)
        .map(|(code, n)| format!("{code} {} -> {n}", b.get(code).copied().unwrap_or(0)))
        .collect()
}

/// For every fixable rule, on each of its fixtures: each of its fixes, alone,
/// removes its finding and adds no error; all of its fixes applied pass after
/// pass settle, with none of its fixable findings left, and one more pass
/// changes nothing.
#[test]
fn each_rules_fix_mends_its_fixtures_without_new_errors_and_settles() {
    let root = repo().join("tests/fixtures/rules");
    let mut failures = Vec::new();
    for code in fixable_rules() {
        let mut fixed_somewhere = 0;
        for path in skill_files(&root.join(code)) {
            let at = format!("{code} {}", path.strip_prefix(&root).unwrap_or(&path).display());
            let text = std::fs::read_to_string(&path).unwrap();
            let ws = fixture_workspace(&path);
            let before = diagnose(&text, &path, &ws);
            let ours = |ds: &[Diagnostic]| count(ds, |d| d.code == code);
            // Each of the equally plausible mends a finding offers, one by one.
            let choices = before
                .iter()
                .filter(|d| d.code == code)
                .filter_map(|d| Some((d, d.fix.as_ref()?)))
                .flat_map(|(d, fix)| fix.choices().map(move |f| (d, f)));
            for (d, fix) in choices {
                fixed_somewhere += 1;
                if fix.ambiguous && fix.applicability == Applicability::Safe {
                    failures.push(format!("{at}: `{}` guesses, yet is safe", fix.title));
                }
                let (after_text, n) = apply_fixes(&text, [fix]);
                if n != 1 || after_text == text {
                    failures.push(format!("{at}: `{}` does not apply", fix.title));
                    continue;
                }
                let after = diagnose(&after_text, &path, &ws);
                if ours(&after) >= ours(&before) {
                    failures.push(format!("{at}: `{}` leaves its finding: {}", fix.title, d.message));
                }
                let worse = new_errors(&before, &after);
                if !worse.is_empty() {
                    failures.push(format!("{at}: `{}` brings new errors {worse:?}", fix.title));
                }
            }
            // All of the rule's fixes, pass after pass.
            let pass = |t: &str| {
                let ds = diagnose(t, &path, &ws);
                apply_fixes(t, ds.iter().filter(|d| d.code == code).filter_map(|d| d.fix.as_ref())).0
            };
            let mut current = text.clone();
            let mut settled = false;
            for _ in 0..6 {
                let next = pass(&current);
                if next == current {
                    settled = true;
                    break;
                }
                current = next;
            }
            if !settled {
                failures.push(format!("{at}: its fixes never settle"));
                continue;
            }
            let after = diagnose(&current, &path, &ws);
            let left: Vec<_> = after.iter().filter(|d| d.code == code && d.fix.is_some()).collect();
            if !left.is_empty() {
                failures.push(format!("{at}: fixable findings left after fixing: {left:?}"));
            }
            let worse = new_errors(&before, &after);
            if !worse.is_empty() {
                failures.push(format!("{at}: fixing all brings new errors {worse:?}"));
            }
        }
        if fixed_somewhere == 0 {
            failures.push(format!("{code}: no fixture finding carries a fix"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// (b) Every safe fix over the real corpus
// ---------------------------------------------------------------------------

/// The lines of `old` that no edit touches (an edit overlapping the line,
/// or inserting strictly inside it) must all be lines of `new`, in order.
fn untouched_lines_kept(old: &str, new: &str, edits: &[Edit]) -> Result<(), String> {
    let mut new_lines = new.split('\n');
    let mut start = 0;
    for line in old.split_inclusive('\n') {
        let content_end = start + line.trim_end_matches('\n').len();
        let end = start + line.len();
        let touched = edits.iter().any(|e| {
            if e.range.is_empty() {
                start < e.range.start && e.range.start < content_end
            } else {
                e.range.start < end && start < e.range.end
            }
        });
        let content = &old[start..content_end];
        start = end;
        if touched {
            continue;
        }
        if !new_lines.any(|l| l == content) {
            return Err(format!("line lost or changed: {content:?}"));
        }
    }
    Ok(())
}

/// What fixing one tree of the corpus did.
#[derive(Default, Debug)]
struct Tally {
    files: usize,
    changed: usize,
    fixes: usize,
    before: usize,
    after: usize,
}

fn fix_tree(tree: &Path, unsafe_fixes: bool, failures: &mut Vec<String>) -> Tally {
    let ws = Workspace::load(tree);
    let config = Config::default();
    let mut t = Tally::default();
    for path in skill_files(&tree.join("skills")) {
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = SkillDoc::parse(text.as_str(), Some(path.clone()));
        let before = check(&doc, &ws, &config);
        let safe = count(&before, |d| {
            d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe)
        });
        let out = fix_document(&text, Some(path.clone()), &ws, &config, unsafe_fixes);
        t.files += 1;
        t.before += before.len();
        t.after += out.remaining.len();
        t.fixes += out.applied;
        t.changed += usize::from(out.text != text);

        // The rounds say exactly what changed, and no author's line outside them is lost.
        let mut current = text.clone();
        for edits in &out.rounds {
            let next = apply_edits(&current, edits);
            if let Err(e) = untouched_lines_kept(&current, &next, edits) {
                failures.push(format!("{name}: {e}"));
            }
            current = next;
        }
        if current != out.text {
            failures.push(format!("{name}: the reported edits do not give the fixed text"));
        }
        // The front matter parses whenever it can be made to with safe fixes.
        let fixed_doc = SkillDoc::parse(out.text.as_str(), Some(path.clone()));
        let syntax: Vec<_> = out
            .remaining
            .iter()
            .filter(|d| matches!(d.code, "SK001" | "SK002"))
            .collect();
        if out.parses != front_matter_parses(&fixed_doc) {
            failures.push(format!("{name}: `parses` is wrong"));
        }
        let unfixable_syntax = before.iter().any(|d| {
            matches!(d.code, "SK001" | "SK002") && d.fix.as_ref().is_none_or(|f| f.applicability != Applicability::Safe)
        });
        if !syntax.is_empty() && !unfixable_syntax {
            failures.push(format!("{name}: the fixed front matter does not parse: {syntax:?}"));
        }
        // The blanks an unsafe fix writes for the author to fill in are
        // reported until they are filled (SK123): expected, not made worse.
        let blanks = out
            .remaining
            .iter()
            .filter(|d| d.code == "SK123" && d.message.contains("blank skill-lsp wrote"))
            .count();
        if blanks > 0 && !unsafe_fixes {
            failures.push(format!("{name}: safe fixes wrote {blanks} blanks"));
        }
        if out.remaining.len() - blanks > before.len() {
            failures.push(format!(
                "{name}: {} findings before, {} after ({blanks} blanks to fill)",
                before.len(),
                out.remaining.len()
            ));
        }
        // Mending a front matter that did not parse lets the schema rules read
        // it: what they find then was hidden before, not made by the fix.
        let revealed = !front_matter_parses(&doc) && out.parses;
        if safe > 0 && out.remaining.len() >= before.len() && !revealed {
            failures.push(format!(
                "{name}: {safe} safe fixes, yet {} findings before and {} after: {:?}",
                before.len(),
                out.remaining.len(),
                out.remaining
                    .iter()
                    .filter(|d| d.fix.is_some())
                    .map(|d| &d.message)
                    .collect::<Vec<_>>()
            ));
        }
        let worse = new_errors(&before, &out.remaining);
        if !worse.is_empty() && !revealed {
            failures.push(format!("{name}: new errors {worse:?}"));
        }
        let again = fix_document(&out.text, Some(path.clone()), &ws, &config, unsafe_fixes);
        if again.text != out.text {
            failures.push(format!("{name}: fixing again changes it: {:?}", again.titles));
        }
    }
    t
}

/// Over every skill of both corpus trees: the safe fixes leave a front matter
/// that parses, keep every line they do not edit, leave fewer findings
/// wherever there was something to fix (never more), bring no new error
/// (but what a mended front matter reveals), and fixing again changes nothing.
#[test]
fn safe_fixes_over_the_corpus_keep_the_authors_text_and_lessen_the_findings() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let mut failures = Vec::new();
    for tree in ["forge", "forge-clean"] {
        let t = fix_tree(&corpus.join(tree).join("forge-plugin"), false, &mut failures);
        eprintln!("{tree}: {t:?}");
        assert!(t.files >= 100, "{tree}: only {} skills", t.files);
        assert!(t.after < t.before, "{tree}: {t:?}");
        if tree == "forge" {
            assert!(t.changed >= 50, "the damaged tree should have much to fix: {t:?}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// `check --fix` on a copy of the corpus
// ---------------------------------------------------------------------------

/// Every `SKILL.md` under `root`, by path relative to it, with its text.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    skill_files(root)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The correct example skill renamed `name`, with a ticked checklist item
/// (a safe fix) and an unquoted `: ` in its description (a YAML error).
fn skill_with_broken_yaml(name: &str) -> String {
    let text = std::fs::read_to_string(repo().join("examples/skills/skills/fastapi-review/SKILL.md")).unwrap();
    let text = text
        .replace("fastapi-review", name)
        .replacen("- [ ] Step 1", "- [x] Step 1", 1);
    let description = text
        .lines()
        .find(|l| l.starts_with("description:"))
        .unwrap()
        .to_string();
    text.replacen(
        &description,
        "description: Reviews services. Triggers: review, audit",
        1,
    )
}

/// `check --fix` over a copy of the damaged corpus tree (the example root
/// when the corpus is absent): it writes exactly the files it lists as
/// fixed, each of which then parses; it leaves untouched, and says so, a
/// skill whose fixed text would still not parse; a second run changes nothing.
#[test]
fn check_fix_writes_what_it_lists_and_never_a_file_that_would_not_parse() {
    let source = match corpus() {
        Some(c) => c.join("forge/forge-plugin"),
        None => repo().join("examples/skills"),
    };
    let tmp = TempDir::new("fixes-cli");
    common::copy_dir(&source, &tmp.path);
    let broken_rel = "skills/yaml-broken/SKILL.md";
    let broken = skill_with_broken_yaml("yaml-broken");
    tmp.write(broken_rel, &broken);
    let before = snapshot(&tmp.path);

    let common::Run { code, stdout, stderr } = run_cli(&tmp.path, &["check", "--fix", "--format", "json", "skills"]);
    assert_eq!(code, 1, "errors remain (the broken YAML): {stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let listed: BTreeSet<String> = json["fixed"]
        .as_array()
        .expect("--fix lists what it changed")
        .iter()
        .map(|f| {
            assert!(
                f["applied"].as_u64().unwrap() >= 1 && !f["fixes"].as_array().unwrap().is_empty(),
                "{f}"
            );
            f["path"].as_str().unwrap().to_string()
        })
        .collect();
    let withheld: Vec<&str> = json["withheld"]
        .as_array()
        .map_or(Vec::new(), |w| w.iter().map(|f| f["path"].as_str().unwrap()).collect());
    assert!(withheld.contains(&broken_rel), "{stdout}");
    // A withheld file's entry says what was not applied, and why; nothing was.
    let entry = json["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["path"] == broken_rel)
        .unwrap();
    assert!(entry["not_applied"].as_u64().unwrap() >= 1, "{entry}");
    assert!(entry.get("applied").is_none(), "{entry}");
    assert!(entry["reason"].as_str().unwrap().contains("line 4"), "{entry}");

    let after = snapshot(&tmp.path);
    assert_eq!(
        after[broken_rel], broken,
        "a file whose fix would not parse was written"
    );
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(p, t)| before[*p] != **t)
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(
        changed, listed,
        "the files changed on disk are the files listed as fixed"
    );
    if corpus().is_some() {
        assert!(changed.len() >= 50, "only {} damaged skills fixed", changed.len());
    }
    for rel in &changed {
        let doc = SkillDoc::parse(after[rel].as_str(), Some(tmp.path.join(rel)));
        assert!(
            front_matter_parses(&doc),
            "{rel} was written but its front matter does not parse"
        );
    }

    // People see what was changed and what was not; a second run changes nothing.
    let common::Run {
        code: code2,
        stdout: human,
        ..
    } = run_cli(&tmp.path, &["check", "--fix", "skills"]);
    assert_eq!(code2, 1);
    assert!(
        human.contains(&format!(
            "Not fixed {broken_rel}: its front matter would still not parse after 1 fix (line 4: "
        )),
        "{human}"
    );
    assert!(human.contains("0 fixes applied in 0 files"), "{human}");
    assert!(!human.contains("\nFixed "), "{human}");
    // What `--fix` left in the withheld file is not counted as fixable by it.
    assert!(!human.contains("fixable with `--fix`"), "{human}");
    assert_eq!(snapshot(&tmp.path), after, "a second --fix changed files");
}

// ---------------------------------------------------------------------------
// Quick fixes in the editor
// ---------------------------------------------------------------------------

/// A template whose step titles differ from the built-in ones, so a title
/// taken from it is told apart.
const TEMPLATE: &str = "---\nname: skill-template\ndescription: The canonical skill layout.\nversion: \"1.0.0\"\n---\n\n# skill:{skill-name} - {Title}\n\n## Mandatory Workflow\n\n### Step 1: Establish the Scope\n\n### Step 2: Recall Project Memory\n\n### Step 3: Gather Domain Context\n\n### Step 4: {Core Action Name}\n\n### Step 5: Write the Report\n\n### Step 6: Record What Was Learned\n";

/// How a skill writes its steps.
#[derive(Clone, Copy, Debug)]
enum StepWriting {
    /// `### ⚠️ STEP N: Title (REQUIRED)`, `**YOU MUST:**` and a gate line.
    Warning,
    /// `### Step N: Title`, Purpose/Actions/Validation, `---` between steps.
    Plain,
    /// `#### **Step N: Title**`, `**YOU MUST:**` without gate lines.
    Bold,
}

/// The example skill (as `demo`) with its workflow rewritten in `style`, step 2 left out.
fn skill_in_style(style: StepWriting) -> String {
    let text = std::fs::read_to_string(repo().join("examples/skills/skills/fastapi-review/SKILL.md"))
        .unwrap()
        .replace("fastapi-review", "demo");
    let head_end = text.find("## MANDATORY WORKFLOW").unwrap();
    let tail_start = text.find("---\n\n## Compliance Checklist").unwrap();
    let steps: [(u32, &str, &str); 5] = [
        (1, "Scope the Review", "1. Identify the FastAPI version\n2. List the routers in scope"),
        (3, "Load Context", "1. Use `contextProvider.getDomainIndex(\"python\")` to see what context exists"),
        (4, "Review the Service", "1. Check every route for a response model"),
        (5, "Generate the Report", "1. Write the report to `/claudedocs/demo_{project}_{YYYY-MM-DD}.md`"),
        (
            6,
            "Update Memory",
            "1. Update memory with `memoryStore.update(\"demo\", \"{project-name}\", ...)`:\n   - `project_overview.md`\n   - `api_contracts.md`\n   - `review_history.md`",
        ),
    ];
    let blocks: Vec<String> = steps
        .iter()
        .map(|(n, title, list)| match style {
            StepWriting::Warning => format!(
                "### ⚠️ STEP {n}: {title} (REQUIRED)\n**YOU MUST:**\n{list}\n\n**DO NOT PROCEED WITHOUT FINISHING STEP {n}**"
            ),
            StepWriting::Plain => format!(
                "### Step {n}: {title}\n\n**Purpose**: {title}.\n\n**Actions**:\n{list}\n\n**Validation**:\n- [ ] {title} done"
            ),
            StepWriting::Bold => format!("#### **Step {n}: {title}**\n\n**YOU MUST:**\n{list}"),
        })
        .collect();
    let between = match style {
        StepWriting::Plain => "\n\n---\n\n",
        _ => "\n\n",
    };
    format!(
        "{}## Mandatory Workflow\n\n{}\n\n{}",
        &text[..head_end],
        blocks.join(between),
        &text[tail_start..]
    )
}

/// The quick fix an editor gets for `diagnostic` of the open document `uri`,
/// asking for code actions at its range as an editor does.
fn quick_fix_for(server: &mut Server, uri: &str, diagnostic: &serde_json::Value) -> serde_json::Value {
    let params = json!({"textDocument": {"uri": uri}, "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}});
    let actions = server.request("textDocument/codeAction", params);
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == diagnostic["code"])
        .cloned()
        .unwrap_or_else(|| panic!("no quick fix for {} in {actions}", diagnostic["code"]))
}

/// In a skill of each step style, the quick fix for a missing step 2 (asked
/// for at the diagnostic, as an editor does) inserts it between steps 1 and
/// 3 in that style, with the template's title, the memory call carrying the
/// skill's name, and nothing else changed; the fixed skill has no SK102.
#[test]
fn the_missing_step_quick_fix_writes_the_step_in_the_skills_style_with_the_templates_title() {
    let ws = TempDir::new("fixes-quickfix");
    common::copy_dir(&repo().join("examples/skills"), &ws.path);
    ws.write("skills/SKILL_TEMPLATE.md", TEMPLATE);
    let mut server = Server::spawn();
    server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&ws.path),
        "workspaceFolders": [{"uri": file_uri(&ws.path), "name": "ws"}],
        "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": true}}}
    }));
    let memory_call = "1. Load project memory with `memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`";
    for (i, style) in [StepWriting::Warning, StepWriting::Plain, StepWriting::Bold]
        .into_iter()
        .enumerate()
    {
        let text = skill_in_style(style);
        let uri = file_uri(&ws.write("skills/demo/SKILL.md", &text));
        let version = 10 * (i as i64 + 1);
        server.open(&uri, version, &text);
        let diags = server.diagnostics(&uri, Some(version));
        let sk102 = common::with_code(&diags, "SK102");
        assert_eq!(sk102.len(), 1, "{style:?}: {}", json!(diags));
        let action = quick_fix_for(&mut server, &uri, sk102[0]);
        assert_eq!(action["kind"], "quickfix");
        assert_eq!(action["isPreferred"], true, "one obvious mend: {action}");
        assert_eq!(action["title"], "Insert step 2: Recall Project Memory", "{style:?}");
        let change = &action["edit"]["documentChanges"][0];
        assert_eq!(change["textDocument"]["version"], version);
        let fixed = apply_lsp_edits(&text, change["edits"].as_array().unwrap());

        let (before_step, after_step) = match style {
            StepWriting::Warning => (
                "**DO NOT PROCEED WITHOUT FINISHING STEP 1**\n\n### ⚠️ STEP 2: Recall Project Memory (REQUIRED)\n**YOU MUST:**\n",
                "**DO NOT PROCEED WITHOUT CHECKING MEMORY**\n\n### ⚠️ STEP 3: Load Context (REQUIRED)",
            ),
            StepWriting::Plain => (
                "- [ ] Scope the Review done\n\n---\n\n### Step 2: Recall Project Memory\n\n**Purpose**: ",
                "\n\n---\n\n### Step 3: Load Context",
            ),
            StepWriting::Bold => (
                "2. List the routers in scope\n\n#### **Step 2: Recall Project Memory**\n\n**YOU MUST:**\n",
                "\n\n#### **Step 3: Load Context**",
            ),
        };
        let start = fixed.find(before_step).unwrap_or_else(|| panic!("{style:?}:\n{fixed}"));
        let end = fixed[start..]
            .find(after_step)
            .map(|i| start + i)
            .unwrap_or_else(|| panic!("{style:?}:\n{fixed}"));
        let step = &fixed[start..end];
        assert!(step.contains(memory_call), "{style:?}:\n{step}");
        match style {
            StepWriting::Plain => {
                assert!(
                    step.contains("**Actions**:\n1. ") && step.contains("**Validation**:\n- [ ] "),
                    "{step}"
                );
                assert!(!step.contains("YOU MUST") && !step.contains("DO NOT"), "{step}");
            }
            StepWriting::Bold => assert!(!step.contains("DO NOT") && !step.contains("**Actions**"), "{step}"),
            StepWriting::Warning => assert!(!step.contains("**Actions**"), "{step}"),
        }
        // Nothing but the new step was added: the old text is the new one's prefix and suffix.
        let prefix = text.bytes().zip(fixed.bytes()).take_while(|(a, b)| a == b).count();
        let suffix = text
            .bytes()
            .rev()
            .zip(fixed.bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        assert!(prefix + suffix >= text.len(), "{style:?}: more than an insertion");

        server.change(&uri, version + 1, json!([{"text": fixed}]));
        let after = server.diagnostics(&uri, Some(version + 1));
        let codes = common::codes(&after);
        assert!(
            !codes.iter().any(|c| c == "SK102" || c == "SK112"),
            "{style:?}: {codes:?}"
        );
        server.close(&uri);
    }
    assert!(server.shutdown_and_exit().success());
}

/// A client that negotiates UTF-8 gets the quick fix's edit in byte columns:
/// the wrong skill name after an emoji is replaced exactly, and the fix
/// (safe, the one obvious mend) is preferred.
#[test]
fn quick_fix_edits_use_the_negotiated_position_encoding() {
    let ws = TempDir::new("fixes-utf8");
    common::copy_dir(&repo().join("examples/skills"), &ws.path);
    let text = std::fs::read_to_string(repo().join("examples/skills/skills/fastapi-review/SKILL.md"))
        .unwrap()
        .replace("fastapi-review", "demo")
        .replacen(
            "1. Load memory with `memoryStore.getSkillMemory(\"demo\"",
            "1. 😀 Load memory with `memoryStore.getSkillMemory(\"demo-old\"",
            1,
        );
    let uri = file_uri(&ws.write("skills/demo/SKILL.md", &text));
    let mut server = Server::spawn();
    let init = server.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&ws.path),
        "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
    }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk203 = common::with_code(&diags, "SK203");
    assert_eq!(sk203.len(), 1, "{}", json!(diags));
    let action = quick_fix_for(&mut server, &uri, sk203[0]);
    assert_eq!(action["isPreferred"], true);
    let edits = action["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{action}");
    let at = text.find("\"demo-old\"").unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let want = json!({
        "start": {"line": line, "character": at - line_start},
        "end": {"line": line, "character": at - line_start + "\"demo-old\"".len()}
    });
    assert_eq!(edits[0]["range"], want, "byte columns");
    assert_eq!(edits[0]["newText"], "\"demo\"");
    assert!(server.shutdown_and_exit().success());
}

/// The unsafe fixes too (`--unsafe-fixes`): over both trees the front matter
/// still parses, no untouched line is lost, findings never grow, and fixing
/// again changes nothing.
#[test]
fn all_fixes_over_the_corpus_keep_the_authors_text_and_settle() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let mut failures = Vec::new();
    for tree in ["forge", "forge-clean"] {
        let t = fix_tree(&corpus.join(tree).join("forge-plugin"), true, &mut failures);
        eprintln!("{tree} (unsafe fixes too): {t:?}");
        assert!(t.after < t.before, "{tree}: {t:?}");
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The example skill (as `demo`, `⚠️ STEP` style) without step `n`, and
/// without its checklist item when `drop_item`.
fn demo_without_step(n: u32, drop_item: bool) -> String {
    let text = std::fs::read_to_string(repo().join("examples/skills/skills/fastapi-review/SKILL.md"))
        .unwrap()
        .replace("fastapi-review", "demo");
    let start = text.find(&format!("### ⚠️ STEP {n}:")).unwrap();
    let end = match text.find(&format!("### ⚠️ STEP {}:", n + 1)) {
        Some(e) => e,
        None => text.find("---\n\n## Compliance Checklist").unwrap(),
    };
    let mut out = format!("{}{}", &text[..start], &text[end..]);
    if drop_item {
        let item = out.find(&format!("- [ ] Step {n}:")).unwrap();
        let eol = item + out[item..].find('\n').unwrap() + 1;
        out.replace_range(item..eol, "");
    }
    out
}

/// For each step number of the six: the SK102 fix inserts the step where it
/// belongs, in the skill's `⚠️ STEP` / `**YOU MUST:**` style with its gate
/// line, titled from the workspace's template, with the call its role needs
/// (the skill's name and `primary_domain` filled in, the memory files listed);
/// a checklist without the step's item gets it in order; after the fix the
/// skill has no SK102, no SK112 and no new error.
#[test]
fn a_missing_step_of_each_number_comes_back_with_its_title_calls_gate_and_checklist_item() {
    let ws_dir = TempDir::new("fixes-roles");
    common::copy_dir(&repo().join("examples/skills"), &ws_dir.path);
    ws_dir.write("skills/SKILL_TEMPLATE.md", TEMPLATE);
    let path = ws_dir.join("skills/demo/SKILL.md");
    let ws = Workspace::load(&ws_dir.path);
    let titles = [
        "Establish the Scope",
        "Recall Project Memory",
        "Gather Domain Context",
        "{Core Action Name}",
        "Write the Report",
        "Record What Was Learned",
    ];
    let needs: [&[&str]; 6] = [
        &["**DO NOT PROCEED WITHOUT A CLEAR SCOPE**"],
        &["`memoryStore.getSkillMemory(\"demo\", \"{project-name}\")`", "**DO NOT PROCEED WITHOUT CHECKING MEMORY**"],
        &["`contextProvider.getDomainIndex(\"python\")`", "**DO NOT PROCEED WITHOUT RELEVANT CONTEXT**"],
        &["**DO NOT PROCEED UNTIL THIS STEP IS COMPLETE**"],
        &["`/claudedocs/demo_{project}_{YYYY-MM-DD}.md`", "**DO NOT PROCEED WITHOUT SAVING THE OUTPUT**"],
        &[
            "`memoryStore.update(\"demo\", \"{project-name}\", ...)`:\n   - `project_overview.md`\n   - `api_contracts.md`\n   - `review_history.md`",
            "**DO NOT FINISH WITHOUT UPDATING MEMORY**",
        ],
    ];
    for n in 1..=6u32 {
        for drop_item in [false, true] {
            let case = format!("step {n}{}", if drop_item { " and its item" } else { "" });
            let text = demo_without_step(n, drop_item);
            let before = diagnose(&text, &path, &ws);
            let sk102: Vec<&Diagnostic> = before.iter().filter(|d| d.code == "SK102").collect();
            assert_eq!(sk102.len(), 1, "{case}: {before:?}");
            let fix = sk102[0].fix.as_ref().expect("SK102 carries a fix");
            let title = titles[n as usize - 1];
            assert_eq!(fix.title, format!("Insert step {n}: {title}"));
            assert!(!fix.ambiguous, "{case}");
            let (fixed, _) = apply_fixes(&text, [fix]);

            let heading = format!("### ⚠️ STEP {n}: {title} (REQUIRED)\n**YOU MUST:**\n1. ");
            let start = fixed.find(&heading).unwrap_or_else(|| panic!("{case}:\n{fixed}"));
            let next = match n {
                6 => fixed.find("## Compliance Checklist").unwrap(),
                _ => fixed.find(&format!("### ⚠️ STEP {}:", n + 1)).unwrap(),
            };
            assert!(start < next, "{case}: not before the next step");
            if n > 1 {
                assert!(
                    fixed.find(&format!("### ⚠️ STEP {}:", n - 1)).unwrap() < start,
                    "{case}"
                );
            }
            let step = &fixed[start..next];
            for need in needs[n as usize - 1] {
                assert!(step.contains(need), "{case}: {need:?} not in\n{step}");
            }
            assert!(
                !step.contains("**Actions**") && !step.contains("**Purpose**"),
                "{case}:\n{step}"
            );
            let item = format!("- [ ] Step {n}: ");
            assert_eq!(
                fixed.matches(&item).count(),
                1,
                "{case}: one checklist item for the step"
            );
            if drop_item {
                assert!(fixed.contains(&format!("{item}{title}\n")), "{case}");
            }
            let after = diagnose(&fixed, &path, &ws);
            let left: Vec<_> = after.iter().filter(|d| matches!(d.code, "SK102" | "SK112")).collect();
            assert!(left.is_empty(), "{case}: {left:?}");
            assert_eq!(new_errors(&before, &after), Vec::<String>::new(), "{case}");
        }
    }
}

/// A team's `skill-lsp.toml`: its own title for each step, and a call it
/// requires of step 4 that the built-in core step does not make.
const TEAM_WORKFLOW: &str = "[workflow]\ntitles = [\"Scope\", \"Recall\", \"Research\", \"Audit the Endpoints\", \"Report\", \"Record\"]\n[workflow.calls]\n4 = [\"memoryStore.getSkillMemory\"]\n";

/// Under a team's `[workflow]`, the editor's quick fix for a missing step 4
/// inserts the team's title and the call it requires of the step filled in
/// for the skill — exactly the step completion offers on the line where the
/// step belongs — and the fixed skill has no SK102 and no SK205.
#[test]
fn the_missing_step_quick_fix_inserts_what_completion_offers_under_the_teams_workflow() {
    let ws = TempDir::new("fixes-team-step");
    common::copy_dir(&repo().join("examples/skills"), &ws.path);
    ws.write("skill-lsp.toml", TEAM_WORKFLOW);
    // Step 4 cut, a blank line left where it was for the cursor.
    let cut = demo_without_step(4, false);
    let at = cut.find("### ⚠️ STEP 5:").unwrap();
    let text = format!("{}\n{}", &cut[..at], &cut[at..]);
    let uri = file_uri(&ws.write("skills/demo/SKILL.md", &text));
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, Some(1));
    let sk102 = common::with_code(&diags, "SK102");
    assert_eq!(sk102.len(), 1, "{}", json!(diags));

    let action = quick_fix_for(&mut server, &uri, sk102[0]);
    assert_eq!(action["title"], "Insert step 4: Audit the Endpoints");
    let fixed = apply_lsp_edits(&text, action["edit"]["changes"][&uri].as_array().unwrap());
    let start = fixed.find("### ⚠️ STEP 4:").unwrap_or_else(|| panic!("{fixed}"));
    let end = fixed.find("### ⚠️ STEP 5:").unwrap();
    let inserted = fixed[start..end].trim_end();
    assert!(
        inserted.starts_with("### ⚠️ STEP 4: Audit the Endpoints (REQUIRED)\n**YOU MUST:**\n"),
        "{inserted}"
    );
    assert!(
        inserted.contains(
            "3. Call `memoryStore.getSkillMemory(\"demo\", \"{project-name}\")` as this workspace's workflow requires"
        ),
        "{inserted}"
    );
    assert!(
        inserted.ends_with("**DO NOT PROCEED UNTIL THIS STEP IS COMPLETE**"),
        "{inserted}"
    );

    // Completion on the blank line where step 4 belongs offers the very same step.
    let p = common::utf16_position(&text, at);
    let result = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": p.0, "character": p.1}}),
    );
    let items = match &result {
        serde_json::Value::Array(items) => items.clone(),
        other => other["items"].as_array().cloned().unwrap_or_default(),
    };
    let whole = items
        .iter()
        .find(|i| i["label"] == "Step 4: Audit the Endpoints (with body)")
        .unwrap_or_else(|| panic!("{result}"));
    assert_eq!(whole["textEdit"]["newText"].as_str(), Some(inserted));

    server.change(&uri, 2, json!([{"text": fixed}]));
    let after = server.diagnostics(&uri, Some(2));
    let codes = common::codes(&after);
    assert!(!codes.iter().any(|c| c == "SK102" || c == "SK205"), "{codes:?}");
    assert!(server.shutdown_and_exit().success());
}

/// One fix path for the editor and the command line: the editor's
/// `source.fixAll.skill-lsp` on a damaged skill gives exactly the text
/// `check --fix` writes for it, and is not offered where `check --fix`
/// would write nothing because the front matter would not parse.
#[test]
fn fix_all_in_the_editor_gives_what_check_fix_writes() {
    let (source, rel) = match corpus() {
        Some(c) => (c.join("forge/forge-plugin"), "skills/email-writer/SKILL.md"),
        None => (repo().join("examples/skills"), "skills/broken-flask/SKILL.md"),
    };
    let ws = TempDir::new("fixes-fix-all");
    common::copy_dir(&source, &ws.path);
    let path = ws.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);

    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, Some(1));
    let params = json!({"textDocument": {"uri": uri}, "range": common::range((0, 0), (0, 0)),
        "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = server.request("textDocument/codeAction", params);
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    let edits = actions[0]["edit"]["changes"][&uri].as_array().unwrap();
    let in_editor = apply_lsp_edits(&text, edits);

    // A skill whose front matter would still not parse is offered its quick
    // fixes one by one, but no fix-all: `check --fix` would not write it either.
    let broken = skill_with_broken_yaml("yaml-broken");
    let broken_uri = file_uri(&ws.write("skills/yaml-broken/SKILL.md", &broken));
    server.open(&broken_uri, 1, &broken);
    let diags = server.diagnostics(&broken_uri, Some(1));
    let ticked = common::with_code(&diags, "SK114");
    assert_eq!(ticked.len(), 1, "{}", json!(diags));
    let params = json!({"textDocument": {"uri": broken_uri}, "range": ticked[0]["range"],
        "context": {"diagnostics": [ticked[0]]}});
    let actions = server.request("textDocument/codeAction", params);
    let kinds: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        // Suppressing is offered for every finding; this is about the mends.
        .filter(|a| !a["title"].as_str().unwrap().starts_with("Suppress "))
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["quickfix"], "{actions}");
    assert!(server.shutdown_and_exit().success());

    let common::Run { code, stderr, .. } = run_cli(&ws.path, &["check", "--fix", rel]);
    assert!(code == 0 || code == 1, "{stderr}");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert_ne!(on_disk, text, "nothing was fixed");
    assert_eq!(in_editor, on_disk, "the editor's fix-all and check --fix differ");
}

/// Fixes write the document's own line ending: over the damaged corpus
/// converted to CRLF, every fix (unsafe too) gives the LF result with CRLF
/// line endings — no bare `\n` slips in.
#[test]
fn fixes_keep_crlf_line_endings() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let tree = corpus.join("forge/forge-plugin");
    let ws = Workspace::load(&tree);
    let config = Config::default();
    let mut failures = Vec::new();
    for path in skill_files(&tree.join("skills")) {
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains('\r') {
            continue;
        }
        let crlf = text.replace('\n', "\r\n");
        let lf_fixed = fix_document(&text, Some(path.clone()), &ws, &config, true);
        let crlf_fixed = fix_document(&crlf, Some(path.clone()), &ws, &config, true);
        if crlf_fixed.text != lf_fixed.text.replace('\n', "\r\n") {
            let bare = crlf_fixed
                .text
                .match_indices('\n')
                .filter(|(i, _)| !crlf_fixed.text[..*i].ends_with('\r'))
                .count();
            failures.push(format!(
                "{}: {} vs {} fixes, {bare} bare line feeds: {:?} / {:?}",
                path.display(),
                crlf_fixed.applied,
                lf_fixed.applied,
                crlf_fixed.titles,
                lf_fixed.titles
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} skills differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A key missing from a nested map goes in at that map's indentation, in
/// schema order (`type` before `files` in a `memory.scopes` item); a missing
/// `version` comes from the Version History, safely.
#[test]
fn a_missing_front_matter_key_goes_in_at_its_nesting() {
    let text = "---\nname: demo\ndescription: A demo skill.\nmemory:\n  scopes:\n    - files: [a.md]\n      usage: \"x\"\n    - type: \"shared-project\"\n---\n\n# Demo\n\n## Version History\n\n| Version | Date | Changes |\n|---|---|---|\n| 1.0.0 | 2026-01-02 | First |\n| 1.2.0 | 2026-02-03 | Second |\n";
    let path = PathBuf::from("skills/demo/SKILL.md");
    // A workflow skill: inside a skills root.
    let mut ws = Workspace::detached();
    ws.root = Some("/ws".into());
    let diags = diagnose(text, &path, &ws);
    let sk004: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "SK004").collect();
    assert_eq!(sk004.len(), 2, "{sk004:?}");
    let (fixed, n) = apply_fixes(text, sk004.iter().filter_map(|d| d.fix.as_ref()));
    assert_eq!(n, 2);
    assert!(
        fixed.starts_with(
            "---\nname: demo\ndescription: A demo skill.\nversion: \"1.2.0\"\nmemory:\n  scopes:\n    - type: "
        ),
        "{fixed}"
    );
    assert!(
        fixed.contains("\n    - type: \"skill-specific\"\n      files: [a.md]\n      usage: \"x\"\n"),
        "{fixed}"
    );
    let version_fix = sk004
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .find(|f| f.title.contains("version"))
        .unwrap();
    assert_eq!(
        version_fix.applicability,
        Applicability::Safe,
        "the version the history records"
    );
    let after = diagnose(&fixed, &path, &ws);
    assert!(
        !after
            .iter()
            .any(|d| matches!(d.code, "SK001" | "SK002" | "SK003" | "SK004")),
        "{after:?}"
    );
}

// ---------------------------------------------------------------------------
// Equally close names: every one offered, none preferred, none applied in bulk
// ---------------------------------------------------------------------------

/// A rule fixture skill, by its path under `tests/fixtures/rules/`.
fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/rules").join(rel)
}

/// Where a name is equally close to two known ones (a method, a domain, a
/// topic), the finding names both, and its fix offers each as an unsafe
/// guess that alone mends it; fixing in bulk, unsafe fixes too, applies
/// neither. Where one is closest, the fix is that one, not a guess.
#[test]
fn equally_close_names_are_all_offered_and_none_applied_in_bulk() {
    let ties = [
        (
            "SK201/ws/skills/context-tie/SKILL.md",
            "SK201",
            "did you mean `getConditionalContext` or `getCrossDomainContext`?",
            [
                "Replace `getContext` with `getConditionalContext`",
                "Replace `getContext` with `getCrossDomainContext`",
            ],
        ),
        (
            "SK208/ws/skills/domain-tie/SKILL.md",
            "SK208",
            "did you mean `node` or `nodejs`?",
            ["Use the domain `node`", "Use the domain `nodejs`"],
        ),
        (
            "SK209/ws/skills/topic-tie/SKILL.md",
            "SK209",
            "did you mean `async_patterns` or `sync_patterns`?",
            ["Use the topic `async_patterns`", "Use the topic `sync_patterns`"],
        ),
    ];
    for (rel, code, advice, titles) in ties {
        let path = fixture(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let ws = fixture_workspace(&path);
        let before = diagnose(&text, &path, &ws);
        let found: Vec<&Diagnostic> = before.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "{rel}: {before:?}");
        assert!(found[0].message.ends_with(advice), "{rel}: {}", found[0].message);
        let fix = found[0].fix.as_ref().expect("a tie still offers its mends");
        let offered: Vec<&str> = fix.choices().map(|f| f.title.as_str()).collect();
        assert_eq!(offered, titles, "{rel}");
        for choice in fix.choices() {
            assert!(
                choice.ambiguous && choice.applicability == Applicability::Unsafe,
                "{rel}: {choice:?}"
            );
            let (mended, n) = apply_fixes(&text, [choice]);
            assert_eq!(n, 1, "{rel}");
            let after = diagnose(&mended, &path, &ws);
            assert_eq!(
                count(&after, |d| d.code == code),
                0,
                "{rel}: `{}` leaves {after:?}",
                choice.title
            );
        }
        for unsafe_fixes in [false, true] {
            let out = fix_document(
                &text,
                Some(path.clone()),
                &ws,
                &common::fixture_config(&path),
                unsafe_fixes,
            );
            assert_eq!(out.applied, 0, "{rel}: {:?}", out.titles);
            assert_eq!(out.text, text, "{rel}");
        }
    }

    // The single closest name: SK208's fix is safe, SK201's unsafe; neither is a guess.
    let unique = [
        (
            "SK208/ws/skills/demo-skill/SKILL.md",
            "SK208",
            "secrity",
            Applicability::Safe,
        ),
        (
            "SK201/ws/skills/demo-skill/SKILL.md",
            "SK201",
            "getIndex",
            Applicability::Unsafe,
        ),
    ];
    for (rel, code, name, applicability) in unique {
        let path = fixture(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let before = diagnose(&text, &path, &fixture_workspace(&path));
        let d = before
            .iter()
            .find(|d| d.code == code && text[d.range.start..d.range.end].contains(name))
            .unwrap_or_else(|| panic!("{rel}: {before:?}"));
        let fix = d.fix.as_ref().expect("the closest name is offered");
        assert!(!fix.ambiguous && !fix.is_choice(), "{rel}: {fix:?}");
        assert_eq!(fix.applicability, applicability, "{rel}");
    }
}

/// The editor, over stdio: a method equally close to two gets two quick
/// fixes, neither preferred, each renaming to one of them; a method with
/// one closest gets one preferred quick fix; a call whose arguments fit no
/// form of the closest method gets none.
#[test]
fn a_tie_gives_two_quick_fixes_neither_preferred_and_a_unique_best_one_preferred() {
    let ws = TempDir::new("fixes-ties");
    common::copy_dir(&fixture("SK201/ws"), &ws.path);
    let mut server = Server::spawn();
    server.initialize_for(&ws.path);
    let quick_fixes = |server: &mut Server, skill: &str| {
        let path = ws.join(&format!("skills/{skill}/SKILL.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = file_uri(&path);
        server.open(&uri, 1, &text);
        let diags = server.diagnostics(&uri, Some(1));
        let mut out = Vec::new();
        for d in common::with_code(&diags, "SK201") {
            let params = json!({"textDocument": {"uri": uri}, "range": d["range"],
                "context": {"diagnostics": [d], "only": ["quickfix"]}});
            let actions = server.request("textDocument/codeAction", params);
            let actions: Vec<serde_json::Value> = actions
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["diagnostics"][0]["code"] == "SK201" && a["diagnostics"][0]["range"] == d["range"])
                // Suppressing is offered for every finding; these are the mends.
                .filter(|a| !a["title"].as_str().unwrap().starts_with("Suppress "))
                .cloned()
                .collect();
            out.push((d["message"].as_str().unwrap().to_string(), actions));
        }
        (text, uri, out)
    };

    let (text, uri, found) = quick_fixes(&mut server, "context-tie");
    assert_eq!(found.len(), 1, "{found:?}");
    let actions = &found[0].1;
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Replace `getContext` with `getConditionalContext`",
            "Replace `getContext` with `getCrossDomainContext`"
        ]
    );
    for (action, method) in actions.iter().zip(["getConditionalContext", "getCrossDomainContext"]) {
        assert_eq!(action["kind"], "quickfix");
        assert_eq!(action["isPreferred"], false, "a guess between equals: {action}");
        let fixed = apply_lsp_edits(&text, action["edit"]["changes"][&uri].as_array().unwrap());
        assert!(
            fixed.contains(&format!("`contextProvider.{method}(\"python\", \"flask_patterns\")`")),
            "{method}"
        );
        assert_eq!(fixed.len(), text.len() + method.len() - "getContext".len());
    }

    let (_, _, found) = quick_fixes(&mut server, "demo-skill");
    let get_index = found
        .iter()
        .find(|(m, _)| m.contains("`getIndex`"))
        .unwrap_or_else(|| panic!("{found:?}"));
    let titles: Vec<&str> = get_index.1.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Replace `getIndex` with `getDomainIndex`"]);
    assert_eq!(get_index.1[0]["isPreferred"], true, "the one closest method");

    let (_, _, found) = quick_fixes(&mut server, "memory-fields");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.is_empty(), "a rename SK202 would flag: {:?}", found[0].1);
    assert!(server.shutdown_and_exit().success());
}

/// `check --fix --unsafe-fixes` over a copy of a workspace writes the one
/// closest domain where there is one and leaves a tie as the author wrote it.
#[test]
fn check_fix_leaves_a_tie_alone() {
    let ws = TempDir::new("fixes-tie-cli");
    common::copy_dir(&fixture("SK208/ws"), &ws.path);
    let tie = "skills/domain-tie/SKILL.md";
    let unique = "skills/demo-skill/SKILL.md";
    let before = snapshot(&ws.path);
    let common::Run { code, stdout, stderr } = run_cli(
        &ws.path,
        &["check", "--fix", "--unsafe-fixes", "--format", "json", "skills"],
    );
    assert!(code == 0 || code == 1, "{stderr}");
    let after = snapshot(&ws.path);
    assert_eq!(after[tie], before[tie], "a tie was applied: {stdout}");
    assert!(after[unique].contains("getDomainIndex(\"security\")"), "{stdout}");
    let left: Vec<serde_json::Value> = serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().is_some_and(|p| p.ends_with(tie)))
        .cloned()
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        left[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("did you mean `node` or `nodejs`?"),
        "{left:?}"
    );
    // The summary does not promise a tie to `--fix` or `--unsafe-fixes`.
    let human = run_cli(&ws.path, &["check", tie]);
    assert!(human.stdout.contains("Checked 1 file: 1 warning."), "{}", human.stdout);
    assert!(!human.stdout.contains("fix"), "{}", human.stdout);
}
