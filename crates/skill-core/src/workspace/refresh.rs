//! Whether the index still says of a saved skill what its file says, so a
//! save that changes a skill's name or description refreshes the index and
//! any other save costs one small read.

use std::path::Path;

use super::{read_front_matter, Descriptions, SkillEntry, Workspace};

impl Workspace {
    /// Whether the index holds what `path` (a `SKILL.md` that changed on
    /// disk) now says: its entry's name and description are the file's (and
    /// the skills it invokes, once the skill graph has been read), or
    /// the file is no skill of the index at all (not `skills/<folder>/SKILL.md`
    /// of this root), or its name is held by another skill, as indexing would
    /// leave it. `false` means the index is stale and should be loaded again.
    pub fn indexes_skill_as_on_disk(&self, path: &Path) -> bool {
        let Some(folder_dir) = path.parent() else { return true };
        let is_skill_file = path.file_name().is_some_and(|n| n == "SKILL.md")
            && self
                .root
                .as_ref()
                .is_some_and(|root| folder_dir.parent() == Some(root.join("skills").as_path()));
        if !is_skill_file {
            return true;
        }
        let folder = folder_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The entry indexing would make of the file now.
        let on_disk = SkillEntry::new(
            folder,
            path.to_path_buf(),
            read_front_matter(path, Descriptions::Kept).unwrap_or_default(),
        );
        match self.skills.values().find(|s| s.path == path) {
            Some(entry) => {
                entry.name == on_disk.name
                    && entry.description == on_disk.description
                    && match self.graph_if_read() {
                        // Once read, the skill graph must still hold what the skill invokes.
                        Some(g) => {
                            g.edges.get(&entry.name).map(Vec::as_slice).unwrap_or_default()
                                == super::graph::skill_targets(path, &self.catalogue).as_slice()
                        }
                        // Before, the graph will read the skill only if
                        // indexing found it may invoke one: it still must
                        // when it now holds `skillInvoker`.
                        None => self
                            .may_invoke
                            .as_ref()
                            .is_none_or(|names| names.contains(&entry.name) || !super::graph::file_may_invoke(path)),
                    }
            }
            // Shadowed by an earlier skill of the same name, and still so.
            None => self.skills.get(&on_disk.name).is_some_and(|other| other.path != path),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn temp_root(name: &str) -> PathBuf {
        let dir = test_corpus::scratch_dir(&format!("skill-core-refresh-{name}"));
        std::fs::create_dir_all(dir.join("interfaces")).unwrap();
        dir
    }

    fn write_skill(root: &Path, folder: &str, name: &str, description: &str) -> PathBuf {
        let path = root.join("skills").join(folder).join("SKILL.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            format!("---\nname: {name}\ndescription: {description}\n---\n\n# Body\n"),
        )
        .unwrap();
        path
    }

    #[test]
    fn a_save_that_changes_name_or_description_makes_the_index_stale() {
        let root = temp_root("stale");
        let alpha = write_skill(&root, "alpha", "alpha", "Reviews alpha code");
        let ws = Workspace::load(&root);
        assert!(ws.indexes_skill_as_on_disk(&alpha), "nothing changed yet");

        // A body edit keeps the index current.
        std::fs::write(
            &alpha,
            "---\nname: alpha\ndescription: Reviews alpha code\n---\n\n# Edited\n",
        )
        .unwrap();
        assert!(ws.indexes_skill_as_on_disk(&alpha));

        write_skill(&root, "alpha", "alpha", "Reviews alpha and beta code");
        assert!(!ws.indexes_skill_as_on_disk(&alpha), "a new description");
        write_skill(&root, "alpha", "gamma", "Reviews alpha code");
        assert!(!ws.indexes_skill_as_on_disk(&alpha), "a new name");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_skill_that_comes_to_invoke_one_makes_the_index_stale_before_the_graph_is_read() {
        let root = temp_root("invokes");
        let alpha = write_skill(&root, "alpha", "alpha", "Reviews alpha code");
        write_skill(&root, "beta", "beta", "Reviews beta code");
        let ws = Workspace::load(&root);
        std::fs::write(
            &alpha,
            "---\nname: alpha\ndescription: Reviews alpha code\n---\n\n`skillInvoker.invoke(\"beta\")`\n",
        )
        .unwrap();
        assert!(
            !ws.indexes_skill_as_on_disk(&alpha),
            "indexing read no `skillInvoker` in it"
        );
        let ws = Workspace::load(&root);
        assert!(ws.indexes_skill_as_on_disk(&alpha));
        assert_eq!(ws.graph().edges["alpha"], ["beta"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn files_the_index_does_not_hold_never_make_it_stale() {
        let root = temp_root("other");
        write_skill(&root, "alpha", "alpha", "First");
        let shadowed = write_skill(&root, "beta", "alpha", "Second of the name");
        let ws = Workspace::load(&root);
        assert_eq!(ws.skills["alpha"].description, "First");
        assert!(
            ws.indexes_skill_as_on_disk(&shadowed),
            "still shadowed by the first alpha"
        );

        let nested = root.join("skills/alpha/examples/SKILL.md");
        std::fs::create_dir_all(nested.parent().unwrap()).unwrap();
        std::fs::write(&nested, "---\nname: nested\n---\n").unwrap();
        assert!(ws.indexes_skill_as_on_disk(&nested), "not a skill of the index");
        assert!(ws.indexes_skill_as_on_disk(&root.join("README.md")));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
