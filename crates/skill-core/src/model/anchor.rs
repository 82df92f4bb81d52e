//! Where in `SKILL.md` to report a finding about another file of the skill's
//! folder: where the skill mentions that file, else its `name` value, else
//! the first line. Shared by the rules about bundled files.

use crate::model::SkillDoc;
use crate::text::TextRange;

/// The tightest range in `doc` that stands for the bundled file `rel`.
pub(crate) fn bundled_file(doc: &SkillDoc, rel: &str) -> TextRange {
    let body = doc.md.body_start.min(doc.text.len());
    if let Some(at) = doc.text[body..].find(rel) {
        return TextRange::new(body + at, body + at + rel.len());
    }
    skill(doc)
}

/// The range that stands for the skill as a whole: its `name` value, else
/// the opening of the front matter, else the first line.
pub(crate) fn skill(doc: &SkillDoc) -> TextRange {
    if let Some((_, range)) = doc.name() {
        return range;
    }
    if let Some(fm) = &doc.front_matter {
        return fm.block.open;
    }
    let end = doc.text.find(['\n', '\r']).unwrap_or(doc.text.len());
    TextRange::new(0, end)
}
