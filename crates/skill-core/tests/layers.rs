//! The layering of `skill-core`, enforced: this test reads every module's
//! source, collects the `crate::` and `super::` paths it names outside its
//! `#[cfg(test)]` items, and fails when
//!
//! - a module imports one of a higher layer (the order is [`LAYERS`]);
//! - a rule (`rules/skNNN_*.rs`) imports anything of `rules` but the registry
//!   (`rules/mod.rs`): no rule imports another rule, and what rules share
//!   lives below them (the model, `authoring`);
//! - `ide` imports a rule file (it may read the registry, for rule docs);
//! - an `ide` module imports completion, hover or signature help: what they
//!   share lives in `ide::cursor` (what stands at the cursor, from the
//!   model's parse) and `ide::describe` (what is said about it);
//! - `ide::cursor` imports another `ide` module: every feature starts from
//!   it, so it stands below them all;
//! - any import cycle exists between modules (files), directly or around a
//!   loop.
//!
//! `ARCHITECTURE.md` draws the same layers; change both together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of `skill-core`, lowest first. A module may import
/// only modules of its own layer (another file of the same top-level module)
/// or of layers before it.
const LAYERS: &[&str] = &[
    "text",
    "fix",
    "diagnostic",
    "syntax",
    "content",
    "model",
    "profile",
    "clients",
    "overrides",
    "config",
    "workspace",
    "schema",
    "authoring",
    "rules",
    "suppress",
    "analysis",
    "format",
    "baseline",
    "project",
    "scaffold",
    "ide",
];

/// A module: its path of names under the crate root (`["rules", "sk101_workflow_missing"]`).
type Module = Vec<String>;

struct Crate {
    /// Every module of the crate, with the file that holds it.
    modules: BTreeMap<Module, PathBuf>,
    /// Names the crate root re-exports, and the module each comes from (`Config` → `config`).
    reexports: BTreeMap<String, String>,
}

#[test]
fn layers_hold_and_no_module_imports_in_a_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let krate = read_crate(&src);
    let mut problems = Vec::new();
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, file) in &krate.modules {
        let text = std::fs::read_to_string(file).unwrap();
        let code = without_tests(&strip_comments(&text));
        let targets = graph.entry(module.clone()).or_default();
        for path in paths_named(&code, module) {
            let Some(target) = krate.resolve(&path) else { continue };
            if &target == module || target.is_empty() {
                continue;
            }
            if let Some(problem) = layer_problem(module, &target) {
                problems.push(format!("{}: {problem}", show(module)));
            }
            targets.insert(target);
        }
    }
    for cycle in cycles(&graph) {
        problems.push(format!(
            "import cycle: {}",
            cycle.iter().map(show).collect::<Vec<_>>().join(" → ")
        ));
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "the layering of skill-core is broken (see ARCHITECTURE.md):\n{}",
        problems.join("\n")
    );
}

/// The test finds what it is meant to find: a rule importing a rule, a lower
/// layer importing a higher one, `ide` importing a rule, a loop.
#[test]
fn the_checks_catch_what_they_are_for() {
    let m = |s: &str| s.split("::").map(String::from).collect::<Module>();
    assert!(layer_problem(&m("rules::sk102_step_missing"), &m("rules::sk103_step_numbering")).is_some());
    assert!(layer_problem(&m("rules::sk102_step_missing"), &m("rules")).is_none());
    assert!(layer_problem(&m("rules::sk102_step_missing"), &m("ide::completion")).is_some());
    assert!(layer_problem(&m("ide::hover"), &m("rules::sk101_workflow_missing")).is_some());
    assert!(layer_problem(&m("ide::hover"), &m("rules")).is_none());
    assert!(layer_problem(&m("ide::hover"), &m("ide::completion")).is_some());
    assert!(layer_problem(&m("ide::signature"), &m("ide::hover")).is_some());
    assert!(layer_problem(&m("ide::hover"), &m("ide::cursor")).is_none());
    assert!(layer_problem(&m("ide::hover"), &m("ide::describe")).is_none());
    assert!(layer_problem(&m("ide::cursor::call"), &m("ide::cursor::words")).is_none());
    assert!(layer_problem(&m("ide::cursor::query"), &m("ide::describe")).is_some());
    assert!(layer_problem(&m("config"), &m("rules")).is_some());
    assert!(layer_problem(&m("model::calls"), &m("authoring")).is_some());
    assert!(layer_problem(&m("authoring"), &m("model::calls")).is_none());

    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    graph.entry(m("a")).or_default().insert(m("b"));
    graph.entry(m("b")).or_default().insert(m("c"));
    assert!(cycles(&graph).is_empty());
    graph.entry(m("c")).or_default().insert(m("a"));
    assert_eq!(cycles(&graph).len(), 1);

    let code = "use crate::{a::{b, c::D}, e};\nfn f() { super::g::h(); crate::X::new(); }\n";
    let paths = paths_named(code, &m("rules::sk1"));
    assert_eq!(
        paths,
        vec![m("a::b"), m("a::c::D"), m("e"), m("rules::g::h"), m("X::new")],
        "groups are expanded and `super` resolved"
    );
    let tested = without_tests("use crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\nfn x() {}\n");
    assert!(tested.contains("crate::a") && !tested.contains("crate::b") && tested.contains("fn x"));
}

fn show(m: &Module) -> String {
    m.join("::")
}

