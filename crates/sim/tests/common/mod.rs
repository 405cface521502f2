//! Helpers shared by the simulator's integration tests: a scratch directory under the
//! target directory, bundle file listing, and structural checks of each format.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("apitriage-sim-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Files of a bundle directory, sorted by name.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read bundle dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

pub fn name(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_decimal(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

fn check_any_value(v: &Value, ctx: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{ctx}: value is not an object"));
    assert_eq!(
        obj.len(),
        1,
        "{ctx}: AnyValue must have exactly one field: {v}"
    );
    let (k, inner) = obj.iter().next().expect("one field");
    match k.as_str() {
        "stringValue" => assert!(inner.is_string(), "{ctx}"),
        "intValue" => assert!(
            is_decimal(inner) || inner.as_str().is_some_and(|s| s.starts_with('-')),
            "{ctx}: intValue must be a decimal string: {v}"
        ),
        "doubleValue" => assert!(inner.is_number(), "{ctx}"),
        "boolValue" => assert!(inner.is_boolean(), "{ctx}"),
        "arrayValue" => {
            for item in inner["values"]
                .as_array()
                .unwrap_or_else(|| panic!("{ctx}: arrayValue.values"))
            {
                check_any_value(item, ctx);
            }
        }
        other => panic!("{ctx}: unknown AnyValue field {other}"),
    }
}

fn check_attributes(v: &Value, ctx: &str) {
    for kv in v
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: attributes must be an array"))
    {
        assert!(kv["key"].is_string(), "{ctx}: key");
        check_any_value(&kv["value"], ctx);
    }
}

fn resource_has_service(res: &Value, ctx: &str) {
    check_attributes(&res["attributes"], ctx);
    let has = res["attributes"]
        .as_array()
        .is_some_and(|a| a.iter().any(|kv| kv["key"] == "service.name"));
    assert!(has, "{ctx}: resource without service.name");
}

/// Checks one `traces.jsonl` line against the OTLP/JSON layout.
pub fn check_trace_line(line: &Value, ctx: &str) -> usize {
    let mut spans = 0;
    let mut trace_ids = std::collections::BTreeSet::new();
    for rs in line["resourceSpans"]
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: resourceSpans"))
    {
        resource_has_service(&rs["resource"], ctx);
        for ss in rs["scopeSpans"]
            .as_array()
            .unwrap_or_else(|| panic!("{ctx}: scopeSpans"))
        {
            assert!(ss["scope"]["name"].is_string(), "{ctx}: scope.name");
            for sp in ss["spans"]
                .as_array()
                .unwrap_or_else(|| panic!("{ctx}: spans"))
            {
                spans += 1;
                let tid = sp["traceId"].as_str().unwrap_or_default();
                assert!(is_hex(tid, 32), "{ctx}: traceId {tid}");
                trace_ids.insert(tid.to_string());
                assert!(
                    is_hex(sp["spanId"].as_str().unwrap_or_default(), 16),
                    "{ctx}: spanId"
                );
                if let Some(p) = sp.get("parentSpanId") {
                    assert!(
                        is_hex(p.as_str().unwrap_or_default(), 16),
                        "{ctx}: parentSpanId"
                    );
                }
                assert!(
                    is_decimal(&sp["startTimeUnixNano"]),
                    "{ctx}: startTimeUnixNano"
                );
                assert!(is_decimal(&sp["endTimeUnixNano"]), "{ctx}: endTimeUnixNano");
                let kind = sp["kind"].as_u64().unwrap_or(0);
                assert!((1..=5).contains(&kind), "{ctx}: kind {kind}");
                assert!(sp["name"].is_string(), "{ctx}: name");
                check_attributes(&sp["attributes"], ctx);
                if let Some(code) = sp["status"].get("code") {
                    assert!(
                        matches!(code.as_u64(), Some(1) | Some(2)),
                        "{ctx}: status.code"
                    );
                }
                if let Some(events) = sp.get("events") {
                    for e in events.as_array().unwrap_or_else(|| panic!("{ctx}: events")) {
                        assert!(is_decimal(&e["timeUnixNano"]), "{ctx}: event time");
                        check_attributes(&e["attributes"], ctx);
                    }
                }
            }
        }
    }
    assert_eq!(trace_ids.len(), 1, "{ctx}: one trace per line");
    spans
}

/// Checks one `logs.jsonl` line.
pub fn check_log_line(line: &Value, ctx: &str) -> usize {
    let mut n = 0;
    for rl in line["resourceLogs"]
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: resourceLogs"))
    {
        resource_has_service(&rl["resource"], ctx);
        for sl in rl["scopeLogs"]
            .as_array()
            .unwrap_or_else(|| panic!("{ctx}: scopeLogs"))
        {
            for r in sl["logRecords"]
                .as_array()
                .unwrap_or_else(|| panic!("{ctx}: logRecords"))
            {
                n += 1;
                assert!(is_decimal(&r["timeUnixNano"]), "{ctx}: timeUnixNano");
                assert!(r["severityNumber"].is_u64(), "{ctx}: severityNumber");
                assert!(r["severityText"].is_string(), "{ctx}: severityText");
                assert!(r["body"]["stringValue"].is_string(), "{ctx}: body");
                check_attributes(&r["attributes"], ctx);
                if let Some(t) = r.get("traceId") {
                    assert!(
                        is_hex(t.as_str().unwrap_or_default(), 32),
                        "{ctx}: log traceId"
                    );
                    assert!(
                        is_hex(r["spanId"].as_str().unwrap_or_default(), 16),
                        "{ctx}: log spanId"
                    );
                }
            }
        }
    }
    n
}

/// Checks one `metrics.jsonl` line.
pub fn check_metric_line(line: &Value, ctx: &str) {
    for rm in line["resourceMetrics"]
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: resourceMetrics"))
    {
        resource_has_service(&rm["resource"], ctx);
        for sm in rm["scopeMetrics"]
            .as_array()
            .unwrap_or_else(|| panic!("{ctx}: scopeMetrics"))
        {
            for m in sm["metrics"]
                .as_array()
                .unwrap_or_else(|| panic!("{ctx}: metrics"))
            {
                assert!(m["name"].is_string(), "{ctx}: metric name");
                let points = if let Some(g) = m.get("gauge") {
                    &g["dataPoints"]
                } else {
                    let s = &m["sum"];
                    assert_eq!(s["aggregationTemporality"], 2, "{ctx}: temporality");
                    assert_eq!(s["isMonotonic"], true, "{ctx}: monotonic");
                    &s["dataPoints"]
                };
                for p in points
                    .as_array()
                    .unwrap_or_else(|| panic!("{ctx}: dataPoints"))
                {
                    assert!(is_decimal(&p["timeUnixNano"]), "{ctx}: point time");
                    assert!(
                        p["asDouble"].is_number() || is_decimal(&p["asInt"]),
                        "{ctx}: point value"
                    );
                    check_attributes(&p["attributes"], ctx);
                }
            }
        }
    }
}

/// Checks a Prometheus query_range response.
pub fn check_prom_json(v: &Value, ctx: &str) {
    assert_eq!(v["status"], "success", "{ctx}");
    assert_eq!(v["data"]["resultType"], "matrix", "{ctx}");
    let result = v["data"]["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: result"));
    assert!(!result.is_empty(), "{ctx}: empty result");
    for s in result {
        assert!(s["metric"]["__name__"].is_string(), "{ctx}: __name__");
        for pair in s["values"]
            .as_array()
            .unwrap_or_else(|| panic!("{ctx}: values"))
        {
            let pair = pair.as_array().unwrap_or_else(|| panic!("{ctx}: pair"));
            assert_eq!(pair.len(), 2, "{ctx}: pair length");
            assert!(pair[0].is_number(), "{ctx}: timestamp");
            let v = pair[1]
                .as_str()
                .unwrap_or_else(|| panic!("{ctx}: value must be a string"));
            assert!(v.parse::<f64>().is_ok(), "{ctx}: value {v}");
        }
    }
}

/// Splits an ALB log line into fields (quoted fields keep their spaces).
pub fn alb_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                cur.push(c);
                escaped = true;
            }
            '"' => quoted = !quoted,
            ' ' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Checks a whole bundle directory's files; returns the number of trace lines.
