//! The runbook's checks, one file each in a folder per bucket. Each check says what
//! data it needs, runs when that data is present, and otherwise reports that it could
//! not run. Adding a check is one file and one line in its bucket's list.

use crate::facts::Facts;
use crate::incident::Incident;
use crate::view::View;

pub mod capacity;
pub mod code_path;
pub mod contract;
pub mod dependency;
pub mod general;

/// Everything a check may read.
pub struct Cx<'a> {
    /// The indexed Summary.
    pub view: &'a View<'a>,
    /// The incident.
    pub inc: &'a Incident,
    /// Shared facts.
    pub facts: &'a Facts,
}

/// A finding plus what it says about the culprit (not rendered directly).
#[derive(Debug, Clone)]
pub struct Found {
    /// The finding.
    pub finding: apitriage_model::Finding,
    /// The service this finding blames, if any.
    pub culprit_service: Option<String>,
    /// The dependency this finding blames, if any.
    pub culprit_dependency: Option<String>,
}

/// What a check produced.
pub enum Outcome {
    /// It ran; zero or more findings.
    Ran(Vec<Found>),
    /// It could not run: what data would let it.
    NotRun(&'static str),
}

/// One check.
pub trait Check: Sync {
    /// Stable id, `bucket.name`.
    fn id(&self) -> &'static str;
    /// Runs the check.
    fn run(&self, cx: &Cx<'_>) -> Outcome;
}

/// Builds a finding.
pub fn found(
    check: &str,
    bucket: &str,
    strength: f64,
    summary: String,
    evidence: Vec<String>,
) -> Found {
    Found {
        finding: apitriage_model::Finding {
            check: check.to_string(),
            bucket: bucket.to_string(),
            strength: (strength.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
            summary,
            evidence,
        },
        culprit_service: None,
        culprit_dependency: None,
    }
}

impl Found {
    /// Names the service at fault.
    pub fn blame(mut self, service: impl Into<String>) -> Self {
        self.culprit_service = Some(service.into());
        self
    }
    /// Names the failing dependency.
    pub fn blame_dependency(mut self, dep: impl Into<String>) -> Self {
        let d = dep.into();
        self.culprit_service = Some(d.clone());
        self.culprit_dependency = Some(d);
        self
    }
}

/// Every check, bucket by bucket.
pub fn all() -> Vec<&'static dyn Check> {
    let mut v: Vec<&'static dyn Check> = Vec::new();
    v.extend_from_slice(contract::CHECKS);
    v.extend_from_slice(dependency::CHECKS);
    v.extend_from_slice(capacity::CHECKS);
    v.extend_from_slice(code_path::CHECKS);
    v.extend_from_slice(general::CHECKS);
    v
}

/// True when `caller` calls `callee` (an edge of the endpoint → downstream map).
pub fn calls(cx: &Cx<'_>, caller: &str, callee: &str) -> bool {
    cx.view
        .downstreams
        .keys()
        .any(|(c, d)| c == caller && d == callee)
}

/// Of several services showing the same symptom, the ones that do not merely pass on
/// what a service further down returned: drop every candidate that calls another.
pub fn deepest<'a>(cx: &Cx<'_>, cands: &[&'a str]) -> Vec<&'a str> {
    // Services that others call come before edge names seen only in access logs.
    let internal: Vec<&str> = cands
        .iter()
        .copied()
        .filter(|c| cx.facts.internal.iter().any(|i| i == c))
        .collect();
    let cands: &[&str] = if internal.is_empty() {
        cands
    } else {
        &internal
    };
    let keep: Vec<&str> = cands
        .iter()
        .copied()
        .filter(|a| !cands.iter().any(|b| a != b && calls(cx, a, b)))
        .collect();
    if keep.is_empty() {
        cands.to_vec()
    } else {
        keep
    }
}

/// True when traces know `svc` (it calls something or is called).
fn traced(cx: &Cx<'_>, svc: &str) -> bool {
    cx.view
        .downstreams
        .keys()
        .any(|(c, d)| c == svc || d == svc)
}

/// True when a route template or path matches another segment by segment, ignoring
/// parameter names (`/orders/{id}` matches `/orders/{orderId}` and `/orders/ord_12`).
pub fn route_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let param = |s: &str| s.starts_with('{') || s.starts_with(':');
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(a, b)| a == b || param(a) || param(b))
}

/// The traced service that serves `endpoint` ("METHOD /route"): of the traced services
/// with a matching route (the most literal one), the deepest, when that is one service.
/// A gateway in front of it serves the same route but only passes on what it answers.
pub fn route_owner(cx: &Cx<'_>, endpoint: &str) -> Option<String> {
    let (method, path) = endpoint.split_once(' ')?;
    let literal = |r: &str| {
        r.split('/')
            .filter(|s| !s.starts_with('{') && !s.starts_with(':'))
            .count()
    };
    let matching: Vec<(&str, usize)> = cx
        .view
        .endpoints
        .keys()
        .filter(|(svc, _)| traced(cx, svc))
        .filter_map(|(svc, ep)| {
            let (m, r) = ep.split_once(' ')?;
            (m.eq_ignore_ascii_case(method) && route_matches(r, path))
                .then(|| (svc.as_str(), literal(r)))
        })
        .collect();
    let most = matching.iter().map(|m| m.1).max()?;
    let mut cands: Vec<&str> = matching
        .iter()
        .filter(|m| m.1 == most)
        .map(|m| m.0)
        .collect();
    cands.sort_unstable();
    cands.dedup();
    match deepest(cx, &cands).as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// The service to blame for a symptom seen on `svc` (at `endpoint`, when known): `svc`
/// itself when traces know it. A name seen only in access logs (no spans: the edge, a
/// Host header) is no owner: the traced service serving the endpoint is, else the
/// release closest to the onset is the better suspect.
pub fn owner_of(cx: &Cx<'_>, svc: &str, endpoint: Option<&str>) -> String {
    if traced(cx, svc) {
        return svc.to_string();
    }
    if let Some(o) = endpoint.and_then(|e| route_owner(cx, e)) {
        return o;
    }
    cx.facts
        .near
        .iter()
        .filter(|c| c.kind == apitriage_model::ChangeKind::Deploy)
        .min_by_key(|c| ((cx.inc.onset - c.time).abs(), c.service.clone()))
        .map(|c| c.service.clone())
        .unwrap_or_else(|| svc.to_string())
}

/// Weight of evidence about `service`: full when the blame chain ends there (or could
/// not be walked), reduced when the chain ends elsewhere.
pub fn origin_weight(cx: &Cx<'_>, service: &str) -> f64 {
    match &cx.facts.origin {
        None => 1.0,
        Some(o) if o.name == service => 1.0,
        Some(o) if o.internal => 0.35,
        Some(_) => 0.3,
    }
}

/// Weight of dependency evidence that does not name a traced downstream (timeouts in
/// logs, gateway statuses): reduced when the traces were walked and the fault sits inside
/// an internal service whose own calls are healthy, or when a service switched to a new
/// address at the onset.
pub fn log_dependency_weight(cx: &Cx<'_>) -> f64 {
    match &cx.facts.origin {
        Some(o) if o.internal && o.load_driven_by.is_none() => 0.5,
        // A caller that switched to a new, failing address explains gateway statuses and
        // resolution errors without any provider failing.
        _ if !cx.facts.switches.is_empty() => 0.5,
        _ => 1.0,
    }
}

/// Weight of dependency evidence read from logs: in full when the messages name a
/// downstream the traces know (as specific as its spans would be), else
/// [`log_dependency_weight`].
pub fn named_log_weight(cx: &Cx<'_>, names_traced_downstream: bool) -> f64 {
    if names_traced_downstream {
        1.0
    } else {
        log_dependency_weight(cx)
    }
}

/// Formats milliseconds for people: `180 ms`, `2.4 s`.
pub fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 10.0 {
        format!("{:.0} ms", v)
    } else {
        format!("{:.1} ms", v)
    }
}

/// Formats a share as a percentage: `41%`, `0.3%`.
pub fn pct(v: f64) -> String {
    let p = v * 100.0;
    if p >= 10.0 || p == 0.0 {
        format!("{:.0}%", p)
    } else if p >= 1.0 {
        format!("{:.1}%", p)
    } else {
        format!("{:.2}%", p)
    }
}
