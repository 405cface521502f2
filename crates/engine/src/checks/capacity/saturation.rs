//! Saturation signals from metrics: CPU, memory, GC time, thread and connection pools,
//! queue depth, open file descriptors. Metrics are recognised by the words their names
//! are built from (Micrometer, the OpenTelemetry runtime conventions, node and cAdvisor
//! exporters), so no list of exact names is needed.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::summary::MetricSeries;

/// Saturation metrics rising.
pub struct Saturation;

/// The resource a metric name measures, if it measures saturation.
pub fn resource_of(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    let has = |w: &str| n.contains(w);
    if has("gc") && (has("pause") || has("time") || has("duration") || has("collection")) {
        return Some("GC time");
    }
    if has("pending") && (has("conn") || has("pool")) || has("pool") && has("wait") {
        return Some("connection pool waiters");
    }
    if (has("conn") || has("pool"))
        && (has("active") || has("usage") || has("used") || has("in_use"))
    {
        return Some("connection pool use");
    }
    if has("queue") || has("backlog") || has("queued") {
        return Some("queue depth");
    }
    if has("thread") && !has("daemon") {
        return Some("threads");
    }
    if has("cpu") && !has("limit") && !has("cores") {
        return Some("CPU");
    }
    if (has("memory") || has("heap"))
        && (has("used") || has("usage") || has("rss") || has("bytes"))
        && !has("limit")
        && !has("max")
    {
        return Some("memory");
    }
    if has("open_fds") || has("file_descriptor") || has("fds") {
        return Some("file descriptors");
    }
    if has("throttl") {
        return Some("CPU throttling");
    }
    None
}

/// True for a pool's configured size (`hikaricp_connections_max`,
/// `db.client.connections.max`, `pool_max_size`), not for a timer's maximum
/// (`hikaricp_connections_acquire_seconds_max`) that shares its labels.
fn pool_size_metric(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace('.', "_");
    let size_word = [
        "connections_max",
        "pool_max",
        "pool_size",
        "max_connections",
        "connections_limit",
    ]
    .iter()
    .any(|w| {
        n.ends_with(w) || n.ends_with(&format!("{w}_size")) || n.ends_with(&format!("{w}imum"))
    });
    size_word
        && !["seconds", "_ms", "duration", "time", "wait"]
            .iter()
            .any(|w| n.contains(w))
}

/// Mean value per bucket over a window, with counters turned into per-bucket increases.
fn window_mean(s: &MetricSeries, start: i64, end: i64) -> Option<f64> {
    let pts: Vec<(i64, f64)> = s
        .points
        .range(start..end)
        .map(|(b, a)| (*b, if s.cumulative { a.max } else { a.mean() }))
        .collect();
    if s.cumulative {
        if pts.len() < 2 {
            return None;
        }
        let (b0, v0) = pts[0];
        let (b1, v1) = pts[pts.len() - 1];
        let inc = (v1 - v0).max(0.0);
        return Some(inc / (b1 - b0).max(1) as f64);
    }
    if pts.is_empty() {
        return None;
    }
    Some(pts.iter().map(|p| p.1).sum::<f64>() / pts.len() as f64)
}

