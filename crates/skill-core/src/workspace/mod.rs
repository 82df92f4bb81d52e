//! The workspace index: the skills root, the interface catalogue, the context
//! domains and topics, and the skills it holds. Built once, shared read-only.
//!
//! Indexing is bounded, so a huge or hostile folder cannot stall it: files
//! larger than [`MAX_FILE_BYTES`] are skipped, at most [`MAX_DIR_ENTRIES`]
//! entries of a folder are read ([`MAX_SKILLS`] of `skills/`), a symbolic
//! link leading out of the root is
//! never followed, and skills are read only as far as their front matter
//! ([`FRONT_MATTER_BYTES`]). What is skipped for size is recorded
//! ([`Workspace::skipped`]), so it can be named rather than guessed at.

pub mod builtin;
pub mod bundle;
pub mod bytes_map;
pub mod catalogue;
mod context;
mod files;
mod front_matter;
pub mod graph;
mod ignore_rules;
pub mod links;
pub mod lookup;
mod names;
mod profile_choice;
mod raw_dir;
mod read;
mod refresh;
pub mod skill_walk;
pub mod skipped;
mod walk;

pub use catalogue::{Catalogue, Interface, Method, Param};
pub use context::Domain;
pub use files::{anchors_of, heading_anchors, slug, with_known_size, FileCache};
pub use graph::{Invocation, SkillGraph};
pub use names::{real_path, relative_path, SkillNames};
pub use skipped::{Reason, Role, Skipped};

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use front_matter::NameAndDescription;

/// Files larger than this are not read while indexing (2 MiB).
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// At most this many entries of one folder are indexed.
pub const MAX_DIR_ENTRIES: usize = 10_000;
/// At most this many entries of the `skills/` folder are indexed: only a
/// guard against a runaway folder (a generated one, a loop of copies). Real
/// repositories hold hundreds of skills, a large mirror a few tens of
/// thousands, and every one of them must be known to the rules that name
/// other skills.
pub const MAX_SKILLS: usize = 100_000;
/// At most this many entries of a folder are offered as link targets.
pub const MAX_LISTED: usize = 500;
/// How much of a `SKILL.md` is read to find its name and description (64 KiB).
pub const FRONT_MATTER_BYTES: u64 = 64 * 1024;

/// A skill found in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillEntry {
    pub name: String,
    pub path: PathBuf,
    pub description: String,
}

