//! End-to-end tests of formatting, the skill graph, semantic tokens, inlay
//! hints, document highlight, selection range, call hierarchy and code
//! lenses: over the
//! real binary's stdio, and through the command line (`format`, `graph`),
//! on real corpus skills copied into a temporary skills root.
//!
//! The corpus is `SKILL_LSP_CORPUS`, else `shared/corpus` beside the
//! checkout (see the `test-corpus` dev crate); without it the tests pass vacuously.

mod common;

use std::path::Path;

use common::{file_uri, range, run_cli, utf16_offset, utf16_position, Server, TempDir};
use serde_json::{json, Value};

const SKILLS: &[&str] = &[
    "typescript",               // positional calls
    "generate-azure-functions", // `Step 100` after `Step 9`
    "project-workflow",         // invokes project-planning and project-session-management
    "project-planning",
    "project-session-management",
];

/// A skills root with the corpus interfaces, context and [`SKILLS`].
fn workspace(name: &str) -> Option<TempDir> {
    common::corpus_workspace(&format!("features-{name}"), SKILLS).map(|(dir, _)| dir)
}

fn server(dir: &TempDir, options: Value) -> Server {
    let mut server = Server::spawn();
    let root = file_uri(&dir.path);
    let init = server.initialize(json!({
        "processId": null,
        "rootUri": root,
        "workspaceFolders": [{"uri": root, "name": "ws"}],
        "initializationOptions": options,
        "capabilities": {}
    }));
    let caps = &init["capabilities"];
    for cap in [
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
        "inlayHintProvider",
        "documentHighlightProvider",
        "selectionRangeProvider",
        "callHierarchyProvider",
        "codeLensProvider",
    ] {
        assert!(
            caps.get(cap).is_some_and(|v| !v.is_null()),
            "{cap} not announced: {caps}"
        );
    }
    assert_eq!(caps["semanticTokensProvider"]["full"]["delta"], true, "{caps}");
    assert_eq!(
        caps["executeCommandProvider"]["commands"],
        json!(["skill-lsp.fixAll"]),
        "{caps}"
    );
    server
}

fn open(server: &Server, path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let uri = file_uri(path);
    server.open(&uri, 1, &text);
    (uri, text)
}

fn pos_of(text: &str, needle: &str, plus: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + plus;
    let (line, character) = utf16_position(text, at);
    json!({"line": line, "character": character})
}

/// `text` with LSP text edits applied (UTF-16 positions).
fn apply(text: &str, edits: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                utf16_offset(text, &e["range"]["start"]),
                utf16_offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

fn slice<'a>(text: &'a str, range: &Value) -> &'a str {
    &text[utf16_offset(text, &range["start"])..utf16_offset(text, &range["end"])]
}

