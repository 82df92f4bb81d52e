//! The files a skill bundles: everything in its folder besides `SKILL.md`
//! (scripts, references, assets, evals), read once, with what the content
//! rules need precomputed (hidden characters, the file names each text
//! mentions). Bounded like the rest of indexing: at most [`MAX_FILES`] files,
//! [`MAX_DEPTH`] folders deep, texts up to [`MAX_TEXT_BYTES`]; folder links
//! are not followed, and a sub-folder holding its own `SKILL.md` is another
//! skill, not part of this one.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::raw_dir::Type;
use crate::content::hidden::{self, HiddenRun};
use crate::text::{LineIndex, TextRange};

pub const MAX_FILES: usize = 500;
pub const MAX_DEPTH: usize = 8;
pub const MAX_TEXT_BYTES: u64 = 512 * 1024;

/// One bundled file.
#[derive(Debug)]
pub struct BundledFile {
    /// Path from the skill's folder, with `/`: `references/forms.md`.
    pub rel: String,
    pub path: PathBuf,
    /// Its text, when it is a text file small enough to read.
    pub text: Option<String>,
    /// Hidden characters in the text, with their one-based line numbers.
    pub hidden: Vec<(usize, HiddenRun)>,
    /// Indexes of the other bundled files its text mentions: worked out the
    /// first time [`Bundle::reachable`] reaches the file, since a file no
    /// mention leads to is never asked for its own (see [`Bundle::mentions`]).
    mentions: OnceLock<Vec<usize>>,
}

/// A skill's folder, minus `SKILL.md`.
#[derive(Debug, Default)]
pub struct Bundle {
    pub dir: PathBuf,
    pub files: Vec<BundledFile>,
    /// More files than [`MAX_FILES`] were there.
    pub truncated: bool,
    /// Each file's size and modification time when read: a bundle whose
    /// listing still gives these is still current.
    stamp: Vec<Stamp>,
    /// Names a mention can use, to the files they name: path from the skill's
    /// folder, file name, and file stem (`forms` for `forms.md`), lower-cased.
    names: HashMap<String, Vec<usize>>,
    /// The last path segment of every key of `names`: a word whose last
    /// segment is none of these names no file, so most words of a text are
    /// dismissed with one lookup and no allocation (see [`Bundle::mentioned_in`]).
    last_segments: HashSet<String>,
    /// The [`signature`]s of `last_segments`, as a set of bits: a word
    /// whose signature is not in it names nothing, so most words are
    /// dismissed by one test, before any hashing or lower-casing. About 16
    /// bits a name, so that a bundle of hundreds of files (where every
    /// first letter and every length is some name's) still dismisses most.
    signatures: Vec<u64>,
    /// Every file's path lower-cased, with the file's index, in byte order:
    /// the files under a folder or a wildcard's prefix are one run of it
    /// (see [`Bundle::under`]), found by a binary search instead of
    /// lower-casing every path for every such mention.
    lower_rels: Vec<(String, usize)>,
}

/// A word's first and last bytes (ASCII letters lower-cased) and its
/// length, mixed into a bit index for a table of `bits` bits (a power of
/// two, at least 64) by Fibonacci hashing.
fn signature(word: &[u8], bits: usize) -> usize {
    let (Some(first), Some(last)) = (word.first(), word.last()) else {
        return 0;
    };
    let key = u32::from(first.to_ascii_lowercase()) << 24
        | u32::from(last.to_ascii_lowercase()) << 16
        | word.len().min(0xFFFF) as u32;
    (key.wrapping_mul(0x9E37_79B1) >> (32 - bits.trailing_zeros())) as usize
}

impl Bundle {
    /// Lists and reads the folder `dir` (the folder holding `SKILL.md`).
    pub fn read(dir: &Path) -> Bundle {
        let mut found = Vec::new();
        let truncated = walk(dir, "", 0, Texts::Read, &mut found);
        Bundle::read_found(dir, truncated, found)
    }

    /// [`Bundle::read`] of the folder `dir` as `listing` (made of it a
    /// moment before, nothing changed since) gives its entries: the same
    /// bundle, with the folder not listed again.
    pub fn read_listed(dir: &Path, listing: &Listing) -> Bundle {
        let mut found = Vec::new();
        let truncated = walk_listed(dir, "", 0, listing, Texts::Read, &mut found);
        Bundle::read_found(dir, truncated, found)
    }

