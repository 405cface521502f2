//! Release correlation: did the client or the server ship within the last hour or two,
//! while requests started failing to fit (4xx, parse errors)?

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::time::{format_clock, format_duration_s};
use apitriage_model::ChangeKind;

/// A release right before contract symptoms.
pub struct ReleaseCorrelation;

impl Check for ReleaseCorrelation {
    fn id(&self) -> &'static str {
        "contract.release_correlation"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.facts.changes.is_empty() {
            return Outcome::NotRun("change events or service.version in telemetry");
        }
        let contract_symptoms = cx.facts.services.values().any(|d| {
            let rate = |st: &crate::view::ReqStats| -> f64 {
                super::CONTRACT_STATUSES
                    .iter()
                    .map(|s| st.status_rate(*s))
                    .sum()
            };
            rate(&d.after) - rate(&d.before) >= 0.03
        }) || super::validation_logs::rising(cx).is_some();
        if !contract_symptoms {
            return Outcome::Ran(vec![]);
        }
        // The release closest to the onset.
        let Some(c) = cx
            .facts
            .near
            .iter()
            .filter(|c| c.kind == ChangeKind::Deploy)
            .min_by_key(|c| ((cx.inc.onset - c.time).abs(), c.service.clone()))
        else {
            return Outcome::Ran(vec![]);
        };
        let gap = (cx.inc.onset - c.time) as f64 / 1e9;
        Outcome::Ran(vec![found(
            self.id(),
            "contract",
            0.35,
            format!(
                "{} {} shipped at {}, {} before requests stopped fitting",
                c.service,
                c.version.clone().unwrap_or_default(),
                format_clock(c.time),
                format_duration_s(gap.max(0.0))
            ),
            vec![
                format!(
                    "{} of {} {}",
                    c.kind.name(),
                    c.service,
                    if c.inferred {
                        "seen as a new service.version in telemetry"
                    } else {
                        "from the change events"
                    }
                ),
                format!("onset at {}", format_clock(cx.inc.onset)),
            ],
        )
        .blame(c.service.clone())])
    }
}