#[test]
fn formatting_in_the_editor_is_what_the_command_line_writes() {
    let Some(dir) = workspace("format") else { return };
    let skill = dir.join("skills/generate-azure-functions/SKILL.md");
    let mut server = server(&dir, json!(null));
    let (uri, text) = open(&server, &skill);
    let edits = server.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(&text, &edits);
    assert!(formatted.contains("### Step 10: Generate Output"), "not renumbered");
    assert!(!formatted.contains("Step 100"));

    // A selection on the stray number takes the renumbering whole.
    let at = pos_of(&text, "Step 100", 5);
    let ranged = server.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(apply(&text, &ranged).contains("### Step 10: Generate Output"));
    server.shutdown_and_exit();

    // The command line: `--check` lists it and fails, `format` writes what the editor shows.
    let run = run_cli(&dir.path, &["format", "--check", "skills"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "would format skills/generate-azure-functions/SKILL.md"
    );
    assert_eq!(std::fs::read_to_string(&skill).unwrap(), text, "--check wrote");
    let run = run_cli(&dir.path, &["format", "skills"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(std::fs::read_to_string(&skill).unwrap(), formatted);
    let run = run_cli(&dir.path, &["format", "--check", "skills"]);
    assert_eq!(run.code, 0, "formatting again changes nothing: {}", run.stdout);
}

#[test]
fn the_graph_on_the_command_line() {
    let Some(dir) = workspace("graph") else { return };
    let run = run_cli(&dir.path, &["graph"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("digraph skills {"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\"project-workflow\" -> \"project-planning\";"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("\"project-workflow\" -> \"project-session-management\";"));
    assert!(
        !run.stdout.contains("\"typescript\""),
        "a skill outside every edge is left out"
    );
    let run = run_cli(&dir.path, &["graph", "--all", "--format", "mermaid", "."]);
    assert!(
        run.stdout.starts_with("flowchart LR\n") && run.stdout.contains("[\"typescript\"]"),
        "{}",
        run.stdout
    );
    let run = run_cli(&dir.path, &["graph", "--format", "json"]);
    let value: Value = serde_json::from_str(&run.stdout).unwrap();
    let workflow = value["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "project-workflow")
        .unwrap();
    assert_eq!(
        workflow["invokes"],
        json!(["project-planning", "project-session-management"])
    );
    assert_eq!(value["missing"], json!([]));

    // SVG: rendered by Graphviz where it is installed, a clear error where not.
    let run = run_cli(&dir.path, &["graph", "--format", "svg"]);
    let has_dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    if has_dot {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("<svg"), "{}", run.stdout);
        // One node per skill of an edge, and the edges (Graphviz writes `-` as `&#45;`).
        let titles: Vec<String> = run
            .stdout
            .split("<title>")
            .skip(1)
            .filter_map(|t| t.split_once("</title>"))
            .map(|(t, _)| t.replace("&#45;", "-").replace("&gt;", ">"))
            .collect();
        for title in [
            "project-workflow",
            "project-planning",
            "project-session-management",
            "project-workflow->project-planning",
            "project-workflow->project-session-management",
        ] {
            assert!(titles.iter().any(|t| t == title), "{title} not in {titles:?}");
        }
    } else {
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("needs Graphviz's `dot`"), "{}", run.stderr);
    }
}

#[test]
fn invocations_of_missing_skills_and_circles_are_found_in_the_editor() {
    let Some(dir) = workspace("graph-rules") else { return };
    // project-planning now invokes project-workflow back: a circle.
    let planning = dir.join("skills/project-planning/SKILL.md");
    let mut text = std::fs::read_to_string(&planning).unwrap();
    text.push_str("\nWhen done, `skillInvoker.invoke(\"project-workflow\", { project })`.\n");
    std::fs::write(&planning, &text).unwrap();
    let server = server(&dir, json!(null));
    let (uri, text) = open(&server, &dir.join("skills/project-workflow/SKILL.md"));
    let diags = server.diagnostics_where(&uri, "SK211", |d| common::codes(d).contains(&"SK211".to_string()));
    let cycle = common::with_code(diags["diagnostics"].as_array().unwrap(), "SK211")[0].clone();
    assert_eq!(slice(&text, &cycle["range"]), "\"project-planning\"");
    assert!(
        cycle["message"]
            .as_str()
            .unwrap()
            .contains("`project-workflow` → `project-planning` → `project-workflow`"),
        "{cycle}"
    );

    let typo = text.replacen("\"project-session-management\"", "\"project-session-managment\"", 1);
    server.change(&uri, 2, json!([{"text": typo}]));
    let diags = server.diagnostics_where(&uri, "SK210", |d| common::codes(d).contains(&"SK210".to_string()));
    let missing = common::with_code(diags["diagnostics"].as_array().unwrap(), "SK210")[0].clone();
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("`project-session-managment` does not exist"),
        "{missing}"
    );
}

#[test]
fn call_hierarchy_follows_skill_invocations() {
    let Some(dir) = workspace("hierarchy") else { return };
    let mut server = server(&dir, json!(null));
    let (uri, text) = open(&server, &dir.join("skills/project-workflow/SKILL.md"));
    let items = server.request(
        "textDocument/prepareCallHierarchy",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "# ", 2)}),
    );
    assert_eq!(items[0]["name"], "project-workflow", "{items}");
    let out = server.request("callHierarchy/outgoingCalls", json!({"item": items[0]}));
    let names: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["to"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["project-planning", "project-session-management"]);
    let first = &out[0]["fromRanges"][0];
    assert!(
        slice(&text, first).starts_with("skillInvoker.invoke(\"project-planning\""),
        "{first}"
    );

    // From the invocation: the invoked skill, and who invokes it.
    let on_call = server.request(
        "textDocument/prepareCallHierarchy",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "\"project-planning\"", 3)}),
    );
    assert_eq!(on_call[0]["name"], "project-planning");
    let incoming = server.request("callHierarchy/incomingCalls", json!({"item": on_call[0]}));
    assert_eq!(incoming[0]["from"]["name"], "project-workflow", "{incoming}");
}

