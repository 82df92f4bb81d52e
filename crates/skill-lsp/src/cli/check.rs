//! `skill-lsp check`: check files and folders, report, optionally fix.
//!
//! The run is a pipeline of small steps, one module each: [`discover`] the
//! files, [`setup`] their configs and workspaces, [`analyze`] them in
//! parallel, then render the [`report`] as [`human`] text, [`json`],
//! [`sarif`] or [`github`] annotations.

mod analyze;
mod baseline;
pub(crate) mod discover;
mod github;
mod human;
mod json;
mod notices;
pub(crate) mod report;
mod sarif;
pub(crate) mod setup;

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use analyze::{FixMode, Outcome};
use report::{Keep, Report};
use setup::LoadedConfig;

/// How findings are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: severity[CODE] message`, the source line and a caret.
    #[default]
    Human,
    /// One JSON document: `{"files", "diagnostics", "errors"}`.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// When the human report is coloured.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` (set, not `0`) turn it on anywhere.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, given whether stdout is a terminal and a way to
    /// read the environment.
    fn resolve(self, terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
        let set = |k: &str| env(k).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
            ColorChoice::Auto => terminal && env("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder). Folders are
    /// searched for `SKILL.md` files, honouring `.gitignore`; files named here
    /// are checked whatever their name.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit status 1) on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Apply safe fixes and write the files back; report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (ones that insert placeholders or guess); implies `--fix`.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Use this `skill-lsp.toml` for every file instead of the nearest one above each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check in this profile (`workflow` or `agentskills`) every file whose
    /// front matter does not choose its own, whatever the configs say.
    #[arg(long, value_name = "P", value_parser = super::new::parse_profile)]
    pub profile: Option<skill_core::Profile>,
    /// Colour the human report: `auto` (on a terminal; `NO_COLOR` turns it
    /// off, `FORCE_COLOR` or `CLICOLOR_FORCE` on), `always` or `never`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Report only findings this baseline file does not record (default: the
    /// config's `baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding in this baseline file (rewriting it: fixed
    /// findings drop out), report them, and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => return usage_error(&format!("cannot read the current folder: {e}")),
    };
    let forced = match &args.config {
        Some(path) => match setup::read_config(&discover::absolute(&cwd, path)) {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => return usage_error(&format!("--config {}: {}", path.display(), e.message)),
        },
        None => None,
    };
    let inputs = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mode = match (args.fix, args.unsafe_fixes) {
        (_, true) => FixMode::All,
        (true, false) => FixMode::Safe,
        (false, false) => FixMode::Off,
    };

    let discover::Discovered {
        targets,
        mut errors,
        notices: walk_notices,
    } = discover::discover(&inputs, &cwd);
    let (mut jobs, config_errors) = setup::plan(targets, forced);
    if let Some(profile) = args.profile {
        with_profile(&mut jobs, profile);
    }
    errors.extend(config_errors);
    let indexes = notices::indexes(&jobs);
    // Only the human format prints source lines; the others need positions alone.
    let keep = if args.format == Format::Human {
        Keep::Lines
    } else {
        Keep::Positions
    };
    let outcomes: Vec<Outcome> = jobs.par_iter().map(|job| analyze::analyze(job, mode, keep)).collect();
    // The baseline each file is compared with: `--baseline`, else its config's.
    let baseline_of = |job: &setup::Job| -> Option<PathBuf> {
        match (&args.baseline, &job.config.config.baseline) {
            (Some(file), _) => Some(discover::absolute(&cwd, file)),
            (None, Some(file)) => Some(discover::normalize(&job.config.dir.join(file))),
            (None, None) => None,
        }
    };
    let mut baselines: std::collections::BTreeMap<PathBuf, skill_core::baseline::Baseline> = Default::default();
    let mut baselined = 0;
    let mut checked = Vec::with_capacity(outcomes.len());
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let mut c = match outcome {
            Outcome::Checked(c) => c,
            Outcome::CheckedWithError(c, e) => {
                errors.push(e);
                c
            }
            Outcome::Failed(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some(file) = baseline_of(job).filter(|_| args.write_baseline.is_none()) {
            if !baselines.contains_key(&file) {
                match baseline::read(&file) {
                    Ok(b) => {
                        baselines.insert(file.clone(), b);
                    }
                    Err(e) => return usage_error(&format!("baseline {e}")),
                }
            }
            if let Some(b) = baselines.get(&file) {
                baseline::apply(&file, b, &mut c);
                baselined += c.baselined;
            }
        }
        checked.push(c);
    }
    let report = Report::new(checked, errors, cwd);
    if let Some(file) = &args.write_baseline {
        let file = discover::absolute(&report.cwd, file);
        match baseline::write(&file, &report.checked) {
            Ok(n) => eprintln!(
                "skill-lsp: wrote {n} finding{} to the baseline {}",
                if n == 1 { "" } else { "s" },
                report.display(&file)
            ),
            Err(e) => return usage_error(&format!("cannot write the baseline {}: {e}", file.display())),
        }
    }
    if baselined > 0 {
        eprintln!(
            "skill-lsp: {baselined} finding{} recorded in the baseline not reported",
            if baselined == 1 { "" } else { "s" }
        );
    }

    let fix_requested = mode != FixMode::Off;
    if matches!(args.format, Format::Sarif | Format::Github) {
        // These formats have no place for it, and stdout must stay parseable.
        for c in &report.checked {
            if let Some(w) = &c.withheld {
                eprintln!(
                    "skill-lsp: not fixed {}: {}",
                    report.display(&c.path),
                    human::withheld_reason(w)
                );
            }
            if let Some(f) = &c.fixed {
                eprintln!(
                    "skill-lsp: fixed {} ({} applied): {}",
                    report.display(&c.path),
                    f.applied,
                    f.titles.join("; ")
                );
            }
        }
    }
    // As eslint does for a pattern that matches nothing: a path named on the
    // command line that holds no skill is a mistake (a mistyped folder must
    // not pass CI), so exit 2. A bare `check` of a folder without skills
    // only warns.
    let nothing_named_found = report.checked.is_empty() && report.errors.is_empty();
    if nothing_named_found {
        eprintln!("skill-lsp: no SKILL.md files found under {}", describe(&inputs));
    }
    let nothing_named_found = nothing_named_found && !args.paths.is_empty();
    // A closed pipe (`skill-lsp check | head`) is not worth a panic.
    let mut stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    // What indexing skipped: first in the human report, on stderr for the others.
    let mut notices = notices::collect(&indexes, &report.errors);
    notices.extend(walk_notices);
    notices.sort();
    let color = args
        .color
        .resolve(std::io::stdout().is_terminal(), |k| std::env::var(k).ok());
    if args.format == Format::Human {
        let _ = notices::write_human(&mut stdout, &notices, &report.cwd, color);
    } else {
        notices::write_stderr(&notices, &report.cwd);
    }
    let written = match args.format {
        // The report is written as it is rendered: never held whole.
        Format::Human => human::write(&mut stdout, &report, human::Style { color }, fix_requested),
        Format::Json => json::write(&mut stdout, &report, fix_requested),
        Format::Sarif => sarif::write(&mut stdout, &report),
        Format::Github => github::write(&mut stdout, &report),
    };
    let _ = written.and_then(|_| stdout.flush());
    if nothing_named_found {
        return ExitCode::from(2);
    }
    if args.write_baseline.is_some() {
        // Recording today's findings is the point, not a failure.
        return ExitCode::SUCCESS;
    }
    ExitCode::from(report.exit_code(args.strict))
}

/// Sets the profile of every job's config (each distinct config once).
fn with_profile(jobs: &mut [setup::Job], profile: skill_core::Profile) {
    let mut done: Vec<(*const LoadedConfig, Arc<LoadedConfig>)> = Vec::new();
    for job in jobs {
        let key = Arc::as_ptr(&job.config);
        let replaced = match done.iter().find(|(k, _)| *k == key) {
            Some((_, c)) => c.clone(),
            None => {
                let mut config = job.config.config.clone();
                config.profile = Some(profile);
                let c = Arc::new(LoadedConfig::new(config, job.config.dir.clone()));
                done.push((key, c.clone()));
                c
            }
        };
        job.config = replaced;
    }
}

fn describe(inputs: &[PathBuf]) -> String {
    inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("skill-lsp check: {message}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::ColorChoice;

    #[test]
    fn colour_follows_the_option_then_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert!(ColorChoice::Auto.resolve(true, env(&[])));
        assert!(!ColorChoice::Auto.resolve(false, env(&[])));
        assert!(!ColorChoice::Auto.resolve(true, env(&[("NO_COLOR", "1")])));
        assert!(ColorChoice::Auto.resolve(false, env(&[("FORCE_COLOR", "1")])));
        assert!(ColorChoice::Auto.resolve(false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!ColorChoice::Auto.resolve(false, env(&[("FORCE_COLOR", "0")])));
        assert!(ColorChoice::Always.resolve(false, env(&[("NO_COLOR", "1")])));
        assert!(!ColorChoice::Never.resolve(true, env(&[("FORCE_COLOR", "1")])));
    }
}
