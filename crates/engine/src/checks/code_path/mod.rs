//! Code-path: one branch or handler is broken.

use super::Check;

mod changed_address;
mod deploy_change;
mod distinguishing_input;
mod failing_step;
mod new_exceptions;
pub use new_exceptions::surging;
mod permission;
mod routing;

/// The code-path checks, in the runbook's order.
pub static CHECKS: &[&dyn Check] = &[
    &deploy_change::DeployChange,
    &new_exceptions::NewExceptions,
    &distinguishing_input::DistinguishingInput,
    &failing_step::FailingStep,
    &routing::Routing,
    &changed_address::ChangedAddress,
    &permission::Permission,
];
