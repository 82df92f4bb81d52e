//! `/claudedocs/{name}_{project}_{YYYY-MM-DD}.md` output paths named in the body.

use std::sync::OnceLock;

use crate::syntax::markdown::MdDoc;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputPath {
    /// The whole path, `/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md`.
    pub range: TextRange,
    /// The file-name part before the first `_` (`fastapi`), with its range.
    pub name: String,
    pub name_range: TextRange,
    /// The whole file name (`fastapi_{project}_{YYYY-MM-DD}.md`), after any folders.
    pub file_name: TextRange,
}

const PREFIX: &str = "/claudedocs/";

/// Every `/claudedocs/<file>` in the body that names a file (a bare
/// `/claudedocs/` or a folder such as `/claudedocs/{project-name}/` names none).
pub(crate) fn extract(text: &str, md: &MdDoc) -> Vec<OutputPath> {
    let start = md.body_start.min(text.len());
    let body = &text[start..];
    let mut out = Vec::new();
    // `memmem`'s vector search: the standard library's substring search
    // reads a 1 MB body at several instructions a byte. One searcher for
    // every parse: building it costs more than searching a usual body.
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(PREFIX));
    for i in finder.find_iter(body.as_bytes()) {
        let at = start + i;
        let rest = &text[at..];
        let len = rest
            .find(|c: char| c.is_whitespace() || "`'\"()<>[],;|*".contains(c))
            .unwrap_or(rest.len());
        let path = rest[..len].trim_end_matches(['.', ':']);
        let range = TextRange::new(at, at + path.len());
        let Some(slash) = path.rfind('/') else { continue };
        let file = &path[slash + 1..];
        if file.is_empty() {
            continue;
        }
        let file_start = at + slash + 1;
        let name_len = file.find('_').unwrap_or(file.len());
        let name = &file[..name_len];
        out.push(OutputPath {
            range,
            name: name.to_string(),
            name_range: TextRange::new(file_start, file_start + name_len),
            file_name: TextRange::new(file_start, file_start + file.len()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::markdown;

    #[test]
    fn paths_and_their_name_parts() {
        let text = "Write `/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md`.\nSave to /claudedocs/.\nOr /claudedocs/{project-name}/review-{date}.md: done\n";
        let md = markdown::parse(text, 0);
        let got: Vec<_> = extract(text, &md)
            .iter()
            .map(|p| {
                (
                    &text[p.range.start..p.range.end],
                    p.name.clone(),
                    &text[p.name_range.start..p.name_range.end],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "/claudedocs/fastapi_{project}_{YYYY-MM-DD}.md",
                    "fastapi".to_string(),
                    "fastapi"
                ),
                (
                    "/claudedocs/{project-name}/review-{date}.md",
                    "review-{date}.md".to_string(),
                    "review-{date}.md"
                ),
            ]
        );
    }
}