/// The data of a semantic tokens answer as (line, start, length, type, modifiers).
fn decode(data: &Value) -> Vec<[u32; 5]> {
    let ints: Vec<u32> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let (mut line, mut start) = (0, 0);
    ints.chunks(5)
        .map(|c| {
            if c[0] > 0 {
                start = 0;
            }
            line += c[0];
            start += c[1];
            [line, start, c[2], c[3], c[4]]
        })
        .collect()
}

#[test]
fn semantic_tokens_full_and_delta() {
    let Some(dir) = workspace("tokens") else { return };
    // A suppression comment naming a rule by code and one no rule has.
    let skill = dir.join("skills/typescript/SKILL.md");
    let original = std::fs::read_to_string(&skill).unwrap();
    std::fs::write(
        &skill,
        original.replacen(
            "## Mandatory Workflow",
            "<!-- skill-lsp-disable-next-line SK104, no-such-rule -->\n## Mandatory Workflow",
            1,
        ),
    )
    .unwrap();
    let mut server = server(&dir, json!(null));
    let (uri, text) = open(&server, &skill);
    let full = server.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let tokens = decode(&full["data"]);
    let word = |t: &[u32; 5]| {
        let line = text.split('\n').nth(t[0] as usize).unwrap();
        let start = utf16_offset(line, &json!({"line": 0, "character": t[1]}));
        let end = utf16_offset(line, &json!({"line": 0, "character": t[1] + t[2]}));
        line[start..end].to_string()
    };
    let seen: Vec<(String, u32, u32)> = tokens.iter().map(|t| (word(t), t[3], t[4])).collect();
    // namespace (0) + defaultLibrary (1), method (1), keyword (2) `Step`, number (3).
    assert!(seen.contains(&("memoryStore".into(), 0, 1)), "{seen:?}");
    assert!(seen.contains(&("getSkillMemory".into(), 1, 1)), "{seen:?}");
    assert!(
        seen.iter().any(|(w, t, _)| w.eq_ignore_ascii_case("step") && *t == 2),
        "{seen:?}"
    );
    assert!(seen.contains(&("1".into(), 3, 0)), "{seen:?}");
    // Rules in suppression comments: enumMember (6), `unknown` (2) when no rule has the name.
    assert!(seen.contains(&("SK104".into(), 6, 0)), "{seen:?}");
    assert!(seen.contains(&("no-such-rule".into(), 6, 2)), "{seen:?}");

    // An unknown method is marked `unknown` (bit 2); the delta says only what changed.
    let at = text.find("getSkillMemory").unwrap();
    let (line, character) = utf16_position(&text, at);
    server.edit(&uri, 2, (line, character), (line, character + 14), "getSkilMemory");
    let delta = server.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": uri}, "previousResultId": full["resultId"]}),
    );
    let edits = delta["edits"].as_array().unwrap_or_else(|| panic!("no delta: {delta}"));
    assert_eq!(edits.len(), 1, "{delta}");
    let changed: Vec<u64> = edits[0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(
        changed.chunks(5).any(|c| c[3] == 1 && c[4] == 2),
        "the method marked unknown: {delta}"
    );
    assert!(edits[0]["deleteCount"].as_u64().unwrap() < full["data"].as_array().unwrap().len() as u64);
}

fn hints(server: &mut Server, uri: &str, text: &str) -> Vec<(String, i64, String)> {
    let (line, _) = utf16_position(text, text.len());
    let answer = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": line + 1, "character": 0}}}),
    );
    answer
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let at = utf16_offset(text, &h["position"]);
            let after: String = text[at..].chars().take(20).collect();
            (
                h["label"].as_str().unwrap().to_string(),
                h["kind"].as_i64().unwrap(),
                after,
            )
        })
        .collect()
}

