//! Reader throughput, one benchmark per format: `cargo bench -p apitriage-ingest`.
//!
//! Each benchmark reads an in-memory input of a few MB through
//! [`apitriage_ingest::read_bytes`] (sniffing, the reader and folding every record into a
//! fresh [`Summary`]; the copy `read_bytes` makes of its input is included) and reports
//! bytes per second. Inputs come from the simulator, generated once into a temporary
//! directory: its OTLP/JSON traces and logs, ALB and nginx access logs, Prometheus text
//! and API JSON and HAR capture. Formats the simulator does not write are derived from
//! those: OTLP protobuf is the simulated traces re-encoded (length-prefixed, as the
//! Collector's file exporter writes it), Envoy and JSON-lines access logs are the
//! simulated nginx lines rewritten in Envoy's default format and as JSON objects, and
//! the HAR's entries are repeated to reach the size. Before measuring, every input is
//! read once and must give records and no skipped ones, so a benchmark never measures a
//! reader rejecting its input.

use std::path::{Path, PathBuf};
use std::time::Duration;

use apitriage_ingest::{read_bytes, IngestConfig};
use apitriage_model::Summary;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Size each input is brought to (cut at a line boundary, or repeated).
const TARGET_BYTES: usize = 4 << 20;

struct Bench {
    id: &'static str,
    /// The name given to `read_bytes` (some readers look at the extension).
    file: &'static str,
    bytes: Vec<u8>,
}

/// Temporary bundles, removed when the benchmarks end.
struct Bundles(PathBuf);

impl Drop for Bundles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn simulate(root: &Path, seed: u64) -> PathBuf {
    let dir = root.join(format!("seed-{seed}"));
    apitriage_sim::generate_sized(
        "payment-provider-timeout",
        seed,
        &apitriage_sim::SimOptions::default(),
        0.15,
        &dir,
    )
    .expect("simulate a bundle");
    dir
}

/// The first `TARGET_BYTES` of a line-oriented input, cut after a newline; repeated
/// first when shorter.
fn sized_lines(mut bytes: Vec<u8>) -> Vec<u8> {
    assert!(!bytes.is_empty());
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    let mut out = Vec::with_capacity(TARGET_BYTES + bytes.len());
    while out.len() < TARGET_BYTES {
        out.extend_from_slice(&bytes);
    }
    let cut = out[..TARGET_BYTES]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(out.len(), |n| n + 1);
    out.truncate(cut);
    out
}

fn find(dirs: &[PathBuf], file: &str) -> Vec<u8> {
    dirs.iter()
        .map(|d| d.join(file))
        .find(|p| p.exists())
        .map(|p| std::fs::read(p).expect("read a simulated file"))
        .unwrap_or_else(|| panic!("no simulated bundle has {file}"))
}

/// `24/Jan/2025:08:53:42 +0000` → `2025-01-24T08:53:42.000Z`.
fn clf_to_iso(t: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (day, rest) = t.split_once('/').expect("day");
    let (month, rest) = rest.split_once('/').expect("month");
    let (year, clock) = rest.split_once(':').expect("year");
    let clock = clock.split(' ').next().expect("clock");
    let m = MONTHS.iter().position(|x| *x == month).expect("month name") + 1;
    format!("{year}-{m:02}-{day:0>2}T{clock}.000Z")
}

/// One nginx combined line with `$request_time $upstream_response_time` appended, as
/// the simulator writes it.
struct Access<'a> {
    ip: &'a str,
    time: String,
    method: &'a str,
    path: &'a str,
    protocol: &'a str,
    status: &'a str,
    bytes: &'a str,
    agent: &'a str,
    seconds: f64,
}

fn parse_nginx(line: &str) -> Option<Access<'_>> {
    let (ip, rest) = line.split_once(' ')?;
    let rest = rest.split_once('[')?.1;
    let (time, rest) = rest.split_once("] \"")?;
    let (request, rest) = rest.split_once("\" ")?;
    let mut request = request.split(' ');
    let (method, path, protocol) = (request.next()?, request.next()?, request.next()?);
    let mut fields = rest.splitn(3, ' ');
    let (status, bytes, rest) = (fields.next()?, fields.next()?, fields.next()?);
    let rest = rest.split_once("\" \"")?.1;
    let (agent, rest) = rest.split_once('"')?;
    let seconds = rest.split_whitespace().next()?.parse().ok()?;
    Some(Access {
        ip,
        time: clf_to_iso(time),
        method,
        path,
        protocol,
        status,
        bytes,
        agent,
        seconds,
    })
}

fn rewrite_access(nginx: &[u8], line: impl Fn(usize, &Access) -> String) -> Vec<u8> {
    let text = std::str::from_utf8(nginx).expect("utf-8 access log");
    let mut out = String::new();
    for (n, a) in text.lines().filter_map(parse_nginx).enumerate() {
        out.push_str(&line(n, &a));
        out.push('\n');
    }
    assert!(!out.is_empty(), "no nginx line could be rewritten");
    out.into_bytes()
}

