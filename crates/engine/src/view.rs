//! Read-only queries over the Summary for one triage: the series of each endpoint,
//! downstream and service, indexed once, and aggregates over a time window. Checks
//! ask the View, never the raw Summary maps, so every check agrees on what a window,
//! a failure and a rate are.

use crate::options::TriageOptions;
use apitriage_model::capped::Capped;
use apitriage_model::histogram::LatencyHistogram;
use apitriage_model::intern::Sym;
use apitriage_model::summary::{
    DimSeries, DownstreamCell, LogCell, MetricSeries, RequestCell, Summary, BUCKET, COARSE_BUCKET,
};
use apitriage_model::time::Nanos;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// A half-open range of fine buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// First bucket.
    pub start: i64,
    /// One past the last bucket.
    pub end: i64,
}

impl Window {
    /// True when bucket `b` is inside.
    pub fn contains(&self, b: i64) -> bool {
        b >= self.start && b < self.end
    }
    /// Start time.
    pub fn start_time(&self) -> Nanos {
        self.start.saturating_mul(BUCKET)
    }
    /// End time.
    pub fn end_time(&self) -> Nanos {
        self.end.saturating_mul(BUCKET)
    }
    /// Length in seconds.
    pub fn seconds(&self) -> f64 {
        ((self.end - self.start).max(0) * BUCKET) as f64 / 1e9
    }
    /// The coarse buckets overlapping this window.
    pub fn coarse(&self) -> (i64, i64) {
        let f = BUCKET as f64 / COARSE_BUCKET as f64;
        // Never an inverted range, whatever the window.
        let (a, b) = (
            (self.start as f64 * f).floor() as i64,
            (self.end as f64 * f).ceil() as i64,
        );
        (a, b.max(a))
    }
}

/// Requests of some endpoints over a window.
#[derive(Debug, Clone, Default)]
pub struct ReqStats {
    /// All requests.
    pub total: u64,
    /// 5xx and errors without status.
    pub server_errors: u64,
    /// 4xx.
    pub client_errors: u64,
    /// Requests by status (0/1: no status ok/error).
    pub statuses: BTreeMap<u16, u64>,
    /// Latency.
    pub latency: LatencyHistogram,
    /// Re-sent requests.
    pub resent: u64,
    /// Re-sent requests that failed.
    pub resent_failed: u64,
    /// First attempts that failed.
    pub first_failed: u64,
    /// Successes whose writes are known.
    pub ok_write_known: u64,
    /// ... that wrote.
    pub ok_wrote: u64,
}

impl ReqStats {
    fn merge(&mut self, o: &ReqStats) {
        self.total += o.total;
        self.server_errors += o.server_errors;
        self.client_errors += o.client_errors;
        for (&s, &n) in &o.statuses {
            *self.statuses.entry(s).or_default() += n;
        }
        self.latency.merge(&o.latency);
        self.resent += o.resent;
        self.resent_failed += o.resent_failed;
        self.first_failed += o.first_failed;
        self.ok_write_known += o.ok_write_known;
        self.ok_wrote += o.ok_wrote;
    }

    fn add(&mut self, c: &RequestCell) {
        self.total += c.total();
        self.server_errors += c.server_errors();
        self.client_errors += c.client_errors();
        for &(s, n) in &c.statuses {
            *self.statuses.entry(s).or_default() += n as u64;
        }
        self.latency.merge(&c.latency);
        self.resent += c.resent as u64;
        self.resent_failed += c.resent_failed as u64;
        self.first_failed += c.first_failed as u64;
        self.ok_write_known += c.ok_write_known as u64;
        self.ok_wrote += c.ok_wrote as u64;
    }
    /// Server error rate.
    pub fn server_rate(&self) -> f64 {
        ratio(self.server_errors, self.total)
    }
    /// Client error rate.
    pub fn client_rate(&self) -> f64 {
        ratio(self.client_errors, self.total)
    }
    /// Rate of one status.
    pub fn status_rate(&self, s: u16) -> f64 {
        ratio(self.statuses.get(&s).copied().unwrap_or(0), self.total)
    }
    /// Latency quantile in ms.
    pub fn q(&self, q: f64) -> Option<f64> {
        self.latency.quantile(q)
    }
}

