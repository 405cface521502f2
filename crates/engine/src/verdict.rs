//! The verdict: findings combined into a score per bucket, a calibrated confidence,
//! the runner-up, and the culprit named by the strongest evidence of the winning bucket.

use crate::calibration;
use crate::checks::Found;
use crate::incident::Incident;
use apitriage_model::{Culprit, Verdict};
use std::collections::BTreeMap;

/// The four buckets.
pub const BUCKETS: [&str; 4] = ["contract", "dependency", "capacity", "code_path"];

/// Raw score per bucket: 1 - Π(1 - strength) over its findings (a noisy-OR).
pub fn raw_scores(findings: &[Found]) -> BTreeMap<&'static str, f64> {
    let mut out = BTreeMap::new();
    for b in BUCKETS {
        let miss: f64 = findings
            .iter()
            .filter(|f| f.finding.bucket == b)
            .map(|f| 1.0 - f.finding.strength.clamp(0.0, 0.99))
            .product();
        out.insert(b, 1.0 - miss);
    }
    out
}

/// Decides the verdict.
pub fn decide(findings: &[Found], inc: &Incident) -> Verdict {
    let mut raw = raw_scores(findings);
    if inc.source == "none" {
        for v in raw.values_mut() {
            *v *= 0.4;
        }
    }
    let total_exp: f64 = raw.values().map(|v| (4.0 * v).exp()).sum();
    let mut scores: BTreeMap<String, f64> = raw
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                (((4.0 * v).exp() / total_exp) * 1000.0).round() / 1000.0,
            )
        })
        .collect();
    // Rounding each share can leave the sum at 0.999: the top bucket takes the remainder.
    let sum: f64 = scores.values().sum();
    if let Some(top) = raw
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, _)| k.to_string())
    {
        if let Some(v) = scores.get_mut(&top) {
            *v = ((*v + 1.0 - sum) * 1000.0).round() / 1000.0;
        }
    }
    let mut ranked: Vec<(&str, f64)> = raw.iter().map(|(k, v)| (*k, *v)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let (top, top_s) = ranked[0];
    let second = ranked[1];
    let inconclusive = top_s < 0.3 || (inc.source == "none" && top_s < 0.5);
    if inconclusive {
        return Verdict {
            bucket: "inconclusive".into(),
            confidence: calibration::confidence(top_s, top_s - second.1).min(0.3),
            scores,
            secondary: (top_s >= 0.15).then(|| top.to_string()),
            culprit: Culprit {
                service: None,
                endpoint: inc.endpoint.clone(),
                dependency: None,
            },
        };
    }
    let best = findings
        .iter()
        .filter(|f| f.finding.bucket == top && f.culprit_service.is_some())
        .max_by(|a, b| a.finding.strength.total_cmp(&b.finding.strength));
    let culprit = Culprit {
        service: best
            .and_then(|f| f.culprit_service.clone())
            .or_else(|| inc.service.clone()),
        endpoint: inc.endpoint.clone(),
        dependency: if top == "dependency" {
            best.and_then(|f| f.culprit_dependency.clone())
        } else {
            None
        },
    };
    Verdict {
        bucket: top.to_string(),
        confidence: calibration::confidence(top_s, top_s - second.1),
        scores,
        secondary: (second.1 >= 0.3).then(|| second.0.to_string()),
        culprit,
    }
}
