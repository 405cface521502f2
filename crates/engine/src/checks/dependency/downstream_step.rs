//! The endpoint → downstream map from client spans, and a step change in one
//! downstream's error rate or latency at the onset, not explained by more calls from us.
//! The facts' blame chain decides which downstream: the one where the walk down from
//! the focus stops. When it stops inside the system, this is not a dependency failure of
//! ours and the check says where the chain ended instead.

use super::super::{found, ms, pct, Check, Cx, Found, Outcome};
use crate::facts::DownDelta;

/// Step change of one downstream.
pub struct DownstreamStep;

fn describe(cx: &Cx<'_>, d: &DownDelta, strength: f64, chain: Option<&[String]>) -> Found {
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
    if let Some(hops) = chain {
        ev.push(format!(
            "blame chain: {} → {}",
            hops.join(" → "),
            d.downstream
        ));
    }
    let mut edges: Vec<String> = cx
        .view
        .s
        .edges
        .iter()
        .filter(|((c, _, ds), _)| cx.view.s.s(*c) == d.caller && cx.view.s.s(*ds) == d.downstream)
        .map(|((_, ep, _), _)| cx.view.s.s(*ep).to_string())
        .filter(|e| !e.is_empty())
        .collect();
    edges.sort();
    if !edges.is_empty() {
        ev.push(format!("called from {}", edges.join(", ")));
    }
    let what = if a.error_rate() - b.error_rate() >= 0.05 {
        "fails"
    } else {
        "slowed down"
    };
    found(
        "dependency.downstream_step_change",
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
    .blame_dependency(d.downstream.clone())
}

impl Check for DownstreamStep {
    fn id(&self) -> &'static str {
        "dependency.downstream_step_change"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.downstreams.is_empty() {
            return Outcome::NotRun(
                "client spans (OTLP traces with CLIENT spans, db.system or peer.service)",
            );
        }
        if let Some(o) = &cx.facts.origin {
            if o.internal {
                let why = match &o.load_driven_by {
                    Some(d)
                        if o.hops.len() > 1
                            && o.hops.last() == Some(&o.name)
                            && o.hops.contains(d) =>
                    {
                        format!("; {d} sends it far more calls per request than before")
                    }
                    Some(d) => format!("; its calls to {d} multiplied with load"),
                    None => String::new(),
                };
                return Outcome::Ran(vec![found(
                    "general.blame_chain",
                    "general",
                    0.0,
                    format!("the failures originate inside {}{why}", o.name),
                    vec![format!("blame chain: {}", o.hops.join(" → "))],
                )
                .blame(o.name.clone())]);
            }
            let caller = o.hops.last().cloned().unwrap_or_default();
            if let Some(d) = cx
                .facts
                .downstreams
                .iter()
                .find(|d| d.caller == caller && d.downstream == o.name)
            {
                let strength = d.strength.max(0.55);
                return Outcome::Ran(vec![describe(cx, d, strength, Some(&o.hops))]);
            }
        }
        // No chain (no server spans to walk): the strongest downstream changes that are
        // not internal services and not load-driven.
        let out = cx
            .facts
            .downstreams
            .iter()
            .filter(|d| {
                d.strength >= 0.2 && !d.load_driven() && !cx.facts.internal.contains(&d.downstream)
            })
            .take(2)
            .map(|d| describe(cx, d, d.strength * 0.8, None))
            .collect();
        Outcome::Ran(out)
    }
}
