//! The top exception signatures, grouped by type and endpoint, that are new since the
//! baseline (or much more frequent). Signatures about timeouts, pools or DNS argue for
//! other buckets and are left to their checks.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::classify::Signal;

/// New exception signatures.
pub struct NewExceptions;

/// (service, signature stats, before per min, after count) of signatures new or surging.
pub fn surging<'a>(
    cx: &'a Cx<'_>,
) -> Vec<(
    String,
    &'a apitriage_model::summary::SignatureStats,
    f64,
    u64,
)> {
    let (bc, ic) = (cx.inc.baseline.coarse(), cx.inc.window.coarse());
    let bmin = ((bc.1 - bc.0).max(1)) as f64;
    let imin = ((ic.1 - ic.0).max(1)) as f64;
    let mut out = Vec::new();
    for ((svc, _), st) in cx.view.s.signatures.iter() {
        let b: u64 = st.counts.range(bc.0..bc.1).map(|(_, n)| *n as u64).sum();
        let a: u64 = st.counts.range(ic.0..ic.1).map(|(_, n)| *n as u64).sum();
        if a >= 5 && (a as f64 / imin) > 5.0 * (b as f64 / bmin) + 0.2 {
            out.push((cx.view.s.s(*svc).to_string(), st, b as f64 / bmin, a));
        }
    }
    out.sort_by(|x, y| y.3.cmp(&x.3).then(x.0.cmp(&y.0)));
    out
}

impl Check for NewExceptions {
    fn id(&self) -> &'static str {
        "code_path.new_exception_signature"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.s.signatures.is_empty() {
            return Outcome::NotRun("error logs or span exception events");
        }
        let mut out = Vec::new();
        for (svc, st, before, n) in surging(cx) {
            // Name-resolution failures that are new, inside the service where the traces
            // end while its traced calls stay healthy, point at a wrong address in its
            // configuration rather than at a provider.
            let wrong_address = st.signal == Some(Signal::Dns)
                && before == 0.0
                && cx
                    .facts
                    .origin
                    .as_ref()
                    .is_some_and(|o| o.internal && o.name == svc && o.load_driven_by.is_none());
            let bucket = match st.signal {
                Some(
                    Signal::NullDeref | Signal::RouteNotFound | Signal::Config | Signal::Permission,
                )
                | None => "code_path",
                Some(Signal::Validation | Signal::Deserialization) => "contract",
                Some(Signal::Dns) if wrong_address => "code_path",
                _ => continue,
            };
            let mut eps: Vec<(&String, &u32)> = st.endpoints.iter().collect();
            eps.sort_by(|a, b| b.1.cmp(a.1));
            let mut ev = vec![format!(
                "{} in the incident window, {:.1}/min in the baseline",
                n, before
            )];
            if let Some((e, c)) = eps.first() {
                ev.push(format!("mostly on {e} ({c})"));
            }
            if let Some((v, _)) = st.versions.iter().max_by_key(|x| x.1) {
                ev.push(format!("release {v}"));
            }
            ev.push(format!("first: {}", st.example));
            let new = before == 0.0;
            let base = if bucket == "code_path" {
                if new {
                    0.75
                } else {
                    0.5
                }
            } else if new {
                0.55
            } else {
                0.4
            };
            // A handful of new exceptions do not explain hundreds of failures.
            let f = &cx.facts.focus;
            let excess = ((f.after.server_errors + f.after.client_errors) as f64
                - (f.before.server_rate() + f.before.client_rate()) * f.after.total as f64)
                .max(1.0);
            let explains = (n as f64 / (0.2 * excess)).clamp(0.3, 1.0);
            let culprit = if st.signal == Some(Signal::Deserialization) {
                crate::checks::contract::parse_error_culprit(cx, &svc)
            } else {
                svc.clone()
            };
            let strength = base
                * explains
                * super::super::origin_weight(cx, &culprit).max(if bucket == "contract" {
                    0.7
                } else {
                    0.0
                });
            let title = if st.exception_type.is_empty() {
                st.example.clone()
            } else {
                st.exception_type.clone()
            };
            out.push(
                found(
                    if bucket == "code_path" {
                        self.id()
                    } else {
                        "contract.validation_errors"
                    },
                    bucket,
                    strength,
                    format!(
                        "{} {} in {}",
                        if new { "new" } else { "surging" },
                        title,
                        svc
                    ),
                    ev,
                )
                .blame(culprit),
            );
            if out.len() >= 3 {
                break;
            }
        }
        Outcome::Ran(out)
    }
}