impl SkillEntry {
    /// The skill at `path`, in a folder named `folder`, as its front matter
    /// names and describes it: named after its folder when it has no `name`.
    fn new(folder: String, path: PathBuf, (name, description): NameAndDescription) -> SkillEntry {
        SkillEntry {
            name: name.filter(|n| !n.is_empty()).unwrap_or(folder),
            path,
            description: description.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Workspace {
    /// The folder that holds `interfaces/`, if one was found.
    pub root: Option<PathBuf>,
    /// The methods skills may call (from the interface documents, else built in).
    pub catalogue: Catalogue,
    /// The root's `context/` folder, when it has one: only then are domains checked.
    pub context_dir: Option<PathBuf>,
    /// `context/<domain>/` folders by name.
    pub domains: BTreeMap<String, Domain>,
    /// Skills by front matter name (or folder name when it has none).
    pub skills: BTreeMap<String, SkillEntry>,
    /// Every skill of the repository by its front matter `name`, two of one
    /// name included: the root's skills, or for skills outside a root what
    /// the front end collected of their repository.
    pub names: Arc<SkillNames>,
    /// The text of `skills/SKILL_TEMPLATE.md`, when the workspace has one.
    pub template: Option<Arc<str>>,
    /// Existence and headings of files that links point to.
    pub files: FileCache,
    /// Files and folders indexing left out for their size, sorted by path
    /// (linked files found too large later are in [`Workspace::skipped`]).
    pub skipped_while_indexing: Vec<Skipped>,
    /// Who invokes whom, read on first use ([`Workspace::graph`]).
    pub(crate) graph: std::sync::OnceLock<Arc<SkillGraph>>,
    /// The skills whose files hold `skillInvoker`, when indexing read every
    /// skill's file whole: the only ones [`Workspace::graph`] reads again.
    /// `None`: not known, and the graph reads every skill.
    pub(crate) may_invoke: Option<std::collections::HashSet<String>>,
    /// Files are taken to stay as they are while the workspace is used, so
    /// linked files and bundles are cached without a root's watcher (see
    /// [`Workspace::with_files_unchanged`]).
    pub(crate) files_unchanged: bool,
    /// The names of `skills` prepared for suggestions, on first use
    /// ([`Workspace::closest_skills`]).
    pub(crate) skill_lookup: std::sync::OnceLock<lookup::NameIndex>,
}

impl Workspace {
    /// A workspace with no files: the built-in catalogue and nothing else.
    pub fn detached() -> Workspace {
        Workspace {
            catalogue: builtin::catalogue(),
            ..Workspace::default()
        }
    }

    /// The workspace of skills outside any skills root, in one repository:
    /// the built-in catalogue, and the `name` of each of the repository's
    /// skills (`(name, path)`), which the rules comparing skills read
    /// (SK505, SK510). `skill-lsp check` and the language server build it
    /// from the same walk.
    pub fn for_repository(skills: impl IntoIterator<Item = (String, PathBuf)>) -> Workspace {
        Workspace {
            names: Arc::new(SkillNames::new(skills)),
            ..Workspace::detached()
        }
    }

    /// [`Workspace::for_repository`] of skills whose paths are real already
    /// (see [`SkillNames::resolved`]).
    pub fn for_resolved_repository(skills: impl IntoIterator<Item = (String, PathBuf)>) -> Workspace {
        Workspace {
            names: Arc::new(SkillNames::resolved(skills)),
            ..Workspace::detached()
        }
    }

    /// Walks up from `start` (a file or folder) to the skills root: the
    /// folder that holds `interfaces/`, or the folder a `skill-lsp.toml` on
    /// the way names with its `root` key (relative to the config's folder).
    pub fn find_root(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            if let Some(root) = Workspace::root_at(d) {
                return Some(root);
            }
            dir = d.parent();
        }
        None
    }

    /// Whether `dir` is the top of a repository, for skills outside a skills
    /// root: it holds `.git` (a folder, or a file in a worktree) or a
    /// `skill-lsp.toml`. Skills under one such folder are installed and
    /// listed together, so two of them with one name collide (SK505).
    pub fn is_repository(dir: &Path) -> bool {
        dir.join(".git").exists() || dir.join(config::FILE_NAME).is_file()
    }

    /// What folder `dir` itself says of the skills root, as
    /// [`Workspace::find_root`] asks each folder on the way up: the root its
    /// `skill-lsp.toml` names, or `dir` when it holds `interfaces/`; `None`
    /// to ask the folder above. For callers that remember the answers of
    /// folders shared by many files.
    pub fn root_at(dir: &Path) -> Option<PathBuf> {
        configured_root(dir).or_else(|| Workspace::root_at_unconfigured(dir))
    }

    /// [`Workspace::root_at`] of a folder its caller has just seen holds no
    /// `skill-lsp.toml`: `dir` when it holds `interfaces/`.
    pub fn root_at_unconfigured(dir: &Path) -> Option<PathBuf> {
        dir.join("interfaces").is_dir().then(|| dir.to_path_buf())
    }

    /// Indexes the workspace rooted at `root`. Never fails: what cannot be
    /// read is left out, and interfaces without a document come built in.
    pub fn load(root: &Path) -> Workspace {
        Workspace::load_indexing(root, Descriptions::Kept).0
    }

    /// [`Workspace::load`] without the skills' descriptions, which only
    /// editor features show (hover, completion, symbols), never a rule: what
    /// `skill-lsp check` needs. On a root of tens of thousands of skills the
    /// descriptions are a good part of the index's memory.
    pub fn load_for_rules(root: &Path) -> Workspace {
        Workspace::load_indexing(root, Descriptions::Dropped).0
    }

    /// [`Workspace::load_for_rules`], with the size of each skill file
    /// indexing found ([`SkillFileLens`]): `check` then reads each skill it
    /// checks without asking its size again.
    pub fn load_for_rules_with_lens(root: &Path) -> (Workspace, SkillFileLens) {
        Workspace::load_indexing(root, Descriptions::Dropped)
    }

    fn load_indexing(root: &Path, descriptions: Descriptions) -> (Workspace, SkillFileLens) {
        // The skills and the rest of the root are independent: the rest (a
        // few documents to parse, the context folders) is read on a thread
        // of its own while this one lists `skills/`, which comes before the
        // skills can be read on every core.
        let (
            Around {
                context_dir,
                domains,
                template,
                catalogue,
                skipped: mut around_skipped,
            },
            (skills, names, may_invoke, lens, mut skipped),
        ) = std::thread::scope(|scope| {
            let around = scope.spawn(|| Around::load(root));
            let mut skipped = Vec::new();
            let (skills, names, may_invoke, lens) = load_skills(root, descriptions, &mut skipped);
            // A panic while reading is re-raised here, as it would be without a thread.
            let around = around.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (around, (skills, names, may_invoke, lens, skipped))
        });
        skipped.append(&mut around_skipped);
        skipped.sort();
        let workspace = Workspace {
            root: Some(root.to_path_buf()),
            catalogue,
            context_dir,
            domains,
            skills,
            names: Arc::new(names),
            template,
            files: FileCache::default(),
            skipped_while_indexing: skipped,
            graph: Default::default(),
            may_invoke: Some(may_invoke),
            files_unchanged: false,
            skill_lookup: Default::default(),
        };
        (workspace, lens)
    }

    /// Everything left out for its size so far, sorted by path: what
    /// indexing skipped, and the linked files found too large to read their
    /// headings since (see [`FileCache`]).
    pub fn skipped(&self) -> Vec<Skipped> {
        let mut out = self.skipped_while_indexing.clone();
        out.extend(
            self.files
                .too_large()
                .into_iter()
                .map(|(path, bytes)| Skipped::too_large(path, Role::Linked, bytes)),
        );
        out.sort();
        out.dedup_by(|a, b| a.path == b.path);
        out
    }

    /// Why a receiver's interface document was not read, when it was
    /// skipped for its size (its methods then come built in).
    pub fn skipped_interface_doc(&self, receiver: &str) -> Option<&Skipped> {
        self.skipped_while_indexing
            .iter()
            .find(|s| matches!(s.role, Role::InterfaceDoc(r) if r == receiver))
    }

    /// This workspace for a caller that reads the files while nothing edits
    /// them (`check`): linked files and bundles are cached as in a rooted
    /// workspace, not listed and read again each time a rule asks (on the
    /// standard repositories a skill's folder was listed three times, and a
    /// reference linked a dozen times read a dozen times).
    pub fn with_files_unchanged(mut self) -> Workspace {
        self.files_unchanged = true;
        self
    }

    /// Whether what is known of linked files and bundles is kept: a rooted
    /// workspace's watcher invalidates it, and a caller of
    /// [`Workspace::with_files_unchanged`] changes nothing.
    fn caches_files(&self) -> bool {
        self.root.is_some() || self.files_unchanged
    }

    /// Whether a linked file or folder exists. Cached in a rooted workspace
    /// (whose watcher invalidates the cache) or one whose files stay
    /// unchanged; asked afresh for a skill on its own in an editor, whose
    /// surroundings nothing watches.
    pub fn file_exists(&self, path: &Path) -> bool {
        if self.caches_files() {
            self.files.exists(path)
        } else {
            path.exists()
        }
    }

    /// The files bundled in the skill folder `dir`. Cached; in a rooted
    /// workspace the watcher invalidates the cache, for a skill on its own
    /// (unless its files stay unchanged) the folder is listed again each time
    /// and re-read when a file changed.
    pub fn bundle(&self, dir: &Path) -> Arc<bundle::Bundle> {
        self.files.bundle(dir, !self.caches_files())
    }

    /// Offers `listing`, made of the skill folder `dir` a moment ago, to
    /// the first reading of its bundle ([`bundle::Bundle::read_listed`]),
    /// which then does not list the folder again: `check` lists each skill's
    /// folder while planning anyway. Taken only by a workspace that caches
    /// bundles (one that reads afresh would use a stale listing).
    pub fn offer_listing(&self, dir: &Path, listing: bundle::Listing) {
        if self.caches_files() {
            self.files.offer_listing(dir, listing);
        }
    }

    /// Drops the cached bundle of the skill folder `dir`: a caller that is
    /// done with the skill (`check` after checking it) frees the bundled
    /// files' texts instead of holding every skill's until the run ends.
    pub fn forget_bundle(&self, dir: &Path) {
        self.files.forget_bundle(dir);
    }

    /// The heading anchors of a linked Markdown file, cached as [`Workspace::file_exists`] is.
    pub fn anchors(&self, path: &Path) -> Option<Arc<[String]>> {
        if self.caches_files() {
            self.files.anchors(path)
        } else {
            files::read_bounded(path).map(|text| Arc::from(anchors_of(&text)))
        }
    }

    /// The entries of the folder `dir` that a link may name, for completion:
    /// `(name, is a folder)`, folders first, then by name; hidden entries
    /// (`.git`) left out, at most [`MAX_LISTED`]. Read afresh each time (files
    /// come and go while a link is being written), never cached.
    pub fn folder_entries(&self, dir: &Path) -> Vec<(String, bool)> {
        let Ok(read) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut out: Vec<(String, bool)> = read
            .flatten()
            .take(MAX_DIR_ENTRIES)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                // A link to a folder through a symlink works as well: follow it.
                let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
                (!name.starts_with('.')).then_some((name, is_dir))
            })
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.truncate(MAX_LISTED);
        out
    }

