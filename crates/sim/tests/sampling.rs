//! `trace_sample` (collector head sampling): traces and the logs correlated to them
//! thin out in proportion to the fraction, while the access log and every other file
//! stay byte-identical.

mod common;

use std::path::Path;

use apitriage_sim::{generate_sized, SimError, SimOptions};

const SCENARIO: &str = "traffic-surge-pool-exhaustion";
const SEED: u64 = 3;
const VOLUME: f64 = 0.3;

fn bundle(name: &str, trace_sample: Option<f64>) -> std::path::PathBuf {
    let dir = common::scratch(name);
    let opts = SimOptions {
        scale: 1,
        trace_sample,
        ..SimOptions::default()
    };
    generate_sized(SCENARIO, SEED, &opts, VOLUME, &dir).expect("bundle");
    dir
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Spans in an OTLP/JSON traces file (`"spanId"` is not a suffix of `"parentSpanId"`).
fn spans(text: &str) -> usize {
    text.matches("\"spanId\"").count()
}

/// Log records correlated to a trace, and log records that are not.
fn log_records(text: &str) -> (usize, usize) {
    let records = text.matches("\"timeUnixNano\"").count();
    let correlated = text.matches("\"traceId\"").count();
    (correlated, records - correlated)
}

#[test]
fn sampling_thins_traces_and_their_logs_but_not_the_access_log() {
    let system = bundle("sample-system", None);
    let full = bundle("sample-full", Some(1.0));
    let quarter = bundle("sample-quarter", Some(0.25));

    let names: Vec<String> = common::files(&full)
        .iter()
        .map(|p| common::name(p))
        .collect();
    let names_q: Vec<String> = common::files(&quarter)
        .iter()
        .map(|p| common::name(p))
        .collect();
    assert_eq!(names, names_q, "sampling changes which files are written");
    let access = if names.iter().any(|n| n == "alb.log") {
        "alb.log"
    } else {
        "access.log"
    };
    let access_full = read(&full, access);
    let requests = access_full.lines().count();
    assert!(requests > 2000, "too few requests to measure: {requests}");
    assert_eq!(
        access_full,
        read(&quarter, access),
        "{access} must stay complete and identical"
    );
    for n in &names {
        if n != "traces.jsonl" && n != "logs.jsonl" {
            let bytes = std::fs::read(full.join(n)).expect("read");
            for other in [&quarter, &system] {
                assert_eq!(
                    bytes,
                    std::fs::read(other.join(n)).expect("read"),
                    "{n} differs with trace sampling"
                );
            }
        }
    }
    // Keeping every trace keeps every log the system's own sampling keeps.
    assert_eq!(read(&full, "logs.jsonl"), read(&system, "logs.jsonl"));

    let (traces_full, traces_q) = (read(&full, "traces.jsonl"), read(&quarter, "traces.jsonl"));
    let (lines_full, lines_q) = (traces_full.lines().count(), traces_q.lines().count());
    let (spans_full, spans_q) = (spans(&traces_full), spans(&traces_q));
    assert!(lines_full > 1000, "too few traces to measure: {lines_full}");
    let line_ratio = lines_q as f64 / lines_full as f64;
    let span_ratio = spans_q as f64 / spans_full as f64;
    for (what, ratio) in [("trace lines", line_ratio), ("spans", span_ratio)] {
        assert!(
            (0.18..=0.32).contains(&ratio),
            "{what}: kept {ratio:.3} at trace_sample 0.25"
        );
    }
    // Every kept trace is one of the full bundle's, unchanged.
    let full_set: std::collections::HashSet<&str> = traces_full.lines().collect();
    assert!(
        traces_q.lines().all(|l| full_set.contains(l)),
        "sampled traces are not a subset of the full bundle's"
    );

    let (logs_full, logs_q) = (read(&full, "logs.jsonl"), read(&quarter, "logs.jsonl"));
    let ((corr_full, bg_full), (corr_q, bg_q)) = (log_records(&logs_full), log_records(&logs_q));
    assert!(corr_full > 500, "too few correlated logs: {corr_full}");
    let log_ratio = corr_q as f64 / corr_full as f64;
    assert!(
        (0.15..=0.35).contains(&log_ratio),
        "correlated log records: kept {log_ratio:.3} at trace_sample 0.25"
    );
    assert_eq!(
        bg_full, bg_q,
        "uncorrelated (background) logs must all stay"
    );

    // Same seed, same bytes.
    let again = bundle("sample-quarter-again", Some(0.25));
    assert_eq!(traces_q, read(&again, "traces.jsonl"));
    assert_eq!(logs_q, read(&again, "logs.jsonl"));
}

#[test]
fn trace_sample_out_of_range_is_rejected() {
    for bad in [0.0, -0.5, 1.5, f64::NAN] {
        let dir = common::scratch("sample-bad");
        let opts = SimOptions {
            trace_sample: Some(bad),
            ..SimOptions::default()
        };
        match generate_sized(SCENARIO, SEED, &opts, 0.01, &dir) {
            Err(SimError::InvalidOption(_)) => {}
            other => panic!("trace_sample {bad}: expected InvalidOption, got {other:?}"),
        }
    }
}
