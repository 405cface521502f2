//! Bad input: every case gives a located message, is counted as skipped, and never
//! panics; what could be read is kept.

use apitriage_ingest::{read_bytes, IngestConfig};
use apitriage_model::Summary;

fn read(name: &str, bytes: &[u8]) -> Summary {
    let mut s = Summary::new();
    read_bytes(name, bytes, &IngestConfig::default(), &mut s);
    s
}

const SPAN_LINE: &str = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /x","kind":2,"startTimeUnixNano":"1764165730000000000","endTimeUnixNano":"1764165730100000000"}]}]}]}"#;

#[test]
fn truncated_gzip_keeps_what_came_before_and_says_where() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for _ in 0..200 {
        writeln!(enc, "{SPAN_LINE}").unwrap();
    }
    let gz = enc.finish().unwrap();
    let cut = &gz[..gz.len() * 2 / 3];
    let s = read("cut.jsonl.gz", cut);
    assert!(s.input.records > 0, "lines before the cut are kept");
    assert!(s.input.records < 200);
    assert_eq!(s.input.skipped, 1);
    assert!(
        s.input.problems[0].contains("cut.jsonl.gz") && s.input.problems[0].contains("byte"),
        "{:?}",
        s.input.problems
    );
}

#[test]
fn invalid_utf8_and_wrong_types_are_located_by_line() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(SPAN_LINE.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(b"{\"resourceSpans\":[{\"x\":\"\xff\xfe\"}]}\n");
    bytes.extend_from_slice(
        SPAN_LINE
            .replace("\"kind\":2", "\"kind\":\"server\"")
            .as_bytes(),
    );
    bytes.push(b'\n');
    bytes.extend_from_slice(SPAN_LINE.as_bytes());
    bytes.push(b'\n');
    let s = read("spans.jsonl", &bytes);
    assert_eq!(s.input.records, 2);
    assert_eq!(s.input.skipped, 2);
    let p = s.input.problems.join("\n");
    assert!(p.contains("spans.jsonl:2: invalid UTF-8"), "{p}");
    assert!(
        p.contains("spans.jsonl:3: not a valid OTLP/JSON traces request"),
        "{p}"
    );
}

