//! `logs.jsonl`: one `ExportLogsServiceRequest` per line (the Collector's file
//! exporter layout). Log records carry `timeUnixNano` as a string, the severity number
//! and text, a string body, `exception.*` attributes for errors, and the trace and
//! span ids of the request they belong to (left out when the bundle's logs were
//! collected without trace correlation).

use std::collections::BTreeMap;

use serde::Serialize;

use super::otlp::{kv, AnyValue, KeyValue, Resource, Resources, Scope};
use super::Out;
use crate::error::SimError;
use crate::fleet::ResKey;
use crate::records::LogRec;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    resource_logs: Vec<ResourceLogs>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResourceLogs {
    resource: Resource,
    scope_logs: Vec<ScopeLogs>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScopeLogs {
    scope: Scope,
    log_records: Vec<Record>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    time_unix_nano: String,
    observed_time_unix_nano: String,
    severity_number: i32,
    severity_text: &'static str,
    body: AnyValue,
    attributes: Vec<KeyValue>,
    #[serde(skip_serializing_if = "String::is_empty")]
    trace_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    span_id: String,
}

/// Writes the given records as one line (nothing when empty).
pub(crate) fn write_logs(
    out: &mut Out,
    resources: &mut Resources,
    trace_id: &str,
    logs: &[LogRec],
    with_ids: bool,
) -> Result<(), SimError> {
    if logs.is_empty() {
        return Ok(());
    }
    let mut groups: BTreeMap<ResKey, BTreeMap<&str, Vec<&LogRec>>> = BTreeMap::new();
    for l in logs {
        groups
            .entry(l.res)
            .or_default()
            .entry(l.scope.as_str())
            .or_default()
            .push(l);
    }
    let mut resource_logs = Vec::new();
    for (key, scopes) in groups {
        let mut scope_logs = Vec::new();
        for (scope, mut list) in scopes {
            list.sort_by_key(|l| l.time);
            scope_logs.push(ScopeLogs {
                scope: Scope {
                    name: scope.to_string(),
                    version: String::new(),
                },
                log_records: list
                    .iter()
                    .map(|l| Record {
                        time_unix_nano: l.time.to_string(),
                        observed_time_unix_nano: (l.time + 1_500_000).to_string(),
                        severity_number: l.sev.number(),
                        severity_text: l.sev.text(),
                        body: AnyValue::Str(l.body.clone()),
                        attributes: l.attrs.iter().map(kv).collect(),
                        trace_id: if with_ids && l.trace {
                            trace_id.to_string()
                        } else {
                            String::new()
                        },
                        span_id: match (&l.span, with_ids && l.trace) {
                            (Some(s), true) => s.clone(),
                            _ => String::new(),
                        },
                    })
                    .collect(),
            });
        }
        resource_logs.push(ResourceLogs {
            resource: resources.get(key),
            scope_logs,
        });
    }
    out.json_line(&Request { resource_logs })
}
