//! What the user told us about the failing example, and the engine's settings.

use apitriage_model::time::Nanos;
use serde::{Deserialize, Serialize};

/// Triage inputs beyond the telemetry.
#[derive(Debug, Clone, Default)]
pub struct TriageOptions {
    /// When the failing example happened.
    pub at: Option<Nanos>,
    /// Focus endpoint, `"POST /checkout"`.
    pub endpoint: Option<String>,
    /// The affected user, for the report.
    pub user: Option<String>,
    /// The affected cohort, for the report.
    pub cohort: Option<String>,
    /// The release the failing example ran.
    pub release: Option<String>,
    /// How much time before the onset counts as normal.
    pub baseline: Option<Nanos>,
    /// Settings from the config file.
    pub settings: EngineSettings,
}

/// Engine settings from the `[triage]` table of the config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineSettings {
    /// Responses that are correct outcomes, not incidents, unless they spike:
    /// `"422"`, `"409"`, `"404 GET /coupons/{id}"` (status, optionally an endpoint).
    pub expected_errors: Vec<String>,
    /// Latency objectives: `"POST /checkout" = 800` (p99, milliseconds).
    pub slo_p99_ms: std::collections::BTreeMap<String, f64>,
    /// Longest incident window considered after the onset, in seconds.
    pub incident_window_s: u64,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            expected_errors: vec!["404".into(), "409".into(), "422".into()],
            slo_p99_ms: Default::default(),
            incident_window_s: 30 * 60,
        }
    }
}

impl EngineSettings {
    /// True when `status` on `endpoint` is configured as an expected business error.
    pub fn is_expected(&self, status: u16, endpoint: &str) -> bool {
        self.expected_errors.iter().any(|e| {
            let mut parts = e.splitn(2, ' ');
            let code = parts.next().unwrap_or("");
            let ep = parts.next().map(str::trim);
            code.parse::<u16>().ok() == Some(status) && ep.is_none_or(|ep| ep == endpoint)
        })
    }
}
