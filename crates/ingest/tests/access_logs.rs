//! The access-log readers (nginx/Apache `combined` and custom `log_format`, AWS ALB
//! and Classic ELB, Envoy, JSON lines) on fixtures written from each format's own
//! documentation: what they read, what they skip and say about it, and what they
//! recognise — and refuse to recognise.

use apitriage_ingest::formats::{self, Format};
use apitriage_ingest::formats::{alb::Alb, combined::Combined, envoy::Envoy, jsonl::JsonLines};
use apitriage_ingest::input::Input;
use apitriage_ingest::{read_bytes, IngestConfig};
use apitriage_model::classify::{signal_of, Signal};
use apitriage_model::summary::{Exemplar, NO_STATUS_OK};
use apitriage_model::{time, LatencyHistogram, Source, Summary};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/access/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_with(name: &str, bytes: &[u8], config: &IngestConfig) -> Summary {
    let mut s = Summary::new();
    read_bytes(name, bytes, config, &mut s);
    s
}

fn read(name: &str) -> Summary {
    read_with(name, &fixture(name), &IngestConfig::default())
}

/// (service, endpoint) → status → count.
fn statuses(s: &Summary) -> BTreeMap<(String, String), BTreeMap<u16, u64>> {
    let mut out: BTreeMap<(String, String), BTreeMap<u16, u64>> = BTreeMap::new();
    for (k, cell) in &s.requests {
        let e = out
            .entry((s.s(k.service).to_string(), s.s(k.endpoint).to_string()))
            .or_default();
        for &(status, n) in &cell.statuses {
            *e.entry(status).or_default() += n as u64;
        }
    }
    out
}

fn status_of(s: &Summary, service: &str, endpoint: &str) -> BTreeMap<u16, u64> {
    statuses(s)
        .remove(&(service.to_string(), endpoint.to_string()))
        .unwrap_or_else(|| panic!("no {service} / {endpoint} in {:#?}", statuses(s)))
}

/// The merged latency histogram of one service × endpoint.
fn latency(s: &Summary, service: &str, endpoint: &str) -> LatencyHistogram {
    let mut h = LatencyHistogram::new();
    for (k, cell) in &s.requests {
        if s.s(k.service) == service && s.s(k.endpoint) == endpoint {
            h.merge(&cell.latency);
        }
    }
    h
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= b.abs() * 0.03 + 1e-9
}

/// The failing examples, by time.
fn exemplars(s: &Summary) -> Vec<&Exemplar> {
    let mut v: Vec<&Exemplar> = s.exemplars.values().flatten().collect();
    v.sort_by_key(|e| e.time);
    v
}

fn exemplar<'s>(s: &'s Summary, endpoint: &str, status: Option<u16>) -> &'s Exemplar {
    exemplars(s)
        .into_iter()
        .find(|e| e.endpoint == endpoint && e.status == status)
        .unwrap_or_else(|| panic!("no exemplar {endpoint} {status:?} in {:#?}", exemplars(s)))
}