    /// The skills of the workspace a misspelt skill name most likely means
    /// ([`lookup::closest_names`] over the names of [`Workspace::skills`]),
    /// from an index of those names built on first use: asked for every
    /// unknown skill any skill invokes, so a plain search would grow with
    /// the square of the workspace.
    pub fn closest_skills(&self, name: &str) -> Vec<&str> {
        self.skill_lookup
            .get_or_init(|| lookup::NameIndex::new(self.skills.keys().map(String::as_str)))
            .closest_names(name)
    }

    /// The path of a receiver's interface document in this workspace
    /// (`<root>/interfaces/memory_store.md`), whether or not it exists.
    pub fn interface_doc(&self, receiver: &str) -> Option<PathBuf> {
        Some(
            self.root
                .as_ref()?
                .join("interfaces")
                .join(catalogue::doc_file_name(receiver)?),
        )
    }
}

impl Workspace {
    /// The declared domain (of `primary`) that `domain` misspells, when
    /// `domain` is no domain of the workspace's own: SK204 reports it (it
    /// knows which domain was meant), and SK208 leaves that call alone, so
    /// one defect gets one finding.
    pub fn misspelt_declared_domain<'p>(&self, domain: &str, primary: &'p [String]) -> Option<&'p str> {
        if self.domains.contains_key(domain) {
            None
        } else {
            lookup::closest(domain, primary.iter().map(String::as_str))
        }
    }
}