/// Downstream calls over a window.
#[derive(Debug, Clone, Default)]
pub struct DownStats {
    /// Calls.
    pub calls: u64,
    /// Failed calls.
    pub errors: u64,
    /// Re-sent calls (retries).
    pub resent: u64,
    /// Failures by class.
    pub signals: [u64; 15],
    /// 429 answers.
    pub rate_limited: u64,
    /// Largest Retry-After.
    pub max_retry_after_s: f64,
    /// Latency.
    pub latency: LatencyHistogram,
}

impl DownStats {
    fn add(&mut self, c: &DownstreamCell) {
        self.calls += c.calls as u64;
        self.errors += c.errors as u64;
        self.resent += c.resent as u64;
        for (a, b) in self.signals.iter_mut().zip(c.signals.iter()) {
            *a += *b as u64;
        }
        self.rate_limited += c.rate_limited as u64;
        self.max_retry_after_s = self.max_retry_after_s.max(c.max_retry_after_s);
        self.latency.merge(&c.latency);
    }
    /// Error rate.
    pub fn error_rate(&self) -> f64 {
        ratio(self.errors, self.calls)
    }
}

/// Longest time range the dense series cover: 8 days of fine buckets.
const MAX_RANGE_BUCKETS: i64 = 8 * 24 * 360;

/// The buckets the data really covers: stray records far from the rest (a span stamped
/// 1970, a clock in the year 2200) must not stretch the series the checks allocate.
/// The extreme 0.1% at each end is left out, and the span is capped around the median.
fn robust_range(s: &Summary) -> Window {
    let mut keys: Vec<i64> = s
        .requests
        .keys()
        .map(|k| k.bucket)
        .chain(s.logs.keys().map(|k| k.0))
        .collect();
    if keys.is_empty() {
        return match (s.min_time, s.max_time) {
            (Some(a), Some(b))
                if b.div_euclid(BUCKET) - a.div_euclid(BUCKET) < MAX_RANGE_BUCKETS =>
            {
                Window {
                    start: a.div_euclid(BUCKET),
                    end: b.div_euclid(BUCKET) + 1,
                }
            }
            _ => Window { start: 0, end: 0 },
        };
    }
    keys.sort_unstable();
    let cut = keys.len() / 1000;
    let (mut lo, mut hi) = (keys[cut], keys[keys.len() - 1 - cut]);
    if hi - lo >= MAX_RANGE_BUCKETS {
        let mid = keys[keys.len() / 2];
        lo = lo.max(mid - MAX_RANGE_BUCKETS / 2);
        hi = hi.min(mid + MAX_RANGE_BUCKETS / 2);
    }
    Window {
        start: lo,
        end: hi + 1,
    }
}

