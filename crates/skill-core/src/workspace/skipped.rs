//! What indexing left out, and why: files over [`super::MAX_FILE_BYTES`]
//! and folders with more entries than [`super::MAX_DIR_ENTRIES`]. Recorded
//! from what indexing already learnt (a file's size from the metadata it
//! reads anyway, a folder's excess from the count it makes anyway), so that
//! the command line and the server can say what was skipped instead of
//! leaving the author to guess why a method or a skill is missing.

use std::path::{Path, PathBuf};

use super::{MAX_DIR_ENTRIES, MAX_FILE_BYTES, MAX_SKILLS};

/// One file or folder indexing did not read (whole).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Skipped {
    /// The file or folder, as indexing named it (under the root).
    pub path: PathBuf,
    /// What the file or folder is to the workspace.
    pub role: Role,
    pub reason: Reason,
}

/// What a skipped file or folder is to the workspace: it says what is
/// missing from the index because of the skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The interface document of this receiver (`interfaces/memory_store.md`).
    InterfaceDoc(&'static str),
    /// `skills/SKILL_TEMPLATE.md`.
    Template,
    /// A `skills/<name>/SKILL.md` whose front matter was not read.
    Skill,
    /// A file a skill links to, whose headings were not read.
    Linked,
    /// The `skills/` folder.
    SkillsFolder,
    /// The `context/` folder (its entries are the domains).
    ContextFolder,
    /// A `context/<domain>/` folder (its entries are the topics).
    DomainFolder,
}

/// Why it was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The file is larger than the limit on files read while indexing.
    TooLarge { bytes: u64, limit: u64 },
    /// The folder holds more entries than are indexed: `skipped` of them
    /// were not (counted up to a million).
    TooManyEntries { skipped: usize, limit: usize },
}

impl Skipped {
    /// A file over [`MAX_FILE_BYTES`].
    pub fn too_large(path: PathBuf, role: Role, bytes: u64) -> Skipped {
        Skipped {
            path,
            role,
            reason: Reason::TooLarge {
                bytes,
                limit: MAX_FILE_BYTES,
            },
        }
    }

    /// A folder with `skipped` entries past the limit of its role
    /// ([`MAX_SKILLS`] for `skills/`, else [`MAX_DIR_ENTRIES`]); `None` when none were.
    pub fn too_many_entries(path: PathBuf, role: Role, skipped: usize) -> Option<Skipped> {
        let limit = if role == Role::SkillsFolder {
            MAX_SKILLS
        } else {
            MAX_DIR_ENTRIES
        };
        (skipped > 0).then_some(Skipped {
            path,
            role,
            reason: Reason::TooManyEntries { skipped, limit },
        })
    }