    /// The bundle of the files a walk of `dir` found.
    fn read_found(dir: &Path, truncated: bool, mut found: Vec<Found>) -> Bundle {
        let mut bundle = Bundle {
            dir: dir.to_path_buf(),
            truncated,
            ..Bundle::default()
        };
        Found::sort(&mut found);
        bundle.stamp = found.iter().map(|f| (f.path.clone(), f.stamp.0, f.stamp.1)).collect();
        for Found { rel, path, stamp, text } in found {
            let (text, hidden) = match text.unwrap_or_else(|| read_text(&path, stamp.0)) {
                Some((text, scan_from)) => {
                    let hidden = hidden_lines(&text, scan_from);
                    (Some(text), hidden)
                }
                None => (None, Vec::new()),
            };
            bundle.files.push(BundledFile {
                rel,
                path,
                text,
                hidden,
                mentions: OnceLock::new(),
            });
        }
        for (i, f) in bundle.files.iter().enumerate() {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            let stem = name.split('.').next().unwrap_or(name);
            let mut keys = vec![f.rel.clone(), name.to_string()];
            if stem.len() >= 3 && stem != name {
                keys.push(stem.to_string());
            }
            for k in keys {
                // Case-insensitive: `REFERENCE.md` for `reference.md` still names the file the author meant.
                let k = k.to_lowercase();
                let last = k.rsplit('/').next().unwrap_or(&k).to_string();
                bundle.last_segments.insert(last);
                bundle.names.entry(k).or_default().push(i);
            }
        }
        let bits = (bundle.last_segments.len() * 16).next_power_of_two().max(64);
        bundle.signatures = vec![0; bits / 64];
        for name in &bundle.last_segments {
            let at = signature(name.as_bytes(), bits);
            bundle.signatures[at / 64] |= 1 << (at % 64);
        }
        bundle.lower_rels = (bundle.files.iter().enumerate())
            .map(|(i, f)| (f.rel.to_lowercase(), i))
            .collect();
        bundle.lower_rels.sort_unstable();
        bundle
    }

    /// Indexes of the other bundled files the text of file `i` mentions.
    pub fn mentions(&self, i: usize) -> &[usize] {
        self.files[i].mentions.get_or_init(|| {
            let f = &self.files[i];
            let base = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let mut m = f
                .text
                .as_deref()
                .map(|t| self.mentioned_in(t, base))
                .unwrap_or_default();
            m.remove(&i);
            m.into_iter().collect()
        })
    }

    /// Whether `token` (no wildcard, no trailing `/`) cannot name any file:
    /// every name it could match, as itself, from the mentioning file's
    /// folder or by its last segment, ends with that same last segment.
    fn names_nothing(&self, token: &str) -> bool {
        let last = last_segment(token);
        if matches!(last, "" | "." | "..") {
            // Normalising `a/..` ends with another segment: no shortcut.
            return false;
        }
        if !last.is_ascii() {
            return !self.last_segments.contains(last.to_lowercase().as_str());
        }
        // ASCII: lower-casing keeps the length and maps each byte alone.
        if !self.may_name(last) {
            return true;
        }
        if last.bytes().any(|b| b.is_ascii_uppercase()) {
            !self.last_segments.contains(last.to_ascii_lowercase().as_str())
        } else {
            !self.last_segments.contains(last)
        }
    }

