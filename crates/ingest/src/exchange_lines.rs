//! Request/response records as JSON lines, the traffic `spec check` validates besides
//! HAR: one exchange a line, in the shape API gateways and logging middleware commonly
//! write (nested `request` / `response` objects, or flat `*_body` fields):
//!
//! ```json
//! {"time": "2025-11-26T14:02:10Z", "method": "GET", "url": "/orders/7",
//!  "request": {"headers": {"content-type": "application/json"}, "body": null},
//!  "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": {"id": 7}}}
//! ```
//!
//! Bodies may be JSON values or strings; everything is redacted as it is read.

use apitriage_model::exchange::{self, Exchange, Header};
use serde_json::Value;

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(exchange::redact_text(s)),
        other => Some(exchange::redact_text(&other.to_string())),
    }
}

fn headers(v: Option<&Value>) -> Vec<Header> {
    let mut out = Vec::new();
    match v {
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let value = match v {
                    Value::String(s) => s.clone(),
                    Value::Array(a) => a
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                };
                out.push(Header {
                    name: k.clone(),
                    value: exchange::redact_header(k, &value),
                });
            }
        }
        Some(Value::Array(a)) => {
            for h in a {
                if let (Some(n), Some(v)) = (
                    h.get("name").and_then(Value::as_str),
                    h.get("value").and_then(Value::as_str),
                ) {
                    out.push(Header {
                        name: n.to_string(),
                        value: exchange::redact_header(n, v),
                    });
                }
            }
        }
        _ => {}
    }
    out
}

fn content_type(headers: &[Header], explicit: Option<&Value>) -> Option<String> {
    explicit
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-type"))
                .map(|h| h.value.clone())
        })
}

/// Parses one line; `None` when it is not a request/response record (it must carry a
/// method, a URL or path, and a response status).
pub fn parse(file: &str, entry: usize, line: &str) -> Option<Exchange> {
    let v: Value = serde_json::from_str(line).ok()?;
    let req = v.get("request").filter(|r| r.is_object());
    let resp = v.get("response").filter(|r| r.is_object());
    let pick = |names: &[&str], nested: Option<&Value>| -> Option<Value> {
        names
            .iter()
            .find_map(|n| nested.and_then(|x| x.get(*n)).or_else(|| v.get(*n)))
            .cloned()
    };
    let method = pick(&["method"], req)?.as_str()?.to_ascii_uppercase();
    let url = pick(&["url", "uri", "path"], req)?.as_str()?.to_string();
    let status = pick(&["status", "status_code", "statusCode"], resp)?
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())?;
    let path = {
        let no_scheme = url.split_once("://").map(|x| x.1).unwrap_or(&url);
        let p = if url.contains("://") {
            no_scheme.find('/').map(|i| &no_scheme[i..]).unwrap_or("/")
        } else {
            no_scheme
        };
        p.split(['?', '#']).next().unwrap_or("/").to_string()
    };
    let request_headers = headers(
        req.and_then(|r| r.get("headers"))
            .or_else(|| v.get("request_headers")),
    );
    let response_headers = headers(
        resp.and_then(|r| r.get("headers"))
            .or_else(|| v.get("response_headers")),
    );
    let time = pick(&["time", "timestamp", "started"], None)
        .and_then(|t| match t {
            Value::String(s) => apitriage_model::time::parse(&s),
            Value::Number(n) => n
                .as_f64()
                .and_then(apitriage_model::time::from_epoch_number),
            _ => None,
        })
        .unwrap_or(0);
    Some(Exchange {
        file: file.to_string(),
        entry,
        time,
        method,
        url: exchange::redact_url(&url),
        path,
        request_content_type: content_type(
            &request_headers,
            req.and_then(|r| r.get("content_type"))
                .or_else(|| v.get("request_content_type")),
        ),
        request_body: text(
            req.and_then(|r| r.get("body"))
                .or_else(|| v.get("request_body")),
        ),
        status,
        response_content_type: content_type(
            &response_headers,
            resp.and_then(|r| r.get("content_type"))
                .or_else(|| v.get("response_content_type")),
        ),
        response_body: text(
            resp.and_then(|r| r.get("body"))
                .or_else(|| v.get("response_body")),
        ),
        request_headers,
        response_headers,
        duration_ms: pick(&["duration_ms", "latency_ms"], None).and_then(|d| d.as_f64()),
        page: None,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn nested_and_flat_records() {
        let nested = r#"{"time":"2025-11-26T14:02:10Z","method":"get","url":"https://api.example/orders/7?token=abc","request":{"headers":{"Authorization":"Bearer x"}},"response":{"status":200,"headers":{"Content-Type":"application/json"},"body":{"id":7,"total":"12.50"}}}"#;
        let x = parse("t.jsonl", 0, nested).unwrap();
        assert_eq!(
            (x.method.as_str(), x.path.as_str(), x.status),
            ("GET", "/orders/7", 200)
        );
        assert_eq!(x.response_content_type.as_deref(), Some("application/json"));
        assert!(x.response_body.unwrap().contains("12.50"));
        assert!(!x.url.contains("abc") && x.request_headers[0].value == "[REDACTED]");
        let flat = r#"{"method":"POST","path":"/checkout","status":422,"response_body":"{\"error\":\"bad\"}","response_content_type":"application/problem+json"}"#;
        let y = parse("t.jsonl", 1, flat).unwrap();
        assert_eq!((y.status, y.entry), (422, 1));
        assert!(parse("t.jsonl", 2, r#"{"method":"GET","path":"/x"}"#).is_none());
        assert!(parse("t.jsonl", 3, "not json").is_none());
    }
}
