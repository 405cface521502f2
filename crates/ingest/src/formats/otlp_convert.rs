//! OTLP messages into apitriage records: the one place where OpenTelemetry's protocol
//! types are turned into the model's own (nothing downstream sees protobuf).
//!
//! Follows the OpenTelemetry semantic conventions for HTTP, database, RPC and
//! exceptions, in both the current names (`http.request.method`,
//! `http.response.status_code`, `url.path`, `server.address`, `db.operation.name`) and
//! the older ones (`http.method`, `http.status_code`, `http.target`, `net.peer.name`,
//! `db.operation`). Spans of one export request are assembled into traces so that a
//! client span is attributed to the endpoint of the server span it ran under, a request
//! can be told to have written downstream or not, and the first failing step is known.

use crate::dims::{client_of_user_agent, dimension_of};
use crate::sink::Sink;
use apitriage_model::record::*;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value::Value, AnyValue, KeyValue};
use opentelemetry_proto::tonic::metrics::v1::{metric::Data, number_data_point};
use opentelemetry_proto::tonic::trace::v1::Span;
use std::borrow::Cow;
use std::collections::HashMap;

const SPAN_KIND_SERVER: i32 = 2;
const SPAN_KIND_CLIENT: i32 = 3;
const SPAN_KIND_PRODUCER: i32 = 4;
const STATUS_ERROR: i32 = 2;

