//! A string read from the text (a heading's plain text, a link's
//! destination) that many parses share: cloning it counts a reference
//! instead of copying the bytes. The incremental parse keeps every element
//! of the unchanged blocks, so a keystroke on a large skill would otherwise
//! copy thousands of these.
//!
//! A short string (most table cells, many headings, an info string) is
//! held in place instead: no allocation to make it or to free it, and a
//! clone copies its few bytes.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// The longest string held in place: the one that keeps a [`SharedStr`]
/// at four words.
const INLINE: usize = 30;

/// An immutable, cheaply cloned string; reads as a `&str`.
#[derive(Clone)]
pub struct SharedStr(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]`, copied whole from a `&str`.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Shared(Arc<str>),
}

impl SharedStr {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                // SAFETY: `bytes[..len]` is a whole `&str` copied by
                // `From<&str>` (the only maker of `Inline`), so UTF-8.
                unsafe { std::str::from_utf8_unchecked(&bytes[..usize::from(*len)]) }
            }
            Repr::Shared(s) => s,
        }
    }

    /// Whether both are the same string in memory, not only equal: one
    /// cloned from the other. A string held in place is copied by a
    /// clone: two equal ones count as the same.
    pub fn shares(&self, other: &SharedStr) -> bool {
        match (&self.0, &other.0) {
            (Repr::Shared(a), Repr::Shared(b)) => Arc::ptr_eq(a, b),
            (Repr::Inline { .. }, Repr::Inline { .. }) => self.as_str() == other.as_str(),
            _ => false,
        }
    }
}

impl Default for SharedStr {
    /// The empty string, held in place (most links have no title, most
    /// indented code blocks no info string).
    fn default() -> Self {
        SharedStr(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &SharedStr) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &SharedStr) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    /// As the `str` hashes: a map keyed by `SharedStr` is looked up by `&str`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            return SharedStr(Repr::Inline {
                len: s.len() as u8,
                bytes,
            });
        }
        SharedStr(Repr::Shared(Arc::from(s)))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr::from(s.as_str())
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.as_str().to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == *other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.as_str()
    }
}

impl serde::Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;

    use proptest::prelude::*;

    use super::*;

    fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    proptest! {
        /// Held in place or shared, a string reads, compares and hashes as
        /// the `str` it was made from (lengths around the place's size).
        #[test]
        fn reads_compares_and_hashes_as_its_str(a in "[aé😀 ]{0,30}", b in "[aé😀 ]{0,30}") {
            let (sa, sb) = (SharedStr::from(a.as_str()), SharedStr::from(b.as_str()));
            prop_assert_eq!(sa.as_str(), a.as_str());
            prop_assert_eq!(&*sa.clone(), a.as_str());
            prop_assert_eq!(sa == sb, a == b);
            prop_assert_eq!(sa.cmp(&sb), a.cmp(&b));
            prop_assert_eq!(hash_of(&sa), hash_of(a.as_str()));
            prop_assert!(sa.shares(&sa.clone()));
        }
    }

    #[test]
    fn short_strings_are_held_in_place_and_long_ones_shared() {
        assert_eq!(std::mem::size_of::<SharedStr>(), 32);
        let short = SharedStr::from("x".repeat(INLINE).as_str());
        assert!(matches!(short.0, Repr::Inline { .. }));
        let long = SharedStr::from("x".repeat(INLINE + 1).as_str());
        assert!(matches!(long.0, Repr::Shared(_)));
        // Equal shared strings made apart are not the same in memory.
        assert!(!long.shares(&SharedStr::from(long.as_str())));
        assert_eq!(SharedStr::default(), "");
    }
}
