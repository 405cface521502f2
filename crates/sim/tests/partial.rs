//! Partial telemetry switches and volume scaling.

mod common;

use apitriage_sim::{generate_sized, Partial, SimOptions};

#[test]
fn partial_switches_remove_what_they_say() {
    let dir = common::scratch("partial");
    let opts = SimOptions {
        scale: 1,
        partial: Partial {
            no_span_status: true,
            metrics_60s: true,
            no_changes: true,
            no_spec: true,
            logs_without_trace_ids: true,
            no_har: true,
        },
        ..SimOptions::default()
    };
    let truth = generate_sized("database-failover", 4, &opts, 0.03, &dir).expect("bundle");
    assert_eq!(truth.partial.len(), 6);
    let names: Vec<String> = common::files(&dir)
        .iter()
        .map(|p| common::name(p))
        .collect();
    assert!(!names
        .iter()
        .any(|n| n == "session.har" || n == "changes.jsonl" || n.starts_with("openapi-")));
    common::check_bundle(&dir);
    let traces = std::fs::read_to_string(dir.join("traces.jsonl")).expect("traces");
    for key in [
        "http.response.status_code",
        "http.status_code",
        "error.type",
        "\"code\":2",
    ] {
        assert!(!traces.contains(key), "traces still carry {key}");
    }
    assert!(traces.contains("\"exception\""), "exception events remain");
    let logs = std::fs::read_to_string(dir.join("logs.jsonl")).expect("logs");
    assert!(!logs.contains("\"traceId\""));
    // Metrics at one-minute resolution, whatever the format.
    let metric_file = names
        .iter()
        .find(|n| n.starts_with("metrics"))
        .expect("metrics file");
    let text = std::fs::read_to_string(dir.join(metric_file)).expect("metrics");
    let stamps: Vec<i64> = match metric_file.as_str() {
        "metrics.json" => {
            let v: serde_json::Value = serde_json::from_str(&text).expect("json");
            v["data"]["result"][0]["values"]
                .as_array()
                .expect("values")
                .iter()
                .map(|p| p[0].as_i64().unwrap_or(0) * 1000)
                .collect()
        }
        "metrics.prom" => {
            let first = text.lines().find(|l| !l.starts_with('#')).expect("sample");
            let head = first.rsplitn(3, ' ').nth(2).expect("series").to_string();
            text.lines()
                .filter(|l| l.starts_with(&format!("{head} ")))
                .map(|l| {
                    l.rsplit(' ')
                        .next()
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0)
                })
                .collect()
        }
        _ => text
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json");
                let t = &v["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0];
                let p = if t["gauge"].is_object() {
                    &t["gauge"]
                } else {
                    &t["sum"]
                };
                p["dataPoints"][0]["timeUnixNano"]
                    .as_str()
                    .unwrap_or("0")
                    .parse::<i64>()
                    .unwrap_or(0)
                    / 1_000_000
            })
            .collect(),
    };
    assert!(stamps.len() > 10);
    for w in stamps.windows(2) {
        assert_eq!(w[1] - w[0], 60_000, "one-minute resolution");
    }
}

#[test]
fn scale_multiplies_request_volume() {
    let root = common::scratch("scale");
    let count = |scale: u32| {
        let dir = root.join(scale.to_string());
        generate_sized(
            "control-steady",
            9,
            &SimOptions {
                scale,
                ..SimOptions::default()
            },
            0.02,
            &dir,
        )
        .expect("bundle");
        let file = if dir.join("alb.log").exists() {
            "alb.log"
        } else {
            "access.log"
        };
        std::fs::read_to_string(dir.join(file))
            .expect("access log")
            .lines()
            .count() as f64
    };
    let one = count(1);
    let four = count(4);
    let ratio = four / one;
    assert!(
        (3.0..5.0).contains(&ratio),
        "scale 4 gives {ratio:.2}x the requests"
    );
}
