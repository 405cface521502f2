//! Engine rules on small hand-built Summaries: each test builds the telemetry a rule is
//! about and its nearest look-alike, and checks the two come out differently. (The
//! labelled-suite measurement is `apitriage-eval`; these pin single rules down.)

use apitriage_engine::{triage, TriageOptions};
use apitriage_model::exchange::Exchange;
use apitriage_model::record::{Change, ChangeKind, DownstreamRecord, RequestRecord, Source};
use apitriage_model::time::{Nanos, SECOND};
use apitriage_model::Summary;

const T0: Nanos = 1_750_000_000 * SECOND;
const MINUTE: Nanos = 60 * SECOND;

fn request(s: &mut Summary, t: Nanos, service: &str, route: &str, status: u16) {
    s.add_request(&RequestRecord {
        time: t,
        service,
        method: route.split(' ').next().unwrap_or(""),
        route: route.split(' ').nth(1).unwrap_or(""),
        route_is_template: true,
        status: Some(status),
        error: status >= 500,
        duration_ms: Some(20.0),
        source: Some(Source::Trace),
        ..Default::default()
    });
}

fn call(s: &mut Summary, t: Nanos, caller: &str, downstream: &str, error: Option<&str>) {
    s.add_downstream(&DownstreamRecord {
        time: t,
        caller,
        caller_endpoint: "POST /v1/payments",
        downstream,
        status: Some(if error.is_some() { 0 } else { 200 }).filter(|s| *s > 0),
        error: error.is_some(),
        error_text: error,
        duration_ms: Some(15.0),
        write: true,
        ..Default::default()
    });
}

/// An hour of payments calling a provider, one request every 5 s; from minute 40 every
/// call goes to `after_onset` and fails to resolve, and the requests answer 502.
fn provider_fails(after_onset: &str) -> Summary {
    let mut s = Summary::new();
    for i in 0..720 {
        let t = T0 + i * 5 * SECOND;
        let failing = t >= T0 + 40 * MINUTE;
        let host = if failing { after_onset } else { "payflow" };
        let error = failing.then_some("getaddrinfo ENOTFOUND: name resolution failed");
        call(&mut s, t, "payments", host, error);
        request(
            &mut s,
            t,
            "payments",
            "POST /v1/payments",
            if failing { 502 } else { 200 },
        );
    }
    s.finish();
    s
}

#[test]
fn a_switch_to_a_new_failing_address_is_the_callers_configuration() {
    let r = triage(
        &provider_fails("payflow.staging.internal"),
        &TriageOptions::default(),
    );
    assert_eq!(r.verdict.bucket, "code_path", "{:#?}", r.findings);
    assert_eq!(r.verdict.culprit.service.as_deref(), Some("payments"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.check == "code_path.changed_address"
            && f.evidence
                .iter()
                .any(|e| e.contains("payflow.staging.internal"))));
}

#[test]
fn the_same_address_failing_is_the_providers_outage() {
    let r = triage(&provider_fails("payflow"), &TriageOptions::default());
    assert_eq!(r.verdict.bucket, "dependency", "{:#?}", r.findings);
    assert!(r
        .findings
        .iter()
        .all(|f| f.check != "code_path.changed_address"));
}

/// A quiet endpoint (one request every 20 s) with no failures for an hour, one chance
/// failure at minute 62, a flag change at minute 71:30, and one request in five failing
/// from there on.
fn quiet_endpoint(with_flag: bool) -> Summary {
    let mut s = Summary::new();
    let flag = T0 + 71 * MINUTE + 30 * SECOND;
    for i in 0..(100 * 3) {
        let t = T0 + i * 20 * SECOND;
        let failing = (t >= flag && i % 5 == 0) || t == T0 + 62 * MINUTE;
        request(
            &mut s,
            t,
            "watchlist",
            "POST /v1/watchlist/items",
            if failing { 500 } else { 200 },
        );
    }
    if with_flag {
        s.add_change(Change {
            time: flag,
            kind: ChangeKind::Flag,
            service: "watchlist".into(),
            version: None,
            description: Some("new-rail on for early-access".into()),
            inferred: false,
        });
    }
    s.finish();
    s
}

