//! `skill-lsp graph`: how skills invoke each other (`skillInvoker` calls),
//! as Graphviz DOT, Mermaid, JSON, or SVG rendered by Graphviz's `dot` when
//! it is installed. Skills are found as `check` finds them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use serde_json::json;
use skill_core::workspace::graph::{invocations, targets};
use skill_core::SkillDoc;

use super::check::discover;
use super::check::report::display_path;
use super::check::setup;

#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg` renders it).
    #[default]
    Dot,
    /// A Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
    /// `{"skills": [{"name", "path", "invokes"}], "missing": [...]}`.
    Json,
    /// SVG, rendered by Graphviz's `dot` (must be installed).
    Svg,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// A skills root or any folder or file of skills (default: the current folder).
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Also list skills that neither invoke nor are invoked.
    #[arg(long)]
    pub all: bool,
}

/// What the graph shows.
struct Graph {
    /// Every skill found, by name, with its path as shown.
    skills: BTreeMap<String, String>,
    /// Who invokes whom.
    edges: BTreeMap<String, Vec<String>>,
}

impl Graph {
    fn missing(&self) -> BTreeSet<&str> {
        self.edges
            .values()
            .flatten()
            .filter(|t| !self.skills.contains_key(*t))
            .map(String::as_str)
            .collect()
    }

    /// The skills to draw: those in an edge, or all with `all`.
    fn shown(&self, all: bool) -> Vec<&str> {
        let linked: BTreeSet<&str> = self
            .edges
            .iter()
            .filter(|(_, to)| !to.is_empty())
            .flat_map(|(from, to)| std::iter::once(from.as_str()).chain(to.iter().map(String::as_str)))
            .collect();
        self.skills
            .keys()
            .map(String::as_str)
            .filter(|s| all || linked.contains(s))
            .chain(self.missing())
            .collect()
    }
}

pub fn run(args: GraphArgs) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => return fail(&format!("cannot read the current folder: {e}")),
    };
    let input = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let discover::Discovered {
        targets: targets_found,
        errors,
        listings,
        ..
    } = discover::discover(std::slice::from_ref(&input), &cwd);
    for e in &errors {
        eprintln!("skill-lsp graph: {}: {}", display_path(&cwd, &e.path), e.message);
    }
    let jobs = setup::plan(targets_found, listings, None, None).jobs;
    let mut graph = Graph {
        skills: BTreeMap::new(),
        edges: BTreeMap::new(),
    };
    for job in &jobs {
        let Ok(text) = std::fs::read_to_string(&job.target.path) else {
            continue;
        };
        let doc = SkillDoc::parse(text.as_str(), Some(job.target.path.clone()));
        let Some(name) = doc
            .name()
            .map(|(n, _)| n.to_string())
            .or_else(|| doc.folder_name().map(String::from))
        else {
            continue;
        };
        let to = targets(&invocations(&doc, &job.workspace.catalogue));
        graph
            .skills
            .entry(name.clone())
            .or_insert_with(|| display_path(&cwd, &job.target.path));
        graph.edges.entry(name).or_default().extend(to);
    }
    if graph.skills.is_empty() {
        return fail(&format!("no SKILL.md files found under {}", input.display()));
    }
    match args.format {
        GraphFormat::Dot => print(&dot(&graph, args.all)),
        GraphFormat::Mermaid => print(&mermaid(&graph, args.all)),
        GraphFormat::Json => print(&json_text(&graph)),
        GraphFormat::Svg => svg(&dot(&graph, args.all)),
    }
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("skill-lsp graph: {message}");
    ExitCode::from(2)
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn dot(g: &Graph, all: bool) -> String {
    let missing = g.missing();
    let mut out = String::from("digraph skills {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for s in g.shown(all) {
        if missing.contains(s) {
            out.push_str(&format!(
                "  {} [style=\"rounded,dashed\", color=red, tooltip=\"no such skill\"];\n",
                quoted(s)
            ));
        } else {
            out.push_str(&format!("  {};\n", quoted(s)));
        }
    }
    for (from, to) in &g.edges {
        for t in to {
            out.push_str(&format!("  {} -> {};\n", quoted(from), quoted(t)));
        }
    }
    out.push_str("}\n");
    out
}

fn mermaid(g: &Graph, all: bool) -> String {
    let shown = g.shown(all);
    let id = |s: &str| {
        shown
            .iter()
            .position(|x| *x == s)
            .map_or_else(|| "x".into(), |i| format!("s{i}"))
    };
    let missing = g.missing();
    let mut out = String::from("flowchart LR\n");
    for s in &shown {
        let label = s.replace('"', "#quot;");
        if missing.contains(s) {
            out.push_str(&format!("  {}[\"{label} (missing)\"]:::missing\n", id(s)));
        } else {
            out.push_str(&format!("  {}[\"{label}\"]\n", id(s)));
        }
    }
    for (from, to) in &g.edges {
        for t in to {
            out.push_str(&format!("  {} --> {}\n", id(from), id(t)));
        }
    }
    if !missing.is_empty() {
        out.push_str("  classDef missing stroke:#d00,stroke-dasharray:4\n");
    }
    out
}

fn json_text(g: &Graph) -> String {
    let skills: Vec<_> = g
        .skills
        .iter()
        .map(|(name, path)| json!({"name": name, "path": path, "invokes": g.edges.get(name).cloned().unwrap_or_default()}))
        .collect();
    let value = json!({"skills": skills, "missing": g.missing()});
    format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
}

/// The DOT graph rendered by Graphviz's `dot`, which is optional.
fn svg(dot_text: &str) -> ExitCode {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return fail(
                "`--format svg` needs Graphviz's `dot`, which is not installed; install Graphviz, or print `--format dot` or `--format mermaid` and render it elsewhere",
            )
        }
        Err(e) => return fail(&format!("cannot run Graphviz's `dot`: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(dot_text.as_bytes());
    }
    match child.wait() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => fail(&format!("Graphviz's `dot` failed ({s})")),
        Err(e) => fail(&format!("Graphviz's `dot` failed: {e}")),
    }
}
