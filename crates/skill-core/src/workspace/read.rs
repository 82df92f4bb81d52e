//! Reading a file's bytes with as few system calls as give them all: a
//! file opened plain (one walk of its path, its metadata from the open
//! file), and a file of known size read with one `read` call, into a buffer
//! each thread keeps or, for bytes that are kept, into their own.

use std::path::Path;

/// The file at `path` opened for reading, with its metadata, when it is a
/// regular file itself (no link followed): `Ok(None)` when it is anything
/// else. One walk of the path (`open`, then `fstat` of the descriptor)
/// where an `lstat` and an `open` walked it twice; the metadata are the
/// file's own, as an `lstat` of it gives them.
///
/// What is not a regular file is opened without waiting and never read:
/// `O_NONBLOCK`, so that a pipe with no writer does not hold the `open`
/// (a regular file ignores the flag); `O_NOCTTY`, so that a terminal does
/// not become the process's. An error (a link, whose `open` fails with
/// `O_NOFOLLOW`; a missing or unreadable file) leaves the caller to ask as
/// it did before, so that what it says of such a file is unchanged. Only
/// on Linux (the flags are rustix's): elsewhere every path takes the
/// caller's other way.
pub(crate) fn open_plain(path: &Path) -> std::io::Result<Option<(std::fs::File, std::fs::Metadata)>> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(flags.bits() as i32)
            .open(path)?;
        let meta = file.metadata()?;
        Ok(meta.is_file().then_some((file, meta)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// The bytes `from` gives up to its end, expected to be `len`: see [`with_read`].
pub(crate) fn read_expecting(from: impl std::io::Read, len: u64) -> std::io::Result<Vec<u8>> {
    with_read(from, len, <[u8]>::to_vec)
}

/// The bytes `file` gives up to its end, expected to be `len`, as
/// [`read_expecting`] reads them, in a buffer of their own for a caller
/// that keeps them: on Linux read straight into it (its spare capacity,
/// never zeroed), with no copy out of the thread's buffer.
pub(crate) fn read_owned(file: &std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(target_os = "linux")]
    {
        read_into_spare(file, len)
    }
    #[cfg(not(target_os = "linux"))]
    {
        read_expecting(file, len)
    }
}

/// [`read_into`] into the spare capacity of a buffer made for `len`
/// bytes and one more: the same reads (one for a file of its expected
/// size; one that grew fills the room and is read on; one that shrank is
/// read until a read returns 0).
#[cfg(target_os = "linux")]
fn read_into_spare(file: &std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    let len = usize::try_from(len).unwrap_or(usize::MAX - 1);
    let mut out = Vec::with_capacity(len.saturating_add(1));
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.len().max(8 * 1024));
        }
        match rustix::io::read(file, rustix::buffer::spare_capacity(&mut out)) {
            Ok(0) => return Ok(out),
            Ok(_) if out.len() == len => return Ok(out),
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Reads of at most this many bytes go through a buffer each thread keeps.
const SCRATCH_BYTES: usize = 256 * 1024;

thread_local! {
    /// The buffer [`with_read`] reads into: allocated and zeroed once a
    /// thread, not once a file.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `f` of the bytes `from` gives up to its end, when they are expected to
/// be `len`: one `read` call for the lot. A read with room for `len + 1`
/// bytes that ends at exactly `len` has met the end of a file of that size,
/// so no further read (returning 0) is made to show it; `std`'s
/// `read_to_end` makes at least that one more, and reads at most 8 KiB at
/// first, so an 11 KiB file took three. A file that grew fills the room
/// and is read on, one that shrank is read until a read returns 0.
///
/// Safe code cannot read into spare capacity, so the room must be zeroed
/// first: a buffer kept by the thread is, once, instead of each file's.
pub(crate) fn with_read<R>(from: impl std::io::Read, len: u64, f: impl FnOnce(&[u8]) -> R) -> std::io::Result<R> {
    let len = usize::try_from(len).unwrap_or(usize::MAX - 1);
    if len >= SCRATCH_BYTES {
        return read_fresh(from, len, f);
    }
    SCRATCH.with(|scratch| {
        // `f` reading a file itself (none does) would find the buffer taken.
        let Ok(mut room) = scratch.try_borrow_mut() else {
            return read_fresh(from, len, f);
        };
        if room.len() <= len {
            // By powers of two: a thread's buffer is replaced a few times,
            // not at every larger file. What it held is not kept, so the
            // new one comes zeroed from the allocator (`calloc`), with no
            // loop over its bytes (which `resize` is in a debug build).
            *room = vec![0; (len + 1).next_power_of_two().min(SCRATCH_BYTES)];
        }
        let filled = read_into(from, len, &mut room);
        let out = filled.map(|filled| f(&room[..filled]));
        // A file that grew past the bound leaves no large buffer behind.
        if room.len() > SCRATCH_BYTES {
            *room = Vec::new();
        }
        out
    })
}

/// [`with_read`] through a buffer of its own.
fn read_fresh<R>(from: impl std::io::Read, len: usize, f: impl FnOnce(&[u8]) -> R) -> std::io::Result<R> {
    let mut room = vec![0; len.saturating_add(1)];
    read_into(from, len, &mut room).map(|filled| f(&room[..filled]))
}

/// Reads `from` to its end into `room` (longer than `len`; grown if the
/// file is; what it held before is overwritten), expecting `len` bytes;
/// how many were read.
fn read_into(mut from: impl std::io::Read, len: usize, room: &mut Vec<u8>) -> std::io::Result<usize> {
    debug_assert!(room.len() > len);
    let mut filled = 0;
    loop {
        if filled == room.len() {
            room.resize(filled + filled.max(8 * 1024), 0);
        }
        match from.read(&mut room[filled..]) {
            Ok(0) => return Ok(filled),
            Ok(n) => {
                filled += n;
                if filled == len {
                    return Ok(filled);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader giving at most `chunk` bytes a call, counting its calls.
    struct Chunked<'a> {
        rest: &'a [u8],
        chunk: usize,
        calls: usize,
    }

    impl std::io::Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            let n = buf.len().min(self.chunk).min(self.rest.len());
            buf[..n].copy_from_slice(&self.rest[..n]);
            self.rest = &self.rest[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        /// Whatever size is expected, a reader that fills what it is given
        /// (a file) yields all of its bytes, as `read_to_end` does; from one
        /// that gives less, all of them when the size is right. A right size
        /// takes one read of a file.
        #[test]
        fn reading_an_expected_size_gives_every_byte(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40_000),
            expected in 0u64..50_000,
            chunk in 1usize..20_000,
        ) {
            let full = |expected: u64| {
                let mut from = Chunked { rest: &data, chunk: usize::MAX, calls: 0 };
                (read_expecting(&mut from, expected).unwrap(), from.calls)
            };
            let mut whole = Vec::new();
            std::io::Read::read_to_end(&mut &data[..], &mut whole).unwrap();
            proptest::prop_assert_eq!(&full(expected).0, &whole);
            proptest::prop_assert_eq!(full(data.len() as u64), (whole, 1));
            let mut short = Chunked { rest: &data, chunk, calls: 0 };
            proptest::prop_assert_eq!(read_expecting(&mut short, data.len() as u64).unwrap(), data);
        }
    }

    /// Opened plain: a regular file, with the metadata an `lstat` gives;
    /// a folder or a pipe (with no writer: not waited on) is no file; a
    /// link or a missing file is left to the caller.
    #[cfg(target_os = "linux")]
    #[test]
    fn only_regular_files_open_plain() {
        let dir = test_corpus::scratch_dir("skill-core-open-plain");
        let file = dir.join("file.md");
        std::fs::write(&file, "some text").unwrap();
        std::os::unix::fs::symlink("file.md", dir.join("link.md")).unwrap();
        std::fs::create_dir(dir.join("folder")).unwrap();
        let fifo = dir.join("pipe.md");
        rustix::fs::mknodat(rustix::fs::CWD, &fifo, rustix::fs::FileType::Fifo, 0o644.into(), 0).unwrap();
        let (opened, meta) = open_plain(&file).unwrap().unwrap();
        let by_path = std::fs::symlink_metadata(&file).unwrap();
        assert_eq!(
            (meta.len(), meta.modified().ok(), meta.is_file()),
            (by_path.len(), by_path.modified().ok(), true)
        );
        assert_eq!(read_expecting(opened, meta.len()).unwrap(), b"some text");
        assert!(open_plain(&dir.join("folder")).unwrap().is_none());
        assert!(open_plain(&fifo).unwrap().is_none());
        assert!(open_plain(&dir.join("link.md")).is_err());
        assert!(open_plain(&dir.join("missing.md")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
