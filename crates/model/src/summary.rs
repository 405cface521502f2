//! The Summary: everything the checks need, in bounded memory, mergeable.
//!
//! Records are folded in as they are read; nothing is kept per record except bounded
//! exemplars. Every part merges by addition (counts, integer histograms, bottom-k
//! samples and caps keyed by stable hashes), so `merge` is associative and commutative
//! and per-thread Summaries can be combined in any order. Memory grows with time span ×
//! endpoints, dependencies and kept dimension values, never with record count.
//!
//! Keys are interned strings ([`Sym`]); a Sym is meaningful only with the Summary that
//! issued it. `merge` re-maps the other side's Syms.

use crate::capped::{Capped, Mergeable};
use crate::classify::{self, Signal};
use crate::exchange::Exchange;
use crate::histogram::LatencyHistogram;
use crate::intern::{stable_hash, Interner, Sym};
use crate::path;
use crate::record::*;
use crate::report::{InputStats, KindStats};
use crate::time::{Nanos, SECOND};
use crate::FastMap;
use std::collections::BTreeMap;

/// Width of the finest time bucket.
pub const BUCKET: Nanos = 10 * SECOND;
/// Width of the dimension and signature time buckets.
pub const COARSE_BUCKET: Nanos = 60 * SECOND;
/// Distinct values kept per blast-radius dimension.
pub const DIM_VALUES_CAP: usize = 4096;
/// Distinct error signatures kept.
pub const SIGNATURES_CAP: usize = 4096;
/// Distinct metric series kept.
pub const METRIC_SERIES_CAP: usize = 8192;
/// Exemplars kept per service × endpoint × failure class.
pub const EXEMPLARS_PER_KEY: usize = 24;
/// Captured exchanges kept.
pub const EXCHANGES_CAP: usize = 20_000;
/// Problems (bad records) reported verbatim; the rest are only counted.
pub const PROBLEMS_CAP: usize = 20;

/// The bucket index of a time.
pub fn bucket_of(t: Nanos) -> i64 {
    t.div_euclid(BUCKET)
}

/// The coarse bucket index of a time.
pub fn coarse_of(t: Nanos) -> i64 {
    t.div_euclid(COARSE_BUCKET)
}

/// Status key used in [`RequestCell::statuses`] for a request with no status that succeeded.
pub const NO_STATUS_OK: u16 = 0;
/// Status key for a request with no status that the telemetry marked as failed.
pub const NO_STATUS_ERROR: u16 = 1;

/// Requests of one endpoint in one time bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestCell {
    /// (status, count), sorted by status; see [`NO_STATUS_OK`] / [`NO_STATUS_ERROR`].
    pub statuses: Vec<(u16, u32)>,
    /// Latency of every request.
    pub latency: LatencyHistogram,
    /// Requests that were re-sends (`resend_count > 0`).
    pub resent: u32,
    /// Re-sends that failed.
    pub resent_failed: u32,
    /// First attempts that failed.
    pub first_failed: u32,
    /// Successful requests whose trace was seen whole enough to know about writes.
    pub ok_write_known: u32,
    /// ...of which the trace held a downstream write.
    pub ok_wrote: u32,
}

impl RequestCell {
    /// All requests.
    pub fn total(&self) -> u64 {
        self.statuses.iter().map(|s| s.1 as u64).sum()
    }

    /// Requests with a status in `lo..=hi`.
    pub fn count_in(&self, lo: u16, hi: u16) -> u64 {
        self.statuses
            .iter()
            .filter(|s| s.0 >= lo && s.0 <= hi)
            .map(|s| s.1 as u64)
            .sum()
    }

    /// Server-side failures: 5xx and errors without a status.
    pub fn server_errors(&self) -> u64 {
        self.count_in(500, 599) + self.count_in(NO_STATUS_ERROR, NO_STATUS_ERROR)
    }

    /// Client errors: 4xx.
    pub fn client_errors(&self) -> u64 {
        self.count_in(400, 499)
    }

    fn add_status(&mut self, status: u16, n: u32) {
        match self.statuses.binary_search_by_key(&status, |s| s.0) {
            Ok(i) => self.statuses[i].1 += n,
            Err(i) => self.statuses.insert(i, (status, n)),
        }
    }

    fn merge(&mut self, o: &RequestCell) {
        for &(s, n) in &o.statuses {
            self.add_status(s, n);
        }
        self.latency.merge(&o.latency);
        self.resent += o.resent;
        self.resent_failed += o.resent_failed;
        self.first_failed += o.first_failed;
        self.ok_write_known += o.ok_write_known;
        self.ok_wrote += o.ok_wrote;
    }
}

