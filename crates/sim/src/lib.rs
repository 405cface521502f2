//! apitriage-sim: a seeded simulator of a production microservice system that writes
//! realistic, labelled incident bundles.
//!
//! Why it exists: the triage engine must be measured (and its confidence calibrated) on
//! incidents whose cause is known. Real incident bundles with ground truth are rare and
//! private, so this crate builds them: a seed picks a system (domain, 3 to 12 services,
//! databases, a cache, third parties, regions, client apps, tenants, users), a scenario
//! picks a causal story (a slow payment provider, a renamed JSON field, a pool that
//! fills up under a surge, a null dereference after a deploy, or nothing at all), and
//! the traffic generator plays requests through the system in time order, writing what
//! the system's telemetry would have recorded:
//!
//! - `traces.jsonl`, `logs.jsonl` (and `metrics.jsonl` for some seeds): OTLP/JSON as the
//!   OpenTelemetry Collector's file exporter writes it;
//! - `alb.log` or `access.log`: the edge access log (AWS ALB or nginx combined);
//! - `metrics.json` / `metrics.prom` / `metrics.jsonl`: Prometheus API, text exposition
//!   or OTLP metrics;
//! - `changes.jsonl`, `session.har`, `openapi-<version>.{yaml,json}`, `truth.json`.
//!
//! The label is never written into the telemetry: names, attributes and messages are
//! those of a real system, and a classifier has to infer the bucket from evidence.
//! Same scenario and seed, same bytes: every random draw comes from a ChaCha stream
//! seeded from the seed, there is no wall clock, and no hash-map order reaches output.
//! Traffic is generated second by second and streamed through buffered writers, so
//! memory stays small at any `--scale` (only the user table grows, up to 200k users).
//!
//! Where the blast-radius dimensions are, for readers of the bundles:
//!
//! | dimension | where |
//! |---|---|
//! | region | resource `cloud.region` (every span, log and pod metric); ALB `elb` name |
//! | service, release | resource `service.name`, `service.version`, `k8s.pod.name` (a deploy starts new pods) |
//! | user | `enduser.id` on edge and owner server spans |
//! | role | `enduser.role` on the same spans |
//! | tenant | `tenant.id` on the same spans |
//! | cohort | `app.cohort` on the same spans |
//! | client app and version | `user_agent.original` (`http.user_agent` in old conventions) and `http.request.header.x-app-version` on edge spans; access-log user agent; HAR `user-agent` / `x-app-version` headers |
//! | endpoint | `http.route` (+ `http.request.method`) on server spans; `http_server_requests_seconds_count{method,uri,status}` |
//! | downstream | client spans: `peer.service`, `server.address` (`net.peer.name`), `db.system`, `error.type` |

mod bundle;
mod curve;
mod domains;
mod error;
mod exceptions;
mod exec;
mod fleet;
mod ids;
mod messages;
mod pressure;
mod random;
mod records;
mod scenarios;
mod schema;
mod semconv;
mod suite;
mod system;
mod time;
mod traffic;
mod writers;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use error::SimError;
pub use scenarios::{scenarios, ScenarioInfo};

/// How a bundle is generated.
#[derive(Debug, Default, Clone)]
pub struct SimOptions {
    /// Multiplies request volume; 0 or 1 is the normal volume (a few requests per
    /// second over about 1 to 1.5 hours), 100 gives millions of requests.
    pub scale: u32,
    /// Which parts of the telemetry are missing or degraded.
    pub partial: Partial,
    /// Head sampling at the collector, a probability in (0, 1]. `Some(f)`: each
    /// request's trace is kept with probability `f`, and with it the OTLP log records
    /// correlated to that trace, whatever the `scale`; the edge access log (nginx /
    /// ALB), uncorrelated logs, metrics and the rest stay exactly as without sampling,
    /// as in deployments that keep every access-log line but sample traces. This
    /// replaces the simulated system's own span sampling (which keeps 1, 1/2 or 1/4 of
    /// the traces, fewer at larger `scale`, and every log). The reported example's
    /// session is always kept. The decision is a hash of the trace id and the seed:
    /// same seed, same bytes. `None` (the default): the system's own sampling.
    pub trace_sample: Option<f64>,
}

/// Switches that degrade the telemetry the way real bundles are degraded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Spans carry no HTTP status attribute and no span status: only timing and events.
    pub no_span_status: bool,
    /// Metrics are sampled every 60 seconds instead of every 10 to 15.
    pub metrics_60s: bool,
    /// No `changes.jsonl` (deploys are still visible as new `service.version`s).
    pub no_changes: bool,
    /// No OpenAPI documents.
    pub no_spec: bool,
    /// Log records carry no trace or span ids.
    pub logs_without_trace_ids: bool,
    /// No `session.har`.
    pub no_har: bool,
}

