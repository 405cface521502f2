//! The API's own contract as evidence: breaking changes between the spec versions found
//! among the inputs, and the captured exchanges validated against the version clients
//! were built for (the oldest) and the one the server claims now (the newest). A 200
//! whose body breaks the old contract is the runbook's "wrong shape" failure.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::summary::BUCKET;
use apitriage_spec::{Severity, Spec};

/// Spec-based evidence.
pub struct SpecEvidence;

/// Orders versions like `2.14.0` numerically, part by part.
fn version_key(v: &str) -> Vec<(u64, String)> {
    v.split(['.', '-', '+'])
        .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_string()))
        .collect()
}

impl Check for SpecEvidence {
    fn id(&self) -> &'static str {
        "contract.spec_mismatch"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let docs = &cx.view.s.specs;
        if docs.is_empty() {
            return Outcome::NotRun(
                "an OpenAPI document (and a HAR capture to validate against it)",
            );
        }
        let mut specs: Vec<Spec> = docs
            .iter()
            .filter_map(|d| Spec::from_value(d.doc.clone(), &d.file).ok())
            .collect();
        if specs.is_empty() {
            return Outcome::NotRun("an OpenAPI document that loads (see input problems)");
        }
        specs.sort_by_key(|s| version_key(s.version()));
        let (old, new) = (&specs[0], &specs[specs.len() - 1]);
        // The service that shipped the new version, if a release of that version is known.
        let released = cx
            .facts
            .changes
            .iter()
            .find(|c| c.version.as_deref() == Some(new.version()))
            .map(|c| c.service.clone());
        let owner = released.clone().or_else(|| cx.facts.blame_target(cx.inc));
        let mut out = Vec::new();
        let focus_route = cx
            .inc
            .endpoint
            .as_deref()
            .and_then(|e| e.split_once(' '))
            .map(|(m, r)| (m.to_string(), r.to_string()));
        if old.version() != new.version() {
            let report = apitriage_spec::diff(old, new);
            let breaking: Vec<&apitriage_spec::Change> = report
                .changes
                .iter()
                .filter(|c| c.severity == Severity::Breaking)
                .collect();
            if !breaking.is_empty() {
                let on_focus: Vec<&&apitriage_spec::Change> = breaking
                    .iter()
                    .filter(|c| {
                        focus_route
                            .as_ref()
                            .is_some_and(|(m, r)| *m == c.method && routes_equal(r, &c.path))
                    })
                    .collect();
                let pick: Vec<&apitriage_spec::Change> = if on_focus.is_empty() {
                    breaking.iter().copied().take(4).collect()
                } else {
                    on_focus.iter().map(|c| **c).take(4).collect()
                };
                let shown: Vec<String> = pick
                    .iter()
                    .map(|c| format!("[{}] {} {}: {}", c.id, c.method, c.path, c.detail))
                    .collect();
                // The service serving a changed route that shipped right before the onset,
                // called (directly or further down) by the failing service: a provider's
                // breaking release reached its consumer.
                let provider = if on_focus.is_empty() {
                    provider_release(cx, &breaking)
                } else {
                    None
                };
                let mut strength = if on_focus.is_empty() { 0.25 } else { 0.5 };
                let mut shown = shown;
                if let Some((svc, at)) = &provider {
                    strength = 0.55;
                    shown.push(format!(
                        "{svc} serves the changed route and shipped at {}, {} before the onset; {} calls it",
                        apitriage_model::time::format_clock(*at),
                        apitriage_model::time::format_duration_s(
                            ((cx.inc.onset - at) as f64 / 1e9).max(0.0)
                        ),
                        cx.inc.service.as_deref().unwrap_or("the failing service")
                    ));
                }
                let owner = provider.map(|p| p.0).or_else(|| owner.clone());
                let mut f = found(
                    self.id(),
                    "contract",
                    strength,
                    format!(
                        "{} breaking change(s) from spec {} to {}{}",
                        breaking.len(),
                        old.version(),
                        new.version(),
                        if on_focus.is_empty() {
                            String::new()
                        } else {
                            format!(", {} on the failing endpoint", on_focus.len())
                        }
                    ),
                    shown,
                );
                if let Some(o) = &owner {
                    f = f.blame(o.clone());
                }
                out.push(f);
            }
        }
        // Exchanges around the incident against the contract clients were built for.
        let from = cx.inc.onset - 60 * BUCKET;
        let recent: Vec<apitriage_model::Exchange> = cx
            .view
            .s
            .exchanges
            .iter()
            .filter(|x| x.time >= from)
            .cloned()
            .collect();
        if !recent.is_empty() {
            let report = apitriage_spec::check(old, &recent);
            let body: Vec<&apitriage_spec::Violation> = report
                .violations
                .iter()
                .filter(|v| matches!(v.rule, "response-body-schema" | "response-content-type"))
                .collect();
            if let Some(v) = body.first() {
                let mut f = found(
                    self.id(),
                    "contract",
                    if v.status < 400 { 0.6 } else { 0.45 },
                    format!(
                        "captured {} {} answered {} with a body that breaks spec {}: {} at {}",
                        v.method,
                        v.path,
                        v.status,
                        old.version(),
                        v.expected,
                        if v.pointer.is_empty() {
                            "/"
                        } else {
                            &v.pointer
                        }
                    ),
                    body.iter()
                        .take(4)
                        .map(|v| {
                            format!(
                                "{} entry {}: [{}] expected {}, found {}",
                                v.file, v.entry, v.rule, v.expected, v.found
                            )
                        })
                        .collect(),
                );
                // The release of the spec's version, else the traced service serving the
                // captured route, else the end of the blame chain.
                let owner = released
                    .clone()
                    .or_else(|| super::super::route_owner(cx, &format!("{} {}", v.method, v.path)))
                    .or_else(|| owner.clone());
                if let Some(o) = owner {
                    f = f.blame(o);
                }
                out.push(f);
            }
        }
        Outcome::Ran(out)
    }
}