fn dim(e: &Exemplar, name: &str) -> Option<String> {
    e.dims
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Every value a dimension took.
fn dim_values(s: &Summary, name: &str) -> BTreeSet<String> {
    let Some(sym) = s.strings.get(name) else {
        return BTreeSet::new();
    };
    s.dims
        .get(&sym)
        .map(|c| c.iter().map(|(v, _)| s.s(*v).to_string()).collect())
        .unwrap_or_default()
}

fn counts(s: &Summary) -> (u64, u64) {
    let k = s.input.kinds.get("access_log").cloned().unwrap_or_default();
    assert_eq!(
        k.records, s.input.records,
        "all records are access-log records"
    );
    (k.records, k.skipped)
}

fn at(text: &str) -> i64 {
    time::parse(text).unwrap()
}

// ---------------------------------------------------------------------------------
// nginx / Apache

#[test]
fn combined_reads_requests_users_and_clients() {
    let s = read("nginx_combined.log");
    assert_eq!(counts(&s), (5, 2), "{:#?}", s.input);
    assert_eq!(s.input.files, 1);
    assert_eq!(
        status_of(&s, "nginx", "GET /api/orders/{id}"),
        BTreeMap::from([(200, 1), (404, 1)])
    );
    assert_eq!(
        status_of(&s, "nginx", "POST /api/checkout"),
        BTreeMap::from([(502, 1)])
    );
    // A TLS handshake sent to the plain-HTTP port: a real 400, no request line.
    assert_eq!(status_of(&s, "nginx", "-"), BTreeMap::from([(400, 1)]));
    assert_eq!(
        status_of(&s, "nginx", "GET /healthz"),
        BTreeMap::from([(200, 1)])
    );
    assert_eq!(s.min_time, Some(at("2025-11-26T14:02:10Z")));
    assert_eq!(s.max_time, Some(at("2025-11-26T14:02:14Z")));

    let failed = exemplar(&s, "POST /api/checkout", Some(502));
    assert_eq!(failed.time, at("2025-11-26T14:02:11Z"));
    assert_eq!(failed.source, Some(Source::AccessLog));
    assert_eq!(dim(failed, "user").as_deref(), Some("alice"));
    assert_eq!(dim(failed, "client_app").as_deref(), Some("Chrome"));
    assert_eq!(dim(failed, "client_version").as_deref(), Some("Chrome/120"));
    assert_eq!(failed.duration_ms, None);

    assert_eq!(
        dim_values(&s, "client_version"),
        BTreeSet::from([
            "ShopApp/4.12.0".to_string(),
            "Chrome/120".into(),
            "okhttp/4.9.3".into(),
            "kube-probe/1.29".into()
        ])
    );
    assert_eq!(
        dim_values(&s, "user"),
        BTreeSet::from(["alice".to_string()])
    );

    let problems = &s.input.problems;
    assert!(
        problems.iter().any(|p| p.starts_with("nginx_combined.log:4: expected a time like [26/Nov/2025:14:02:10 +0000], found \"not an access log line\"")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("nginx_combined.log:7: expected a time like")),
        "{problems:#?}"
    );
}

#[test]
fn combined_reads_request_and_upstream_times() {
    let s = read("nginx_timed.log");
    assert_eq!(counts(&s), (8, 0), "{:#?}", s.input.problems);
    let ep = "GET /api/orders/{id}";
    // $request_time wins over $upstream_response_time.
    assert_eq!(exemplar(&s, ep, Some(504)).duration_ms, Some(60_001.0));
    // `0.004 0.001, 0.002`: two upstreams tried, request_time still first.
    assert_eq!(exemplar(&s, ep, Some(502)).duration_ms, Some(4.0));
    // rt=0.250 urt="0.248"
    assert_eq!(exemplar(&s, ep, Some(500)).duration_ms, Some(250.0));
    // Apache %D (microseconds).
    let apache = exemplar(&s, "GET /api/users/{id}", Some(503));
    assert!(close(apache.duration_ms.unwrap(), 15.32));
    // `0.012 0.010`
    let ok = latency(&s, "nginx", ep);
    assert_eq!(ok.count(), 4);
    // 4, 12, 250 and 60001 ms: the second is the 200.
    assert!(
        close(ok.quantile(0.4).unwrap(), 12.0),
        "{:?}",
        ok.quantile(0.4)
    );
    // "$http_x_forwarded_for" after the user agent is not a time; `common` has none.
    assert_eq!(latency(&s, "nginx", "GET /api/users/{id}").count(), 1);
    assert_eq!(
        status_of(&s, "nginx", "GET /api/users/{id}"),
        BTreeMap::from([(200, 2), (503, 1)])
    );
}

#[test]
fn ingress_nginx_tail_names_the_service_and_upstream() {
    let s = read("ingress_nginx.log");
    assert_eq!(counts(&s), (2, 0));
    let e = exemplar(&s, "GET /api/payments/{id}", Some(503));
    assert_eq!(e.service, "shop-payments-8080");
    assert_eq!(e.duration_ms, Some(3.0));
    assert_eq!(dim(e, "host").as_deref(), Some("10.244.0.17:8080"));
    assert_eq!(dim(e, "client_version").as_deref(), Some("ShopApp/4.12.0"));
    assert_eq!(
        status_of(&s, "shop-payments-8080", "POST /api/payments"),
        BTreeMap::from([(201, 1)])
    );
}

fn custom_config() -> IngestConfig {
    IngestConfig {
        nginx_log_format: Some(
            r#"$remote_addr [$time_iso8601] $request_method $request_uri $status $request_time $upstream_response_time ua="$http_user_agent" host=$host up=$upstream_addr tenant=$http_x_tenant_id tp=$http_traceparent"#
                .into(),
        ),
        ..IngestConfig::default()
    }
}

#[test]
fn custom_log_format_from_the_config() {
    let s = read_with(
        "nginx_custom.log",
        &fixture("nginx_custom.log"),
        &custom_config(),
    );
    assert_eq!(counts(&s), (3, 1), "{:#?}", s.input.problems);
    // Host header without its port names the service.
    assert_eq!(
        status_of(&s, "api.shop.example", "GET /v2/carts/{id}"),
        BTreeMap::from([(200, 1)])
    );
    let e = exemplar(&s, "POST /v2/carts/{id}/items", Some(503));
    assert_eq!(e.service, "api.shop.example");
    assert_eq!(e.time, at("2025-11-26T14:05:01Z"));
    assert_eq!(e.duration_ms, Some(1502.0));
    assert_eq!(dim(e, "tenant").as_deref(), Some("globex"));
    // The upstream that answered last.
    assert_eq!(dim(e, "host").as_deref(), Some("10.2.0.8:8080"));
    assert_eq!(dim(e, "client_app").as_deref(), Some("ShopWeb"));
    assert_eq!(
        dim_values(&s, "tenant"),
        BTreeSet::from(["acme".to_string(), "globex".into()])
    );
    assert!(
        s.input.problems.iter().any(|p| p
            .starts_with("nginx_custom.log:4: expected $status (nginx_log_format) at column")
            && p.contains("\"OK 0.002")),
        "{:#?}",
        s.input.problems
    );

    // default_service wins over the Host header.
    let mut named = custom_config();
    named.default_service = Some("carts".into());
    let s = read_with("nginx_custom.log", &fixture("nginx_custom.log"), &named);
    assert!(statuses(&s).keys().all(|(svc, _)| svc == "carts"));
}

#[test]
fn custom_log_format_in_nginx_conf_syntax_with_lists_and_bare_time() {
    let config = IngestConfig {
        nginx_log_format: Some(
            "log_format upstreams '$remote_addr $time_local $status \"$request\" '\n                     '$upstream_response_time $upstream_status';"
                .into(),
        ),
        ..IngestConfig::default()
    };
    let log = b"1.2.3.4 26/Nov/2025:14:02:10 +0000 502 \"GET /a/1 HTTP/1.1\" 0.010, 0.020 502, 502\n\
                1.2.3.4 26/Nov/2025:14:02:11 +0000 200 \"GET /a/2 HTTP/1.1\" 0.005 : 0.004 200 : 200\n";
    let s = read_with("up.log", log, &config);
    assert_eq!(counts(&s), (2, 0), "{:#?}", s.input.problems);
    // No $request_time: the upstream times add up.
    let e = exemplar(&s, "GET /a/{id}", Some(502));
    assert!(close(e.duration_ms.unwrap(), 30.0));
    assert_eq!(e.time, at("2025-11-26T14:02:10Z"));
}

#[test]
fn unusable_custom_format_is_reported_and_combined_still_read() {
    let config = IngestConfig {
        nginx_log_format: Some("$remote_addr $body_bytes_sent".into()),
        ..IngestConfig::default()
    };
    let s = read_with(
        "nginx_combined.log",
        &fixture("nginx_combined.log"),
        &config,
    );
    assert_eq!(counts(&s), (5, 2));
    assert!(
        s.input
            .problems
            .iter()
            .any(|p| p.contains("nginx_log_format") && p.contains("no $status")),
        "{:#?}",
        s.input.problems
    );
}

#[test]
fn ambiguous_custom_format_gives_up_quickly() {
    let config = IngestConfig {
        nginx_log_format: Some(
            "$a $b $c $d $e $f $g $h $status [$time_local] \"$request\" $body_bytes_sent".into(),
        ),
        ..IngestConfig::default()
    };
    let good = "w w w w w w w w 200 [26/Nov/2025:14:02:10 +0000] \"GET / HTTP/1.1\" 5\n";
    let bad = format!("{}x\n", "w ".repeat(300));
    let mut log = String::new();
    for _ in 0..10 {
        log.push_str(good);
    }
    log.push_str(&bad);
    // The matcher's step budget, not the clock, bounds the work: the ambiguous line is
    // skipped with a message, the others read.
    let s = read_with("amb.log", log.as_bytes(), &config);
    assert_eq!(counts(&s), (10, 1));
    assert!(
        s.input
            .problems
            .iter()
            .any(|p| p.starts_with("amb.log:11: ") && p.contains("ambiguous")),
        "{:#?}",
        s.input.problems
    );
}

// ---------------------------------------------------------------------------------
// ALB / ELB

#[test]
fn alb_reads_target_groups_times_and_lb_errors() {
    let s = read("alb.log");
    assert_eq!(counts(&s), (7, 1), "{:#?}", s.input.problems);

    let ok = latency(&s, "orders-api", "GET /api/orders/{id}");
    assert!(close(ok.quantile(0.5).unwrap(), 45.0));
    assert_eq!(
        status_of(&s, "orders-api", "GET /api/orders/{id}"),
        BTreeMap::from([(200, 1), (460, 1)])
    );

    // Target timeout: -1 processing times, "-" target status.
    let timeout = exemplar(&s, "POST /api/checkout", Some(504));
    assert_eq!(timeout.service, "checkout-api");
    assert_eq!(
        timeout.time,
        at("2025-11-26T14:06:01Z"),
        "request_creation_time"
    );
    assert_eq!(
        timeout.duration_ms,
        Some(30_000.0),
        "time - request_creation_time"
    );
    assert_eq!(
        timeout.trace_id.as_deref(),
        Some("5833726346d228ad5d99923122bbe355"),
        "X-Ray Root in OpenTelemetry form"
    );
    assert_eq!(
        signal_of(timeout.error_type.as_deref().unwrap()),
        Some(Signal::Timeout)
    );
    assert_eq!(dim(timeout, "region").as_deref(), Some("eu-west-1"));
    assert_eq!(dim(timeout, "edge").as_deref(), Some("shop-alb"));
    assert_eq!(dim(timeout, "host").as_deref(), Some("10.0.0.2:8080"));
    assert_eq!(dim(timeout, "client_app").as_deref(), Some("ShopApp"));

    let unavailable = exemplar(&s, "GET /api/checkout/status", Some(503));
    assert_eq!(unavailable.service, "checkout-api");
    assert_eq!(dim(unavailable, "host"), None, "no target");
    assert_eq!(
        signal_of(unavailable.error_type.as_deref().unwrap()),
        Some(Signal::Unavailable)
    );
    assert!(close(unavailable.duration_ms.unwrap(), 0.1));

    let closed = exemplar(&s, "GET /api/orders/{id}", Some(460));
    assert!(closed
        .error_type
        .as_deref()
        .unwrap()
        .contains("client closed"));

    let lambda = exemplar(&s, "GET /api/reports/{id}", Some(502));
    assert_eq!(lambda.error_type.as_deref(), Some("LambdaUnhandled"));
    assert!(close(lambda.duration_ms.unwrap(), 120.0));

    // A redirect rule: no target group, so the load balancer names the service.
    assert_eq!(
        status_of(&s, "shop-alb", "GET /"),
        BTreeMap::from([(301, 1)])
    );
    // WebSocket: the connection's lifetime is not a latency.
    assert_eq!(
        status_of(&s, "feed", "GET /ws/feed"),
        BTreeMap::from([(101, 1)])
    );
    assert_eq!(latency(&s, "feed", "GET /ws/feed").count(), 0);

    assert!(
        s.input
            .problems
            .iter()
            .any(|p| p.starts_with("alb.log:7: expected target:port, found end of line")),
        "{:#?}",
        s.input.problems
    );
}

#[test]
fn alb_default_service_fills_in_only_without_a_target_group() {
    let config = IngestConfig {
        default_service: Some("shop-edge".into()),
        ..IngestConfig::default()
    };
    let s = read_with("alb.log", &fixture("alb.log"), &config);
    assert_eq!(
        status_of(&s, "shop-edge", "GET /"),
        BTreeMap::from([(301, 1)])
    );
    assert!(statuses(&s).contains_key(&("orders-api".into(), "GET /api/orders/{id}".into())));
}

#[test]
fn classic_elb_lines() {
    let s = read("elb_classic.log");
    assert_eq!(counts(&s), (2, 0), "{:#?}", s.input.problems);
    let e = exemplar(&s, "GET /api/items/{id}", Some(503));
    assert_eq!(e.service, "legacy-lb");
    assert_eq!(
        signal_of(e.error_type.as_deref().unwrap()),
        Some(Signal::Unavailable)
    );
}

#[test]
fn alb_logs_are_read_gzipped_as_s3_delivers_them() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fixture("alb.log")).unwrap();
    let bytes = gz.finish().unwrap();
    let s = read_with(
        "123456789012_elasticloadbalancing_eu-west-1_app.shop-alb.log.gz",
        &bytes,
        &IngestConfig::default(),
    );
    assert_eq!(counts(&s), (7, 1));
}