#[test]
fn inlay_hints_and_their_settings() {
    let Some(dir) = workspace("inlay") else { return };
    let mut server = server(&dir, json!(null));
    let (uri, text) = open(&server, &dir.join("skills/typescript/SKILL.md"));
    let got = hints(&mut server, &uri, &text);
    assert!(
        got.iter()
            .any(|(l, k, after)| l == "skillName:" && *k == 2 && after.starts_with("\"typescript\"")),
        "{got:?}"
    );
    assert!(got.iter().any(|(l, k, _)| l == "6 steps" && *k == 1), "{got:?}");
    server.shutdown_and_exit();

    let mut quiet = self::server(&dir, json!({"inlayHints": {"parameterNames": false}}));
    let (uri, text) = open(&quiet, &dir.join("skills/typescript/SKILL.md"));
    let got = hints(&mut quiet, &uri, &text);
    assert!(
        got.iter().all(|(_, k, _)| *k != 2),
        "parameter names were turned off: {got:?}"
    );
    assert!(got.iter().any(|(l, _, _)| l == "6 steps"), "{got:?}");
}

#[test]
fn highlight_and_selection_range() {
    let Some(dir) = workspace("highlight") else { return };
    let mut server = server(&dir, json!(null));
    let (uri, text) = open(&server, &dir.join("skills/typescript/SKILL.md"));
    let at = pos_of(&text, "getDomainIndex", 2);
    let found = server.request(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": uri}, "position": at}),
    );
    let uses = text.matches("contextProvider.getDomainIndex").count();
    assert!(uses >= 1);
    let got: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|h| slice(&text, &h["range"]))
        .collect();
    assert_eq!(got.len(), uses, "{got:?}");
    assert!(got.iter().all(|g| *g == "contextProvider.getDomainIndex"));

    let arg = pos_of(&text, "getSkillMemory(\"typescript\"", 17);
    let sel = server.request(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": uri}, "positions": [arg]}),
    );
    let mut chain = Vec::new();
    let mut at = &sel[0];
    while !at.is_null() {
        chain.push(slice(&text, &at["range"]).to_string());
        at = &at["parent"];
    }
    assert_eq!(chain[0], "\"typescript\"", "{chain:?}");
    assert!(
        chain[1].starts_with("memoryStore.getSkillMemory(\"typescript\""),
        "{chain:?}"
    );
    assert!(chain.iter().any(|c| c.starts_with("### Step 2")), "{chain:?}");
    assert!(
        chain.iter().any(|c| c.starts_with("## ") && c.contains("Workflow")),
        "{chain:?}"
    );
    assert_eq!(chain.last().unwrap(), &text);
}

/// The code lenses of a document as (the heading's text, title, command).
fn lenses(server: &mut Server, uri: &str, text: &str) -> Vec<(String, String, String, Value)> {
    let answer = server.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    answer
        .as_array()
        .unwrap_or_else(|| panic!("no lenses: {answer}"))
        .iter()
        .map(|l| {
            (
                slice(text, &l["range"]).to_string(),
                l["command"]["title"].as_str().unwrap().to_string(),
                l["command"]["command"].as_str().unwrap().to_string(),
                l["command"]["arguments"].clone(),
            )
        })
        .collect()
}