/// The root a `skill-lsp.toml` in `dir` names, if there is one with a `root` key.
fn configured_root(dir: &Path) -> Option<PathBuf> {
    let file = dir.join(config::FILE_NAME);
    if !file.is_file() {
        return None;
    }
    let text = files::read_bounded(&file)?;
    // Only `root` is read here: whether the rules it names exist is for
    // whoever loads the settings to say.
    let root = Config::from_toml_with(&text, &|code| Some(code.to_string()))
        .ok()?
        .root?;
    Some(normalize(&dir.join(root)))
}

/// Whether `path` is absolute and spelt as [`normalize`] spells it, told
/// from its bytes (no component parsed): on Unix `/`, or `/` and names
/// separated by single `/`, none `.` or `..`. Always `false` elsewhere,
/// where separators and prefixes differ: callers then normalise.
pub fn is_normal(path: &Path) -> bool {
    cfg!(unix) && is_normal_bytes(path.as_os_str().as_encoded_bytes())
}

/// [`is_normal`] of a Unix path's bytes.
fn is_normal_bytes(path: &[u8]) -> bool {
    path == b"/"
        || path.first() == Some(&b'/')
            && path[1..]
                .split(|&b| b == b'/')
                .all(|name| !name.is_empty() && name != b"." && name != b"..")
}