/// A service that serves a route with a breaking change, shipped within ten minutes
/// before the onset (or just after it: a rollout is seen late), and is reached from the
/// focus service through the traced calls: (service, release time).
fn provider_release(
    cx: &Cx<'_>,
    breaking: &[&apitriage_spec::Change],
) -> Option<(String, apitriage_model::time::Nanos)> {
    let focus = cx.inc.service.as_deref()?;
    let mut reach: Vec<&str> = vec![focus];
    let mut i = 0;
    while i < reach.len() && reach.len() < 64 {
        let from = reach[i];
        for (c, d) in cx.view.downstreams.keys() {
            if c == from && !reach.contains(&d.as_str()) {
                reach.push(d);
            }
        }
        i += 1;
    }
    let second = 1_000_000_000i64;
    cx.view
        .endpoints
        .keys()
        .filter(|(svc, ep)| {
            reach.iter().skip(1).any(|r| r == svc)
                && ep.split_once(' ').is_some_and(|(m, r)| {
                    breaking
                        .iter()
                        .any(|c| c.method.eq_ignore_ascii_case(m) && routes_equal(r, &c.path))
                })
        })
        .filter_map(|(svc, _)| {
            let c = cx.facts.near.iter().rev().find(|c| {
                c.service == *svc
                    && c.kind == apitriage_model::ChangeKind::Deploy
                    && c.time >= cx.inc.onset - 600 * second
                    && c.time <= cx.inc.onset + 120 * second
            })?;
            Some((svc.clone(), c.time))
        })
        .min_by_key(|(s, t)| ((cx.inc.onset - t).abs(), s.clone()))
}

/// `/orders/{id}` equals `/orders/{orderId}`: parameter names do not matter.
fn routes_equal(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> Vec<String> {
        s.trim_end_matches('/')
            .split('/')
            .map(|p| {
                if p.starts_with('{') || p.starts_with(':') {
                    "{}".to_string()
                } else {
                    p.to_string()
                }
            })
            .collect()
    };
    norm(a) == norm(b)
}
