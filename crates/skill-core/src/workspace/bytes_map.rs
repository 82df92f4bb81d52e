//! Maps keyed by the bytes of paths (`OsString`), hashed eight bytes at a
//! time instead of with SipHash.
//!
//! `check` keys several maps by the paths of every skill it finds (their
//! sizes, their folders' listings, their real paths): tens of thousands of
//! inserts and look-ups on one thread while the other cores wait. SipHash,
//! the standard map's hasher, resists keys chosen to collide, which paths
//! found on one's own disk are not, and costs about five instructions a
//! byte; this one costs about one.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map whose keys hash with [`BytesHasher`].
pub type BytesMap<K, V> = HashMap<K, V, BuildHasherDefault<BytesHasher>>;

/// An empty [`BytesMap`] with room for `n` entries.
pub fn bytes_map_with_capacity<K, V>(n: usize) -> BytesMap<K, V> {
    BytesMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

/// A multiply-and-rotate hash of eight bytes at a time (FxHash's step),
/// finished with MurmurHash3's mixer so that the low bits, which pick a
/// key's bucket, depend on every byte (paths differ mostly near their end).
#[derive(Default, Clone, Copy)]
pub struct BytesHasher {
    hash: u64,
}

impl BytesHasher {
    fn add(&mut self, word: u64) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for BytesHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0; 8];
            w.copy_from_slice(word);
            self.add(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // Keys of different lengths also hash their lengths (`Hash` of
            // a slice or a string), so padding with zeros confuses none.
            let mut w = [0; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::ffi::OsString;
    use std::hash::BuildHasher;

    /// Paths alike but for a number in the middle (the skills of a large
    /// tree) spread over the buckets as random hashes would: nearly every
    /// low 12-bit value a random hash fills is filled, and no two paths
    /// hash alike.
    #[test]
    fn paths_alike_but_for_a_few_bytes_spread_over_the_buckets() {
        let build = BuildHasherDefault::<BytesHasher>::default();
        let hashes: Vec<u64> = (0..10_000)
            .map(|i| build.hash_one(OsString::from(format!("/home/me/skills/skill-{i:05}/SKILL.md"))))
            .collect();
        assert_eq!(hashes.iter().collect::<HashSet<_>>().len(), hashes.len());
        let buckets: HashSet<u64> = hashes.iter().map(|h| h & 0xfff).collect();
        // 10,000 random hashes fill 4096 × (1 − e^(−10000/4096)) ≈ 3,740 of 4,096.
        assert!(buckets.len() > 3_600, "{} buckets of 4096", buckets.len());
        let tags: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        assert_eq!(tags.len(), 128, "the top 7 bits, the map's tag of a key");
    }

    proptest::proptest! {
        /// A map with this hasher holds what the standard one holds, keys
        /// that are prefixes of each other and end in zero bytes included.
        #[test]
        fn holds_what_the_standard_map_holds(keys in proptest::collection::vec("[a/\0]{0,20}", 0..40)) {
            let mut ours = bytes_map_with_capacity(0);
            let mut std_map = HashMap::new();
            for (i, k) in keys.iter().enumerate() {
                proptest::prop_assert_eq!(ours.insert(OsString::from(k), i), std_map.insert(OsString::from(k), i));
            }
            proptest::prop_assert_eq!(ours.len(), std_map.len());
            for (k, v) in &std_map {
                proptest::prop_assert_eq!(ours.get(k), Some(v));
            }
        }
    }
}
