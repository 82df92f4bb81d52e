//! The skills of one repository by their front matter `name`: what two
//! skills sharing a name (SK505) and a `SKILL.md` that is a fragment of
//! another skill (SK510, and SK001 staying quiet about it) are decided from.
//!
//! Paths are kept as the file system resolves them, so a skill reached twice
//! through a symbolic link (`.agents/skills -> ../skills`) is one skill.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::model::SkillDoc;

/// Skill files by front matter `name`; files without one are not skills of
/// the index (they have no name an agent could list).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SkillNames {
    by_name: BTreeMap<String, Vec<PathBuf>>,
}

impl SkillNames {
    /// Indexes `(name, path)` pairs; each file once, under its real path.
    pub fn new(skills: impl IntoIterator<Item = (String, PathBuf)>) -> SkillNames {
        SkillNames::resolved(skills.into_iter().map(|(name, path)| (name, real_path(&path))))
    }

    /// [`SkillNames::new`] of pairs whose paths are real already ([`real_path`]
    /// of each, worked out by the caller, which can spread the system calls
    /// over the cores: for thousands of skills they are most of the cost).
    pub fn resolved(skills: impl IntoIterator<Item = (String, PathBuf)>) -> SkillNames {
        let mut named: Vec<(String, PathBuf)> = skills
            .into_iter()
            .filter_map(|(name, real)| {
                let trimmed = name.trim();
                // Nearly every name is trimmed already: kept as it is, not copied.
                let name = if trimmed.len() == name.len() {
                    name
                } else {
                    trimmed.to_string()
                };
                (!name.is_empty()).then_some((name, real))
            })
            .collect();
        // The names of an index come nearly sorted (a skill is nearly always
        // named after its folder, and folders are listed sorted): sorted in
        // one pass, and the map built from them at once, where inserting
        // each name in turn searches the map from its root.
        named.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        named.dedup();
        let mut by_name: Vec<(String, Vec<PathBuf>)> = Vec::with_capacity(named.len());
        for (name, real) in named {
            match by_name.last_mut() {
                Some((last, paths)) if *last == name => paths.push(real),
                // Room for one path: nearly every name has one skill, and a
                // vector's first push makes room for four (on 30,000 skills
                // that was 2 MB of the index).
                _ => by_name.push((name, vec![real])),
            }
        }
        SkillNames {
            by_name: by_name.into_iter().collect(),
        }
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The files of the skills named `name`, sorted.
    pub fn named(&self, name: &str) -> &[PathBuf] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether the index holds the file at `path` under `name` (`None`: under
    /// no name), as a skill saved since may no longer be.
    pub fn holds(&self, path: &Path, name: Option<&str>) -> bool {
        let real = real_path(path);
        let under = self
            .by_name
            .iter()
            .find(|(_, paths)| paths.contains(&real))
            .map(|(n, _)| n.as_str());
        under == name.map(str::trim).filter(|n| !n.is_empty())
    }

    /// The other files (not `path`, however reached) of skills named `name`.
    pub fn others_named(&self, name: &str, path: &Path) -> Vec<&Path> {
        let named = self.named(name);
        // The index holds real paths: a path equal to each of them is one of
        // them, with no links to resolve (the usual answer, for a skill's
        // own name, found without a `realpath` per check).
        if named.iter().all(|p| p == path) {
            return Vec::new();
        }
        let real = real_path(path);
        self.named(name)
            .iter()
            .filter(|p| **p != real)
            .map(PathBuf::as_path)
            .collect()
    }

    /// The skill `doc` is a fragment of: `doc` has no front matter at all,
    /// and its folder carries the name of a real skill elsewhere in the
    /// repository (an overlay a build composes into that skill, or a part of
    /// it kept apart). Evidence a heading cannot fake: the folder name and the
    /// other skill's own `name`. The first such skill, by path.
    pub fn fragment_of(&self, doc: &SkillDoc) -> Option<&Path> {
        if doc.front_matter.is_some() {
            return None;
        }
        let path = doc.path.as_deref()?;
        let folder = doc.folder_name()?;
        self.others_named(folder, path).into_iter().next()
    }
}

/// `to` as a path from the folder `from` (both absolute): `../preview/pdf/SKILL.md`.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to_parts[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// `path` with links resolved, or as given when it cannot be resolved.
pub fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`SkillNames::resolved`] as it was: each name inserted in turn, a
    /// path added to its name's unless there already, each name's paths
    /// sorted last. The oracle of the built-at-once map.
    fn resolved_one_by_one(skills: Vec<(String, PathBuf)>) -> SkillNames {
        let mut by_name: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for (name, real) in skills {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let paths = by_name.entry(name.to_string()).or_default();
            if !paths.contains(&real) {
                paths.push(real);
            }
        }
        for paths in by_name.values_mut() {
            paths.sort();
        }
        SkillNames { by_name }
    }

