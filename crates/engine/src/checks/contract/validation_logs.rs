//! Validation and deserialization errors in logs ("cannot unmarshal", "missing required
//! property", "unexpected token"). When the parse errors are logged by a caller, the
//! contract was broken by what it calls: the service that shipped just before.

use super::super::{found, Check, Cx, Outcome};
use crate::checks::dependency::timeouts_rising;
use apitriage_model::classify::Signal;

/// Validation / parse error logs.
pub struct ValidationLogs;

/// The strongest rising validation or deserialization signal: (signal, service, before, after, n).
pub fn rising(cx: &Cx<'_>) -> Option<(Signal, String, f64, f64, u64)> {
    let mut best: Option<(Signal, String, f64, f64, u64)> = None;
    for sig in [Signal::Deserialization, Signal::Validation] {
        for (svc, b, a, n) in timeouts_rising(cx, sig) {
            // Parse errors thrown as general-purpose exceptions by a service whose
            // partners did not ship are its own code's (see new exception signatures).
            if sig == Signal::Deserialization && super::own_conversion_bug(cx, &svc) {
                continue;
            }
            if best.as_ref().is_none_or(|x| n > x.4) {
                best = Some((sig, svc, b, a, n));
            }
        }
    }
    best
}

impl Check for ValidationLogs {
    fn id(&self) -> &'static str {
        "contract.validation_errors"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.logs.is_empty() {
            return Outcome::NotRun("application logs");
        }
        let Some((sig, svc, b, a, n)) = rising(cx) else {
            return Outcome::Ran(vec![]);
        };
        // Parse errors in a caller blame whoever it calls that shipped most recently.
        let culprit = match sig {
            Signal::Deserialization => super::parse_error_culprit(cx, &svc),
            _ => svc.clone(),
        };
        Outcome::Ran(vec![found(
            self.id(),
            "contract",
            (0.45 + (a / (b + 1.0)).ln() / 12.0).min(0.85),
            format!(
                "{} logged by {}: {:.1}/min → {:.1}/min",
                sig.describe(),
                svc,
                b,
                a
            ),
            vec![format!("{n} records in the incident window")],
        )
        .blame(culprit)])
    }
}