/// An attribute value as text (numbers and booleans formatted), borrowed when a string.
pub fn value_text(v: &AnyValue) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match v.value.as_ref()? {
        Value::StringValue(s) => Some(Cow::Borrowed(s.as_str())),
        Value::IntValue(i) => Some(Cow::Owned(i.to_string())),
        Value::DoubleValue(d) => Some(Cow::Owned(d.to_string())),
        Value::BoolValue(b) => Some(Cow::Owned(b.to_string())),
        Value::ArrayValue(a) => a
            .values
            .first()
            .and_then(value_text)
            .map(|c| Cow::Owned(c.into_owned())),
        Value::KvlistValue(kv) => Some(Cow::Owned(
            serde_json::to_string(
                &kv.values
                    .iter()
                    .map(|k| {
                        (
                            k.key.clone(),
                            k.value
                                .as_ref()
                                .and_then(value_text)
                                .map(|c| c.into_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .unwrap_or_default(),
        )),
        Value::BytesValue(_) | Value::StringValueStrindex(_) => None,
    }
}

fn attr<'a>(attrs: &'a [KeyValue], keys: &[&str]) -> Option<std::borrow::Cow<'a, str>> {
    for k in keys {
        if let Some(kv) = attrs.iter().find(|kv| kv.key == *k) {
            if let Some(v) = kv.value.as_ref().and_then(value_text) {
                if !v.is_empty() {
                    return Some(v);
                }
            }
        }
    }
    None
}

fn attr_int(attrs: &[KeyValue], keys: &[&str]) -> Option<i64> {
    for k in keys {
        if let Some(kv) = attrs.iter().find(|kv| kv.key == *k) {
            match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                Some(Value::IntValue(i)) => return Some(*i),
                Some(Value::DoubleValue(d)) => return Some(*d as i64),
                Some(Value::StringValue(s)) => {
                    if let Ok(i) = s.trim().parse() {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

fn hex(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() || bytes.iter().all(|b| *b == 0) {
        return None;
    }
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    Some(s)
}

/// Resource-level facts shared by every record of a resource.
struct Resource {
    service: String,
    version: Option<String>,
    dims: Vec<(&'static str, String)>,
}

fn resource_of(attrs: &[KeyValue]) -> Resource {
    let mut dims = Vec::new();
    for kv in attrs {
        if let Some(d) = dimension_of(&kv.key) {
            if let Some(v) = kv.value.as_ref().and_then(value_text) {
                dims.push((d, v.into_owned()));
            }
        }
    }
    Resource {
        service: attr(attrs, &["service.name"])
            .map(|c| c.into_owned())
            .unwrap_or_default(),
        version: attr(attrs, &["service.version"]).map(|c| c.into_owned()),
        dims,
    }
}

const METHOD: &[&str] = &["http.request.method", "http.method"];
const STATUS: &[&str] = &["http.response.status_code", "http.status_code"];
const ROUTE: &[&str] = &["http.route"];
const PATH: &[&str] = &["url.path", "http.target", "url.full", "http.url"];
const PEER: &[&str] = &[
    "peer.service",
    "server.address",
    "net.peer.name",
    "network.peer.address",
    "net.peer.ip",
    "rpc.service",
    "messaging.destination.name",
    "db.system.name",
    "db.system",
];

struct SpanInfo<'a> {
    span: &'a Span,
    res: usize,
    server_endpoint: Option<String>,
    is_server: bool,
    is_client: bool,
    write: bool,
    failed: bool,
}

fn span_failed(s: &Span) -> bool {
    s.status.as_ref().is_some_and(|st| st.code == STATUS_ERROR)
        || s.attributes.iter().any(|kv| kv.key == "error.type")
        || attr_int(&s.attributes, STATUS).is_some_and(|c| c >= 500)
}

fn endpoint_of(s: &Span) -> (String, String, bool) {
    let method = attr(&s.attributes, METHOD)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or_default();
    if let Some(route) = attr(&s.attributes, ROUTE) {
        return (method, route.into_owned(), true);
    }
    if let Some(path) = attr(&s.attributes, PATH) {
        return (method, path.into_owned(), false);
    }
    // Span names of server spans are low-cardinality by convention ("GET /orders/{id}").
    (String::new(), s.name.clone(), true)
}

fn is_write(s: &Span) -> bool {
    if s.kind == SPAN_KIND_PRODUCER {
        return true;
    }
    let attrs = &s.attributes;
    if attr(attrs, &["db.system", "db.system.name"]).is_some() {
        let system = attr(attrs, &["db.system", "db.system.name"]).unwrap_or_default();
        if matches!(system.as_ref(), "redis" | "memcached") {
            return false;
        }
        let op = attr(
            attrs,
            &[
                "db.operation.name",
                "db.operation",
                "db.statement",
                "db.query.text",
            ],
        )
        .map(|o| o.trim_start().to_ascii_uppercase())
        .unwrap_or_default();
        return [
            "INSERT", "UPDATE", "DELETE", "UPSERT", "MERGE", "REPLACE", "SAVE", "PUT",
        ]
        .iter()
        .any(|w| op.starts_with(w));
    }
    if s.kind == SPAN_KIND_CLIENT {
        if let Some(m) = attr(attrs, METHOD) {
            return matches!(
                m.to_ascii_uppercase().as_str(),
                "POST" | "PUT" | "PATCH" | "DELETE"
            );
        }
    }
    false
}

fn downstream_kind(attrs: &[KeyValue]) -> DownstreamKind {
    if let Some(sys) = attr(attrs, &["db.system", "db.system.name"]) {
        return match sys.as_ref() {
            "redis" | "memcached" | "hazelcast" | "ehcache" | "valkey" => DownstreamKind::Cache,
            _ => DownstreamKind::Database,
        };
    }
    if attr(attrs, &["messaging.system"]).is_some() {
        return DownstreamKind::Messaging;
    }
    if attr(attrs, &["rpc.system"]).is_some() && attr(attrs, METHOD).is_none() {
        return DownstreamKind::Rpc;
    }
    DownstreamKind::Http
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map(|x| x.1).unwrap_or(host);
    Some(host.split(':').next().unwrap_or(host))
}

fn step_of(s: &Span) -> String {
    let attrs = &s.attributes;
    if attr(attrs, &["db.system", "db.system.name"]).is_some() {
        return "database".into();
    }
    if s.kind == SPAN_KIND_CLIENT || s.kind == SPAN_KIND_PRODUCER {
        return "external call".into();
    }
    let n = s.name.to_ascii_lowercase();
    if n.contains("auth") || n.contains("permission") || n.contains("acl") || n.contains("policy") {
        return "auth".into();
    }
    if n.contains("valid") || n.contains("parse") || n.contains("decode") || n.contains("bind") {
        return "validation".into();
    }
    "handler".into()
}

/// Reads one trace export request into the sink.
pub fn traces(req: &ExportTraceServiceRequest, sink: &mut Sink<'_>) {
    let mut resources = Vec::new();
    let mut infos: Vec<SpanInfo<'_>> = Vec::new();
    for rs in &req.resource_spans {
        let res = resource_of(
            rs.resource
                .as_ref()
                .map(|r| r.attributes.as_slice())
                .unwrap_or(&[]),
        );
        resources.push(res);
        let ri = resources.len() - 1;
        for ss in &rs.scope_spans {
            for span in &ss.spans {
                let has_http = attr(&span.attributes, METHOD).is_some();
                let is_server = span.kind == SPAN_KIND_SERVER
                    || (span.parent_span_id.is_empty()
                        && has_http
                        && span.kind != SPAN_KIND_CLIENT);
                let is_client = !is_server
                    && (span.kind == SPAN_KIND_CLIENT
                        || span.kind == SPAN_KIND_PRODUCER
                        || attr(&span.attributes, &["db.system", "db.system.name"]).is_some());
                infos.push(SpanInfo {
                    span,
                    res: ri,
                    server_endpoint: None,
                    is_server,
                    is_client,
                    write: is_write(span),
                    failed: span_failed(span),
                });
            }
        }
    }
    let by_id: HashMap<(&[u8], &[u8]), usize> = infos
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.span.span_id.is_empty())
        .map(|(n, i)| ((i.span.trace_id.as_slice(), i.span.span_id.as_slice()), n))
        .collect();
    for i in infos.iter_mut() {
        if i.is_server {
            let (m, r, templ) = endpoint_of(i.span);
            let r = if templ {
                r
            } else {
                apitriage_model::path::normalize(&r)
            };
            i.server_endpoint = Some(apitriage_model::path::endpoint(&m, &r));
        }
    }
    // The nearest server ancestor of every span (bounded walk: traces can be cyclic
    // when ids are corrupt).
    let ancestor: Vec<Option<usize>> = (0..infos.len())
        .map(|n| {
            let mut cur = n;
            for _ in 0..64 {
                let s = infos[cur].span;
                if s.parent_span_id.is_empty() {
                    return None;
                }
                let parent = by_id.get(&(s.trace_id.as_slice(), s.parent_span_id.as_slice()))?;
                if infos[*parent].is_server {
                    return Some(*parent);
                }
                cur = *parent;
            }
            None
        })
        .collect();
    let mut wrote = vec![false; infos.len()];
    let mut has_child = vec![false; infos.len()];
    // (end time, step) of the earliest failing descendant, per server span.
    let mut first_fail: Vec<Option<(u64, String)>> = vec![None; infos.len()];
    for (n, i) in infos.iter().enumerate() {
        if let Some(a) = ancestor[n] {
            has_child[a] = true;
            if i.write && !i.failed {
                wrote[a] = true;
            }
            let has_exc = i.span.events.iter().any(|e| e.name == "exception");
            if i.failed || has_exc {
                let end = i.span.end_time_unix_nano;
                if first_fail[a].as_ref().is_none_or(|(t, _)| end < *t) {
                    first_fail[a] = Some((end, step_of(i.span)));
                }
            }
        }
    }

    for (n, i) in infos.iter().enumerate() {
        let s = i.span;
        let res = &resources[i.res];
        if s.start_time_unix_nano == 0 || s.start_time_unix_nano > i64::MAX as u64 {
            sink.skip_at(
                "traces",
                &format!("span {:?}", s.name),
                "startTimeUnixNano is missing or out of range",
            );
            continue;
        }
        let time = s.start_time_unix_nano as i64;
        let duration_ms = (s.end_time_unix_nano > s.start_time_unix_nano)
            .then(|| (s.end_time_unix_nano - s.start_time_unix_nano) as f64 / 1e6);
        let trace_id = hex(&s.trace_id);
        let endpoint_here = i
            .server_endpoint
            .clone()
            .or_else(|| ancestor[n].and_then(|a| infos[a].server_endpoint.clone()));
        for ev in &s.events {
            if ev.name != "exception" {
                continue;
            }
            let et = attr(&ev.attributes, &["exception.type"]);
            let em = attr(&ev.attributes, &["exception.message"]);
            let st = attr(&ev.attributes, &["exception.stacktrace"]);
            let body = em.as_deref().or(st.as_deref()).unwrap_or("");
            let t = if ev.time_unix_nano > 0 {
                ev.time_unix_nano as i64
            } else {
                time
            };
            sink.summary.add_log(&LogRecord {
                time: t,
                service: &res.service,
                severity: Severity::Error,
                body,
                trace_id: trace_id.as_deref(),
                exception_type: et.as_deref(),
                exception_message: em.as_deref(),
                endpoint: endpoint_here.as_deref(),
                version: res.version.as_deref(),
                source: Some(Source::Trace),
            });
        }
        if i.is_server {
            let (method, route, templ) = endpoint_of(s);
            // Names are static, values borrowed where the span already holds the text.
            let mut dims: Vec<(&'static str, Cow<'_, str>)> = res
                .dims
                .iter()
                .map(|(d, v)| (*d, Cow::Borrowed(v.as_str())))
                .collect();
            for kv in &s.attributes {
                if let Some(d) = dimension_of(&kv.key) {
                    if let Some(v) = kv.value.as_ref().and_then(value_text) {
                        dims.push((d, v));
                    }
                }
            }
            if let Some(ua) = attr(&s.attributes, &["user_agent.original", "http.user_agent"]) {
                if let Some((app, ver)) = client_of_user_agent(&ua) {
                    if !dims.iter().any(|d| d.0 == "client_app") {
                        dims.push(("client_app", Cow::Owned(app.to_string())));
                    }
                    if !dims.iter().any(|d| d.0 == "client_version") {
                        dims.push(("client_version", Cow::Owned(format!("{app}/{ver}"))));
                    }
                }
            }
            let dim_refs: Vec<(&str, &str)> = dims.iter().map(|(a, b)| (*a, b.as_ref())).collect();
            let status = attr_int(&s.attributes, STATUS).and_then(|c| u16::try_from(c).ok());
            let error_type = attr(&s.attributes, &["error.type"]);
            let step = first_fail[n].as_ref().map(|(_, st)| st.clone());
            let rec = RequestRecord {
                time,
                service: &res.service,
                method: &method,
                route: &route,
                route_is_template: templ,
                status,
                error: i.failed,
                error_type: error_type.as_deref(),
                duration_ms,
                trace_id: trace_id.as_deref(),
                version: res.version.as_deref(),
                resend_count: attr_int(&s.attributes, &["http.request.resend_count"])
                    .unwrap_or(0)
                    .clamp(0, 1000) as u32,
                dims: &dim_refs,
                source: Some(Source::Trace),
                wrote: has_child[n].then_some(wrote[n]),
                failing_step: if i.failed {
                    step.as_deref().or(Some("handler"))
                } else {
                    None
                },
            };
            sink.summary.add_request(&rec);
            sink.records("traces", 1);
            // Some instrumentations record bodies on server spans: then the span is also
            // a captured exchange that the spec can be checked against.
            let req_body = attr(
                &s.attributes,
                &["http.request.body.content", "http.request.body"],
            );
            let resp_body = attr(
                &s.attributes,
                &["http.response.body.content", "http.response.body"],
            );
            if req_body.is_some() || resp_body.is_some() {
                let path = attr(&s.attributes, &["url.path", "http.target"])
                    .map(|p| p.into_owned())
                    .unwrap_or_else(|| route.clone());
                let header = |names: &[&str]| attr(&s.attributes, names).map(|c| c.into_owned());
                let x = apitriage_model::Exchange {
                    file: sink.file.to_string(),
                    entry: sink.exchanges_seen,
                    time,
                    method: method.clone(),
                    url: apitriage_model::exchange::redact_url(&path),
                    path: path.split('?').next().unwrap_or("").to_string(),
                    request_content_type: header(&["http.request.header.content-type"]),
                    request_body: req_body.map(|b| apitriage_model::exchange::redact_text(&b)),
                    status: status.unwrap_or(0),
                    response_content_type: header(&["http.response.header.content-type"]),
                    response_body: resp_body.map(|b| apitriage_model::exchange::redact_text(&b)),
                    duration_ms,
                    ..Default::default()
                };
                sink.exchanges_seen += 1;
                sink.summary.add_exchange(x);
            }
        } else if i.is_client {
            let a = &s.attributes;
            let mut name = attr(a, PEER).map(|c| c.into_owned());
            if name.is_none() {
                name = attr(a, &["url.full", "http.url"])
                    .and_then(|u| host_of(&u).map(str::to_string));
            }
            let name = name.unwrap_or_else(|| s.name.clone());
            let mut error_text = String::new();
            if let Some(e) = attr(a, &["error.type"]) {
                error_text.push_str(&e);
            }
            if let Some(st) = s.status.as_ref().filter(|st| !st.message.is_empty()) {
                error_text.push(' ');
                error_text.push_str(&st.message);
            }
            for ev in s.events.iter().filter(|e| e.name == "exception") {
                if let Some(t) = attr(&ev.attributes, &["exception.type"]) {
                    error_text.push(' ');
                    error_text.push_str(&t);
                }
                if let Some(m) = attr(&ev.attributes, &["exception.message"]) {
                    error_text.push_str(": ");
                    error_text.push_str(&m);
                }
            }
            let retry_after = attr(
                a,
                &[
                    "http.response.header.retry-after",
                    "http.response.header.retry_after",
                ],
            )
            .and_then(|v| v.trim().parse::<f64>().ok());
            let caller_endpoint = ancestor[n]
                .and_then(|x| infos[x].server_endpoint.clone())
                .unwrap_or_default();
            sink.summary.add_downstream(&DownstreamRecord {
                time,
                caller: &res.service,
                caller_endpoint: &caller_endpoint,
                downstream: &name,
                kind: downstream_kind(a),
                status: attr_int(a, STATUS).and_then(|c| u16::try_from(c).ok()),
                error: i.failed
                    || !error_text.trim().is_empty()
                        && s.status.as_ref().is_none_or(|st| st.code != 1),
                error_text: (!error_text.trim().is_empty()).then_some(error_text.trim()),
                duration_ms,
                retry_after_s: retry_after,
                write: i.write,
                resend_count: attr_int(a, &["http.request.resend_count"])
                    .unwrap_or(0)
                    .clamp(0, 1000) as u32,
            });
            sink.records("traces", 1);
        } else {
            sink.records("traces", 1);
        }
    }
}

/// Splits a Java/Python/Go style stack trace's first line into (type, message).
pub fn exception_from_text(body: &str) -> Option<(&str, &str)> {
    let first = body.lines().next()?.trim();
    let looks_traced =
        body.contains("\n\tat ") || body.contains("\n    at ") || body.contains("Traceback");
    let (ty, msg) = first.split_once(": ").unwrap_or((first, ""));
    let ty = ty.rsplit(' ').next().unwrap_or(ty);
    let is_type = ty.contains('.') && (ty.ends_with("Exception") || ty.ends_with("Error"))
        || (looks_traced && (ty.ends_with("Exception") || ty.ends_with("Error")));
    (is_type && !ty.is_empty()).then_some((ty, msg))
}

/// Reads one logs export request into the sink.
pub fn logs(req: &ExportLogsServiceRequest, sink: &mut Sink<'_>) {
    for rl in &req.resource_logs {
        let res = resource_of(
            rl.resource
                .as_ref()
                .map(|r| r.attributes.as_slice())
                .unwrap_or(&[]),
        );
        for sl in &rl.scope_logs {
            for lr in &sl.log_records {
                let time = if lr.time_unix_nano > 0 {
                    lr.time_unix_nano
                } else {
                    lr.observed_time_unix_nano
                } as i64;
                if time <= 0 {
                    sink.skip_at(
                        "logs",
                        "log record",
                        "has neither timeUnixNano nor observedTimeUnixNano",
                    );
                    continue;
                }
                let body = lr.body.as_ref().and_then(value_text).unwrap_or_default();
                let mut severity = Severity::from_number(lr.severity_number);
                if severity == Severity::Unspecified {
                    severity = Severity::from_text(&lr.severity_text);
                }
                let a = &lr.attributes;
                let mut et = attr(a, &["exception.type"]).map(|c| c.into_owned());
                let mut em = attr(a, &["exception.message"]).map(|c| c.into_owned());
                if et.is_none() {
                    let st = attr(a, &["exception.stacktrace"]);
                    let text = st.as_deref().unwrap_or(&body);
                    if let Some((t, m)) = exception_from_text(text) {
                        et = Some(t.to_string());
                        if em.is_none() && !m.is_empty() {
                            em = Some(m.to_string());
                        }
                    }
                }
                if et.is_some() && severity == Severity::Unspecified {
                    severity = Severity::Error;
                }
                let method = attr(a, METHOD);
                let route = attr(a, ROUTE).or_else(|| attr(a, PATH));
                let endpoint = route.map(|r| match &method {
                    Some(m) => apitriage_model::path::endpoint(m, &r),
                    None => r.into_owned(),
                });
                let version = attr(a, &["service.version"])
                    .map(|c| c.into_owned())
                    .or(res.version.clone());
                let trace_id = hex(&lr.trace_id);
                sink.summary.add_log(&LogRecord {
                    time,
                    service: &res.service,
                    severity,
                    body: &body,
                    trace_id: trace_id.as_deref(),
                    exception_type: et.as_deref(),
                    exception_message: em.as_deref(),
                    endpoint: endpoint.as_deref(),
                    version: version.as_deref(),
                    source: Some(Source::Log),
                });
                sink.records("logs", 1);
            }
        }
    }
}

/// Reads one metrics export request into the sink.
pub fn metrics(req: &ExportMetricsServiceRequest, sink: &mut Sink<'_>) {
    for rm in &req.resource_metrics {
        let res_attrs = rm
            .resource
            .as_ref()
            .map(|r| r.attributes.as_slice())
            .unwrap_or(&[]);
        let res = resource_of(res_attrs);
        for sm in &rm.scope_metrics {
            for m in &sm.metrics {
                let emit = |name: &str,
                            time: u64,
                            attrs: &[KeyValue],
                            value: f64,
                            cumulative: bool,
                            sink: &mut Sink<'_>| {
                    let mut labels: Vec<(String, String)> = Vec::new();
                    if !res.service.is_empty() {
                        labels.push(("service".into(), res.service.clone()));
                    }
                    for (k, v) in &res.dims {
                        if *k == "host" {
                            labels.push((k.to_string(), v.clone()));
                        }
                    }
                    for kv in attrs {
                        if let Some(v) = kv.value.as_ref().and_then(value_text) {
                            labels.push((kv.key.clone(), v.into_owned()));
                        }
                    }
                    let refs: Vec<(&str, &str)> = labels
                        .iter()
                        .map(|(a, b)| (a.as_str(), b.as_str()))
                        .collect();
                    if time == 0 || time > i64::MAX as u64 {
                        sink.skip_at(
                            "metrics",
                            &format!("metric {name}"),
                            "data point has no timeUnixNano, or one out of range",
                        );
                        return;
                    }
                    sink.summary.add_metric(&MetricPoint {
                        time: time as i64,
                        name,
                        labels: &refs,
                        value,
                        cumulative,
                    });
                    sink.records("metrics", 1);
                };
                match &m.data {
                    Some(Data::Gauge(g)) => {
                        for p in &g.data_points {
                            if let Some(v) = number(p.value.as_ref()) {
                                emit(&m.name, p.time_unix_nano, &p.attributes, v, false, sink);
                            }
                        }
                    }
                    Some(Data::Sum(s)) => {
                        // aggregation_temporality 2 = cumulative.
                        let cumulative = s.is_monotonic && s.aggregation_temporality == 2;
                        for p in &s.data_points {
                            if let Some(v) = number(p.value.as_ref()) {
                                emit(
                                    &m.name,
                                    p.time_unix_nano,
                                    &p.attributes,
                                    v,
                                    cumulative,
                                    sink,
                                );
                            }
                        }
                    }
                    Some(Data::Histogram(h)) => {
                        let cumulative = h.aggregation_temporality == 2;
                        let points = h
                            .data_points
                            .iter()
                            .map(|p| (p.time_unix_nano, &p.attributes[..], p.count, p.sum));
                        emit_count_sum(&m.name, points, cumulative, sink, &emit);
                    }
                    Some(Data::ExponentialHistogram(h)) => {
                        let cumulative = h.aggregation_temporality == 2;
                        let points = h
                            .data_points
                            .iter()
                            .map(|p| (p.time_unix_nano, &p.attributes[..], p.count, p.sum));
                        emit_count_sum(&m.name, points, cumulative, sink, &emit);
                    }
                    Some(Data::Summary(s)) => {
                        for p in &s.data_points {
                            emit(
                                &format!("{}_count", m.name),
                                p.time_unix_nano,
                                &p.attributes,
                                p.count as f64,
                                true,
                                sink,
                            );
                            emit(
                                &format!("{}_sum", m.name),
                                p.time_unix_nano,
                                &p.attributes,
                                p.sum,
                                true,
                                sink,
                            );
                        }
                    }
                    None => sink.skip_at("metrics", &format!("metric {}", m.name), "has no data"),
                }
            }
        }
    }
}

/// Histograms of either kind become `<name>_count` and `<name>_sum` series, the way
/// Prometheus exposes them, so the checks treat both sources alike.
fn emit_count_sum<'a, E>(
    name: &str,
    points: impl Iterator<Item = (u64, &'a [KeyValue], u64, Option<f64>)>,
    cumulative: bool,
    sink: &mut Sink<'_>,
    emit: &E,
) where
    E: Fn(&str, u64, &[KeyValue], f64, bool, &mut Sink<'_>),
{
    let (count_name, sum_name) = (format!("{name}_count"), format!("{name}_sum"));
    for (time, attrs, count, sum) in points {
        emit(&count_name, time, attrs, count as f64, cumulative, sink);
        if let Some(sum) = sum {
            emit(&sum_name, time, attrs, sum, cumulative, sink);
        }
    }
}

fn number(v: Option<&number_data_point::Value>) -> Option<f64> {
    match v? {
        number_data_point::Value::AsDouble(d) => Some(*d),
        number_data_point::Value::AsInt(i) => Some(*i as f64),
    }
}