/// Calls from one service to one downstream in one time bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DownstreamCell {
    /// Calls.
    pub calls: u32,
    /// Failed calls.
    pub errors: u32,
    /// Failures by class (index of [`Signal::ALL`]).
    pub signals: [u32; 15],
    /// Calls that were re-sends of an earlier attempt.
    pub resent: u32,
    /// Calls answered 429.
    pub rate_limited: u32,
    /// Largest Retry-After seen, seconds.
    pub max_retry_after_s: f64,
    /// Latency.
    pub latency: LatencyHistogram,
}

impl DownstreamCell {
    fn merge(&mut self, o: &DownstreamCell) {
        self.calls += o.calls;
        self.errors += o.errors;
        for (a, b) in self.signals.iter_mut().zip(o.signals.iter()) {
            *a += b;
        }
        self.resent += o.resent;
        self.rate_limited += o.rate_limited;
        self.max_retry_after_s = self.max_retry_after_s.max(o.max_retry_after_s);
        self.latency.merge(&o.latency);
    }

    /// Count of one failure class.
    pub fn signal(&self, s: Signal) -> u32 {
        self.signals[signal_index(s)]
    }
}

/// Index of a signal in [`Signal::ALL`].
pub fn signal_index(s: Signal) -> usize {
    Signal::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// An edge of the endpoint → downstream map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edge {
    /// Kind of downstream.
    pub kind: DownstreamKind,
    /// Calls seen.
    pub calls: u64,
    /// Calls that write.
    pub writes: u64,
}

/// Log counts of one service in one time bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogCell {
    /// Records by severity (index: Unspecified..Fatal).
    pub by_severity: [u32; 6],
    /// Warn+ records by class (index of [`Signal::ALL`]).
    pub signals: [u32; 15],
}

/// Counts of one dimension value in one coarse bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DimCounts {
    /// Requests.
    pub total: u32,
    /// 4xx.
    pub client_errors: u32,
    /// 5xx and errors.
    pub server_errors: u32,
    /// Slower than the request's endpoint baseline is not known at ingest; this counts
    /// requests over one second, a coarse proxy the blast radius uses for latency incidents.
    pub slow: u32,
}

/// A dimension value's counts over time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DimSeries(pub BTreeMap<i64, DimCounts>);

impl Mergeable for DimSeries {
    fn merge_from(&mut self, o: &Self) {
        for (k, v) in &o.0 {
            let e = self.0.entry(*k).or_default();
            e.total += v.total;
            e.client_errors += v.client_errors;
            e.server_errors += v.server_errors;
            e.slow += v.slow;
        }
    }
}

/// One error signature (exception type + masked message) of one service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignatureStats {
    /// Occurrences per coarse bucket.
    pub counts: BTreeMap<i64, u32>,
    /// Earliest occurrence.
    pub first: Nanos,
    /// The earliest full message (first line, bounded).
    pub example: String,
    /// Exception type, if any.
    pub exception_type: String,
    /// Endpoints it was seen on.
    pub endpoints: BTreeMap<String, u32>,
    /// Releases it was seen on.
    pub versions: BTreeMap<String, u32>,
    /// Its class, if recognised.
    pub signal: Option<Signal>,
    /// True when seen as a span exception event.
    pub from_trace: bool,
}

impl Mergeable for SignatureStats {
    fn merge_from(&mut self, o: &Self) {
        for (k, v) in &o.counts {
            *self.counts.entry(*k).or_default() += v;
        }
        let take_other = !o.example.is_empty()
            && (self.example.is_empty() || (o.first, &o.example) < (self.first, &self.example));
        if take_other {
            self.first = o.first;
            self.example = o.example.clone();
        }
        if !o.exception_type.is_empty()
            && (self.exception_type.is_empty() || o.exception_type < self.exception_type)
        {
            self.exception_type = o.exception_type.clone();
        }
        for (k, v) in &o.endpoints {
            *self.endpoints.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.versions {
            *self.versions.entry(k.clone()).or_default() += v;
        }
        self.signal = self.signal.or(o.signal);
        self.from_trace |= o.from_trace;
    }
}

/// Aggregate of a metric's samples in one bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricAgg {
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
    /// Sum of samples.
    pub sum: f64,
    /// Number of samples.
    pub count: u32,
}

impl MetricAgg {
    /// Mean of the samples.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }
}

/// One metric series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricSeries {
    /// Metric name.
    pub name: String,
    /// Labels, sorted, `k="v"` joined by commas.
    pub labels: String,
    /// The service the labels point at ("" if none).
    pub service: String,
    /// A cumulative counter.
    pub cumulative: bool,
    /// Per-bucket aggregates.
    pub points: BTreeMap<i64, MetricAgg>,
}

