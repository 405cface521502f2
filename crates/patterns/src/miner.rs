//! The online miner: Drain's steps (He et al., ICWS 2017, §III) wired together.
//!
//! For each line: clip it to [`MAX_LINE_BYTES`], mask it ([`crate::mask()`], §III-A),
//! split it into `&str` tokens on ASCII whitespace (at most [`MAX_TOKENS`]), walk the
//! prefix tree to a leaf (§III-B, §III-C), pick the leaf's most similar cluster
//! (§III-D) and either merge the line into it or start a new cluster (§III-E).
//!
//! The hot path allocates the masked line and one `Vec<&str>` of token slices per
//! line; token comparisons are slice comparisons, tree lookups borrow the line's
//! tokens, and only a new cluster or a new tree node copies tokens.

use crate::cluster::{covers, fit, Cluster, Fit};
use crate::config::MinerConfig;
use crate::lru::Lru;
use crate::mask::{mask, WILDCARD};
use crate::multiline::is_continuation;
use crate::tree::Tree;

/// Index of a cluster in a [`Miner`]: dense, in creation order, never reused.
pub type ClusterId = usize;

/// Lines longer than this many bytes are cut (at a character boundary) before mining.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// Most tokens per line; the tokens of a longer line past `MAX_TOKENS - 1` are replaced
/// by one trailing `<*>`.
pub const MAX_TOKENS: usize = 256;

/// An online log template miner; see the crate documentation.
pub struct Miner {
    config: MinerConfig,
    tree: Tree,
    clusters: Vec<Cluster>,
    lru: Lru,
    live: usize,
    evictions: u64,
    /// Incremented once per mined line; orders cluster use for eviction.
    tick: u64,
    /// The cluster of the record [`Miner::add_line`] is in, if any.
    record: Option<ClusterId>,
}

/// One cluster, as listed by [`Miner::clusters`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInfo {
    /// The cluster's index, as returned by [`Miner::add`].
    pub index: ClusterId,
    /// The stable template id ([`Miner::id`]).
    pub id: String,
    /// The template, `<*>` marking variables ([`Miner::template`]).
    pub template: String,
    /// How many records were assigned to the cluster.
    pub count: u64,
    /// False once the cluster has been evicted (its template is then frozen).
    pub live: bool,
}

/// Sizes of a miner's structures, for reporting and for checking the memory bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Clusters created so far (live and evicted).
    pub clusters: usize,
    /// Live clusters: at most `max_clusters`.
    pub live_clusters: usize,
    /// Clusters evicted so far.
    pub evictions: u64,
    /// Prefix-tree nodes.
    pub nodes: usize,
    /// Most children of any tree node: at most `max_children`.
    pub widest_node: usize,
    /// Most live clusters in any leaf: at most `max_children`.
    pub fullest_leaf: usize,
}

impl Default for Miner {
    fn default() -> Self {
        Self::new(MinerConfig::default())
    }
}

fn clip(line: &str) -> &str {
    if line.len() <= MAX_LINE_BYTES {
        return line;
    }
    let mut end = MAX_LINE_BYTES;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line.get(..end).unwrap_or_default()
}

fn tokenize(masked: &str) -> Vec<&str> {
    let mut tokens: Vec<&str> = masked
        .split_ascii_whitespace()
        .take(MAX_TOKENS + 1)
        .collect();
    if tokens.len() > MAX_TOKENS {
        tokens.truncate(MAX_TOKENS - 1);
        tokens.push(WILDCARD);
    }
    tokens
}

impl Miner {
    /// A miner with `config`, clamped into range ([`MinerConfig::clamped`]).
    pub fn new(config: MinerConfig) -> Self {
        let config = config.clamped();
        Self {
            tree: Tree::new(config.token_layers(), config.max_children),
            config,
            clusters: Vec::new(),
            lru: Lru::default(),
            live: 0,
            evictions: 0,
            tick: 0,
            record: None,
        }
    }

    /// The configuration in use (after clamping).
    pub fn config(&self) -> MinerConfig {
        self.config
    }

    /// Mines one line on its own and returns its cluster, which may be new. The
    /// cluster's template may generalise as later lines arrive; read it with
    /// [`Miner::template`] once all lines are in for the final form.
    pub fn add(&mut self, line: &str) -> ClusterId {
        let masked = mask(clip(line));
        let tokens = tokenize(&masked);
        self.tick += 1;
        if let Some(cluster) = self.best_match(&tokens) {
            self.clusters[cluster].absorb(&tokens, self.tick);
            self.lru.touch(cluster);
            return cluster;
        }
        self.create(&tokens)
    }

    /// Mines one line of a multi-line log: a continuation line
    /// ([`crate::is_continuation`]: stack frames, `Caused by:`, `... 12 more`) is assigned
    /// the cluster of the record it continues, without being mined or counted; any other
    /// line starts a new record and is mined as by [`Miner::add`]. Call
    /// [`Miner::end_record`] where records cannot continue (between files).
    pub fn add_line(&mut self, line: &str) -> ClusterId {
        if is_continuation(line) {
            if let Some(record) = self.record {
                return record;
            }
        }
        let cluster = self.add(line);
        self.record = Some(cluster);
        cluster
    }

