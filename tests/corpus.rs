//! The checker measured on the real corpus: `forge/` (102 skills after a
//! bulk edit damaged them) and `forge-clean/` (the same skills just before),
//! through the real binary (`skill-lsp check --format json`).
//!
//! The damage listed here was audited by diffing the two trees; each finding
//! count per code was audited file by file. `docs/corpus-report.md` gives the
//! audit: how it was measured, the judgement on every count, the recall. A
//! change in any figure below fails a test on purpose: audit the new findings
//! and update the report together with the figures.
//!
//! Lines in the tables are one-based, as editors and the report show them.
//! The corpus is read from `$SKILL_LSP_CORPUS`, else `shared/corpus` beside
//! the repository (the `test-corpus` dev crate finds it); without it these tests fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// Findings per code on `forge/` (damaged), as audited.
const FORGE_COUNTS: &[(&str, usize)] = &[
    ("SK001", 60),
    ("SK002", 3),
    ("SK003", 1),
    ("SK010", 31),
    ("SK102", 1),
    ("SK103", 5),
    ("SK104", 4),
    ("SK106", 9),
    ("SK107", 23),
    ("SK108", 26),
    ("SK111", 9),
    ("SK112", 10),
    ("SK121", 1),
    ("SK123", 30),
    ("SK124", 17),
    ("SK201", 59),
    ("SK205", 32),
    ("SK206", 2),
    ("SK208", 21),
    ("SK301", 177),
    ("SK303", 1),
    ("SK401", 10),
    ("SK402", 7),
    ("SK403", 4),
    ("SK602", 1),
];

/// Findings per code on `forge-clean/`, as audited.
const CLEAN_COUNTS: &[(&str, usize)] = &[
    ("SK001", 1),
    ("SK002", 3),
    ("SK003", 1),
    ("SK004", 30),
    ("SK010", 31),
    ("SK102", 1),
    ("SK106", 7),
    ("SK111", 9),
    ("SK121", 7),
    ("SK201", 59),
    ("SK205", 14),
    ("SK206", 2),
    ("SK301", 6),
    ("SK303", 1),
    ("SK401", 10),
    ("SK402", 7),
    ("SK403", 4),
];

/// Default severity of every code, as the rule catalogue gives it.
const SEVERITIES: &[(&str, &str)] = &[
    ("SK001", "error"),
    ("SK002", "error"),
    ("SK003", "error"),
    ("SK004", "error"),
    ("SK005", "warning"),
    ("SK006", "warning"),
    ("SK007", "error"),
    ("SK008", "error"),
    ("SK009", "warning"),
    ("SK010", "warning"),
    ("SK101", "error"),
    ("SK102", "error"),
    ("SK103", "error"),
    ("SK104", "warning"),
    ("SK105", "warning"),
    ("SK106", "warning"),
    ("SK107", "warning"),
    ("SK108", "warning"),
    ("SK111", "error"),
    ("SK112", "error"),
    ("SK113", "warning"),
    ("SK114", "warning"),
    ("SK121", "warning"),
    ("SK122", "warning"),
    ("SK123", "warning"),
    ("SK124", "warning"),
    ("SK201", "error"),
    ("SK202", "warning"),
    ("SK203", "error"),
    ("SK204", "warning"),
    ("SK205", "warning"),
    ("SK206", "warning"),
    ("SK207", "warning"),
    ("SK208", "warning"),
    ("SK209", "information"),
    ("SK301", "warning"),
    ("SK302", "warning"),
    ("SK303", "warning"),
    ("SK401", "warning"),
    ("SK402", "warning"),
    ("SK403", "warning"),
    ("SK601", "warning"),
    ("SK602", "warning"),
    ("SK603", "warning"),
    ("SK604", "warning"),
    ("SK605", "error"),
    ("SK606", "warning"),
    ("SK607", "warning"),
    ("SK608", "warning"),
    ("SK609", "information"),
    ("SK610", "warning"),
    ("SK611", "warning"),
];