#[test]
fn an_over_long_line_is_skipped_without_buffering_it() {
    let cfg = IngestConfig {
        max_line_bytes: 1024,
        ..IngestConfig::default()
    };
    let mut bytes = Vec::new();
    bytes.extend_from_slice(SPAN_LINE.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(b"{\"resourceSpans\":[");
    bytes.extend(std::iter::repeat_n(b' ', 5000));
    bytes.extend_from_slice(b"]}\n");
    bytes.extend_from_slice(SPAN_LINE.as_bytes());
    let mut s = Summary::new();
    read_bytes("big.jsonl", &bytes, &cfg, &mut s);
    assert_eq!(s.input.records, 2);
    assert_eq!(s.input.skipped, 1);
    assert!(
        s.input.problems[0].contains("big.jsonl:2") && s.input.problems[0].contains("longer than")
    );
}

#[test]
fn a_100_mb_single_line_is_skipped_at_the_default_limit() {
    // A valid line, then 100 MB on one line: the default limit is 32 MiB, so the long
    // line is skipped as it streams past, and the lines around it are kept.
    let mut bytes = Vec::with_capacity(100 * 1024 * 1024 + 2000);
    bytes.extend_from_slice(SPAN_LINE.as_bytes());
    bytes.extend_from_slice(b"\n{\"resourceSpans\":\"");
    bytes.resize(100 * 1024 * 1024, b'x');
    bytes.extend_from_slice(b"\"}\n");
    bytes.extend_from_slice(SPAN_LINE.as_bytes());
    let s = read("huge.jsonl", &bytes);
    assert_eq!((s.input.records, s.input.skipped), (2, 1));
    assert!(
        s.input.problems[0].contains("huge.jsonl:2"),
        "{:?}",
        s.input.problems
    );
}

#[test]
fn json_of_the_wrong_shape() {
    let s = read(
        "h.har",
        br#"{"log": {"version": "1.2", "creator": {}, "entries": {"not": "an array"}}}"#,
    );
    assert_eq!(s.input.skipped, 1);
    assert!(
        s.input.problems[0].contains("log.entries"),
        "{:?}",
        s.input.problems
    );
    let s = read("m.json", br#"{"status":"error","errorType":"bad_data","error":"parse error","data":{"resultType":"matrix","result":[]}}"#);
    assert_eq!(s.input.skipped, 1);
    let s = read("c.jsonl", b"{\"time\":\"2025-11-26T14:00:00Z\",\"kind\":\"deploy\",\"service\":\"a\"}\n{\"time\":\"yesterday\",\"kind\":\"deploy\"}\n");
    assert_eq!((s.input.records, s.input.skipped), (1, 1));
    assert!(s.input.problems[0].contains("c.jsonl:2"));
}

#[test]
fn empty_files_are_noted_not_counted() {
    let s = read("empty.jsonl", b"");
    assert_eq!(s.input.skipped, 0);
    assert_eq!(s.input.ignored, vec!["empty.jsonl: empty file".to_string()]);
}

#[test]
fn timestamps_in_every_unit() {
    for t in [
        "1764165730",
        "1764165730000",
        "1764165730000000",
        "1764165730000000000",
        "\"2025-11-26T14:02:10Z\"",
    ] {
        let line = format!("{{\"time\": {t}, \"kind\": \"deploy\", \"service\": \"a\"}}\n");
        let s = read("c.jsonl", line.as_bytes());
        assert_eq!(s.changes.len(), 1, "{t}");
        assert_eq!(s.changes[0].time / 1_000_000_000, 1764165730, "{t}");
    }
}

#[test]
fn bad_yaml_openapi() {
    let s = read("o.yaml", b"openapi: 3.0.0\ninfo: [unclosed\n");
    assert_eq!(s.input.skipped, 1);
    assert!(
        s.input.problems[0].contains("o.yaml") && s.input.problems[0].contains("YAML"),
        "{:?}",
        s.input.problems
    );
}

#[test]
fn a_large_file_read_in_parallel_chunks_equals_a_sequential_read() {
    // Just over five chunks of OTLP span lines, with one bad line in a later chunk.
    let dir = std::env::temp_dir().join(format!("apitriage-chunks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spans.jsonl");
    let line = format!("{SPAN_LINE}\n");
    let cfg = IngestConfig {
        chunk_bytes: 64 * 1024,
        ..IngestConfig::default()
    };
    let n = (cfg.chunk_bytes as usize * 5 + 4096) / line.len() + 1;
    let mut text = String::with_capacity(n * line.len() + 100);
    for i in 0..n {
        if i == n * 3 / 4 {
            text.push_str("{\"resourceSpans\": oops}\n");
        }
        text.push_str(&line);
    }
    std::fs::write(&path, &text).unwrap();
    let mut chunked = Summary::new();
    apitriage_ingest::read_file(&path, &cfg, &mut chunked);
    let mut whole = Summary::new();
    read_bytes(
        "spans.jsonl",
        text.as_bytes(),
        &IngestConfig::default(),
        &mut whole,
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(chunked.input.records, n as u64);
    assert_eq!(chunked.input.records, whole.input.records);
    assert_eq!((chunked.input.files, chunked.input.skipped), (1, 1));
    assert!(
        chunked.input.problems[0].contains("byte "),
        "{:?}",
        chunked.input.problems
    );
    chunked.finish();
    whole.finish();
    assert_eq!(
        chunked.canonical().replace("spans.jsonl", ""),
        whole.canonical().replace("spans.jsonl", "")
    );
}

#[test]
fn a_schema_document_that_is_not_openapi_says_what_is_missing() {
    // Opens like a sorted OpenAPI document, so it is read as one, and refused by name.
    let s = read(
        "events.json",
        br#"{"components": {"schemas": {"A": {"type": "object"}}}, "asyncapi": "2.6.0"}"#,
    );
    assert!(s.specs.is_empty());
    assert_eq!(s.input.skipped, 1);
    assert!(
        s.input.problems[0].contains("events.json")
            && s.input.problems[0].contains("no top-level `openapi` field"),
        "{:?}",
        s.input.problems
    );
}
