//! Where a streamed report's findings wait while the files are checked: the
//! JSON document starts with how many files were checked, known only at the
//! end, so the findings go to a temporary file (removed as soon as it is
//! opened, where the system allows) and are copied out behind that count.
//! Without a writable temporary folder they wait in memory instead: the
//! same output, only the memory the streaming saves is not saved.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

pub enum Spool {
    File(BufWriter<File>, std::path::PathBuf),
    Memory(Vec<u8>),
}

impl Spool {
    pub fn new() -> Spool {
        let dir = std::env::temp_dir();
        for attempt in 0..8u32 {
            let path = dir.join(format!("skill-lsp-{}-{attempt}.json", std::process::id()));
            // `create_new`: never a file (or a link) that is already there.
            if let Ok(file) = File::options().read(true).write(true).create_new(true).open(&path) {
                // On Unix the open file outlives its name: nothing is left
                // behind whatever becomes of the run.
                let _ = cfg!(unix).then(|| std::fs::remove_file(&path));
                return Spool::File(BufWriter::with_capacity(64 * 1024, file), path);
            }
        }
        Spool::Memory(Vec::new())
    }

    /// Copies what was written to `out`, then lets the spool go.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::File(writer, path) => {
                let mut file = writer.into_inner().map_err(|e| e.into_error())?;
                file.rewind()?;
                io::copy(&mut io::BufReader::with_capacity(64 * 1024, &mut file), out)?;
                drop(file);
                if !cfg!(unix) {
                    // Elsewhere an open file keeps its name; once read it goes.
                    let _ = std::fs::remove_file(&path);
                }
                Ok(())
            }
            Spool::Memory(bytes) => out.write_all(&bytes),
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Spool::File(w, _) => w.write(buf),
            Spool::Memory(v) => v.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Spool::File(w, _) => w.flush(),
            Spool::Memory(_) => Ok(()),
        }
    }
}