impl Mergeable for MetricSeries {
    fn merge_from(&mut self, o: &Self) {
        if self.name.is_empty() {
            self.name = o.name.clone();
            self.labels = o.labels.clone();
            self.service = o.service.clone();
        }
        self.cumulative |= o.cumulative;
        for (k, v) in &o.points {
            self.points
                .entry(*k)
                .and_modify(|a| {
                    a.min = a.min.min(v.min);
                    a.max = a.max.max(v.max);
                    a.sum += v.sum;
                    a.count += v.count;
                })
                .or_insert(*v);
        }
    }
}

/// A failing request kept as an example.
#[derive(Debug, Clone, PartialEq)]
pub struct Exemplar {
    /// When.
    pub time: Nanos,
    /// Service.
    pub service: String,
    /// Endpoint ("POST /checkout").
    pub endpoint: String,
    /// Status, if any.
    pub status: Option<u16>,
    /// Error type, if any.
    pub error_type: Option<String>,
    /// Duration ms.
    pub duration_ms: Option<f64>,
    /// Trace id.
    pub trace_id: Option<String>,
    /// Release.
    pub version: Option<String>,
    /// Dimensions.
    pub dims: Vec<(String, String)>,
    /// Source kind.
    pub source: Option<Source>,
    /// The first handler step that failed.
    pub failing_step: Option<String>,
    /// Sampling key.
    pub rank: u64,
}

/// First and last sighting of a release of a service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VersionSeen {
    /// First time seen.
    pub first: Nanos,
    /// Last time seen.
    pub last: Nanos,
    /// Records carrying it.
    pub count: u64,
}

/// An OpenAPI document found among the inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecDoc {
    /// Where it came from.
    pub file: String,
    /// `info.version`.
    pub version: String,
    /// The parsed document.
    pub doc: serde_json::Value,
}

/// Key of a request cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestKey {
    /// Bucket index.
    pub bucket: i64,
    /// Service.
    pub service: Sym,
    /// Endpoint.
    pub endpoint: Sym,
}

/// Key of a downstream cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DownstreamKey {
    /// Bucket index.
    pub bucket: i64,
    /// Calling service.
    pub caller: Sym,
    /// Downstream.
    pub downstream: Sym,
}

/// Everything the checks read. See the module documentation.
#[derive(Debug, Clone)]
pub struct Summary {
    /// String table for the Sym keys below.
    pub strings: Interner,
    /// Requests per bucket × service × endpoint.
    pub requests: FastMap<RequestKey, RequestCell>,
    /// Downstream calls per bucket × caller × downstream.
    pub downstream: FastMap<DownstreamKey, DownstreamCell>,
    /// The endpoint → downstream map: (caller, caller endpoint, downstream).
    pub edges: FastMap<(Sym, Sym, Sym), Edge>,
    /// Log counts per bucket × service.
    pub logs: FastMap<(i64, Sym), LogCell>,
    /// Blast-radius dimensions: name → value → counts over time.
    pub dims: FastMap<Sym, Capped<Sym, DimSeries>>,
    /// Error signatures: (service, signature) → stats.
    pub signatures: Capped<(Sym, Sym), SignatureStats>,
    /// Metric series by key.
    pub metrics: Capped<Sym, MetricSeries>,
    /// Releases seen per service: (service, version).
    pub versions: FastMap<(Sym, Sym), VersionSeen>,
    /// Failing examples: (service, endpoint, class 4 or 5) → bottom-k by rank.
    pub exemplars: FastMap<(Sym, Sym, u8), Vec<Exemplar>>,
    /// Captured exchanges (HAR), bounded.
    pub exchanges: Vec<Exchange>,
    /// Change events.
    pub changes: Vec<Change>,
    /// OpenAPI documents.
    pub specs: Vec<SpecDoc>,
    /// Earliest record time.
    pub min_time: Option<Nanos>,
    /// Latest record time.
    pub max_time: Option<Nanos>,
    /// What was read.
    pub input: InputStats,
    /// Problems beyond [`PROBLEMS_CAP`], counted only.
    pub problems_dropped: u64,
    /// Reused buffer for endpoint keys, so folding in a record allocates nothing once
    /// its strings have been seen.
    scratch: String,
    /// Dimension names seen, by address: records name their dimensions with the same few
    /// static strings, so this skips hashing the name on every record.
    dim_names: Vec<(usize, Sym)>,
}

impl Default for Summary {
    fn default() -> Self {
        Summary::new()
    }
}

fn status_class(status: Option<u16>, error: bool) -> u8 {
    match status {
        Some(s) if s >= 500 => 5,
        Some(s) if s >= 400 => 4,
        Some(_) => 0,
        None if error => 5,
        None => 0,
    }
}

const SERVICE_LABELS: &[&str] = &[
    "service",
    "service_name",
    "service.name",
    "job",
    "app",
    "application",
    "app_kubernetes_io_name",
    "container",
    "deployment",
];

