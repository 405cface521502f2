//! The Summary's two hot operations: `cargo bench -p apitriage-model`.
//!
//! - `merge/*`: [`Summary::merge`] of two realistic Summaries, as `read_paths` does for
//!   every file and chunk read in parallel. The Summaries are built by reading a
//!   simulated incident bundle (`apitriage-sim`, through `apitriage-ingest`):
//!   `halves` merges the Summaries of the two halves of the OTLP traces (same services,
//!   endpoints and time buckets: mostly cell-by-cell additions), `files` merges the
//!   traces' Summary into the Summary of every other file of the bundle (logs, access
//!   log, metrics, HAR: mostly new keys). The clone of the receiving Summary is set up
//!   outside the measurement.
//! - `add_request`: folding one [`RequestRecord`] into a Summary, per record, over a
//!   hour of synthetic but realistic traffic (8 services, 40 routes with ids in paths,
//!   regions, tenants, users and app versions as dimensions, 2% server errors).

use std::path::{Path, PathBuf};
use std::time::Duration;

use apitriage_ingest::{read_bytes, IngestConfig};
use apitriage_model::{RequestRecord, Summary};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

struct Bundle(PathBuf);

impl Drop for Bundle {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(name: &str, bytes: &[u8]) -> Summary {
    let mut s = Summary::new();
    read_bytes(name, bytes, &IngestConfig::default(), &mut s);
    assert!(s.input.records > 0, "{name}: {:?}", s.input);
    s
}

/// The Summaries of the two halves of the traces, of the whole traces, and of every
/// other file of the bundle.
fn summaries(dir: &Path) -> (Summary, Summary, Summary, Summary) {
    apitriage_sim::generate_sized(
        "payment-provider-timeout",
        1,
        &apitriage_sim::SimOptions::default(),
        0.2,
        dir,
    )
    .expect("simulate a bundle");
    let traces = std::fs::read(dir.join("traces.jsonl")).expect("traces");
    let middle = traces[..traces.len() / 2]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    let first = read("traces.jsonl", &traces[..middle]);
    let second = read("traces.jsonl", &traces[middle..]);
    let all_traces = read("traces.jsonl", &traces);
    let mut others = Summary::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("bundle")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "traces.jsonl" && n != "truth.json")
        .collect();
    names.sort();
    for name in names {
        let bytes = std::fs::read(dir.join(&name)).expect("bundle file");
        read_bytes(&name, &bytes, &IngestConfig::default(), &mut others);
    }
    (first, second, all_traces, others)
}

/// A small deterministic generator (xorshift64*), so the records are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct OwnedRequest {
    time: i64,
    service: String,
    method: &'static str,
    route: String,
    status: u16,
    duration_ms: f64,
    trace_id: String,
    version: String,
    dims: Vec<(&'static str, String)>,
}

fn requests(count: usize) -> Vec<OwnedRequest> {
    const SERVICES: [&str; 8] = [
        "api-gateway",
        "checkout",
        "catalog",
        "payments",
        "orders",
        "users",
        "search",
        "inventory",
    ];
    const RESOURCES: [&str; 5] = ["orders", "items", "carts", "users", "payments"];
    const REGIONS: [&str; 3] = ["eu-west-1", "us-east-1", "ap-northeast-1"];
    const METHODS: [&str; 4] = ["GET", "GET", "POST", "PUT"];
    let start = 1_746_280_000_000_000_000i64;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|n| {
            let service = SERVICES[rng.below(8) as usize];
            let resource = RESOURCES[rng.below(5) as usize];
            let route = match rng.below(4) {
                0 => format!("/v1/{resource}"),
                1 => format!("/v1/{resource}/{}", rng.below(100_000)),
                2 => format!("/v1/{resource}/ord_{:x}/lines", rng.next() >> 36),
                _ => format!("/v2/{resource}/{}/status", rng.below(5_000)),
            };
            let status = match rng.below(100) {
                0 | 1 => 503,
                2..=4 => 404,
                5 => 422,
                _ => 200,
            };
            OwnedRequest {
                time: start + (n as i64) * (3_600_000_000_000 / count as i64),
                service: service.to_string(),
                method: METHODS[rng.below(4) as usize],
                route,
                status,
                duration_ms: 5.0 + (rng.below(20_000) as f64) / 10.0,
                trace_id: format!("{:016x}{:016x}", rng.next(), rng.next()),
                version: format!("5.{}.{}", 20 + rng.below(2), rng.below(4)),
                dims: vec![
                    ("region", REGIONS[rng.below(3) as usize].to_string()),
                    ("tenant", format!("tenant-{}", rng.below(50))),
                    ("user", format!("u{}", rng.below(20_000))),
                    ("app.version", format!("6.{}.0", rng.below(6))),
                ],
            }
        })
        .collect()
}

fn add_all(records: &[OwnedRequest]) -> Summary {
    let mut s = Summary::new();
    let mut dims: Vec<(&str, &str)> = Vec::with_capacity(4);
    for r in records {
        dims.clear();
        dims.extend(r.dims.iter().map(|(k, v)| (*k, v.as_str())));
        s.add_request(&RequestRecord {
            time: r.time,
            service: &r.service,
            method: r.method,
            route: &r.route,
            status: Some(r.status),
            duration_ms: Some(r.duration_ms),
            trace_id: Some(&r.trace_id),
            version: Some(&r.version),
            dims: &dims,
            ..Default::default()
        });
    }
    s
}

fn merge(c: &mut Criterion) {
    let dir =
        Bundle(std::env::temp_dir().join(format!("apitriage-bench-merge-{}", std::process::id())));
    let (first, second, traces, others) = summaries(&dir.0);
    let mut group = c.benchmark_group("merge");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("halves", |b| {
        b.iter_batched(
            || first.clone(),
            |mut s| {
                s.merge(&second);
                s
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("files", |b| {
        b.iter_batched(
            || others.clone(),
            |mut s| {
                s.merge(&traces);
                s
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let records = requests(200_000);
    let mut group = c.benchmark_group("summary");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("add_request", |b| b.iter(|| add_all(&records)));
    group.finish();
}

criterion_group!(benches, merge);
criterion_main!(benches);
