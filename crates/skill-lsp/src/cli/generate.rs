//! `skill-lsp completions <shell>` and `skill-lsp man`: shell completion
//! scripts and a man page generated from the command-line definitions, so
//! they never drift from the options the binary accepts. Packagers run them
//! at build time; users can too (`skill-lsp completions bash > ...`).

use std::io::Write;
use std::process::ExitCode;

use clap_complete::Shell;

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the completion script for `args.shell` to standard output.
pub fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> ExitCode {
    let name = cmd.get_name().to_string();
    // Rendered to memory first: clap_complete panics when its writer fails
    // (a closed pipe), and a closed pipe is no reason to panic.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, name.clone(), &mut script);
    if args.shell == Shell::Bash {
        script = mend_bash_states(&String::from_utf8_lossy(&script), &name).into_bytes();
    }
    print_all("completions", &script)
}

/// clap_complete's bash script spells a subcommand's state two ways when the
/// binary's name has a hyphen (clap-rs/clap#6421): the loop that reads the
/// words reaches `skill__lsp__subcmd__check`, the arms that complete its
/// options are labelled `skill__subcmd__lsp__subcmd__check`, so no option of a
/// subcommand ever completed. The arms are relabelled as the loop spells them;
/// once clap spells both alike this changes nothing.
fn mend_bash_states(script: &str, name: &str) -> String {
    if !name.contains('-') {
        return script.to_string();
    }
    let wrong = format!("{}__subcmd__", name.replace('-', "__subcmd__"));
    let right = format!("{}__subcmd__", name.replace('-', "__"));
    script.replace(&wrong, &right)
}

/// Writes the man page (roff, section 1) to standard output: the command,
/// then each subcommand's synopsis, description and options.
pub fn man(cmd: clap::Command) -> ExitCode {
    let mut page = Vec::new();
    if let Err(e) = render_man(&cmd, &mut page) {
        eprintln!("skill-lsp man: cannot render the man page: {e}");
        return ExitCode::from(2);
    }
    print_all("man", &page)
}

/// Writes `bytes` to standard output; a reader that stops early (`| head`)
/// ends the command quietly.
fn print_all(command: &str, bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skill-lsp {command}: cannot write to standard output: {e}");
            ExitCode::from(2)
        }
    }
}

fn render_man(cmd: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let cmd = cmd.clone().disable_help_subcommand(true);
    let root = clap_mangen::Man::new(cmd.clone());
    root.render_title(out)?;
    root.render_name_section(out)?;
    root.render_synopsis_section(out)?;
    root.render_description_section(out)?;
    root.render_options_section(out)?;
    // Each subcommand in this one page, under a heading of its name (clap's
    // own subcommand list points at one page per subcommand, which we do not
    // ship).
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let full = format!("{} {}", cmd.get_name(), sub.get_name());
        writeln!(out, ".SH \"{}\"", full.to_uppercase())?;
        let sub = sub.clone().bin_name(full);
        let page = clap_mangen::Man::new(sub);
        page.render_synopsis_section(out)?;
        page.render_description_section(out)?;
        page.render_options_section(out)?;
    }
    root.render_version_section(out)?;
    Ok(())
}
