//! Exhaustion in the logs: "connection is not available", rejected executions, out of
//! memory, queue full.

use super::super::dependency::timeouts_rising;
use super::super::{found, Check, Cx, Outcome};
use apitriage_model::classify::Signal;

/// Pool, memory and overload log signals.
pub struct PoolLogs;

impl Check for PoolLogs {
    fn id(&self) -> &'static str {
        "capacity.exhaustion_logs"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.logs.is_empty() {
            return Outcome::NotRun("application logs or span exception events");
        }
        let mut out = Vec::new();
        for sig in [Signal::PoolExhausted, Signal::Memory, Signal::Overload] {
            if let Some((svc, b, a, n)) = timeouts_rising(cx, sig).into_iter().next() {
                let mut strength = (0.35 + (a / (b + 1.0)).ln() / 15.0).min(0.75)
                    * super::super::origin_weight(cx, &svc).max(0.5);
                let mut ev = vec![format!("{n} records in the incident window")];
                if let Some(d) = super::upstream_cause(cx) {
                    strength *= 0.4;
                    ev.push(format!(
                        "likely a consequence: {} → {} changed first",
                        d.caller, d.downstream
                    ));
                }
                out.push(
                    found(
                        self.id(),
                        "capacity",
                        strength,
                        format!(
                            "{} in {} logs: {:.1}/min → {:.1}/min",
                            sig.describe(),
                            svc,
                            b,
                            a
                        ),
                        ev,
                    )
                    .blame(svc),
                );
            }
        }
        Outcome::Ran(out)
    }
}