    /// The files `name` names, matched in any case (lower-cased only when
    /// it has upper-case letters, so most lookups allocate nothing).
    fn named(&self, name: &str) -> Option<&Vec<usize>> {
        if name.is_ascii() && !name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.names.get(name)
        } else {
            self.names.get(name.to_lowercase().as_str())
        }
    }

    /// The files `text` mentions by path (from the skill's folder or from
    /// `base`, the folder of the mentioning file), by name or stem, or through
    /// a folder (`references/`) or a wildcard (`scripts/*.py`) holding them.
    ///
    /// Bundled references run to megabytes and most of their words name
    /// nothing, so the words are cut out in one loop over the bytes, and a
    /// plain ASCII word (no `/`, `*`, `#`) is dismissed there when its
    /// [`signature`] is no name's ([`Bundle::names_nothing`]'s first test, on
    /// the word as [`token_of`] would cut it). Every other word takes the
    /// full path of [`Bundle::mentioned_in_every_word`].
    pub fn mentioned_in(&self, text: &str, base: &str) -> BTreeSet<usize> {
        let bytes = text.as_bytes();
        let mut out = BTreeSet::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                if BYTE_KINDS[usize::from(b)] == SEPARATOR {
                    i += 1;
                    continue;
                }
            } else {
                let n = separator_len(text, i);
                if n > 0 {
                    i += n;
                    continue;
                }
            }
            let start = i;
            // Whether the word needs the full path: a `/`, `*` or `#`, or a
            // character beyond ASCII.
            let mut full = false;
            while i < bytes.len() {
                let b = bytes[i];
                if b.is_ascii() {
                    match BYTE_KINDS[usize::from(b)] {
                        SEPARATOR => break,
                        SPECIAL => full = true,
                        _ => {}
                    }
                    i += 1;
                } else {
                    if separator_len(text, i) > 0 {
                        break;
                    }
                    full = true;
                    i = word_end(text, i);
                    break;
                }
            }
            let word = &text[start..i];
            if !full && !self.may_name(word.trim_end_matches(['.', ':', '!', '?'])) {
                continue;
            }
            if let Some(token) = token_of(word) {
                self.mention(token, base, &mut out);
            }
        }
        out
    }

    /// [`Bundle::mentioned_in`] read the long way, every word of the text
    /// through the full path: the reference it is tested against.
    #[doc(hidden)]
    pub fn mentioned_in_every_word(&self, text: &str, base: &str) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        for token in words(text).filter_map(token_of) {
            self.mention(token, base, &mut out);
        }
        out
    }

    /// Whether the ASCII `name` may be one of the names a mention ends
    /// with, in any case: its [`signature`] is some name's.
    fn may_name(&self, name: &str) -> bool {
        if name.is_empty() || self.signatures.is_empty() {
            return false;
        }
        let at = signature(name.as_bytes(), self.signatures.len() * 64);
        self.signatures[at / 64] & (1 << (at % 64)) != 0
    }

    /// Adds to `out` the files `token` (a word of a text, [`token_of`]) names.
    fn mention(&self, token: &str, base: &str, out: &mut BTreeSet<usize>) {
        let mut token = token;
        while let Some(rest) = token.strip_prefix("./") {
            token = rest;
        }
        let token = token
            .strip_prefix("${CLAUDE_SKILL_DIR}/")
            .or_else(|| token.strip_prefix("{baseDir}/"))
            .unwrap_or(token);
        let pattern = token.as_bytes().contains(&b'*') || token.ends_with('/');
        if !pattern && self.names_nothing(token) {
            return;
        }
        // The token itself, from the mentioning file's folder, and its last segment.
        let from_base = (!base.is_empty()).then(|| normalize_rel(&format!("{base}/{token}")));
        for c in [Some(token), from_base.as_deref(), Some(last_segment(token))]
            .into_iter()
            .flatten()
        {
            if let Some(found) = self.named(c) {
                out.extend(found);
            }
        }
        // A folder (`references/`) or a wildcard (`scripts/*.py`) names what it holds.
        let prefix = match token.find('*') {
            Some(star) => Some(&token[..star]),
            None => token.ends_with('/').then_some(token),
        };
        if let Some(prefix) = prefix.filter(|p| p.contains('/') && p.len() > 1) {
            for c in [prefix.to_string(), normalize_rel(&format!("{base}/{prefix}"))] {
                let mut c = c.to_lowercase();
                if !c.ends_with('/') {
                    c.push('/');
                }
                out.extend(self.under(&c));
            }
        }
    }

    /// The files whose lower-cased path starts with `lower_prefix`.
    fn under<'a>(&'a self, lower_prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
        let start = self.lower_rels.partition_point(|(r, _)| r.as_str() < lower_prefix);
        self.lower_rels[start..]
            .iter()
            .take_while(move |(r, _)| r.starts_with(lower_prefix))
            .map(|&(_, i)| i)
    }

    /// The files reachable from `skill_text` through mentions, transitively.
    pub fn reachable(&self, skill_text: &str) -> Vec<bool> {
        let mut left = self.files.len();
        self.reachable_until(skill_text, |_| {
            left -= 1;
            left == 0
        })
    }

    /// [`Bundle::reachable`], told each file as it is reached (`enough`),
    /// stopping as soon as `enough` says nothing more is needed: the files
    /// reached so far are returned, and no further text is read. Bundled
    /// references run to megabytes; a skill that mentions the folder
    /// holding them (`references/`) reaches them all without reading them.
    pub fn reachable_until(&self, skill_text: &str, mut enough: impl FnMut(usize) -> bool) -> Vec<bool> {
        let mut seen = vec![false; self.files.len()];
        let mut stack = Vec::new();
        // Marked as reached when first mentioned, read later.
        let mut reach = |i: usize, seen: &mut Vec<bool>, stack: &mut Vec<usize>| -> bool {
            if std::mem::replace(&mut seen[i], true) {
                return false;
            }
            stack.push(i);
            enough(i)
        };
        for i in self.mentioned_in(skill_text, "") {
            if reach(i, &mut seen, &mut stack) {
                return seen;
            }
        }
        while let Some(i) = stack.pop() {
            for &j in self.mentions(i) {
                if reach(j, &mut seen, &mut stack) {
                    return seen;
                }
            }
        }
        seen
    }

    /// Whether the folder still holds the same files, unchanged since read
    /// (a listing and a `stat` per file, no reading).
    pub fn is_current(&self) -> bool {
        let mut found = Vec::new();
        let truncated = walk(&self.dir, "", 0, Texts::Left, &mut found);
        Found::sort(&mut found);
        truncated == self.truncated
            && found.len() == self.stamp.len()
            && found
                .iter()
                .zip(&self.stamp)
                .all(|(f, (q, len, time))| f.path == *q && f.stamp.0 == *len && f.stamp.1 == *time)
    }

    /// What the bundle read, comparable: whether it stopped at the limit,
    /// each file's stamp and text.
    #[cfg(test)]
    pub(crate) fn read_as(&self) -> String {
        let texts: Vec<_> = self.files.iter().map(|f| (&f.rel, &f.text)).collect();
        format!("{} {:?} {texts:?}", self.truncated, self.stamp)
    }

    pub fn file(&self, rel: &str) -> Option<&BundledFile> {
        self.files.iter().find(|f| f.rel == rel)
    }
}

