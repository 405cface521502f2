//! A sparse log-bucketed latency histogram with a bounded relative error (about 2%).
//!
//! It plays the role of a DDSketch, with two properties the Summary needs that a general
//! sketch does not give: counts are integers, so merging is exactly associative and
//! commutative (the Summary's property tests rely on that); and storage is a sorted run
//! of `(bucket, count)` pairs, so the many small cells of a Summary (one per time bucket ×
//! endpoint) cost tens of bytes instead of a dense array each.

use serde::{Deserialize, Serialize};

/// log(gamma) with gamma = 1.04, so each bucket spans 4% and the midpoint error is ~2%.
const LN_GAMMA: f64 = 0.039_220_713_153_281_3;
/// Values below 1 microsecond (in ms) all land in bucket `MIN_INDEX`.
const MIN_INDEX: i16 = -353;

/// Latency histogram in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyHistogram {
    bins: Vec<(i16, u32)>,
    count: u64,
}

fn index_of(ms: f64) -> i16 {
    if ms.is_nan() || ms <= 0.001 {
        return MIN_INDEX;
    }
    let i = (ms.ln() / LN_GAMMA).ceil();
    i.clamp(MIN_INDEX as f64, i16::MAX as f64) as i16
}

fn value_of(index: i16) -> f64 {
    // The geometric midpoint of the bucket (gamma^(i-1), gamma^i].
    ((index as f64 - 0.5) * LN_GAMMA).exp()
}

impl LatencyHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one observation in milliseconds.
    pub fn record(&mut self, ms: f64) {
        self.add(index_of(ms), 1);
    }

    fn add(&mut self, index: i16, n: u32) {
        self.count += n as u64;
        match self.bins.binary_search_by_key(&index, |b| b.0) {
            Ok(pos) => self.bins[pos].1 = self.bins[pos].1.saturating_add(n),
            Err(pos) => self.bins.insert(pos, (index, n)),
        }
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds every observation of `other`.
    ///
    /// Merged in place: the engine folds thousands of small cells into one running
    /// histogram per query, so this must not allocate when `other` adds no new bucket,
    /// and otherwise grows `self` once and merges from the back.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.bins.is_empty() {
            return;
        }
        if self.bins.is_empty() {
            self.bins.clone_from(&other.bins);
            self.count = other.count;
            return;
        }
        self.count += other.count;
        let b = &other.bins;
        let missing = {
            let a = &self.bins;
            let (mut i, mut j, mut missing) = (0, 0, 0);
            while j < b.len() {
                if i == a.len() {
                    missing += b.len() - j;
                    break;
                }
                match a[i].0.cmp(&b[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                    std::cmp::Ordering::Greater => {
                        missing += 1;
                        j += 1;
                    }
                }
            }
            missing
        };
        let old = self.bins.len();
        self.bins.resize(old + missing, (0, 0));
        let a = &mut self.bins;
        // Merge from the back: slots above `old` are free, and the write position never
        // overtakes the read position of `a`.
        let (mut i, mut j, mut k) = (old, b.len(), old + missing);
        while j > 0 {
            k -= 1;
            if i > 0 && a[i - 1].0 > b[j - 1].0 {
                a[k] = a[i - 1];
                i -= 1;
            } else if i > 0 && a[i - 1].0 == b[j - 1].0 {
                a[k] = (b[j - 1].0, a[i - 1].1.saturating_add(b[j - 1].1));
                i -= 1;
                j -= 1;
            } else {
                a[k] = b[j - 1];
                j -= 1;
            }
        }
    }

    /// The value at quantile `q` (0..=1), or `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).floor() as u64;
        let mut seen = 0u64;
        for &(i, n) in &self.bins {
            seen += n as u64;
            if seen > rank {
                return Some(value_of(i));
            }
        }
        self.bins.last().map(|b| value_of(b.0))
    }

    /// Share of observations above `ms`.
    pub fn share_above(&self, ms: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let cut = index_of(ms);
        let above: u64 = self
            .bins
            .iter()
            .filter(|b| b.0 > cut)
            .map(|b| b.1 as u64)
            .sum();
        above as f64 / self.count as f64
    }
}

/// Buckets a [`WindowHistogram`] holds densely; indexes above fold into the last one
/// (about 10^17 ms: no real latency gets there).
const WINDOW_SLOTS: usize = 1024;

/// A histogram over a sliding window of [`LatencyHistogram`]s: adding and removing a
/// cell costs its few buckets, so scanning a window across a day of 10-second cells is
/// linear instead of re-merging the whole window at every step. Quantiles are the
/// same as those of the merged [`LatencyHistogram`].
#[derive(Debug, Clone)]
pub struct WindowHistogram {
    slots: Vec<u64>,
    count: u64,
}

impl Default for WindowHistogram {
    fn default() -> Self {
        WindowHistogram {
            slots: vec![0; WINDOW_SLOTS],
            count: 0,
        }
    }
}

