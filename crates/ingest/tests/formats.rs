//! Readers on fixtures written from each format's own documentation: the OTLP JSON
//! encoding (current and older semantic conventions, partial records), HAR 1.2, the
//! Prometheus HTTP API and text exposition, change events and OpenAPI.

use apitriage_ingest::{read_bytes, read_paths, IngestConfig};
use apitriage_model::summary::{NO_STATUS_ERROR, NO_STATUS_OK};
use apitriage_model::Summary;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> Summary {
    read_paths(&[fixture(name)], &IngestConfig::default(), &|_| {}).expect("fixture readable")
}

/// (service, endpoint, status counts) of every request cell.
type EndpointRow = (String, String, Vec<(u16, u32)>);

fn endpoints(s: &Summary) -> Vec<EndpointRow> {
    let mut v: Vec<_> = s
        .requests
        .iter()
        .map(|(k, c)| {
            (
                s.s(k.service).to_string(),
                s.s(k.endpoint).to_string(),
                c.statuses.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_directory_mixing_every_format_reads_with_zero_skipped() {
    let s = read("mixed");
    assert_eq!(s.input.skipped, 0, "problems: {:?}", s.input.problems);
    for kind in [
        "traces",
        "logs",
        "metrics",
        "har",
        "changes",
        "openapi",
        "access_log",
    ] {
        let k = s
            .input
            .kinds
            .get(kind)
            .unwrap_or_else(|| panic!("kind {kind} missing: {:?}", s.input.kinds));
        assert!(k.records > 0, "{kind} has no records");
    }
    // README and the PNG are noted, not read and not counted as skipped.
    assert_eq!(s.input.ignored.len(), 2, "{:?}", s.input.ignored);
    assert!(s
        .input
        .ignored
        .iter()
        .any(|m| m.contains("logo.png") && m.contains("binary")));
}

#[test]
fn otlp_spans_current_and_old_conventions() {
    let s = read("mixed/traces.jsonl");
    let eps = endpoints(&s);
    assert!(
        eps.contains(&("checkout".into(), "POST /checkout".into(), vec![(504, 1)])),
        "{eps:?}"
    );
    // Old names: http.method + http.target (query dropped, id templated) + http.status_code.
    assert!(
        eps.contains(&(
            "legacy-orders".into(),
            "GET /orders/{id}".into(),
            vec![(NO_STATUS_OK, 1), (200, 1)]
        )),
        "{eps:?}"
    );
    // The client span is a downstream of checkout's endpoint, named by peer.service.
    let edges: Vec<(String, String, String)> = s
        .edges
        .keys()
        .map(|(a, b, c)| (s.s(*a).into(), s.s(*b).into(), s.s(*c).into()))
        .collect();
    assert!(
        edges.contains(&(
            "checkout".into(),
            "POST /checkout".into(),
            "payments-provider".into()
        )),
        "{edges:?}"
    );
    assert!(
        edges.contains(&(
            "legacy-orders".into(),
            "GET /orders/{id}".into(),
            "orders-db".into()
        )),
        "{edges:?}"
    );
    // The exception span event became an error signature with its type.
    assert!(s
        .signatures
        .iter()
        .any(|(_, st)| st.exception_type == "java.net.SocketTimeoutException"));
    // Dimensions from the resource and the span: region, user, client app and version.
    for dim in ["region", "user", "client_app", "client_version", "release"] {
        assert!(
            s.dims.keys().any(|k| s.s(*k) == dim),
            "dimension {dim} missing"
        );
    }
    assert_eq!(s.input.records, 6);
}

#[test]
fn otlp_logs_with_and_without_trace_ids_and_java_stack_traces() {
    let s = read("mixed/logs.jsonl");
    assert_eq!(s.input.records, 3);
    assert_eq!(s.input.skipped, 0);
    // The NPE was parsed out of the body's stack trace.
    assert!(s.signatures.iter().any(|(_, st)| st.exception_type
        == "java.lang.NullPointerException"
        && st.example.starts_with("Cannot invoke")));
}

#[test]
fn otlp_metrics_gauges_sums_and_histograms() {
    let s = read("mixed/metrics.jsonl");
    let names: Vec<&str> = s.metrics.iter().map(|(_, m)| m.name.as_str()).collect();
    for n in [
        "hikaricp.connections.pending",
        "http.server.request.duration_count",
        "http.server.request.duration_sum",
        "jvm.gc.duration",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    let gc = s
        .metrics
        .iter()
        .find(|(_, m)| m.name == "jvm.gc.duration")
        .unwrap()
        .1;
    assert!(gc.cumulative && gc.service == "checkout");
}

#[test]
fn prometheus_api_and_text_exposition() {
    let s = read("mixed/prometheus-range.json");
    assert_eq!(s.input.records, 5);
    let s = read("mixed/node.prom");
    assert_eq!(s.input.records, 3);
    let c = s
        .metrics
        .iter()
        .find(|(_, m)| m.name == "http_server_requests_seconds_count")
        .unwrap()
        .1;
    assert!(c.cumulative);
}

#[test]
fn har_entries_are_redacted_exchanges() {
    let s = read("mixed/session.har");
    assert_eq!(s.exchanges.len(), 2);
    let all = format!("{:?}", s.exchanges);
    for secret in ["eyJzdWIi", "s3cr3t", "hunter2", "tok_123", "session=abc"] {
        assert!(!all.contains(secret), "{secret} leaked");
    }
    let failing = &s.exchanges[1];
    assert_eq!(
        (
            failing.method.as_str(),
            failing.path.as_str(),
            failing.status
        ),
        ("POST", "/checkout", 504)
    );
}

#[test]
fn changes_and_openapi() {
    let s = read("mixed/changes.jsonl");
    assert_eq!(s.changes.len(), 2);
    let s = read("mixed/openapi.yaml");
    assert_eq!(s.specs.len(), 1);
    assert_eq!(s.specs[0].version, "2.14.0");
}

#[test]
fn json_openapi_with_sorted_keys_is_recognised() {
    // Sorted keys put "components" first; with enough schemas, "openapi" and "paths"
    // lie past the part of the file the readers look at to recognise it.
    let mut schemas = serde_json::Map::new();
    for i in 0..200 {
        schemas.insert(
            format!("Schema{i}"),
            serde_json::json!({"type": "object", "properties": {"id": {"type": "string"}}}),
        );
    }
    let doc = serde_json::json!({
        "components": {"schemas": schemas},
        "info": {"title": "Orders", "version": "3.1.0"},
        "openapi": "3.0.3",
        "paths": {"/orders": {"get": {"responses": {"200": {"description": "ok"}}}}}
    });
    let text = serde_json::to_string_pretty(&doc).expect("serialisable");
    assert!(text.find("\"openapi\"").expect("present") > 8192);
    let dir = std::env::temp_dir().join(format!("apitriage-sorted-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("openapi.json");
    std::fs::write(&path, text).expect("written");
    let s = read_paths(&[path], &IngestConfig::default(), &|_| {}).expect("readable");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(s.specs.len(), 1, "{:?}", s.input);
    assert_eq!(s.specs[0].version, "3.1.0");
}

#[test]
fn gzip_is_read_transparently() {
    let plain = read("mixed/traces.jsonl");
    let gz = read("traces.jsonl.gz");
    assert_eq!(plain.input.records, gz.input.records);
    assert_eq!(gz.input.skipped, 0);
}

#[test]
fn spans_without_status_codes_count_as_unknown_not_failed() {
    let line = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,"startTimeUnixNano":"1764165730000000000","endTimeUnixNano":"1764165730100000000"},{"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b175","name":"GET /cart","kind":2,"startTimeUnixNano":"1764165731000000000","endTimeUnixNano":"1764165731100000000","status":{"code":2}}]}]}]}"#;
    let mut s = Summary::new();
    read_bytes("t.jsonl", line.as_bytes(), &IngestConfig::default(), &mut s);
    let eps = endpoints(&s);
    assert_eq!(
        eps,
        vec![(
            "cart".into(),
            "GET /cart".into(),
            vec![(NO_STATUS_OK, 1), (NO_STATUS_ERROR, 1)]
        )]
    );
}

