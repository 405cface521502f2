//! The access-log readers never panic: each fuzz entry point of
//! `apitriage_ingest::fuzz` on arbitrary bytes, and on documented lines with random
//! bytes overwritten, cut or inserted (which reaches deeper into each parser).

use apitriage_ingest::fuzz::{
    fuzz_alb, fuzz_combined, fuzz_envoy, fuzz_jsonl, fuzz_nginx_log_format,
};
use proptest::collection::vec;
use proptest::prelude::*;

const LINES: &[&str] = &[
    r#"203.0.113.8 - alice [26/Nov/2025:14:02:11 +0000] "POST /api/checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "ShopApp/4.12.0 (iOS 17.2)" 0.004 0.001, 0.002"#,
    r#"192.168.49.1 - - [26/Nov/2025:14:04:00 +0000] "GET /api/payments/99 HTTP/1.1" 503 190 "-" "ShopApp/4.12.0 (Android 14)" 412 0.003 [shop-payments-8080] [] 10.244.0.17:8080 0 0.002 503 5d9c1a6b7e8f0a1b2c3d4e5f60718293"#,
    r#"1.2.3.4 - - [26/Nov/2025:14:02:10 +0000] "\"GET /a HTTP/1.1" 200 5 "-" "UA" 0.010 "0.020" "1.2.3.4" 0.030 0.010 [x] [] a 0 0.1 200 id"#,
    r#"https 2025-11-26T14:06:31.000000Z app/shop-alb/50dc6c495c0c9188 192.168.131.40:2818 10.0.0.2:8080 0.000 -1 -1 504 - 120 310 "POST https://api.shop.example:443/api/checkout HTTP/1.1" "ShopApp/4.12.0 (iOS 17.2)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout-api/83e2d6bc24d8a067 "Root=1-58337263-46d228ad5d99923122bbe355" "api.shop.example" "-" 2 2025-11-26T14:06:01.000000Z "forward" "-" "-" "10.0.0.2:8080" "-" "-" "-""#,
    r#"2025-11-26T14:06:11.945958Z legacy-lb 192.168.131.39:2817 - -1 -1 -1 503 0 0 0 "GET http://www.example.com:80/api/items/4 HTTP/1.1" "curl/7.38.0" - -"#,
    r#"[2025-11-26T14:07:01.000Z] "GET /api/v1/orders/12 HTTP/1.1" 504 UT 0 24 15001 - "10.0.35.29" "ShopApp/4.12.0 (iOS 17.2)" "a1b2c3d4-0000-4000-8000-000000000001" "orders.shop.svc:8080" "10.0.4.7:8080""#,
    r#"[2025-11-26T14:07:10.123Z] "GET /productpage HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "delayed connect error: 111" 0 91 2 - "-" "curl/8.4.0" "6c1b9bda" "productpage:9080" "10.44.1.23:9080" outbound|9080||productpage - 10.0.0.11:9080"#,
    r#"{"time":"2025-11-26T14:08:01.000Z","method":"POST","path":"/api/orders","status":500,"duration_ms":250,"service":"orders","trace_id":"Root=1-58337263-46d228ad5d99923122bbe355","error":{"type":"Timeout"},"user_id":42,"a":{"b":{"c":"503"},"d":"1m3.5s"}}"#,
    r#"{"@timestamp":1764166141000,"http":{"request":{"method":"GET"},"response":{"status_code":"503"}},"url.path":"/x","latency":"1.5ms","response_flags":"UT,URX","cloud":{"region":"us-east-1"}}"#,
    r#"10.1.0.5 - - [26/Nov/2025:14:02:10 +0000] "GET /v2/carts/42 HTTP/1.1" 200 5 "UA/1.0" 0.031 0.030, 0.040 10.2.0.7:8080, 10.2.0.8:8080502, 200 host=api.shop.example:443"#,
];

/// A documented line with random edits: (position, byte) overwrites, then a cut.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        0..LINES.len(),
        vec((any::<usize>(), any::<u8>()), 0..6),
        any::<usize>(),
        1..4usize,
    )
        .prop_map(|(i, edits, cut, copies)| {
            let mut line = LINES[i].as_bytes().to_vec();
            for (pos, byte) in edits {
                if line.is_empty() {
                    break;
                }
                let p = pos % line.len();
                if byte % 3 == 0 {
                    line.insert(p, byte);
                } else {
                    line[p] = byte;
                }
            }
            if cut % 4 == 0 && !line.is_empty() {
                line.truncate(cut % line.len());
            }
            let mut out = Vec::new();
            for _ in 0..copies {
                out.extend_from_slice(&line);
                out.push(b'\n');
            }
            out
        })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn all(data: &[u8]) {
    fuzz_combined(data);
    fuzz_alb(data);
    fuzz_envoy(data);
    fuzz_jsonl(data);
    fuzz_nginx_log_format(data);
}

proptest! {
    // 256 cases each; PROPTEST_CASES=100000 for a longer run.
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn combined_never_panics(data in vec(any::<u8>(), 0..2048)) {
        fuzz_combined(&data);
    }

    #[test]
    fn alb_never_panics(data in vec(any::<u8>(), 0..2048)) {
        fuzz_alb(&data);
    }

    #[test]
    fn envoy_never_panics(data in vec(any::<u8>(), 0..2048)) {
        fuzz_envoy(&data);
    }

    #[test]
    fn jsonl_never_panics(data in vec(any::<u8>(), 0..2048)) {
        fuzz_jsonl(&data);
    }

    #[test]
    fn nginx_log_format_never_panics(data in vec(any::<u8>(), 0..2048)) {
        fuzz_nginx_log_format(&data);
    }

    #[test]
    fn text_like_input_never_panics(data in "[ -~\"\\[\\]{}$,:\\n]{0,600}") {
        all(data.as_bytes());
    }

    #[test]
    fn mutated_documented_lines_never_panic(data in mutated()) {
        all(&data);
    }

    #[test]
    fn custom_format_and_its_own_lines_never_panic(
        format in "[$a-z_ \"\\[\\]{}:,=-]{0,80}",
        line in "[ -~]{0,200}",
    ) {
        let mut data = format.into_bytes();
        data.push(b'\n');
        data.extend_from_slice(line.as_bytes());
        fuzz_nginx_log_format(&data);
    }
}
