//! Capacity: the system is overloaded or a resource is exhausted.

use super::Check;

mod hot_keys;
mod pool_logs;
pub mod saturation;
mod tail_first;
mod traffic;

/// The capacity checks, in the runbook's order.
pub static CHECKS: &[&dyn Check] = &[
    &traffic::Traffic,
    &saturation::Saturation,
    &tail_first::TailFirst,
    &hot_keys::HotKeys,
    &pool_logs::PoolLogs,
];

pub use saturation::resource_of as saturation_resource;

/// The strongest downstream change not driven by our own load: when one exists,
/// capacity symptoms are more likely its consequence.
pub fn upstream_cause<'a>(cx: &'a super::Cx<'_>) -> Option<&'a crate::facts::DownDelta> {
    let dep = cx.facts.origin_dependency()?;
    cx.facts.downstreams.iter().find(|d| d.downstream == dep)
}
