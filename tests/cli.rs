//! The outside contract of INTERFACE.md, exercised through the binary: verbs, exit
//! codes, the JSON shapes acceptance checks read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apitriage"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// The JSON of a run that must have succeeded (its stderr shown when it did not).
fn ok_json(out: &Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(out)
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let ex = example();
    let plain = run(&["triage", &ex, "--format", "json", "-q"]);
    let timed = run(&["triage", &ex, "--format", "json", "-q", "--timings"]);
    let (a, b) = (ok_json(&plain), ok_json(&timed));
    assert_eq!(a["verdict"], b["verdict"]);
    let err = String::from_utf8_lossy(&timed.stderr);
    assert!(err.contains("timings: read"), "{err}");
    assert!(err.contains("request cells"), "{err}");
    assert!(plain.stderr.is_empty());
}

fn example() -> String {
    root()
        .join("examples/checkout-timeouts")
        .display()
        .to_string()
}

#[test]
fn triage_json_follows_schema_version_1() {
    let out = run(&["triage", &example(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["schema_version"], 1);
    let v = &r["verdict"];
    let bucket = v["bucket"].as_str().unwrap();
    assert!([
        "contract",
        "dependency",
        "capacity",
        "code_path",
        "inconclusive"
    ]
    .contains(&bucket));
    let conf = v["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&conf));
    let sum: f64 = ["contract", "dependency", "capacity", "code_path"]
        .iter()
        .map(|b| v["scores"][b].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 0.01, "scores sum to {sum}");
    for key in ["service", "endpoint", "dependency"] {
        assert!(v["culprit"].get(key).is_some(), "culprit.{key} missing");
    }
    assert!(r["failure_mode"].is_array());
    assert!(r["blast_radius"]["scope"].is_string());
    assert!(r["blast_radius"]["after_deploy"].is_boolean());
    assert!(r["findings"].as_array().is_some_and(|f| !f.is_empty()));
    for f in r["findings"].as_array().unwrap() {
        for key in ["check", "bucket", "strength", "summary", "evidence"] {
            assert!(f.get(key).is_some(), "finding without {key}: {f}");
        }
        // Evidence over assertion: a finding that argues for a bucket shows its figures.
        if f["strength"].as_f64().unwrap() > 0.0 {
            assert!(
                f["evidence"].as_array().is_some_and(|e| !e.is_empty()),
                "finding without evidence: {f}"
            );
        }
    }
    assert!(r["next_check"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(r["avoid_first"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(r["mitigation"].as_array().is_some_and(|m| !m.is_empty()));
    assert_eq!(r["input"]["skipped"], 0);
    assert!(r["input"]["records"].as_u64().unwrap() > 1000);
    // The bundled example is a payment-provider outage; its label sits beside it.
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/checkout-timeouts.truth.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["bucket"], truth["bucket"]);
    assert_eq!(v["culprit"]["service"], truth["culprit"]["service"]);
}

#[test]
fn same_input_same_bytes() {
    let a = run(&["triage", &example(), "--format", "json"]);
    let b = run(&["triage", &example(), "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn text_and_markdown_reports() {
    let out = run(&["triage", &example()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Verdict: DEPENDENCY"), "{text}");
    assert!(!text.contains('\x1b'), "NO_COLOR is honoured");
    assert!(
        text.lines()
            .filter(|l| !l.contains("http") && !l.contains('{'))
            .all(|l| l.chars().count() <= 80),
        "80 columns:\n{text}"
    );
    let out = run(&["triage", &example(), "--format", "markdown"]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("| What you see first | Most likely bucket | Fastest next check | What to avoid doing first |"));
}

#[test]
fn secrets_in_the_har_never_reach_any_output() {
    for format in ["text", "json", "markdown", "html"] {
        let out = run(&["triage", &example(), "--format", format]);
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(!s.contains("Bearer ey"), "{format} leaked a bearer token");
        assert!(
            !s.to_ascii_lowercase().contains("cookie: "),
            "{format} leaked a cookie"
        );
    }
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let out = run(&["triage", "/no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/dir"));
    let out = run(&["triage", &example(), "--at", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inputs_with_no_telemetry_are_a_usage_error_naming_the_files() {
    let dir = std::env::temp_dir().join(format!("apitriage-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = run(&["triage", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.join("notes.txt"), "just some words\n").unwrap();
    let out = run(&["triage", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.txt"));
    let out = run(&[
        "triage",
        &example(),
        "--request",
        dir.join("notes.txt").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn stray_timestamps_and_early_at_do_not_crash() {
    let dir = std::env::temp_dir().join(format!("apitriage-stray-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A span stamped 1970 and one at the end of time, next to a real bundle.
    let span = |t: &str| {
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"odd"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /x","kind":2,"startTimeUnixNano":"{t}","endTimeUnixNano":"{t}"}}]}}]}}]}}"#
        )
    };
    std::fs::write(
        dir.join("odd.jsonl"),
        format!(
            "{}\n{}\n{}\n",
            span("1000000000"),
            span("9223372036854775807"),
            span("18446744073709551615")
        ),
    )
    .unwrap();
    let out = run(&[
        "triage",
        dir.to_str().unwrap(),
        &example(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(json(&out)["input"]["skipped"].as_u64().unwrap() >= 1);
    let out = run(&[
        "triage",
        &example(),
        "--at",
        "2001-01-01T00:00:00Z",
        "--format",
        "json",
    ]);
    let r = ok_json(&out);
    let sum: f64 = r["verdict"]["scores"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-9, "{sum}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn spec_diff_and_fail_on() {
    let dir = root().join("crates/spec/tests/fixtures/petstore");
    let (v1, v2) = (dir.join("v1.yaml"), dir.join("v2.yaml"));
    let args = |extra: &[&str]| {
        let mut a = vec![
            "spec",
            "diff",
            v1.to_str().unwrap(),
            v2.to_str().unwrap(),
            "--format",
            "json",
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let out = bin().args(args(&[])).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = json(&out);
    assert_eq!(r["verdict"], "breaking");
    let change = &r["changes"][0];
    for key in ["id", "severity", "method", "path", "detail"] {
        assert!(change.get(key).is_some(), "change without {key}");
    }
    let out = bin()
        .args(args(&["--fail-on", "breaking"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["spec", "diff", v1.to_str().unwrap(), "/no/such.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn spec_check_lists_violations() {
    let spec = root().join("examples/checkout-timeouts/openapi-5.22.7.yaml");
    let har = root().join("examples/checkout-timeouts/session.har");
    let out = run(&[
        "spec",
        "check",
        "--spec",
        spec.to_str().unwrap(),
        har.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let r = ok_json(&out);
    assert!(r["checked"].as_u64().unwrap() > 0);
    assert!(r["violations"].is_array());
}

#[test]
fn patterns_json_is_one_object_per_line() {
    let dir = std::env::temp_dir().join(format!("apitriage-patterns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("app.log");
    std::fs::write(
        &log,
        "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010\n\
         Receiving block blk_-1608999687919862907 src: /10.250.19.103:54107 dest: /10.250.19.102:50010\n\
         Failed password for invalid user admin from 183.62.140.253 port 38927 ssh2\n",
    )
    .unwrap();
    let out = run(&["patterns", log.to_str().unwrap(), "--format", "json"]);
    std::fs::remove_dir_all(&dir).ok();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["line"], 1);
    assert_eq!(rows[0]["pattern"], rows[1]["pattern"]);
    assert_ne!(rows[0]["pattern"], rows[2]["pattern"]);
    assert!(rows[0]["template"].as_str().unwrap().contains("<*>"));
}

#[test]
fn simulate_then_triage() {
    let out = run(&["simulate", "--list"]);
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(list.lines().count() >= 26);
    let dir = std::env::temp_dir().join(format!("apitriage-sim-{}", std::process::id()));
    let out = run(&[
        "simulate",
        "route-missing-after-deploy",
        "--seed",
        "11",
        "-o",
        dir.to_str().unwrap(),
        "-q",
    ]);
    assert!(out.status.success());
    assert!(Path::new(&dir.join("truth.json")).exists());
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    std::fs::remove_file(dir.join("truth.json")).unwrap();
    let out = run(&["triage", dir.to_str().unwrap(), "--format", "json"]);
    std::fs::remove_dir_all(&dir).ok();
    let r = json(&out);
    assert_eq!(r["verdict"]["bucket"], truth["bucket"]);
    assert_eq!(r["input"]["skipped"], 0);
}

#[test]
fn completions_and_man_page() {
    let out = run(&["completions", "bash"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("apitriage"));
    let out = run(&["man"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH"));
}

#[test]
fn spec_check_reads_json_lines_and_spans_with_bodies() {
    let dir = std::env::temp_dir().join(format!("apitriage-traffic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("openapi.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /orders/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [total], properties: {total: {type: number}}}\n",
    )
    .unwrap();
    let lines = dir.join("traffic.jsonl");
    std::fs::write(
        &lines,
        "{\"method\":\"GET\",\"url\":\"/orders/7\",\"response\":{\"status\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":{\"total\":\"12.50\"}}}\n\
         {\"method\":\"GET\",\"url\":\"/orders/8\",\"response\":{\"status\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":{\"total\":3.5}}}\n",
    )
    .unwrap();
    let spans = dir.join("spans.jsonl");
    std::fs::write(
        &spans,
        r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /orders/{id}","kind":2,"startTimeUnixNano":"1764165730000000000","endTimeUnixNano":"1764165730100000000","attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"url.path","value":{"stringValue":"/orders/9"}},{"key":"http.response.status_code","value":{"intValue":"200"}},{"key":"http.response.header.content-type","value":{"stringValue":"application/json"}},{"key":"http.response.body","value":{"stringValue":"{\"amount\":1}"}}]}]}]}]}"#,
    )
    .unwrap();
    let out = run(&[
        "spec",
        "check",
        "--spec",
        spec.to_str().unwrap(),
        lines.to_str().unwrap(),
        spans.to_str().unwrap(),
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    let r = json(&out);
    assert_eq!(r["checked"], 3, "{r}");
    let v = r["violations"].as_array().unwrap();
    assert!(
        v.iter().any(|x| x["entry"] == 0
            && x["pointer"] == "/total"
            && x["rule"] == "response-body-schema"),
        "{r}"
    );
    assert!(
        !v.iter()
            .any(|x| x["entry"] == 1 && x["file"].as_str().unwrap().ends_with("traffic.jsonl")),
        "{r}"
    );
    assert!(
        v.iter()
            .any(|x| x["file"].as_str().unwrap().ends_with("spans.jsonl")),
        "{r}"
    );
    let out = run(&[
        "spec",
        "check",
        "--spec",
        spec.to_str().unwrap(),
        "/no/such",
        "--fail-on",
        "violation",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