/// The part of a word (of [`words`]) that may be a path, if any: emphasis
/// around it (`**name.tex**`), trailing sentence punctuation and a
/// `#fragment` dropped.
fn token_of(word: &str) -> Option<&str> {
    let t = word.trim_matches('*').trim_end_matches(['.', ':', '!', '?', '#', '*']);
    let t = t.as_bytes().iter().position(|&b| b == b'#').map_or(t, |i| &t[..i]);
    (!t.is_empty()).then_some(t)
}

/// The non-empty pieces of `text` between [`is_separator`] characters.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < text.len() {
            let n = separator_len(text, i);
            if n == 0 {
                break;
            }
            i += n;
        }
        if i >= text.len() {
            return None;
        }
        let start = i;
        i = word_end(text, i);
        Some(&text[start..i])
    })
}

/// The length of the separator at byte `at` of `text`, or 0 for a word
/// character. Through ASCII a table lookup; beyond it the character is
/// decoded, since it may be Unicode white space.
fn separator_len(text: &str, at: usize) -> usize {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        usize::from(BYTE_KINDS[usize::from(b)] == SEPARATOR)
    } else {
        let c = text[at..].chars().next().unwrap_or(' ');
        if is_separator(c) {
            c.len_utf8()
        } else {
            0
        }
    }
}

/// Where the word going on at byte `at` (a character boundary) ends.
fn word_end(text: &str, mut at: usize) -> usize {
    while at < text.len() && separator_len(text, at) == 0 {
        // A word character: skip the rest of its bytes too.
        at += 1;
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
    }
    at
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '`' | '"' | '\'' | '(' | ')' | '[' | ']' | '<' | '>' | ',' | ';' | '|' | '=' | '{' | '}'
        )
}

/// What each ASCII byte is to a word: part of it, a separator between
/// words ([`is_separator`]), or part of it and a reason to read it in full
/// (`/`, `*`, `#`: a path, a wildcard, a fragment).
const WORD: u8 = 0;
const SEPARATOR: u8 = 1;
const SPECIAL: u8 = 2;
static BYTE_KINDS: [u8; 128] = {
    let mut t = [WORD; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        if c.is_ascii_whitespace()
            || b == 0x0B
            || matches!(
                c,
                '`' | '"' | '\'' | '(' | ')' | '[' | ']' | '<' | '>' | ',' | ';' | '|' | '=' | '{' | '}'
            )
        {
            t[b] = SEPARATOR;
        } else if matches!(c, '/' | '*' | '#') {
            t[b] = SPECIAL;
        }
        b += 1;
    }
    t
};

/// What follows the last `/` of `path` (all of it without one).
fn last_segment(path: &str) -> &str {
    path.as_bytes()
        .iter()
        .rposition(|&b| b == b'/')
        .map_or(path, |i| &path[i + 1..])
}

/// `a/./b/../c` → `a/c`, on `/`-separated relative paths.
fn normalize_rel(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    let mut s = out.join("/");
    if p.ends_with('/') {
        s.push('/');
    }
    s
}

pub(crate) const SKIPPED_DIRS: &[&str] = &["node_modules", "__pycache__", ".git", "target", ".venv", "venv"];

type Stamp = (PathBuf, u64, Option<std::time::SystemTime>);
/// A file's size and modification time, as its entry in a listing records them.
type SizeAndTime = (u64, Option<std::time::SystemTime>);

