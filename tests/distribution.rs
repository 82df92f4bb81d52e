//! What the distributed packages rely on: one version number everywhere a
//! user sees one, and the completions and man page generated from the
//! command-line definitions. (scripts/test-packages.sh builds and installs
//! the packages themselves.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn skill_lsp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skill-lsp"))
        .args(args)
        .output()
        .expect("run skill-lsp")
}

/// The `"version"` of a package.json.
fn npm_version(path: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(&read(path)).expect(path);
    json["version"]
        .as_str()
        .unwrap_or_else(|| panic!("{path} has no version"))
        .to_string()
}

#[test]
fn one_version_number_for_the_crates_the_wheel_the_npm_packages_and_the_extension() {
    let cargo: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    let version = cargo["workspace"]["package"]["version"].as_str().unwrap().to_string();
    assert_eq!(
        env!("CARGO_PKG_VERSION"),
        version,
        "the skill-lsp crate inherits the workspace version"
    );
    let core: toml::Value = toml::from_str(&read("crates/skill-core/Cargo.toml")).unwrap();
    assert_eq!(
        core["package"]["version"]["workspace"].as_bool(),
        Some(true),
        "skill-core inherits the workspace version"
    );
    let lsp: toml::Value = toml::from_str(&read("crates/skill-lsp/Cargo.toml")).unwrap();
    let dep = lsp["dependencies"]["skill-core"]["version"].as_str().unwrap();
    assert_eq!(
        dep,
        format!("={version}"),
        "skill-lsp depends on the skill-core of the same version"
    );

    // The wheel takes its version from Cargo.toml (maturin's dynamic version).
    let pyproject: toml::Value = toml::from_str(&read("pyproject.toml")).unwrap();
    assert!(
        pyproject["project"].get("version").is_none(),
        "pyproject.toml must not pin its own version"
    );
    let dynamic = pyproject["project"]["dynamic"].as_array().unwrap();
    assert!(
        dynamic.iter().any(|v| v.as_str() == Some("version")),
        "the wheel's version is dynamic"
    );

    assert_eq!(
        npm_version("packaging/npm/skill-lsp/package.json"),
        version,
        "the npm launcher"
    );
    assert_eq!(
        npm_version("editors/vscode/package.json"),
        version,
        "the VS Code extension"
    );

    // The GitHub Action installs the wheel of its own version by default.
    let action = read("action.yml");
    assert!(
        action.contains(&format!("default: skill-lsp=={version}")),
        "action.yml installs skill-lsp=={version}"
    );

    // The changelog's newest release is this version.
    let changelog = read("CHANGELOG.md");
    let newest = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .map(|l| l.split(']').next().unwrap())
        .find(|v| *v != "Unreleased");
    assert_eq!(newest, Some(version.as_str()), "CHANGELOG.md's newest release section");

    let out = skill_lsp(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("skill-lsp {version}")
    );
}

/// The project's one address (a placeholder until it is published: the
/// GitHub organisation `skill-lsp`, the npm scope `@skill-lsp`, the VS Code
/// publisher `skill-lsp`), the same in every manifest and in every snippet a
/// user copies.
#[test]
fn one_repository_address_and_one_npm_scope_everywhere() {
    const URL: &str = "https://github.com/skill-lsp/skill-lsp";
    let cargo: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    assert_eq!(cargo["workspace"]["package"]["repository"].as_str(), Some(URL));
    assert_eq!(cargo["workspace"]["package"]["homepage"].as_str(), Some(URL));
    let pyproject: toml::Value = toml::from_str(&read("pyproject.toml")).unwrap();
    assert_eq!(pyproject["project"]["urls"]["Repository"].as_str(), Some(URL));
    let git_url = format!("git+{URL}.git");
    for manifest in ["packaging/npm/skill-lsp/package.json", "editors/vscode/package.json"] {
        let json: serde_json::Value = serde_json::from_str(&read(manifest)).unwrap();
        let url = json["repository"]["url"].as_str().unwrap_or_default();
        assert!(
            url == git_url || url == format!("{URL}.git"),
            "{manifest}: repository {url}"
        );
    }
    let vscode: serde_json::Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(vscode["publisher"].as_str(), Some("skill-lsp"));
    // The platform packages: named by the launcher's own function, in the scope.
    assert!(read("packaging/npm/skill-lsp/lib/platform.js").contains("`@skill-lsp/cli-${platform}-${arch}`"));
    assert!(
        read("scripts/package.sh").contains(&git_url),
        "the platform packages' repository"
    );
    // What users copy: the pre-commit repository and the action.
    for file in ["README.md", ".pre-commit-hooks.yaml"] {
        assert!(
            read(file).contains(&format!("repo: {URL}\n")),
            "{file}: the pre-commit repo"
        );
    }
    for file in ["README.md", "action.yml"] {
        assert!(
            read(file).contains("uses: skill-lsp/skill-lsp@v"),
            "{file}: the action's address"
        );
    }
}

#[test]
fn completions_for_every_shell_name_the_subcommands_and_their_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = skill_lsp(&["completions", shell]);
        assert!(
            out.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["check", "explain", "serve", "completions", "unsafe-fixes", "format"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let out = skill_lsp(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "an unknown shell is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}

#[test]
fn bash_completes_a_subcommand_and_a_format() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("bash not found: skipped");
        return;
    }
    let script = String::from_utf8(skill_lsp(&["completions", "bash"]).stdout).unwrap();
    let complete = |words: &str| {
        let line = format!("skill-lsp {words}");
        let n = line.split(' ').count() - 1;
        let probe = format!(
            "{script}\nCOMP_WORDS=({line}); COMP_CWORD={n}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
             _skill__lsp skill-lsp \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; echo \"${{COMPREPLY[*]}}\""
        );
        let out = Command::new("bash").arg("-c").arg(probe).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(complete("ch"), "check");
    // A subcommand's options and their values (the binary's hyphenated name
    // once broke these in clap's script).
    assert_eq!(complete("check --output-format j"), "json");
    assert_eq!(complete("check --unsafe"), "--unsafe-fixes");
}

#[test]
fn the_man_page_documents_every_subcommand() {
    let out = skill_lsp(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "roff: {}",
        &page[..40.min(page.len())]
    );
    assert!(page.contains(".TH skill-lsp 1"), "a section 1 page named skill-lsp");
    for section in [
        "SKILL-LSP SERVE",
        "SKILL-LSP CHECK",
        "SKILL-LSP EXPLAIN",
        "SKILL-LSP NEW",
        "SKILL-LSP INIT",
        "SKILL-LSP COMPLETIONS",
    ] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "no section {section}");
    }
    assert!(page.contains("unsafe\\-fixes"), "check's options are listed");
    assert!(
        !page.contains("skill-lsp-check(1)"),
        "no reference to man pages that do not exist"
    );
}

#[test]
fn a_reader_that_stops_early_is_no_panic() {
    for args in [&["man"][..], &["completions", "bash"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skill-lsp"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // closes the pipe before anything is read
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
