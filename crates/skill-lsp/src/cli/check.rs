//! `skill-lsp check`: check files and folders, report, optionally fix.
//!
//! The run is a pipeline of small steps, one module each: [`discover`] the
//! files, [`setup`] their configs and workspaces, [`analyze`] them in
//! parallel, then render the [`report`] as [`human`] text, [`json`],
//! [`sarif`] or [`github`] annotations.

mod analyze;
mod baseline;
mod concise;
mod diff;
pub(crate) mod discover;
mod github;
mod human;
mod json;
mod notices;
pub(crate) mod report;
mod sarif;
mod select;
pub(crate) mod setup;
mod spool;
mod statistics;
mod summary;

use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use analyze::{FixMode, Io, Outcome};
use report::{Keep, Report, Tally};
use select::Selection;
use setup::LoadedConfig;

/// How findings are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: severity[CODE] message`, the source line and a caret
    /// (also called `full`).
    #[default]
    #[value(alias = "full")]
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Concise,
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
    /// Output format. `--format` is another name for the same option.
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
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
    /// Check only these rules: codes (`SK104`), names (`too-many-steps`),
    /// code prefixes (`SK1`) or `ALL`, separated by commas. Selected rules
    /// run even where a config turns them off.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Check these rules too, besides those selected or configured.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not check these rules (the more specific of `--select` and
    /// `--ignore` wins; a tie goes to `--ignore`).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print how many findings each rule made instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print the repository's figures instead of the findings: counts per
    /// rule and per skill, and a grade (A to F) to track from run to run.
    #[arg(long, conflicts_with = "statistics")]
    pub summary: bool,
    /// Print what `--fix` (or `--unsafe-fixes`) would change as a unified
    /// diff and write nothing; exit status 1 when anything would change.
    #[arg(long)]
    pub diff: bool,
    /// Read the skill from standard input and report it under PATH (whose
    /// folder decides the config and the workspace). With `--fix` the fixed
    /// text goes to standard output and the report to standard error.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Print the findings only: no summary line, no notices of what indexing skipped.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit with status 0 even when findings are reported (an input that
    /// cannot be read still gives 2).
    #[arg(long)]
    pub exit_zero: bool,
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
    crate::alloc::use_mimalloc();
    let setup::Start { cwd, forced, inputs } = match setup::start(&args.paths, args.config.as_deref()) {
        Ok(start) => start,
        Err(message) => return usage_error(&message),
    };
    // The tables the first checks would build while the others wait, built
    // instead on a core the walk and the planning leave idle.
    // The root is looked for once, here: the index of it is begun at once too.
    let root = setup::likely_root(forced.as_deref(), &cwd, &inputs);
    let profile = setup::likely_profile(args.profile, forced.as_deref(), root.is_some());
    rayon::spawn(move || skill_core::analysis::prewarm(profile));
    let preloaded = root.map(setup::Preloaded::start);
    let selection = Selection {
        select: args.select.clone(),
        extend: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    if let Some(unknown) = selection.unknown() {
        return usage_error(&format!(
            "`{unknown}` names no rule: give codes (SK104), names (too-many-steps), code prefixes (SK1) or ALL; `skill-lsp explain` lists the rules"
        ));
    }
    let mut mode = match (args.fix, args.unsafe_fixes) {
        (_, true) => FixMode::All,
        (true, false) => FixMode::Safe,
        (false, false) => FixMode::Off,
    };
    if args.diff && mode == FixMode::Off {
        mode = FixMode::Safe;
    }
    let stdin_text = match &args.stdin_filename {
        Some(_) if !args.paths.is_empty() => {
            return usage_error("--stdin-filename reads one skill from standard input: name no paths besides it")
        }
        Some(_) => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().lock().read_to_string(&mut text) {
                return usage_error(&format!("cannot read standard input as UTF-8 text: {e}"));
            }
            Some(text)
        }
        None => None,
    };
    // `--diff` writes nothing; a fixed standard input goes back to standard output.
    let io = Io {
        text: stdin_text.as_deref(),
        dry: args.diff || (stdin_text.is_some() && mode != FixMode::Off),
    };

    let discover::Discovered {
        targets,
        mut errors,
        notices: walk_notices,
        listings,
    } = match &args.stdin_filename {
        Some(path) => discover::Discovered {
            targets: vec![discover::Target {
                path: discover::absolute(&cwd, path),
                explicit: true,
            }],
            ..Default::default()
        },
        None => discover::discover(&inputs, &cwd),
    };
    let forced_config = forced.is_some();
    let setup::Plan {
        mut jobs,
        errors: config_errors,
        ignored,
    } = setup::plan(targets, listings, forced, preloaded);
    let ignored = Ignored {
        files: ignored,
        forced_config,
    };
    if args.profile.is_some() || !selection.is_empty() {
        with_overrides(&mut jobs, args.profile, &selection);
    }
    errors.extend(config_errors);
    let indexes = notices::indexes(&jobs);
    crate::alloc::give_back_freed_memory();
    // Only the human format prints source lines; the others need positions alone.
    let keep = if args.format == Format::Human {
        Keep::Lines
    } else {
        Keep::Positions
    };
    // The baseline each file is compared with: `--baseline`, else its config's.
    let baseline_of = |job: &setup::Job| -> Option<PathBuf> {
        match (&args.baseline, &job.config.config.baseline) {
            (Some(file), _) => Some(discover::absolute(&cwd, file)),
            (None, Some(file)) => Some(discover::normalize(&job.config.dir.join(file))),
            (None, None) => None,
        }
    };
    // Files are checked in the order they are reported, a batch at a time on
    // all cores; where the format allows, each batch's findings are written
    // before the next is checked, so a run holds a batch's findings, not
    // the tree's.
    jobs.sort_by(|a, b| discover::path_order(&a.target.path, &b.target.path));
    // What the jobs hold (each root's index of every skill, the files read
    // for links and bundles) is freed by the process's exit, at once: freed
    // piece by piece after the report, it was a tail on one core (2.7 M
    // instructions on 3,060 skills).
    let jobs = std::mem::ManuallyDrop::new(jobs);
    let stream = streams(&args, mode, io, &jobs).then(|| json::Diagnostics::new(spool::Spool::new(), &cwd));
    let mut stream = match stream.transpose() {
        Ok(stream) => stream,
        Err(e) => return usage_error(&format!("cannot hold the report while checking: {e}")),
    };
    let mut streamed = Streamed::default();
    let mut baselines: std::collections::BTreeMap<PathBuf, skill_core::baseline::Baseline> = Default::default();
    let mut baselined = 0;
    let mut checked = Vec::new();
    for batch in jobs.chunks(BATCH) {
        let outcomes: Vec<Done> = batch
            .par_iter()
            .map(|job| {
                let baseline = baseline_of(job);
                let fingerprints = args.write_baseline.is_some() || baseline.is_some();
                let outcome = analyze::analyze(job, mode, keep, fingerprints, io);
                // The streamed report's findings are rendered and counted
                // here, on every core, where no baseline is left to filter
                // them first; the findings themselves go with the thread.
                match (&stream, outcome, baseline) {
                    (Some(_), Outcome::Checked(c), None) => match json::render(&c, &cwd, &mut Vec::new()) {
                        Ok(rendered) => {
                            let mut tally = Tally::default();
                            tally.add(&c);
                            Done::Streamed(rendered, tally)
                        }
                        Err(_) => Done::Kept(Box::new(Outcome::Checked(c))),
                    },
                    (_, outcome, _) => Done::Kept(Box::new(outcome)),
                }
            })
            .collect();
        crate::alloc::give_back_freed_memory();
        for (job, done) in batch.iter().zip(outcomes) {
            let outcome = match done {
                Done::Kept(outcome) => *outcome,
                Done::Streamed(rendered, tally) => {
                    streamed.tally.absorb(tally);
                    streamed.files += 1;
                    let written = stream.as_mut().map_or(Ok(()), |d| d.rendered(&rendered));
                    if let Err(e) = written {
                        return usage_error(&format!("cannot hold the report while checking: {e}"));
                    }
                    continue;
                }
            };
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
            match &mut stream {
                Some(diagnostics) => {
                    streamed.tally.add(&c);
                    streamed.files += 1;
                    if let Err(e) = diagnostics.file(&c) {
                        return usage_error(&format!("cannot hold the report while checking: {e}"));
                    }
                }
                None => checked.push(c),
            }
        }
    }
    let spooled = match stream.map(json::Diagnostics::finish).transpose() {
        Ok(spooled) => spooled,
        Err(e) => return usage_error(&format!("cannot hold the report while checking: {e}")),
    };
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

    if let Some(spool) = spooled {
        // Nothing to say about ignored files: every file found was checked.
        if !args.quiet {
            notices::write_stderr(&all_notices(&indexes, &report, walk_notices), &report.cwd);
        }
        let mut stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        let _ = json::write_spooled(&mut stdout, streamed.files, |out| spool.copy_to(out), &report);
        let _ = stdout.flush();
        return exit_code(&args, streamed.files, &streamed.tally, !report.errors.is_empty());
    }
    if args.diff {
        return write_diffs(&report, args.quiet);
    }
    let found = Found { walk_notices, ignored };
    if io.dry {
        // `--fix` on standard input: the text to standard output, the report to standard error.
        if let Some(text) = report.checked.first().and_then(|c| c.fixed_text.as_deref()) {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush());
        }
        let mut stderr = std::io::stderr().lock();
        write_report(
            &mut stderr,
            &args,
            &report,
            &indexes,
            found,
            mode != FixMode::Off,
            false,
        );
        return report_exit_code(&args, &report);
    }
    // A closed pipe (`skill-lsp check | head`) is not worth a panic.
    let mut stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let color = args
        .color
        .resolve(std::io::stdout().is_terminal(), |k| std::env::var(k).ok());
    write_report(
        &mut stdout,
        &args,
        &report,
        &indexes,
        found,
        mode != FixMode::Off,
        color,
    );
    let _ = stdout.flush();
    report_exit_code(&args, &report)
}

