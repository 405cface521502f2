//! Checks across buckets: the runbook's common mistakes (retries hiding failures,
//! expected business errors, mislabelled symptoms).

use super::Check;

mod expected_errors;
mod retries;
mod symptoms;

/// The cross-bucket checks.
pub static CHECKS: &[&dyn Check] = &[
    &retries::Retries,
    &expected_errors::ExpectedErrors,
    &symptoms::Symptoms,
];