    /// Ends the current multi-line record: the next line starts a new one even if it
    /// looks like a continuation.
    pub fn end_record(&mut self) {
        self.record = None;
    }

    /// The live cluster whose template covers `line` (every constant token equal),
    /// without learning from it; `None` if there is none.
    pub fn find(&self, line: &str) -> Option<ClusterId> {
        let masked = mask(clip(line));
        let tokens = tokenize(&masked);
        let leaf = self.tree.search(&tokens)?;
        self.tree
            .node(leaf)
            .clusters
            .iter()
            .copied()
            .find(|&cluster| {
                self.clusters[cluster]
                    .tokens()
                    .is_some_and(|template| covers(template, &tokens))
            })
    }

    /// The cluster's current template: tokens joined by single spaces, `<*>` for
    /// variables. Empty for an index this miner never returned.
    pub fn template(&self, cluster: ClusterId) -> String {
        self.clusters
            .get(cluster)
            .map_or_else(String::new, Cluster::template)
    }

    /// The cluster's stable id: `p` followed by 12 hex digits of a hash of its current
    /// template (see the crate documentation). Empty for an index this miner never
    /// returned.
    pub fn id(&self, cluster: ClusterId) -> String {
        self.clusters
            .get(cluster)
            .map_or_else(String::new, Cluster::id)
    }

    /// How many records were assigned to the cluster (0 for an unknown index).
    pub fn count(&self, cluster: ClusterId) -> u64 {
        self.clusters.get(cluster).map_or(0, |c| c.count)
    }

    /// Clusters created so far, live or evicted.
    pub fn len(&self) -> usize {
        self.clusters.len()
    }

    /// True before the first line.
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    /// Every cluster created so far, in creation order, with its id, template and count.
    /// Two clusters can end with the same template, hence the same id (for example a
    /// pattern that was evicted and came back); group by id to merge them.
    pub fn clusters(&self) -> impl Iterator<Item = ClusterInfo> + '_ {
        self.clusters
            .iter()
            .enumerate()
            .map(|(index, cluster)| ClusterInfo {
                index,
                id: cluster.id(),
                template: cluster.template(),
                count: cluster.count,
                live: cluster.is_live(),
            })
    }

    /// Current sizes; walks the tree, so costs time proportional to its size.
    pub fn stats(&self) -> Stats {
        let nodes = self.tree.nodes();
        Stats {
            clusters: self.clusters.len(),
            live_clusters: self.live,
            evictions: self.evictions,
            nodes: nodes.len(),
            widest_node: nodes.iter().map(|n| n.children()).max().unwrap_or(0),
            fullest_leaf: nodes.iter().map(|n| n.clusters.len()).max().unwrap_or(0),
        }
    }

    /// The most similar live cluster of the line's leaf, if similar enough.
    fn best_match(&self, tokens: &[&str]) -> Option<ClusterId> {
        let leaf = self.tree.search(tokens)?;
        let mut best: Option<(Fit, ClusterId)> = None;
        for &cluster in &self.tree.node(leaf).clusters {
            let Some(template) = self.clusters[cluster].tokens() else {
                continue;
            };
            let candidate = fit(template, tokens);
            if best.is_none_or(|(fit, _)| candidate.better_than(&fit)) {
                best = Some((candidate, cluster));
            }
        }
        let (fit, cluster) = best?;
        (fit.similarity() >= self.config.similarity).then_some(cluster)
    }

    fn create(&mut self, tokens: &[&str]) -> ClusterId {
        let leaf = self.tree.insert(tokens);
        let leaf_clusters = &self.tree.node(leaf).clusters;
        if leaf_clusters.len() >= self.config.max_children {
            let stalest = leaf_clusters
                .iter()
                .copied()
                .min_by_key(|&cluster| self.clusters[cluster].last_used());
            if let Some(cluster) = stalest {
                self.evict(cluster);
            }
        }
        if self.live >= self.config.max_clusters {
            if let Some(cluster) = self.lru.oldest() {
                self.evict(cluster);
            }
        }
        let index = self.clusters.len();
        self.clusters.push(Cluster::new(tokens, leaf, self.tick));
        self.tree.node_mut(leaf).clusters.push(index);
        self.lru.push_front(index);
        self.live += 1;
        debug_assert!(self.live <= self.config.max_clusters);
        index
    }

    fn evict(&mut self, cluster: ClusterId) {
        self.lru.unlink(cluster);
        let Some(leaf) = self.clusters[cluster].leaf() else {
            return;
        };
        let in_leaf = &mut self.tree.node_mut(leaf).clusters;
        if let Some(position) = in_leaf.iter().position(|&c| c == cluster) {
            in_leaf.remove(position);
        }
        self.clusters[cluster].evict();
        self.live -= 1;
        self.evictions += 1;
    }
}