/// Files checked per batch: enough to keep every core busy between the
/// batches' ends, few enough that a batch's findings are a small part of
/// the memory (about 5 findings per skill in a damaged tree).
const BATCH: usize = 512;

/// What became of a file on the thread that checked it: its findings
/// rendered for the streamed report and counted, or the outcome whole.
enum Done {
    Streamed(json::Rendered, Tally),
    Kept(Box<Outcome>),
}

/// What a streamed run counts of the files it has written out.
#[derive(Default)]
struct Streamed {
    files: usize,
    tally: Tally,
}

/// Whether the report is written as the files are checked: the JSON
/// findings of a plain check (the others need every file first: the human
/// summary, `--statistics`, `--summary`, the fixes and the baseline written).
fn streams(args: &CheckArgs, mode: FixMode, io: Io, jobs: &[setup::Job]) -> bool {
    args.format == Format::Json
        && !args.summary
        && !args.statistics
        && mode == FixMode::Off
        && !io.dry
        && args.write_baseline.is_none()
        && !jobs.is_empty()
}

fn report_exit_code(args: &CheckArgs, report: &Report) -> ExitCode {
    exit_code(args, report.checked.len(), &report.tally(), !report.errors.is_empty())
}

/// The exit status of a run that checked `checked` files with `tally`
/// findings; `unreadable` when an input could not be read.
fn exit_code(args: &CheckArgs, checked: usize, tally: &Tally, unreadable: bool) -> ExitCode {
    if !args.paths.is_empty() && checked == 0 && !unreadable {
        return ExitCode::from(2);
    }
    if args.write_baseline.is_some() {
        // Recording today's findings is the point, not a failure.
        return ExitCode::SUCCESS;
    }
    match tally.exit_code(unreadable, args.strict) {
        1 if args.exit_zero => ExitCode::SUCCESS,
        code => ExitCode::from(code),
    }
}

