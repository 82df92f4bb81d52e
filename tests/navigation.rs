//! End-to-end tests of navigation over stdio, on real corpus skills copied
//! into a temporary skills root (with the corpus `interfaces/` and
//! `context/`): go to definition (methods to their exact heading line,
//! receivers, domains, topics, delegated skills, links and fragments),
//! references across skills and from the interface document, document links,
//! the outline in the three step-heading styles, folding, workspace symbols
//! and renaming a skill across open and unopened files. Positions are UTF-16
//! (the protocol default), computed here independently of the server, on
//! lines with emoji too.
//!
//! The corpus is `SKILL_LSP_CORPUS`, else `shared/corpus` beside the
//! checkout (see the `test-corpus` dev crate); without it the tests pass vacuously.

mod common;

use std::path::{Path, PathBuf};

use common::{file_uri, utf16_position, Server, TempDir};
use serde_json::{json, Value};

/// Skills copied into the workspace: each step-heading style, positional and
/// keyword calls, delegation through `skillInvoker`.
const SKILLS: &[&str] = &[
    "typescript",                 // `### Step N:`, positional calls
    "cli-developer",              // `### ⚠️ STEP N: ... (REQUIRED)`, keyword `update(...)`
    "generate-azure-functions",   // `#### **Step N: ...**`
    "angular-architect",          // topics, links with fragments
    "project-workflow",           // `skillInvoker.invoke("project-planning", ...)`
    "project-planning",           // keyword `update(layer=..., skill=...)`
    "project-session-management", // delegated to as well
];

const LSP_NAMESPACE: i64 = 3;
const LSP_FUNCTION: i64 = 12;
const LSP_OBJECT: i64 = 19;

/// A skills root holding the corpus interfaces (with the clean tree's
/// `shared_loading_patterns.md`, which links point into), context and [`SKILLS`].
struct Ws {
    dir: TempDir,
}

impl Ws {
    fn new(name: &str) -> Option<Ws> {
        let (dir, corpus) = common::corpus_workspace(&format!("nav-{name}"), SKILLS)?;
        let forge = corpus.join("forge/forge-plugin");
        let shared = corpus.join("forge-clean/forge-plugin/interfaces/shared_loading_patterns.md");
        std::fs::copy(shared, dir.join("interfaces/shared_loading_patterns.md")).unwrap();
        std::fs::copy(
            forge.join("skills/OUTPUT_CONVENTIONS.md"),
            dir.join("skills/OUTPUT_CONVENTIONS.md"),
        )
        .unwrap();
        Some(Ws { dir })
    }

    fn skill(&self, name: &str) -> PathBuf {
        self.dir.join(&format!("skills/{name}/SKILL.md"))
    }

    fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap()
    }

    /// A server initialized for the root, as a client that takes versioned
    /// edits and prepares renames.
    fn server(&self) -> Server {
        self.server_with(json!({"documentChanges": true}))
    }

    /// A server for a client whose `workspaceEdit` capabilities are `edit`.
    fn server_with(&self, edit: Value) -> Server {
        let mut server = Server::spawn();
        let root = file_uri(&self.dir.path);
        let init = server.initialize(json!({
            "processId": null,
            "rootUri": root,
            "workspaceFolders": [{"uri": root, "name": "ws"}],
            "capabilities": {
                "workspace": {"workspaceEdit": edit},
                "textDocument": {"rename": {"prepareSupport": true}}
            }
        }));
        let caps = &init["capabilities"];
        for cap in [
            "definitionProvider",
            "referencesProvider",
            "documentLinkProvider",
            "documentSymbolProvider",
            "foldingRangeProvider",
            "workspaceSymbolProvider",
        ] {
            assert!(
                caps.get(cap).is_some_and(|v| !v.is_null()),
                "{cap} not announced: {caps}"
            );
        }
        assert_eq!(caps["renameProvider"]["prepareProvider"], true, "{caps}");
        server
    }
}