/// Why importing `target` from `module` breaks the layering, if it does.
fn layer_problem(module: &Module, target: &Module) -> Option<String> {
    let is_rule = |m: &Module| m.len() >= 2 && m[0] == "rules";
    if is_rule(module) && is_rule(target) {
        return Some(format!(
            "a rule imports {} (share it through the model or `authoring`)",
            show(target)
        ));
    }
    if module[0] == "ide" && is_rule(target) {
        return Some(format!("`ide` imports the rule {}", show(target)));
    }
    let in_ide = |m: &Module, names: &[&str]| m.len() >= 2 && m[0] == "ide" && names.contains(&m[1].as_str());
    if in_ide(target, &["completion", "hover", "signature"]) && module.get(1) != target.get(1) {
        return Some(format!(
            "imports the editor feature {} (share it through `ide::cursor` or `ide::describe`)",
            show(target)
        ));
    }
    if in_ide(module, &["cursor"]) && target[0] == "ide" && !in_ide(target, &["cursor"]) {
        return Some(format!(
            "the cursor query imports {} (it stands below every editor feature)",
            show(target)
        ));
    }
    let rank = |m: &Module| LAYERS.iter().position(|l| *l == m[0]);
    match (rank(module), rank(target)) {
        (Some(a), Some(b)) if b > a => Some(format!("imports {}, of a higher layer", show(target))),
        (None, _) => Some(format!(
            "is in no layer: add `{}` to LAYERS and ARCHITECTURE.md",
            module[0]
        )),
        (_, None) => Some(format!("imports {}, in no layer", show(target))),
        _ => None,
    }
}

fn read_crate(src: &Path) -> Crate {
    let mut modules = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let mut names: Module = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            let last = names.pop().unwrap();
            match last.as_str() {
                "lib.rs" | "mod.rs" => {}
                other => names.push(other.trim_end_matches(".rs").to_string()),
            }
            // Test support compiled only for tests (`#[cfg(test)] mod testing`).
            if names.first().is_some_and(|n| n == "testing") {
                continue;
            }
            modules.insert(names, path);
        }
    }
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut reexports = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names.split([',', '{', '}']).map(str::trim).filter(|n| !n.is_empty()) {
            reexports.insert(name.to_string(), module.trim().to_string());
        }
    }
    Crate { modules, reexports }
}

impl Crate {
    /// The module a path names: its longest prefix that is a module (an
    /// item's path names the module holding it).
    fn resolve(&self, path: &Module) -> Option<Module> {
        if let Some(first) = path.first() {
            if let Some(module) = self.reexports.get(first) {
                return Some(vec![module.clone()]);
            }
        }
        (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|m| self.modules.contains_key(m))
    }
}

/// The text without `//` and `/* */` comments (string contents are kept:
/// a `//` in a string cuts the rest of its line, which holds no import).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = 0usize;
    for line in text.lines() {
        let mut rest = line;
        let mut kept = String::new();
        loop {
            if in_block > 0 {
                match rest.find("*/") {
                    Some(i) => {
                        in_block -= 1;
                        rest = &rest[i + 2..];
                    }
                    None => break,
                }
            } else {
                let line_comment = rest.find("//");
                let block = rest.find("/*");
                match (line_comment, block) {
                    (Some(l), b) if b.is_none_or(|b| l < b) => {
                        kept.push_str(&rest[..l]);
                        break;
                    }
                    (_, Some(b)) => {
                        kept.push_str(&rest[..b]);
                        in_block += 1;
                        rest = &rest[b + 2..];
                    }
                    _ => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The text without its top-level `#[cfg(test)]` items: rustfmt puts an
/// item's closing brace alone at the start of a line, and a one-line item
/// ends with `;`.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() != "#[cfg(test)]" {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        for item in lines.by_ref() {
            if item.trim_end().ends_with(';') && !item.starts_with(' ') && !item.contains('{') {
                break;
            }
            if item.trim_end() == "}" {
                break;
            }
        }
    }
    out
}

/// Every module path the code names through `crate::` or `super::`, with
/// `use` groups expanded and `super` resolved against `module`.
fn paths_named(code: &str, module: &Module) -> Vec<Module> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let base = if !at_word_start {
            None
        } else if bytes[i..].starts_with(b"crate::") {
            i += "crate::".len();
            Some(Vec::new())
        } else if bytes[i..].starts_with(b"super::") {
            // `super` is the parent of the module (a folder's `mod.rs` is the folder's module).
            let mut base = module.clone();
            i += "super::".len();
            base.pop();
            while bytes[i..].starts_with(b"super::") {
                base.pop();
                i += "super::".len();
            }
            Some(base)
        } else {
            None
        };
        match base {
            Some(base) => i = path_tree(code, i, base, &mut out),
            None => i += 1,
        }
    }
    out
}

/// Reads a path (or `{...}` group of paths) starting at `i`, after `prefix`;
/// returns where it ends.
fn path_tree(code: &str, mut i: usize, prefix: Module, out: &mut Vec<Module>) -> usize {
    let bytes = code.as_bytes();
    let mut path = prefix;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() {
                    return i;
                }
                if bytes[i] == b'}' {
                    return i + 1;
                }
                let before = i;
                i = path_tree(code, i, path.clone(), out);
                if i == before {
                    i += 1;
                }
            }
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == start {
            break;
        }
        let word = &code[start..i];
        if word != "self" {
            path.push(word.to_string());
        }
        if bytes[i..].starts_with(b"::") {
            i += 2;
            continue;
        }
        // `as name`, `*`, generics and the like end the path.
        break;
    }
    if i < bytes.len() && bytes[i] == b'*' {
        i += 1;
    }
    if !path.is_empty() {
        out.push(path);
    }
    i
}

/// Every strongly connected group of more than one module (Tarjan).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.found.push(group);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}