/// What indexing and the walk skipped, and the config errors, in order.
fn all_notices(
    indexes: &[Arc<skill_core::Workspace>],
    report: &Report,
    walk_notices: Vec<notices::Notice>,
) -> Vec<notices::Notice> {
    let mut notices = notices::collect(indexes, &report.errors);
    notices.extend(walk_notices);
    notices.sort();
    notices
}

/// Writes the report in the chosen format (or the statistics) to `out`.
fn write_report(
    out: &mut dyn Write,
    args: &CheckArgs,
    report: &Report,
    indexes: &[Arc<skill_core::Workspace>],
    found: Found,
    fix_requested: bool,
    color: bool,
) {
    let machine = matches!(args.format, Format::Sarif | Format::Github | Format::Json);
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
    // not pass CI), so exit 2 (see `exit_code`). A bare `check` of a folder
    // without skills only warns.
    if report.checked.is_empty() && report.errors.is_empty() && !args.quiet {
        let inputs = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        if found.ignored.files.is_empty() {
            eprintln!("skill-lsp: no SKILL.md files found under {}", describe(&inputs));
        } else {
            // Skills the walk found but the configuration ignores are no
            // typo: say so, and how to check one anyway (as ruff does).
            eprintln!(
                "skill-lsp: no SKILL.md files to check under {}: {}",
                describe(&inputs),
                found.ignored.reason(report)
            );
        }
    }
    // What indexing skipped: first in the human report, on stderr for the others.
    if !args.quiet {
        let notices = all_notices(indexes, report, found.walk_notices);
        if machine {
            notices::write_stderr(&notices, &report.cwd);
        } else {
            let _ = notices::write_human(&mut &mut *out, &notices, &report.cwd, color);
        }
    }
    let style = human::Style {
        color,
        quiet: args.quiet,
    };
    let written = if args.summary {
        match args.format {
            Format::Json => summary::write_json(out, report),
            _ => summary::write_text(out, report),
        }
    } else if args.statistics {
        match args.format {
            Format::Json => statistics::write_json(out, report),
            _ => statistics::write_text(out, report),
        }
    } else {
        match args.format {
            // The report is written as it is rendered: never held whole.
            Format::Human => human::write(out, report, style, fix_requested),
            Format::Concise => concise::write(out, report, style, fix_requested),
            Format::Json => json::write(out, report, fix_requested),
            Format::Sarif => sarif::write(out, report),
            Format::Github => github::write(out, report),
        }
    };
    let _ = written;
}

