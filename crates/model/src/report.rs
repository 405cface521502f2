//! The triage result: one document that every renderer (text, JSON, Markdown, HTML)
//! draws from. Its JSON form is the schema_version 1 contract of INTERFACE.md; fields
//! beyond the contract are additions, never renames.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole triage result.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Report {
    /// Always 1 for this layout.
    pub schema_version: u32,
    /// The classification.
    pub verdict: Verdict,
    /// status | shape | latency | side_effect.
    pub failure_mode: Vec<String>,
    /// When the incident started (RFC 3339), if one was found.
    pub onset: Option<String>,
    /// Who and what is affected.
    pub blast_radius: BlastRadius,
    /// The earliest step change among all signals.
    pub first_signal: Option<FirstSignal>,
    /// Everything the checks found, strongest first.
    pub findings: Vec<Finding>,
    /// The fastest next check, specific to this incident.
    pub next_check: String,
    /// What not to spend time on first.
    pub avoid_first: String,
    /// Mitigations, most direct first.
    pub mitigation: Vec<String>,
    /// What was read.
    pub input: InputStats,
    /// The incident window, the baseline window and the focus (an addition to the contract).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<IncidentInfo>,
    /// Checks that could not run, and the data that would let them (an addition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_run: Vec<NotRun>,
    /// The runbook-style row for this incident (an addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook_row: Option<RunbookRow>,
    /// The failing example, redacted (an addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
    /// Time series the HTML report draws (an addition; empty in other formats' eyes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Series>,
    /// Changes near the incident (an addition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeInfo>,
}

/// The classification.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Verdict {
    /// contract | dependency | capacity | code_path | inconclusive.
    pub bucket: String,
    /// Calibrated probability that `bucket` is right.
    pub confidence: f64,
    /// Per-bucket probabilities summing to 1.
    pub scores: BTreeMap<String, f64>,
    /// The runner-up bucket, if it is plausible.
    pub secondary: Option<String>,
    /// Who is at fault.
    pub culprit: Culprit,
}

/// Who is at fault.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Culprit {
    /// The service whose fault it is (for a dependency failure, the downstream).
    pub service: Option<String>,
    /// The endpoint where users see it.
    pub endpoint: Option<String>,
    /// The failing dependency, for dependency failures.
    pub dependency: Option<String>,
}

/// Who and what is affected.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct BlastRadius {
    /// single_user | cohort | region | client_version | endpoint | service | global.
    pub scope: String,
    /// Whether the failure began after a deploy.
    pub after_deploy: bool,
    /// Dimension values over-represented among failures.
    pub dimensions: Vec<Dimension>,
}

/// One dimension value's share of failures versus its share of the baseline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Dimension {
    /// Dimension name (region, client_version...).
    pub name: String,
    /// The value.
    pub value: String,
    /// Share of failing requests in the incident window carrying this value.
    pub share_of_failures: f64,
    /// Share of baseline requests carrying this value.
    pub share_of_baseline: f64,
}

/// The earliest hard signal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FirstSignal {
    /// log | metric | trace | request.
    pub kind: String,
    /// When (RFC 3339).
    pub at: String,
    /// What changed, with figures.
    pub summary: String,
}

/// One thing a check found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// Stable check id, `bucket.check_name`.
    pub check: String,
    /// The bucket it argues for (or `general`).
    pub bucket: String,
    /// 0..1: how strongly it argues.
    pub strength: f64,
    /// One line with figures.
    pub summary: String,
    /// The figures behind it.
    pub evidence: Vec<String>,
}

/// What was read.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct InputStats {
    /// Files read (recognised).
    pub files: u64,
    /// Records read.
    pub records: u64,
    /// Records skipped as malformed.
    pub skipped: u64,
    /// Per kind: files, records, skipped (an addition).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kinds: BTreeMap<String, KindStats>,
    /// Files not recognised and skipped whole, with the reason (an addition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// The first few problems, `file:line: message` (an addition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// Counts for one input kind.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct KindStats {
    /// Files of this kind.
    pub files: u64,
    /// Records read.
    pub records: u64,
    /// Records skipped.
    pub skipped: u64,
}

/// The windows and focus the engine chose.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct IncidentInfo {
    /// Incident window start.
    pub start: String,
    /// Incident window end.
    pub end: String,
    /// Baseline window start.
    pub baseline_start: String,
    /// Baseline window end.
    pub baseline_end: String,
    /// Focus service.
    pub service: Option<String>,
    /// Focus endpoint.
    pub endpoint: Option<String>,
    /// How the onset was found: `--at`, `change_point`, or `none`.
    pub onset_source: String,
}

/// A check that could not run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotRun {
    /// Check id.
    pub check: String,
    /// What data would let it run.
    pub needs: String,
}

/// The runbook table row for this incident.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct RunbookRow {
    /// What you see first.
    pub seen_first: String,
    /// Most likely bucket.
    pub bucket: String,
    /// Fastest next check.
    pub next_check: String,
    /// What to avoid doing first.
    pub avoid_first: String,
}

/// The failing example, redacted.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Example {
    /// When.
    pub at: String,
    /// "POST /checkout".
    pub request: String,
    /// Status (0: none).
    pub status: u16,
    /// Where it came from (file:entry, or trace id).
    pub source: String,
    /// Short excerpt of the response body, redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_excerpt: Option<String>,
    /// The requests that led to it, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
}

/// A time series for charts.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Series {
    /// Chart it belongs to.
    pub chart: String,
    /// Line label.
    pub label: String,
    /// Unit of the values.
    pub unit: String,
    /// (unix ms, value) points.
    pub points: Vec<(i64, f64)>,
}

/// A change near the incident.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ChangeInfo {
    /// When.
    pub at: String,
    /// deploy | config | flag | rollback.
    pub kind: String,
    /// Which service.
    pub service: String,
    /// Version, if any.
    pub version: Option<String>,
    /// Text.
    pub description: Option<String>,
    /// Inferred from telemetry rather than read from a changes file.
    pub inferred: bool,
}