/// The damage: front matter whose closing `---` is gone and whose last line
/// became a `## ` heading; the line of that heading.
const UNCLOSED_FRONT_MATTER: &[(&str, usize)] = &[
    ("angular-code-review", 11),
    ("azure-auth", 15),
    ("better-auth", 15),
    ("clerk-auth", 15),
    ("cli-developer", 3),
    ("code-documenter", 3),
    ("code-reviewer", 3),
    ("commit-helper", 3),
    ("create-agents", 20),
    ("database-optimizer", 3),
    ("database-schema-analysis", 3),
    ("debugging-expert", 3),
    ("dev-tools", 20),
    ("documentation-generator", 3),
    ("dotnet-code-review", 3),
    ("email-gateway", 15),
    ("email-writer", 3),
    ("excel-skills", 3),
    ("feature-forge", 3),
    ("file-schema-analysis", 3),
    ("firebase-auth", 15),
    ("firebase-firestore", 15),
    ("firebase-storage", 15),
    ("fullstack-development", 3),
    ("generate-azure-bicep", 10),
    ("generate-azure-functions", 10),
    ("generate-azure-pipelines", 10),
    ("generate-jest-unit-tests", 10),
    ("generate-mock-service", 15),
    ("generate-more-skills-with-claude", 3),
    ("generate-python-unit-tests", 10),
    ("generate-tilt-dev-environment", 15),
    ("get-git-diff", 3),
    ("jupyter-notebook-skills", 3),
    ("legacy-modernizer", 3),
    ("mcp-developer", 3),
    ("monitoring-expert", 3),
    ("oauth-integrations", 15),
    ("pandas", 3),
    ("postgres", 3),
    ("power-debug", 20),
    ("project-health", 25),
    ("project-planning", 24),
    ("project-session-management", 24),
    ("project-workflow", 27),
    ("prompt-engineer", 3),
    ("python-code-review", 3),
    ("python-dependency-management", 10),
    ("secure-code", 3),
    ("security-reviewer", 3),
    ("skill-creator", 24),
    ("skill-review", 24),
    ("slack-message-composer", 3),
    ("snowflake-platform", 15),
    ("sql", 3),
    ("sub-agent-patterns", 23),
    ("test-cli-tools", 10),
    ("testing", 3),
    ("websocket-engineer", 3),
];

/// The damage: skills that link `interfaces/shared_loading_patterns.md`,
/// which the edit deleted (the links are found by reading the files).
const DELETED_LINK_SKILLS: &[&str] = &[
    "accessibility",
    "angular-architect",
    "angular-code-review",
    "animate",
    "api-design",
    "architecture-design",
    "azure-auth",
    "better-auth",
    "clerk-auth",
    "cloud-architect",
    "color-palette",
    "commit-helper",
    "create-agents",
    "dev-tools",
    "devops-engineer",
    "django",
    "dotnet-code-review",
    "dotnet-core",
    "email-gateway",
    "fastapi",
    "favicon-gen",
    "firebase-auth",
    "firebase-firestore",
    "firebase-storage",
    "firecrawl-scraper",
    "flutter-expert",
    "get-git-diff",
    "graphql-design",
    "icon-design",
    "image-gen",
    "jquery-4",
    "kubernetes-specialist",
    "microservices-design",
    "nestjs",
    "nextjs",
    "oauth-integrations",
    "office",
    "open-source-contributions",
    "php",
    "playwright-local",
    "power-debug",
    "python-code-review",
    "rails",
    "react-expert",
    "react-forms",
    "react-native-expert",
    "responsive-images",
    "secure-code",
    "snowflake-platform",
    "sre-engineer",
    "tailwind-patterns",
    "terraform-engineer",
    "vue-expert",
    "vue-expert-js",
];

/// The damage: a step list (or a stray step heading) pasted outside the
/// workflow section; the line of its first heading.
const PASTED_STEP_LISTS: &[(&str, usize)] = &[
    ("commit-helper", 226),
    ("create-agents", 198),
    ("dev-tools", 75),
    ("django", 30),
    ("dotnet-code-review", 454),
    ("dotnet-core", 30),
    ("excel-skills", 7),
    ("fastapi", 30),
    ("feature-forge", 183),
    ("fullstack-development", 173),
    ("generate-azure-pipelines", 547),
    ("generate-jest-unit-tests", 734),
    ("generate-more-skills-with-claude", 7),
    ("generate-python-unit-tests", 560),
    ("get-git-diff", 269),
    ("jupyter-notebook-skills", 7),
    ("legacy-modernizer", 212),
    ("mcp-developer", 211),
    ("monitoring-expert", 7),
    ("nestjs", 30),
    ("pandas", 7),
    ("php", 30),
    ("rails", 30),
    ("test-cli-tools", 518),
    ("websocket-engineer", 180),
];