impl Check for Saturation {
    fn id(&self) -> &'static str {
        "capacity.saturation"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let series: Vec<&MetricSeries> = cx
            .view
            .metrics()
            .filter(|m| resource_of(&m.name).is_some())
            .collect();
        if series.is_empty() {
            return Outcome::NotRun("saturation metrics (CPU, memory, GC, pools, threads, queues) from Prometheus or OTLP");
        }
        let (bw, iw) = (cx.inc.baseline, cx.inc.window);
        // Pool sizes (`hikaricp_connections_max`, `db_client_connections_max`), per service
        // and label set: use far below the size is headroom, however much it rose.
        let pool_max: Vec<(&str, &str, f64)> = cx
            .view
            .metrics()
            .filter(|m| pool_size_metric(&m.name))
            .filter_map(|m| {
                Some((
                    m.service.as_str(),
                    m.labels.as_str(),
                    window_mean(m, iw.start, iw.end)?,
                ))
            })
            .collect();
        let mut rises: Vec<(f64, String, String, f64, f64)> = Vec::new();
        for s in series {
            let (Some(b), Some(a)) = (
                window_mean(s, bw.start, bw.end),
                window_mean(s, iw.start, iw.end),
            ) else {
                continue;
            };
            let ratio = if b.abs() > 1e-9 {
                a / b
            } else if a > 0.0 {
                10.0
            } else {
                1.0
            };
            let res = resource_of(&s.name).unwrap_or("");
            // Fewer than one connection busy on average is headroom whatever the pool's
            // size: a ratio of small numbers is no saturation.
            if res == "connection pool use" && a < 1.0 {
                continue;
            }
            // Under half the pool in use, with its size known (same service and labels,
            // else the service's only pool size), is headroom: a busy hour, not saturation.
            // Waiting for a connection is reported separately as "connection pool waiters".
            if res == "connection pool use" {
                let same: Vec<f64> = pool_max
                    .iter()
                    .filter(|p| p.0 == s.service && p.1 == s.labels)
                    .map(|p| p.2)
                    .collect();
                let of_service: Vec<f64> = pool_max
                    .iter()
                    .filter(|p| p.0 == s.service)
                    .map(|p| p.2)
                    .collect();
                // Only an unambiguous size: one series for these labels, else one for
                // the whole service.
                let size = match (same.as_slice(), of_service.as_slice()) {
                    ([m], _) | ([], [m]) => Some(*m),
                    _ => None,
                };
                if size.is_some_and(|m| m > 0.0 && a < 0.5 * m) {
                    continue;
                }
            }
            if ratio >= 1.5 && a - b > 1e-6 {
                rises.push((
                    ratio,
                    res.to_string(),
                    format!("{}{{{}}}", s.name, s.labels),
                    b,
                    a,
                ));
            }
        }
        if rises.is_empty() {
            return Outcome::Ran(vec![]);
        }
        rises.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)));
        let mut resources: Vec<&str> = rises.iter().map(|r| r.1.as_str()).collect();
        resources.sort();
        resources.dedup();
        let top = rises[0].0;
        let mut strength = (0.3 + 0.08 * resources.len().min(5) as f64 + 0.08 * top.ln()).min(0.85);
        let mut ev: Vec<String> = rises
            .iter()
            .take(5)
            .map(|(r, res, name, b, a)| format!("{res}: {name} {b:.3} → {a:.3} ({r:.1}×)"))
            .collect();
        if let Some(d) = super::upstream_cause(cx) {
            strength *= 0.4;
            ev.push(format!(
                "likely a consequence: {} → {} changed first",
                d.caller, d.downstream
            ));
        }
        let services: Vec<&str> = cx
            .view
            .metrics()
            .filter(|m| {
                rises
                    .iter()
                    .take(3)
                    .any(|r| r.2 == format!("{}{{{}}}", m.name, m.labels))
                    && !m.service.is_empty()
            })
            .map(|m| m.service.as_str())
            .collect();
        let origin = cx.facts.origin_service();
        let origin_rises = origin.is_some_and(|o| {
            cx.view.metrics().any(|m| {
                m.service == o
                    && rises
                        .iter()
                        .any(|r| r.2 == format!("{}{{{}}}", m.name, m.labels))
            })
        });
        if origin.is_some() && !origin_rises {
            strength *= 0.6;
        }
        let mut f = found(
            self.id(),
            "capacity",
            strength,
            format!("saturation rose: {}", resources.join(", ")),
            ev,
        );
        let known = cx.view.services();
        if let (Some(o), true) = (origin, origin_rises) {
            f = f.blame(o.to_string());
        } else if let Some(s) = services.iter().find(|s| known.iter().any(|k| k == *s)) {
            f = f.blame(s.to_string());
        } else if let Some(s) = &cx.inc.service {
            f = f.blame(s.clone());
        }
        Outcome::Ran(vec![f])
    }
}
