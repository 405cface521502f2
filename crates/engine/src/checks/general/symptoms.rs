//! Symptoms people mislabel: the infinite spinner (clients giving up, nginx 499),
//! intermittent 401/403, a 400 spike right after a release, "only some users".

use super::super::{found, pct, Check, Cx, Outcome};

/// Mislabelled symptoms.
pub struct Symptoms;

impl Check for Symptoms {
    fn id(&self) -> &'static str {
        "general.mislabelled_symptoms"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let f = &cx.facts.focus;
        if f.after.total == 0 {
            return Outcome::NotRun("requests at the focus endpoint");
        }
        let mut out = Vec::new();
        let (b, a) = (
            f.before.status_rate(499) + f.before.status_rate(408),
            f.after.status_rate(499) + f.after.status_rate(408),
        );
        if a - b >= 0.03 {
            out.push(found(
                self.id(),
                "general",
                0.0,
                format!("clients giving up (499/408) {} → {}: the 'infinite spinner'", pct(b), pct(a)),
                vec!["a request that never completes looks like an outage to users; look at what the handler waits on".into()],
            ));
        }
        Outcome::Ran(out)
    }
}