    /// A stable name for the kind of skip (`file-too-large`,
    /// `folder-too-large`), as input problems are named on the command line.
    pub fn kind(&self) -> &'static str {
        match self.reason {
            Reason::TooLarge { .. } => "file-too-large",
            Reason::TooManyEntries { .. } => "folder-too-large",
        }
    }

    /// Whether what was skipped is a folder (skipped for its entries), shown
    /// with a trailing `/`.
    pub fn is_folder(&self) -> bool {
        matches!(self.reason, Reason::TooManyEntries { .. })
    }

    /// The path as shown: relative to `root` when under it, folders with a
    /// trailing `/`.
    pub fn display_path(&self, root: Option<&Path>) -> String {
        let shown = root
            .and_then(|r| self.path.strip_prefix(r).ok())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(&self.path);
        let mut s = shown.to_string_lossy().replace('\\', "/");
        if self.is_folder() && !s.ends_with('/') {
            s.push('/');
        }
        s
    }

    /// What was skipped and the limit, without the consequence:
    /// `interfaces/memory_store.md was not read: 3.1 MiB, over the 2 MiB
    /// limit on files skill-lsp indexes`. The path relative to `root` when
    /// under it.
    pub fn summary(&self, root: Option<&Path>) -> String {
        format!("{} {}", self.display_path(root), self.reason_text())
    }

    /// [`Skipped::summary`], then what that means for the author and what
    /// to do.
    pub fn message(&self, root: Option<&Path>) -> String {
        format!("{} {}", self.display_path(root), self.detail())
    }

    /// [`Skipped::message`] without the path in front, for reports that
    /// name the path in a column of their own: `was not read: 3.1 MiB, ...`.
    pub fn detail(&self) -> String {
        format!("{}; {}", self.reason_text(), self.consequence())
    }

    /// `was not read: 3.1 MiB, over the 2 MiB limit on files skill-lsp indexes`.
    fn reason_text(&self) -> String {
        match self.reason {
            Reason::TooLarge { bytes, limit } => format!(
                "was not read: {}, over the {} limit on files skill-lsp indexes",
                size(bytes),
                size(limit)
            ),
            Reason::TooManyEntries { skipped, limit } => {
                let s = if skipped == 1 { "y was" } else { "ies were" };
                // The `skills/` limit only guards against a runaway folder:
                // say so, since it is far above any real repository.
                let per = if self.role == Role::SkillsFolder {
                    "in a `skills/` folder (a guard against runaway folders, far above any real repository)"
                } else {
                    "per folder"
                };
                format!(
                    "holds more than the {} entries skill-lsp indexes {per}, so {} more entr{s} skipped",
                    thousands(limit),
                    thousands(skipped)
                )
            }
        }
    }

    /// What is missing because of the skip, and what to do.
    fn consequence(&self) -> String {
        match self.role {
            Role::InterfaceDoc(receiver) => format!(
                "the built-in `{receiver}` methods apply instead, so methods only this document defines are \
                 unknown (SK201); split the document or move long material out of it"
            ),
            Role::Template => {
                "the built-in template applies instead (step titles, `skill-lsp new`); keep the template small".into()
            }
            Role::Skill => "the index knows this skill by its folder name and without its description; a skill is \
                            a few kilobytes: move long material into files of its own"
                .into(),
            Role::Linked => {
                "links to its headings (`#...`) are not checked; split the file or link to a smaller one".into()
            }
            Role::SkillsFolder => "skills among them are missing from the index (completion, navigation, rename, \
                                   references, workspace symbols); keep other files out of `skills/`"
                .into(),
            Role::ContextFolder => "domains among them are unknown (SK208); keep other files out of `context/`".into(),
            Role::DomainFolder => {
                "topics among them cannot be confirmed (SK209); split the domain or keep other files out of it".into()
            }
        }
    }
}

