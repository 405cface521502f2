//! Fuzzing entry point: runs masking and mining over arbitrary bytes, the way the
//! `patterns` verb does, and must return without panicking whatever the input. Used by
//! the crate's proptests and meant for a `cargo fuzz` target.

use crate::{mask, Miner, MinerConfig};

/// Feeds `data` as lossy UTF-8 lines to [`mask()`] and to a small miner (tight caps, so
/// eviction runs constantly), alternating [`Miner::add`] and [`Miner::add_line`], then
/// reads back every template and id. The first two bytes choose the depth and the
/// similarity threshold. In debug builds the memory bounds are asserted after each line.
pub fn fuzz(data: &[u8]) {
    let depth = 3 + usize::from(data.first().copied().unwrap_or(1) % 4);
    let similarity = f64::from(data.get(1).copied().unwrap_or(128)) / 255.0;
    let config = MinerConfig {
        similarity,
        depth,
        max_clusters: 16,
        max_children: 4,
    };
    let mut miner = Miner::new(config);
    let text = String::from_utf8_lossy(data);
    let mut assigned = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let masked = mask(line);
        debug_assert!(masked.len() <= line.len().saturating_mul(3) + 3);
        let cluster = if n % 3 == 2 {
            miner.add_line(line)
        } else {
            miner.add(line)
        };
        assigned.push(cluster);
        let _ = miner.find(line);
        if n % 7 == 6 {
            miner.end_record();
        }
        let stats = miner.stats();
        debug_assert!(stats.live_clusters <= config.max_clusters);
        debug_assert!(stats.fullest_leaf <= config.max_children);
        debug_assert!(stats.widest_node <= config.max_children);
    }
    for cluster in assigned {
        let _ = (miner.template(cluster), miner.id(cluster));
    }
    let _ = miner.clusters().count();
}
