//! How much freed memory the C allocator may keep, on Linux with glibc.
//!
//! Each keystroke on a large skill allocates and frees a few blocks the size
//! of its text (the edited text, the check's temporaries). glibc serves a
//! block of 128 KiB or more with `mmap` and unmaps it when freed, but after
//! each such free it raises that threshold to the block's size (up to
//! 32 MiB): from the first keystrokes on, those blocks come from the heap,
//! which keeps what is freed, and every thread that allocates gets a heap
//! (an arena) of its own, up to eight per core. Editing a 0.5 MB skill, the
//! server's resident memory grew by about 18 MiB in the first 200 keystrokes
//! (`lsp_latency --memory`, docs/performance.md). Fixed thresholds and two
//! arenas keep it flat, at the cost of an `mmap` per large block.

/// Blocks this large are mapped and unmapped, not kept in a heap.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Sets the allocator's limits. Call it first thing, before any other thread exists.
pub fn keep_little() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes allocator parameters; it is called
    // before the runtime starts any thread, so no allocation races it.
    unsafe {
        // Setting either threshold also turns off their growth.
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