/// A size in MiB, as limits are stated: `3.1 MiB`, `2 MiB`.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes < MIB / 10 {
        format!("{bytes} bytes")
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// `10000` → `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Workspace;
    use super::*;

    #[test]
    fn messages_name_the_file_the_size_the_limit_and_the_consequence() {
        let root = Path::new("/ws");
        let doc = Skipped::too_large(
            root.join("interfaces/memory_store.md"),
            Role::InterfaceDoc("memoryStore"),
            3_250_000,
        );
        let m = doc.message(Some(root));
        assert!(
            m.starts_with("interfaces/memory_store.md was not read: 3.1 MiB, over the 2 MiB limit"),
            "{m}"
        );
        assert!(
            m.contains("built-in `memoryStore` methods") && m.contains("SK201"),
            "{m}"
        );
        assert_eq!(doc.kind(), "file-too-large");

        let folder = Skipped::too_many_entries(root.join("skills"), Role::SkillsFolder, 1234).unwrap();
        let m = folder.message(Some(root));
        assert!(
            m.starts_with(
                "skills/ holds more than the 100,000 entries skill-lsp indexes in a `skills/` folder (a guard \
                 against runaway folders, far above any real repository), so 1,234 more"
            ),
            "{m}"
        );
        assert_eq!(folder.kind(), "folder-too-large");
        assert!(Skipped::too_many_entries(root.join("skills"), Role::SkillsFolder, 0).is_none());
        // Outside the root: the path as it is.
        assert!(doc.message(Some(Path::new("/other"))).starts_with("/ws/interfaces/"));
    }

    /// A root with an interface document, a template, a skill and a linked
    /// file over the size limit, and a domain folder over the entry limit: each is recorded once, with its size or count, and the
    /// rest is indexed as before.
    #[test]
    fn indexing_records_what_it_skips() {
        let root = test_corpus::scratch_dir("skill-core-skipped");
        let big = "x".repeat(MAX_FILE_BYTES as usize + 1);
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("interfaces/memory_store.md", &format!("### 1. `hugeMethod(x)`\n{big}"));
        write("interfaces/skill_invoker.md", "### 1. `invoke(skillName)`\n");
        write("skills/SKILL_TEMPLATE.md", &big);
        write("skills/huge/SKILL.md", &format!("---\nname: renamed\n---\n{big}"));
        write("skills/small/SKILL.md", "---\nname: small\ndescription: Small.\n---\n");
        write("context/python/big.md", &big);
        let ws = Workspace::load(&root);
        let found: Vec<(String, &str)> = ws
            .skipped_while_indexing
            .iter()
            .map(|s| (s.display_path(Some(&root)), s.kind()))
            .collect();
        assert_eq!(
            found,
            [
                ("interfaces/memory_store.md".to_string(), "file-too-large"),
                ("skills/SKILL_TEMPLATE.md".to_string(), "file-too-large"),
                ("skills/huge/SKILL.md".to_string(), "file-too-large"),
            ]
            .iter()
            .map(|(p, k)| (p.clone(), *k))
            .collect::<Vec<_>>()
        );
        let doc = ws.skipped_interface_doc("memoryStore").expect("the document is named");
        assert_eq!(
            doc.reason,
            Reason::TooLarge {
                bytes: MAX_FILE_BYTES + 1 + "### 1. `hugeMethod(x)`\n".len() as u64,
                limit: MAX_FILE_BYTES
            }
        );
        assert!(ws.skipped_interface_doc("skillInvoker").is_none(), "read: small");
        assert!(ws.catalogue.method("memoryStore", "hugeMethod").is_none(), "built in");
        assert!(ws.catalogue.method("skillInvoker", "invoke").is_some());
        assert!(ws.template.is_none());
        assert_eq!(ws.skills["huge"].description, "", "known by its folder name");
        assert_eq!(ws.skills["small"].description, "Small.");

        // A linked file is found too large when a link's headings are asked for.
        assert_eq!(ws.skipped().len(), 3);
        assert!(ws.anchors(&root.join("context/python/big.md")).is_none());
        let linked: Vec<_> = ws.skipped().into_iter().filter(|s| s.role == Role::Linked).collect();
        assert_eq!(linked.len(), 1);
        assert!(linked[0]
            .message(Some(&root))
            .starts_with("context/python/big.md was not read: 2.0 MiB"));

        // Folders of more entries than are indexed: which entries are left
        // out depends on the file system's order, how many does not.
        for i in 0..MAX_DIR_ENTRIES {
            // Plain files: entries all the same, and cheaper than folders.
            write(&format!("skills/filler-{i:05}"), "");
            write(&format!("context/python/topic_{i:05}.md"), "");
        }
        let ws = Workspace::load(&root);
        // The domain holds the fillers and `big.md`: one over. `skills/`
        // holds as many and is read whole: its limit is far higher.
        assert!(!ws.skipped_while_indexing.iter().any(|s| s.role == Role::SkillsFolder));
        assert!(ws.skills.contains_key("small"));
        let s = ws
            .skipped_while_indexing
            .iter()
            .find(|s| s.path == root.join("context/python"))
            .unwrap();
        assert_eq!(s.role, Role::DomainFolder);
        assert_eq!(
            s.reason,
            Reason::TooManyEntries {
                skipped: 1,
                limit: MAX_DIR_ENTRIES
            }
        );
        assert_eq!(s.kind(), "folder-too-large");
        assert_eq!(ws.domains["python"].skipped, 1);
        assert!(!ws.skipped_while_indexing.iter().any(|s| s.role == Role::ContextFolder));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn sizes_and_counts_read_well() {
        assert_eq!(size(2 * 1024 * 1024), "2 MiB");
        assert_eq!(size(3 * 1024 * 1024 + 100_000), "3.1 MiB");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