/// The damage: `### Step N-1: Generate Output` appended below the last
/// `#### Step 11` of a `### Mandatory Workflow`, so outside that section.
const STEP_N_MINUS_1: (&str, usize) = ("generate-azure-bicep", 442);

/// The damage: `### Step 100: Generate Output` appended to a nine-step workflow.
const STEP_100: &[(&str, usize)] = &[
    ("generate-azure-functions", 402),
    ("generate-mock-service", 450),
    ("generate-tilt-dev-environment", 447),
];

/// The damage: a step heading inserted into the workflow (a second step 2, a
/// `Step 6: Generate Output` after the memory step, ...), or an existing one
/// rewritten in another style (`email-writer` line 48).
const STEPS_ADDED_IN_WORKFLOW: &[(&str, usize)] = &[
    ("cli-developer", 197),
    ("code-documenter", 168),
    ("code-reviewer", 159),
    ("database-optimizer", 223),
    ("database-schema-analysis", 232),
    ("debugging-expert", 118),
    ("documentation-generator", 154),
    ("email-writer", 48),
    ("email-writer", 64),
    ("email-writer", 150),
    ("file-schema-analysis", 204),
    ("mcp-developer", 117),
    ("postgres", 239),
    ("prompt-engineer", 129),
    ("python-dependency-management", 227),
    ("security-reviewer", 163),
    ("slack-message-composer", 64),
    ("slack-message-composer", 157),
    ("sql", 225),
    ("testing", 131),
];

/// Step numbers repeated by an inserted `Step 2` (reported on the original
/// step 2, which now stands third).
const REPEATED_STEP_2: &[(&str, usize)] = &[("email-writer", 71), ("slack-message-composer", 71)];

/// Errors on the clean tree besides SK004 (`version` missing) and the
/// `contextProvider.getIndex` calls, each audited as a true defect.
const CLEAN_ERRORS: &[(&str, &str, usize)] = &[
    ("SK001", "terraform-engineer", 1),
    ("SK002", "create-agents", 3),
    ("SK002", "dev-tools", 3),
    ("SK002", "snowflake-platform", 3),
    ("SK003", "generate-mock-service", 6),
    ("SK102", "terraform-engineer", 131),
    ("SK111", "database-optimizer", 39),
    ("SK111", "database-schema-analysis", 42),
    ("SK111", "file-schema-analysis", 41),
    ("SK111", "generate-mock-service", 190),
    ("SK111", "generate-tilt-dev-environment", 194),
    ("SK111", "pandas", 40),
    ("SK111", "postgres", 40),
    ("SK111", "sql", 40),
    ("SK111", "terraform-engineer", 131),
    ("SK201", "cloud-architect", 212),
    ("SK201", "devops-engineer", 237),
    ("SK201", "kubernetes-specialist", 323),
    ("SK201", "sre-engineer", 384),
    ("SK201", "terraform-engineer", 155),
    ("SK201", "terraform-engineer", 171),
    ("SK201", "terraform-engineer", 172),
];

/// Clean skills whose front matter has no `version` key, which the format
/// requires (SK004, error). Their damaged copies are all unclosed (SK001).
const CLEAN_WITHOUT_VERSION: &[&str] = &[
    "cli-developer",
    "code-documenter",
    "code-reviewer",
    "commit-helper",
    "database-optimizer",
    "database-schema-analysis",
    "debugging-expert",
    "documentation-generator",
    "dotnet-code-review",
    "email-writer",
    "excel-skills",
    "feature-forge",
    "file-schema-analysis",
    "fullstack-development",
    "generate-more-skills-with-claude",
    "get-git-diff",
    "jupyter-notebook-skills",
    "legacy-modernizer",
    "mcp-developer",
    "monitoring-expert",
    "pandas",
    "postgres",
    "prompt-engineer",
    "python-code-review",
    "secure-code",
    "security-reviewer",
    "slack-message-composer",
    "sql",
    "testing",
    "websocket-engineer",
];

