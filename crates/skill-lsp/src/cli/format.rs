//! `skill-lsp format [--check]`: formats skills in place with
//! `skill_core::format`, the implementation the editor's formatting uses.
//! Files are found and configured as `check` finds and configures them.

use std::path::PathBuf;
use std::process::ExitCode;

use skill_core::SkillDoc;

use super::check::discover;
use super::check::report::display_path;
use super::check::setup;

#[derive(clap::Args, Debug)]
pub struct FormatArgs {
    /// Files or folders to format (default: the current folder); folders are
    /// searched for `SKILL.md` files as `check` searches them.
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the files formatting would change and exit with
    /// status 1 if there are any.
    #[arg(long)]
    pub check: bool,
    /// Use this `skill-lsp.toml` for every file instead of the nearest one above each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: FormatArgs) -> ExitCode {
    let setup::Start { cwd, forced, inputs } = match setup::start(&args.paths, args.config.as_deref()) {
        Ok(start) => start,
        Err(message) => return usage_error(&message),
    };
    let discover::Discovered {
        targets,
        mut errors,
        listings,
        ..
    } = discover::discover(&inputs, &cwd);
    let setup::Plan {
        jobs,
        errors: config_errors,
        ..
    } = setup::plan(targets, listings, forced, None);
    errors.extend(config_errors);
    let mut failed = !errors.is_empty();
    for e in &errors {
        eprintln!("skill-lsp format: {}: {}", display_path(&cwd, &e.path), e.message);
    }
    let (mut changed, mut total) = (0, 0);
    for job in &jobs {
        let shown = display_path(&cwd, &job.target.path);
        let text = match std::fs::read(&job.target.path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                eprintln!("skill-lsp format: {shown}: not UTF-8 text, left as it is");
                failed = true;
                continue;
            }
            Err(e) => {
                eprintln!("skill-lsp format: {shown}: {e}");
                failed = true;
                continue;
            }
        };
        total += 1;
        let doc = SkillDoc::parse(text.as_str(), Some(job.target.path.clone()));
        let out = skill_core::format::format_text(&doc, &job.config.config);
        if out == text {
            continue;
        }
        changed += 1;
        if args.check {
            println!("would format {shown}");
        } else if let Err(e) = std::fs::write(&job.target.path, out) {
            eprintln!("skill-lsp format: {shown}: cannot write: {e}");
            failed = true;
        } else {
            println!("formatted {shown}");
        }
    }
    let verb = if args.check { "would be formatted" } else { "formatted" };
    eprintln!("{changed} of {total} files {verb}");
    if failed {
        ExitCode::from(2)
    } else if args.check && changed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("skill-lsp format: {message}");
    ExitCode::from(2)
}