    proptest::proptest! {
        /// Built at once, the map is the one built name by name: names in
        /// any order, repeated, blank or padded; a path under two names, or
        /// twice under one (also spelt with a doubled `/`).
        #[test]
        fn built_at_once_is_built_name_by_name(
            skills in proptest::collection::vec((" ?[ab ]{0,3} ?", "/[ab]{1,2}(//?[ab])?"), 0..24)
        ) {
            let skills: Vec<(String, PathBuf)> = skills.into_iter().map(|(n, p)| (n, PathBuf::from(p))).collect();
            proptest::prop_assert_eq!(SkillNames::resolved(skills.clone()), resolved_one_by_one(skills));
        }
    }

    #[test]
    fn a_file_is_one_skill_however_it_is_reached() {
        let tmp = test_corpus::scratch_dir("skill-core-names");
        std::fs::create_dir_all(tmp.join("skills/pdf")).unwrap();
        std::fs::create_dir_all(tmp.join("preview/pdf")).unwrap();
        std::fs::write(tmp.join("skills/pdf/SKILL.md"), "---\nname: pdf\n---\n").unwrap();
        std::fs::write(tmp.join("preview/pdf/SKILL.md"), "---\nname: pdf\n---\n").unwrap();
        let mut pairs = vec![
            ("pdf".to_string(), tmp.join("skills/pdf/SKILL.md")),
            ("pdf".to_string(), tmp.join("skills/./pdf/SKILL.md")),
        ];
        #[cfg(unix)]
        {
            std::fs::create_dir_all(tmp.join(".agents")).unwrap();
            std::os::unix::fs::symlink("../skills", tmp.join(".agents/skills")).unwrap();
            pairs.push(("pdf".to_string(), tmp.join(".agents/skills/pdf/SKILL.md")));
        }
        let once = SkillNames::new(pairs.clone());
        assert_eq!(once.named("pdf").len(), 1);
        assert!(once.others_named("pdf", &tmp.join("skills/pdf/SKILL.md")).is_empty());
        pairs.push(("pdf".to_string(), tmp.join("preview/pdf/SKILL.md")));
        pairs.push((" ".to_string(), tmp.join("nameless/SKILL.md")));
        let twice = SkillNames::new(pairs);
        assert!(twice.holds(&tmp.join("preview/pdf/SKILL.md"), Some("pdf")));
        assert!(!twice.holds(&tmp.join("preview/pdf/SKILL.md"), Some("pdf-preview")));
        assert!(twice.holds(&tmp.join("nameless/SKILL.md"), None));
        assert_eq!(twice.named("pdf").len(), 2);
        let others = twice.others_named("pdf", &tmp.join("skills/pdf/SKILL.md"));
        assert_eq!(others.len(), 1);
        assert!(others[0].ends_with("preview/pdf/SKILL.md"));

        // A front-matter-less file in a folder named after a skill is its fragment.
        let fragment = SkillDoc::parse("<!--flavor:start-->\nMore.\n", Some(tmp.join("flavors/pdf/SKILL.md")));
        assert!(twice.fragment_of(&fragment).is_some());
        let lone = SkillDoc::parse("Notes.\n", Some(tmp.join("flavors/docx/SKILL.md")));
        assert_eq!(twice.fragment_of(&lone), None);
        let with_front = SkillDoc::parse("---\nname: pdf\n---\n", Some(tmp.join("flavors/pdf/SKILL.md")));
        assert_eq!(twice.fragment_of(&with_front), None);
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn paths_are_shown_from_the_skill_folder() {
        assert_eq!(
            relative_path(Path::new("/r/skills/pdf"), Path::new("/r/preview/pdf/SKILL.md")),
            PathBuf::from("../../preview/pdf/SKILL.md")
        );
        assert_eq!(
            relative_path(Path::new("/r/skills"), Path::new("/r/skills/pdf/SKILL.md")),
            PathBuf::from("pdf/SKILL.md")
        );
    }
}
