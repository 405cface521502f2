//! `metrics.jsonl`: one `ExportMetricsServiceRequest` per collection interval, as the
//! Collector's file exporter writes it. Gauges carry `gauge.dataPoints`; counters
//! carry `sum` with cumulative temporality (2) and `isMonotonic`. Series labels become
//! data-point attributes; service, region and pod become resource attributes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::metrics::MetricSet;
use super::otlp::{kv_str, KeyValue, Resource, Scope};
use super::Out;
use crate::error::SimError;
use crate::system::System;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    resource_metrics: Vec<ResourceMetrics>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResourceMetrics {
    resource: Resource,
    scope_metrics: Vec<ScopeMetrics>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScopeMetrics {
    scope: Scope,
    metrics: Vec<Metric>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metric {
    name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    gauge: Option<Points>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sum: Option<Sum>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Points {
    data_points: Vec<Point>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sum {
    data_points: Vec<Point>,
    aggregation_temporality: u8,
    is_monotonic: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Point {
    attributes: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time_unix_nano: Option<String>,
    time_unix_nano: String,
    as_double: f64,
}

/// Writes one line per time step.
pub(crate) fn write(out: &mut Out, sys: &System, set: &MetricSet) -> Result<(), SimError> {
    let start = set.times.first().copied().unwrap_or(0);
    // Resource of each series: (service, region, pod) or the exporter's own.
    let mut by_res: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
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
        let region = s.region.map(|x| sys.regions[x].name.to_string()).unwrap_or_default();
        let pod = s.pod.clone().unwrap_or_default();
        by_res.entry((svc, region, pod)).or_default().push(i);
    }
    for (k, t) in set.times.iter().enumerate() {
        let mut resource_metrics = Vec::new();
        for ((svc, region, pod), idx) in &by_res {
            let mut merged: BTreeMap<&str, Metric> = BTreeMap::new();
            for i in idx {
                let s = &set.series[*i];
                let Some(v) = s.values[k] else { continue };
                let attributes = s
                    .labels
                    .iter()
                    .filter(|(key, _)| !matches!(*key, "service" | "region" | "pod" | "namespace"))
                    .map(|(key, val)| kv_str(key, val))
                    .collect();
                let point = Point {
                    attributes,
                    start_time_unix_nano: s.counter.then(|| start.to_string()),
                    time_unix_nano: t.to_string(),
                    as_double: v,
                };
                let m = merged.entry(s.name).or_insert_with(|| Metric {
                    name: s.name.to_string(),
                    description: s.help.to_string(),
                    gauge: (!s.counter).then(|| Points {
                        data_points: Vec::new(),
                    }),
                    sum: s.counter.then(|| Sum {
                        data_points: Vec::new(),
                        aggregation_temporality: 2,
                        is_monotonic: true,
                    }),
                });
                if let Some(g) = m.gauge.as_mut() {
                    g.data_points.push(point);
                } else if let Some(sum) = m.sum.as_mut() {
                    sum.data_points.push(point);
                }
            }
            let metrics: Vec<Metric> = merged.into_values().collect();
            if metrics.is_empty() {
                continue;
            }
            let mut attrs = vec![kv_str("service.name", svc)];
            if !region.is_empty() {
                attrs.push(kv_str("cloud.region", region));
            }
            if !pod.is_empty() {
                attrs.push(kv_str("k8s.pod.name", pod));
            }
            attrs.push(kv_str("k8s.namespace.name", &sys.namespace));
            resource_metrics.push(ResourceMetrics {
                resource: Resource { attributes: attrs },
                scope_metrics: vec![ScopeMetrics {
                    scope: Scope {
                        name: "otelcol/prometheusreceiver".into(),
                        version: "0.115.0".into(),
                    },
                    metrics,
                }],
            });
        }
        out.json_line(&Request { resource_metrics })?;
    }
    Ok(())
}
