//! Contract: the request or response no longer matches what the other side expects.

use super::Check;

mod client_errors;
mod release_correlation;
mod shape;
mod spec_evidence;
mod validation_logs;

/// The contract checks, in the runbook's order.
pub static CHECKS: &[&dyn Check] = &[
    &release_correlation::ReleaseCorrelation,
    &client_errors::ClientErrors,
    &spec_evidence::SpecEvidence,
    &validation_logs::ValidationLogs,
    &shape::Shape,
];

/// `reader` and the services it calls, directly or further down, nearest first (at
/// most 64).
fn reachable(cx: &super::Cx<'_>, reader: &str) -> Vec<String> {
    let mut reach: Vec<String> = vec![reader.to_string()];
    let mut i = 0;
    while i < reach.len() && reach.len() < 64 {
        let from = reach[i].clone();
        for (c, d) in cx.view.downstreams.keys() {
            if *c == from && !reach.contains(d) {
                reach.push(d.clone());
            }
        }
        i += 1;
    }
    reach
}

/// Who broke the contract when `reader` cannot parse what it receives: the service it
/// calls (directly or further down) that shipped most recently before the onset; else
/// any other service that shipped; else the reader itself.
pub fn parse_error_culprit(cx: &super::Cx<'_>, reader: &str) -> String {
    let reach = reachable(cx, reader);
    // Direct callees first, then anything further down, then anyone; within each, the
    // deploy closest to the onset (a breaking release fails at once).
    let direct: Vec<&String> = reach.iter().skip(1).take_while(|_| true).collect();
    let is_direct = |s: &str| {
        cx.view
            .downstreams
            .keys()
            .any(|(c, d)| c == reader && d == s)
    };
    cx.facts
        .near
        .iter()
        .filter(|c| c.kind == apitriage_model::ChangeKind::Deploy && c.service != reader)
        .map(|c| {
            let tier = if is_direct(&c.service) {
                2.0
            } else if direct.contains(&&c.service) {
                1.0
            } else {
                0.0
            };
            let gap = ((cx.inc.onset - c.time) as f64 / 1e9).abs();
            (tier - gap / 7200.0, c.service.clone())
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|x| x.1)
        .unwrap_or_else(|| reader.to_string())
}

/// True when an exception type belongs to a parser or a message converter (Jackson's
/// `InvalidFormatException`, Go's `*json.UnmarshalTypeError`, Spring's
/// `HttpMessageNotReadableException`, ...): the payload on the wire did not fit the
/// reader's model. A general-purpose type (`java.lang.IllegalArgumentException` from an
/// `Enum.valueOf`, a Go `*errors.errorString`) is thrown by the application's own
/// conversion code instead, whatever its message says.
pub fn parser_exception(ty: &str) -> bool {
    let t = ty.to_ascii_lowercase();
    [
        "json",
        "jackson",
        "xml",
        "yaml",
        "protobuf",
        "gson",
        "serializ",
        "unmarshal",
        "decod",
        "parse",
        "syntaxerror",
        "messagenotreadable",
        "mismatchedinput",
        "invalidformat",
        "unrecognizedproperty",
        "contenttype",
        "mediatype",
        "messageconver",
        "restclient",
        "webclient",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// What `reader` calls while serving the endpoints its parse errors are logged on, when
/// the endpoint → downstream map knows them: only those can have sent the payload.
fn callees_on_failing_endpoints(cx: &super::Cx<'_>, reader: &str) -> Option<Vec<String>> {
    use apitriage_model::classify::Signal;
    let s = cx.view.s;
    let failing: Vec<&String> = crate::checks::code_path::surging(cx)
        .into_iter()
        .filter(|(svc, st, _, _)| svc == reader && st.signal == Some(Signal::Deserialization))
        .flat_map(|(_, st, _, _)| st.endpoints.keys())
        .collect();
    if failing.is_empty() {
        return None;
    }
    let mut direct: Vec<String> = s
        .edges
        .keys()
        .filter(|(c, e, _)| s.s(*c) == reader && failing.iter().any(|f| *f == s.s(*e)))
        .map(|(_, _, d)| s.s(*d).to_string())
        .collect();
    if direct.is_empty() {
        return None;
    }
    direct.sort();
    direct.dedup();
    // And whatever those call in turn.
    let mut all = direct.clone();
    for d in &direct {
        all.extend(reachable(cx, d).into_iter().skip(1));
    }
    all.sort();
    all.dedup();
    Some(all)
}

/// The service `reader` calls (directly or further down) that shipped a release near the
/// onset: someone who could have changed what the reader receives. When the traces say
/// what the reader calls on the endpoints that fail, only those count.
pub fn producer_release(cx: &super::Cx<'_>, reader: &str) -> Option<String> {
    let reach = match callees_on_failing_endpoints(cx, reader) {
        Some(callees) => std::iter::once(reader.to_string()).chain(callees).collect(),
        None => reachable(cx, reader),
    };
    cx.facts
        .near
        .iter()
        .filter(|c| c.kind == apitriage_model::ChangeKind::Deploy && c.service != reader)
        .filter(|c| reach.iter().skip(1).any(|r| *r == c.service))
        .min_by_key(|c| ((cx.inc.onset - c.time).abs(), c.service.clone()))
        .map(|c| c.service.clone())
}

/// True when the parse errors `reader` throws are its own code's: every surging
/// parse-error signature of it is a general-purpose exception type (not a parser's), and
/// nothing it reads from shipped near the onset. A valueOf on a string the service
/// builds itself fails the same way with or without a partner.
pub fn own_conversion_bug(cx: &super::Cx<'_>, reader: &str) -> bool {
    use apitriage_model::classify::Signal;
    let sigs: Vec<_> = crate::checks::code_path::surging(cx)
        .into_iter()
        .filter(|(svc, st, _, _)| svc == reader && st.signal == Some(Signal::Deserialization))
        .collect();
    !sigs.is_empty()
        && sigs.iter().all(|(_, st, _, _)| {
            !st.exception_type.is_empty() && !parser_exception(&st.exception_type)
        })
        && producer_release(cx, reader).is_none()
}

/// Statuses that say "your request does not fit" (as opposed to 401/403/404/429).
pub const CONTRACT_STATUSES: [u16; 5] = [400, 406, 415, 422, 412];
