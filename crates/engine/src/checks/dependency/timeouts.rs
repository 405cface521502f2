//! Timeouts and circuit-breaker events: a rise in them often comes before the 5xx.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::classify::Signal;
use apitriage_model::summary::signal_index;

/// Timeouts and open circuits.
pub struct Timeouts;

/// (service, before per minute, after per minute) of a log signal, rising services only.
pub fn rising_signal(cx: &Cx<'_>, sig: Signal) -> Vec<(String, f64, f64, u64)> {
    let i = signal_index(sig);
    let mut out = Vec::new();
    for svc in cx.view.logs.keys() {
        let (_, before) = cx.view.logs(svc, cx.inc.baseline);
        let (_, after) = cx.view.logs(svc, cx.inc.window);
        let b = before[i] as f64 / (cx.inc.baseline.seconds() / 60.0).max(1.0);
        let a = after[i] as f64 / (cx.inc.window.seconds() / 60.0).max(1.0);
        // Rising, or new: five or more of a kind the baseline never logged is a signal
        // whatever the rate (a small region or a quiet endpoint fails a few times a minute).
        if after[i] >= 5
            && (before[i] == 0 && cx.inc.baseline.seconds() >= 1800.0 || a > 3.0 * b + 0.5)
        {
            out.push((svc.clone(), b, a, after[i]));
        }
    }
    out.sort_by(|x, y| y.2.total_cmp(&x.2));
    out
}

impl Check for Timeouts {
    fn id(&self) -> &'static str {
        "dependency.timeouts_and_breakers"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.logs.is_empty() && cx.view.downstreams.is_empty() {
            return Outcome::NotRun("logs or client spans");
        }
        let mut out = Vec::new();
        for sig in [Signal::Timeout, Signal::CircuitOpen] {
            for (svc, b, a, n) in rising_signal(cx, sig).into_iter().take(2) {
                out.push(found(
                    self.id(),
                    "dependency",
                    (0.25 + (a / (b + 1.0)).ln() / 20.0).min(0.5)
                        * super::super::log_dependency_weight(cx),
                    format!(
                        "{} in {} logs: {:.1}/min → {:.1}/min",
                        sig.describe(),
                        svc,
                        b,
                        a
                    ),
                    vec![format!("{n} {} records in the incident window", sig.name())],
                ));
            }
        }
        Outcome::Ran(out)
    }
}