#[test]
fn a_weak_step_starts_at_the_change_behind_it_not_at_a_chance_failure() {
    let flag = T0 + 71 * MINUTE + 30 * SECOND;
    let with = triage(&quiet_endpoint(true), &TriageOptions::default());
    let onset = |r: &apitriage_model::Report| {
        apitriage_model::time::parse(r.onset.as_deref().expect("an onset"))
            .expect("an RFC 3339 onset")
    };
    assert!(
        (onset(&with) - flag).abs() <= 10 * SECOND,
        "onset {:?}, flag at {}",
        with.onset,
        apitriage_model::time::format(flag)
    );
    // Without the change, the chance failure is where the failures begin, and the
    // onset stays before the flag's minute: the change, not the statistics, moved it.
    let without = triage(&quiet_endpoint(false), &TriageOptions::default());
    assert!(onset(&without) < flag - MINUTE, "onset {:?}", without.onset);
}

#[test]
fn the_captured_request_focuses_its_literal_route_over_a_busier_template() {
    let mut s = Summary::new();
    for i in 0..720 {
        let t = T0 + i * 5 * SECOND;
        request(&mut s, t, "bookings", "GET /api/bookings/{id}", 200);
        if i % 2 == 0 {
            let gone = t >= T0 + 40 * MINUTE;
            request(
                &mut s,
                t,
                "bookings",
                "GET /api/bookings/history",
                if gone { 404 } else { 200 },
            );
        }
    }
    s.add_exchange(Exchange {
        file: "session.har".into(),
        entry: 1,
        time: T0 + 50 * MINUTE,
        method: "GET".into(),
        url: "https://api.example.test/api/bookings/history?limit=20".into(),
        path: "/api/bookings/history".into(),
        status: 404,
        ..Default::default()
    });
    s.finish();
    let r = triage(&s, &TriageOptions::default());
    assert_eq!(
        r.incident.as_ref().and_then(|i| i.endpoint.as_deref()),
        Some("GET /api/bookings/history")
    );
    assert_eq!(r.verdict.bucket, "code_path", "{:#?}", r.findings);
}

fn log(s: &mut Summary, t: Nanos, service: &str, body: &str, exception_type: Option<&str>) {
    s.add_log(&apitriage_model::record::LogRecord {
        time: t,
        service,
        severity: apitriage_model::record::Severity::Error,
        body,
        exception_type,
        exception_message: exception_type.map(|_| body),
        endpoint: None,
        source: Some(Source::Log),
        ..Default::default()
    });
}

#[test]
fn rate_limits_the_spans_miss_are_read_from_the_callers_logs() {
    // Spans without status (nothing marks the calls failed), but the caller logs the
    // provider's 429s with the URL it called.
    let mut s = Summary::new();
    for i in 0..720 {
        let t = T0 + i * 5 * SECOND;
        let limited = t >= T0 + 40 * MINUTE && i % 3 == 0;
        s.add_downstream(&DownstreamRecord {
            time: t,
            caller: "search",
            caller_endpoint: "GET /v1/geo",
            downstream: "placeindex",
            duration_ms: Some(30.0),
            ..Default::default()
        });
        request(
            &mut s,
            t,
            "search",
            "GET /v1/geo",
            if limited { 503 } else { 200 },
        );
        if limited {
            log(
                &mut s,
                t,
                "search",
                "GET /v1/geo failed with 503: 429 Too Many Requests (calling https://api.placeindex.example/v1/places)",
                None,
            );
        }
    }
    s.finish();
    let r = triage(&s, &TriageOptions::default());
    assert_eq!(r.verdict.bucket, "dependency", "{:#?}", r.findings);
    assert!(
        [&r.verdict.culprit.service, &r.verdict.culprit.dependency]
            .iter()
            .any(|c| c.as_deref() == Some("placeindex")),
        "{:?}",
        r.verdict.culprit
    );
}

