//! How much freed memory the C allocator may keep, on Linux with glibc.
//!
//! Each keystroke on a large skill allocates and frees a few blocks the size
//! of its text (the edited text, the parse's lists). glibc serves a block of
//! 128 KiB or more with `mmap` and unmaps it when freed, but after each such
//! free it raises that threshold to the block's size (up to 32 MiB), and
//! every thread that allocates gets a heap (an arena) of its own, up to
//! eight per core, each keeping what is freed: editing a 0.5 MB skill, the
//! server's resident memory grew by about 18 MiB in the first 200 keystrokes
//! (`lsp_latency --memory`, docs/performance.md).
//!
//! Fixed thresholds and two arenas keep it flat. The thresholds are above
//! the size of a large skill's text: a block mapped afresh for every
//! keystroke costs a page fault per 4 KiB page written and an `munmap`
//! when freed, about a third of a keystroke's time on a 1 MB skill, where
//! a block taken from the heap reuses pages already there. What the heap
//! keeps is bounded by the trim threshold (free memory at a heap's top
//! beyond it is returned) and the two arenas.

/// Blocks this large are mapped and unmapped, not taken from a heap.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 4 * 1024 * 1024;

/// Free memory at the top of a heap beyond this is returned to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 1024 * 1024;

/// Sets the allocator's limits. Call it first thing, before any other thread exists.
pub fn keep_little() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes allocator parameters; it is called
    // before the runtime starts any thread, so no allocation races it.
    unsafe {
        // Setting either threshold also turns off their growth.
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