/// The entries of a folder as one listing gives them: names and kinds (the
/// listing's own file types, no `stat` each), sorted by name, at most
/// [`super::MAX_DIR_ENTRIES`]. Kept apart from the open folder, so that a
/// listing made early (see [`super::Workspace::offer_listing`]) holds no
/// file descriptor; and small (one allocation), since `check` keeps one
/// for each skill until it is checked.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The entries in byte order of their names, each its [`Type`]'s byte,
    /// its name, and a NUL (which no name holds). Only names that are
    /// UTF-8: the others are no bundled file's.
    entries: Box<str>,
    /// Every entry of the folder is here: none past the limit, none the
    /// listing failed to read, none left out for its name.
    complete: bool,
    /// Listings of sub-folders made with this one (by `check`'s walk, of
    /// the folders a bundle reads), by name: the bundle lists them no more.
    subs: Vec<(Box<str>, Listing)>,
}

impl Listing {
    /// Lists `dir`; `None` when it cannot be listed.
    pub fn read(dir: &Path) -> Option<Listing> {
        super::raw_dir::RawDir::read(dir).ok().map(|raw| Listing::of(&raw))
    }

    /// The listing of a folder read already: its first
    /// [`super::MAX_DIR_ENTRIES`] entries whose type is known, in the order
    /// read, as [`Listing::read`] gives them.
    pub(crate) fn of(raw: &super::raw_dir::RawDir) -> Listing {
        let mut complete = raw.error.is_none();
        let mut entries = Vec::new();
        let mut taken = 0;
        for (name, kind) in raw.iter() {
            if taken == super::MAX_DIR_ENTRIES {
                complete = false;
                break;
            }
            let Ok(kind) = kind else {
                complete = false;
                continue;
            };
            taken += 1;
            match name.to_str() {
                Some(name) => entries.push((name, *kind)),
                None => complete = false,
            }
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut packed = String::with_capacity(entries.iter().map(|(n, _)| n.len() + 2).sum());
        for (name, kind) in &entries {
            packed.push(char::from(*kind as u8));
            packed.push_str(name);
            packed.push('\0');
        }
        Listing {
            entries: packed.into_boxed_str(),
            complete,
            subs: Vec::new(),
        }
    }

    /// Keeps `listing`, of the sub-folder `name`, made with this one.
    pub(crate) fn add_sub(&mut self, name: &str, listing: Listing) {
        self.subs.push((name.into(), listing));
    }

    /// The listing of the sub-folder `name` made with this one, if any.
    fn sub(&self, name: &str) -> Option<&Listing> {
        self.subs.iter().find(|(n, _)| &**n == name).map(|(_, l)| l)
    }

    /// How many listings of sub-folders (at any depth) came with this one.
    #[cfg(test)]
    pub(crate) fn subs_within(&self) -> usize {
        self.subs.iter().map(|(_, l)| 1 + l.subs_within()).sum()
    }

    /// The listing without the sub-folders' (what [`Listing::read`] gives).
    #[cfg(test)]
    pub(crate) fn own(&self) -> (&str, bool) {
        (&self.entries, self.complete)
    }

    /// The entries, in byte order of their names.
    fn entries(&self) -> impl Iterator<Item = (&str, Type)> {
        (self.entries.split_terminator('\0')).map(|e| (&e[1..], Type::from_byte(e.as_bytes()[0])))
    }

    /// The kind of the entry named `name`, if the listing holds it.
    fn kind(&self, name: &str) -> Option<Type> {
        self.entries().find(|(n, _)| *n == name).map(|(_, k)| k)
    }

    /// Whether the folder surely has no entry named `name`: false when it
    /// has one, or when the listing is not complete.
    pub fn lacks(&self, name: &str) -> bool {
        self.complete && self.kind(name).is_none()
    }

    /// Whether `dir` (the listed folder) holds a `SKILL.md`, as
    /// `dir.join("SKILL.md").exists()` says, asked of the file system only
    /// when the listing cannot tell (a link, which may dangle, or an
    /// incomplete listing).
    fn holds_skill(&self, dir: &Path) -> bool {
        match self.kind("SKILL.md") {
            Some(Type::Link) => dir.join("SKILL.md").exists(),
            Some(_) => true,
            None if self.complete => false,
            None => dir.join("SKILL.md").exists(),
        }
    }
}

/// A bundled file as a walk found it.
#[derive(Debug, PartialEq)]
struct Found {
    /// Path from the skill's folder, with `/`.
    rel: String,
    path: PathBuf,
    stamp: SizeAndTime,
    /// Its text (if it is one, see [`read_text`]) when the walk read it
    /// already; `None` when it is yet to be read.
    text: Option<Text>,
}

/// A bundled file's text, if it is one, and where the scan for hidden
/// characters in it starts, if anywhere (see [`hidden::decode`]).
type Text = Option<(String, Option<usize>)>;

impl Found {
    /// In the order of their paths from the skill's folder (and, for two
    /// spelt alike, `a\b` and `a/b`, of their paths).
    fn sort(found: &mut [Found]) {
        found.sort_by(|a, b| (&a.rel, &a.path).cmp(&(&b.rel, &b.path)));
    }
}

/// Whether a walk reads the files it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Texts {
    /// Each regular file is opened as it is found and its size and time
    /// taken from the open file, then its text read: one walk of its path
    /// instead of two (a `stat`, then an `open`). A link is read later, by
    /// path.
    Read,
    /// Only sizes and times (a `stat` each): whether a bundle is current.
    Left,
}

