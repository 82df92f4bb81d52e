//! Command-line subcommands.

pub mod check;
pub mod explain;
pub mod format;
pub mod generate;
pub mod graph;
pub mod init;
pub mod new;
