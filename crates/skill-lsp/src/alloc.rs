//! The memory allocator: the system's for the language server, mimalloc
//! for `check`.
//!
//! The two want different things. The server is a long-running process
//! that re-checks one file per keystroke, where memory that stays flat
//! matters most: the system's allocator, with the limits `server/memory.rs`
//! sets, holds it at about 20 MiB over 1,000 keystrokes on a 0.5 MB skill,
//! where mimalloc held 25.6 MiB (4.5 MiB more from the start).
//! `check` is a short run that allocates and frees millions of small blocks
//! on every core: there glibc's allocator was a tenth of the instructions
//! and mimalloc takes about a third of that (callgrind, `check` of the
//! corpus's 102 skills as one root: 160.1 M instructions in all with glibc's,
//! 144.6 M with mimalloc's).
//!
//! One binary holds both, so the choice is made while it runs: new blocks
//! come from the allocator chosen when they are asked for, and every block
//! goes back to the one it came from. mimalloc tells its own blocks by
//! their address (its page map), so the blocks taken before `check`
//! switched (parsing the command line) still go back to the system's.
//! Asking it on every free was about 1.5 % of `check`'s instructions: the
//! system's blocks are few and lie together (its heap), so the span of
//! addresses they take is kept and mimalloc asked only about a block
//! inside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use mimalloc::MiMalloc;

/// The process's allocator: see the module's documentation.
pub struct Allocator;

/// Whether new blocks come from mimalloc. Set once, never cleared.
static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// mimalloc's option numbers (`mi_option_e` in `mimalloc.h`; options that
/// were retired keep their number, so these stay).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Takes new blocks from mimalloc from now on. Called by `check` before it
/// starts any thread.
pub fn use_mimalloc() {
    // SAFETY: setting an option and allocating are mimalloc's ordinary
    // calls; no other thread exists yet to allocate meanwhile.
    unsafe {
        // Memory is committed as it is used rather than a whole arena up
        // front: on 30,600 skills the peak was 59.8 MB with eager commit
        // (then 54.6 MB).
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        // Freed pages go back to the system after 1 ms rather than 10: on
        // 30,600 skills the peak was 57-61 MB with 10 ms and 51-52 MB with
        // 1 ms, for the same CPU time on 3,060 skills (paired runs: 1.01).
        // (0 ms, at once, cost 15 % more CPU there.)
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 1);
        // mimalloc sets up its page map on its first block: before then it
        // could not be asked whose a block is.
        libmimalloc_sys::mi_free(libmimalloc_sys::mi_malloc(1));
    }
    MIMALLOC.store(true, Ordering::Release);
}

/// Returns to the system the memory mimalloc holds freed (nothing when
/// mimalloc is not in use).
pub fn give_back_freed_memory() {
    if MIMALLOC.load(Ordering::Acquire) {
        // SAFETY: a collection is safe at any time from any thread.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
}

/// The span of addresses `[SYSTEM_LOW, SYSTEM_HIGH)` that holds every
/// block the system's allocator gave (empty until it gives one).
static SYSTEM_LOW: AtomicUsize = AtomicUsize::new(usize::MAX);
static SYSTEM_HIGH: AtomicUsize = AtomicUsize::new(0);

/// Widens the span of the system's blocks to hold `size` bytes at `ptr`
/// (a null `ptr`, a failed allocation, holds nothing).
fn system_block(ptr: *mut u8, size: usize) -> *mut u8 {
    let (low, high) = (ptr as usize, (ptr as usize).saturating_add(size.max(1)));
    // Loads first: the span seldom grows, and then the atomic updates keep
    // it whole whichever thread widens it.
    if !ptr.is_null() && low < SYSTEM_LOW.load(Ordering::Relaxed) {
        SYSTEM_LOW.fetch_min(low, Ordering::Relaxed);
    }
    if !ptr.is_null() && high > SYSTEM_HIGH.load(Ordering::Relaxed) {
        SYSTEM_HIGH.fetch_max(high, Ordering::Relaxed);
    }
    ptr
}

/// Whether `ptr` came from mimalloc: outside the span of the system's
/// blocks it must have; inside, mimalloc is asked. (A block is freed on
/// the thread it was handed to, after its span was widened: the hand-over
/// orders the widening before the loads here.)
fn from_mimalloc(ptr: *mut u8) -> bool {
    if !MIMALLOC.load(Ordering::Acquire) {
        return false;
    }
    let at = ptr as usize;
    if at < SYSTEM_LOW.load(Ordering::Relaxed) || at >= SYSTEM_HIGH.load(Ordering::Relaxed) {
        return true;
    }
    // SAFETY: mimalloc answers for any address, its own or not.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: every block is taken from one of two correct allocators and given
// back to the one it came from, with the layout it was taken with.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            system_block(unsafe { System.alloc(layout) }, layout.size())
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            system_block(unsafe { System.alloc_zeroed(layout) }, layout.size())
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if from_mimalloc(ptr) {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A block grows or shrinks in the allocator it came from.
        if from_mimalloc(ptr) {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            system_block(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(seed: u8) -> Vec<Vec<u8>> {
        (0..200usize)
            .map(|i| vec![seed.wrapping_add(i as u8); 1 + i * 97])
            .collect()
    }

    fn intact(blocks: &[Vec<u8>], seed: u8) -> bool {
        blocks
            .iter()
            .enumerate()
            .all(|(i, b)| b.iter().all(|&x| x == seed.wrapping_add(i as u8)))
    }

    /// The switch in the middle of a run: the blocks of before it are
    /// still the system's, grow there and go back there; the new ones are
    /// mimalloc's. (The test process uses this allocator too, so a block
    /// given to the wrong one would crash it.)
    #[test]
    fn blocks_go_back_to_the_allocator_they_came_from() {
        let mut before = blocks(1);
        use_mimalloc();
        let mut after = blocks(2);
        assert!(before.iter().all(|b| !from_mimalloc(b.as_ptr().cast_mut())));
        assert!(after.iter().all(|b| from_mimalloc(b.as_ptr().cast_mut())));
        for b in before.iter_mut().chain(after.iter_mut()) {
            let (len, first) = (b.len(), b[0]);
            b.resize(len * 3, first);
            b.truncate(len);
            b.shrink_to_fit();
        }
        assert!(intact(&before, 1) && intact(&after, 2));
        assert!(before.iter().all(|b| !from_mimalloc(b.as_ptr().cast_mut())));
        drop(before);
        give_back_freed_memory();
        assert!(intact(&after, 2));
    }
}
