//! Command-line subcommands.

pub mod check;
pub mod explain;
