//! Two small hash functions, kept here so the crate needs no hashing dependency.
//!
//! - [`FxHasher`]: the multiply-rotate hasher of rustc/Firefox ("FxHash"), used for the
//!   prefix tree's child maps. Keys are short tokens the miner produced itself, so
//!   SipHash's protection against chosen collisions buys little and costs a lot on the
//!   hot path; a flood of colliding tokens is bounded anyway by `max_children`.
//! - [`StableHasher`]: 64-bit FNV-1a (Fowler, Noll, Vo; IETF draft-eastlake-fnv) with a
//!   SplitMix64 finaliser, for template ids. Unlike `std`'s `DefaultHasher`, its output is
//!   specified and never changes between Rust releases, platforms or runs, which is what
//!   a stable, documented id needs.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: fast, non-cryptographic, deterministic.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` keyed with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// FNV-1a over bytes, finalised with SplitMix64 so that every output bit depends on
/// every input byte (plain FNV's low bits mix poorly).
pub(crate) struct StableHasher {
    state: u64,
}

impl StableHasher {
    pub(crate) fn new() -> Self {
        Self {
            state: 0xcbf2_9ce4_8422_2325,
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.state ^= u64::from(byte);
            self.state = self.state.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        let mut z = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::StableHasher;

    #[test]
    fn stable_hash_is_pinned() {
        // Template ids are derived from this hash; pin it so a change (which would
        // renumber every pattern users have recorded) fails loudly.
        let mut empty = StableHasher::new();
        empty.write(b"");
        assert_eq!(empty.finish(), EMPTY);
        let mut whole = StableHasher::new();
        whole.write(b"Receiving block blk_<*>");
        let mut split = StableHasher::new();
        split.write(b"Receiving block ");
        split.write(b"blk_<*>");
        assert_eq!(split.finish(), whole.finish());
        assert_ne!(whole.finish(), EMPTY);
    }

    const EMPTY: u64 = 14_087_677_454_934_409_008;
}
