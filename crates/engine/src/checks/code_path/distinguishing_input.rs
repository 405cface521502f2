//! The smallest distinguishing input: which cohort, role, tenant or client version
//! separates the failing requests from the succeeding ones (a BubbleUp-style contrast of
//! failures against the baseline).

use super::super::{found, pct, Check, Cx, Outcome};
use crate::blast::{contrast_with_counts, over_representation};

/// A dimension value that separates failures.
pub struct DistinguishingInput;

impl Check for DistinguishingInput {
    fn id(&self) -> &'static str {
        "code_path.distinguishing_input"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let rows = contrast_with_counts(cx);
        if rows.is_empty() {
            return Outcome::NotRun(
                "request dimensions (user, cohort, role, tenant, client version)",
            );
        }
        let mut out = Vec::new();
        for (d, n) in rows.iter().take(3) {
            let bucket = match d.name.as_str() {
                "cohort" | "role" => "code_path",
                "client_version" | "client_app" => "contract",
                _ => continue,
            };
            // Many values of many dimensions are compared: a split must stand well clear
            // of chance (5 of 6 failures on a value with 40% of traffic happens by luck).
            if d.share_of_failures < 0.7
                || d.share_of_baseline > 0.6
                || over_representation(d, *n) < 3.0
            {
                continue;
            }
            let mut f = found(
                if bucket == "code_path" {
                    self.id()
                } else {
                    "contract.client_version_split"
                },
                bucket,
                0.45 * (d.share_of_failures - d.share_of_baseline).max(0.0) + 0.15,
                format!(
                    "{} = {} carries {} of failures but {} of baseline traffic",
                    d.name,
                    d.value,
                    pct(d.share_of_failures),
                    pct(d.share_of_baseline)
                ),
                vec![format!(
                    "{} in the incident window against all requests of the {} before it",
                    if cx.inc.measure == "client_errors" {
                        "4xx failures"
                    } else {
                        "server failures"
                    },
                    apitriage_model::time::format_duration_s(cx.inc.baseline.seconds())
                )],
            );
            if let Some(s) = cx.facts.blame_target(cx.inc) {
                f = f.blame(s);
            }
            out.push(f);
        }
        Outcome::Ran(out)
    }
}
