//! Hot keys and thundering herds: one tenant or user taking over the traffic, or one
//! service suddenly making many more calls per request to a store (cache misses after
//! an expiry send everything to the database).

use super::super::{found, pct, Check, Cx, Outcome};

/// One tenant dominating, or calls per request multiplying.
pub struct HotKeys;

impl Check for HotKeys {
    fn id(&self) -> &'static str {
        "capacity.hot_keys_and_herds"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let mut out = Vec::new();
        let (bc, ic) = (cx.inc.baseline.coarse(), cx.inc.window.coarse());
        for dim in ["tenant", "user"] {
            let Some(table) = cx.view.dim(dim) else {
                continue;
            };
            let mut tot_b = 0u64;
            let mut tot_a = 0u64;
            let mut rows: Vec<(String, u64, u64)> = Vec::new();
            for (v, series) in table.iter() {
                let b: u64 = series
                    .0
                    .range(bc.0..bc.1)
                    .map(|(_, c)| c.total as u64)
                    .sum();
                let a: u64 = series
                    .0
                    .range(ic.0..ic.1)
                    .map(|(_, c)| c.total as u64)
                    .sum();
                tot_b += b;
                tot_a += a;
                rows.push((cx.view.s.s(*v).to_string(), b, a));
            }
            if tot_a < 50 || tot_b < 50 {
                continue;
            }
            let rate_b = tot_b as f64 / cx.inc.baseline.seconds().max(1.0);
            let rate_a = tot_a as f64 / cx.inc.window.seconds().max(1.0);
            rows.sort_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(&y.0)));
            if let Some((v, b, a)) = rows.first() {
                let sb = *b as f64 / tot_b as f64;
                let sa = *a as f64 / tot_a as f64;
                if sa >= 0.3 && sa >= 2.5 * sb && rate_a > rate_b * 1.2 {
                    let mut f = found(
                        self.id(),
                        "capacity",
                        (0.3 + sa).min(0.85),
                        format!(
                            "{dim} {v} took {} of the traffic (baseline {})",
                            pct(sa),
                            pct(sb)
                        ),
                        vec![format!("request rate {:.1}/s → {:.1}/s", rate_b, rate_a)],
                    );
                    if let Some(s) = cx.facts.blame_target(cx.inc) {
                        f = f.blame(s);
                    }
                    out.push(f);
                    break;
                }
            }
        }
        for d in &cx.facts.downstreams {
            let (b, a) = d.calls_per_request;
            // A herd is ours only when the store is not failing on its own and nothing
            // further down failed first (a cache outage sends reads to the database).
            if b > 0.0
                && a / b >= 1.8
                && a - b >= 0.3
                && d.load_driven()
                && super::upstream_cause(cx).is_none()
            {
                out.push(
                    found(
                        self.id(),
                        "capacity",
                        ((a / b - 1.0) / 4.0).clamp(0.3, 0.8),
                        format!(
                            "{} makes {:.1}× more calls per request to {} ({:.2} → {:.2})",
                            d.caller,
                            a / b,
                            d.downstream,
                            b,
                            a
                        ),
                        vec![format!(
                            "{} latency p95 {:.0} ms → {:.0} ms",
                            d.downstream,
                            d.d.before.latency.quantile(0.95).unwrap_or(0.0),
                            d.d.after.latency.quantile(0.95).unwrap_or(0.0)
                        )],
                    )
                    .blame(d.caller.clone()),
                );
                break;
            }
        }
        Outcome::Ran(out)
    }
}
