//! The p95/p99 tail per endpoint: capacity problems lift the tail before errors rise.

use super::super::{found, ms, Check, Cx, Outcome};
use crate::incident::Dense;

/// Tail latency rising before errors.
pub struct TailFirst;

impl Check for TailFirst {
    fn id(&self) -> &'static str {
        "capacity.tail_before_errors"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let (Some(svc), Some(ep)) = (&cx.inc.service, &cx.inc.endpoint) else {
            return Outcome::NotRun("a focus endpoint with request latency");
        };
        let Some(cells) = cx.view.endpoints.get(&(svc.clone(), ep.clone())) else {
            return Outcome::NotRun("request latency at the focus endpoint");
        };
        let f = &cx.facts.focus;
        let (Some(p99b), Some(p99a)) = (f.before.q(0.99), f.after.q(0.99)) else {
            return Outcome::NotRun("request durations at the focus endpoint");
        };
        if p99a < 1.5 * p99b {
            return Outcome::Ran(vec![]);
        }
        let range = crate::view::Window {
            start: cx.inc.onset / apitriage_model::summary::BUCKET - 60,
            end: cx.inc.window.end,
        };
        let d = Dense::new(cells, range);
        let base_rate = f.before.server_rate() + f.before.client_rate();
        let mut first_slow = None;
        let mut first_err = None;
        for i in 0..d.tot.len() {
            if d.tot[i] < 3.0 {
                continue;
            }
            if first_slow.is_none() && d.lat[i].quantile(0.99).is_some_and(|q| q > 2.0 * p99b) {
                first_slow = Some(i);
            }
            if first_err.is_none() && (d.e5[i] + d.e4[i]) / d.tot[i] > base_rate + 0.05 {
                first_err = Some(i);
            }
        }
        let (Some(s), e) = (first_slow, first_err) else {
            return Outcome::Ran(vec![]);
        };
        let lead = match e {
            Some(e) if e > s => (e - s) as f64 * 10.0,
            None => f64::INFINITY,
            _ => return Outcome::Ran(vec![]),
        };
        if lead < 30.0 {
            return Outcome::Ran(vec![]);
        }
        let mut strength = 0.35;
        if super::upstream_cause(cx).is_some() {
            strength = 0.1;
        }
        let lead_text = if lead.is_finite() {
            format!("{lead:.0} s before errors rose")
        } else {
            "with no error rise".to_string()
        };
        Outcome::Ran(vec![found(
            self.id(),
            "capacity",
            strength,
            format!("p99 of {ep} {} → {}, {lead_text}", ms(p99b), ms(p99a)),
            vec![format!(
                "p95 {} → {}",
                ms(f.before.q(0.95).unwrap_or(0.0)),
                ms(f.after.q(0.95).unwrap_or(0.0))
            )],
        )
        .blame(cx.facts.blame_target(cx.inc).unwrap_or_else(|| svc.clone()))])
    }
}
