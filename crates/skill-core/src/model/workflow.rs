//! The workflow section and its numbered steps, in all three heading styles.

use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

/// How a step heading is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepStyle {
    /// `### Step N: Title`
    Plain,
    /// `### ⚠️ STEP N: Title (REQUIRED)`
    Warning,
    /// `#### **Step N: Title**`
    Bold,
}

/// How a step gives its instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyStyle {
    /// `**YOU MUST:**` + numbered list + `**DO NOT PROCEED ...**` gate.
    YouMust,
    /// `**Purpose**:` / `**Actions**:` + numbered list / `**Validation**:`.
    Actions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instructions {
    pub style: BodyStyle,
    /// The `**YOU MUST:**` / `**Actions**:` line.
    pub intro: TextRange,
    /// The numbered list that follows, index into `MdDoc::lists`.
    pub list: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: u32,
    /// The digits of the number in the heading.
    pub number_range: TextRange,
    pub title: String,
    /// Index into `MdDoc::headings`.
    pub heading: usize,
    pub style: StepStyle,
    /// From the end of the heading line to the next heading of the same or higher level.
    pub body: TextRange,
    pub instructions: Option<Instructions>,
    /// A `**DO NOT ...**` gate line.
    pub gate: Option<TextRange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// Index of the workflow heading into `MdDoc::headings`.
    pub heading: usize,
    /// The whole section.
    pub range: TextRange,
    pub steps: Vec<Step>,
}

/// A run of step headings outside the workflow section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepList {
    /// From the first step heading to the end of the last step's body.
    pub range: TextRange,
    pub steps: Vec<Step>,
}

/// Finds the workflow section, its steps and any stray step lists.
pub(crate) fn extract(text: &str, md: &MdDoc) -> (Option<Workflow>, Vec<StepList>) {
    let _ = (text, md);
    (None, Vec::new()) // implemented in the workflow work
}
