//! The records readers produce. They borrow from the reader's buffer so that the hot
//! path allocates nothing: a reader fills one, hands it to the [`crate::Summary`], and
//! reuses its buffers for the next.

use crate::time::Nanos;
use serde::{Deserialize, Serialize};

/// Where a record came from; the first hard signal is reported by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A server span.
    Trace,
    /// An access-log line.
    AccessLog,
    /// A captured request (HAR).
    Request,
    /// An application log record.
    Log,
    /// A metric sample.
    Metric,
}

/// One served request: from a server span, an access log line or a HAR entry.
#[derive(Debug, Clone, Default)]
pub struct RequestRecord<'a> {
    /// When the request started.
    pub time: Nanos,
    /// The serving service as the telemetry names it ("" if unknown).
    pub service: &'a str,
    /// HTTP method, upper case ("" if unknown, e.g. RPC spans).
    pub method: &'a str,
    /// Route template, or a path the Summary will normalise.
    pub route: &'a str,
    /// True when `route` is already a template (from `http.route`).
    pub route_is_template: bool,
    /// Response status, if recorded.
    pub status: Option<u16>,
    /// The telemetry marked the request as failed (span status ERROR, `error.type`).
    pub error: bool,
    /// `error.type` or exception type, if any.
    pub error_type: Option<&'a str>,
    /// Duration in milliseconds.
    pub duration_ms: Option<f64>,
    /// Trace id, lower-case hex.
    pub trace_id: Option<&'a str>,
    /// Release of the serving service (`service.version`).
    pub version: Option<&'a str>,
    /// How many times the client re-sent this request (`http.request.resend_count`).
    pub resend_count: u32,
    /// Blast-radius dimensions: (name, value), e.g. ("region", "eu-west-1").
    pub dims: &'a [(&'a str, &'a str)],
    /// Where it came from.
    pub source: Option<Source>,
    /// Whether the request was followed by a write to a downstream (only known from
    /// traces): `Some(true)` when its trace holds a write, `Some(false)` when it does not.
    pub wrote: Option<bool>,
    /// The first step of the handler that failed, from span order (e.g. "db", "http").
    pub failing_step: Option<&'a str>,
}

/// What kind of downstream a client call went to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum DownstreamKind {
    /// An HTTP API.
    #[default]
    Http,
    /// A database.
    Database,
    /// A cache.
    Cache,
    /// A message broker.
    Messaging,
    /// An RPC (gRPC and the like).
    Rpc,
}

impl DownstreamKind {
    /// A stable lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            DownstreamKind::Http => "http",
            DownstreamKind::Database => "database",
            DownstreamKind::Cache => "cache",
            DownstreamKind::Messaging => "messaging",
            DownstreamKind::Rpc => "rpc",
        }
    }
}

/// One call from a service to a downstream: a client span, or a DB/cache span.
#[derive(Debug, Clone, Default)]
pub struct DownstreamRecord<'a> {
    /// When the call started.
    pub time: Nanos,
    /// The calling service.
    pub caller: &'a str,
    /// The caller's endpoint this call was made for, if known ("GET /orders/{id}").
    pub caller_endpoint: &'a str,
    /// The downstream's name (`peer.service`, `server.address`, `db.system`...).
    pub downstream: &'a str,
    /// What kind of downstream.
    pub kind: DownstreamKind,
    /// Response status, for HTTP.
    pub status: Option<u16>,
    /// The call failed.
    pub error: bool,
    /// Error text (`error.type`, exception type and message), used to classify it.
    pub error_text: Option<&'a str>,
    /// Duration in milliseconds.
    pub duration_ms: Option<f64>,
    /// `Retry-After` seconds when the downstream sent one.
    pub retry_after_s: Option<f64>,
    /// True when the call writes (INSERT/UPDATE, POST/PUT/PATCH/DELETE, publish).
    pub write: bool,
    /// How many times this call was re-sent before (`http.request.resend_count`).
    pub resend_count: u32,
}

/// Log severity, from OTLP severity numbers or text levels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Unknown or unset.
    #[default]
    Unspecified,
    /// TRACE/DEBUG.
    Debug,
    /// INFO.
    Info,
    /// WARN.
    Warn,
    /// ERROR.
    Error,
    /// FATAL.
    Fatal,
}

impl Severity {
    /// From an OTLP `severityNumber` (1-24).
    pub fn from_number(n: i32) -> Severity {
        match n {
            1..=8 => Severity::Debug,
            9..=12 => Severity::Info,
            13..=16 => Severity::Warn,
            17..=20 => Severity::Error,
            21..=24 => Severity::Fatal,
            _ => Severity::Unspecified,
        }
    }

    /// From a level word (`ERROR`, `warning`, `E`, `crit`...).
    pub fn from_text(s: &str) -> Severity {
        let l = s.trim().to_ascii_lowercase();
        match l.as_str() {
            "trace" | "debug" | "fine" | "finer" | "finest" | "d" | "t" | "verbose" => {
                Severity::Debug
            }
            "info" | "information" | "notice" | "i" | "informational" => Severity::Info,
            "warn" | "warning" | "w" => Severity::Warn,
            "error" | "err" | "e" | "severe" => Severity::Error,
            "fatal" | "critical" | "crit" | "alert" | "emerg" | "emergency" | "panic" | "f" => {
                Severity::Fatal
            }
            _ => Severity::Unspecified,
        }
    }

    /// ERROR or FATAL.
    pub fn is_error(self) -> bool {
        matches!(self, Severity::Error | Severity::Fatal)
    }
}

/// One log record or span exception event.
#[derive(Debug, Clone, Default)]
pub struct LogRecord<'a> {
    /// When it was emitted.
    pub time: Nanos,
    /// The emitting service.
    pub service: &'a str,
    /// Severity.
    pub severity: Severity,
    /// The message.
    pub body: &'a str,
    /// Trace id, if the record carries one.
    pub trace_id: Option<&'a str>,
    /// Exception type (`exception.type`, or parsed from a stack trace).
    pub exception_type: Option<&'a str>,
    /// Exception message.
    pub exception_message: Option<&'a str>,
    /// The endpoint the record is about, if known.
    pub endpoint: Option<&'a str>,
    /// Release of the emitting service.
    pub version: Option<&'a str>,
    /// Where it came from (a span exception event is `Trace`).
    pub source: Option<Source>,
}

/// One metric sample.
#[derive(Debug, Clone, Default)]
pub struct MetricPoint<'a> {
    /// Sample time.
    pub time: Nanos,
    /// Metric name as exported.
    pub name: &'a str,
    /// Label set (excluding the name), in any order.
    pub labels: &'a [(&'a str, &'a str)],
    /// The value.
    pub value: f64,
    /// True for cumulative counters (values only grow, rates must be derived).
    pub cumulative: bool,
}

/// What a change event changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new release was deployed.
    Deploy,
    /// Configuration changed.
    Config,
    /// A feature flag changed.
    Flag,
    /// A release was rolled back.
    Rollback,
}

impl ChangeKind {
    /// A stable lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Deploy => "deploy",
            ChangeKind::Config => "config",
            ChangeKind::Flag => "flag",
            ChangeKind::Rollback => "rollback",
        }
    }
}

/// A deploy, config or flag change (from a changes file, or inferred from telemetry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// When it happened.
    pub time: Nanos,
    /// What kind.
    pub kind: ChangeKind,
    /// The service changed ("" if not said).
    pub service: String,
    /// The new version, if any.
    pub version: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// True when inferred from a new `service.version` rather than read from a file.
    pub inferred: bool,
}
