//! Editor assistance computed from a skill and its workspace, as plain data:
//! what the cursor is on, completion, signature help, hover, navigation,
//! symbols, folding, rename, inlay hints, semantic tokens, highlights,
//! call hierarchy and code lenses. Positions are byte offsets; the language
//! server converts them at its edge.

pub mod completion;
pub mod cursor;
mod describe;
pub mod hierarchy;
pub mod highlight;
pub mod hover;
pub mod inlay;
pub mod lens;
mod location;
pub mod navigation;
pub mod rename;
pub mod semantic;
pub mod signature;
pub mod symbols;
