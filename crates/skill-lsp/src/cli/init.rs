//! `skill-lsp init`: writes a commented `skill-lsp.toml` with every setting
//! and its default, for a team to adjust.

use std::path::PathBuf;
use std::process::ExitCode;

use skill_core::config::FILE_NAME;
use skill_core::scaffold::init_config;
use skill_core::Profile;

use super::new::{parse_profile, shown};

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The folder to write `skill-lsp.toml` in (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Set `profile` for every skill under it: `workflow` or `agentskills`
    /// (default: left out, chosen per skill).
    #[arg(long, value_name = "P", value_parser = parse_profile)]
    pub profile: Option<Profile>,
    /// Overwrite a `skill-lsp.toml` that is already there.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let dir = args.dir.as_ref().map_or_else(|| cwd.clone(), |d| cwd.join(d));
    let file = dir.join(FILE_NAME);
    if file.exists() && !args.force {
        eprintln!(
            "skill-lsp init: {} already exists; pass --force to overwrite it",
            shown(&cwd, &file)
        );
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&file, init_config(args.profile))) {
        eprintln!("skill-lsp init: cannot write {}: {e}", shown(&cwd, &file));
        return ExitCode::from(2);
    }
    println!("created {}", shown(&cwd, &file));
    ExitCode::SUCCESS
}