/// Collects files under `dir` (at `rel_dir` in the skill's folder: `""`
/// or a path ending with `/`) into `out` with their size and modification
/// time, and as `texts` says their texts; true when it stopped at
/// [`MAX_FILES`].
fn walk(dir: &Path, rel_dir: &str, depth: usize, texts: Texts, out: &mut Vec<Found>) -> bool {
    match Listing::read(dir) {
        Some(listing) => walk_listed(dir, rel_dir, depth, &listing, texts, out),
        None => false,
    }
}

/// The path from the skill's folder of the entry `name` of the folder at
/// `rel_dir` there, with `/` (also for a `\` in a name, as the path's
/// text with every `\` replaced): built as the walk goes down, where
/// stripping the skill's folder from each path compared them component by
/// component.
fn rel_of(rel_dir: &str, name: &str) -> String {
    let mut rel = String::with_capacity(rel_dir.len() + name.len());
    rel.push_str(rel_dir);
    for (i, part) in name.split('\\').enumerate() {
        if i > 0 {
            rel.push('/');
        }
        rel.push_str(part);
    }
    rel
}

/// [`walk`] of a folder already listed. A sub-folder is listed before it
/// is asked whether it holds a `SKILL.md` (another skill, left out): its
/// listing says so, with no `stat`, for every folder but such a skill's.
fn walk_listed(dir: &Path, rel_dir: &str, depth: usize, listing: &Listing, texts: Texts, out: &mut Vec<Found>) -> bool {
    for (name, kind) in listing.entries() {
        if name.starts_with('.') {
            continue;
        }
        // The skill's own file is no bundled file, nor is a link of that
        // name (a folder of that name is walked).
        if depth == 0 && name == "SKILL.md" && kind != Type::Dir {
            continue;
        }
        let path = dir.join(name);
        // The listing's kind is the entry's own (not following a link, as
        // `symlink_metadata`).
        if kind == Type::Dir {
            if depth + 1 >= MAX_DEPTH || SKIPPED_DIRS.contains(&name) {
                continue;
            }
            let read;
            let sub = match listing.sub(name) {
                Some(sub) => sub,
                None => match Listing::read(&path) {
                    Some(sub) => {
                        read = sub;
                        &read
                    }
                    None => continue,
                },
            };
            if sub.holds_skill(&path) {
                continue;
            }
            let mut sub_rel = rel_of(rel_dir, name);
            sub_rel.push('/');
            if walk_listed(&path, &sub_rel, depth + 1, sub, texts, out) {
                return true;
            }
        } else if matches!(kind, Type::File | Type::Link) {
            let Some((meta, opened)) = look_at(&path, kind, texts) else {
                continue;
            };
            if out.len() >= MAX_FILES {
                return true;
            }
            let rel = rel_of(rel_dir, name);
            let text = opened.map(|file| read_text_of(file, meta.len()));
            out.push(Found {
                rel,
                path,
                stamp: (meta.len(), meta.modified().ok()),
                text,
            });
        }
    }
    false
}

/// The metadata of the entry at `path` of the listed `kind` when it is a
/// bundled file (a regular file, or a link to one), and the file opened
/// when `texts` asks for it to be read and it could be opened plain (see
/// [`super::read::open_plain`]). One `stat` otherwise: of the file itself,
/// or where a link leads.
fn look_at(path: &Path, kind: Type, texts: Texts) -> Option<(std::fs::Metadata, Option<std::fs::File>)> {
    if kind == Type::File && texts == Texts::Read {
        match super::read::open_plain(path) {
            Ok(Some((file, meta))) => return Some((meta, Some(file))),
            // No longer a regular file: no bundled file, as an `lstat` would say.
            Ok(None) => return None,
            // Gone, a link now, unreadable: asked of by path, as before.
            Err(_) => {}
        }
    }
    let meta = match kind {
        Type::File => std::fs::symlink_metadata(path),
        _ => std::fs::metadata(path),
    };
    meta.ok().filter(std::fs::Metadata::is_file).map(|meta| (meta, None))
}

