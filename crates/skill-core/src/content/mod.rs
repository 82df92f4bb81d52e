//! Content knowledge for the security rules (SK6xx): what hidden characters,
//! secrets, encoded payloads, agent-directed commands and shell commands look
//! like. Pure functions over text; the rules decide what to report and where.

pub mod candidates;
pub mod commands;
pub mod hidden;
pub mod payload;
pub mod secrets;

/// Bit `i` set when `mark` marks byte `i` of the 64-byte `block`: `mark`
/// maps 16 bytes to 16 bytes, each all ones (marked) or zero. The scans
/// that pass over most of a text this way (hidden characters, content
/// candidates) find most blocks holding nothing marked, told by one test
/// of the four results at once.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn block_mask_sse2(
    block: &[u8; 64],
    mark: impl Fn(std::arch::x86_64::__m128i) -> std::arch::x86_64::__m128i,
) -> u64 {
    use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128};
    // SAFETY: SSE2 is part of x86_64's baseline (every x86_64 processor
    // has it); each load reads 16 of the block's 64 bytes, unaligned.
    unsafe {
        let marks = |at: usize| mark(_mm_loadu_si128(block.as_ptr().add(at).cast::<__m128i>()));
        let (a, b, c, d) = (marks(0), marks(16), marks(32), marks(48));
        if _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) == 0 {
            return 0;
        }
        let bits = |m: __m128i| u64::from(_mm_movemask_epi8(m) as u16);
        bits(a) | bits(b) << 16 | bits(c) << 32 | bits(d) << 48
    }
}
