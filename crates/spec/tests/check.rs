//! `check`: captured exchanges against the orders API, in its OpenAPI 3.0 version
//! (`nullable`, boolean `exclusiveMinimum`, `readOnly`) and its 3.1 version (type arrays,
//! numeric `exclusiveMinimum`, `const`).

use apitriage_model::{Exchange, Header};
use apitriage_spec::check::CHECK_RULES;
use apitriage_spec::{check, render_check, Format, Spec, Violation};
use std::path::Path;

fn spec(name: &str) -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/orders")
        .join(name);
    Spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// A HAR-like exchange. `url` may carry a query string; the path is derived from it.
struct Ex {
    inner: Exchange,
}

impl Ex {
    fn new(method: &str, url: &str, status: u16) -> Ex {
        let path = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
        let path = path.split('?').next().unwrap_or("").to_string();
        Ex {
            inner: Exchange {
                file: "traffic.har".into(),
                method: method.into(),
                url: url.into(),
                path,
                status,
                request_headers: vec![Header {
                    name: "X-Request-Id".into(),
                    value: "3f0c9d4e-2b1a-4f7e-9a55-0d3c2b1a4f7e".into(),
                }],
                ..Exchange::default()
            },
        }
    }

    fn request(mut self, content_type: &str, body: &str) -> Ex {
        self.inner.request_content_type = Some(content_type.into());
        self.inner.request_body = Some(body.into());
        self
    }

    fn response(mut self, content_type: &str, body: &str) -> Ex {
        self.inner.response_content_type = Some(content_type.into());
        self.inner.response_body = Some(body.into());
        self
    }

    fn without_headers(mut self) -> Ex {
        self.inner.request_headers.clear();
        self
    }
}

fn run(spec: &Spec, exchanges: Vec<Ex>) -> Vec<Violation> {
    let list: Vec<Exchange> = exchanges
        .into_iter()
        .enumerate()
        .map(|(i, e)| Exchange {
            entry: i,
            ..e.inner
        })
        .collect();
    let report = check(spec, &list);
    assert_eq!(report.checked, list.len());
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    for v in &report.violations {
        assert!(CHECK_RULES.contains(&v.rule), "unknown rule {}", v.rule);
    }
    report.violations
}

/// `(entry, rule, pointer, expected, found)` for compact assertions.
fn summary(violations: &[Violation]) -> Vec<(usize, &str, &str, &str, &str)> {
    violations
        .iter()
        .map(|v| {
            (
                v.entry,
                v.rule,
                v.pointer.as_str(),
                v.expected.as_str(),
                v.found.as_str(),
            )
        })
        .collect()
}

const ORDER_OK: &str = r#"{"id":"7","customer":"c1","currency":"EUR","total":12.5,"status":"paid","coupon":null,
  "lines":[{"sku":"A-1","quantity":1,"total":12.5}],
  "payment":{"method":"card","last4":"4242"}}"#;

#[test]
fn valid_traffic_has_no_violations_in_either_dialect() {
    for name in ["v1.yaml", "v2.json"] {
        let spec = spec(name);
        let page = format!(r#"{{"items":[{ORDER_OK}],"next":null}}"#);
        let violations = run(
            &spec,
            vec![
                Ex::new("GET", "https://api.shop.example/v2/orders/7", 200)
                    .response("application/json; charset=utf-8", ORDER_OK),
                Ex::new("GET", "https://api.shop.example/v2/orders?customer=c1", 200)
                    .response("application/json", &page),
                // readOnly `id` is not required in a request (3.0.3 §4.7.24).
                Ex::new("POST", "/v2/orders", 201)
                    .request(
                        "application/json",
                        r#"{"customer":"c1","currency":"EUR","lines":[{"sku":"A-1","quantity":2,"total":5}]}"#,
                    )
                    .response("application/json", ORDER_OK),
                Ex::new("GET", "/v2/orders/7/invoice", 200).response("application/pdf", "%PDF-1.7 …"),
                Ex::new("GET", "/v2/orders/7", 404).response(
                    "application/problem+json",
                    r#"{"title":"not found","status":404}"#,
                ),
            ],
        );
        assert!(violations.is_empty(), "{name}: {violations:#?}");
    }
}

#[test]
fn openapi_30_nullable_and_boolean_exclusive_minimum() {
    let spec = spec("v1.yaml");
    let body = r#"{"id":"7","customer":"c1","total":0,"status":"paid","coupon":7,
      "lines":[{"sku":"A-1","quantity":1,"total":"12.50"}]}"#;
    let violations = run(
        &spec,
        vec![Ex::new("GET", "/v2/orders/7", 200).response("application/json", body)],
    );
    assert_eq!(
        summary(&violations),
        vec![
            (
                0,
                "response-body-schema",
                "/coupon",
                "string or null",
                "number 7"
            ),
            (
                0,
                "response-body-schema",
                "/lines/0/total",
                "number",
                "string \"12.50\""
            ),
            (0, "response-body-schema", "/total", "> 0", "number 0"),
        ]
    );
    let v = &violations[0];
    assert_eq!(
        (
            v.file.as_str(),
            v.method.as_str(),
            v.path.as_str(),
            v.status
        ),
        ("traffic.har", "GET", "/v2/orders/7", 200)
    );
    assert_eq!(v.operation.as_deref(), Some("GET /orders/{orderId}"));
}

