//! `traces.jsonl`: one `ExportTraceServiceRequest` per line, as the OpenTelemetry
//! Collector's file exporter writes it (protobuf JSON mapping: lowercase hex ids,
//! int64 nanoseconds as strings, enum kinds as integers). A line holds one whole trace,
//! grouped by resource (one pod of one service) and instrumentation scope.

use std::collections::BTreeMap;

use serde::Serialize;

use super::otlp::{kv, scope_version, KeyValue, Resource, Resources, Scope};
use super::Out;
use crate::error::SimError;
use crate::fleet::ResKey;
use crate::records::{SpanRec, Status as St};
use crate::semconv::Semconv;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    resource_spans: Vec<ResourceSpans>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResourceSpans {
    resource: Resource,
    scope_spans: Vec<ScopeSpans>,
    schema_url: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScopeSpans {
    scope: Scope,
    spans: Vec<Span>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Span {
    trace_id: String,
    span_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    parent_span_id: String,
    name: String,
    kind: u8,
    start_time_unix_nano: String,
    end_time_unix_nano: String,
    attributes: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<Event>,
    status: Status,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    time_unix_nano: String,
    name: &'static str,
    attributes: Vec<KeyValue>,
}

#[derive(Serialize, Default)]
struct Status {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<u8>,
    #[serde(skip_serializing_if = "String::is_empty")]
    message: String,
}

/// Writes one trace as one line. With `no_status`, HTTP status attributes, `error.type`
/// and span statuses are left out (only timing and events remain).
pub(crate) fn write_trace(
    out: &mut Out,
    resources: &mut Resources,
    trace_id: &str,
    spans: &[SpanRec],
    sc: Semconv,
    no_status: bool,
    schema_url: &'static str,
) -> Result<(), SimError> {
    let mut groups: BTreeMap<ResKey, BTreeMap<&'static str, Vec<&SpanRec>>> = BTreeMap::new();
    for s in spans {
        groups
            .entry(s.res)
            .or_default()
            .entry(s.scope)
            .or_default()
            .push(s);
    }
    let status_key = sc.status();
    let mut resource_spans = Vec::new();
    for (key, scopes) in groups {
        let mut scope_spans = Vec::new();
        for (scope, mut list) in scopes {
            list.sort_by_key(|s| s.start);
            let spans = list
                .iter()
                .map(|s| Span {
                    trace_id: trace_id.to_string(),
                    span_id: s.id.clone(),
                    parent_span_id: s.parent.clone().unwrap_or_default(),
                    name: s.name.clone(),
                    kind: s.kind,
                    start_time_unix_nano: s.start.to_string(),
                    end_time_unix_nano: s.end.to_string(),
                    attributes: s
                        .attrs
                        .iter()
                        .filter(|a| !(no_status && (a.key == status_key || a.key == "error.type")))
                        .map(kv)
                        .collect(),
                    events: s
                        .events
                        .iter()
                        .map(|e| Event {
                            time_unix_nano: e.time.to_string(),
                            name: e.name,
                            attributes: e.attrs.iter().map(kv).collect(),
                        })
                        .collect(),
                    status: match (&s.status, no_status) {
                        (St::Error(m), false) => Status {
                            code: Some(2),
                            message: m.clone(),
                        },
                        _ => Status::default(),
                    },
                })
                .collect();
            scope_spans.push(ScopeSpans {
                scope: Scope {
                    name: scope.to_string(),
                    version: scope_version(scope),
                },
                spans,
            });
        }
        resource_spans.push(ResourceSpans {
            resource: resources.get(key),
            scope_spans,
            schema_url,
        });
    }
    out.json_line(&Request { resource_spans })
}