/// The corpus folder holding `forge/` and `forge-clean/`. Its absence fails
/// the tests: they exist to measure the checker on it.
fn corpus() -> &'static Path {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS.get_or_init(|| test_corpus::require(&["forge/forge-plugin/skills", "forge-clean/forge-plugin/skills"]))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tree {
    Forge,
    Clean,
}

impl Tree {
    fn root(self) -> PathBuf {
        let name = match self {
            Tree::Forge => "forge",
            Tree::Clean => "forge-clean",
        };
        corpus().join(name).join("forge-plugin")
    }

    fn text(self, skill: &str) -> String {
        let path = self.root().join("skills").join(skill).join("SKILL.md");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The skill folders (those holding a `SKILL.md`), sorted.
    fn skills(self) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.root().join("skills"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().join("SKILL.md").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        out.sort();
        out
    }

    fn report(self) -> &'static Report {
        static FORGE: OnceLock<Report> = OnceLock::new();
        static CLEAN: OnceLock<Report> = OnceLock::new();
        let cell = match self {
            Tree::Forge => &FORGE,
            Tree::Clean => &CLEAN,
        };
        cell.get_or_init(|| Report::run(self))
    }
}

/// One diagnostic of the JSON report, with its skill and a one-based line.
#[derive(Debug, Clone)]
struct Finding {
    skill: String,
    code: String,
    severity: String,
    message: String,
    /// One-based line of the range's start.
    line: usize,
    /// Zero-based UTF-16 start and end, as in the JSON.
    start: (u64, u64),
    end: (u64, u64),
}

/// What `skill-lsp check --format json skills` gave, run inside a tree's root.
struct Report {
    status: i32,
    json: Value,
    findings: Vec<Finding>,
}

impl Report {
    fn run(tree: Tree) -> Report {
        let out = Command::new(env!("CARGO_BIN_EXE_skill-lsp"))
            .args(["check", "--format", "json", "skills"])
            .current_dir(tree.root())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the skill-lsp binary runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let findings = json["diagnostics"]
            .as_array()
            .expect("`diagnostics` is an array")
            .iter()
            .map(|d| {
                let path = d["path"].as_str().expect("`path` is a string");
                let pos = |p: &Value| (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
                let start = pos(&d["range"]["start"]);
                Finding {
                    skill: skill_of(path).unwrap_or_else(|| panic!("not a skill's path: {path}")),
                    code: d["code"].as_str().unwrap().to_string(),
                    severity: d["severity"].as_str().unwrap().to_string(),
                    message: d["message"].as_str().unwrap().to_string(),
                    line: start.0 as usize + 1,
                    start,
                    end: pos(&d["range"]["end"]),
                }
            })
            .collect();
        Report {
            status: out.status.code().unwrap_or(-1),
            json,
            findings,
        }
    }

    fn of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.code == code)
    }

    /// (skill, line) of every finding of `code`.
    fn lines(&self, code: &str) -> BTreeSet<(String, usize)> {
        self.of(code).map(|f| (f.skill.clone(), f.line)).collect()
    }

    fn counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for f in &self.findings {
            *out.entry(f.code.clone()).or_default() += 1;
        }
        out
    }
}

/// `skills/<name>/SKILL.md` → `<name>`.
fn skill_of(path: &str) -> Option<String> {
    let rest = path.strip_prefix("skills/")?;
    let name = rest.strip_suffix("/SKILL.md")?;
    (!name.is_empty() && !name.contains('/')).then(|| name.to_string())
}

fn set(pairs: &[(&str, usize)]) -> BTreeSet<(String, usize)> {
    pairs.iter().map(|(s, l)| (s.to_string(), *l)).collect()
}

/// Lines as LSP counts them: split at `\n`, a trailing `\r` dropped.
fn lines_of(text: &str) -> Vec<&str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

