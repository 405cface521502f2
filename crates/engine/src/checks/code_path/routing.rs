//! Routing and environment: a route that served before now answers 404, or the logs say
//! no handler matched.

use super::super::{found, pct, Check, Cx, Outcome};

/// 404 on a route that used to work.
pub struct Routing;

impl Check for Routing {
    fn id(&self) -> &'static str {
        "code_path.route_not_found"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.endpoints.is_empty() {
            return Outcome::NotRun("request records with status codes");
        }
        let mut out = Vec::new();
        for (svc, ep) in cx.view.endpoints.keys() {
            let b = cx.view.endpoint(svc, ep, cx.inc.baseline);
            let a = cx.view.endpoint(svc, ep, cx.inc.window);
            let (rb, ra) = (
                b.status_rate(404) + b.status_rate(405),
                a.status_rate(404) + a.status_rate(405),
            );
            let ok_before = b.total > 20 && rb < 0.3;
            if ok_before && a.total >= 10 && ra - rb >= 0.3 {
                out.push(
                    found(
                        self.id(),
                        "code_path",
                        (0.4 + ra - rb).min(0.85),
                        format!(
                            "{ep} on {svc} now answers 404/405: {} → {}",
                            pct(rb),
                            pct(ra)
                        ),
                        vec![format!("{} requests in the incident window", a.total)],
                    )
                    .blame(super::super::owner_of(cx, svc, Some(ep))),
                );
            }
        }
        // A service whose own 404s jumped across endpoints: once a route is gone the
        // framework no longer names it, so the 404s land under a raw path.
        for (svc, d) in &cx.facts.services {
            let rate = |st: &crate::view::ReqStats| st.status_rate(404) + st.status_rate(405);
            let (rb, ra) = (rate(&d.before), rate(&d.after));
            let already = out
                .iter()
                .any(|f| f.culprit_service.as_deref() == Some(svc.as_str()));
            if !already && d.after.total >= 20 && ra - rb >= 0.05 && ra > 3.0 * rb {
                out.push(
                    found(
                        self.id(),
                        "code_path",
                        (0.35 + 2.0 * (ra - rb)).min(0.8),
                        format!(
                            "{svc} answers 404/405 far more often: {} → {} of its requests",
                            pct(rb),
                            pct(ra)
                        ),
                        vec![format!("{} requests in the incident window", d.after.total)],
                    )
                    .blame(svc.clone()),
                );
            }
        }
        let svcs: Vec<String> = out
            .iter()
            .filter_map(|f| f.culprit_service.clone())
            .collect();
        let refs: Vec<&str> = svcs.iter().map(String::as_str).collect();
        let keep: Vec<String> = super::super::deepest(cx, &refs)
            .into_iter()
            .map(str::to_string)
            .collect();
        out.retain(|f| f.culprit_service.as_ref().is_some_and(|s| keep.contains(s)));
        out.sort_by(|a, b| {
            b.finding
                .strength
                .total_cmp(&a.finding.strength)
                .then(a.finding.summary.cmp(&b.finding.summary))
        });
        out.truncate(2);
        for f in &mut out {
            if let Some(s) = f.culprit_service.take() {
                f.culprit_service = Some(super::super::owner_of(cx, &s, None));
            }
        }
        Outcome::Ran(out)
    }
}
