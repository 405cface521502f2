//! 502/503/504 at the focus endpoint: the statuses a caller returns when what it calls
//! failed or did not answer in time.

use super::super::{found, pct, Check, Cx, Outcome};

/// Gateway statuses.
pub struct GatewayStatuses;

impl Check for GatewayStatuses {
    fn id(&self) -> &'static str {
        "dependency.gateway_statuses"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let f = &cx.facts.focus;
        if f.after.total == 0 {
            return Outcome::NotRun("requests with status codes at the focus endpoint");
        }
        let share = |st: &crate::view::ReqStats| -> f64 {
            [502u16, 504].iter().map(|s| st.status_rate(*s)).sum()
        };
        let (b, a) = (share(&f.before), share(&f.after));
        if a - b < 0.03 {
            return Outcome::Ran(vec![]);
        }
        let errs = f.after.server_errors.max(1) as f64;
        let of_failures = a * f.after.total as f64 / errs;
        Outcome::Ran(vec![found(
            self.id(),
            "dependency",
            (0.2 + 0.3 * of_failures).min(0.5) * super::super::log_dependency_weight(cx),
            format!(
                "502/504 share of {} {} → {}",
                cx.inc.endpoint.as_deref().unwrap_or("requests"),
                pct(b),
                pct(a)
            ),
            vec![format!(
                "{} of the server errors are 502/504",
                pct(of_failures.min(1.0))
            )],
        )])
    }
}
