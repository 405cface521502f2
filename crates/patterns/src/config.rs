//! The miner's parameters, named and defaulted after Drain (He et al., ICWS 2017,
//! §III) and its reference implementation drain3 (`sim_th`, `depth`, `max_clusters`,
//! `max_children`).

/// Parameters of a [`crate::Miner`]. Out-of-range values are clamped by
/// [`crate::Miner::new`] (see each field), never rejected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinerConfig {
    /// Similarity threshold in `[0, 1]` (Drain's *st*): a line joins the most similar
    /// cluster of its leaf when the share of positions where the line's token equals the
    /// template's token reaches it. Default 0.5. NaN means the default.
    pub similarity: f64,
    /// Depth of the prefix tree as in the paper and drain3: the root, the token-count
    /// layer, the token layers and the leaf. `depth - 3` leading tokens key the tree
    /// (default 4: the first token). At least 3 (token count only).
    pub depth: usize,
    /// Most live clusters in total (default 20 000, at least 1). When a new cluster would
    /// exceed it, the least recently used cluster is evicted (see the crate docs).
    pub max_clusters: usize,
    /// Most children of an internal tree node, and most clusters in one leaf
    /// (default 100, at least 1). A full node sends new tokens down its `<*>` child;
    /// a full leaf evicts its least recently used cluster.
    pub max_children: usize,
}

impl Default for MinerConfig {
    fn default() -> Self {
        Self {
            similarity: 0.5,
            depth: 4,
            max_clusters: 20_000,
            max_children: 100,
        }
    }
}

impl MinerConfig {
    /// The configuration with every field brought into its valid range.
    pub fn clamped(self) -> Self {
        let default = Self::default();
        let similarity = if self.similarity.is_nan() {
            default.similarity
        } else {
            self.similarity.clamp(0.0, 1.0)
        };
        Self {
            similarity,
            depth: self.depth.max(3),
            max_clusters: self.max_clusters.max(1),
            max_children: self.max_children.max(1),
        }
    }

    /// How many leading tokens key the tree below the token-count layer.
    pub(crate) fn token_layers(&self) -> usize {
        self.depth.saturating_sub(3)
    }
}
