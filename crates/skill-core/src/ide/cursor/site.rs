//! What may be written at the cursor, as plain data ([`site_at`](super::site_at) finds it).

use crate::text::TextRange;

use super::call::CallSite;

/// What may be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// An identifier in code that may become a receiver (`mem|`).
    Receiver {
        prefix: TextRange,
    },
    /// After `receiver.`: a method (`memoryStore.get|`).
    Method {
        receiver: String,
        /// The known receiver it stands for.
        interface: &'static str,
        receiver_range: TextRange,
        /// The method name typed so far, and the rest of it after the cursor.
        prefix: TextRange,
        replace: TextRange,
        /// A `(` already follows the name: completion inserts the name only.
        has_parens: bool,
    },
    /// Inside a call's parentheses.
    Argument(CallSite),
    /// A front matter key at `path` (the map holding it; list items as `*`).
    FrontMatterKey {
        path: Vec<String>,
        /// The key typed so far, and what a completion replaces.
        prefix: TextRange,
        replace: TextRange,
        /// The key's column, for keys the completion opens below it.
        indent: usize,
        /// Keys the map already has.
        existing: Vec<String>,
    },
    /// A front matter value of the key at the end of `path`.
    FrontMatterValue {
        path: Vec<String>,
        prefix: TextRange,
        replace: TextRange,
        quote: Option<char>,
        /// Inside a flow list (`[a, b|`).
        in_list: bool,
    },
    /// A line of the workflow section where a step heading may go.
    WorkflowLine {
        /// The number of the step before the cursor (0 before the first).
        after: u32,
        /// The line's content, which a completion replaces.
        line: TextRange,
    },
    /// A line of the checklist section where an item may go.
    ChecklistLine {
        line: TextRange,
    },
    /// The profile name of a `# skill-lsp: profile=` comment being written.
    ProfileName {
        replace: TextRange,
    },
    /// A link destination's path being typed (`[x](../interfaces/me|`).
    LinkPath {
        /// The folder part typed so far, relative to the skill (`../interfaces/`, or empty).
        folder: String,
        /// The segment after the folder: what a completion replaces.
        replace: TextRange,
    },
    /// A link destination's fragment being typed (`[x](guide.md#us|`).
    LinkFragment {
        /// The path before `#` (empty: this document).
        target: String,
        replace: TextRange,
    },
    None,
}