impl WindowHistogram {
    /// An empty window.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(index: i16) -> usize {
        ((index as i32 - MIN_INDEX as i32).max(0) as usize).min(WINDOW_SLOTS - 1)
    }

    /// Adds every observation of `h`.
    pub fn add(&mut self, h: &LatencyHistogram) {
        for &(i, n) in &h.bins {
            self.slots[Self::slot(i)] += n as u64;
        }
        self.count += h.bins.iter().map(|b| b.1 as u64).sum::<u64>();
    }

    /// Removes the observations of `h`, which must have been added.
    pub fn remove(&mut self, h: &LatencyHistogram) {
        for &(i, n) in &h.bins {
            let s = &mut self.slots[Self::slot(i)];
            *s = s.saturating_sub(n as u64);
        }
        self.count = self
            .count
            .saturating_sub(h.bins.iter().map(|b| b.1 as u64).sum::<u64>());
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The value at quantile `q`, as [`LatencyHistogram::quantile`] gives it.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).floor() as u64;
        let mut seen = 0u64;
        for (s, &n) in self.slots.iter().enumerate() {
            seen += n;
            if seen > rank {
                return Some(value_of((s as i32 + MIN_INDEX as i32) as i16));
            }
        }
        None
    }
}

/// Keeps a [`WindowHistogram`] equal to the merge of `cells[lo..hi]` as the range moves,
/// touching only the cells that enter or leave it.
#[derive(Debug, Clone, Default)]
pub struct SlidingWindow {
    /// The window's histogram.
    pub hist: WindowHistogram,
    lo: usize,
    hi: usize,
}

impl SlidingWindow {
    /// An empty window.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the window to `cells[lo..hi]` and returns its histogram.
    pub fn move_to(
        &mut self,
        cells: &[LatencyHistogram],
        lo: usize,
        hi: usize,
    ) -> &WindowHistogram {
        let hi = hi.min(cells.len());
        let lo = lo.min(hi);
        if lo >= self.hi || hi <= self.lo {
            // No overlap: cheaper to start again.
            self.hist = WindowHistogram::new();
            cells[lo..hi].iter().for_each(|h| self.hist.add(h));
        } else {
            for h in &cells[self.lo.min(lo)..lo.max(self.lo)] {
                if lo > self.lo {
                    self.hist.remove(h);
                } else {
                    self.hist.add(h);
                }
            }
            for h in &cells[self.hi.min(hi)..hi.max(self.hi)] {
                if hi > self.hi {
                    self.hist.add(h);
                } else {
                    self.hist.remove(h);
                }
            }
        }
        self.lo = lo;
        self.hi = hi;
        &self.hist
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_within_relative_error() {
        let mut h = LatencyHistogram::new();
        for i in 1..=1000 {
            h.record(i as f64);
        }
        let p50 = h.quantile(0.5).unwrap();
        let p99 = h.quantile(0.99).unwrap();
        assert!((p50 - 500.0).abs() / 500.0 < 0.03, "p50 {p50}");
        assert!((p99 - 990.0).abs() / 990.0 < 0.03, "p99 {p99}");
        assert!(LatencyHistogram::new().quantile(0.5).is_none());
        assert!((h.share_above(900.0) - 0.1).abs() < 0.05);
    }

    #[test]
    fn odd_values_do_not_panic() {
        let mut h = LatencyHistogram::new();
        for v in [f64::NAN, -1.0, 0.0, f64::INFINITY, 1e300, f64::MIN_POSITIVE] {
            h.record(v);
        }
        assert_eq!(h.count(), 6);
        assert!(h.quantile(1.0).is_some());
    }

    proptest! {
        #[test]
        fn sliding_window_matches_merge(
            cells in proptest::collection::vec(proptest::collection::vec(0.01f64..100000.0, 0..8), 1..40),
            moves in proptest::collection::vec((0usize..45, 0usize..45), 1..20),
        ) {
            let cells: Vec<LatencyHistogram> = cells
                .iter()
                .map(|v| { let mut h = LatencyHistogram::new(); v.iter().for_each(|x| h.record(*x)); h })
                .collect();
            let mut w = SlidingWindow::new();
            for (a, b) in moves {
                let (lo, hi) = (a.min(b).min(cells.len()), a.max(b).min(cells.len()));
                let got = w.move_to(&cells, lo, hi).clone();
                let mut want = LatencyHistogram::new();
                cells[lo..hi].iter().for_each(|h| want.merge(h));
                prop_assert_eq!(got.count(), want.count());
                for q in [0.0, 0.5, 0.95, 0.99, 1.0] {
                    prop_assert_eq!(got.quantile(q), want.quantile(q));
                }
            }
        }

        #[test]
        fn merge_is_associative_and_commutative(
            a in proptest::collection::vec(0.01f64..100000.0, 0..50),
            b in proptest::collection::vec(0.01f64..100000.0, 0..50),
            c in proptest::collection::vec(0.01f64..100000.0, 0..50),
        ) {
            let make = |v: &[f64]| { let mut h = LatencyHistogram::new(); v.iter().for_each(|x| h.record(*x)); h };
            let (ha, hb, hc) = (make(&a), make(&b), make(&c));
            let mut ab_c = ha.clone(); ab_c.merge(&hb); ab_c.merge(&hc);
            let mut bc = hb.clone(); bc.merge(&hc);
            let mut a_bc = ha.clone(); a_bc.merge(&bc);
            let mut c_ba = hc.clone(); c_ba.merge(&hb); c_ba.merge(&ha);
            prop_assert_eq!(&ab_c, &a_bc);
            prop_assert_eq!(&ab_c, &c_ba);
            let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
            prop_assert_eq!(&ab_c, &make(&all));
        }
    }
}
