//! 4xx by endpoint: one endpoint's 400/422 spiking points at a schema or validator change.

use super::super::{found, pct, Check, Cx, Outcome};
use super::CONTRACT_STATUSES;

/// Contract-status spike on one endpoint.
pub struct ClientErrors;

impl Check for ClientErrors {
    fn id(&self) -> &'static str {
        "contract.client_errors_by_endpoint"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.endpoints.is_empty() {
            return Outcome::NotRun("request records with status codes");
        }
        let rate = |st: &crate::view::ReqStats| -> f64 {
            CONTRACT_STATUSES.iter().map(|s| st.status_rate(*s)).sum()
        };
        let mut rows = Vec::new();
        for (svc, ep) in cx.view.endpoints.keys() {
            let b = cx.view.endpoint(svc, ep, cx.inc.baseline);
            let a = cx.view.endpoint(svc, ep, cx.inc.window);
            let (rb, ra) = (rate(&b), rate(&a));
            // At least six extra refusals: a few 422s on a quiet endpoint are business as usual.
            if a.total >= 10
                && ra - rb >= 0.05
                && ra > 2.0 * rb
                && (ra - rb) * a.total as f64 >= 6.0
            {
                let top = CONTRACT_STATUSES
                    .iter()
                    .map(|s| (a.status_rate(*s) - b.status_rate(*s), *s))
                    .max_by(|x, y| x.0.total_cmp(&y.0))
                    .map(|x| x.1)
                    .unwrap_or(400);
                rows.push((ra - rb, svc.clone(), ep.clone(), rb, ra, top, a.total));
            }
        }
        rows.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        // A gateway passing on a 422 from the service behind it is not where it arose.
        let svcs: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        let keep: Vec<String> = super::super::deepest(cx, &svcs)
            .into_iter()
            .map(str::to_string)
            .collect();
        let n_endpoints = rows.len();
        let mut rows: Vec<_> = rows.into_iter().filter(|r| keep.contains(&r.1)).collect();
        rows.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let out = rows
            .into_iter()
            .take(2)
            .map(|(jump, svc, ep, rb, ra, top, n)| {
                let svc = super::super::owner_of(cx, &svc, Some(&ep));
                let concentrated = if n_endpoints <= 2 { 1.0 } else { 0.7 };
                // The incident stepped in server errors or latency elsewhere: refusals on
                // another endpoint are a side show more often than the cause.
                let off_focus = cx.inc.measure != "client_errors"
                    && cx.inc.endpoint.as_deref().is_some_and(|f| f != ep);
                let concentrated = if off_focus {
                    concentrated * 0.6
                } else {
                    concentrated
                };
                let deployed = cx.facts.change_of(&svc).is_some();
                let strength =
                    ((0.35 + jump) * concentrated + if deployed { 0.15 } else { 0.0 }).min(0.9);
                found(
                    self.id(),
                    "contract",
                    strength,
                    format!(
                        "{top}s on {ep} ({svc}): {} → {} of requests",
                        pct(rb),
                        pct(ra)
                    ),
                    vec![
                        format!("{n} requests in the incident window"),
                        format!("{n_endpoints} endpoint(s) with a contract-status spike"),
                        if off_focus {
                            format!(
                                "not the failing endpoint ({}), which stepped in {}",
                                cx.inc.endpoint.as_deref().unwrap_or(""),
                                cx.inc.measure.replace('_', " ")
                            )
                        } else {
                            String::new()
                        },
                    ]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect(),
                )
                .blame(svc)
            })
            .collect();
        Outcome::Ran(out)
    }
}
