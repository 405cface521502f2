//! Blast radius: failing requests against the baseline across every dimension present
//! (user, tenant, cohort, role, region, client app and version, host, endpoint,
//! release), as a BubbleUp-style contrast, and the scope it adds up to.

use crate::checks::Cx;
use apitriage_model::Dimension;

/// Dimension values ordered by how over-represented they are among failures.
pub fn contrast(cx: &Cx<'_>) -> Vec<Dimension> {
    contrast_with_counts(cx)
        .into_iter()
        .map(|(d, _)| d)
        .collect()
}

/// [`contrast`], each value with the number of failures in its dimension (how much the
/// shares can be trusted: 5 of 6 failures is a coincidence as often as a cause).
pub fn contrast_with_counts(cx: &Cx<'_>) -> Vec<(Dimension, u64)> {
    let (bc, ic) = (cx.inc.baseline.coarse(), cx.inc.window.coarse());
    // What counts as failing follows the measure the incident stepped in.
    let failing = |c: &apitriage_model::summary::DimCounts| -> u64 {
        u64::from(match cx.inc.measure {
            "client_errors" => c.client_errors,
            "latency" => c.slow,
            _ => c.server_errors,
        })
    };
    let mut rows = Vec::new();
    let mut names: Vec<(String, &apitriage_model::capped::Capped<_, _>)> = cx
        .view
        .s
        .dims
        .iter()
        .map(|(k, v)| (cx.view.s.s(*k).to_string(), v))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, table) in names {
        let mut fail_total = 0u64;
        let mut base_total = 0u64;
        let mut vals = Vec::new();
        for (v, series) in table.iter() {
            let mut f = 0u64;
            let mut b = 0u64;
            for (_, c) in series.0.range(ic.0..ic.1) {
                f += failing(c);
            }
            for (_, c) in series.0.range(bc.0..bc.1) {
                b += c.total as u64;
            }
            fail_total += f;
            base_total += b;
            vals.push((cx.view.s.s(*v).to_string(), f, b));
        }
        for (_, c) in table.overflow.0.range(ic.0..ic.1) {
            fail_total += failing(c);
        }
        for (_, c) in table.overflow.0.range(bc.0..bc.1) {
            base_total += c.total as u64;
        }
        if fail_total < 5 || base_total == 0 {
            continue;
        }
        for (value, f, b) in vals {
            let sf = f as f64 / fail_total as f64;
            let sb = b as f64 / base_total as f64;
            if sf >= 0.2 && sf > sb + 0.05 {
                rows.push((
                    Dimension {
                        name: name.clone(),
                        value,
                        share_of_failures: (sf * 1000.0).round() / 1000.0,
                        share_of_baseline: (sb * 1000.0).round() / 1000.0,
                    },
                    fail_total,
                ));
            }
        }
    }
    rows.sort_by(|(a, _), (b, _)| {
        (b.share_of_failures - b.share_of_baseline)
            .total_cmp(&(a.share_of_failures - a.share_of_baseline))
            .then(a.name.cmp(&b.name))
            .then(a.value.cmp(&b.value))
    });
    rows
}

/// How far a value's count among `n` failures lies above what its baseline share
/// predicts, in standard deviations (one-sided binomial z).
pub fn over_representation(d: &Dimension, n: u64) -> f64 {
    let n = n as f64;
    let p = d.share_of_baseline.clamp(0.01, 0.99);
    (d.share_of_failures * n - p * n) / (n * p * (1.0 - p)).sqrt()
}

/// The scope the contrast adds up to.
pub fn scope(rows: &[Dimension], cx: &Cx<'_>) -> &'static str {
    let strong = |names: &[&str]| {
        rows.iter().any(|d| {
            names.contains(&d.name.as_str())
                && d.share_of_failures >= 0.8
                && d.share_of_baseline <= 0.6
        })
    };
    if rows
        .iter()
        .any(|d| d.name == "user" && d.share_of_failures >= 0.8)
    {
        return "single_user";
    }
    if strong(&["cohort", "role", "tenant"]) {
        return "cohort";
    }
    if strong(&["region", "zone", "edge", "asn"]) {
        return "region";
    }
    if strong(&["client_version", "client_app"]) {
        return "client_version";
    }
    let eps: f64 = rows
        .iter()
        .filter(|d| d.name == "endpoint")
        .map(|d| d.share_of_failures)
        .take(2)
        .sum();
    let total_eps = cx.view.endpoints.len();
    if eps >= 0.8 && total_eps > 2 {
        return "endpoint";
    }
    if rows
        .iter()
        .any(|d| d.name == "service" && d.share_of_failures >= 0.9)
        && cx.view.services().len() > 1
    {
        return "service";
    }
    "global"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(share_of_failures: f64, share_of_baseline: f64) -> Dimension {
        Dimension {
            name: "client_version".into(),
            value: "9.20.1".into(),
            share_of_failures,
            share_of_baseline,
        }
    }

    #[test]
    fn a_split_of_a_handful_of_failures_is_not_clear_of_chance() {
        // 5 of 6 failures on a version with 40% of the traffic: about 2 sigma.
        assert!(over_representation(&dim(5.0 / 6.0, 0.4), 6) < 3.0);
        // 30 of 35 on a version with 20%: far clear.
        assert!(over_representation(&dim(30.0 / 35.0, 0.2), 35) > 3.0);
    }
}
