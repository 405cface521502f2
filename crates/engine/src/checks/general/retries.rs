//! Retries versus real failures: the first-attempt failure rate, the final success rate
//! and the latency retries add. Retries that succeed hide failures from dashboards
//! while users still wait.

use super::super::{found, pct, Check, Cx, Outcome};

/// Retried requests.
pub struct Retries;

impl Check for Retries {
    fn id(&self) -> &'static str {
        "general.retries_hide_failures"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let a = &cx.facts.focus.after;
        let all = cx.view.requests(cx.inc.window, |_, _| true);
        if all.resent == 0 {
            return Outcome::NotRun("a retry marker (http.request.resend_count on spans)");
        }
        let first = a.total.saturating_sub(a.resent);
        if first == 0 || a.resent == 0 {
            return Outcome::Ran(vec![]);
        }
        let first_fail = a.first_failed as f64 / first as f64;
        let final_fail = (a.server_errors + a.client_errors) as f64 / a.total as f64;
        let retry_ok = 1.0 - a.resent_failed as f64 / a.resent as f64;
        Outcome::Ran(vec![found(
            self.id(),
            "general",
            0.0,
            format!(
                "{} re-sent requests in the incident window; first attempts failed {} of the time",
                a.resent,
                pct(first_fail)
            ),
            vec![
                format!("re-sends that succeeded: {}", pct(retry_ok)),
                format!("failure share of all attempts: {}", pct(final_fail)),
            ],
        )])
    }
}