/// Removes `.` and `..` components without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    // Never longer than the path: one allocation, not one per component.
    let mut out = PathBuf::with_capacity(path.as_os_str().len());
    for c in path.components() {
        match c {
            Component::CurDir => {}
            // The root's parent is the root (`/..` is `/`): an absolute
            // path keeps no `..`, so paths compare as the files they name.
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What a root holds besides its skills: its `context/` folder and domains,
/// its skill template and its interfaces; and what reading them left out.
struct Around {
    context_dir: Option<PathBuf>,
    domains: BTreeMap<String, Domain>,
    template: Option<Arc<str>>,
    catalogue: Catalogue,
    skipped: Vec<Skipped>,
}

impl Around {
    fn load(root: &Path) -> Around {
        let mut skipped = Vec::new();
        let context = root.join("context");
        let context_dir = walk::is_dir_inside(root, &context).then_some(context);
        let domains = context_dir
            .as_deref()
            .map(|c| context::load_domains(root, c, &mut skipped))
            .unwrap_or_default();
        let template = read_inside(
            root,
            &root.join("skills").join("SKILL_TEMPLATE.md"),
            Role::Template,
            &mut skipped,
        )
        .map(Arc::from);
        let catalogue = load_catalogue(root, &mut skipped);
        Around {
            context_dir,
            domains,
            template,
            catalogue,
            skipped,
        }
    }
}

/// Each receiver's interface from its document, or built in when the
/// workspace has no such document (or one that defines no method, or one
/// too large to read: added to `skipped`).
fn load_catalogue(root: &Path, skipped: &mut Vec<Skipped>) -> Catalogue {
    let dir = root.join("interfaces");
    let mut interfaces = Vec::new();
    for (receiver, file, _) in catalogue::RECEIVERS {
        let path = dir.join(file);
        let from_doc = read_inside(root, &path, Role::InterfaceDoc(receiver), skipped)
            .map(|text| catalogue::parse_interface(receiver, &text, Some(path)))
            .filter(|i| !i.methods.is_empty());
        match from_doc {
            Some(mut iface) => {
                catalogue::add_alt_forms(&mut iface);
                interfaces.push(iface);
            }
            None => interfaces.extend(builtin::interface(receiver)),
        }
    }
    Catalogue { interfaces }
}

/// The text of `path` when it is a file inside `root` no larger than
/// [`MAX_FILE_BYTES`]; one too large is added to `skipped` as `role`.
fn read_inside(root: &Path, path: &Path, role: Role, skipped: &mut Vec<Skipped>) -> Option<String> {
    if !walk::is_file_inside(root, path) {
        return None;
    }
    match files::read_indexed(path) {
        files::Read::Text(text) => Some(text),
        files::Read::TooLarge(bytes) => {
            skipped.push(Skipped::too_large(path.to_path_buf(), role, bytes));
            None
        }
        files::Read::Unavailable => None,
    }
}

/// `skills/*/SKILL.md`, by name. A `skills/` folder too large to index
/// whole, and skills too large to read, are added to `skipped`.
/// The skills of the root's `skills/` folder by name, every skill's name
/// with its real path, the names of the skills whose files hold
/// `skillInvoker` (see [`Workspace::may_invoke`]), and every skill file's size.
fn load_skills(
    root: &Path,
    descriptions: Descriptions,
    skipped: &mut Vec<Skipped>,
) -> (
    BTreeMap<String, SkillEntry>,
    SkillNames,
    std::collections::HashSet<String>,
    SkillFileLens,
) {
    let skills_dir = root.join("skills");
    let (folders, excess) = walk::dirs_up_to(root, &skills_dir, MAX_SKILLS);
    skipped.extend(Skipped::too_many_entries(
        skills_dir.clone(),
        Role::SkillsFolder,
        excess,
    ));
    // The real path of `skills/` once: a skill reached through no link below
    // it has its real path without a `realpath` of its own.
    let real_skills_dir = (!folders.is_empty()).then(|| names::real_path(&skills_dir));
    // Reading thousands of front matters is most of indexing a large root:
    // spread it over the cores. Entries stay in folder order, so the first
    // of two skills with one name wins as before. What the maps below keep
    // of each skill is made there too, so that this thread only files it.
    let read = in_parallel(&folders, |folder| {
        let path = skills_dir.join(&folder.name).join("SKILL.md");
        let mut file = skill_file_inside(root, &path)?;
        // The whole file: the skill graph then reads again only the skills
        // that may invoke another (a few in a hundred), not every one.
        let (front, invokes) = if file.len > MAX_FILE_BYTES {
            (Err(file.len), false)
        } else {
            let (fields, invokes) = file.fields_and_invokes(&path, descriptions);
            (Ok(fields), invokes)
        };
        let named = matches!(&front, Ok(Some((Some(_), _))));
        let real = named.then(|| match (&real_skills_dir, file.linked || folder.linked) {
            (Some(real_dir), false) => real_dir.join(&folder.name).join("SKILL.md"),
            _ => names::real_path(&path),
        });
        // Both kept for the run: a joined path has room to grow (up to twice
        // its length), 2 MB over 30,000 skills.
        let (mut path, mut real) = (path, real);
        path.shrink_to_fit();
        real.iter_mut().for_each(PathBuf::shrink_to_fit);
        let (too_large, fields) = match front {
            Ok(fields) => (None, fields.unwrap_or_default()),
            Err(bytes) => (Some(bytes), (None, None)),
        };
        let named = fields.0.clone().zip(real);
        Some(Indexed {
            len_key: path.as_os_str().to_owned(),
            entry: SkillEntry::new(folder.name.clone(), path, fields),
            named,
            too_large,
            invokes,
            len: file.len,
        })
    });
    drop(folders);
    let mut entries = Vec::with_capacity(read.len());
    let mut named = Vec::with_capacity(read.len());
    let mut lens = bytes_map::bytes_map_with_capacity(read.len());
    for found in read.into_iter().flatten() {
        lens.insert(found.len_key, found.len);
        if let Some(bytes) = found.too_large {
            skipped.push(Skipped::too_large(found.entry.path.clone(), Role::Skill, bytes));
        }
        named.extend(found.named);
        entries.push((found.entry, found.invokes));
    }
    let (out, may_invoke) = first_of_each_name(entries);
    (out, SkillNames::resolved(named), may_invoke, lens)
}

/// A skill as a thread of [`load_skills`] leaves it for the maps.
struct Indexed {
    entry: SkillEntry,
    /// Its front matter `name` and real path, when it has a name.
    named: Option<(String, PathBuf)>,
    /// The file's size when it is too large to read.
    too_large: Option<u64>,
    /// Whether the file holds `skillInvoker`.
    invokes: bool,
    len: u64,
    /// The key of its size in [`SkillFileLens`]: its path's bytes.
    len_key: std::ffi::OsString,
}

/// The skills by name, the first (in folder order) of each name kept; and
/// the names of those kept whose files hold `skillInvoker` (`entries`: each
/// skill with whether it does). Folders are listed sorted, and a skill is
/// nearly always named after its folder, so the names come nearly sorted:
/// a stable sort (which keeps folder order among equal names) finds them
/// so in one pass, and the map is built from them at once, where inserting
/// each name in turn searches the map from its root.
fn first_of_each_name(
    mut entries: Vec<(SkillEntry, bool)>,
) -> (BTreeMap<String, SkillEntry>, std::collections::HashSet<String>) {
    entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    entries.dedup_by(|later, first| later.0.name == first.0.name);
    // The first skill of a name is the one the graph reads.
    let may_invoke = entries
        .iter()
        .filter(|(_, invokes)| *invokes)
        .map(|(entry, _)| entry.name.clone())
        .collect();
    let out = entries
        .into_iter()
        .map(|(entry, _)| (entry.name.clone(), entry))
        .collect();
    (out, may_invoke)
}

/// The size of each skill file indexing found, by path: a regular file,
/// or a link to one inside the root, of that many bytes when indexed.
/// Keyed by the path's bytes, which hash in one pass (a `PathBuf` hashes
/// component by component), eight at a time ([`bytes_map`]): a path spelt
/// otherwise only misses its size.
pub type SkillFileLens = bytes_map::BytesMap<std::ffi::OsString, u64>;

/// Whether an index keeps each skill's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Descriptions {
    Kept,
    Dropped,
}

/// A `SKILL.md` found inside the root: its size, and whether the file
/// itself is a symbolic link.
struct SkillFile {
    len: u64,
    linked: bool,
    /// The file, when it was opened to learn its size (a regular file
    /// itself): read from this, with no second walk of its path.
    opened: Option<std::fs::File>,
}

impl SkillFile {
    /// [`front_matter::fields_and_invokes`] of this file, at `path`: read
    /// from the file opened already, if it was (and closed after).
    fn fields_and_invokes(&mut self, path: &Path, descriptions: Descriptions) -> (Option<NameAndDescription>, bool) {
        match self.opened.take() {
            Some(file) => front_matter::fields_and_invokes_of(file, self.len, descriptions),
            None => front_matter::fields_and_invokes(path, self.len, descriptions),
        }
    }
}

/// [`walk::is_file_inside`] for `skills/<name>/SKILL.md`, where `<name>`
/// came from [`walk::dirs_up_to`]: that listing already keeps out folders
/// that lead out of the root, so only the file itself can be such a link,
/// and a plain file needs no resolving of its whole path (which, for
/// thousands of skills, would be most of the system calls of indexing).
/// A plain file is opened (not following a link) and its size taken from
/// the open file ([`read::open_plain`]): one walk of its path, not an
/// `lstat` and then an `open`. A link, or a file that cannot be opened,
/// is asked of by path as before (`lstat`, and the link resolved), and
/// read by path.
fn skill_file_inside(root: &Path, path: &Path) -> Option<SkillFile> {
    match read::open_plain(path) {
        Ok(Some((file, meta))) => {
            return Some(SkillFile {
                len: meta.len(),
                linked: false,
                opened: Some(file),
            })
        }
        // A folder, a pipe, a device: no skill file.
        Ok(None) => return None,
        Err(_) => {}
    }
    skill_file_by_path(root, path)
}

/// [`skill_file_inside`] asked of by path: an `lstat`, and for a link,
/// where it leads. The way of a file that could not be opened plain, and
/// its oracle.
fn skill_file_by_path(root: &Path, path: &Path) -> Option<SkillFile> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return meta.is_file().then_some(SkillFile {
            len: meta.len(),
            linked: false,
            opened: None,
        });
    }
    if !walk::is_file_inside(root, path) {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    Some(SkillFile {
        len,
        linked: true,
        opened: None,
    })
}

