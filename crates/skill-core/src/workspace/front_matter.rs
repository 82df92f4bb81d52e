//! A skill's `name` and `description` as indexing reads them: from the
//! start of its file, as cheaply as gives the answer of the full parse.
//!
//! Indexing a root reads every skill's front matter, and for a root of tens
//! of thousands of skills that reading was nearly all of the time before the
//! first diagnostics. Two things keep it small without changing an answer:
//!
//! - **A short first read.** The first [`FIRST_READ`] bytes are read; when
//!   the front matter closes within them (nearly always) nothing more is.
//!   Nothing after the closing fence changes where the block is
//!   ([`frontmatter::locate`]). Otherwise up to [`FRONT_MATTER_BYTES`] are
//!   read, as before.
//! - **Only the YAML up to the two keys.** When every line at the left
//!   margin is a plain `key:` (or blank, or a comment) and `name` and
//!   `description` each appear at most once, the YAML is parsed only up to
//!   the first key after them. Values before a key at the margin are
//!   complete there, and nothing later in a mapping changes an earlier key,
//!   so the two values are those of the whole block; a prefix that parses
//!   with any error is parsed whole instead. An index that drops the
//!   descriptions ([`Descriptions::Dropped`], what `check` builds) parses
//!   up to the first key after `name` alone: the description, most of a
//!   front matter, is then not read at all.

use std::io::Read;
use std::path::Path;

use super::read::{read_expecting, with_read};
use super::{Descriptions, FRONT_MATTER_BYTES};
use crate::syntax::{frontmatter, yaml};
use crate::text::TextRange;

/// How much of a skill is read first: a front matter is a few hundred bytes.
const FIRST_READ: usize = 4 * 1024;

/// A skill's `name` and `description`, each when it has one.
pub(super) type NameAndDescription = (Option<String>, Option<String>);

/// `name` and `description` (or `None` for it, when `descriptions` drops
/// it) from the first [`FRONT_MATTER_BYTES`] of the skill at `path`, of
/// `len` bytes.
pub(super) fn fields(path: &Path, len: u64, descriptions: Descriptions) -> Option<NameAndDescription> {
    let mut file = std::fs::File::open(path).ok()?;
    let whole = len.min(FRONT_MATTER_BYTES);
    // One read call when the file is as long as its size said.
    let first = FIRST_READ as u64;
    let mut bytes = read_expecting((&mut file).take(first), whole.min(first)).ok()?;
    if let Some(settled) = settled_early(&bytes, descriptions) {
        return settled;
    }
    if bytes.len() == FIRST_READ {
        let rest = FRONT_MATTER_BYTES - first;
        bytes.extend(read_expecting(file.take(rest), whole.saturating_sub(first)).ok()?);
    }
    from_start(&bytes, descriptions)
}

/// [`fields`] of a skill of `len` bytes (at most [`super::MAX_FILE_BYTES`]),
/// reading the whole file, and whether its bytes name `skillInvoker` (see
/// [`super::graph::may_invoke`]): the index then knows which few skills the
/// skill graph must read again. `(None, false)` when it cannot be read.
pub(super) fn fields_and_invokes(
    path: &Path,
    len: u64,
    descriptions: Descriptions,
) -> (Option<NameAndDescription>, bool) {
    match std::fs::File::open(path) {
        Ok(file) => fields_and_invokes_of(file, len, descriptions),
        Err(_) => (None, false),
    }
}

/// [`fields_and_invokes`] of the skill `file`, opened already (to learn
/// its size), of `len` bytes.
pub(super) fn fields_and_invokes_of(
    file: std::fs::File,
    len: u64,
    descriptions: Descriptions,
) -> (Option<NameAndDescription>, bool) {
    // As many bytes as the size said, in one read call: a file that grew
    // since is read as it was a moment before, as by any earlier reader.
    // Looked at where it was read, with no copy.
    let read = with_read(file.take(len), len, |bytes| {
        // The whole start is at hand: one location of the block, in the
        // bytes up to its first fence line after the opening one, found
        // before decoding. Nothing after it changes the block, and the body
        // (most of a skill) is then neither checked as UTF-8 nor scanned for
        // carriage returns.
        let start = &bytes[..bytes.len().min(FRONT_MATTER_BYTES as usize)];
        let front = &start[..frontmatter::read_end_of_bytes(start)];
        (from_start(front, descriptions), super::graph::may_invoke(bytes))
    });
    read.unwrap_or((None, false))
}