#[test]
fn code_lenses_on_a_skill_count_findings_fix_all_and_check_the_checklist() {
    let Some(dir) = workspace("lens-skill") else { return };
    // The checklist loses its item for step 2 (SK112, a safe fix).
    let skill = dir.join("skills/typescript/SKILL.md");
    let original = std::fs::read_to_string(&skill).unwrap();
    let item = "- [ ] Step 2 loaded project memory via MemoryStore\n";
    assert!(original.contains(item), "the corpus skill changed");
    std::fs::write(&skill, original.replacen(item, "", 1)).unwrap();

    let mut server = server(&dir, json!(null));
    let applied = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = applied.clone();
    server.on_request("workspace/applyEdit", move |params| {
        seen.lock().unwrap().push(params.clone());
        json!({"applied": true})
    });
    let (uri, text) = open(&server, &skill);
    // The findings as the editor shows them, counted.
    let published = |server: &Server, what: &str, code_present: bool| {
        let diags = server.diagnostics_where(&uri, what, |d| {
            common::codes(d).contains(&"SK112".to_string()) == code_present
        });
        let all = diags["diagnostics"].as_array().unwrap().clone();
        let count = |severity: i64| all.iter().filter(|d| d["severity"] == severity).count();
        (all.len(), count(1), count(2))
    };
    let (total, errors, warnings) = published(&server, "SK112", true);
    assert_eq!((errors, warnings), (1, total - 1), "one error, the rest warnings");
    let expected = match warnings {
        0 => "1 error".to_string(),
        1 => "2 findings: 1 error, 1 warning".to_string(),
        n => format!("{total} findings: 1 error, {n} warnings"),
    };
    let got = lenses(&mut server, &uri, &text);
    let title = "# Skill: typescript - Advanced TypeScript Architecture";
    let on_title: Vec<&str> = got.iter().filter(|l| l.0 == title).map(|l| l.1.as_str()).collect();
    assert_eq!(on_title, [expected.as_str(), "fix all"], "{got:?}");
    let workflow = got.iter().find(|l| l.0 == "## Mandatory Workflow").unwrap();
    assert_eq!(workflow.1, "6 steps, 1 checklist item missing", "{got:?}");
    assert_eq!(workflow.2, "", "a lens that only tells");

    // "fix all" runs on the server, which sends the edit to apply.
    let fix = got.iter().find(|l| l.1 == "fix all").unwrap();
    assert_eq!(fix.2, "skill-lsp.fixAll");
    let answer = server.request(
        "workspace/executeCommand",
        json!({"command": fix.2, "arguments": fix.3}),
    );
    assert_eq!(answer["applied"], true, "{answer}");
    let edit = applied.lock().unwrap()[0]["edit"]["changes"][&uri].clone();
    let fixed = apply(&text, &edit);
    assert!(fixed.contains("- [ ] Step 2: Load Memory\n"), "{fixed}");

    server.change(&uri, 2, json!([{"text": fixed}]));
    let (total, errors, warnings) = published(&server, "no SK112", false);
    assert_eq!((total, errors), (warnings, 0), "the error is fixed");
    let got = lenses(&mut server, &uri, &fixed);
    let titles: Vec<&str> = got.iter().map(|l| l.1.as_str()).collect();
    let expected = match warnings {
        0 => "no findings".to_string(),
        1 => "1 warning".to_string(),
        n => format!("{n} warnings"),
    };
    assert_eq!(titles, [expected.as_str(), "6 steps, checklist complete"], "{got:?}");
    let refused = server.send_request("workspace/executeCommand", json!({"command": "skill-lsp.nope"}));
    assert!(server.response(refused).get("error").is_some());
}

#[test]
fn code_lenses_on_an_interface_count_the_skills_using_each_method() {
    let Some(dir) = workspace("lens-interface") else { return };
    let mut server = server(&dir, json!(null));
    let (uri, text) = open(&server, &dir.join("interfaces/memory_store.md"));
    let got = lenses(&mut server, &uri, &text);
    // Which of the workspace's skills write `memoryStore.getSkillMemory(`, and how often.
    let uses: Vec<usize> = SKILLS
        .iter()
        .map(|s| {
            let skill = std::fs::read_to_string(dir.join("skills").join(s).join("SKILL.md")).unwrap();
            skill.matches("memoryStore.getSkillMemory(").count()
        })
        .filter(|n| *n > 0)
        .collect();
    let lens = got
        .iter()
        .find(|l| l.0 == "### 8. `getSkillMemory(skillName, projectName)`")
        .unwrap_or_else(|| panic!("no lens on getSkillMemory: {got:?}"));
    assert_eq!(lens.1, format!("used by {} skills", uses.len()), "{got:?}");
    assert_eq!(lens.2, "skill-lsp.showReferences");
    assert_eq!(lens.3[0], uri);
    let places = lens.3[2].as_array().unwrap();
    assert_eq!(places.len(), uses.iter().sum::<usize>(), "{places:?}");
    for place in places {
        let file = SKILLS
            .iter()
            .map(|s| dir.join("skills").join(s).join("SKILL.md"))
            .find(|p| file_uri(p) == place["uri"])
            .unwrap_or_else(|| panic!("not a skill of the workspace: {place}"));
        let skill = std::fs::read_to_string(file).unwrap();
        assert_eq!(slice(&skill, &place["range"]), "getSkillMemory");
    }
    // One lens per method heading, nothing for the document's other headings.
    assert!(
        got.iter()
            .all(|l| l.0.starts_with("### ") && l.1.starts_with("used by ")),
        "{got:?}"
    );
    assert!(got.iter().any(|l| l.1 == "used by no skill"), "{got:?}");
}