impl Summary {
    /// An empty Summary.
    pub fn new() -> Self {
        Summary {
            strings: Interner::new(),
            requests: FastMap::default(),
            downstream: FastMap::default(),
            edges: FastMap::default(),
            logs: FastMap::default(),
            dims: FastMap::default(),
            signatures: Capped::new(SIGNATURES_CAP),
            metrics: Capped::new(METRIC_SERIES_CAP),
            versions: FastMap::default(),
            exemplars: FastMap::default(),
            exchanges: Vec::new(),
            changes: Vec::new(),
            specs: Vec::new(),
            min_time: None,
            max_time: None,
            input: InputStats::default(),
            problems_dropped: 0,
            scratch: String::new(),
            dim_names: Vec::new(),
        }
    }

    /// The string of a Sym.
    pub fn s(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }

    fn see_time(&mut self, t: Nanos) {
        if t <= 0 {
            return;
        }
        self.min_time = Some(self.min_time.map_or(t, |m| m.min(t)));
        self.max_time = Some(self.max_time.map_or(t, |m| m.max(t)));
    }

    fn see_version(&mut self, service: Sym, version: Option<&str>, t: Nanos) {
        let Some(v) = version.filter(|v| !v.is_empty()) else {
            return;
        };
        let vs = self.strings.intern(v);
        let e = self.versions.entry((service, vs)).or_insert(VersionSeen {
            first: t,
            last: t,
            count: 0,
        });
        e.first = e.first.min(t);
        e.last = e.last.max(t);
        e.count += 1;
    }

    /// Folds in one served request.
    pub fn add_request(&mut self, r: &RequestRecord<'_>) {
        self.see_time(r.time);
        let service = self.strings.intern(r.service);
        let mut scratch = std::mem::take(&mut self.scratch);
        path::endpoint_into(r.method, r.route, r.route_is_template, &mut scratch);
        let endpoint = self.strings.intern(&scratch);
        self.see_version(service, r.version, r.time);
        let status_key = match r.status {
            Some(s) => s,
            None if r.error => NO_STATUS_ERROR,
            None => NO_STATUS_OK,
        };
        let class = status_class(r.status, r.error);
        let failed = class != 0;
        let cell = self
            .requests
            .entry(RequestKey {
                bucket: bucket_of(r.time),
                service,
                endpoint,
            })
            .or_default();
        cell.add_status(status_key, 1);
        if let Some(d) = r.duration_ms {
            cell.latency.record(d);
        }
        if r.resend_count > 0 {
            cell.resent += 1;
            cell.resent_failed += failed as u32;
        } else if failed {
            cell.first_failed += 1;
        }
        if !failed {
            if let Some(w) = r.wrote {
                cell.ok_write_known += 1;
                cell.ok_wrote += w as u32;
            }
        }
        let counts = DimCounts {
            total: 1,
            client_errors: (class == 4) as u32,
            server_errors: (class == 5) as u32,
            slow: r.duration_ms.is_some_and(|d| d > 1000.0) as u32,
        };
        let coarse = coarse_of(r.time);
        self.add_dim("endpoint", &scratch, coarse, counts);
        self.scratch = scratch;
        if !r.service.is_empty() {
            self.add_dim("service", r.service, coarse, counts);
        }
        if let Some(v) = r.version.filter(|v| !v.is_empty()) {
            self.add_dim("release", v, coarse, counts);
        }
        for (name, value) in r.dims {
            if !value.is_empty() {
                self.add_dim(name, value, coarse, counts);
            }
        }
        if failed {
            self.add_exemplar(service, endpoint, class, r);
        }
    }

    fn add_dim(&mut self, name: &str, value: &str, coarse: i64, c: DimCounts) {
        let n = self.dim_name(name);
        let capped = self
            .dims
            .entry(n)
            .or_insert_with(|| Capped::new(DIM_VALUES_CAP));
        // A value the bounded sample will not keep is never interned: the string table
        // must not grow with the number of users, IPs or user agents.
        let known = self.strings.get(value);
        let series = match known {
            Some(v) if capped.get_mut(&v).is_some() => capped.get_mut(&v).expect("checked"),
            _ => {
                let hash = stable_hash(&[name, value]);
                if capped.admits(hash) {
                    let v = known.unwrap_or_else(|| self.strings.intern(value));
                    capped.slot(&v, hash)
                } else {
                    &mut capped.overflow
                }
            }
        };
        // Records arrive mostly in time order: the latest minute is the usual target.
        let e = match series.0.last_entry() {
            Some(last) if *last.key() == coarse => last.into_mut(),
            _ => series.0.entry(coarse).or_default(),
        };
        e.total += c.total;
        e.client_errors += c.client_errors;
        e.server_errors += c.server_errors;
        e.slow += c.slow;
    }

