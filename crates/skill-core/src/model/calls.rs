//! Interface calls (`memoryStore.getSkillMemory("fastapi", "{project-name}")`)
//! in inline code and code blocks: receiver, method, arguments, all spanned.

use crate::model::Workflow;
use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A quoted string, unquoted.
    Str(String),
    /// `...`: "the rest".
    Ellipsis,
    /// Anything else, as written (`project`, `["a", "b"]`, `{...}`).
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The whole argument, `skill="fastapi"` or `"fastapi"`.
    pub range: TextRange,
    /// The keyword of a keyword argument, with its range.
    pub keyword: Option<(String, TextRange)>,
    pub value: ArgValue,
    pub value_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub receiver: String,
    pub receiver_range: TextRange,
    pub method: String,
    pub method_range: TextRange,
    pub args: Vec<Arg>,
    /// Inside the parentheses.
    pub args_range: TextRange,
    /// From the receiver to the closing parenthesis (or the end of what was written).
    pub range: TextRange,
    /// `()` with nothing inside: a mention of the method, not a call.
    pub is_mention: bool,
    /// The number of the workflow step the call stands in, if any.
    pub step: Option<u32>,
}

pub(crate) fn extract(text: &str, md: &MdDoc, workflow: Option<&Workflow>) -> Vec<Call> {
    let _ = (text, md, workflow);
    Vec::new() // implemented in the interfaces work
}