pub fn check_bundle(dir: &Path) -> usize {
    let mut traces = 0;
    for p in files(dir) {
        let n = name(&p);
        let ctx = format!("{}", p.display());
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        match n.as_str() {
            "traces.jsonl" => {
                for (i, l) in text.lines().enumerate() {
                    let v: Value =
                        serde_json::from_str(l).unwrap_or_else(|e| panic!("{ctx}:{}: {e}", i + 1));
                    check_trace_line(&v, &format!("{ctx}:{}", i + 1));
                    traces += 1;
                }
            }
            "logs.jsonl" => {
                for (i, l) in text.lines().enumerate() {
                    let v: Value =
                        serde_json::from_str(l).unwrap_or_else(|e| panic!("{ctx}:{}: {e}", i + 1));
                    check_log_line(&v, &format!("{ctx}:{}", i + 1));
                }
            }
            "metrics.jsonl" => {
                // Large: check a sample of the collection intervals.
                for (i, l) in text.lines().enumerate().filter(|(i, _)| i % 25 == 0) {
                    let v: Value =
                        serde_json::from_str(l).unwrap_or_else(|e| panic!("{ctx}:{}: {e}", i + 1));
                    check_metric_line(&v, &format!("{ctx}:{}", i + 1));
                }
            }
            "changes.jsonl" => {
                for (i, l) in text.lines().enumerate() {
                    let v: Value =
                        serde_json::from_str(l).unwrap_or_else(|e| panic!("{ctx}:{}: {e}", i + 1));
                    for k in ["time", "kind", "service", "version", "description"] {
                        assert!(v[k].is_string(), "{ctx}: {k}");
                    }
                    assert!(
                        matches!(
                            v["kind"].as_str(),
                            Some("deploy" | "config" | "flag" | "rollback")
                        ),
                        "{ctx}: kind"
                    );
                }
            }
            "metrics.json" => {
                let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                check_prom_json(&v, &ctx);
            }
            "metrics.prom" => {
                assert!(text.contains("# TYPE "), "{ctx}: no TYPE lines");
                for l in text.lines().filter(|l| !l.starts_with('#')) {
                    let parts: Vec<&str> = l.rsplitn(3, ' ').collect();
                    assert_eq!(parts.len(), 3, "{ctx}: {l}");
                    assert!(parts[0].parse::<i64>().is_ok(), "{ctx}: timestamp in {l}");
                    assert!(parts[1].parse::<f64>().is_ok(), "{ctx}: value in {l}");
                }
            }
            "session.har" => {
                let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert_eq!(v["log"]["version"], "1.2", "{ctx}");
                assert!(v["log"]["creator"]["name"].is_string(), "{ctx}");
                let entries = v["log"]["entries"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{ctx}: entries"));
                assert!(
                    entries.len() >= 2,
                    "{ctx}: the path and the failing request"
                );
                for e in entries {
                    assert!(e["startedDateTime"].is_string(), "{ctx}");
                    assert!(e["time"].is_number(), "{ctx}");
                    for k in [
                        "method",
                        "url",
                        "httpVersion",
                        "headers",
                        "queryString",
                        "cookies",
                        "headersSize",
                        "bodySize",
                    ] {
                        assert!(!e["request"][k].is_null(), "{ctx}: request.{k}");
                    }
                    for k in [
                        "status",
                        "statusText",
                        "httpVersion",
                        "headers",
                        "cookies",
                        "content",
                        "redirectURL",
                        "headersSize",
                        "bodySize",
                    ] {
                        assert!(!e["response"][k].is_null(), "{ctx}: response.{k}");
                    }
                    assert!(e["cache"].is_object(), "{ctx}: cache");
                    for k in ["send", "wait", "receive"] {
                        assert!(e["timings"][k].is_number(), "{ctx}: timings.{k}");
                    }
                    let headers = e["request"]["headers"].as_array().expect("headers");
                    assert!(
                        headers.iter().any(|h| h["name"] == "authorization"
                            && h["value"]
                                .as_str()
                                .is_some_and(|v| v.starts_with("Bearer "))),
                        "{ctx}: bearer header"
                    );
                    assert!(
                        headers.iter().any(|h| h["name"] == "cookie"),
                        "{ctx}: cookie"
                    );
                }
            }
            "truth.json" => {
                let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert!(
                    v["bucket"].is_string() && v["scenario"].is_string() && v["onset"].is_string(),
                    "{ctx}"
                );
            }
            "alb.log" => {
                for l in text.lines() {
                    let f = alb_fields(l);
                    assert_eq!(f.len(), 30, "{ctx}: ALB entries have 30 fields: {l}");
                    assert!(f[8].parse::<u16>().is_ok(), "{ctx}: elb_status_code");
                    assert!(f[17].starts_with("Root=1-"), "{ctx}: trace_id");
                }
            }
            "access.log" => {
                for l in text.lines() {
                    let q: Vec<&str> = l.split('"').collect();
                    assert_eq!(q.len(), 7, "{ctx}: combined + times: {l}");
                    let tail: Vec<&str> = q[6].split_whitespace().collect();
                    assert_eq!(
                        tail.len(),
                        2,
                        "{ctx}: request_time upstream_response_time: {l}"
                    );
                    let status: Vec<&str> = q[2].split_whitespace().collect();
                    assert!(status[0].parse::<u16>().is_ok(), "{ctx}: status");
                }
            }
            other if other.starts_with("openapi-") => {
                let v: Value = if other.ends_with(".json") {
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"))
                } else {
                    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"))
                };
                assert!(
                    v["openapi"].as_str().is_some_and(|s| s.starts_with("3.")),
                    "{ctx}: openapi"
                );
                let version = v["info"]["version"].as_str().unwrap_or_default();
                assert!(
                    other.contains(version),
                    "{ctx}: file named after info.version"
                );
                assert!(
                    v["paths"].as_object().is_some_and(|p| !p.is_empty()),
                    "{ctx}: paths"
                );
            }
            other => panic!("{ctx}: unexpected file {other}"),
        }
    }
    assert!(traces > 0, "{}: no traces", dir.display());
    traces
}