/// `f` of every item, in order, computed on up to as many threads as there
/// are cores, the calling one among them (scoped threads: no pool is kept
/// and nothing outlives the call).
///
/// Each thread takes the next [`BATCH`] items as it is free, rather than a
/// fixed share: reading a skill costs what its file and the file system
/// make it cost, and the threads share the cores with others (the walk, the
/// other checks), so with fixed halves one core idled while the other
/// finished the slower half.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    /// Below this many items a thread costs more than it saves.
    const PER_THREAD: usize = 64;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let batch = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = items.chunks(BATCH).nth(batch) else {
                return done;
            };
            done.push((batch, part.iter().map(&f).collect::<Vec<R>>()));
        }
    };
    let mut parts = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = work();
        for other in others {
            // A panic while reading a skill is re-raised here, as it would be without threads.
            parts.extend(other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        parts
    });
    parts.sort_unstable_by_key(|(batch, _)| *batch);
    parts.into_iter().flat_map(|(_, part)| part).collect()
}

/// How many items [`in_parallel`] hands a thread at a time: small enough
/// that the threads end together, large enough that taking them is nothing
/// beside reading them.
const BATCH: usize = 16;

/// The front matter `name` of the skill at `path`, reading no further than
/// its front matter: what a front end collects of a repository's skills.
pub fn skill_name(path: &Path) -> Option<String> {
    read_front_matter(path, Descriptions::Dropped)?
        .0
        .filter(|n| !n.is_empty())
}

