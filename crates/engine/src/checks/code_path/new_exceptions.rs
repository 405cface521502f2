//! The top exception signatures, grouped by type and endpoint, that are new since the
//! baseline (or much more frequent). Signatures about timeouts, pools or DNS argue for
//! other buckets and are left to their checks.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::classify::Signal;
use apitriage_model::time::SECOND;

/// New exception signatures.
pub struct NewExceptions;

/// True for the errors an OpenTelemetry SDK logs about its own exporter ("Failed to
/// export spans. Server responded with HTTP status code 503.", `io.opentelemetry.exporter`).
pub fn telemetry_export_error(st: &apitriage_model::summary::SignatureStats) -> bool {
    let t = st.exception_type.to_ascii_lowercase();
    let m = st.example.to_ascii_lowercase();
    t.contains("opentelemetry.exporter")
        || [
            "failed to export spans",
            "failed to export metrics",
            "failed to export logs",
        ]
        .iter()
        .any(|w| m.contains(w))
}

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
    // The onset is known to a minute or so, and the first errors of a failure often lead
    // the request-level step (a failover refuses connections before the 500s pile up):
    // the two minutes before it count with the incident, not with the baseline.
    // (Never an inverted range, whatever odd windows stray timestamps make.)
    let lead = (ic.0 - 2).max(bc.0).min(ic.0);
    let ic = (lead, ic.1.max(lead));
    let bc = (bc.0, bc.1.min(lead).max(bc.0));
    let bmin = ((bc.1 - bc.0).max(1)) as f64;
    let imin = ((ic.1 - ic.0).max(1)) as f64;
    let mut out = Vec::new();
    for ((svc, _), st) in cx.view.s.signatures.iter() {
        let b: u64 = st.counts.range(bc.0..bc.1).map(|(_, n)| *n as u64).sum();
        let a: u64 = st.counts.range(ic.0..ic.1).map(|(_, n)| *n as u64).sum();
        // The telemetry pipeline's own errors (an OpenTelemetry exporter that cannot reach
        // its collector) say nothing about the application.
        if telemetry_export_error(st) {
            continue;
        }
        if a >= 5 && (a as f64 / imin) > 5.0 * (b as f64 / bmin) + 0.2 {
            out.push((cx.view.s.s(*svc).to_string(), st, b as f64 / bmin, a));
        }
    }
    out.sort_by(|x, y| y.3.cmp(&x.3).then(x.0.cmp(&y.0)));
    out
}

/// True when a message reports a 4xx answer ("status 404", "HTTP 422", "failed with
/// 400", "409 Conflict"): the caller sent something the callee refused, which is the
/// caller's doing. Ports (`:443`) and durations (`450ms`) are not statuses.
fn reports_client_error(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.iter().enumerate().any(|(i, w)| {
        let t = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let status = t.len() == 3 && t.starts_with('4') && t.bytes().all(|b| b.is_ascii_digit());
        if !status || w.starts_with(':') {
            return false;
        }
        let prev = i
            .checked_sub(1)
            .map(|p| {
                words[p]
                    .trim_matches(|c: char| !c.is_ascii_alphanumeric())
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let next_is_reason = words
            .get(i + 1)
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase()));
        [
            "status", "http", "code", "with", "returned", "got", "answered", "response",
        ]
        .contains(&prev.as_str())
            || next_is_reason
    })
}