// ---------------------------------------------------------------------------------
// Envoy

#[test]
fn envoy_default_format_with_response_flags() {
    let s = read("envoy.log");
    assert_eq!(counts(&s), (9, 2), "{:#?}", s.input.problems);

    // The documented example line.
    assert_eq!(
        status_of(&s, "locations", "POST /api/v1/locations"),
        BTreeMap::from([(204, 1)])
    );
    assert!(close(
        latency(&s, "locations", "POST /api/v1/locations")
            .quantile(0.5)
            .unwrap(),
        226.0
    ));

    let svc = "orders.shop.svc";
    let ep = "GET /api/v1/orders/{id}";
    let by_status = status_of(&s, svc, ep);
    assert_eq!(
        by_status,
        BTreeMap::from([(NO_STATUS_OK, 1), (429, 1), (503, 3), (504, 1)]),
        "the client went away (0 DC): no status, not a failure"
    );

    let ut = exemplar(&s, ep, Some(504));
    assert_eq!(
        ut.error_type.as_deref(),
        Some("envoy UT upstream request timeout")
    );
    assert_eq!(ut.duration_ms, Some(15_001.0));
    assert_eq!(ut.time, at("2025-11-26T14:07:01Z"));
    assert_eq!(dim(ut, "host").as_deref(), Some("10.0.4.7:8080"));
    assert_eq!(dim(ut, "client_version").as_deref(), Some("ShopApp/4.12.0"));

    let signals: BTreeMap<String, Option<Signal>> = exemplars(&s)
        .iter()
        .filter_map(|e| e.error_type.clone())
        .map(|t| (t.split(' ').nth(1).unwrap_or("").to_string(), signal_of(&t)))
        .collect();
    assert_eq!(signals.get("UT"), Some(&Some(Signal::Timeout)));
    assert_eq!(signals.get("UO"), Some(&Some(Signal::CircuitOpen)));
    assert_eq!(
        signals.get("UF"),
        Some(&Some(Signal::Unavailable)),
        "URX,UF: UF is the telling one"
    );
    assert_eq!(signals.get("UH"), Some(&Some(Signal::Unavailable)));
    assert_eq!(signals.get("NR"), Some(&Some(Signal::RouteNotFound)));
    assert_eq!(signals.get("RL"), Some(&Some(Signal::RateLimited)));

    // Istio's default: response code details and transport failure reason inside.
    let istio = exemplar(&s, "GET /productpage", Some(503));
    assert_eq!(istio.service, "productpage");
    assert_eq!(dim(istio, "host").as_deref(), Some("10.44.1.23:9080"));

    let p = &s.input.problems;
    assert!(
        p.iter()
            .any(|m| m.starts_with("envoy.log:9: expected an HTTP request")
                && m.contains("TCP proxy")),
        "{p:#?}"
    );
    assert!(
        p.iter().any(|m| m.starts_with(
            "envoy.log:10: expected %RESPONSE_CODE% after the request, found \"abc\""
        )),
        "{p:#?}"
    );
}

