//! Where a Markdown link in a skill points, and whether it can be checked.
//!
//! Only relative links to files are checked. Which ones can be depends on
//! what is known of the surroundings: in a workspace, every link except
//! those into a top-level folder the root lacks altogether (a partial
//! checkout without `context/` or `memory/`: nothing to check against); for
//! a skill on its own, only links that stay inside the skill's folder.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use super::{is_normal, normalize, Workspace};

/// A link destination, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `https://…`, `mailto:…`, `//host/…`, `/absolute`: not checked.
    External,
    /// `#fragment` in the document itself (decoded).
    OwnFragment(String),
    /// A file or folder relative to the skill's folder.
    File {
        path: PathBuf,
        /// The decoded `#fragment`, if any.
        fragment: Option<String>,
        /// Byte offset of the `#` in the destination as written.
        fragment_at: Option<usize>,
    },
    /// A relative link that cannot be checked here (see the module docs).
    Unchecked,
}

/// The variables clients replace with the skill's own folder when they load
/// a skill: OpenClaw-style `{baseDir}`, Claude Code's `${CLAUDE_SKILL_DIR}`.
pub const SKILL_DIR_VARIABLES: &[&str] = &["{baseDir}", "${CLAUDE_SKILL_DIR}", "$CLAUDE_SKILL_DIR"];

/// What runtime variables do to a path written in a skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeVars<'a> {
    /// None in it: the path as written.
    None,
    /// It starts with the skill's folder: the rest, relative to that folder.
    SkillRelative(&'a str),
    /// It holds a variable only the client knows (`${CLAUDE_PLUGIN_ROOT}`,
    /// `$HOME`): nothing to check it against.
    Unknown,
}

/// Reads the runtime variables of `path` ([`RuntimeVars`]).
pub fn runtime_vars(path: &str) -> RuntimeVars<'_> {
    for var in SKILL_DIR_VARIABLES {
        if let Some(rest) = path.strip_prefix(var) {
            let rest = rest.trim_start_matches(['/', '\\']);
            return match runtime_vars(rest) {
                RuntimeVars::None => RuntimeVars::SkillRelative(rest),
                other => other,
            };
        }
    }
    // `$` and `{` are ASCII: every one is at a character boundary.
    let holds_variable =
        memchr::memchr2_iter(b'$', b'{', path.as_bytes()).any(|i| runtime_variable_len(path, i).is_some());
    if holds_variable {
        RuntimeVars::Unknown
    } else {
        RuntimeVars::None
    }
}

