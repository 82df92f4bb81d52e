//! Support for the core's own tests (compiled only for them): running a
//! rule on a text, and finding and checking the corpus of real skills.

pub(crate) mod corpus;
mod rules;

pub(crate) use rules::*;
