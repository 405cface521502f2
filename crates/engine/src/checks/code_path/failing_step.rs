//! The handler step that fails first (validation, auth, database, external call), from
//! the span order of failing traces.

use super::super::{found, pct, Check, Cx, Outcome};
use std::collections::BTreeMap;

/// First failing step of failing requests.
pub struct FailingStep;

impl Check for FailingStep {
    fn id(&self) -> &'static str {
        "code_path.failing_step"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let mut steps: BTreeMap<String, u32> = BTreeMap::new();
        let mut total = 0u32;
        for ((svc, _, _), list) in &cx.view.s.exemplars {
            let svc = cx.view.s.s(*svc);
            if cx.inc.service.as_deref().is_some_and(|f| f != svc) {
                continue;
            }
            for ex in list {
                if !cx
                    .inc
                    .window
                    .contains(ex.time.div_euclid(apitriage_model::summary::BUCKET))
                {
                    continue;
                }
                if let Some(st) = &ex.failing_step {
                    *steps.entry(st.clone()).or_default() += 1;
                    total += 1;
                }
            }
        }
        if total == 0 {
            return Outcome::NotRun("traces of failing requests with child spans");
        }
        let (step, n) = steps
            .iter()
            .max_by_key(|x| *x.1)
            .map(|(s, n)| (s.clone(), *n))
            .unwrap_or_default();
        let bucket = match step.as_str() {
            "database" | "external call" => "dependency",
            "validation" => "contract",
            _ => "code_path",
        };
        Outcome::Ran(vec![found(
            self.id(),
            bucket,
            0.2,
            format!(
                "failing requests fail first at the {step} step ({} of sampled failures)",
                pct(n as f64 / total as f64)
            ),
            steps.iter().map(|(s, n)| format!("{s}: {n}")).collect(),
        )])
    }
}
