//! `skill-lsp explain CODE`: a rule's documentation.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`SK102`) or name (`step-missing`); none lists every rule.
    pub code: Option<String>,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    let _ = args;
    ExitCode::SUCCESS // implemented in the CLI work
}