// ---------------------------------------------------------------------------------
// JSON lines

#[test]
fn json_lines_with_default_field_names() {
    let s = read("access.jsonl");
    assert_eq!(counts(&s), (3, 3), "{:#?}", s.input.problems);
    let e = exemplar(&s, "POST /api/orders", Some(500));
    assert_eq!(e.service, "orders");
    assert_eq!(e.version.as_deref(), Some("1.4.3"));
    assert_eq!(e.duration_ms, Some(250.0));
    assert_eq!(
        e.trace_id.as_deref(),
        Some("5bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(
        signal_of(e.error_type.as_deref().unwrap()),
        Some(Signal::Timeout)
    );
    assert_eq!(
        dim(e, "user").as_deref(),
        Some("42"),
        "numeric ids become text"
    );
    assert_eq!(dim(e, "region").as_deref(), Some("eu-west-1"));

    // request_uri, a numeric-string status, request_time in seconds, epoch seconds.
    let nf = exemplar(&s, "GET /api/orders/{id}", Some(404));
    assert_eq!(nf.duration_ms, Some(3.0));
    assert_eq!(nf.time, at("2025-11-26T14:08:02.5Z"));

    let ok = latency(&s, "orders", "GET /api/orders/{id}");
    assert!(
        close(ok.quantile(1.0).unwrap(), 12.5),
        "the 404 took 3 ms, the 200 12.5"
    );
    assert_eq!(
        dim_values(&s, "client_app"),
        BTreeSet::from(["ShopApp".to_string()])
    );
    let versions: BTreeSet<String> = s
        .versions
        .keys()
        .map(|(_, v)| s.s(*v).to_string())
        .collect();
    assert_eq!(
        versions,
        BTreeSet::from(["1.4.2".to_string(), "1.4.3".into()])
    );

    let p = &s.input.problems;
    assert!(p.iter().any(|m| m.starts_with("access.jsonl:4: expected a status field (status, status_code, http.status_code, …), found none")), "{p:#?}");
    assert!(
        p.iter()
            .any(|m| m
                .starts_with("access.jsonl:5: expected a JSON object, found \"not json at all\"")),
        "{p:#?}"
    );
    assert!(
        p.iter()
            .any(|m| m
                .starts_with("access.jsonl:6: expected an HTTP status in `status`, found \"ok\"")),
        "{p:#?}"
    );
}

#[test]
fn json_lines_with_nested_and_dotted_fields() {
    let s = read("nested.jsonl");
    assert_eq!(counts(&s), (4, 0), "{:#?}", s.input.problems);
    let e = exemplar(&s, "GET /api/pay/{id}", Some(503));
    assert_eq!(e.service, "payments");
    assert_eq!(e.version.as_deref(), Some("2.0.0"));
    assert_eq!(e.duration_ms, Some(1.5), "\"1.5ms\"");
    assert_eq!(dim(e, "region").as_deref(), Some("us-east-1"));
    assert_eq!(dim(e, "client_app").as_deref(), Some("okhttp"));
    // http.route is a template already.
    assert_eq!(
        status_of(&s, "payments", "PUT /api/pay/{id}"),
        BTreeMap::from([(200, 1)])
    );
    assert!(close(
        latency(&s, "payments", "PUT /api/pay/{id}")
            .quantile(0.5)
            .unwrap(),
        800.0
    ));
    // nginx JSON: $request, $time_local, request_time in seconds.
    let nginx = exemplar(&s, "GET /api/pay/{id}", Some(502));
    assert_eq!(nginx.duration_ms, Some(40.0));
    assert_eq!(nginx.time, at("2025-11-26T14:09:02Z"));
    // Envoy JSON: response_flags described like the text format's.
    let envoy = exemplar(&s, "GET /api/v1/orders/{id}", Some(504));
    assert_eq!(
        envoy.error_type.as_deref(),
        Some("envoy UT upstream request timeout")
    );
    assert_eq!(envoy.duration_ms, Some(15_000.0));
}

#[test]
fn json_lines_with_a_custom_mapping() {
    let mut config = IngestConfig::default();
    let f = &mut config.json_fields;
    f.time = vec!["when".into()];
    f.method = vec!["req.verb".into()];
    f.path = vec!["req.target".into()];
    f.status = vec!["res.code".into()];
    f.duration = vec!["took_us".into()];
    f.service = vec!["svc".into()];
    f.dims = BTreeMap::from([("tenant".to_string(), vec!["ctx.tenant".to_string()])]);
    let s = read_with("custom.jsonl", &fixture("custom.jsonl"), &config);
    assert_eq!(counts(&s), (2, 1), "{:#?}", s.input.problems);
    assert_eq!(
        status_of(&s, "carts", "DELETE /api/carts/{id}"),
        BTreeMap::from([(204, 1), (503, 1)])
    );
    let e = exemplar(&s, "DELETE /api/carts/{id}", Some(503));
    assert_eq!(e.duration_ms, Some(1.2), "took_us: microseconds");
    assert_eq!(dim(e, "tenant").as_deref(), Some("initech"));
    assert!(
        s.input.problems.iter().any(
            |m| m.starts_with("custom.jsonl:3: expected a status field (res.code), found none")
        ),
        "{:#?}",
        s.input.problems
    );

    // A fixed unit overrides the name's suffix.
    config.json_fields.duration_unit = Some("ms".into());
    let s = read_with("custom.jsonl", &fixture("custom.jsonl"), &config);
    assert_eq!(
        exemplar(&s, "DELETE /api/carts/{id}", Some(503)).duration_ms,
        Some(1200.0)
    );
}

// ---------------------------------------------------------------------------------
// Sniffing

fn scores(bytes: &[u8], config: &IngestConfig) -> [u8; 4] {
    let input = Input::from_bytes("sniff", bytes.to_vec()).unwrap();
    [
        Combined.sniff(&input, config),
        Alb.sniff(&input, config),
        Envoy.sniff(&input, config),
        JsonLines.sniff(&input, config),
    ]
}

#[test]
fn each_access_log_is_recognised_by_its_own_reader_only() {
    let cases: &[(&str, usize, IngestConfig)] = &[
        ("nginx_combined.log", 0, IngestConfig::default()),
        ("nginx_timed.log", 0, IngestConfig::default()),
        ("ingress_nginx.log", 0, IngestConfig::default()),
        ("nginx_custom.log", 0, custom_config()),
        ("alb.log", 1, IngestConfig::default()),
        ("elb_classic.log", 1, IngestConfig::default()),
        ("envoy.log", 2, IngestConfig::default()),
        ("access.jsonl", 3, IngestConfig::default()),
        ("nested.jsonl", 3, IngestConfig::default()),
    ];
    for (name, reader, config) in cases {
        let bytes = fixture(name);
        let got = scores(&bytes, config);
        for (i, score) in got.iter().enumerate() {
            if i == *reader {
                assert!(*score >= 40, "{name}: its reader scores {score} ({got:?})");
            } else {
                assert_eq!(*score, 0, "{name}: reader {i} claims it ({got:?})");
            }
        }
        let input = Input::from_bytes(name, bytes).unwrap();
        let best = formats::sniff(&input, config).expect("recognised");
        assert_eq!(best.kind(), "access_log", "{name}");
    }
    // Without the configured format, the custom log is nobody's.
    assert_eq!(
        scores(&fixture("nginx_custom.log"), &IngestConfig::default()),
        [0; 4]
    );
}

#[test]
fn access_log_readers_leave_other_formats_alone() {
    for name in [
        "not_otlp_traces.jsonl",
        "not_changes.jsonl",
        "not_har.har",
        "not_har_oneline.har",
        "not_openapi.yaml",
        "not_openapi.json",
        "not_prometheus.json",
    ] {
        assert_eq!(
            scores(&fixture(name), &IngestConfig::default()),
            [0; 4],
            "{name} claimed by an access-log reader"
        );
        assert_eq!(scores(&fixture(name), &custom_config()), [0; 4], "{name}");
    }
}

#[test]
fn mixed_garbage_is_not_claimed() {
    let text = b"hello world\nthis is a README\n[section]\nkey = value\n";
    assert_eq!(scores(text, &IngestConfig::default()), [0; 4]);
    assert_eq!(scores(b"", &IngestConfig::default()), [0; 4]);
}
