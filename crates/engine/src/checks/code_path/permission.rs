//! Permission regressions: 401/403 rising on an endpoint that used to let the same
//! callers through.

use super::super::{found, pct, Check, Cx, Outcome};

/// 401/403 spike.
pub struct Permission;

impl Check for Permission {
    fn id(&self) -> &'static str {
        "code_path.permission_regression"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.endpoints.is_empty() {
            return Outcome::NotRun("request records with status codes");
        }
        let mut best: Option<(f64, String, String, f64, f64)> = None;
        for (svc, ep) in cx.view.endpoints.keys() {
            let b = cx.view.endpoint(svc, ep, cx.inc.baseline);
            let a = cx.view.endpoint(svc, ep, cx.inc.window);
            let (rb, ra) = (b.status_rate(401) + b.status_rate(403), a.status_rate(401) + a.status_rate(403));
            if a.total >= 10 && ra - rb >= 0.08 && ra > 3.0 * rb {
                let s = ra - rb;
                if best.as_ref().is_none_or(|x| s > x.0) {
                    best = Some((s, svc.clone(), ep.clone(), rb, ra));
                }
            }
        }
        let Some((s, svc, ep, rb, ra)) = best else {
            return Outcome::Ran(vec![]);
        };
        let after_change = cx.facts.change_of(&svc).is_some();
        Outcome::Ran(vec![found(
            self.id(),
            "code_path",
            (0.35 + s + if after_change { 0.15 } else { 0.0 }).min(0.85),
            format!("401/403 on {ep} ({svc}): {} → {}", pct(rb), pct(ra)),
            vec![if after_change { format!("{svc} changed shortly before") } else { "no change of this service seen: also consider token refresh or clock skew".into() }],
        )
        .blame(svc)])
    }
}
