//! A folder's entries, read once, in the order the file system gives them:
//! names and types (the listing's own `d_type`; a `stat` of the entry only
//! where the file system gives no type). On Linux the folder is read with
//! `openat`, `getdents64` and `close`, into a buffer of this thread's:
//! glibc's `opendir` (which `std::fs::read_dir` uses) adds an `fstat` per
//! folder, and `std` a name allocated per entry. Elsewhere `std` reads it.

use std::ffi::OsStr;
use std::path::Path;

/// What an entry is, as the folder's listing says (a link not followed).
/// Its byte is how a bundle's [`super::bundle::Listing`] packs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Type {
    Dir = b'd',
    File = b'f',
    Link = b'l',
    /// A pipe, socket or device.
    Other = b'o',
}

impl Type {
    /// The type whose byte is `b` (any other byte: [`Type::Other`]).
    pub fn from_byte(b: u8) -> Type {
        [Type::Dir, Type::File, Type::Link]
            .into_iter()
            .find(|t| *t as u8 == b)
            .unwrap_or(Type::Other)
    }

    /// The type `std` gives (of a link itself, or of what it leads to, as
    /// it was asked).
    pub fn of(t: std::fs::FileType) -> Type {
        if t.is_dir() {
            Type::Dir
        } else if t.is_file() {
            Type::File
        } else if t.is_symlink() {
            Type::Link
        } else {
            Type::Other
        }
    }
}

/// The entries of one folder (`.` and `..` left out), in the order read.
#[derive(Debug, Default)]
pub(crate) struct RawDir {
    /// Every name, one after the other.
    names: Vec<u8>,
    /// Per entry: where its name ends in `names`, and its type (or why it
    /// could not be told).
    entries: Vec<(usize, std::io::Result<Type>)>,
    /// Why reading stopped early, when it did: the entries before are kept.
    pub error: Option<std::io::Error>,
}

impl RawDir {
    /// Reads the folder `dir`; the error is why it could not be opened.
    pub fn read(dir: &Path) -> std::io::Result<RawDir> {
        #[cfg(target_os = "linux")]
        {
            linux::read(dir)
        }
        #[cfg(not(target_os = "linux"))]
        {
            RawDir::read_std(dir)
        }
    }

    /// [`RawDir::read`] through `std::fs::read_dir`: the reader elsewhere
    /// than on Linux, and the Linux reader's oracle.
    #[cfg(any(test, not(target_os = "linux")))]
    pub fn read_std(dir: &Path) -> std::io::Result<RawDir> {
        let mut raw = RawDir::default();
        for entry in std::fs::read_dir(dir)? {
            match entry {
                Ok(entry) => raw.push(&entry.file_name(), entry.file_type().map(Type::of)),
                Err(e) => {
                    raw.error = Some(e);
                    break;
                }
            }
        }
        Ok(raw)
    }

    fn push(&mut self, name: &OsStr, kind: std::io::Result<Type>) {
        self.names.extend_from_slice(name.as_encoded_bytes());
        self.entries.push((self.names.len(), kind));
    }

    /// The entries, in the order read: name and type.
    pub fn iter(&self) -> impl Iterator<Item = (&OsStr, &std::io::Result<Type>)> {
        let mut start = 0;
        self.entries.iter().map(move |(end, kind)| {
            let bytes = &self.names[start..*end];
            start = *end;
            // SAFETY: the bytes are those of a whole name, as
            // `as_encoded_bytes` or the file system gave them.
            (unsafe { OsStr::from_encoded_bytes_unchecked(bytes) }, kind)
        })
    }

    /// Whether the folder has an entry named `name`.
    pub fn has(&self, name: &str) -> bool {
        self.iter().any(|(n, _)| n == name)
    }
}