    fn dim_name(&mut self, name: &str) -> Sym {
        let addr = name.as_ptr() as usize;
        for &(a, sym) in &self.dim_names {
            // The address is a hint; the text decides.
            if a == addr && self.strings.resolve(sym) == name {
                return sym;
            }
        }
        let sym = self.strings.intern(name);
        if self.dim_names.len() < 32 {
            self.dim_names.push((addr, sym));
        }
        sym
    }

    fn add_exemplar(&mut self, service: Sym, endpoint: Sym, class: u8, r: &RequestRecord<'_>) {
        let time_text = r.time.to_string();
        let rank = stable_hash(&[r.trace_id.unwrap_or(&time_text), &time_text]);
        let list = self
            .exemplars
            .entry((service, endpoint, class))
            .or_default();
        if list.len() >= EXEMPLARS_PER_KEY && list.last().is_some_and(|l| l.rank <= rank) {
            return;
        }
        let ex = Exemplar {
            time: r.time,
            service: r.service.to_string(),
            endpoint: self.strings.resolve(endpoint).to_string(),
            status: r.status,
            error_type: r.error_type.map(str::to_string),
            duration_ms: r.duration_ms,
            trace_id: r.trace_id.map(str::to_string),
            version: r.version.map(str::to_string),
            dims: r
                .dims
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            source: r.source,
            failing_step: r.failing_step.map(str::to_string),
            rank,
        };
        let list = self
            .exemplars
            .entry((service, endpoint, class))
            .or_default();
        insert_ranked(list, ex);
    }

    /// Folds in one downstream call.
    pub fn add_downstream(&mut self, d: &DownstreamRecord<'_>) {
        self.see_time(d.time);
        let caller = self.strings.intern(d.caller);
        let ds = self.strings.intern(d.downstream);
        let ep = self.strings.intern(d.caller_endpoint);
        let edge = self.edges.entry((caller, ep, ds)).or_default();
        edge.kind = d.kind;
        edge.calls += 1;
        edge.writes += d.write as u64;
        let cell = self
            .downstream
            .entry(DownstreamKey {
                bucket: bucket_of(d.time),
                caller,
                downstream: ds,
            })
            .or_default();
        cell.calls += 1;
        cell.resent += (d.resend_count > 0) as u32;
        let failed = d.error || d.status.is_some_and(|s| s >= 500 || s == 429);
        if failed {
            cell.errors += 1;
            let sig = d
                .error_text
                .and_then(classify::signal_of)
                .or_else(|| d.status.and_then(classify::signal_of_status));
            if let Some(s) = sig {
                cell.signals[signal_index(s)] += 1;
            }
        }
        if d.status == Some(429) {
            cell.rate_limited += 1;
        }
        if let Some(ra) = d.retry_after_s {
            cell.max_retry_after_s = cell.max_retry_after_s.max(ra);
        }
        if let Some(ms) = d.duration_ms {
            cell.latency.record(ms);
        }
    }

    /// Folds in one log record.
    pub fn add_log(&mut self, l: &LogRecord<'_>) {
        self.see_time(l.time);
        let service = self.strings.intern(l.service);
        self.see_version(service, l.version, l.time);
        let cell = self.logs.entry((bucket_of(l.time), service)).or_default();
        cell.by_severity[l.severity as usize] += 1;
        let errorish = l.severity >= Severity::Warn || l.exception_type.is_some();
        if !errorish {
            return;
        }
        let message = l.exception_message.unwrap_or(l.body);
        let text_for_class = match l.exception_type {
            Some(t) => format!("{t}: {message}"),
            None => message.to_string(),
        };
        let signal = classify::signal_of(&text_for_class);
        if let Some(s) = signal {
            cell.signals[signal_index(s)] += 1;
        }
        if !l.severity.is_error() && l.exception_type.is_none() {
            return;
        }
        let signature = match l.exception_type {
            Some(t) => format!("{t}: {}", classify::mask(message)),
            None => classify::mask(message),
        };
        let sig = self.strings.intern(&signature);
        let hash = stable_hash(&[l.service, &signature]);
        let stats = self.signatures.slot(&(service, sig), hash);
        *stats.counts.entry(coarse_of(l.time)).or_default() += 1;
        let first_line = crate::exchange::truncate(message.lines().next().unwrap_or(""), 300);
        if stats.example.is_empty() || (l.time, first_line) < (stats.first, stats.example.as_str())
        {
            stats.first = l.time;
            stats.example = first_line.to_string();
        }
        if let Some(t) = l.exception_type {
            if stats.exception_type.is_empty() || t < stats.exception_type.as_str() {
                stats.exception_type = t.to_string();
            }
        }
        if let Some(e) = l.endpoint.filter(|e| !e.is_empty()) {
            bump(&mut stats.endpoints, e);
        }
        if let Some(v) = l.version.filter(|v| !v.is_empty()) {
            bump(&mut stats.versions, v);
        }
        stats.signal = stats.signal.or(signal);
        stats.from_trace |= l.source == Some(Source::Trace);
    }