/// The length of the runtime variable starting at byte `i` of `text`, if one
/// does: `${NAME}`, `$NAME` (capitals, digits, `_`) or `{baseDir}`.
pub fn runtime_variable_len(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?;
    if rest.starts_with("{baseDir}") {
        return Some("{baseDir}".len());
    }
    let name = |s: &str| {
        s.find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(s.len())
    };
    if let Some(braced) = rest.strip_prefix("${") {
        let close = braced.find('}')?;
        let inner = &braced[..close];
        let n = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        return (n > 0 && inner[..n].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')).then_some(close + 3);
    }
    let bare = rest.strip_prefix('$')?;
    let n = name(bare);
    (n > 0 && bare.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')).then_some(n + 1)
}

/// Classifies `dest` for a document in `doc_dir`.
pub fn resolve(ws: &Workspace, doc_dir: Option<&Path>, dest: &str) -> LinkTarget {
    Resolver::new(ws, doc_dir).resolve(dest)
}

/// [`resolve`] for the links of one document: its folder and the root are
/// made absolute and clean once, not once per link.
pub struct Resolver<'a> {
    ws: &'a Workspace,
    dir: Option<Cow<'a, Path>>,
    root: Option<Cow<'a, Path>>,
    /// Whether the folder and the root (where there is one) are plain
    /// ([`is_normal`]): then links are resolved on their bytes
    /// ([`Resolver::resolve_plain`]).
    plain: bool,
    /// The last top-level folder of the root asked about, and whether the
    /// root has it: a skill's links nearly all go to one or two.
    last_top: std::cell::RefCell<Option<(Vec<u8>, bool)>>,
}

impl<'a> Resolver<'a> {
    pub fn new(ws: &'a Workspace, doc_dir: Option<&'a Path>) -> Resolver<'a> {
        let dir = doc_dir.map(absolute_clean);
        let root = ws.root.as_deref().map(absolute_clean);
        let plain = dir.as_deref().is_some_and(is_normal) && root.as_deref().is_none_or(is_normal);
        Resolver {
            ws,
            dir,
            root,
            plain,
            last_top: std::cell::RefCell::new(None),
        }
    }

    /// Classifies `dest`, as [`resolve`] does.
    pub fn resolve(&self, dest: &str) -> LinkTarget {
        let dest = match runtime_vars(dest.trim()) {
            RuntimeVars::None => dest.trim(),
            RuntimeVars::SkillRelative(rest) => rest,
            RuntimeVars::Unknown => return LinkTarget::Unchecked,
        };
        if dest.is_empty() || has_scheme(dest) || dest.starts_with('/') || dest.starts_with('\\') {
            return LinkTarget::External;
        }
        let (path_part, fragment, fragment_at) = match dest.find('#') {
            Some(i) => (&dest[..i], Some(percent_decode(&dest[i + 1..])), Some(i)),
            None => (dest, None, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        if path_part.is_empty() {
            return match fragment {
                Some(f) => LinkTarget::OwnFragment(f),
                None => LinkTarget::External,
            };
        }
        let Some(dir) = self.dir.as_deref() else {
            return LinkTarget::Unchecked;
        };
        let decoded = decode(path_part);
        if self.plain {
            if let Some(target) = self.resolve_plain(dir, decoded.as_bytes()) {
                return match target {
                    Some(path) => LinkTarget::File {
                        path,
                        fragment,
                        fragment_at,
                    },
                    None => LinkTarget::Unchecked,
                };
            }
        }
        let path = normalize(&dir.join(&*decoded));
        let checkable = match self.root.as_deref() {
            Some(root) => match path.strip_prefix(root).ok().and_then(|rest| rest.components().next()) {
                Some(first) => self.ws.files.exists(&root.join(first)),
                None => true,
            },
            None => path.starts_with(dir),
        };
        if !checkable {
            return LinkTarget::Unchecked;
        }
        LinkTarget::File {
            path,
            fragment,
            fragment_at,
        }
    }
}

impl Resolver<'_> {
    /// The path of a link (`rel`, decoded) when it can be checked, `None`
    /// inside when it cannot: what [`Resolver::resolve`] finds with paths,
    /// found on the bytes of the folder and the root, which are plain
    /// ([`is_normal`]), so that joining, normalising, taking the root
    /// off and asking for its first folder cost no parse of components and
    /// one allocation. `None` when the link climbs above `/` (left to the
    /// general form). Unix only: elsewhere a path has other separators.
    fn resolve_plain(&self, dir: &Path, rel: &[u8]) -> Option<Option<PathBuf>> {
        let dir = dir.as_os_str().as_encoded_bytes();
        let path = join_plain(dir, rel)?;
        let checkable = match self.root.as_deref() {
            Some(root) => {
                let root = root.as_os_str().as_encoded_bytes();
                match under(&path, root).map(|rest| rest.split(|&b| b == b'/').next().unwrap_or(rest)) {
                    Some(first) if !first.is_empty() => self.root_has(root, first),
                    _ => true,
                }
            }
            None => under(&path, dir).is_some(),
        };
        Some(checkable.then(|| path_from_bytes(path)))
    }

    /// Whether the folder or file `first` is at the top of `root`.
    fn root_has(&self, root: &[u8], first: &[u8]) -> bool {
        let mut last = self.last_top.borrow_mut();
        if let Some((top, has)) = last.as_ref() {
            if top == first {
                return *has;
            }
        }
        let mut top = Vec::with_capacity(root.len() + 1 + first.len());
        top.extend_from_slice(root);
        if top.len() > 1 {
            top.push(b'/');
        }
        top.extend_from_slice(first);
        let has = self.ws.files.exists(&path_from_bytes(top));
        *last = Some((first.to_vec(), has));
        has
    }
}

/// `normalize(dir.join(rel))` for a plain absolute `dir` ([`is_normal`]),
/// on bytes: also plain. `None` when `rel` is absolute (a decoded `%2F`
/// first: joining replaces the folder) or a `..` climbs above `/` (where
/// [`normalize`] keeps it).
fn join_plain(dir: &[u8], rel: &[u8]) -> Option<Vec<u8>> {
    if rel.first() == Some(&b'/') {
        return None;
    }
    let mut out = Vec::with_capacity(dir.len() + 1 + rel.len());
    out.extend_from_slice(dir);
    for name in rel.split(|&b| b == b'/') {
        match name {
            b"" | b"." => {}
            b".." => {
                if out.len() == 1 {
                    return None;
                }
                let cut = out.iter().rposition(|&b| b == b'/').unwrap_or(0);
                out.truncate(cut.max(1));
            }
            _ => {
                if out.len() > 1 {
                    out.push(b'/');
                }
                out.extend_from_slice(name);
            }
        }
    }
    Some(out)
}

/// What follows `prefix` in `path` (both plain), when `path` is `prefix` or
/// inside it: `Path::strip_prefix` on bytes.
fn under<'p>(path: &'p [u8], prefix: &[u8]) -> Option<&'p [u8]> {
    let rest = path.strip_prefix(prefix)?;
    if prefix == b"/" || rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix(b"/")
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    // Never called: `Resolver::plain` is false off Unix.
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// `path` made absolute, without `.` and `..`. Borrowed when it already is
/// (the skill's folder and the root nearly always are): this runs for every
/// link of every skill, twice, and copying the paths was most of its cost.
fn absolute_clean(path: &Path) -> Cow<'_, Path> {
    // A plain path's bytes tell it is clean without parsing components
    // (a skill's folder and the root, on every check).
    let clean = is_normal(path) || is_clean(path);
    if clean {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(normalize(
            &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        ))
    }
}

