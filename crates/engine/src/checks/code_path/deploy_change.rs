//! Deploys, config and flag changes of a failing service just before server errors began.

use super::super::{found, pct, Check, Cx, Outcome};
use apitriage_model::time::{format_clock, format_duration_s};

/// A change right before 5xx.
pub struct DeployChange;

impl Check for DeployChange {
    fn id(&self) -> &'static str {
        "code_path.deploy_or_config_change"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.facts.changes.is_empty() {
            return Outcome::NotRun(
                "change events (changes.jsonl) or service.version in telemetry",
            );
        }
        let mut out = Vec::new();
        for c in cx.facts.near.iter().rev() {
            let Some(d) = cx.facts.services.get(&c.service) else {
                continue;
            };
            let rise5 = d.after.server_rate() - d.before.server_rate();
            let rise4 = d.after.client_rate() - d.before.client_rate();
            let gap = (cx.inc.onset - c.time) as f64 / 1e9;
            if rise5 < 0.02
                && !(rise4 >= 0.02
                    && matches!(
                        c.kind,
                        apitriage_model::ChangeKind::Flag | apitriage_model::ChangeKind::Config
                    ))
            {
                continue;
            }
            let closeness = if gap <= 600.0 { 1.0 } else { 0.6 };
            let strength = (0.3 + rise5.max(rise4)).min(0.6)
                * closeness
                * super::super::origin_weight(cx, &c.service);
            out.push(
                found(
                    self.id(),
                    "code_path",
                    strength,
                    format!(
                        "{} {} of {}{} at {}, {} the onset",
                        c.kind.name(),
                        if c.inferred {
                            "(seen in telemetry)"
                        } else {
                            ""
                        },
                        c.service,
                        c.version
                            .as_ref()
                            .map(|v| format!(" {v}"))
                            .unwrap_or_default(),
                        format_clock(c.time),
                        if gap >= 0.0 {
                            format!("{} before", format_duration_s(gap))
                        } else {
                            format!("{} after", format_duration_s(-gap))
                        }
                    ),
                    vec![
                        format!(
                            "{} server errors {} → {}",
                            c.service,
                            pct(d.before.server_rate()),
                            pct(d.after.server_rate())
                        ),
                        c.description.clone().unwrap_or_default(),
                    ]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect(),
                )
                .blame(c.service.clone()),
            );
        }
        Outcome::Ran(out)
    }
}
