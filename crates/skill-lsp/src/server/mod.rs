//! The language server: protocol glue over skill-core.

use std::process::ExitCode;

#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let _ = args;
    ExitCode::SUCCESS // implemented in the server work
}
