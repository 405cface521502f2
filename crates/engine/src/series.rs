//! Time series for the HTML report's charts, on one shared axis: traffic, errors by
//! class and latency percentiles of the focus endpoint, and the implicated downstream.

use crate::checks::Cx;
use apitriage_model::histogram::LatencyHistogram;
use apitriage_model::report::Series;
use apitriage_model::summary::BUCKET;

/// Buckets are merged into points of this many buckets (one minute).
const STEP: i64 = 6;

fn point_time(b: i64) -> i64 {
    b * BUCKET / 1_000_000
}

/// The chart series for a report.
pub fn build(cx: &Cx<'_>) -> Vec<Series> {
    let mut out = Vec::new();
    let start = (cx.inc.onset / BUCKET - 360).max(cx.view.range.start);
    let end = cx.inc.window.end.min(cx.view.range.end);
    if end <= start {
        return out;
    }
    if let (Some(svc), Some(ep)) = (&cx.inc.service, &cx.inc.endpoint) {
        if let Some(cells) = cx.view.endpoints.get(&(svc.clone(), ep.clone())) {
            let (mut rate, mut e5, mut e4) = (Vec::new(), Vec::new(), Vec::new());
            let (mut p50, mut p95, mut p99) = (Vec::new(), Vec::new(), Vec::new());
            let mut b = start;
            while b < end {
                let mut n = 0u64;
                let (mut s5, mut s4) = (0u64, 0u64);
                let mut h = LatencyHistogram::new();
                for (_, c) in cells.iter().filter(|(x, _)| *x >= b && *x < b + STEP) {
                    n += c.total();
                    s5 += c.server_errors();
                    s4 += c.client_errors();
                    h.merge(&c.latency);
                }
                let secs = (STEP * BUCKET) as f64 / 1e9;
                let t = point_time(b);
                rate.push((t, n as f64 / secs));
                e5.push((t, s5 as f64 / secs));
                e4.push((t, s4 as f64 / secs));
                if let (Some(a), Some(c), Some(d)) =
                    (h.quantile(0.5), h.quantile(0.95), h.quantile(0.99))
                {
                    p50.push((t, a));
                    p95.push((t, c));
                    p99.push((t, d));
                }
                b += STEP;
            }
            let s = |chart: &str, label: &str, unit: &str, points: Vec<(i64, f64)>| Series {
                chart: chart.into(),
                label: label.into(),
                unit: unit.into(),
                points,
            };
            out.push(s("Requests", &format!("{ep} requests"), "req/s", rate));
            out.push(s("Errors", "5xx and failed", "req/s", e5));
            out.push(s("Errors", "4xx", "req/s", e4));
            out.push(s("Latency", "p50", "ms", p50));
            out.push(s("Latency", "p95", "ms", p95));
            out.push(s("Latency", "p99", "ms", p99));
        }
    }
    let dep = cx
        .facts
        .origin_dependency()
        .map(str::to_string)
        .or_else(|| cx.facts.downstreams.first().map(|d| d.downstream.clone()));
    if let Some(dep) = dep {
        let (mut lat, mut err) = (Vec::new(), Vec::new());
        let mut b = start;
        while b < end {
            let w = crate::view::Window {
                start: b,
                end: b + STEP,
            };
            let st = cx.view.downstream_all(&dep, w);
            let t = point_time(b);
            if st.calls > 0 {
                if let Some(q) = st.latency.quantile(0.95) {
                    lat.push((t, q));
                }
                err.push((t, 100.0 * st.error_rate()));
            }
            b += STEP;
        }
        out.push(Series {
            chart: format!("Downstream {dep}"),
            label: "p95".into(),
            unit: "ms".into(),
            points: lat,
        });
        out.push(Series {
            chart: format!("Downstream {dep} errors"),
            label: "error rate".into(),
            unit: "%".into(),
            points: err,
        });
    }
    out.retain(|s| !s.points.is_empty());
    out
}
