//! Command-line subcommands.

pub mod check;
pub mod explain;
pub mod generate;
pub mod init;
pub mod new;