/// The answer from the first [`FIRST_READ`] bytes of a skill (`bytes`
/// starts the file) when they settle it: the lines they hold whole close
/// the front matter, and nothing after the closing fence changes it.
fn settled_early(bytes: &[u8], descriptions: Descriptions) -> Option<Option<NameAndDescription>> {
    let first = bytes.get(..FIRST_READ)?;
    let lines = first.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let text = decode(&first[..lines]);
    let block = frontmatter::locate(&text).filter(|b| b.close.is_some())?;
    Some(from_block(&text, block, descriptions))
}

/// `name` and `description` (as `descriptions` says) from `bytes`, the
/// file's first bytes, up to [`FRONT_MATTER_BYTES`].
fn from_start(bytes: &[u8], descriptions: Descriptions) -> Option<NameAndDescription> {
    let text = decode(bytes);
    let block = frontmatter::locate(&text)?;
    from_block(&text, block, descriptions)
}

/// The text of `bytes` with lone `\r` read as `\n`, as the parse reads it:
/// `bytes` themselves when that changes nothing (nearly always), with no copy.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    // Valid UTF-8 (nearly always) is checked by the fast path; only a
    // damaged file, or a read that split a character, pays for replacement.
    match std::str::from_utf8(bytes) {
        Ok(text) => crate::text::with_bare_cr_as_lf(text),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            std::borrow::Cow::Owned(crate::text::with_bare_cr_as_lf(&text).into_owned())
        }
    }
}

/// `name` and `description` of the front matter `block` of `text`; no
/// description when `descriptions` drops it.
fn from_block(
    text: &str,
    block: frontmatter::FrontMatterBlock,
    descriptions: Descriptions,
) -> Option<NameAndDescription> {
    let parsed = key_prefix(text, block.yaml, wanted(descriptions))
        .map(|prefix| yaml::parse(text, prefix, yaml::YamlLimits::default()))
        .filter(|(_, errors)| errors.is_empty())
        .unwrap_or_else(|| yaml::parse(text, block.yaml, yaml::YamlLimits::default()));
    let root = parsed.0?;
    let get = |k: &str| root.get(k).and_then(|n| n.as_str()).map(|s| s.trim().to_string());
    let description = match descriptions {
        Descriptions::Kept => get("description"),
        Descriptions::Dropped => None,
    };
    Some((get("name"), description))
}

/// The keys whose values indexing wants.
fn wanted(descriptions: Descriptions) -> &'static [&'static [u8]] {
    match descriptions {
        Descriptions::Kept => &[b"name", b"description"],
        Descriptions::Dropped => &[b"name"],
    }
}

/// The start of `yaml` up to the first key at the left margin after every
/// key of `wanted` (at most two), when the block is plain enough for that
/// prefix to give their values (see the module's docs); `None` otherwise.
fn key_prefix(text: &str, yaml: TextRange, wanted: &[&[u8]]) -> Option<TextRange> {
    let block = text.get(yaml.start..yaml.end)?.as_bytes();
    let mut seen = [false; 2];
    // A key not wanted counts as seen.
    seen[wanted.len()..].fill(true);
    let mut end = None;
    let mut at = 0;
    // Lines by the vector search for their ends: a front matter's lines
    // are short, and a `char` pattern's searcher costs more to set up.
    while at < block.len() {
        let start = at;
        at = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i + 1);
        let line = &block[start..at];
        if matches!(line[0], b' ' | b'\n' | b'\r' | b'#') {
            continue; // nested content, a value's continuation, blank, or a comment
        }
        let key = plain_key(line)?;
        if seen == [true, true] && end.is_none() {
            end = Some(yaml.start + start);
        }
        for (i, wanted) in wanted.iter().enumerate() {
            if key == *wanted {
                if seen[i] {
                    return None; // twice: which one counts is for the parser to say
                }
                seen[i] = true;
            }
        }
    }
    end.map(|end| TextRange::new(yaml.start, end))
}

