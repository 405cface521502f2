//! Turning bucket scores into a probability that the bucket is right.
//!
//! Raw scores combine finding strengths; they rank buckets but are not probabilities.
//! The confidence is a logistic function of the winning bucket's margin over the
//! runner-up, fitted by logistic regression on a labelled tuning suite of simulated
//! incidents (`scripts/calibrate.py`; `docs/accuracy.md` gives the commands). It is then
//! checked on a separate suite of seeds never used for fitting, where the mean confidence
//! per band should match the accuracy in that band. The top score's own weight is kept
//! at zero: on the tuning suite it added nothing the margin did not already carry.

/// Fitted coefficients: intercept, weight of the top score, weight of the margin.
pub const COEFFICIENTS: (f64, f64, f64) = (0.58, 0.0, 5.27);

/// Probability the top bucket is right given its raw score and margin.
pub fn confidence(top: f64, margin: f64) -> f64 {
    let (a, b, c) = COEFFICIENTS;
    let z = a + b * top + c * margin;
    let p = 1.0 / (1.0 + (-z).exp());
    (p * 1000.0).round() / 1000.0
}