impl Partial {
    /// Names of the switches that are on, in a fixed order (as recorded in labels).
    pub fn names(&self) -> Vec<String> {
        let all = [
            (self.no_span_status, "no_span_status"),
            (self.metrics_60s, "metrics_60s"),
            (self.no_changes, "no_changes"),
            (self.no_spec, "no_spec"),
            (self.logs_without_trace_ids, "logs_without_trace_ids"),
            (self.no_har, "no_har"),
        ];
        all.iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| (*name).to_string())
            .collect()
    }

    /// The switches that are on in either `self` or `other`.
    pub fn union(&self, other: &Partial) -> Partial {
        Partial {
            no_span_status: self.no_span_status || other.no_span_status,
            metrics_60s: self.metrics_60s || other.metrics_60s,
            no_changes: self.no_changes || other.no_changes,
            no_spec: self.no_spec || other.no_spec,
            logs_without_trace_ids: self.logs_without_trace_ids || other.logs_without_trace_ids,
            no_har: self.no_har || other.no_har,
        }
    }
}

/// Who is at fault, as the telemetry spells it.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthCulprit {
    /// The service at fault: for a dependency failure the downstream (its
    /// `peer.service`, its `service.name`, or the database / cache host as
    /// `server.address` names it); otherwise the service whose change or saturation
    /// causes the failure. `None` for controls.
    pub service: Option<String>,
    /// The endpoint users see failing, as `"METHOD /route"`. `None` for controls.
    pub endpoint: Option<String>,
    /// For dependency failures, the downstream (same spelling as `service`).
    pub dependency: Option<String>,
}

/// The label of one generated bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Scenario name, as `scenarios()` lists it.
    pub scenario: String,
    /// `contract`, `dependency`, `capacity`, `code_path`, or `none` for controls.
    pub bucket: String,
    /// Who is at fault.
    pub culprit: TruthCulprit,
    /// When the failure starts to show (RFC 3339, UTC, whole seconds). For controls,
    /// the time of the reported example.
    pub onset: String,
    /// The seed the bundle was generated from.
    pub seed: u64,
    /// Partial-telemetry switches that were on for this bundle (empty when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<String>,
}

/// Writes one bundle for `scenario` and `seed` into `out_dir` (created if missing),
/// plus `out_dir/truth.json`, and returns the label.
pub fn generate(
    scenario: &str,
    seed: u64,
    opts: &SimOptions,
    out_dir: &Path,
) -> Result<Truth, SimError> {
    generate_sized(scenario, seed, opts, 1.0, out_dir)
}

/// Like [`generate`], with the request volume further multiplied by `volume`
/// (e.g. `0.05` for fast tests or quick demos; `1.0` is what `generate` does).
pub fn generate_sized(
    scenario: &str,
    seed: u64,
    opts: &SimOptions,
    volume: f64,
    out_dir: &Path,
) -> Result<Truth, SimError> {
    let truth = bundle::write_bundle(scenario, seed, opts, volume, out_dir)?;
    bundle::write_truth(out_dir, &truth)?;
    Ok(truth)
}

/// Writes one bundle per scenario and seed as `dir/<scenario>-<seed>/` (without
/// `truth.json` inside), and all labels in `dir/labels.jsonl` (one [`Truth`] a line,
/// plus a `"bundle"` field naming the directory). About 30% of the bundles get one or
/// two partial-telemetry switches drawn at random (recorded in the labels), on top of
/// those in `opts.partial`.
pub fn write_suite(
    dir: &Path,
    seeds: std::ops::Range<u64>,
    opts: &SimOptions,
) -> Result<Vec<(String, Truth)>, SimError> {
    suite::write_suite(dir, seeds, opts, 1.0)
}

/// Like [`write_suite`], with the request volume multiplied by `volume`.
pub fn write_suite_sized(
    dir: &Path,
    seeds: std::ops::Range<u64>,
    opts: &SimOptions,
    volume: f64,
) -> Result<Vec<(String, Truth)>, SimError> {
    suite::write_suite(dir, seeds, opts, volume)
}

/// The partial-telemetry switches a suite draws for `scenario` at `seed` (so that a
/// harness generating bundles one at a time matches `write_suite`).
pub fn suite_partial(seed: u64, scenario: &str) -> Partial {
    suite::draw_partial(seed, scenario)
}
