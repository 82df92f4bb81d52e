//! Command-line subcommands.

pub mod check;
pub mod explain;
pub mod init;
pub mod new;
