//! The endpoint → downstream map from client spans, and a step change in one
//! downstream's error rate or latency at the onset, not explained by more calls from us.

use super::super::{found, ms, pct, Check, Cx, Outcome};
use super::load_driven;

/// Step change of one downstream.
pub struct DownstreamStep;

impl Check for DownstreamStep {
    fn id(&self) -> &'static str {
        "dependency.downstream_step_change"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.downstreams.is_empty() {
            return Outcome::NotRun("client spans (OTLP traces with CLIENT spans, db.system or peer.service)");
        }
        let mut out = Vec::new();
        for d in cx.facts.downstreams.iter().take(6) {
            if d.strength < 0.2 || load_driven(d.calls_per_request) {
                continue;
            }
            // An internal service that itself changed just before the onset is more
            // likely a code-path culprit; its own checks will say so.
            if cx.facts.internal.contains(&d.downstream) && cx.facts.change_of(&d.downstream).is_some() {
                continue;
            }
            let (b, a) = (&d.d.before, &d.d.after);
            let mut ev = vec![format!(
                "{} → {}: error rate {} → {} ({} of {} calls failed in the incident window)",
                d.caller,
                d.downstream,
                pct(b.error_rate()),
                pct(a.error_rate()),
                a.errors,
                a.calls
            )];
            if let (Some(p0), Some(p1)) = (b.latency.quantile(0.95), a.latency.quantile(0.95)) {
                ev.push(format!("p95 latency {} → {}", ms(p0), ms(p1)));
            }
            ev.push(format!(
                "calls per {} request {:.2} → {:.2} (not a load increase)",
                d.caller, d.calls_per_request.0, d.calls_per_request.1
            ));
            let edges: Vec<String> = cx
                .view
                .s
                .edges
                .iter()
                .filter(|((c, _, ds), _)| cx.view.s.s(*c) == d.caller && cx.view.s.s(*ds) == d.downstream)
                .map(|((_, ep, _), _)| cx.view.s.s(*ep).to_string())
                .filter(|e| !e.is_empty())
                .collect();
            let mut edges = edges;
            edges.sort();
            if !edges.is_empty() {
                ev.push(format!("called from {}", edges.join(", ")));
            }
            let on_focus = cx.inc.endpoint.as_ref().is_some_and(|f| edges.contains(f));
            let strength = d.strength * if on_focus { 1.0 } else { 0.8 };
            let what = if a.error_rate() - b.error_rate() >= 0.05 { "fails" } else { "slowed down" };
            out.push(
                found(
                    self.id(),
                    "dependency",
                    strength,
                    format!(
                        "downstream {} {} at the onset: errors {} → {}",
                        d.downstream,
                        what,
                        pct(b.error_rate()),
                        pct(a.error_rate())
                    ),
                    ev,
                )
                .blame_dependency(d.downstream.clone()),
            );
        }
        Outcome::Ran(out)
    }
}
