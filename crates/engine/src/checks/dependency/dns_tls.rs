//! DNS and TLS failures, the usual cause of intermittent and region-specific errors.

use super::super::{found, Check, Cx, Outcome};
use super::timeouts::rising_signal;
use apitriage_model::classify::Signal;

/// DNS and TLS errors.
pub struct DnsTls;

impl Check for DnsTls {
    fn id(&self) -> &'static str {
        "dependency.dns_tls_errors"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.logs.is_empty() && cx.view.downstreams.is_empty() {
            return Outcome::NotRun("logs or client spans with error details");
        }
        let mut out = Vec::new();
        for sig in [Signal::Dns, Signal::Tls] {
            for d in &cx.facts.downstreams {
                // An address the caller only started calling at the onset is its own
                // configuration's fault (code_path.changed_address).
                if cx.facts.switched_to(&d.caller, &d.downstream) {
                    continue;
                }
                let n = d.d.after.signals[apitriage_model::summary::signal_index(sig)];
                let nb = d.d.before.signals[apitriage_model::summary::signal_index(sig)];
                if n >= 5
                    && n as f64
                        > 3.0
                            * nb as f64
                            * (cx.inc.window.seconds() / cx.inc.baseline.seconds().max(1.0))
                {
                    out.push(
                        found(
                            self.id(),
                            "dependency",
                            0.7,
                            format!(
                                "{} from {} to {}: {} calls in the incident window",
                                sig.describe(),
                                d.caller,
                                d.downstream,
                                n
                            ),
                            vec![format!("{nb} such failures in the baseline")],
                        )
                        .blame_dependency(d.downstream.clone()),
                    );
                }
            }
            if out.is_empty() {
                for (svc, b, a, n) in rising_signal(cx, sig).into_iter().take(1) {
                    out.push(found(
                        self.id(),
                        "dependency",
                        0.45 * super::super::log_dependency_weight(cx),
                        format!(
                            "{} logged by {}: {:.1}/min → {:.1}/min",
                            sig.describe(),
                            svc,
                            b,
                            a
                        ),
                        vec![format!("{n} records in the incident window")],
                    ));
                }
            }
        }
        Outcome::Ran(out)
    }
}
