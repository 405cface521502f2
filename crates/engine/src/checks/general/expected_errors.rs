//! Expected business errors (an invalid coupon is a correct 422) are kept out of the
//! incident unless they spike; this check says which were seen and whether they moved.

use super::super::{found, pct, Check, Cx, Outcome};

/// Expected business errors.
pub struct ExpectedErrors;

impl Check for ExpectedErrors {
    fn id(&self) -> &'static str {
        "general.expected_business_errors"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let settings = &cx.view.opts.settings;
        if settings.expected_errors.is_empty() {
            return Outcome::NotRun("an expected_errors list in the config");
        }
        let b = cx.view.requests(cx.inc.baseline, |_, _| true);
        let a = cx.view.requests(cx.inc.window, |_, _| true);
        let mut steady = Vec::new();
        for (status, n) in &b.statuses {
            if !settings.is_expected(*status, "") || *n < 5 {
                continue;
            }
            let (rb, ra) = (b.status_rate(*status), a.status_rate(*status));
            if ra < 2.0 * rb + 0.01 {
                steady.push(format!("{status}: {} → {} (steady)", pct(rb), pct(ra)));
            }
        }
        if steady.is_empty() {
            return Outcome::Ran(vec![]);
        }
        Outcome::Ran(vec![found(
            self.id(),
            "general",
            0.0,
            format!(
                "expected business errors at a steady rate, left out: {}",
                steady.len()
            ),
            steady,
        )])
    }
}