/// Every symbol name of a `documentSymbol` answer, depth first.
fn symbol_names(symbols: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for s in symbols.as_array().into_iter().flatten() {
        out.push(s["name"].as_str().unwrap_or_default().to_string());
        out.extend(symbol_names(&s["children"]));
    }
    out
}

#[test]
fn an_interface_document_is_served_as_one_and_never_checked_as_a_skill() {
    let Some(dir) = workspace("interface-doc") else { return };
    let mut server = server(&dir, json!(null));
    // As the editors send it (Markdown), and as a client pattern such as
    // `**/*.md` would (`skill`); a Markdown file that is neither a skill nor
    // an interface document beside them.
    let (uri, text) = open(&server, &dir.join("interfaces/memory_store.md"));
    let invoker = dir.join("interfaces/skill_invoker.md");
    let invoker_uri = file_uri(&invoker);
    let invoker_text = std::fs::read_to_string(&invoker).unwrap();
    server.open_as(&invoker_uri, "skill", 1, &invoker_text);
    let readme = dir.write(
        "README.md",
        "# Our skills\n\n## Workflow\n\n### Step 1: Read\n\nNo front matter.\n",
    );
    let readme_uri = file_uri(&readme);
    server.open(&readme_uri, 1, &std::fs::read_to_string(&readme).unwrap());
    // A skill opened after them is checked: the server got this far.
    let (skill_uri, _) = open(&server, &dir.join("skills/typescript/SKILL.md"));
    server.diagnostics(&skill_uri, Some(1));

    // The "used by N skills" lenses, and what each lists is what references
    // from the method's heading find.
    let got = lenses(&mut server, &uri, &text);
    assert!(
        got.iter()
            .any(|l| l.0.contains("getSkillMemory") && l.1.starts_with("used by ")),
        "{got:?}"
    );
    let mut listed = 0;
    for (heading, title, _, arguments) in &got {
        let at = pos_of(&text, heading, 0);
        let refs = server.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": at, "context": {"includeDeclaration": false}}),
        );
        let mut places: Vec<String> = arguments[2].as_array().unwrap().iter().map(Value::to_string).collect();
        let mut found: Vec<String> = refs.as_array().unwrap().iter().map(Value::to_string).collect();
        places.sort();
        found.sort();
        assert_eq!(places, found, "{heading}: {title}");
        listed += places.len();
    }
    assert!(listed > 0, "no method of the interface is used: {got:?}");
    // The document's outline: its headings, the methods among them.
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let names = symbol_names(&symbols);
    assert!(
        names
            .iter()
            .any(|n| n.contains("getSkillMemory(skillName, projectName)")),
        "{names:?}"
    );
    // What only means something in a skill is not offered.
    for (method, params) in [
        (
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": range((0, 0), (400, 0))}),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "## Methods", 0)}),
        ),
    ] {
        assert_eq!(server.request(method, params), Value::Null, "{method}");
    }
    // The interface sent as `skill` gets its lenses too, the Markdown file none.
    let invoker_lenses = lenses(&mut server, &invoker_uri, &invoker_text);
    assert!(
        !invoker_lenses.is_empty() && invoker_lenses.iter().all(|l| l.1.starts_with("used by ")),
        "{invoker_lenses:?}"
    );
    assert_eq!(
        server.request("textDocument/codeLens", json!({"textDocument": {"uri": readme_uri}})),
        json!([])
    );
    // No diagnostics for any of the three (a check would have published by now:
    // the skill opened after them has its diagnostics, and the requests above ran).
    for u in [&uri, &invoker_uri, &readme_uri] {
        assert!(
            server.published(u).iter().all(|(_, d)| d.is_empty()),
            "{u}: {:?}",
            server.published(u)
        );
    }
}