/// The service behind `svc`'s surging error `st`: a service `svc` calls (traced) that
/// has a surging error of its own, of a kind that is a code path's (not a timeout or a
/// pool), at least half as frequent; followed down while that holds. `None` when
/// `svc`'s error is its own.
fn callee_behind(
    cx: &Cx<'_>,
    all: &[(String, &apitriage_model::summary::SignatureStats, f64, u64)],
    svc: &str,
    st: &apitriage_model::summary::SignatureStats,
    n: u64,
) -> Option<String> {
    if reports_client_error(&st.example) {
        return None;
    }
    let own_kind = |o: &apitriage_model::summary::SignatureStats| {
        matches!(
            o.signal,
            None | Some(
                Signal::NullDeref | Signal::Config | Signal::RouteNotFound | Signal::Permission
            )
        )
    };
    let mut visited: Vec<String> = vec![svc.to_string()];
    let mut count = n;
    for _ in 0..8 {
        let cur = visited.last().cloned().unwrap_or_default();
        let next = all
            .iter()
            .filter(|(b, o, _, m)| {
                !visited.contains(b)
                    && *m * 2 >= count
                    && o.example != st.example
                    && own_kind(o)
                    && cx.view.downstreams.contains_key(&(cur.clone(), b.clone()))
            })
            .max_by(|a, b| a.3.cmp(&b.3).then(b.0.cmp(&a.0)));
        match next {
            Some((b, _, _, m)) => {
                visited.push(b.clone());
                count = *m;
            }
            None => break,
        }
    }
    (visited.len() > 1).then(|| visited[visited.len() - 1].clone())
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
        let all = surging(cx);
        for (svc, st, before, n) in all.iter().map(|(a, b, c, d)| (a.clone(), *b, *c, *d)) {
            // The same message new in several services at once has a shared cause (the
            // platform, a common dependency), not one handler's bug.
            let spread = all
                .iter()
                .filter(|(_, o, _, _)| o.example == st.example)
                .map(|(s, _, _, _)| s)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            // Name-resolution failures that are new, inside the service where the traces
            // end while its traced calls stay healthy, point at a wrong address in its
            // configuration rather than at a provider.
            // The same holds when the service's own configuration changed just before
            // the first of them: that is where base URLs and host names live, and a
            // provider's outage does not wait for our config push.
            // New: none in the baseline, or first seen at the onset (the baseline's last
            // coarse bucket can hold the first few).
            let first_at_onset = before == 0.0
                || st.first >= cx.inc.onset - 2 * apitriage_model::summary::COARSE_BUCKET;
            let config_change = (st.signal == Some(Signal::Dns) && first_at_onset)
                .then(|| {
                    cx.facts.near.iter().rev().find(|c| {
                        c.service == svc
                            && c.kind == apitriage_model::ChangeKind::Config
                            && c.time >= cx.inc.onset - 600 * SECOND
                            && c.time <= st.first.max(cx.inc.onset)
                    })
                })
                .flatten();
            let wrong_address = st.signal == Some(Signal::Dns)
                && first_at_onset
                && (config_change.is_some()
                    || cx.facts.origin.as_ref().is_some_and(|o| {
                        o.internal && o.name == svc && o.load_driven_by.is_none()
                    }));
            // A parse-error message on a general-purpose exception type, in a service
            // nothing downstream of which shipped: its own conversion code fails.
            let own_conversion = st.signal == Some(Signal::Deserialization)
                && !st.exception_type.is_empty()
                && !crate::checks::contract::parser_exception(&st.exception_type)
                && crate::checks::contract::producer_release(cx, &svc).is_none();
            let bucket = match st.signal {
                Some(Signal::Deserialization) if own_conversion => "code_path",
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
            if let Some(c) = config_change {
                ev.push(format!(
                    "config change of {svc} at {}, before the first of them: a host name that \
                     does not resolve points at a wrong address in it",
                    apitriage_model::time::format_clock(c.time)
                ));
            }
            if own_conversion {
                ev.push(format!(
                    "{} is not a parser's exception and nothing {svc} calls shipped near the \
                     onset: its own conversion code fails, not a payload from a partner",
                    st.exception_type
                ));
            }
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
            let culprit = if st.signal == Some(Signal::Deserialization) && !own_conversion {
                crate::checks::contract::parse_error_culprit(cx, &svc)
            } else {
                svc.clone()
            };
            // A handler error that wraps a callee's failure ("500 from ledger") belongs to
            // the callee when the callee logs its own new error as often.
            let (culprit, wrapped) = match callee_behind(cx, &all, &svc, st, n) {
                Some(b) if bucket == "code_path" => (b, true),
                _ => (culprit, false),
            };
            if wrapped {
                ev.push(format!(
                    "{svc} calls {culprit}, which logs a new error of its own at least half \
                     as often: {svc} passes on {culprit}'s failure"
                ));
            }
            let weight = if wrapped {
                super::super::origin_weight(cx, &culprit).max(super::super::origin_weight(cx, &svc))
            } else {
                super::super::origin_weight(cx, &culprit)
            };
            let strength = base
                * explains
                * weight.max(if bucket == "contract" || config_change.is_some() {
                    0.7
                } else {
                    0.0
                });
            let strength = if spread >= 3 && bucket == "code_path" {
                ev.push(format!(
                    "the same message is new in {spread} services at once: a shared cause \
                     rather than one handler"
                ));
                strength * 0.4
            } else {
                strength
            };
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
