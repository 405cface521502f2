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
        let mut rows: Vec<(f64, String, String, f64, f64)> = Vec::new();
        for (svc, ep) in cx.view.endpoints.keys() {
            let b = cx.view.endpoint(svc, ep, cx.inc.baseline);
            let a = cx.view.endpoint(svc, ep, cx.inc.window);
            let (rb, ra) = (
                b.status_rate(401) + b.status_rate(403),
                a.status_rate(401) + a.status_rate(403),
            );
            if a.total >= 10 && ra - rb >= 0.08 && ra > 3.0 * rb {
                rows.push((ra - rb, svc.clone(), ep.clone(), rb, ra));
            }
        }
        let svcs: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        let keep: Vec<String> = super::super::deepest(cx, &svcs)
            .into_iter()
            .map(str::to_string)
            .collect();
        let best = rows
            .into_iter()
            .filter(|r| keep.contains(&r.1))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((s, svc, ep, rb, ra)) = best else {
            return Outcome::Ran(vec![]);
        };
        let after_change = cx.facts.change_of(&svc).is_some();
        Outcome::Ran(vec![found(
            self.id(),
            "code_path",
            (0.35 + s + if after_change { 0.15 } else { 0.0 }).min(0.85),
            format!("401/403 on {ep} ({svc}): {} → {}", pct(rb), pct(ra)),
            vec![if after_change {
                format!("{svc} changed shortly before")
            } else {
                "no change of this service seen: also consider token refresh or clock skew".into()
            }],
        )
        .blame(super::super::owner_of(cx, &svc, Some(&ep)))])
    }
}