/// `name` and `description` from the first [`FRONT_MATTER_BYTES`] of a skill.
fn read_front_matter(path: &Path, descriptions: Descriptions) -> Option<NameAndDescription> {
    let len = std::fs::metadata(path).ok()?.len();
    front_matter_or_size(path, len, descriptions).ok().flatten()
}

/// [`read_front_matter`] of a skill of `len` bytes, or its size when it is
/// over [`MAX_FILE_BYTES`], which is not read.
fn front_matter_or_size(path: &Path, len: u64, descriptions: Descriptions) -> Result<Option<NameAndDescription>, u64> {
    if len > MAX_FILE_BYTES {
        return Err(len);
    }
    Ok(front_matter::fields(path, len, descriptions))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The map built at once from the sorted names is the one built by
        /// inserting each skill in folder order, the first of a name kept:
        /// names in any order and repeated, some of their skills invoking.
        #[test]
        fn first_of_each_name_is_the_first_inserted(skills in proptest::collection::vec(("[a-c]{1,2}", proptest::bool::ANY), 0..40)) {
            let entries: Vec<(SkillEntry, bool)> = skills
                .iter()
                .enumerate()
                .map(|(i, (name, invokes))| {
                    let entry = SkillEntry::new(format!("f{i}"), PathBuf::from(format!("/s/f{i}/SKILL.md")), (Some(name.clone()), None));
                    (entry, *invokes)
                })
                .collect();
            let mut out = BTreeMap::new();
            let mut may_invoke = std::collections::HashSet::new();
            for (entry, invokes) in entries.clone() {
                if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(entry.name.clone()) {
                    if invokes {
                        may_invoke.insert(entry.name.clone());
                    }
                    slot.insert(entry);
                }
            }
            proptest::prop_assert_eq!(first_of_each_name(entries), (out, may_invoke));
        }
    }

    /// In order and each item once, whatever the number of items (below a
    /// thread's share, around a batch, thousands) and however unevenly
    /// their costs fall: the sequential map is the oracle.
    #[test]
    fn in_parallel_is_the_map_in_order() {
        let slow = |i: &usize| {
            if i % 97 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            i * 3 + 1
        };
        for n in [0, 1, 63, 64, 127, 128, 129, BATCH * 8 + 5, 3061] {
            let items: Vec<usize> = (0..n).collect();
            let expected: Vec<usize> = items.iter().map(slow).collect();
            assert_eq!(in_parallel(&items, slow), expected, "{n} items");
        }
    }

    fn examples() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/skills")
    }

    /// `.` and `..` go; `..` above the root stays at the root, as the file
    /// system has it; a relative path keeps the `..` it starts with.
    #[test]
    fn normalize_removes_dots_and_stops_at_the_root() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("/..")), Path::new("/"));
        assert_eq!(normalize(Path::new("/a/../../b")), Path::new("/b"));
        assert_eq!(normalize(Path::new("../a")), Path::new("../a"));
    }

    #[test]
    fn finds_the_root_from_a_skill_and_from_a_config() {
        let root = examples();
        let skill = root.join("skills/fastapi-review/SKILL.md");
        let found = Workspace::find_root(&skill).unwrap();
        assert_eq!(found.canonicalize().unwrap(), root.canonicalize().unwrap());
        assert_eq!(
            Workspace::find_root(&root.join("skills"))
                .unwrap()
                .canonicalize()
                .unwrap(),
            root.canonicalize().unwrap()
        );

        let tmp = test_corpus::scratch_dir("skill-core-root");
        let skills = tmp.join("repo/plugin");
        std::fs::create_dir_all(skills.join("interfaces")).unwrap();
        std::fs::create_dir_all(tmp.join("repo/docs/skills/x")).unwrap();
        std::fs::write(tmp.join("repo/docs/skill-lsp.toml"), "root = \"../plugin\"\n").unwrap();
        assert_eq!(
            Workspace::find_root(&tmp.join("repo/docs/skills/x/SKILL.md")),
            Some(normalize(&skills))
        );
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn a_workspace_whose_files_stay_unchanged_reads_each_linked_file_once() {
        let dir = test_corpus::scratch_dir("skill-core-unchanged");
        std::fs::create_dir_all(dir.join("skill/references")).unwrap();
        let linked = dir.join("skill/references/guide.md");
        std::fs::write(&linked, "# First\n").unwrap();
        let kept = Workspace::detached().with_files_unchanged();
        let fresh = Workspace::detached();
        for ws in [&kept, &fresh] {
            assert_eq!(ws.anchors(&linked).as_deref(), Some(&["first".to_string()][..]));
            assert_eq!(ws.bundle(&dir.join("skill")).files.len(), 1);
        }
        std::fs::write(&linked, "# Second\n").unwrap();
        std::fs::write(dir.join("skill/references/more.md"), "# More\n").unwrap();
        // Read once and kept; asked afresh without the promise.
        assert_eq!(kept.anchors(&linked).as_deref(), Some(&["first".to_string()][..]));
        assert_eq!(kept.bundle(&dir.join("skill")).files.len(), 1);
        assert_eq!(fresh.anchors(&linked).as_deref(), Some(&["second".to_string()][..]));
        assert_eq!(fresh.bundle(&dir.join("skill")).files.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_index_knows_each_skill_files_size() {
        let (ws, lens) = Workspace::load_for_rules_with_lens(&examples());
        assert!(!lens.is_empty());
        assert!(lens.len() >= ws.skills.len());
        for skill in ws.skills.values() {
            assert_eq!(
                lens.get(skill.path.as_os_str()),
                Some(&std::fs::metadata(&skill.path).unwrap().len())
            );
        }
    }

    #[test]
    fn the_index_for_rules_differs_only_in_descriptions() {
        let full = Workspace::load(&examples());
        let lean = Workspace::load_for_rules(&examples());
        assert!(full.skills.values().any(|s| !s.description.is_empty()));
        assert!(lean.skills.values().all(|s| s.description.is_empty()));
        let without = |ws: &Workspace| {
            ws.skills
                .values()
                .map(|s| (s.name.clone(), s.path.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(without(&full), without(&lean));
        assert_eq!(full.names, lean.names);
        assert_eq!(full.domains, lean.domains);
        assert_eq!(full.template, lean.template);
        assert_eq!(full.skipped_while_indexing, lean.skipped_while_indexing);
    }

    #[test]
    fn loads_the_example_root() {
        let ws = Workspace::load(&examples());
        let cp = ws.catalogue.interface("contextProvider").unwrap();
        assert!(cp.doc.as_ref().unwrap().ends_with("interfaces/context_provider.md"));
        let m = ws.catalogue.method("contextProvider", "getDomainIndex").unwrap();
        assert_eq!(m.signature(), "getDomainIndex(domain)");
        assert_eq!(m.returns.as_deref(), Some("DomainIndex"));
        // No execution_context.md in the example: built in.
        assert!(ws.catalogue.interface("executionContext").unwrap().doc.is_none());
        assert_eq!(ws.catalogue.method("memoryStore", "update").unwrap().alt_forms.len(), 2);
        assert_eq!(ws.domains.keys().collect::<Vec<_>>(), ["python", "security"]);
        assert!(ws.domains["python"].has_topic("fastapi_patterns"));
        assert!(!ws.domains["python"].topics.contains("index"));
        assert!(ws.skills.contains_key("fastapi-review"), "{:?}", ws.skills.keys());
        assert!(!ws.skills["fastapi-review"].description.is_empty());
        assert!(ws.context_dir.is_some());
    }

    #[test]
    fn loads_the_forge_corpus_root() {
        let Some(root) = crate::testing::corpus::root("forge") else {
            return;
        };
        let ws = Workspace::load(&root);
        assert_eq!(ws.skills.len(), 102);
        assert_eq!(ws.domains.len(), 9);
        assert!(ws.domains["python"].has_topic("fastapi_patterns"));
        assert!(ws
            .template
            .as_deref()
            .is_some_and(|t| t.contains("memoryStore.update(")));
        let count = |r: &str| ws.catalogue.interface(r).map_or(0, |i| i.methods.len());
        let counts = [
            count("memoryStore"),
            count("contextProvider"),
            count("skillInvoker"),
            count("executionContext"),
        ];
        assert_eq!(counts, [15, 11, 5, 11]);
        let m = ws.catalogue.method("executionContext", "getCachedContext").unwrap();
        assert_eq!(m.returns.as_deref(), Some("string | null"));
        assert!(
            ws.catalogue.interfaces.iter().all(|i| i.doc.is_some()),
            "every interface from its document"
        );
        let h = ws
            .catalogue
            .method("memoryStore", "getSkillMemory")
            .unwrap()
            .heading
            .unwrap();
        let text = std::fs::read_to_string(root.join("interfaces/memory_store.md")).unwrap();
        assert_eq!(&text[h.start..h.end], "### 8. `getSkillMemory(skillName, projectName)`");
    }

    #[test]
    fn links_out_of_the_root_are_not_followed() {
        let tmp = test_corpus::scratch_dir("skill-core-links");
        let root = tmp.join("root");
        let outside = tmp.join("outside");
        std::fs::create_dir_all(root.join("context/python")).unwrap();
        std::fs::create_dir_all(outside.join("secret")).unwrap();
        std::fs::write(root.join("context/python/flask.md"), "# Flask\n").unwrap();
        std::fs::write(outside.join("secret/keys.md"), "# Keys\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.join("secret"), root.join("context/secret")).unwrap();
        let ws = Workspace::load(&root);
        assert_eq!(ws.domains.keys().collect::<Vec<_>>(), ["python"]);
        assert!(ws.catalogue.interface("memoryStore").is_some(), "built in");
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
