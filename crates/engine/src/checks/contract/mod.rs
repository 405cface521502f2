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

/// Statuses that say "your request does not fit" (as opposed to 401/403/404/429).
pub const CONTRACT_STATUSES: [u16; 5] = [400, 406, 415, 422, 412];