#[test]
fn openapi_31_type_arrays_and_const() {
    let spec = spec("v2.json");
    let body = r#"{"id":"7","customer":"c1","currency":"EUR","total":0,"status":"paid","coupon":false,
      "lines":[{"sku":"A-1","quantity":1,"total":1}],
      "payment":{"method":"wallet","provider":"paypal"}}"#;
    let violations = run(
        &spec,
        vec![Ex::new("GET", "/v2/orders/7", 200).response("application/json", body)],
    );
    let got = summary(&violations);
    assert!(
        got.contains(&(
            0,
            "response-body-schema",
            "/coupon",
            "string or null",
            "boolean false"
        )),
        "{got:#?}"
    );
    assert!(
        got.contains(&(0, "response-body-schema", "/total", "> 0", "number 0")),
        "{got:#?}"
    );
    assert!(
        got.iter().any(
            |(_, rule, ptr, expected, _)| *rule == "response-body-schema"
                && *ptr == "/payment"
                && expected.contains("oneOf")
        ),
        "{got:#?}"
    );
}

#[test]
fn required_request_property_and_bad_json_are_violations_not_crashes() {
    let spec = spec("v2.json");
    let violations = run(
        &spec,
        vec![
            Ex::new("POST", "/v2/orders", 422)
                .request("application/json", r#"{"customer":"c1","lines":[]}"#)
                .response(
                    "application/problem+json",
                    r#"{"title":"bad","status":422}"#,
                ),
            Ex::new("POST", "/v2/orders", 400).request("application/json", r#"{"customer": "#),
        ],
    );
    assert_eq!(
        summary(&violations),
        vec![
            (
                0,
                "request-body-schema",
                "",
                "required property 'currency'",
                "object without 'currency'"
            ),
            (
                0,
                "request-body-schema",
                "/lines",
                "at least 1 items",
                "array of 0 items"
            ),
            (
                1,
                "request-body-schema",
                "",
                "a json document (application/json)",
                "invalid json at line 1 column 13"
            ),
            (1, "undocumented-status", "", "one of 201, 422", "400"),
        ]
    );
}

#[test]
fn routes_methods_parameters_statuses_and_content_types() {
    let spec = spec("v1.yaml");
    let violations = run(
        &spec,
        vec![
            Ex::new("GET", "/v2/customers/1", 200),
            Ex::new("PATCH", "/v2/orders/7", 200),
            Ex::new("GET", "/v2/orders?page_size=10", 200).without_headers(),
            Ex::new("GET", "/v2/orders/7", 500),
            Ex::new("POST", "/v2/orders", 201).request("text/plain", "customer=c1"),
            Ex::new("GET", "/v2/orders/7/invoice", 200).response("text/html", "<html></html>"),
            // Non-JSON bodies only get the content-type check.
            Ex::new("GET", "/v2/orders/7/invoice", 200).response("application/pdf", "{not json"),
            // A `filter[status]`-style key counts as the parameter.
            Ex::new("GET", "/orders?customer[id]=c1", 200),
        ],
    );
    assert_eq!(
        summary(&violations),
        vec![
            (
                0,
                "unknown-route",
                "",
                "a path documented in the spec",
                "/v2/customers/1"
            ),
            (
                1,
                "method-not-allowed",
                "",
                "DELETE or GET on /orders/{orderId}",
                "PATCH"
            ),
            (
                2,
                "missing-required-parameter",
                "",
                "required query parameter 'customer'",
                "absent"
            ),
            (
                2,
                "missing-required-parameter",
                "",
                "required header parameter 'X-Request-Id'",
                "absent"
            ),
            (3, "undocumented-status", "", "one of 200, 404", "500"),
            (
                4,
                "request-content-type",
                "",
                "one of application/json",
                "text/plain"
            ),
            (
                5,
                "response-content-type",
                "",
                "one of application/pdf",
                "text/html"
            ),
        ]
    );
}

#[test]
fn truncated_bodies_are_not_validated() {
    let spec = spec("v1.yaml");
    let huge = format!(
        r#"{{"items":[{}"#,
        "x".repeat(apitriage_model::exchange::MAX_BODY)
    );
    let violations = run(
        &spec,
        vec![Ex::new("GET", "/v2/orders?customer=c", 200).response("application/json", &huge)],
    );
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn json_output_has_the_interface_fields() {
    let spec = spec("v1.yaml");
    let list = vec![
        Ex::new("GET", "/v2/orders/7", 200)
            .response(
                "application/json",
                r#"{"id":"7","customer":"c","lines":[],"total":"12.50","status":"paid"}"#,
            )
            .inner,
    ];
    let report = check(&spec, &list);
    let json: serde_json::Value =
        serde_json::from_str(&render_check(&report, Format::Json)).expect("json");
    assert_eq!(json["checked"], 1);
    let all = json["violations"].as_array().expect("violations");
    let v = all
        .iter()
        .find(|v| v["pointer"] == "/total")
        .expect("a /total violation");
    for key in [
        "file", "entry", "method", "path", "status", "rule", "pointer", "expected", "found",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["pointer"], "/total");
    assert_eq!(v["expected"], "number");
    assert_eq!(v["found"], "string \"12.50\"");
    let text = render_check(&report, Format::Text);
    assert!(text.contains("response-body-schema at /total"), "{text}");
    let md = render_check(&report, Format::Markdown);
    assert!(md.contains("| traffic.har#0 |"), "{md}");
}
