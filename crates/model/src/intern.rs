//! String interning for Summary keys: per-record lookups hash a borrowed `&str` and
//! allocate only the first time a string is seen.

use crate::FastMap;

/// An interned string id, valid only within the [`Interner`] that issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

/// Maps strings to dense ids and back.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    ids: FastMap<Box<str>, Sym>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// An interner that already holds the empty string as `Sym(0)`.
    pub fn new() -> Self {
        let mut i = Interner::default();
        i.intern("");
        i
    }

    /// The id of `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = Sym(self.names.len() as u32);
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    /// The id of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    /// The string of `id`.
    pub fn resolve(&self, id: Sym) -> &str {
        self.names.get(id.0 as usize).map(|s| &**s).unwrap_or("")
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when only the empty string is held.
    pub fn is_empty(&self) -> bool {
        self.names.len() <= 1
    }

    /// Maps every id of `other` to an id of `self`, interning as needed.
    pub fn absorb(&mut self, other: &Interner) -> Vec<Sym> {
        other.names.iter().map(|n| self.intern(n)).collect()
    }
}

/// A stable 64-bit FNV-1a hash: used where a choice must not depend on process state
/// or on the order records arrived in (bounded samples, cardinality caps).
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // A final avalanche so that similar strings spread over the whole range.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}