/// `--diff`: each file's diff on standard output, a count on standard error;
/// status 1 when anything would change (2 when an input could not be read).
fn write_diffs(report: &Report, quiet: bool) -> ExitCode {
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    let mut files = 0;
    let mut fixes = 0;
    for c in &report.checked {
        if let Some(hunks) = &c.diff {
            files += 1;
            fixes += c.fixed.as_ref().map_or(0, |f| f.applied);
            let _ = stdout.write_all(diff::with_header(&report.display(&c.path), hunks).as_bytes());
        }
    }
    let _ = stdout.flush();
    for e in &report.errors {
        eprintln!(
            "{}",
            human::input_error_line(report, e, human::Style { color: false, quiet })
        );
    }
    if !quiet {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        eprintln!(
            "Would apply {fixes} fix{} in {files} file{}",
            if fixes == 1 { "" } else { "es" },
            s(files)
        );
    }
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::from(u8::from(files > 0))
    }
}

/// Sets the profile and the rule selection of the command line on every
/// job's config (each distinct config once).
fn with_overrides(jobs: &mut [setup::Job], profile: Option<skill_core::Profile>, selection: &Selection) {
    let mut done: Vec<(*const LoadedConfig, Arc<LoadedConfig>)> = Vec::new();
    for job in jobs {
        let key = Arc::as_ptr(&job.config);
        let replaced = match done.iter().find(|(k, _)| *k == key) {
            Some((_, c)) => c.clone(),
            None => {
                let mut config = job.config.config.clone();
                if profile.is_some() {
                    // Over the configs, per-path settings included.
                    config.profile = profile;
                    config.overrides.iter_mut().for_each(|o| o.profile = None);
                }
                selection.apply(&mut config);
                let c = Arc::new(LoadedConfig::new(config, job.config.dir.clone()));
                done.push((key, c.clone()));
                c
            }
        };
        job.config = replaced;
    }
}

/// What finding the files noticed besides the files: links walked once,
/// files the configs ignore.
struct Found {
    walk_notices: Vec<notices::Notice>,
    ignored: Ignored,
}

/// The files a run found but its configs' `ignore` globs exclude.
struct Ignored {
    files: Vec<setup::Ignored>,
    /// Whether the config came from `--config`.
    forced_config: bool,
}

impl Ignored {
    /// Why the files found were not checked: the config file whose `ignore`
    /// globs exclude them, and the way to check one anyway.
    fn reason(&self, report: &Report) -> String {
        let n = self.files.len();
        let (all, them) = if n == 1 {
            ("the 1".to_string(), "it")
        } else {
            (format!("all {n}"), "one")
        };
        let mut configs: Vec<String> = self
            .files
            .iter()
            .map(|i| {
                if self.forced_config {
                    "the --config file".to_string()
                } else {
                    report.display(&i.config_dir.join(skill_core::config::FILE_NAME))
                }
            })
            .collect();
        configs.dedup();
        format!(
            "{all} found {} excluded by the `ignore` globs of {} ({}); name a SKILL.md file to check {them} anyway",
            if n == 1 { "is" } else { "are" },
            configs.join(", "),
            report.display(&self.files[0].path)
        )
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
