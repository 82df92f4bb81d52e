//! Content knowledge for the security rules (SK6xx): what hidden characters,
//! secrets, encoded payloads, agent-directed commands and shell commands look
//! like. Pure functions over text; the rules decide what to report and where.

pub mod candidates;
pub mod commands;
pub mod hidden;
pub mod payload;
pub mod secrets;
