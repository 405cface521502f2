//! Seeded randomness: one ChaCha8 stream per purpose, derived from the bundle seed and
//! a purpose name, so that adding draws in one part of the simulator does not change
//! what another part draws. Also the few distributions the simulator needs (log-normal
//! latencies, Poisson arrivals, weighted choices) and stable hashes for decisions that
//! must not depend on draw order (which users a per-user bug hits).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The simulator's random stream.
pub(crate) type SimRng = ChaCha8Rng;

/// A stream for `purpose`, derived from `seed`.
pub(crate) fn stream(seed: u64, purpose: &str) -> SimRng {
    SimRng::seed_from_u64(mix(seed, fnv64(purpose)))
}

/// FNV-1a over the bytes of `s`.
pub(crate) fn fnv64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser of `a` combined with `b`.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A stable number in [0, 1) for the pair `(a, b)`.
pub(crate) fn unit_hash(a: u64, b: u64) -> f64 {
    (mix(a, b) >> 11) as f64 / (1u64 << 53) as f64
}

/// A uniform number in [0, 1).
pub(crate) fn unit(rng: &mut SimRng) -> f64 {
    rng.random::<f64>()
}

/// True with probability `p`.
pub(crate) fn chance(rng: &mut SimRng, p: f64) -> bool {
    if p <= 0.0 {
        return false;
    }
    if p >= 1.0 {
        return true;
    }
    unit(rng) < p
}

/// A uniform integer in `[lo, hi]`.
pub(crate) fn int(rng: &mut SimRng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        return lo;
    }
    rng.random_range(lo..=hi)
}

/// A uniform float in `[lo, hi)`.
pub(crate) fn float(rng: &mut SimRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(rng)
}

/// A uniform index below `n` (0 when `n` is 0).
pub(crate) fn index(rng: &mut SimRng, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    rng.random_range(0..n)
}

/// One element of a non-empty slice.
pub(crate) fn pick<'a, T>(rng: &mut SimRng, items: &'a [T]) -> &'a T {
    &items[index(rng, items.len())]
}

/// A standard normal draw (Box-Muller).
pub(crate) fn normal(rng: &mut SimRng) -> f64 {
    let u1 = unit(rng).max(1e-12);
    let u2 = unit(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A log-normal draw with the given median and shape.
pub(crate) fn lognormal(rng: &mut SimRng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// An exponential draw with the given mean.
pub(crate) fn exponential(rng: &mut SimRng, mean: f64) -> f64 {
    -mean * (1.0 - unit(rng)).max(1e-12).ln()
}

/// A Poisson draw (Knuth below 30, normal approximation above).
pub(crate) fn poisson(rng: &mut SimRng, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean < 30.0 {
        let limit = (-mean).exp();
        let mut k = 0u64;
        let mut p = 1.0;
        loop {
            p *= unit(rng);
            if p <= limit {
                return k;
            }
            k += 1;
        }
    }
    let v = mean + mean.sqrt() * normal(rng);
    v.round().max(0.0) as u64
}

/// An index drawn with probability proportional to `weights`.
pub(crate) fn weighted(rng: &mut SimRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0;
    }
    let mut x = unit(rng) * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

/// An index drawn from a cumulative distribution (last value is the total).
pub(crate) fn from_cdf(rng: &mut SimRng, cdf: &[f64]) -> usize {
    let total = cdf.last().copied().unwrap_or(0.0);
    let x = unit(rng) * total;
    cdf.partition_point(|c| *c <= x)
        .min(cdf.len().saturating_sub(1))
}

/// Lowercase hex of `n` random bytes.
pub(crate) fn hex(rng: &mut SimRng, n: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(n * 2);
    for _ in 0..n {
        let b: u8 = rng.random();
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// `n` random characters from `alphabet`.
pub(crate) fn chars(rng: &mut SimRng, alphabet: &str, n: usize) -> String {
    let a: Vec<char> = alphabet.chars().collect();
    (0..n).map(|_| *pick(rng, &a)).collect()
}