    /// Folds in one metric sample.
    pub fn add_metric(&mut self, m: &MetricPoint<'_>) {
        if !m.value.is_finite() {
            return;
        }
        self.see_time(m.time);
        let mut labels: Vec<(&str, &str)> = m.labels.to_vec();
        labels.sort_unstable();
        let mut key = String::with_capacity(m.name.len() + 32);
        key.push_str(m.name);
        key.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                key.push(',');
            }
            key.push_str(k);
            key.push_str("=\"");
            key.push_str(v);
            key.push('"');
        }
        key.push('}');
        let sym = self.strings.intern(&key);
        let hash = stable_hash(&[&key]);
        let series = self.metrics.slot(&sym, hash);
        if series.name.is_empty() {
            series.name = m.name.to_string();
            series.labels = key[m.name.len() + 1..key.len() - 1].to_string();
            series.service = SERVICE_LABELS
                .iter()
                .find_map(|l| {
                    labels
                        .iter()
                        .find(|(k, _)| k == l)
                        .map(|(_, v)| v.to_string())
                })
                .unwrap_or_default();
        }
        series.cumulative |= m.cumulative;
        series
            .points
            .entry(bucket_of(m.time))
            .and_modify(|a| {
                a.min = a.min.min(m.value);
                a.max = a.max.max(m.value);
                a.sum += m.value;
                a.count += 1;
            })
            .or_insert(MetricAgg {
                min: m.value,
                max: m.value,
                sum: m.value,
                count: 1,
            });
    }

    /// Adds a change event.
    pub fn add_change(&mut self, c: Change) {
        self.see_time(c.time);
        self.changes.push(c);
    }

    /// Adds a captured exchange (already redacted).
    pub fn add_exchange(&mut self, e: Exchange) {
        self.see_time(e.time);
        self.exchanges.push(e);
        if self.exchanges.len() > EXCHANGES_CAP * 2 {
            self.trim_exchanges();
        }
    }

    fn trim_exchanges(&mut self) {
        self.exchanges.sort_by(|a, b| {
            (a.time, &a.file, a.entry)
                .partial_cmp(&(b.time, &b.file, b.entry))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        self.exchanges
            .dedup_by(|a, b| a.file == b.file && a.entry == b.entry);
        // Keep the latest: the failing example and the path into it are at the end.
        if self.exchanges.len() > EXCHANGES_CAP {
            let cut = self.exchanges.len() - EXCHANGES_CAP;
            self.exchanges.drain(..cut);
        }
    }

    /// Adds an OpenAPI document.
    pub fn add_spec(&mut self, s: SpecDoc) {
        self.specs.push(s);
    }

    /// Counts a file of `kind` as read.
    pub fn count_file(&mut self, kind: &str) {
        self.input.files += 1;
        self.kind_mut(kind).files += 1;
    }

    /// Counts `n` records of `kind` as read.
    pub fn count_records(&mut self, kind: &str, n: u64) {
        self.input.records += n;
        self.kind_mut(kind).records += n;
    }

    /// Counts one skipped record of `kind`, keeping the message if few were kept so far.
    pub fn skip(&mut self, kind: &str, message: String) {
        self.input.skipped += 1;
        self.kind_mut(kind).skipped += 1;
        self.problem(message);
    }

    /// Records a problem message (bounded).
    pub fn problem(&mut self, message: String) {
        if self.input.problems.len() < PROBLEMS_CAP {
            self.input.problems.push(message);
        } else {
            self.problems_dropped += 1;
        }
    }

    /// Notes a file that was not read, with why.
    pub fn ignore(&mut self, message: String) {
        self.input.ignored.push(message);
    }

    fn kind_mut(&mut self, kind: &str) -> &mut KindStats {
        if !self.input.kinds.contains_key(kind) {
            self.input
                .kinds
                .insert(kind.to_string(), KindStats::default());
        }
        self.input.kinds.get_mut(kind).expect("inserted above")
    }

    /// Adds everything in `other` into `self`.
    pub fn merge(&mut self, other: &Summary) {
        let map = self.strings.absorb(&other.strings);
        let m = |s: Sym| map[s.0 as usize];
        for (k, v) in &other.requests {
            let key = RequestKey {
                bucket: k.bucket,
                service: m(k.service),
                endpoint: m(k.endpoint),
            };
            self.requests.entry(key).or_default().merge(v);
        }
        for (k, v) in &other.downstream {
            let key = DownstreamKey {
                bucket: k.bucket,
                caller: m(k.caller),
                downstream: m(k.downstream),
            };
            self.downstream.entry(key).or_default().merge(v);
        }
        for (&(a, b, c), v) in &other.edges {
            let e = self.edges.entry((m(a), m(b), m(c))).or_default();
            e.kind = v.kind;
            e.calls += v.calls;
            e.writes += v.writes;
        }
        for (&(bucket, svc), v) in &other.logs {
            let e = self.logs.entry((bucket, m(svc))).or_default();
            for (a, b) in e.by_severity.iter_mut().zip(v.by_severity.iter()) {
                *a += b;
            }
            for (a, b) in e.signals.iter_mut().zip(v.signals.iter()) {
                *a += b;
            }
        }
        for (name, values) in &other.dims {
            self.dims
                .entry(m(*name))
                .or_insert_with(|| Capped::new(DIM_VALUES_CAP))
                .merge_with(values, |v| m(*v));
        }
        self.signatures
            .merge_with(&other.signatures, |&(a, b)| (m(a), m(b)));
        self.metrics.merge_with(&other.metrics, |s| m(*s));
        for (&(svc, ver), v) in &other.versions {
            let key = (m(svc), m(ver));
            match self.versions.get_mut(&key) {
                Some(e) => {
                    e.first = e.first.min(v.first);
                    e.last = e.last.max(v.last);
                    e.count += v.count;
                }
                None => {
                    self.versions.insert(key, *v);
                }
            }
        }
        for (&(s, e, c), list) in &other.exemplars {
            let mine = self.exemplars.entry((m(s), m(e), c)).or_default();
            for ex in list {
                insert_ranked(mine, ex.clone());
            }
        }
        self.exchanges.extend(other.exchanges.iter().cloned());
        if self.exchanges.len() > EXCHANGES_CAP {
            self.trim_exchanges();
        }
        self.changes.extend(other.changes.iter().cloned());
        self.specs.extend(other.specs.iter().cloned());
        if let Some(t) = other.min_time {
            self.see_time(t);
        }
        if let Some(t) = other.max_time {
            self.see_time(t);
        }
        let i = &mut self.input;
        i.files += other.input.files;
        i.records += other.input.records;
        i.skipped += other.input.skipped;
        for (k, v) in &other.input.kinds {
            let e = i.kinds.entry(k.clone()).or_default();
            e.files += v.files;
            e.records += v.records;
            e.skipped += v.skipped;
        }
        i.ignored.extend(other.input.ignored.iter().cloned());
        i.problems.extend(other.input.problems.iter().cloned());
        self.problems_dropped += other.problems_dropped;
    }

    /// Puts the Summary in canonical order and applies every cap exactly. Call once
    /// after the last merge and before checks read it.
    pub fn finish(&mut self) {
        self.fold_rare_siblings();
        for d in self.dims.values_mut() {
            d.normalize();
        }
        self.signatures.normalize();
        self.metrics.normalize();
        self.trim_exchanges();
        self.changes.sort_by(|a, b| {
            (a.time, &a.service, a.kind, &a.version).cmp(&(b.time, &b.service, b.kind, &b.version))
        });
        self.changes.dedup();
        self.specs
            .sort_by(|a, b| (&a.version, &a.file).cmp(&(&b.version, &b.file)));
        self.input.ignored.sort();
        self.input.problems.sort();
        if self.input.problems.len() > PROBLEMS_CAP {
            let extra = self.input.problems.len() - PROBLEMS_CAP;
            self.problems_dropped += extra as u64;
            self.input.problems.truncate(PROBLEMS_CAP);
        }
    }

    /// Folds endpoints that are really ids (see [`crate::routes`]) into their `{id}`
    /// template: request cells, failing examples and the endpoint → downstream edges.
    fn fold_rare_siblings(&mut self) {
        let mut traffic: FastMap<Sym, u64> = FastMap::default();
        for (k, c) in &self.requests {
            *traffic.entry(k.endpoint).or_default() += c.total();
        }
        let mut eps: Vec<(Sym, u64)> = traffic.into_iter().collect();
        eps.sort_by(|a, b| self.s(a.0).cmp(self.s(b.0)));
        let named: Vec<(&str, u64)> = eps.iter().map(|(e, n)| (self.s(*e), *n)).collect();
        let remaps = crate::routes::rare_sibling_ids(&named);
        if remaps.is_empty() {
            return;
        }
        let to: FastMap<Sym, Sym> = remaps
            .into_iter()
            .map(|(i, t)| (eps[i].0, self.strings.intern(&t)))
            .collect();
        let map = |e: Sym| to.get(&e).copied().unwrap_or(e);
        let requests = std::mem::take(&mut self.requests);
        for (k, c) in requests {
            let key = RequestKey {
                endpoint: map(k.endpoint),
                ..k
            };
            match self.requests.get_mut(&key) {
                Some(cell) => cell.merge(&c),
                None => {
                    self.requests.insert(key, c);
                }
            }
        }
        let edges = std::mem::take(&mut self.edges);
        for ((caller, ep, ds), e) in edges {
            let slot = self.edges.entry((caller, map(ep), ds)).or_default();
            slot.kind = e.kind;
            slot.calls += e.calls;
            slot.writes += e.writes;
        }
        let exemplars = std::mem::take(&mut self.exemplars);
        for ((svc, ep, class), list) in exemplars {
            let target = map(ep);
            let name = self.s(target).to_string();
            let slot = self.exemplars.entry((svc, target, class)).or_default();
            for mut ex in list {
                ex.endpoint.clone_from(&name);
                insert_ranked(slot, ex);
            }
        }
    }

    /// A canonical text form of the whole Summary: equal for Summaries holding the same
    /// information whatever their interning order. Used by tests of the merge laws.
    pub fn canonical(&self) -> String {
        let s = |x: Sym| self.s(x).to_string();
        let mut out = Vec::new();
        let mut req: Vec<_> = self
            .requests
            .iter()
            .map(|(k, v)| format!("R {} {} {} {:?}", k.bucket, s(k.service), s(k.endpoint), v))
            .collect();
        req.sort();
        out.extend(req);
        let mut ds: Vec<_> = self
            .downstream
            .iter()
            .map(|(k, v)| format!("D {} {} {} {:?}", k.bucket, s(k.caller), s(k.downstream), v))
            .collect();
        ds.sort();
        out.extend(ds);
        let mut ed: Vec<_> = self
            .edges
            .iter()
            .map(|((a, b, c), v)| format!("E {} {} {} {:?}", s(*a), s(*b), s(*c), v))
            .collect();
        ed.sort();
        out.extend(ed);
        let mut lg: Vec<_> = self
            .logs
            .iter()
            .map(|((b, svc), v)| format!("L {} {} {:?}", b, s(*svc), v))
            .collect();
        lg.sort();
        out.extend(lg);
        let mut dm: Vec<_> = self
            .dims
            .iter()
            .flat_map(|(n, vals)| {
                let mut rows: Vec<String> = vals
                    .iter()
                    .map(|(v, series)| format!("M {} {} {:?}", s(*n), s(*v), series))
                    .collect();
                rows.push(format!("M {} <other> {:?}", s(*n), vals.overflow));
                rows
            })
            .collect();
        dm.sort();
        out.extend(dm);
        let mut sg: Vec<_> = self
            .signatures
            .iter()
            .map(|((svc, sig), v)| format!("S {} {} {:?}", s(*svc), s(*sig), v))
            .collect();
        sg.sort();
        out.extend(sg);
        let mut mt: Vec<_> = self
            .metrics
            .iter()
            .map(|(k, v)| format!("T {} {:?}", s(*k), v))
            .collect();
        mt.sort();
        out.extend(mt);
        let mut vs: Vec<_> = self
            .versions
            .iter()
            .map(|((a, b), v)| format!("V {} {} {:?}", s(*a), s(*b), v))
            .collect();
        vs.sort();
        out.extend(vs);
        let mut ex: Vec<_> = self
            .exemplars
            .iter()
            .map(|((a, b, c), v)| format!("X {} {} {} {:?}", s(*a), s(*b), c, v))
            .collect();
        ex.sort();
        out.extend(ex);
        out.push(format!("C {:?}", self.changes));
        out.push(format!("H {:?}", self.exchanges.len()));
        out.push(format!("I {:?} {:?}", self.input.files, self.input.records));
        out.push(format!("W {:?} {:?}", self.min_time, self.max_time));
        out.join("\n")
    }

    /// Every service that served requests, made calls or logged, sorted.
    pub fn services(&self) -> Vec<String> {
        let mut set: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for k in self.requests.keys() {
            set.insert(self.s(k.service).to_string());
        }
        for k in self.downstream.keys() {
            set.insert(self.s(k.caller).to_string());
        }
        for (_, svc) in self.logs.keys() {
            set.insert(self.s(*svc).to_string());
        }
        set.remove("");
        set.into_iter().collect()
    }
}

fn bump(map: &mut BTreeMap<String, u32>, key: &str) {
    if let Some(v) = map.get_mut(key) {
        *v += 1;
    } else {
        map.insert(key.to_string(), 1);
    }
}

fn insert_ranked(list: &mut Vec<Exemplar>, ex: Exemplar) {
    let key = |e: &Exemplar| (e.rank, e.time);
    let pos = list.partition_point(|e| key(e) < key(&ex));
    if list
        .get(pos)
        .is_some_and(|e| key(e) == key(&ex) && *e == ex)
    {
        return;
    }
    list.insert(pos, ex);
    list.truncate(EXEMPLARS_PER_KEY);
}