/// Whether `path` is absolute with no `.` or `..` in it.
fn is_clean(path: &Path) -> bool {
    path.is_absolute()
        && path
            .components()
            .all(|c| matches!(c, Component::Prefix(_) | Component::RootDir | Component::Normal(_)))
}

/// `scheme:` as in RFC 3986 (`https:`, `mailto:`, `vscode:`); `C:` drive letters excluded.
fn has_scheme(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else { return false };
    let scheme = &dest[..colon];
    scheme.len() > 1
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Decodes `%20`-style escapes; invalid ones stay as written.
pub fn percent_decode(s: &str) -> String {
    decode(s).into_owned()
}

/// [`percent_decode`], borrowing `s` when it holds no `%` (nearly every link).
fn decode(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'%', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The path from folder `from` to `to`, with `/` separators
/// (`skills/x` → `interfaces/a.md` gives `../../interfaces/a.md`).
pub fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let (from, to) = (normalize(from), normalize(to));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 && (from.has_root() || to.has_root()) {
        return None;
    }
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_variables_are_resolved_or_left_alone() {
        assert_eq!(runtime_vars("scripts/a.py"), RuntimeVars::None);
        assert_eq!(
            runtime_vars("{baseDir}/scripts/a.py"),
            RuntimeVars::SkillRelative("scripts/a.py")
        );
        assert_eq!(
            runtime_vars("${CLAUDE_SKILL_DIR}/references/x.md"),
            RuntimeVars::SkillRelative("references/x.md")
        );
        assert_eq!(runtime_vars("${CLAUDE_PLUGIN_ROOT}/scripts/a.sh"), RuntimeVars::Unknown);
        assert_eq!(runtime_vars("$HOME/.config/x"), RuntimeVars::Unknown);
        assert_eq!(
            runtime_vars("{name}.md"),
            RuntimeVars::None,
            "a template placeholder is no variable"
        );
        assert_eq!(runtime_vars("costs $5.md"), RuntimeVars::None);
        let ws = Workspace::detached();
        let dir = Path::new("/s/pdf");
        assert_eq!(
            resolve(&ws, Some(dir), "${CLAUDE_PLUGIN_ROOT}/x.md"),
            LinkTarget::Unchecked
        );
        assert!(matches!(
            resolve(&ws, Some(dir), "{baseDir}/references/forms.md"),
            LinkTarget::File { path, .. } if path == Path::new("/s/pdf/references/forms.md")
        ));
    }

    #[test]
    fn classifies_destinations() {
        let ws = Workspace::detached();
        let dir = Path::new("/r/skills/x");
        for d in ["https://a.b/c", "mailto:a@b.c", "//cdn/x", "/claudedocs/x.md", ""] {
            assert_eq!(resolve(&ws, Some(dir), d), LinkTarget::External, "{d}");
        }
        assert_eq!(
            resolve(&ws, Some(dir), "#step-1%20a"),
            LinkTarget::OwnFragment("step-1 a".into())
        );
        assert_eq!(
            resolve(&ws, Some(dir), "examples.md#usage"),
            LinkTarget::File {
                path: "/r/skills/x/examples.md".into(),
                fragment: Some("usage".into()),
                fragment_at: Some(11)
            }
        );
        // Without a workspace, links out of the skill's folder cannot be checked.
        assert_eq!(
            resolve(&ws, Some(dir), "../../interfaces/memory_store.md"),
            LinkTarget::Unchecked
        );
        assert_eq!(resolve(&ws, None, "examples.md"), LinkTarget::Unchecked);
    }

    /// `resolve` by paths alone, as it was before the bytes form.
    fn resolve_by_paths(ws: &Workspace, dir: Option<&Path>, dest: &str) -> LinkTarget {
        Resolver {
            plain: false,
            ..Resolver::new(ws, dir)
        }
        .resolve(dest)
    }

    /// Roots: plain and not, the root folder itself, one that exists (so
    /// that links into its top-level folders are checked), one relative.
    const ROOTS: &[&str] = &[
        "/",
        "/r",
        "/r/s",
        env!("CARGO_MANIFEST_DIR"),
        "/r/./s",
        "/r//s/",
        "/r/s/..",
        "r/s",
    ];
    /// The pieces folders and links are made of.
    const NAMES: &[&str] = &[
        "",
        ".",
        "..",
        "a",
        "src",
        "tests",
        "x y",
        "%2F",
        "%20",
        "%zz",
        "?q",
        "#f",
        "#",
        "\\",
        "é",
        "$HOME",
        "{baseDir}",
    ];

    proptest::proptest! {
        /// A path whose bytes are plain is clean as its components tell.
        #[test]
        fn a_plain_path_is_clean(parts in proptest::collection::vec(proptest::sample::select(&["/", "a", ".", "..", "b."][..]), 0..8)) {
            let path = parts.concat();
            if is_normal(Path::new(&path)) {
                proptest::prop_assert!(is_clean(Path::new(&path)), "{}", path);
            }
        }
        /// Links resolved on bytes resolve as they do by paths, from any
        /// folder under any root (or none), whatever they climb or decode to.
        #[test]
        fn resolving_on_bytes_finds_what_paths_find(
            root in proptest::option::of(proptest::sample::select(ROOTS)),
            dir in proptest::collection::vec(proptest::sample::select(NAMES), 0..5),
            dest in proptest::collection::vec(proptest::sample::select(NAMES), 1..7),
            separators in proptest::collection::vec(proptest::sample::select(&["/", "//", ""][..]), 7),
        ) {
            let ws = Workspace {
                root: root.map(PathBuf::from),
                ..Workspace::detached()
            };
            let base = root.unwrap_or("/w");
            let dir = PathBuf::from(format!("{base}/{}", dir.join("/")));
            let dest: String = dest.iter().zip(&separators).flat_map(|(n, s)| [*n, *s]).collect();
            for dir in [Some(dir.as_path()), None] {
                proptest::prop_assert_eq!(
                    Resolver::new(&ws, dir).resolve(&dest),
                    resolve_by_paths(&ws, dir, &dest),
                    "{:?} from {:?}", dest, dir
                );
            }
        }
    }

    #[test]
    #[cfg(unix)] // `is_normal` is `false` elsewhere
    fn plain_paths_are_those_normalize_leaves() {
        for p in ["/", "/a", "/a/b", "/a b/c"] {
            assert!(is_normal(Path::new(p)), "{p}");
            assert_eq!(normalize(Path::new(p)), Path::new(p));
        }
        for p in ["", "a", "//", "/a/", "/a//b", "/a/./b", "/a/..", "/."] {
            assert!(!is_normal(Path::new(p)), "{p}");
        }
        assert_eq!(join_plain(b"/a/b", b"../../..//c"), None, "above the root");
        assert_eq!(join_plain(b"/a", b"../c/./d/").as_deref(), Some(&b"/c/d"[..]));
        assert_eq!(join_plain(b"/", b"c").as_deref(), Some(&b"/c"[..]));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/r/skills/x"), Path::new("/r/interfaces/a.md")).as_deref(),
            Some("../../interfaces/a.md")
        );
        assert_eq!(
            relative_path(Path::new("/r/x"), Path::new("/r/x/b.md")).as_deref(),
            Some("b.md")
        );
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
    }
}