/// A copy of `err` as the walk reports it: the same system error (its
/// kind, message and code), or the same kind and message.
pub(crate) fn copy_error(err: &std::io::Error) -> std::io::Error {
    match err.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(err.kind(), err.to_string()),
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::cell::RefCell;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};

    use super::{RawDir, Type};

    /// The size of the buffer `getdents64` fills: glibc's (32 KiB), so a
    /// folder of a few hundred entries takes one call and the call that
    /// finds the end.
    const BUFFER: usize = 32 * 1024;

    thread_local! {
        /// Room for `getdents64` to fill: its spare capacity, never initialised.
        static BUF: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(BUFFER));
    }

    pub(super) fn read(dir: &Path) -> std::io::Result<RawDir> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NONBLOCK;
        let fd = rustix::fs::openat(CWD, dir, flags, Mode::empty())?;
        BUF.with(|buf| {
            let mut buf = buf.borrow_mut();
            let mut raw = RawDir::default();
            let mut entries = rustix::fs::RawDir::new(&fd, buf.spare_capacity_mut());
            while let Some(entry) = entries.next() {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        raw.error = Some(e.into());
                        break;
                    }
                };
                let name = entry.file_name().to_bytes();
                if name == b"." || name == b".." {
                    continue;
                }
                let kind = match entry.file_type() {
                    // No type in the listing: the entry's own, as `std` asks.
                    FileType::Unknown => rustix::fs::statat(&fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                        .map(|st| Type::of_rustix(FileType::from_raw_mode(st.st_mode)))
                        .map_err(std::io::Error::from),
                    known => Ok(Type::of_rustix(known)),
                };
                raw.push(std::ffi::OsStr::from_bytes(name), kind);
            }
            Ok(raw)
        })
    }

    impl Type {
        fn of_rustix(t: FileType) -> Type {
            match t {
                FileType::Directory => Type::Dir,
                FileType::RegularFile => Type::File,
                FileType::Symlink => Type::Link,
                _ => Type::Other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(raw: &RawDir) -> Vec<(std::ffi::OsString, Option<Type>)> {
        let mut out: Vec<_> = raw
            .iter()
            .map(|(n, k)| (n.to_os_string(), k.as_ref().ok().copied()))
            .collect();
        out.sort();
        out
    }

    /// The reader finds what `std::fs::read_dir` finds, with the same
    /// types: on a folder of every kind of entry, one larger than the
    /// buffer, and the corpus's folders; and fails where it fails.
    #[test]
    fn reads_what_std_reads() {
        let dir = test_corpus::scratch_dir("skill-core-raw-dir");
        std::fs::create_dir_all(dir.join("kinds/sub")).unwrap();
        std::fs::create_dir_all(dir.join("many")).unwrap();
        std::fs::write(dir.join("kinds/file.md"), "x").unwrap();
        std::fs::write(dir.join("kinds/Ré sumé.md"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("file.md", dir.join("kinds/link")).unwrap();
            std::os::unix::fs::symlink("missing", dir.join("kinds/dangling")).unwrap();
            std::os::unix::net::UnixListener::bind(dir.join("kinds/socket")).unwrap();
        }
        for i in 0..2000 {
            std::fs::write(dir.join("many").join(format!("a-rather-long-file-name-{i:05}.md")), "").unwrap();
        }
        let mut folders = vec![dir.join("kinds"), dir.join("many")];
        if let Some(root) = crate::testing::corpus::root("forge") {
            folders.push(root.clone());
            folders.extend(
                std::fs::read_dir(root.join("skills"))
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir()),
            );
        }
        for folder in &folders {
            let raw = RawDir::read(folder).unwrap();
            assert!(raw.error.is_none());
            assert_eq!(
                entries(&raw),
                entries(&RawDir::read_std(folder).unwrap()),
                "{}",
                folder.display()
            );
        }
        let many = RawDir::read(&dir.join("many")).unwrap();
        assert_eq!(many.iter().count(), 2000);
        let kinds = entries(&RawDir::read(&dir.join("kinds")).unwrap());
        assert!(kinds.contains(&("sub".into(), Some(Type::Dir))));
        assert!(kinds.contains(&("file.md".into(), Some(Type::File))));
        if cfg!(unix) {
            assert!(kinds.contains(&("link".into(), Some(Type::Link))));
            assert!(kinds.contains(&("socket".into(), Some(Type::Other))));
        }
        for missing in ["absent", "kinds/file.md"] {
            let path = dir.join(missing);
            let (ours, std) = (RawDir::read(&path).unwrap_err(), RawDir::read_std(&path).unwrap_err());
            assert_eq!(ours.kind(), std.kind(), "{missing}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
