//! Log template mining for apitriage's `patterns` verb: group log lines and error
//! messages into templates such as `Receiving block blk_<*> src: /<*> dest: /<*>`.
//!
//! The algorithm is Drain — Pinjia He, Jieming Zhu, Zibin Zheng and Michael R. Lyu,
//! "Drain: An Online Log Parsing Approach with Fixed Depth Tree", IEEE ICWS 2017 — with
//! the defaults and conventions of its reference implementation, drain3 (so it can be
//! benchmarked against it):
//!
//! 1. [`mask()`] replaces obvious variables (numbers, hex, UUIDs, IPs with ports,
//!    timestamps, durations like `3000ms`, quoted strings, ids in paths, e-mail
//!    addresses) with `<*>` (paper §III-A);
//! 2. the masked line is split into tokens and walked down a fixed-depth prefix tree
//!    keyed by token count, then by the first `depth - 3` tokens (§III-B, §III-C;
//!    `tree`);
//! 3. the leaf's most similar cluster wins if its similarity reaches the threshold
//!    (default 0.5), and the template turns the disagreeing positions into `<*>`;
//!    otherwise the line starts a new cluster (§III-D, §III-E; `cluster`).
//!
//! # Template ids
//!
//! [`Miner::id`] is `p` followed by 12 hex digits (48 bits) of a fixed hash (FNV-1a with
//! a SplitMix64 finaliser) of the cluster's template text. A hash of the template rather
//! than the creation index, because the same template then has the same id in every
//! run, file and time window: a baseline and an incident can be compared pattern by
//! pattern, and reordering or prepending lines does not renumber anything. The id is
//! deterministic (same input, same ids) and, like the template, settles once the input
//! has been read: call [`Miner::id`] after the last [`Miner::add`] to label every line
//! with its final pattern, which is what `patterns --format json` prints
//! (`{"line": N, "pattern": id, "template": template}`). Two clusters that end with the
//! same template share the id, which is the desired reading. With 48 bits, a collision
//! between distinct templates is unlikely below millions of templates (about 2e-7 for
//! 10 000).
//!
//! # Bounded memory
//!
//! Two caps, both enforced by evicting the least recently used cluster (the policy of
//! drain3, chosen over merging because a forced merge smears unrelated templates into
//! all-`<*>` ones, while an evicted pattern that comes back simply re-forms, and since
//! ids hash the template it usually gets its old id back):
//!
//! - at most [`MinerConfig::max_children`] live clusters per leaf (and children per tree
//!   node, as in drain3): a full leaf evicts its own stalest cluster;
//! - at most [`MinerConfig::max_clusters`] live clusters in total: the globally stalest
//!   goes.
//!
//! Evicted clusters leave the tree (so the work per line stays bounded) but keep their
//! final template as one string, so an index [`Miner::add`] returned always answers
//! [`Miner::template`] and [`Miner::id`]; on inputs that churn through patterns this
//! archive grows by one template per eviction. Lines are cut to [`MAX_LINE_BYTES`] and
//! [`MAX_TOKENS`], so every template is bounded too.
//!
//! # Multi-line records
//!
//! The output of `patterns` has one object per input line, so stack traces are handled
//! by assignment rather than by joining lines: [`Miner::add_line`] gives a continuation
//! line ([`is_continuation`]: `\tat …`, `Caused by: …`, `... 12 more`) the cluster of the
//! record it belongs to, and mines only the record's first line. [`Miner::add`] mines
//! every line on its own.
//!
//! # Example
//!
//! ```
//! use apitriage_patterns::{Miner, MinerConfig};
//!
//! let mut miner = Miner::new(MinerConfig::default());
//! let a = miner.add("Failed password for invalid user admin from 183.62.140.253 port 38927 ssh2");
//! let b = miner.add("Failed password for invalid user oracle from 52.80.34.196 port 36060 ssh2");
//! assert_eq!(a, b);
//! assert_eq!(miner.template(a), "Failed password for invalid user <*> from <*> port <*> ssh2");
//! assert!(miner.id(a).starts_with('p'));
//! ```

mod cluster;
mod config;
mod fuzz;
mod hash;
mod lru;
mod mask;
mod miner;
mod multiline;
mod timestamp;
mod tree;
mod values;

pub use config::MinerConfig;
pub use fuzz::fuzz;
pub use mask::{mask, WILDCARD};
pub use miner::{ClusterId, ClusterInfo, Miner, Stats, MAX_LINE_BYTES, MAX_TOKENS};
pub use multiline::is_continuation;