/// a / b, 0 when b is 0.
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The indexed Summary.
pub struct View<'a> {
    /// The Summary.
    pub s: &'a Summary,
    /// User options.
    pub opts: &'a TriageOptions,
    /// Request cells by (service, endpoint), sorted by bucket.
    pub endpoints: BTreeMap<(String, String), Vec<(i64, &'a RequestCell)>>,
    /// Downstream cells by (caller, downstream), sorted by bucket.
    pub downstreams: BTreeMap<(String, String), Vec<(i64, &'a DownstreamCell)>>,
    /// Log cells by service, sorted by bucket.
    pub logs: BTreeMap<String, Vec<(i64, &'a LogCell)>>,
    /// First and last bucket with data.
    pub range: Window,
    /// Per-endpoint stats already computed: the checks ask for the same endpoints over
    /// the same two windows many times, and each answer folds up to a day of cells.
    /// Keyed by the address of the endpoint's cell run, which never moves once built.
    cache: Mutex<HashMap<(usize, Window), ReqStats>>,
}

/// The cells of a bucket-sorted run that fall inside `w`.
fn in_window<T>(cells: &[(i64, T)], w: Window) -> &[(i64, T)] {
    let lo = cells.partition_point(|c| c.0 < w.start);
    let hi = cells.partition_point(|c| c.0 < w.end).max(lo);
    &cells[lo..hi]
}

impl<'a> View<'a> {
    /// Indexes a finished Summary.
    pub fn new(s: &'a Summary, opts: &'a TriageOptions) -> View<'a> {
        let name = |x: Sym| s.s(x).to_string();
        let mut endpoints: BTreeMap<(String, String), Vec<(i64, &RequestCell)>> = BTreeMap::new();
        for (k, c) in &s.requests {
            endpoints
                .entry((name(k.service), name(k.endpoint)))
                .or_default()
                .push((k.bucket, c));
        }
        let mut downstreams: BTreeMap<(String, String), Vec<(i64, &DownstreamCell)>> =
            BTreeMap::new();
        for (k, c) in &s.downstream {
            downstreams
                .entry((name(k.caller), name(k.downstream)))
                .or_default()
                .push((k.bucket, c));
        }
        let mut logs: BTreeMap<String, Vec<(i64, &LogCell)>> = BTreeMap::new();
        for ((b, svc), c) in &s.logs {
            logs.entry(name(*svc)).or_default().push((*b, c));
        }
        for v in endpoints.values_mut() {
            v.sort_by_key(|x| x.0);
        }
        for v in downstreams.values_mut() {
            v.sort_by_key(|x| x.0);
        }
        for v in logs.values_mut() {
            v.sort_by_key(|x| x.0);
        }
        let range = robust_range(s);
        View {
            s,
            opts,
            endpoints,
            downstreams,
            logs,
            range,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Requests of one endpoint over a window.
    pub fn endpoint(&self, service: &str, endpoint: &str, w: Window) -> ReqStats {
        match self
            .endpoints
            .get(&(service.to_string(), endpoint.to_string()))
        {
            Some(cells) => self.stats_of(cells, w),
            None => ReqStats::default(),
        }
    }

    /// The stats of one endpoint's cells over `w`, computed once.
    fn stats_of(&self, cells: &[(i64, &RequestCell)], w: Window) -> ReqStats {
        let key = (cells.as_ptr() as usize, w);
        if let Some(st) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return st;
        }
        let mut st = ReqStats::default();
        for (_, c) in in_window(cells, w) {
            st.add(c);
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, st.clone());
        }
        st
    }

    /// Requests of every endpoint matching `pred(service, endpoint)` over a window.
    pub fn requests(&self, w: Window, pred: impl Fn(&str, &str) -> bool) -> ReqStats {
        let mut st = ReqStats::default();
        for ((svc, ep), cells) in &self.endpoints {
            if pred(svc, ep) {
                st.merge(&self.stats_of(cells, w));
            }
        }
        st
    }

    /// Calls from `caller` to `downstream` over a window.
    pub fn downstream(&self, caller: &str, downstream: &str, w: Window) -> DownStats {
        let mut st = DownStats::default();
        if let Some(cells) = self
            .downstreams
            .get(&(caller.to_string(), downstream.to_string()))
        {
            for (_, c) in in_window(cells, w) {
                st.add(c);
            }
        }
        st
    }

    /// Calls to `downstream` from any caller over a window.
    pub fn downstream_all(&self, downstream: &str, w: Window) -> DownStats {
        let mut st = DownStats::default();
        for ((_, d), cells) in &self.downstreams {
            if d != downstream {
                continue;
            }
            for (_, c) in in_window(cells, w) {
                st.add(c);
            }
        }
        st
    }

    /// Log cells of a service summed over a window: (by severity, by signal).
    pub fn logs(&self, service: &str, w: Window) -> ([u64; 6], [u64; 15]) {
        let mut sev = [0u64; 6];
        let mut sig = [0u64; 15];
        if let Some(cells) = self.logs.get(service) {
            for (_, c) in in_window(cells, w) {
                for (a, x) in sev.iter_mut().zip(c.by_severity.iter()) {
                    *a += *x as u64;
                }
                for (a, x) in sig.iter_mut().zip(c.signals.iter()) {
                    *a += *x as u64;
                }
            }
        }
        (sev, sig)
    }

    /// The dimension table of `name`, if any request carried it.
    pub fn dim(&self, name: &str) -> Option<&'a Capped<Sym, DimSeries>> {
        let sym = self.s.strings.get(name)?;
        self.s.dims.get(&sym)
    }

    /// Every kept metric series.
    pub fn metrics(&self) -> impl Iterator<Item = &'a MetricSeries> {
        self.s.metrics.iter().map(|(_, v)| v)
    }

    /// Every service known from requests, calls or logs.
    pub fn services(&self) -> Vec<String> {
        self.s.services()
    }

    /// True when `name` serves requests in the telemetry (a traced or logged service,
    /// not a store or third party seen only through client calls).
    pub fn is_service(&self, name: &str) -> bool {
        self.endpoints.keys().any(|(s, _)| s == name)
    }

    /// Every downstream name (from client spans).
    pub fn downstream_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.downstreams.keys().map(|k| k.1.clone()).collect();
        v.sort();
        v.dedup();
        v
    }
}
