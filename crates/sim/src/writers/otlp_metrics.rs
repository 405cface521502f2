//! `metrics.jsonl`: one `ExportMetricsServiceRequest` per collection interval, as the
//! Collector's file exporter writes it after a Prometheus receiver scraped the pods and
//! exporters. Gauges carry `gauge.dataPoints`; counters carry `sum` with cumulative
//! temporality (2) and `isMonotonic`. Service, region and pod are resource attributes;
//! the other labels become data-point attributes.
//!
//! Lines are assembled from JSON fragments computed once per series (attribute lists,
//! resources), which keeps this format as cheap to write as the Prometheus ones.

use std::collections::BTreeMap;

use super::metrics::MetricSet;
use super::Out;
use crate::error::SimError;
use crate::system::System;

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn attr(key: &str, value: &str) -> String {
    format!(
        "{{\"key\":{},\"value\":{{\"stringValue\":{}}}}}",
        js(key),
        js(value)
    )
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "0".to_string()
    }
}

/// Writes one line per time step.
pub(crate) fn write(out: &mut Out, sys: &System, set: &MetricSet) -> Result<(), SimError> {
    let start = set.times.first().copied().unwrap_or(0).to_string();
    // Group series by resource (service, region, pod), then by metric name.
    let mut by_res: BTreeMap<(String, String, String), BTreeMap<&str, Vec<usize>>> =
        BTreeMap::new();
    for (i, s) in set.series.iter().enumerate() {
        let svc = s
            .service
            .map(|x| sys.services[x].name.clone())
            .unwrap_or_else(|| {
                if s.name.starts_with("redis") {
                    "redis-exporter".to_string()
                } else {
                    "postgres-exporter".to_string()
                }
            });
        let region = s
            .region
            .map(|x| sys.regions[x].name.to_string())
            .unwrap_or_default();
        let pod = s.pod.clone().unwrap_or_default();
        by_res
            .entry((svc, region, pod))
            .or_default()
            .entry(s.name)
            .or_default()
            .push(i);
    }
    let resources: Vec<String> = by_res
        .keys()
        .map(|(svc, region, pod)| {
            let mut attrs = vec![attr("service.name", svc)];
            if !region.is_empty() {
                attrs.push(attr("cloud.region", region));
            }
            if !pod.is_empty() {
                attrs.push(attr("k8s.pod.name", pod));
            }
            attrs.push(attr("k8s.namespace.name", &sys.namespace));
            format!("{{\"attributes\":[{}]}}", attrs.join(","))
        })
        .collect();
    let point_attrs: Vec<String> = set
        .series
        .iter()
        .map(|s| {
            s.labels
                .iter()
                .filter(|(k, _)| !matches!(*k, "service" | "region" | "pod" | "namespace"))
                .map(|(k, v)| attr(k, v))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let scope = "{\"name\":\"otelcol/prometheusreceiver\",\"version\":\"0.115.0\"}";
    for (k, t) in set.times.iter().enumerate() {
        let time = t.to_string();
        let mut line = String::with_capacity(64 * 1024);
        line.push_str("{\"resourceMetrics\":[");
        let mut first_res = true;
        for (r_i, names) in by_res.values().enumerate() {
            let mut metrics = Vec::new();
            for (name, idx) in names {
                let mut points = Vec::new();
                let mut counter = false;
                for i in idx {
                    let s = &set.series[*i];
                    let Some(v) = s.values[k] else { continue };
                    counter = s.counter;
                    let start_field = if s.counter {
                        format!("\"startTimeUnixNano\":\"{start}\",")
                    } else {
                        String::new()
                    };
                    points.push(format!(
                        "{{\"attributes\":[{}],{start_field}\"timeUnixNano\":\"{time}\",\"asDouble\":{}}}",
                        point_attrs[*i],
                        num(v)
                    ));
                }
                if points.is_empty() {
                    continue;
                }
                let body = if counter {
                    format!(
                        "\"sum\":{{\"dataPoints\":[{}],\"aggregationTemporality\":2,\"isMonotonic\":true}}",
                        points.join(",")
                    )
                } else {
                    format!("\"gauge\":{{\"dataPoints\":[{}]}}", points.join(","))
                };
                metrics.push(format!("{{\"name\":{},{body}}}", js(name)));
            }
            if metrics.is_empty() {
                continue;
            }
            if !first_res {
                line.push(',');
            }
            first_res = false;
            line.push_str(&format!(
                "{{\"resource\":{},\"scopeMetrics\":[{{\"scope\":{scope},\"metrics\":[{}]}}]}}",
                resources[r_i],
                metrics.join(",")
            ));
        }
        line.push_str("]}");
        out.line(&line)?;
    }
    Ok(())
}
