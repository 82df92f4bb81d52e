//! The `skill-lsp` binary: `serve` (the default) for editors, `check`,
//! `explain` and friends for the command line.

mod alloc;
mod cli;
mod project;
mod server;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator;

#[derive(Parser)]
#[command(
    name = "skill-lsp",
    version,
    about = "Language server and checker for agent skills (SKILL.md)"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdio (the default).
    Serve(server::ServeArgs),
    /// Check skills and report what is wrong.
    Check(cli::check::CheckArgs),
    /// Print a rule's documentation (`skill-lsp explain SK102`), or list all rules.
    Explain(cli::explain::ExplainArgs),
    /// Write a new skill (`skill-lsp new pdf-forms --domain python`): no errors, and a warning on each blank left to fill in.
    New(cli::new::NewArgs),
    /// Write a commented `skill-lsp.toml` with every setting.
    Init(cli::init::InitArgs),
    /// Format skills in place (`--check`: only say which would change).
    Format(cli::format::FormatArgs),
    /// Print how skills invoke each other (DOT, Mermaid, JSON or SVG).
    Graph(cli::graph::GraphArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(cli::generate::CompletionsArgs),
    /// Print the man page (roff): `skill-lsp man > skill-lsp.1`.
    Man,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command.unwrap_or(Command::Serve(server::ServeArgs::default())) {
        Command::Serve(a) => server::run(a),
        Command::Check(a) => cli::check::run(a),
        Command::Explain(a) => cli::explain::run(a),
        Command::New(a) => cli::new::run(a),
        Command::Init(a) => cli::init::run(a),
        Command::Format(a) => cli::format::run(a),
        Command::Graph(a) => cli::graph::run(a),
        Command::Completions(a) => cli::generate::completions(a, Args::command()),
        Command::Man => cli::generate::man(Args::command()),
    }
}