fn envoy(n: usize, a: &Access) -> String {
    let flags = if a.status.starts_with('5') { "UF" } else { "-" };
    let ms = (a.seconds * 1000.0).round() as u64;
    format!(
        "[{}] \"{} {} {}\" {} {} 0 {} {} {} \"{}\" \"{}\" \"{:08x}-0000-4000-8000-{:012x}\" \"api.example.com\" \"10.0.4.7:8080\"",
        a.time, a.method, a.path, a.protocol, a.status, flags, a.bytes, ms, ms, a.ip, a.agent, n, n
    )
}

fn json_line(n: usize, a: &Access) -> String {
    serde_json::json!({
        "time": a.time,
        "method": a.method,
        "path": a.path,
        "status": a.status.parse::<u16>().unwrap_or(0),
        "duration_ms": a.seconds * 1000.0,
        "service": "api-gateway",
        "version": "1.4.2",
        "trace_id": format!("{:032x}", n as u128 * 0x9e37_79b9_7f4a_7c15),
        "user_agent": a.agent,
        "client_ip": a.ip,
    })
    .to_string()
}

/// The simulated OTLP/JSON traces as length-prefixed OTLP protobuf requests.
fn protobuf(traces_jsonl: &[u8]) -> Vec<u8> {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    use prost::Message;
    let text = std::str::from_utf8(traces_jsonl).expect("utf-8 traces");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let request: ExportTraceServiceRequest =
            serde_json::from_str(line).expect("simulated traces decode as OTLP");
        let encoded = request.encode_to_vec();
        out.extend_from_slice(&(encoded.len() as u32).to_be_bytes());
        out.extend_from_slice(&encoded);
    }
    out
}

/// The HAR capture with its entries repeated until the document reaches the size.
fn big_har(har: &[u8]) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(har).expect("HAR is JSON");
    let entries = doc["log"]["entries"]
        .as_array()
        .cloned()
        .expect("HAR entries");
    assert!(!entries.is_empty());
    let per_round = serde_json::to_vec(&entries).expect("entries").len().max(1);
    let rounds = TARGET_BYTES.div_ceil(per_round);
    let all: Vec<serde_json::Value> = (0..rounds).flat_map(|_| entries.clone()).collect();
    doc["log"]["entries"] = serde_json::Value::Array(all);
    serde_json::to_vec(&doc).expect("HAR")
}

fn inputs(root: &Path) -> Vec<Bench> {
    // Which edge log and metrics format a bundle gets depends on the seed: simulate seeds
    // until every format is there.
    const NEEDED: [&str; 5] = [
        "access.log",
        "alb.log",
        "metrics.prom",
        "metrics.json",
        "session.har",
    ];
    let mut dirs: Vec<PathBuf> = Vec::new();
    for seed in 1..=24 {
        if NEEDED
            .iter()
            .all(|f| dirs.iter().any(|d| d.join(f).exists()))
        {
            break;
        }
        dirs.push(simulate(root, seed));
    }
    let nginx = find(&dirs, "access.log");
    let traces = sized_lines(find(&dirs, "traces.jsonl"));
    vec![
        Bench {
            id: "nginx_combined",
            file: "access.log",
            bytes: sized_lines(nginx.clone()),
        },
        Bench {
            id: "alb",
            file: "alb.log",
            bytes: sized_lines(find(&dirs, "alb.log")),
        },
        Bench {
            id: "envoy",
            file: "envoy.log",
            bytes: sized_lines(rewrite_access(&nginx, envoy)),
        },
        Bench {
            id: "jsonl_access",
            file: "access.jsonl",
            bytes: sized_lines(rewrite_access(&nginx, json_line)),
        },
        Bench {
            id: "otlp_json_traces",
            file: "traces.jsonl",
            bytes: traces.clone(),
        },
        Bench {
            id: "otlp_json_logs",
            file: "logs.jsonl",
            bytes: sized_lines(find(&dirs, "logs.jsonl")),
        },
        Bench {
            id: "otlp_protobuf_traces",
            file: "traces.binpb",
            bytes: protobuf(&traces),
        },
        Bench {
            id: "prometheus_text",
            file: "metrics.prom",
            bytes: sized_lines(find(&dirs, "metrics.prom")),
        },
        Bench {
            id: "prometheus_api_json",
            file: "metrics.json",
            bytes: find(&dirs, "metrics.json"),
        },
        Bench {
            id: "har",
            file: "session.har",
            bytes: big_har(&find(&dirs, "session.har")),
        },
    ]
}

fn read(bench: &Bench) -> Summary {
    let mut summary = Summary::new();
    read_bytes(
        bench.file,
        &bench.bytes,
        &IngestConfig::default(),
        &mut summary,
    );
    summary
}

fn parsers(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("apitriage-bench-parsers-{}", std::process::id()));
    let bundles = Bundles(root);
    let benches = inputs(&bundles.0);
    let mut group = c.benchmark_group("read_bytes");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for bench in &benches {
        let check = read(bench);
        assert!(
            check.input.records > 0 && check.input.skipped == 0,
            "{}: {} bytes gave {:?}",
            bench.id,
            bench.bytes.len(),
            check.input
        );
        group.throughput(Throughput::Bytes(bench.bytes.len() as u64));
        group.bench_function(bench.id, |b| b.iter(|| read(bench)));
    }
    group.finish();
}

criterion_group!(benches, parsers);
criterion_main!(benches);