#[test]
fn zstd_is_read_transparently() {
    let plain = std::fs::read(fixture("mixed/logs.jsonl")).unwrap();
    let zst = ruzstd::encoding::compress_to_vec(
        plain.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    assert_eq!(&zst[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
    let mut s = Summary::new();
    read_bytes("logs.bin", &zst, &IngestConfig::default(), &mut s);
    assert_eq!((s.input.records, s.input.skipped), (3, 0));
    // A truncated zstd stream keeps what came before and says so.
    let mut cut = Summary::new();
    read_bytes(
        "logs.zst",
        &zst[..zst.len() / 2],
        &IngestConfig::default(),
        &mut cut,
    );
    assert!(cut.input.skipped >= 1, "{:?}", cut.input);
}

#[test]
fn otlp_protobuf_single_and_length_prefixed() {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    use prost::Message;
    let text = std::fs::read_to_string(fixture("mixed/traces.jsonl")).unwrap();
    let reqs: Vec<ExportTraceServiceRequest> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One request per file.
    let one = reqs[0].encode_to_vec();
    let mut s = Summary::new();
    read_bytes("spans.pb", &one, &IngestConfig::default(), &mut s);
    assert_eq!((s.input.records, s.input.skipped), (3, 0), "{:?}", s.input);
    // Several, each preceded by its length (4 bytes, big-endian).
    let mut framed = Vec::new();
    for r in &reqs {
        let b = r.encode_to_vec();
        framed.extend_from_slice(&(b.len() as u32).to_be_bytes());
        framed.extend_from_slice(&b);
    }
    let mut s = Summary::new();
    read_bytes("spans.binpb", &framed, &IngestConfig::default(), &mut s);
    assert_eq!((s.input.records, s.input.skipped), (6, 0), "{:?}", s.input);
    // The same spans as JSON give the same Summary.
    let mut j = Summary::new();
    read_bytes(
        "spans.jsonl",
        text.as_bytes(),
        &IngestConfig::default(),
        &mut j,
    );
    s.finish();
    j.finish();
    assert_eq!(s.canonical(), j.canonical());
    // Garbage with a protobuf name is a located error, not a panic.
    let mut g = Summary::new();
    // (and a Prometheus label escaping a multi-byte character is read, not a panic)
    let mut p = Summary::new();
    read_bytes(
        "esc.prom",
        "# TYPE x counter\nx{service=\"a\\éb\"} 5 1746283360000\n".as_bytes(),
        &IngestConfig::default(),
        &mut p,
    );
    assert_eq!((p.input.records, p.input.skipped), (1, 0), "{:?}", p.input);
    read_bytes(
        "junk.pb",
        b"\xff\xff\xff\xff\x00garbage",
        &IngestConfig::default(),
        &mut g,
    );
    assert_eq!(g.input.skipped, 1);
}