/// An orchestrator calling a ledger (spans without status); from minute 40 half the
/// orchestrator's requests fail and it logs the ledger's 500 for each. With
/// `ledger_logs`, the ledger logs its own new error for each of them too.
fn wrapped_failure(ledger_logs: bool) -> Summary {
    let mut s = Summary::new();
    for i in 0..720 {
        let t = T0 + i * 5 * SECOND;
        let failing = t >= T0 + 40 * MINUTE && i % 2 == 0;
        for (caller, ds) in [("gateway", "orchestrator"), ("orchestrator", "ledger")] {
            s.add_downstream(&DownstreamRecord {
                time: t,
                caller,
                caller_endpoint: "POST /v1/transfers",
                downstream: ds,
                duration_ms: Some(10.0),
                ..Default::default()
            });
        }
        request(
            &mut s,
            t,
            "gateway",
            "POST /v1/transfers",
            if failing { 502 } else { 200 },
        );
        if failing {
            log(
                &mut s,
                t,
                "orchestrator",
                "POST /v1/transfers: ledger: unexpected status 500 Internal Server Error from http://ledger:8080/internal/entries",
                Some("*errors.errorString"),
            );
            if ledger_logs {
                log(
                    &mut s,
                    t,
                    "ledger",
                    "required property ledger.signingKey is not set",
                    Some("java.lang.IllegalStateException"),
                );
            }
        }
    }
    s.finish();
    s
}

#[test]
fn an_error_passed_on_from_a_callee_blames_the_callee_that_logs_its_own() {
    let r = triage(&wrapped_failure(true), &TriageOptions::default());
    assert_eq!(r.verdict.bucket, "code_path", "{:#?}", r.findings);
    assert_eq!(r.verdict.culprit.service.as_deref(), Some("ledger"));
    assert!(r.findings.iter().any(|f| f
        .evidence
        .iter()
        .any(|e| e.contains("passes on ledger's failure"))));
    // Without the callee's own error, the wrapper is all there is to go on.
    let r = triage(&wrapped_failure(false), &TriageOptions::default());
    assert_ne!(r.verdict.culprit.service.as_deref(), Some("ledger"));
    assert!(r
        .findings
        .iter()
        .all(|f| f.evidence.iter().all(|e| !e.contains("passes on"))));
}

/// Server errors step at minute 40 on one service; its pool's busy connections go from
/// 2 to 4 with the step, and the pool holds `pool_size` connections.
fn pool_use_rises(pool_size: f64) -> Summary {
    let mut s = Summary::new();
    for i in 0..720 {
        let t = T0 + i * 5 * SECOND;
        let after = t >= T0 + 40 * MINUTE;
        request(
            &mut s,
            t,
            "orders",
            "POST /v1/orders",
            if after && i % 4 == 0 { 500 } else { 200 },
        );
        if i % 3 == 0 {
            let labels = [("service", "orders"), ("pool", "HikariPool-1")];
            for (name, value) in [
                ("hikaricp_connections_active", if after { 4.0 } else { 2.0 }),
                // A timer's maximum shares the pool's labels and is not its size.
                ("hikaricp_connections_acquire_seconds_max", 30.0),
                ("hikaricp_connections_max", pool_size),
            ] {
                s.add_metric(&apitriage_model::record::MetricPoint {
                    time: t,
                    name,
                    labels: &labels,
                    value,
                    cumulative: false,
                });
            }
        }
    }
    s.finish();
    s
}

#[test]
fn pool_use_far_below_the_pool_size_is_headroom_not_saturation() {
    let saturation = |s: &Summary| {
        triage(s, &TriageOptions::default())
            .findings
            .iter()
            .any(|f| f.check == "capacity.saturation")
    };
    assert!(
        !saturation(&pool_use_rises(20.0)),
        "4 of 20 connections busy"
    );
    assert!(saturation(&pool_use_rises(5.0)), "4 of 5 connections busy");
}
