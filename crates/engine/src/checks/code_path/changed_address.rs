//! Routing and environment, on the way out: a service that stopped calling one address
//! and started calling another at the onset, where the new one fails, had its base URL
//! or host name changed (a config push, a wrong environment variable). The provider
//! behind the old address is not at fault, whatever the new address answers.

use super::super::{found, pct, Check, Cx, Outcome};
use apitriage_model::time::format_clock;

/// A switch to a new, failing address.
pub struct ChangedAddress;

impl Check for ChangedAddress {
    fn id(&self) -> &'static str {
        "code_path.changed_address"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.downstreams.is_empty() {
            return Outcome::NotRun("client spans naming the addresses services call");
        }
        let out = cx
            .facts
            .switches
            .iter()
            .map(|w| {
                let share = w.errors as f64 / w.calls.max(1) as f64;
                let mut ev = vec![
                    format!(
                        "{} calls to {} before, none after {}",
                        w.old_calls,
                        w.old,
                        format_clock(w.first)
                    ),
                    format!(
                        "{} of {} calls to {} failed ({})",
                        w.errors,
                        w.calls,
                        w.new,
                        pct(share)
                    ),
                ];
                if let Some(c) = cx.facts.change_of(&w.caller) {
                    ev.push(format!(
                        "{} of {} at {}",
                        c.kind.name(),
                        w.caller,
                        format_clock(c.time)
                    ));
                }
                found(
                    self.id(),
                    "code_path",
                    (0.5 + 0.35 * share).min(0.85),
                    format!(
                        "{} switched from {} to {} at {}, and the new address fails",
                        w.caller,
                        w.old,
                        w.new,
                        format_clock(w.first)
                    ),
                    ev,
                )
                .blame(w.caller.clone())
            })
            .collect();
        Outcome::Ran(out)
    }
}
