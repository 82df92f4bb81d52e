//! Places in files, as navigation, rename and symbols give them: a path and
//! a byte range of the text a [`ReadFile`] returned for it; and what finds
//! them for a skill (its `SKILL.md` at its `name`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::syntax::frontmatter;
use crate::syntax::yaml::{self, YamlLimits};
use crate::text::TextRange;
use crate::workspace::normalize;

/// Reads a file the skill refers to: its current text, `None` when it cannot be read.
pub type ReadFile<'a> = &'a dyn Fn(&Path) -> Option<Arc<str>>;

/// A place in a file: a byte range of the text [`ReadFile`] gives for `path`
/// (empty at 0 for "the file itself").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub range: TextRange,
}

impl Location {
    pub(crate) fn file(path: PathBuf) -> Location {
        Location {
            path,
            range: TextRange::empty(0),
        }
    }
}

/// Which parameters of a call hold a skill name, a domain and a topic.
pub(crate) const SKILL_PARAMS: &[&str] = &["skillName"];
pub(crate) const DOMAIN_PARAMS: &[&str] = &["domain"];
pub(crate) const TOPIC_PARAMS: &[&str] = &["detection", "topic", "file"];

/// A skill's `SKILL.md`, at its `name` (at the top when it has none).
pub(crate) fn skill_location(path: &Path, read: ReadFile) -> Location {
    let range = read(path)
        .and_then(|text| front_matter_name(&text))
        .unwrap_or(TextRange::empty(0));
    Location {
        path: path.to_path_buf(),
        range,
    }
}

/// Whether two paths name the same file (lexically, then on disk).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    normalize(a) == normalize(b) || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The range of the `name` value in a skill's front matter, if it has one.
pub fn front_matter_name(text: &str) -> Option<TextRange> {
    let block = frontmatter::locate(text)?;
    let (root, _) = yaml::parse(text, block.yaml, YamlLimits::default());
    Some(root?.get("name")?.range)
}