/// The key of a line `key: ...` or `key:` whose key is letters, digits,
/// `_`, `-` or `.`; `None` for any other line (a quoted or complex key, a
/// merge, a sequence item, a fence, a continuation at the margin).
fn plain_key(line: &[u8]) -> Option<&[u8]> {
    let colon = memchr::memchr(b':', line)?;
    let key = &line[..colon];
    let after = line.get(colon + 1);
    let plain = !key.is_empty()
        && key
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && matches!(after, None | Some(b' ' | b'\n' | b'\r'));
    plain.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ways of reading: the prefix, and the whole block.
    fn both(text: &str) -> (Option<NameAndDescription>, Option<NameAndDescription>) {
        let block = frontmatter::locate(text).unwrap();
        let whole = yaml::parse(text, block.yaml, yaml::YamlLimits::default())
            .0
            .map(|root| {
                let get = |k: &str| root.get(k).and_then(|n| n.as_str()).map(|s| s.trim().to_string());
                (get("name"), get("description"))
            });
        let fast = from_block(text, block.clone(), Descriptions::Kept);
        // Without the description, the name is still the whole block's.
        let name_only = from_block(text, block, Descriptions::Dropped);
        assert_eq!(name_only, whole.clone().map(|(name, _)| (name, None)), "{text:?}");
        (fast, whole)
    }

    #[test]
    fn the_prefix_gives_what_the_whole_block_gives() {
        let cases = [
            "---\nname: a\ndescription: Does a.\nversion: 1\nmeta:\n  x: [1, 2]\n---\n# A\n",
            "---\nname: a\ndescription: >\n  Folded\n  text.\nother: 1\n---\n",
            "---\ndescription: \"quoted: yes\"\nname: 'b'\ntags: [a,\n  b]\n---\n",
            "---\nname: a\ndescription: Use it. Triggers: x\nversion: 1\n---\n",
            "---\nname: a\nversion: 1\nname: b\ndescription: d\n---\n",
            "---\nname: &n a\ndescription: *n\nz: 1\n---\n",
            "---\n<<: {name: m}\nname: a\ndescription: d\nz: 1\n---\n",
            "---\nname: a\ndescription: \"open\nz: 1\n---\n",
            "---\nname: a\n# description: no\ndescription: multi\n  line\nz: 1\n---\n",
            "---\n\"name\": q\nname: a\ndescription: d\nz: 1\n---\n",
            "---\nname: a\ndescription: d\n  - not: valid\nz: 1\n---\n",
            "---\nname:\ndescription:\nz: 1\n---\n",
            "---\nversion: 1\n---\n",
        ];
        for text in cases {
            let (fast, whole) = both(text);
            assert_eq!(fast, whole, "{text:?}");
        }
    }

    #[test]
    fn plain_blocks_are_cut_after_the_two_keys() {
        let text = "---\nname: a\ndescription: d\n  more\nversion: 1\nmeta:\n  x: 1\n---\n";
        let block = frontmatter::locate(text).unwrap();
        let prefix = key_prefix(text, block.yaml, wanted(Descriptions::Kept)).unwrap();
        assert_eq!(&text[prefix.start..prefix.end], "name: a\ndescription: d\n  more\n");
        // Without descriptions, after the name.
        let prefix = key_prefix(text, block.yaml, wanted(Descriptions::Dropped)).unwrap();
        assert_eq!(&text[prefix.start..prefix.end], "name: a\n");
        // A key twice, or a line at the margin that is no plain key: parsed whole.
        for text in [
            "---\nname: a\ndescription: d\nname: b\n---\n",
            "---\nname: a\ndescription: d\n? x\n---\n",
        ] {
            let block = frontmatter::locate(text).unwrap();
            assert_eq!(
                key_prefix(text, block.yaml, wanted(Descriptions::Kept)),
                None,
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_long_skill_is_read_as_far_as_its_front_matter() {
        let dir = test_corpus::scratch_dir("skill-core-front");
        let path = dir.join("SKILL.md");
        let body = "Prose line.\n".repeat(FIRST_READ);
        // Closed within the first read, and a front matter longer than it.
        let long_description = "word ".repeat(FIRST_READ / 4);
        for (front, want) in [
            ("name: a\ndescription: d\n".to_string(), Some("d".to_string())),
            (
                format!("name: a\ndescription: {long_description}\n"),
                Some(long_description.trim().to_string()),
            ),
        ] {
            let text = format!("---\n{front}---\n{body}");
            std::fs::write(&path, &text).unwrap();
            let got = fields(&path, text.len() as u64, Descriptions::Kept).unwrap();
            assert_eq!(got, (Some("a".to_string()), want));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// What generated skills are made of: lines of front matter and of
    /// Markdown, fences, CR, CRLF and lone CR ends, bytes that are no UTF-8.
    const PIECES: &[&[u8]] = &[
        b"---\n",
        b"---",
        b"...\n",
        b"--- \r\n",
        b"name: a\n",
        b"description: d\n",
        b"description: >\n  folded\n",
        b"\r",
        b"\r\n",
        b"\n",
        b"\xff",
        b"\xc3",
        b"\xc3\xa9",
        b"# Title\n",
        b"Prose, text.\n",
        b"## usage: x\n",
        b"  - x\n",
        b"tags: [a,\n",
        b"x ---\n",
        b"|---|\n",
        b"skillInvoker",
    ];

    proptest::proptest! {
        /// The skill read through the file as indexing reads it, and its
        /// start up to the first fence line found in its bytes, give what
        /// the whole start (the first [`FRONT_MATTER_BYTES`]) gives: also
        /// with fences past the first read and past that limit, an unclosed
        /// block, and a file that is no UTF-8.
        #[test]
        fn the_start_to_the_first_fence_gives_what_the_whole_start_gives(
            parts in proptest::collection::vec((proptest::sample::select(PIECES), 0usize..4), 0..24),
            opened in proptest::prelude::any::<bool>(),
        ) {
            let mut bytes = if opened { b"---\n".to_vec() } else { Vec::new() };
            for (piece, times) in parts {
                // Now and then a piece thousands of times: past the first
                // read, and past the front matter's limit.
                bytes.extend(piece.repeat([1, 2, 300, 5000][times]));
            }
            let start = &bytes[..bytes.len().min(FRONT_MATTER_BYTES as usize)];
            let whole = from_start(start, Descriptions::Kept);
            let front = &start[..frontmatter::read_end_of_bytes(start)];
            proptest::prop_assert_eq!(&from_start(front, Descriptions::Kept), &whole);
            let dir = test_corpus::scratch_dir("skill-core-front-generated");
            let path = dir.join("SKILL.md");
            std::fs::write(&path, &bytes).unwrap();
            let len = bytes.len() as u64;
            let got = fields_and_invokes(&path, len, Descriptions::Kept);
            std::fs::remove_dir_all(&dir).unwrap();
            proptest::prop_assert_eq!(got, (whole, super::super::graph::may_invoke(&bytes)));
        }
    }

    /// A skill file opened plain is found as asking of it by path finds
    /// it (size, link or not), and read as its path reads: a regular file,
    /// links to a file inside the root and out of it, a folder, a pipe
    /// (not waited on), a missing file, an unreadable one.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_skill_file_opened_plain_is_found_as_by_path() {
        use super::super::{skill_file_by_path, skill_file_inside};
        use std::os::unix::fs::PermissionsExt;
        let root = test_corpus::scratch_dir("skill-core-skill-file");
        let outside = test_corpus::scratch_dir("skill-core-skill-file-out");
        std::fs::write(outside.join("SKILL.md"), "---\nname: out\n---\n").unwrap();
        let skill = |name: &str| {
            std::fs::create_dir_all(root.join("skills").join(name)).unwrap();
            root.join("skills").join(name).join("SKILL.md")
        };
        std::fs::write(skill("plain"), "---\nname: plain\ndescription: d\n---\nskillInvoker\n").unwrap();
        std::fs::write(skill("unreadable"), "---\nname: u\n---\n").unwrap();
        std::fs::set_permissions(skill("unreadable"), std::fs::Permissions::from_mode(0o000)).unwrap();
        std::os::unix::fs::symlink("../plain/SKILL.md", skill("linked-in")).unwrap();
        std::os::unix::fs::symlink(outside.join("SKILL.md"), skill("linked-out")).unwrap();
        std::fs::create_dir_all(skill("folder")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            skill("pipe"),
            rustix::fs::FileType::Fifo,
            0o644.into(),
            0,
        )
        .unwrap();
        skill("missing");
        for name in [
            "plain",
            "unreadable",
            "linked-in",
            "linked-out",
            "folder",
            "pipe",
            "missing",
        ] {
            let path = skill(name);
            let opened = skill_file_inside(&root, &path);
            let asked = skill_file_by_path(&root, &path);
            let found = |f: &Option<super::super::SkillFile>| f.as_ref().map(|f| (f.len, f.linked));
            assert_eq!(found(&opened), found(&asked), "{name}");
            // Root reads an unreadable file too.
            let opens = name == "plain" || (name == "unreadable" && std::fs::read(&path).is_ok());
            assert_eq!(opened.as_ref().is_some_and(|f| f.opened.is_some()), opens, "{name}");
            if let Some(mut file) = opened {
                let len = file.len;
                assert_eq!(
                    file.fields_and_invokes(&path, Descriptions::Kept),
                    fields_and_invokes(&path, len, Descriptions::Kept),
                    "{name}"
                );
            }
        }
        let mut plain = skill_file_inside(&root, &skill("plain")).unwrap();
        let read = plain.fields_and_invokes(&skill("plain"), Descriptions::Kept);
        assert_eq!(read, (Some((Some("plain".into()), Some("d".into()))), true));
        std::fs::remove_dir_all(&root).unwrap();
        std::fs::remove_dir_all(&outside).unwrap();
    }

    /// Real skills, and the same cut, spliced and grown so that their front
    /// matters close before, across and after the first read: reading the
    /// whole file gives what reading as far as the front matter gives, and
    /// finds `skillInvoker` exactly when the bytes hold it.
    #[test]
    fn reading_the_whole_file_gives_what_reading_the_front_matter_gives() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let Some(corpus) = test_corpus::holding(&["forge", "agentskills"]) else {
            return;
        };
        let skills: Vec<Vec<u8>> = ["forge", "agentskills"]
            .iter()
            .flat_map(|tree| test_corpus::skill_files(&corpus.join(tree)))
            .map(|(_, text)| text.into_bytes())
            .collect();
        assert!(skills.len() > 300, "{}", skills.len());
        let dir = test_corpus::scratch_dir("skill-core-front-whole");
        let path = dir.join("SKILL.md");
        let same = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            let len = bytes.len() as u64;
            let (got, invokes) = fields_and_invokes(&path, len, Descriptions::Kept);
            assert_eq!(got, fields(&path, len, Descriptions::Kept));
            // The general answer: the whole start located, not its first lines.
            assert_eq!(
                got,
                from_start(
                    &bytes[..bytes.len().min(FRONT_MATTER_BYTES as usize)],
                    Descriptions::Kept
                )
            );
            assert_eq!(invokes, super::super::graph::may_invoke(bytes));
            // What `check`'s index reads: the same name, no description.
            let (name_only, _) = fields_and_invokes(&path, len, Descriptions::Dropped);
            assert_eq!(name_only, got.map(|(name, _)| (name, None)));
        };
        for skill in &skills {
            same(skill);
        }
        let pieces = [
            &b"skillInvoker"[..],
            b"skillInvo",
            b"\n---\n",
            b"\r",
            b"\xff\xfe",
            b"\ndescription: long and longer\n",
        ];
        let mut runner = TestRunner::new(Config {
            cases: 300,
            ..Config::default()
        });
        let edits = (
            0..skills.len(),
            prop::collection::vec((any::<prop::sample::Index>(), 0..pieces.len(), 0usize..3), 0..4),
            any::<prop::sample::Index>(),
        );
        runner
            .run(&edits, |(which, splices, cut)| {
                let mut bytes = skills[which].clone();
                for (at, piece, times) in splices {
                    let at = at.index(bytes.len() + 1);
                    // Repeated pieces push the closing fence past the first read.
                    let insert = pieces[piece].repeat(1 + times * 200);
                    bytes.splice(at..at, insert);
                }
                bytes.truncate(cut.index(bytes.len() + 1).max(bytes.len() / 2));
                same(&bytes);
                Ok(())
            })
            .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