/// The text of the file at `path` of `len` bytes (its size as a `stat`
/// gave it, so no second one), when it is one: see [`read_text_of`].
fn read_text(path: &Path, len: u64) -> Text {
    if len > MAX_TEXT_BYTES {
        return None;
    }
    read_text_of(std::fs::File::open(path).ok()?, len)
}

/// The text of the open `file` of `len` bytes, when it is one: small
/// enough, no NUL byte, valid UTF-8. Read into a buffer of its own, which
/// a text keeps (no copy).
fn read_text_of(file: std::fs::File, len: u64) -> Text {
    if len > MAX_TEXT_BYTES {
        return None;
    }
    hidden::decode(super::read::read_owned(&file, len).ok()?)
}

/// The hidden runs of `text` and their lines, scanned from `scan_from`
/// (before it, no run starts: [`hidden::decode`]).
fn hidden_lines(text: &str, scan_from: Option<usize>) -> Vec<(usize, HiddenRun)> {
    let Some(from) = scan_from else {
        return Vec::new();
    };
    let runs = hidden::scan(text, TextRange::new(from, text.len()));
    if runs.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    runs.into_iter()
        .map(|r| {
            (
                index.position(text, r.range.start, crate::text::Encoding::Utf16).line as usize + 1,
                r,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn words_are_what_splitting_at_separators_gives(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("refs/x.md"), Just(" "), Just("\t"), Just("\n"), Just("\u{0B}"), Just("\u{0C}"),
                    Just("\u{A0}"), Just("\u{2003}"), Just("\u{3000}"), Just("\u{85}"), Just("é"), Just("日"),
                    Just("`"), Just("("), Just("]"), Just("="), Just("|"), Just("*"), Just("#"), Just("."),
                ],
                0..30,
            ),
        ) {
            let text: String = parts.concat();
            let split: Vec<&str> = text.split(is_separator).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), split);
        }
    }

    #[test]
    fn mentions_reach_files_transitively_and_through_folders() {
        let dir = test_corpus::scratch_dir("skill-core-bundle");
        std::fs::create_dir_all(dir.join("references")).unwrap();
        std::fs::create_dir_all(dir.join("scripts")).unwrap();
        std::fs::create_dir_all(dir.join("nested")).unwrap();
        std::fs::write(dir.join("SKILL.md"), "x").unwrap();
        std::fs::write(dir.join("references/api.md"), "See [forms](forms.md).").unwrap();
        std::fs::write(dir.join("references/forms.md"), "forms").unwrap();
        std::fs::write(dir.join("references/orphan.md"), "alone").unwrap();
        std::fs::write(dir.join("scripts/a.py"), "print()").unwrap();
        std::fs::write(dir.join("nested/SKILL.md"), "another skill").unwrap();
        let b = Bundle::read(&dir);
        let rels: Vec<&str> = b.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "references/api.md",
                "references/forms.md",
                "references/orphan.md",
                "scripts/a.py"
            ]
        );
        let seen = b.reachable("Read `references/api.md`, then run any of scripts/*.py.");
        assert_eq!(seen, [true, true, false, true]);
        // Names, stems and paths match in any case; a word of the same
        // length or first letter that names no file matches nothing.
        let found = |t: &str| b.mentioned_in(t, "").into_iter().collect::<Vec<_>>();
        assert_eq!(found("See API.MD, then Forms and ././References/Orphan.md"), [0, 1, 2]);
        assert_eq!(found("formx forms.mdx apix orphans a.pyc"), Vec::<usize>::new());
        assert_eq!(found("Räksmörgås api"), [0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The walk as it was before folders were listed with their kinds: a
    /// `stat` of each entry, and of `SKILL.md` in each sub-folder.
    fn walk_by_stat(root: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, PathBuf, SizeAndTime)>) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        let mut entries: Vec<_> = entries.flatten().take(crate::workspace::MAX_DIR_ENTRIES).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if name.starts_with('.') || (depth == 0 && name == "SKILL.md" && !meta.is_dir()) {
                continue;
            }
            if meta.is_dir() {
                let skipped = depth + 1 >= MAX_DEPTH || SKIPPED_DIRS.contains(&name);
                if !skipped && !path.join("SKILL.md").exists() && walk_by_stat(root, &path, depth + 1, out) {
                    return true;
                }
            } else if meta.is_file() || (meta.file_type().is_symlink() && path.is_file()) {
                if out.len() >= MAX_FILES {
                    return true;
                }
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                let meta = std::fs::metadata(&path).unwrap();
                out.push((rel, path, (meta.len(), meta.modified().ok())));
            }
        }
        false
    }

    /// The walk by the listing's kinds finds what a `stat` of every entry
    /// finds, from a fresh listing and from one offered: on a folder of
    /// links (to files, folders, a `SKILL.md`, nothing), nested skills,
    /// skipped and hidden folders, and on the corpus's skill folders.
    #[test]
    fn walking_by_the_listings_kinds_finds_what_stats_find() {
        let dir = test_corpus::scratch_dir("skill-core-bundle-kinds");
        for sub in [
            "a/deep/er",
            "SKILL.md",
            "node_modules/x",
            ".hidden",
            "nested",
            "linked-skill",
            "other",
        ] {
            std::fs::create_dir_all(dir.join("skill").join(sub)).unwrap();
        }
        let file = |rel: &str| std::fs::write(dir.join("skill").join(rel), rel).unwrap();
        for rel in [
            "SKILL.md/inside.md",
            "a/x.md",
            "a/deep/er/y.py",
            "node_modules/x/z.js",
            ".hidden/h.md",
        ] {
            file(rel);
        }
        file("nested/SKILL.md");
        file("nested/n.md");
        file("other/o.md");
        file(".dot.md");
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("a/x.md", dir.join("skill/link.md")).unwrap();
            symlink("a", dir.join("skill/link-dir")).unwrap();
            symlink("missing.md", dir.join("skill/dangling.md")).unwrap();
            symlink("../nested/SKILL.md", dir.join("skill/linked-skill/SKILL.md")).unwrap();
            symlink("../missing/SKILL.md", dir.join("skill/other/SKILL.md")).unwrap();
        }
        // A name with a backslash: its path from the skill's folder says `/`.
        #[cfg(unix)]
        file("a/back\\slash.md");
        // A pipe (no bundled file, never opened) and a file that cannot be
        // opened (a bundled file with no text, as by path).
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::PermissionsExt;
            let pipe = dir.join("skill/a/pipe.md");
            rustix::fs::mknodat(rustix::fs::CWD, &pipe, rustix::fs::FileType::Fifo, 0o644.into(), 0).unwrap();
            file("a/secret.md");
            let secret = dir.join("skill/a/secret.md");
            std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
        let mut folders = vec![dir.join("skill")];
        if let Some(root) = crate::testing::corpus::root("forge") {
            let skills = std::fs::read_dir(root.join("skills")).unwrap();
            folders.extend(skills.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
        }
        for folder in &folders {
            let mut by_stat = Vec::new();
            let stopped = walk_by_stat(folder, folder, 0, &mut by_stat);
            for texts in [Texts::Read, Texts::Left] {
                let mut by_kind = Vec::new();
                assert_eq!(walk(folder, "", 0, texts, &mut by_kind), stopped);
                let found: Vec<_> = by_kind
                    .iter()
                    .map(|f| (f.rel.clone(), f.path.clone(), f.stamp))
                    .collect();
                assert_eq!(found, by_stat, "{}", folder.display());
                // A text read as the file was found (every file but a
                // link or one that cannot be opened, on Linux) is what
                // reading it by path gives; a walk that reads nothing
                // leaves them all.
                for f in &by_kind {
                    let link = f.path.symlink_metadata().unwrap().is_symlink();
                    let opens = std::fs::File::open(&f.path).is_ok();
                    let read = texts == Texts::Read && !link && opens && cfg!(target_os = "linux");
                    assert_eq!(f.text.is_some(), read, "{}", f.path.display());
                    if let Some(text) = &f.text {
                        assert_eq!(*text, read_text(&f.path, f.stamp.0));
                    }
                }
            }
            let listed = Bundle::read_listed(folder, &Listing::read(folder).unwrap());
            let read = Bundle::read(folder);
            assert_eq!(listed.stamp, read.stamp);
            let texts = |b: &Bundle| {
                b.files
                    .iter()
                    .map(|f| (f.rel.clone(), f.text.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(texts(&listed), texts(&read));
        }
        #[cfg(target_os = "linux")]
        {
            let rels: Vec<String> = Bundle::read(&dir.join("skill"))
                .files
                .into_iter()
                .map(|f| f.rel)
                .collect();
            assert_eq!(
                rels,
                [
                    "SKILL.md/inside.md",
                    "a/back/slash.md",
                    "a/deep/er/y.py",
                    "a/secret.md",
                    "a/x.md",
                    "link.md",
                    "other/o.md"
                ]
            );
        }
        let listing = Listing::read(&dir.join("skill")).unwrap();
        assert!(listing.lacks("skill-lsp.toml") && !listing.lacks("a") && !listing.lacks(".dot.md"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(normalize_rel("references/../scripts/./a.py"), "scripts/a.py");
        assert_eq!(normalize_rel("a/b/"), "a/b/");
    }
}
