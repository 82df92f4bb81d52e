//! Command-line subcommands.

pub mod check;
pub mod explain;
pub mod format;
pub mod graph;
pub mod generate;
pub mod init;
pub mod new;