fn utf16(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

/// Every (skill, one-based line, UTF-16 column) where `needle` stands in a
/// tree's skills.
fn occurrences(tree: Tree, needle: &str) -> BTreeSet<(String, usize, u64)> {
    let mut out = BTreeSet::new();
    for skill in tree.skills() {
        let text = tree.text(&skill);
        for (i, line) in lines_of(&text).into_iter().enumerate() {
            for (at, _) in line.match_indices(needle) {
                out.insert((skill.clone(), i + 1, utf16(&line[..at])));
            }
        }
    }
    out
}

#[test]
fn json_report_of_both_trees_has_the_documented_shape() {
    let severities: BTreeMap<&str, &str> = SEVERITIES.iter().copied().collect();
    for tree in [Tree::Forge, Tree::Clean] {
        let report = tree.report();
        assert_eq!(report.status, 1, "{tree:?}: errors found give exit status 1");
        let doc = report.json.as_object().expect("one JSON object");
        assert_eq!(doc["files"].as_u64(), Some(102), "{tree:?}: all 102 skills are checked");
        let extra: Vec<_> = doc
            .keys()
            .filter(|k| !["files", "diagnostics", "errors"].contains(&k.as_str()))
            .collect();
        assert!(extra.is_empty(), "{tree:?}: unexpected top-level keys {extra:?}");
        if let Some(errors) = doc.get("errors") {
            assert_eq!(
                errors.as_array().map(Vec::len),
                Some(0),
                "{tree:?}: every file was readable"
            );
        }
        let mut texts = BTreeMap::new();
        for d in report.json["diagnostics"].as_array().unwrap() {
            let mut keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
            // `fix` (safe, unsafe or choice) is there exactly when a fix is.
            assert_eq!(keys.remove("fix"), d["fixable"] == true, "{d}");
            assert_eq!(
                keys,
                BTreeSet::from(["path", "code", "severity", "message", "range", "fixable"]),
                "{d}"
            );
            assert!(d["fixable"].is_boolean(), "{d}");
            let code = d["code"].as_str().unwrap();
            assert_eq!(
                severities.get(code).copied(),
                d["severity"].as_str(),
                "{tree:?}: the severity of {code} is the catalogue's default: {d}"
            );
            assert!(d["message"].as_str().is_some_and(|m| m.len() > 20), "{d}");
        }
        // Positions are zero-based lines and UTF-16 columns inside the file.
        for f in &report.findings {
            let text = texts.entry(f.skill.clone()).or_insert_with(|| tree.text(&f.skill));
            let lines = lines_of(text);
            for (line, col) in [f.start, f.end] {
                let l = lines
                    .get(line as usize)
                    .unwrap_or_else(|| panic!("{f:?}: line past the end"));
                assert!(col <= utf16(l), "{f:?}: column past the end of {l:?}");
            }
            assert!(f.start <= f.end, "{f:?}");
        }
    }
    // Columns count UTF-16 units: `### ⚠️ STEP 2` has its 2 at 12, not at byte 16.
    let email = Tree::Forge
        .report()
        .of("SK103")
        .find(|f| f.skill == "email-writer")
        .unwrap();
    assert_eq!((email.line, email.start.1, email.end.1), (71, 12, 13));
}

#[test]
fn per_code_counts_equal_the_audited_figures() {
    for (tree, audited) in [(Tree::Forge, FORGE_COUNTS), (Tree::Clean, CLEAN_COUNTS)] {
        let audited: BTreeMap<String, usize> = audited.iter().map(|(c, n)| (c.to_string(), *n)).collect();
        assert_eq!(
            tree.report().counts(),
            audited,
            "{tree:?}: the findings per code changed; audit the new or lost findings and update \
             docs/corpus-report.md together with the figures in tests/corpus.rs"
        );
    }
}

#[test]
fn every_unclosed_front_matter_is_reported_on_the_line_that_replaced_the_closing_dashes() {
    // The table is the damage: the clean file closes right after the line
    // that the damaged file turned into a heading.
    for &(skill, line) in UNCLOSED_FRONT_MATTER {
        let (broken, clean) = (Tree::Forge.text(skill), Tree::Clean.text(skill));
        let (broken, clean) = (lines_of(&broken), lines_of(&clean));
        assert_eq!(
            broken[line - 1].strip_prefix("## "),
            Some(clean[line - 1]),
            "{skill}:{line}"
        );
        assert_eq!(clean[line], "---", "{skill}:{line}");
    }
    let mut expected = set(UNCLOSED_FRONT_MATTER);
    // The one skill with no front matter at all, in both trees.
    expected.insert(("terraform-engineer".into(), 1));
    assert_eq!(Tree::Forge.report().lines("SK001"), expected);
    assert_eq!(Tree::Clean.report().lines("SK001"), set(&[("terraform-engineer", 1)]));
    // The range is the whole heading line, which the fix turns back into `---`.
    for f in Tree::Forge
        .report()
        .of("SK001")
        .filter(|f| f.skill != "terraform-engineer")
    {
        let text = Tree::Forge.text(&f.skill);
        let line = lines_of(&text)[f.line - 1];
        assert_eq!((f.start.1, f.end), (0, (f.start.0, utf16(line))), "{f:?}");
    }
}

#[test]
fn every_link_to_the_deleted_interface_document_is_reported() {
    let links = occurrences(Tree::Forge, "interfaces/shared_loading_patterns.md");
    let skills: BTreeSet<&str> = links.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(skills, DELETED_LINK_SKILLS.iter().copied().collect());
    assert_eq!(links.len(), 177, "links in the damaged tree");
    let found: BTreeSet<_> = Tree::Forge
        .report()
        .of("SK301")
        .filter(|f| f.message.contains("shared_loading_patterns.md"))
        .map(|f| (f.skill.clone(), f.line, f.start.1))
        .collect();
    // Each link, at the column where its target starts (after `../../`).
    let expected: BTreeSet<_> = links.iter().map(|(s, l, c)| (s.clone(), *l, c - 6)).collect();
    assert_eq!(found, expected);
    // The clean tree still has the document: the same links are fine there.
    let clean = &Tree::Clean.report().findings;
    assert!(
        !clean.iter().any(|f| f.message.contains("shared_loading_patterns")),
        "clean tree"
    );
    assert!(occurrences(Tree::Clean, "interfaces/shared_loading_patterns.md").len() > 100);
}

#[test]
fn pasted_step_lists_are_reported_where_they_start() {
    let mut expected = set(PASTED_STEP_LISTS);
    expected.insert((STEP_N_MINUS_1.0.into(), STEP_N_MINUS_1.1));
    assert_eq!(Tree::Forge.report().lines("SK108"), expected);
    assert_eq!(Tree::Clean.report().of("SK108").count(), 0);
    for (skill, line) in &expected {
        let text = Tree::Forge.text(skill);
        let heading = lines_of(&text)[line - 1];
        assert!(heading.starts_with("### Step "), "{skill}:{line} {heading:?}");
    }
}

#[test]
fn steps_added_to_a_workflow_are_reported_on_the_added_heading() {
    let report = Tree::Forge.report();
    for &(skill, line) in STEPS_ADDED_IN_WORKFLOW {
        let codes: BTreeSet<&str> = report
            .findings
            .iter()
            .filter(|f| f.skill == skill && f.line == line)
            .map(|f| f.code.as_str())
            .collect();
        assert!(
            codes.iter().any(|c| ["SK103", "SK104", "SK107"].contains(c)),
            "{skill}:{line}: no workflow finding on the added step ({codes:?})"
        );
    }
    // Every such skill also says how many steps it has, and now has one more.
    let promised: BTreeSet<&str> = report.of("SK124").map(|f| f.skill.as_str()).collect();
    let added: BTreeSet<&str> = STEPS_ADDED_IN_WORKFLOW.iter().map(|(s, _)| *s).collect();
    assert_eq!(promised, added);
    let clean = Tree::Clean.report();
    for code in ["SK103", "SK104", "SK107", "SK108", "SK112", "SK124"] {
        assert_eq!(clean.of(code).count(), 0, "{code} on the clean tree");
    }
}

#[test]
fn step_100_and_repeated_numbers_are_numbering_errors() {
    let mut expected = set(STEP_100);
    expected.extend(set(REPEATED_STEP_2));
    assert_eq!(Tree::Forge.report().lines("SK103"), expected);
    for f in Tree::Forge.report().of("SK103") {
        let text = Tree::Forge.text(&f.skill);
        let line = lines_of(&text)[f.line - 1];
        let units: Vec<u16> = line.encode_utf16().collect();
        let number = String::from_utf16_lossy(&units[f.start.1 as usize..f.end.1 as usize]);
        let want = if STEP_100.iter().any(|(s, _)| *s == f.skill) {
            "100"
        } else {
            "2"
        };
        assert_eq!(number, want, "{f:?}: the range is the step's number");
    }
}

#[test]
fn every_todo_placeholder_is_reported() {
    let todos: BTreeSet<_> = occurrences(Tree::Forge, "[TODO")
        .into_iter()
        .map(|(s, l, _)| (s, l))
        .collect();
    assert_eq!(todos.len(), 30);
    assert_eq!(Tree::Forge.report().lines("SK123"), todos);
    assert!(occurrences(Tree::Clean, "[TODO").is_empty());
}

#[test]
fn every_get_index_call_is_an_unknown_method_in_both_trees() {
    for tree in [Tree::Forge, Tree::Clean] {
        let calls: BTreeSet<_> = occurrences(tree, "contextProvider.getIndex(")
            .into_iter()
            .map(|(s, l, c)| {
                (
                    s,
                    l,
                    c + utf16("contextProvider."),
                    c + utf16("contextProvider.getIndex"),
                )
            })
            .collect();
        assert_eq!(calls.len(), 52, "{tree:?}");
        assert_eq!(
            calls.iter().map(|(s, ..)| s).collect::<BTreeSet<_>>().len(),
            16,
            "{tree:?}"
        );
        let found: BTreeSet<_> = tree
            .report()
            .of("SK201")
            .filter(|f| f.message.contains("`getIndex`"))
            .map(|f| (f.skill.clone(), f.line, f.start.1, f.end.1))
            .collect();
        assert_eq!(found, calls, "{tree:?}: SK201 on the method name of each call");
    }
}

#[test]
fn the_clean_tree_has_no_errors_but_the_audited_ones() {
    let mut expected: BTreeSet<(String, String, usize)> = CLEAN_ERRORS
        .iter()
        .map(|(c, s, l)| (c.to_string(), s.to_string(), *l))
        .collect();
    expected.extend(
        CLEAN_WITHOUT_VERSION
            .iter()
            .map(|s| ("SK004".to_string(), s.to_string(), 1)),
    );
    expected.extend(
        occurrences(Tree::Clean, "contextProvider.getIndex(")
            .into_iter()
            .map(|(s, l, _)| ("SK201".to_string(), s, l)),
    );
    let errors: BTreeSet<_> = Tree::Clean
        .report()
        .findings
        .iter()
        .filter(|f| f.severity == "error")
        .map(|f| (f.code.clone(), f.skill.clone(), f.line))
        .collect();
    assert_eq!(errors, expected);
    // SK004 is the missing `version` the format requires, on the opening `---`.
    for f in Tree::Clean.report().of("SK004") {
        assert!(f.message.contains("`version`"), "{f:?}");
        let text = Tree::Clean.text(&f.skill);
        let mut front_matter = text.lines().skip(1).take_while(|l| *l != "---");
        assert!(!front_matter.any(|l| l.starts_with("version:")), "{f:?}");
        assert_eq!((f.start, f.end), ((0, 0), (0, 3)), "{f:?}: on the opening `---`");
    }
}

#[test]
fn untouched_skills_get_the_same_findings_in_both_trees() {
    // Workspace differences aside: the clean tree has no `context/` (SK208,
    // SK209) and no `OUTPUT_CONVENTIONS.md`, and still has the deleted
    // interface document (links, SK301 and SK302).
    let workspace_dependent = ["SK208", "SK209", "SK301", "SK302"];
    let key = |f: &Finding| (f.code.clone(), f.start, f.end, f.message.clone());
    let untouched: Vec<String> = Tree::Forge
        .skills()
        .into_iter()
        .filter(|s| Tree::Forge.text(s) == Tree::Clean.text(s))
        .collect();
    assert_eq!(untouched.len(), 34, "skills the edit left alone");
    for skill in &untouched {
        let of = |tree: Tree| -> Vec<_> {
            tree.report()
                .findings
                .iter()
                .filter(|f| &f.skill == skill && !workspace_dependent.contains(&f.code.as_str()))
                .map(key)
                .collect()
        };
        assert_eq!(of(Tree::Forge), of(Tree::Clean), "{skill}");
    }
}