/// Opens `path` with its text on disk; its URI and text.
fn open(server: &Server, path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let uri = file_uri(path);
    server.open(&uri, 1, &text);
    (uri, text)
}

/// The UTF-16 position of the `nth` (zero-based) occurrence of `needle` in `text`, plus `plus` bytes.
fn pos_of(text: &str, needle: &str, nth: usize, plus: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the text"))
        .0;
    let (line, character) = utf16_position(text, at + plus);
    json!({"line": line, "character": character})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// The answer to go-to-definition at `position` of `uri`.
fn definition(server: &mut Server, uri: &str, position: Value) -> Value {
    server.request("textDocument/definition", at(uri, position))
}

fn slice<'t>(text: &'t str, range: &Value) -> &'t str {
    &text[common::utf16_offset(text, &range["start"])..common::utf16_offset(text, &range["end"])]
}

/// The zero-based line of `text` that starts a Markdown heading holding `needle`.
fn heading_line(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.starts_with('#') && l.contains(needle))
        .unwrap_or_else(|| panic!("no heading holds {needle}")) as u64
}

/// The single location of a definition answer (a location or a list of one).
fn single(answer: &Value) -> &Value {
    match answer.as_array() {
        Some(list) => {
            assert_eq!(list.len(), 1, "{answer}");
            &list[0]
        }
        None => {
            assert!(answer.is_object(), "no location: {answer}");
            answer
        }
    }
}

fn uri_path(uri: &Value) -> PathBuf {
    let uri = uri.as_str().unwrap();
    let path = uri.strip_prefix("file://").unwrap();
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8(out).unwrap())
}

