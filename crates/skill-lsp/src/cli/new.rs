//! `skill-lsp new NAME`: writes a new skill — from the workspace's
//! `SKILL_TEMPLATE.md` when there is one, else from the built-in template of
//! its profile — with its name, domain and interface calls filled in, and
//! checks it where it was written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use skill_core::scaffold::{new_skill, NewSkill};
use skill_core::{Profile, Workspace};

use crate::project::{config_in, ConfigFile};

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The skill's name, also its folder's: lowercase letters, digits and single hyphens (`pdf-forms`).
    pub name: String,
    /// The skill's context domain (a folder of the workspace's `context/`); for the
    /// Agent Skills format, recorded as `metadata.domain`.
    #[arg(long, value_name = "D")]
    pub domain: Option<String>,
    /// The format to write: `workflow` or `agentskills` (default: the workspace's profile).
    #[arg(long, value_name = "P", value_parser = parse_profile)]
    pub profile: Option<Profile>,
    /// The folder to create the skill's folder in (default: the skills root's
    /// `skills/` when run inside one, else the current folder).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite a `SKILL.md` that is already there.
    #[arg(long)]
    pub force: bool,
}

/// Reads a profile name for `--profile`.
pub fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::parse(s).ok_or_else(|| format!("`{s}` is not a profile: use `workflow` or `agentskills`"))
}

pub fn run(args: NewArgs) -> ExitCode {
    match create(&args) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("skill-lsp new: {message}");
            ExitCode::from(2)
        }
    }
}

fn create(args: &NewArgs) -> Result<String, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let parent = match &args.dir {
        Some(dir) => cwd.join(dir),
        None => default_parent(&cwd),
    };
    let skill_dir = parent.join(&args.name);
    let file = skill_dir.join("SKILL.md");
    if file.exists() && !args.force {
        return Err(format!(
            "{} already exists; pass --force to overwrite it",
            shown(&cwd, &file)
        ));
    }
    let config_file = nearest_config(&skill_dir)?;
    let root = config_file.root().or_else(|| Workspace::find_root(&skill_dir));
    // The settings for the new file, its `[[overrides]]` applied.
    let config = config_file.config.for_file(Some(&file));
    let ws = root.as_deref().map_or_else(Workspace::detached, Workspace::load);
    let profile = args.profile.or(config.profile).unwrap_or(if ws.root.is_some() {
        Profile::Workflow
    } else {
        Profile::AgentSkills
    });
    // The template beside the new skill's folder, else the skills root's.
    let local = parent.join("SKILL_TEMPLATE.md");
    let template = std::fs::read_to_string(&local).ok().map(|t| (t, local)).or_else(|| {
        let t = ws.template.as_deref()?;
        Some((t.to_string(), ws.root.as_ref()?.join("skills/SKILL_TEMPLATE.md")))
    });
    let req = NewSkill {
        name: &args.name,
        domain: args.domain.as_deref(),
        profile,
        dir: Some(&skill_dir),
        template: template.as_ref().map(|(t, _)| t.as_str()),
    };
    let scaffold = new_skill(&req, &ws, &config).map_err(|e| e.0)?;
    std::fs::create_dir_all(&skill_dir).map_err(|e| format!("cannot create {}: {e}", shown(&cwd, &skill_dir)))?;
    std::fs::write(&file, &scaffold.text).map_err(|e| format!("cannot write {}: {e}", shown(&cwd, &file)))?;
    let source = match (&template, scaffold.from_template) {
        (Some((_, path)), true) => format!("from {}", shown(&cwd, path)),
        (Some((_, path)), false) => {
            format!(
                "from the built-in template: {} did not fill in cleanly",
                shown(&cwd, path)
            )
        }
        (None, _) => "from the built-in template".to_string(),
    };
    let mut message = format!("created {} ({profile} profile, {source})", shown(&cwd, &file));
    if !scaffold.diagnostics.is_empty() {
        message.push_str(&format!(
            "\n{} finding(s) to look at: run `skill-lsp check {}`",
            scaffold.diagnostics.len(),
            shown(&cwd, &file)
        ));
    }
    Ok(message)
}

/// `<root>/skills` when `cwd` is inside a skills root that has one, else `cwd`.
fn default_parent(cwd: &Path) -> PathBuf {
    match Workspace::find_root(cwd) {
        Some(root) if root.join("skills").is_dir() && !cwd.starts_with(root.join("skills")) => root.join("skills"),
        _ => cwd.to_path_buf(),
    }
}

/// The config of the nearest `skill-lsp.toml` above `dir` (which may not exist yet).
fn nearest_config(dir: &Path) -> Result<ConfigFile, String> {
    let Some(file) = dir.ancestors().find_map(config_in) else {
        return Ok(ConfigFile::defaults());
    };
    ConfigFile::read(&file).map_err(|e| e.describe(&file))
}

/// `path` relative to `cwd` when under it.
pub fn shown(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
