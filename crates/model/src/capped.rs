//! A map with a cap on distinct keys whose result does not depend on arrival order.
//!
//! Cardinality caps must not break the Summary's merge laws. Keeping the first N keys
//! seen would: the survivors would depend on which file was read first. Instead the map
//! keeps the keys with the N smallest stable hashes (a bottom-k sample, as in KMV
//! sketches) and folds the rest into one overflow value. A key evicted from a part is
//! also evicted from any whole containing it, so after [`Capped::normalize`] the result
//! is the same in any merge order.

use crate::FastMap;
use std::hash::Hash;

/// Values that can be folded together.
pub trait Mergeable: Default + Clone {
    /// Adds `other` into `self`.
    fn merge_from(&mut self, other: &Self);
}

/// A key/value map holding at most `cap` keys (bottom-k by `hash`), the rest summed into
/// `overflow`.
#[derive(Debug, Clone)]
pub struct Capped<K: Eq + Hash + Clone, V: Mergeable> {
    cap: usize,
    entries: FastMap<K, (u64, V)>,
    /// Keys with a hash at or above this are never kept.
    threshold: u64,
    /// Everything folded away.
    pub overflow: V,
    /// How many distinct keys were folded into `overflow` (an estimate after merges).
    pub overflowed_keys: u64,
}

impl<K: Eq + Hash + Clone, V: Mergeable> Capped<K, V> {
    /// A map keeping at most `cap` keys.
    pub fn new(cap: usize) -> Self {
        Capped {
            cap: cap.max(1),
            entries: FastMap::default(),
            threshold: u64::MAX,
            overflow: V::default(),
            overflowed_keys: 0,
        }
    }

    /// The value for `key` (whose stable hash is `hash`), or the overflow value when the
    /// key falls outside the sample.
    pub fn slot(&mut self, key: &K, hash: u64) -> &mut V {
        self.slot_with(key, || hash)
    }

    /// Like [`Capped::slot`], computing the stable hash only for a key not yet kept: a
    /// kept key's hash is below the threshold by construction, so the per-record path
    /// for a known key is one map lookup.
    pub fn slot_with(&mut self, key: &K, hash: impl FnOnce() -> u64) -> &mut V {
        if self.entries.contains_key(key) {
            return &mut self.entries.get_mut(key).expect("present").1;
        }
        let hash = hash();
        if hash >= self.threshold {
            return &mut self.overflow;
        }
        if self.entries.len() >= self.cap * 2 {
            self.compact(self.cap);
            if hash >= self.threshold {
                return &mut self.overflow;
            }
        }
        &mut self
            .entries
            .entry(key.clone())
            .or_insert((hash, V::default()))
            .1
    }

    fn compact(&mut self, keep: usize) {
        if self.entries.len() <= keep {
            return;
        }
        let mut hashes: Vec<u64> = self.entries.values().map(|e| e.0).collect();
        hashes.sort_unstable();
        let cut = hashes[keep];
        self.threshold = self.threshold.min(cut);
        let threshold = self.threshold;
        let overflow = &mut self.overflow;
        let mut dropped = 0u64;
        self.entries.retain(|_, (h, v)| {
            if *h >= threshold {
                overflow.merge_from(v);
                dropped += 1;
                false
            } else {
                true
            }
        });
        self.overflowed_keys += dropped;
    }

    /// False when a key with this stable hash would go to the overflow: lets a caller
    /// skip work (interning its text) for keys the sample will not keep.
    pub fn admits(&self, hash: u64) -> bool {
        hash < self.threshold
    }

    /// The value for `key` when it is kept.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.entries.get_mut(key).map(|e| &mut e.1)
    }

    /// Applies the cap exactly; call before reading a merged result.
    pub fn normalize(&mut self) {
        self.compact(self.cap);
    }

    /// Folds `other` in, with its keys mapped by `map_key`.
    pub fn merge_with<F: Fn(&K) -> K>(&mut self, other: &Capped<K, V>, map_key: F) {
        self.threshold = self.threshold.min(other.threshold);
        self.overflow.merge_from(&other.overflow);
        self.overflowed_keys += other.overflowed_keys;
        for (k, (h, v)) in &other.entries {
            let k2 = map_key(k);
            self.slot(&k2, *h).merge_from(v);
        }
        // Entries kept before the threshold dropped must now go too.
        let threshold = self.threshold;
        let overflow = &mut self.overflow;
        self.entries.retain(|_, (h, v)| {
            if *h >= threshold {
                overflow.merge_from(v);
                false
            } else {
                true
            }
        });
    }

    /// The kept entries.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, (_, v))| (k, v))
    }

    /// Number of kept keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
