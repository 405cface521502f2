//! Rate limits: a downstream answering 429, with Retry-After when it sends one.

use super::super::{found, pct, Check, Cx, Outcome};

/// 429s from a downstream.
pub struct RateLimits;

impl Check for RateLimits {
    fn id(&self) -> &'static str {
        "dependency.rate_limited"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.downstreams.is_empty() {
            return Outcome::NotRun("client spans with http.response.status_code");
        }
        let mut out = Vec::new();
        for d in &cx.facts.downstreams {
            let (b, a) = (&d.d.before, &d.d.after);
            let rb = b.rate_limited as f64 / b.calls.max(1) as f64;
            let ra = a.rate_limited as f64 / a.calls.max(1) as f64;
            if a.rate_limited >= 5 && ra > 3.0 * rb + 0.02 {
                let mut ev = vec![format!(
                    "{} of {} calls answered 429 in the incident window",
                    a.rate_limited, a.calls
                )];
                if a.max_retry_after_s > 0.0 {
                    ev.push(format!("Retry-After up to {:.0} s", a.max_retry_after_s));
                }
                out.push(
                    found(
                        self.id(),
                        "dependency",
                        (0.4 + ra).min(0.9),
                        format!(
                            "{} rate-limits {}: 429 share {} → {}",
                            d.downstream,
                            d.caller,
                            pct(rb),
                            pct(ra)
                        ),
                        ev,
                    )
                    .blame_dependency(d.downstream.clone()),
                );
            }
        }
        Outcome::Ran(out)
    }
}
