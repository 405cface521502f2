//! Dependency: the API is up, something it calls is not.

use super::Check;

mod dns_tls;
mod downstream_step;
mod gateway_statuses;
mod rate_limits;
mod refused_connections;
mod timeouts;
pub use timeouts::rising_signal as timeouts_rising;

/// The dependency checks, in the runbook's order.
pub static CHECKS: &[&dyn Check] = &[
    &downstream_step::DownstreamStep,
    &timeouts::Timeouts,
    &rate_limits::RateLimits,
    &dns_tls::DnsTls,
    &refused_connections::RefusedConnections,
    &gateway_statuses::GatewayStatuses,
];

/// True when a downstream's change looks driven by our own load rather than by the
/// downstream: first-attempt calls per request rose by half or more.
pub fn load_driven(cpr: (f64, f64)) -> bool {
    cpr.0 > 0.0 && cpr.1 / cpr.0 >= 1.5
}