#[test]
fn definition_of_a_method_lands_on_its_heading_line_in_every_style() {
    let Some(ws) = Ws::new("def-method") else { return };
    let mut server = ws.server();
    let memory = ws.text("interfaces/memory_store.md");
    // (skill, call as written, method): plain, warning and bold step styles;
    // positional and keyword calls.
    let cases = [
        (
            "typescript",
            "memoryStore.getSkillMemory(\"typescript\"",
            "getSkillMemory",
        ),
        ("typescript", "memoryStore.update(\"typescript\"", "update"),
        (
            "cli-developer",
            "memoryStore.getSkillMemory(\"cli-developer\"",
            "getSkillMemory",
        ),
        ("cli-developer", "memoryStore.update(layer=", "update"),
        (
            "generate-azure-functions",
            "memoryStore.getSkillMemory(\"generate-azure-functions\"",
            "getSkillMemory",
        ),
        (
            "project-planning",
            "memoryStore.update(layer=\"skill-specific\", skill=",
            "update",
        ),
    ];
    for (skill, call, method) in cases {
        let (uri, text) = open(&server, &ws.skill(skill));
        let cursor = pos_of(&text, call, 0, "memoryStore.".len() + 2);
        let answer = definition(&mut server, &uri, cursor);
        let loc = single(&answer);
        assert_eq!(
            uri_path(&loc["uri"]),
            ws.dir.join("interfaces/memory_store.md"),
            "{skill}"
        );
        let expected = heading_line(&memory, &format!("`{method}("));
        assert_eq!(loc["range"]["start"]["line"], expected, "{skill}: {call} → {loc}");
        assert_eq!(loc["range"]["start"]["character"], 0, "{loc}");
        assert!(slice(&memory, &loc["range"]).starts_with("### "), "{loc}");
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn definition_of_receivers_domains_topics_and_delegated_skills() {
    let Some(ws) = Ws::new("def-args") else { return };
    let mut server = ws.server();
    let (ts, ts_text) = open(&server, &ws.skill("typescript"));
    // The receiver: the interface document, at its title.
    let loc = definition(&mut server, &ts, pos_of(&ts_text, "memoryStore.getSkillMemory", 0, 3));
    let loc = single(&loc);
    assert_eq!(uri_path(&loc["uri"]), ws.dir.join("interfaces/memory_store.md"));
    assert_eq!(loc["range"]["start"]["line"], 0);
    // A domain argument: the domain's index.
    let loc = definition(
        &mut server,
        &ts,
        pos_of(&ts_text, "getDomainIndex(\"engineering\")", 0, 17),
    );
    assert_eq!(
        uri_path(&single(&loc)["uri"]),
        ws.dir.join("context/engineering/index.md")
    );
    // `context.primary_domain` too.
    let loc = definition(
        &mut server,
        &ts,
        pos_of(&ts_text, "primary_domain: \"engineering\"", 0, 20),
    );
    assert_eq!(
        uri_path(&single(&loc)["uri"]),
        ws.dir.join("context/engineering/index.md")
    );
    // A topic argument: the topic's file.
    let (ng, ng_text) = open(&server, &ws.skill("angular-architect"));
    let call = "getConditionalContext(\"angular\", \"ngrx_patterns\")";
    let loc = definition(&mut server, &ng, pos_of(&ng_text, call, 0, call.find("ngrx").unwrap()));
    assert_eq!(
        uri_path(&single(&loc)["uri"]),
        ws.dir.join("context/angular/ngrx_patterns.md")
    );
    // The skill a `skillInvoker` call delegates to: its SKILL.md, at its name.
    let (pw, pw_text) = open(&server, &ws.skill("project-workflow"));
    let loc = definition(
        &mut server,
        &pw,
        pos_of(&pw_text, "skillInvoker.invoke(\"project-planning\"", 0, 22),
    );
    let loc = single(&loc);
    assert_eq!(uri_path(&loc["uri"]), ws.skill("project-planning"));
    let planning = std::fs::read_to_string(ws.skill("project-planning")).unwrap();
    assert_eq!(slice(&planning, &loc["range"]), "project-planning");
    assert_eq!(loc["range"]["start"]["line"], 1);
    // Plain prose: nothing.
    let none = definition(&mut server, &ts, pos_of(&ts_text, "Deliver expert", 0, 2));
    assert!(none.is_null() || none.as_array().is_some_and(Vec::is_empty), "{none}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn definition_follows_links_to_files_and_fragments_to_headings() {
    let Some(ws) = Ws::new("def-links") else { return };
    let mut server = ws.server();
    let (ng, ng_text) = open(&server, &ws.skill("angular-architect"));
    let dest = "shared_loading_patterns.md#pattern-2-standard-context-loading";
    let loc = definition(&mut server, &ng, pos_of(&ng_text, dest, 0, 3));
    let loc = single(&loc);
    assert_eq!(
        uri_path(&loc["uri"]),
        ws.dir.join("interfaces/shared_loading_patterns.md")
    );
    let shared = ws.text("interfaces/shared_loading_patterns.md");
    assert_eq!(
        loc["range"]["start"]["line"],
        heading_line(&shared, "Pattern 2: Standard Context Loading")
    );
    // A link without a fragment: the top of the file.
    let (ts, ts_text) = open(&server, &ws.skill("typescript"));
    let loc = definition(&mut server, &ts, pos_of(&ts_text, "(../OUTPUT_CONVENTIONS.md)", 0, 5));
    let loc = single(&loc);
    assert_eq!(uri_path(&loc["uri"]), ws.dir.join("skills/OUTPUT_CONVENTIONS.md"));
    assert_eq!(loc["range"]["start"], json!({"line": 0, "character": 0}));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn links_to_folders_lead_to_their_index_or_the_folder() {
    let Some(ws) = Ws::new("folder-links") else { return };
    ws.dir
        .write("skills/typescript/references/README.md", "# References\n\n## Typing\n");
    ws.dir.write("skills/typescript/assets/logo.txt", "logo\n");
    let path = ws.skill("typescript");
    let original = std::fs::read_to_string(&path).unwrap();
    let at = original.find("\n## ").unwrap() + 1;
    let text = format!(
        "{}See [refs](references/), [typing](references/#typing), [planning](../project-planning/) and [assets](assets/) 🚀.\n\n{}",
        &original[..at],
        &original[at..]
    );
    std::fs::write(&path, &text).unwrap();
    let mut server = ws.server();
    let (uri, text) = open(&server, &path);
    let go = |server: &mut Server, needle: &str| {
        let answer = definition(server, &uri, pos_of(&text, needle, 0, 2));
        let loc = single(&answer).clone();
        (uri_path(&loc["uri"]), loc["range"]["start"]["line"].clone())
    };
    let readme = ws.dir.join("skills/typescript/references/README.md");
    assert_eq!(go(&mut server, "references/)"), (readme.clone(), json!(0)));
    assert_eq!(
        go(&mut server, "references/#typing"),
        (readme, json!(2)),
        "the fragment's heading"
    );
    assert_eq!(go(&mut server, "../project-planning/)").0, ws.skill("project-planning"));
    let (folder, _) = go(&mut server, "assets/)");
    assert_eq!(
        folder,
        ws.dir.join("skills/typescript/assets"),
        "no index: the folder itself"
    );

    let links = server.request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
    let target = |dest: &str| {
        let link = links
            .as_array()
            .unwrap()
            .iter()
            .find(|l| slice(&text, &l["range"]) == dest)
            .unwrap_or_else(|| panic!("no link for {dest}: {links}"));
        uri_path(&json!(link["target"].as_str().unwrap().split('#').next().unwrap()))
    };
    assert!(target("references/").ends_with("skills/typescript/references/README.md"));
    assert!(target("../project-planning/").ends_with("skills/project-planning/SKILL.md"));
    assert!(target("assets/").ends_with("skills/typescript/assets"));
    // The folders exist: no broken-link diagnostic for them.
    let diags = server.diagnostics(&uri, Some(1));
    let broken: Vec<&str> = common::with_code(&diags, "SK301")
        .iter()
        .map(|d| slice(&text, &d["range"]))
        .collect();
    for dest in ["references/", "../project-planning/", "assets/"] {
        assert!(!broken.contains(&dest), "{dest} reported broken: {broken:?}");
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn positions_are_utf16_on_lines_with_emoji() {
    let Some(ws) = Ws::new("emoji") else { return };
    // Emoji (two UTF-16 units, four bytes) before a call and before a link on the same line.
    let path = ws.skill("typescript");
    let original = std::fs::read_to_string(&path).unwrap();
    let text = original
        .replacen(
            "- Use `memoryStore.getSkillMemory(",
            "- 🚀✨ Use `memoryStore.getSkillMemory(",
            1,
        )
        .replacen(
            "- **Memory**: Store project knowledge via [MemoryStore",
            "- **Memory** 🧠: Store project knowledge via [MemoryStore",
            1,
        );
    std::fs::write(&path, &text).unwrap();
    let mut server = ws.server();
    let (uri, text) = open(&server, &path);
    let cursor = pos_of(&text, "getSkillMemory(\"typescript\"", 0, 4);
    let (_, col) = utf16_position(&text, text.find("getSkillMemory(\"typescript\"").unwrap());
    let line_text = text.lines().find(|l| l.contains("🚀✨")).unwrap();
    assert_ne!(
        col as usize,
        line_text.find("getSkillMemory").unwrap(),
        "emoji make the columns differ"
    );
    let loc = definition(&mut server, &uri, cursor.clone());
    let memory = ws.text("interfaces/memory_store.md");
    assert_eq!(
        single(&loc)["range"]["start"]["line"],
        heading_line(&memory, "`getSkillMemory(")
    );
    // The reference in this skill comes back at the same UTF-16 columns.
    let refs = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": cursor, "context": {"includeDeclaration": false}}),
    );
    let mine: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["uri"] == uri.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{refs}");
    let start = text.find("getSkillMemory(\"typescript\"").unwrap();
    assert_eq!(
        mine[0]["range"],
        common::range(
            utf16_position(&text, start),
            utf16_position(&text, start + "getSkillMemory".len())
        )
    );
    // The link after 🧠: its destination, in UTF-16 columns.
    let links = server.request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
    let memory_link = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            let line = l["range"]["start"]["line"].as_u64().unwrap() as usize;
            text.lines().nth(line).is_some_and(|t| t.contains("🧠"))
        })
        .unwrap_or_else(|| panic!("no link on the emoji line: {links}"));
    assert_eq!(
        memory_link["range"],
        common::utf16_range_of(&text, "../../interfaces/memory_store.md")
    );
    assert_eq!(slice(&text, &memory_link["range"]), "../../interfaces/memory_store.md");
    // Step headings with ⚠️ in the outline: selections end at the line's UTF-16 end.
    let (cli, cli_text) = open(&server, &ws.skill("cli-developer"));
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": cli}}));
    let steps = steps_under_workflow(&symbols);
    let first = &steps[0];
    let heading = cli_text.lines().find(|l| l.contains("⚠️ STEP 1:")).unwrap();
    let sel = &first["selectionRange"];
    assert_eq!(slice(&cli_text, sel), heading);
    assert_eq!(
        sel["end"]["character"].as_u64().unwrap() as usize,
        heading.encode_utf16().count()
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn references_to_a_method_across_skills_and_from_its_heading() {
    let Some(ws) = Ws::new("refs") else { return };
    let mut server = ws.server();
    let (ts, ts_text) = open(&server, &ws.skill("typescript"));
    let cursor = pos_of(&ts_text, "memoryStore.getSkillMemory(\"typescript\"", 0, 15);
    let refs = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": ts}, "position": cursor, "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().unwrap().clone();
    let memory_path = ws.dir.join("interfaces/memory_store.md");
    let memory = ws.text("interfaces/memory_store.md");
    assert_eq!(uri_path(&refs[0]["uri"]), memory_path, "declaration first");
    assert_eq!(
        refs[0]["range"]["start"]["line"],
        heading_line(&memory, "`getSkillMemory(")
    );
    // Every use names the method, in every copied skill that calls it, in
    // the number of times the text calls (or mentions) it.
    for skill in SKILLS {
        let path = ws.skill(skill);
        let text = std::fs::read_to_string(&path).unwrap();
        let here: Vec<&Value> = refs.iter().filter(|r| uri_path(&r["uri"]) == path).collect();
        let written = text.matches("memoryStore.getSkillMemory(").count();
        assert_eq!(here.len(), written, "{skill}");
        for r in here {
            assert_eq!(slice(&text, &r["range"]), "getSkillMemory", "{skill}: {r}");
        }
    }
    // From the method's heading in the interface document: the same uses.
    let (mem, mem_text) = open(&server, &memory_path);
    let heading = heading_line(&mem_text, "`getSkillMemory(");
    let from_heading = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": mem}, "position": {"line": heading, "character": 12},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(from_heading.as_array().unwrap().len(), refs.len() - 1, "{from_heading}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn document_links_lead_to_interface_documents_and_conventions() {
    let Some(ws) = Ws::new("links") else { return };
    let mut server = ws.server();
    let (ts, _) = open(&server, &ws.skill("typescript"));
    let links = server.request("textDocument/documentLink", json!({"textDocument": {"uri": ts}}));
    let targets: Vec<PathBuf> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| uri_path(&l["target"]))
        .collect();
    for expected in [
        "interfaces/context_provider.md",
        "interfaces/memory_store.md",
        "skills/OUTPUT_CONVENTIONS.md",
    ] {
        assert!(targets.contains(&ws.dir.join(expected)), "{expected} in {targets:?}");
    }
    // A fragment link's target names the heading's line.
    let (ng, ng_text) = open(&server, &ws.skill("angular-architect"));
    let links = server.request("textDocument/documentLink", json!({"textDocument": {"uri": ng}}));
    let shared = ws.text("interfaces/shared_loading_patterns.md");
    let line = heading_line(&shared, "Pattern 1: Standard Memory Loading") + 1;
    let fragment = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| slice(&ng_text, &l["range"]).ends_with("#pattern-1-standard-memory-loading"))
        .unwrap_or_else(|| panic!("{links}"));
    assert!(
        fragment["target"]
            .as_str()
            .unwrap()
            .ends_with(&format!("shared_loading_patterns.md#L{line}")),
        "{fragment}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// The step symbols under the workflow symbol, at any depth.
fn steps_under_workflow(symbols: &Value) -> Vec<Value> {
    fn find_workflow(list: &Value) -> Option<Value> {
        list.as_array()?.iter().find_map(|s| {
            if s["kind"] == LSP_NAMESPACE {
                Some(s.clone())
            } else {
                find_workflow(&s["children"])
            }
        })
    }
    fn steps(list: &Value, out: &mut Vec<Value>) {
        for s in list.as_array().into_iter().flatten() {
            if s["kind"] == LSP_FUNCTION {
                out.push(s.clone());
            }
            steps(&s["children"], out);
        }
    }
    let workflow = find_workflow(symbols).unwrap_or_else(|| panic!("no workflow symbol: {symbols}"));
    let mut out = Vec::new();
    steps(&workflow["children"], &mut out);
    out
}

#[test]
fn outline_nests_steps_under_the_workflow_in_the_three_styles() {
    let Some(ws) = Ws::new("symbols") else { return };
    let mut server = ws.server();
    for skill in ["typescript", "cli-developer", "generate-azure-functions"] {
        let (uri, text) = open(&server, &ws.skill(skill));
        let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
        let top = symbols.as_array().unwrap();
        assert_eq!(top[0]["name"], "front matter", "{skill}");
        assert_eq!(top[0]["kind"], LSP_OBJECT);
        let keys: Vec<&str> = top[0]["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap())
            .collect();
        // (cli-developer's bulk edit commented out its `description`.)
        assert!(keys.starts_with(&["name"]), "{skill}: {keys:?}");
        let steps = steps_under_workflow(&symbols);
        let names: Vec<String> = steps.iter().map(|s| s["name"].as_str().unwrap().to_string()).collect();
        for (i, name) in names.iter().take(6).enumerate() {
            assert!(name.starts_with(&format!("Step {}: ", i + 1)), "{skill}: {names:?}");
        }
        // Each step's selection is its heading line, as written.
        for s in &steps {
            let heading = slice(&text, &s["selectionRange"]);
            assert!(heading.starts_with("###"), "{skill}: {heading}");
        }
        // The checklist holds its items.
        let checklist = find_named(&symbols, "Compliance Checklist").unwrap_or_else(|| panic!("{skill}"));
        assert!(
            checklist["children"].as_array().is_some_and(|c| c.len() >= 5),
            "{skill}: {checklist}"
        );
    }
    assert!(server.shutdown_and_exit().success());
}

fn find_named(list: &Value, name: &str) -> Option<Value> {
    list.as_array()?.iter().find_map(|s| {
        if s["name"] == name {
            Some(s.clone())
        } else {
            find_named(&s["children"], name)
        }
    })
}

#[test]
fn folding_ranges_cover_the_front_matter_sections_and_code() {
    let Some(ws) = Ws::new("folding") else { return };
    let mut server = ws.server();
    let (uri, text) = open(&server, &ws.skill("typescript"));
    let folds = server.request("textDocument/foldingRange", json!({"textDocument": {"uri": uri}}));
    let folds: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let close = lines.iter().skip(1).position(|l| *l == "---").unwrap() as u64 + 1;
    assert!(folds.contains(&(0, close)), "front matter 0..{close} in {folds:?}");
    let workflow = heading_line(&text, "Mandatory Workflow");
    let checklist = heading_line(&text, "Compliance Checklist");
    assert!(
        folds
            .iter()
            .any(|&(s, e)| s == workflow && e < checklist && e > workflow + 10),
        "{folds:?}"
    );
    let fence = lines.iter().position(|l| l.starts_with("```")).unwrap() as u64;
    assert!(
        folds.iter().any(|&(s, _)| s == fence),
        "code block at {fence}: {folds:?}"
    );
    assert!(folds.iter().all(|&(s, e)| s < e));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn workspace_symbols_find_skills_by_name_and_description() {
    let Some(ws) = Ws::new("wsym") else { return };
    let mut server = ws.server();
    // Opening a skill makes the server index its root.
    open(&server, &ws.skill("typescript"));
    let found = server.request("workspace/symbol", json!({"query": "typescr"}));
    let first = &found.as_array().unwrap()[0];
    assert_eq!(first["name"], "typescript");
    assert_eq!(uri_path(&first["location"]["uri"]), ws.skill("typescript"));
    assert_eq!(first["location"]["range"]["start"]["line"], 1);
    assert!(first["containerName"].as_str().unwrap().contains("TypeScript"));
    let all = server.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(all.as_array().unwrap().len(), SKILLS.len());
    // By description: "generics" is in typescript's description only.
    let described = server.request("workspace/symbol", json!({"query": "generics"}));
    let names: Vec<&str> = described
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"typescript"), "{names:?}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn rename_of_a_skill_edits_open_and_unopened_skills() {
    let Some(ws) = Ws::new("rename") else { return };
    let mut server = ws.server();
    let (planning, planning_text) = open(&server, &ws.skill("project-planning"));
    // The delegating skill is open with unsaved edits (a line added on top,
    // an emoji on the delegation's line): edits must fit that text.
    let workflow_path = ws.skill("project-workflow");
    let workflow_uri = file_uri(&workflow_path);
    let on_disk = std::fs::read_to_string(&workflow_path).unwrap();
    let edited = on_disk.replacen("---\n", "---\n# 🚧 draft\n", 1).replacen(
        "1. **Delegate to `skill:project-planning`**",
        "1. 🤝 **Delegate to `skill:project-planning`**",
        1,
    );
    assert_ne!(edited, on_disk);
    server.open(&workflow_uri, 7, &edited);

    let name_at = pos_of(&planning_text, "name: project-planning", 0, 8);
    let prepared = server.request("textDocument/prepareRename", at(&planning, name_at.clone()));
    assert_eq!(prepared["placeholder"], "project-planning");
    assert_eq!(slice(&planning_text, &prepared["range"]), "project-planning");

    let edit = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": planning}, "position": name_at, "newName": "project-planner"}),
    );
    let changes = edit["documentChanges"].as_array().unwrap_or_else(|| panic!("{edit}"));
    let for_uri = |uri: &str| {
        changes
            .iter()
            .find(|c| c["textDocument"]["uri"] == uri)
            .unwrap_or_else(|| panic!("no edits for {uri}: {edit}"))
    };
    // The skill itself: name, memory calls (positional and keyword), output paths.
    let own = for_uri(&planning);
    assert_eq!(own["textDocument"]["version"], 1);
    let renamed = common::apply_lsp_edits(&planning_text, own["edits"].as_array().unwrap());
    assert!(renamed.contains("name: project-planner\n"));
    assert!(renamed.contains("getSkillMemory(\"project-planner\""));
    assert!(renamed.contains("skill=\"project-planner\""));
    assert!(!renamed.contains("\"project-planning\""), "{renamed}");
    // The open delegating skill, at its version, on its unsaved text.
    let delegating = for_uri(&workflow_uri);
    assert_eq!(delegating["textDocument"]["version"], 7);
    let renamed = common::apply_lsp_edits(&edited, delegating["edits"].as_array().unwrap());
    assert!(
        renamed.contains("🤝 **Delegate to `skill:project-planner`**"),
        "{renamed}"
    );
    assert!(renamed.contains("skillInvoker.invoke(\"project-planner\""));
    assert!(renamed.contains("# 🚧 draft") && !renamed.contains("invoke(\"project-planning\""));
    // Skills not open are edited on disk's text, with no version.
    let unopened: Vec<&Value> = changes
        .iter()
        .filter(|c| c["textDocument"]["uri"] != planning.as_str() && c["textDocument"]["uri"] != workflow_uri.as_str())
        .collect();
    for c in unopened {
        assert!(c["textDocument"]["version"].is_null(), "{c}");
        let text = std::fs::read_to_string(uri_path(&c["textDocument"]["uri"])).unwrap();
        let renamed = common::apply_lsp_edits(&text, c["edits"].as_array().unwrap());
        assert!(renamed.contains("project-planner"));
    }

    // Names that cannot be skill names, or are taken, are refused with a reason.
    let id = server.send_request(
        "textDocument/rename",
        json!({"textDocument": {"uri": planning}, "position": pos_of(&planning_text, "name: project-planning", 0, 8),
               "newName": "Project Planner"}),
    );
    let refused = server.response(id);
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("kebab")),
        "{refused}"
    );
    let id = server.send_request(
        "textDocument/rename",
        json!({"textDocument": {"uri": planning}, "position": pos_of(&planning_text, "name: project-planning", 0, 8),
               "newName": "typescript"}),
    );
    assert!(server.response(id)["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("already exists")));
    // Nothing to rename in prose.
    let none = server.request(
        "textDocument/prepareRename",
        at(&planning, pos_of(&planning_text, "## ", 0, 4)),
    );
    assert!(none.is_null(), "{none}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn rename_moves_the_folder_for_clients_that_rename_files() {
    let Some(ws) = Ws::new("rename-folder") else { return };
    let mut server = ws.server_with(json!({"documentChanges": true, "resourceOperations": ["create", "rename"]}));
    let (uri, text) = open(&server, &ws.skill("typescript"));
    let edit = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": pos_of(&text, "name: typescript", 0, 8),
               "newName": "type-script"}),
    );
    let ops = edit["documentChanges"].as_array().unwrap_or_else(|| panic!("{edit}"));
    // Text edits first, on the files where they are now; the folder last.
    let (last, edits) = ops.split_last().unwrap();
    assert_eq!(last["kind"], "rename", "{last}");
    assert_eq!(uri_path(&last["oldUri"]), ws.dir.join("skills/typescript"));
    assert_eq!(uri_path(&last["newUri"]), ws.dir.join("skills/type-script"));
    let own = edits.iter().find(|e| e["textDocument"]["uri"] == uri.as_str()).unwrap();
    let renamed = common::apply_lsp_edits(&text, own["edits"].as_array().unwrap());
    // The file tree the skill draws follows its folder.
    assert!(renamed.contains("forge-plugin/skills/type-script/\n"), "{renamed}");
    assert!(renamed.contains("name: type-script\n") && !renamed.contains("\"typescript\""));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn references_to_a_skill_name_list_where_skills_name_it() {
    let Some(ws) = Ws::new("skill-refs") else { return };
    let mut server = ws.server();
    let (pw, pw_text) = open(&server, &ws.skill("project-workflow"));
    let refs = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": pw},
               "position": pos_of(&pw_text, "skillInvoker.invoke(\"project-planning\"", 0, 22),
               "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().unwrap();
    let planning = ws.skill("project-planning");
    // Its own `name`, memory calls and the delegation, each exactly the name.
    assert!(refs
        .iter()
        .any(|r| uri_path(&r["uri"]) == planning && r["range"]["start"]["line"] == 1));
    assert!(refs.iter().filter(|r| r["uri"] == pw.as_str()).count() >= 2, "{refs:?}");
    for r in refs {
        let text = std::fs::read_to_string(uri_path(&r["uri"])).unwrap();
        assert_eq!(slice(&text, &r["range"]), "project-planning", "{r}");
    }
    assert!(server.shutdown_and_exit().success());
}
