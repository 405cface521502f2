//! The first hard signal: the earliest step change among requests, downstream calls,
//! logs, metrics and captured requests around the onset. Causes come before
//! consequences, so the earliest sustained change is the one to look at first.

use crate::checks::capacity::saturation_resource;
use crate::checks::{ms, Cx};
use apitriage_model::summary::BUCKET;
use apitriage_model::time::format;
use apitriage_model::FirstSignal;

/// How far before the onset a first signal may be.
const LOOKBACK: i64 = 30;

/// The first bucket in `[from, to)` where `values` exceed the baseline threshold in at
/// least two of three consecutive buckets.
fn first_exceed(
    values: &dyn Fn(i64) -> Option<f64>,
    base: (i64, i64),
    from: i64,
    to: i64,
    min_abs: f64,
) -> Option<i64> {
    let xs: Vec<f64> = (base.0..base.1).filter_map(values).collect();
    if xs.len() < 6 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
    let thr = mean + (3.0 * var.sqrt()).max(0.5 * mean.abs()).max(min_abs);
    let over = |b: i64| values(b).is_some_and(|v| v > thr);
    (from..to).find(|&b| over(b) && ((over(b + 1) as u8 + over(b + 2) as u8) >= 1))
}

/// Finds the first signal.
pub fn find(cx: &Cx<'_>) -> Option<FirstSignal> {
    let onset_b = cx.inc.onset / BUCKET;
    let (from, to) = (onset_b - LOOKBACK, onset_b + 30);
    let base = (cx.inc.baseline.start.max(onset_b - 720), onset_b - LOOKBACK);
    let mut cands: Vec<(i64, u8, String, String)> = Vec::new();
    // Only what the incident involves: the focus service and the blame chain. A pool
    // twitching in an unrelated service is not the first sign of this incident.
    let mut involved: Vec<String> = cx.inc.service.iter().cloned().collect();
    if let Some(o) = &cx.facts.origin {
        involved.extend(o.hops.iter().cloned());
        involved.push(o.name.clone());
    }
    let related = |s: &str| involved.is_empty() || involved.iter().any(|i| i == s);

    // Downstream calls: errors or latency.
    for d in cx
        .facts
        .downstreams
        .iter()
        .filter(|d| related(&d.caller) && related(&d.downstream))
        .take(3)
    {
        let Some(cells) = cx
            .view
            .downstreams
            .get(&(d.caller.clone(), d.downstream.clone()))
        else {
            continue;
        };
        let err = |b: i64| {
            cells
                .iter()
                .find(|c| c.0 == b)
                .map(|c| c.1.errors as f64 / c.1.calls.max(1) as f64)
        };
        let lat = |b: i64| {
            cells
                .iter()
                .find(|c| c.0 == b)
                .and_then(|c| c.1.latency.quantile(0.95))
        };
        if let Some(b) = first_exceed(&err, base, from, to, 0.05) {
            cands.push((
                b,
                0,
                "trace".into(),
                format!(
                    "{} → {} error rate stepped up ({} failed calls in that bucket)",
                    d.caller,
                    d.downstream,
                    cells
                        .iter()
                        .find(|c| c.0 == b)
                        .map(|c| c.1.errors)
                        .unwrap_or(0)
                ),
            ));
        }
        if let Some(b) = first_exceed(&lat, base, from, to, 20.0) {
            cands.push((
                b,
                0,
                "trace".into(),
                format!(
                    "{} → {} p95 rose to {} (baseline {})",
                    d.caller,
                    d.downstream,
                    ms(lat(b).unwrap_or(0.0)),
                    ms(d.d.before.latency.quantile(0.95).unwrap_or(0.0))
                ),
            ));
        }
    }
    // Metrics: saturation series.
    for m in cx.view.metrics() {
        if saturation_resource(&m.name).is_none() || m.cumulative || !related(&m.service) {
            continue;
        }
        let v = |b: i64| m.points.get(&b).map(|a| a.mean());
        if let Some(b) = first_exceed(&v, base, from, to, 1e-9) {
            cands.push((
                b,
                2,
                "metric".into(),
                format!(
                    "{}{{{}}} rose to {:.3} (baseline mean {:.3})",
                    m.name,
                    m.labels,
                    v(b).unwrap_or(0.0),
                    m.points
                        .range(base.0..base.1)
                        .map(|x| x.1.mean())
                        .sum::<f64>()
                        / m.points.range(base.0..base.1).count().max(1) as f64
                ),
            ));
        }
    }
    // Logs: error-level records or classified signals per service.
    for (svc, cells) in cx.view.logs.iter().filter(|(s, _)| related(s)) {
        let errs = |b: i64| {
            Some(
                cells
                    .iter()
                    .find(|c| c.0 == b)
                    .map(|c| (c.1.by_severity[4] + c.1.by_severity[5]) as f64)
                    .unwrap_or(0.0),
            )
        };
        if let Some(b) = first_exceed(&errs, base, from, to, 2.0) {
            cands.push((
                b,
                1,
                "log".into(),
                format!(
                    "{} error logs jumped to {:.0} per 10 s",
                    svc,
                    errs(b).unwrap_or(0.0)
                ),
            ));
        }
    }
    // Requests at the focus endpoint.
    if let (Some(s), Some(e)) = (&cx.inc.service, &cx.inc.endpoint) {
        if let Some(cells) = cx.view.endpoints.get(&(s.clone(), e.clone())) {
            let rate = |b: i64| {
                cells.iter().find(|c| c.0 == b).map(|c| {
                    (c.1.server_errors() + c.1.client_errors()) as f64 / c.1.total().max(1) as f64
                })
            };
            let p95 = |b: i64| {
                cells
                    .iter()
                    .find(|c| c.0 == b)
                    .and_then(|c| c.1.latency.quantile(0.95))
            };
            // Spans are traces; a service seen only in access logs is a log signal.
            let kind = if cx.view.downstreams.keys().any(|(c, _)| c == s) {
                "trace"
            } else {
                "log"
            };
            if let Some(b) = first_exceed(&rate, base, from, to, 0.03) {
                cands.push((
                    b,
                    3,
                    kind.into(),
                    format!(
                        "{e} failure rate rose to {:.0}%",
                        rate(b).unwrap_or(0.0) * 100.0
                    ),
                ));
            }
            if let Some(b) = first_exceed(&p95, base, from, to, 20.0) {
                cands.push((
                    b,
                    3,
                    kind.into(),
                    format!("{e} p95 rose to {}", ms(p95(b).unwrap_or(0.0))),
                ));
            }
        }
    }
    // The captured failing request.
    if let Some(x) = cx
        .view
        .s
        .exchanges
        .iter()
        .find(|x| x.failed() && x.time / BUCKET >= from)
    {
        cands.push((
            x.time / BUCKET,
            4,
            "request".into(),
            format!("captured {} {} answered {}", x.method, x.path, x.status),
        ));
    }
    cands.sort_by(|a, b| (a.0, a.1, &a.3).cmp(&(b.0, b.1, &b.3)));
    cands
        .into_iter()
        .next()
        .map(|(b, _, kind, summary)| FirstSignal {
            kind,
            at: format(b * BUCKET),
            summary,
        })
}
