//! Traffic against the baseline: errors that rise with traffic point at capacity.

use super::super::{found, Check, Cx, Outcome};

/// Request rate versus baseline.
pub struct Traffic;

impl Check for Traffic {
    fn id(&self) -> &'static str {
        "capacity.traffic_surge"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.facts.services.is_empty() {
            return Outcome::NotRun("request records (server spans or access logs)");
        }
        let mut out = Vec::new();
        let r = cx.facts.traffic_ratio;
        if r >= 1.4 {
            let f = &cx.facts.focus;
            let fr = {
                let b = f.before.total as f64 / cx.inc.baseline.seconds().max(1.0);
                let a = f.after.total as f64 / cx.inc.window.seconds().max(1.0);
                if b > 0.0 {
                    a / b
                } else {
                    1.0
                }
            };
            let mut f = found(
                self.id(),
                "capacity",
                ((r - 1.2) / 1.5).clamp(0.0, 0.9),
                format!("request rate {:.1}× the baseline", r),
                vec![format!("focus endpoint rate {:.1}× the baseline", fr)],
            );
            if let Some(s) = cx.facts.blame_target(cx.inc) {
                f = f.blame(s);
            }
            out.push(f);
        }
        Outcome::Ran(out)
    }
}
