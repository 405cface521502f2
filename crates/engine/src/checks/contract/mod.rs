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

/// Who broke the contract when `reader` cannot parse what it receives: the service it
/// calls (directly or further down) that shipped most recently before the onset; else
/// any other service that shipped; else the reader itself.
pub fn parse_error_culprit(cx: &super::Cx<'_>, reader: &str) -> String {
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
    let deploys = || cx.facts.near.iter().rev().filter(|c| c.kind == apitriage_model::ChangeKind::Deploy && c.service != reader);
    deploys()
        .find(|c| reach.contains(&c.service))
        .or_else(|| deploys().next())
        .map(|c| c.service.clone())
        .unwrap_or_else(|| reader.to_string())
}

/// Statuses that say "your request does not fit" (as opposed to 401/403/404/429).
pub const CONTRACT_STATUSES: [u16; 5] = [400, 406, 415, 422, 412];
