//! The evidence model shared by every apitriage crate.
//!
//! Readers turn bytes into the borrowed records of [`record`]; records flow straight into
//! a [`Summary`], which is the seam between reading and reasoning: the engine's checks
//! read only the Summary and its bounded exemplars, never raw records. That is what lets
//! the same checks run on a 10 GB directory (per-thread Summaries that merge), a live
//! stream or a database query. Nothing in this crate does I/O.

pub mod capped;
pub mod classify;
pub mod exchange;
pub mod histogram;
pub mod intern;
pub mod path;
pub mod record;
pub mod report;
pub mod routes;
pub mod summary;
pub mod time;

pub use exchange::{Exchange, Header};
pub use histogram::{LatencyHistogram, SlidingWindow, WindowHistogram};
pub use record::{
    Change, ChangeKind, DownstreamKind, DownstreamRecord, LogRecord, MetricPoint, RequestRecord,
    Severity, Source,
};
pub use report::{
    BlastRadius, Culprit, Dimension, Finding, FirstSignal, InputStats, Report, Verdict,
};
pub use summary::Summary;

/// The hash map of the per-record hot path: foldhash instead of SipHash. Keys here are
/// interned ids and short strings, where SipHash's per-call setup costs more than the
/// lookup; the seed is still random per process, so iteration order is never relied on.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
