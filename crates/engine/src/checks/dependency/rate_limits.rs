//! Rate limits: a downstream answering 429, with Retry-After when it sends one.

use super::super::{found, pct, Check, Cx, Outcome};
use apitriage_model::classify::Signal;

/// 429s from a downstream.
pub struct RateLimits;

impl Check for RateLimits {
    fn id(&self) -> &'static str {
        "dependency.rate_limited"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.downstreams.is_empty() && cx.view.logs.is_empty() {
            return Outcome::NotRun("client spans with http.response.status_code, or logs");
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
        if out.is_empty() {
            out.extend(from_logs(cx));
        }
        Outcome::Ran(out)
    }
}

/// Sampled or status-less spans can miss the 429s that the caller's logs still record
/// ("429 Too Many Requests ... (calling https://api.geoapi.example/...)"): the service
/// logging rate-limit errors most, and the downstream its messages name.
fn from_logs(cx: &Cx<'_>) -> Option<crate::checks::Found> {
    let (svc, b, a, n) = super::timeouts::rising_signal(cx, Signal::RateLimited)
        .into_iter()
        .next()?;
    let example = crate::checks::code_path::surging(cx)
        .into_iter()
        .find(|(s, st, _, _)| *s == svc && st.signal == Some(Signal::RateLimited))
        .map(|(_, st, _, _)| st.example.clone());
    // The host the messages name, as the call graph knows it when it does.
    // A service limiting its own clients logs "rate limit exceeded" without calling
    // anyone: only messages naming the URL they called are about a dependency.
    let named = example.as_deref().and_then(|e| {
        crate::facts::url_hosts(e)
            .into_iter()
            .next()
            .map(str::to_string)
    })?;
    // An address the caller only started calling at the onset is its configuration's.
    if cx.facts.switched_to(&svc, &named) {
        return None;
    }
    let traced = cx
        .view
        .downstreams
        .keys()
        .find(|(c, d)| *c == svc && crate::facts::same_name(d, &named))
        .map(|(_, d)| d.clone());
    let weight = super::super::named_log_weight(cx, traced.is_some());
    let host = traced.unwrap_or(named);
    let mut ev = vec![format!("{n} records in the incident window")];
    if let Some(e) = &example {
        ev.push(format!("first: {e}"));
    }
    let f = found(
        "dependency.rate_limited",
        "dependency",
        // New (none in the baseline) is what matters, not the rate: a provider's limit
        // fails a share of calls whatever the traffic.
        (0.45 + 0.1 * (1.0 + a / (b + 0.1)).ln()).min(0.7) * weight,
        format!("rate limiting logged by {svc} calling {host}: {b:.1}/min → {a:.1}/min"),
        ev,
    );
    Some(f.blame_dependency(host))
}
