//! HAR 1.2 (the W3C Web Performance group's HTTP Archive format, as browsers and proxies
//! export it): the failing request(s) and the requests that led to them. Entries become
//! redacted [`Exchange`]s; a malformed entry is skipped and located by its index, the
//! rest are kept. Browsers write HARs that bend the spec (missing `cookies`, `-1`
//! sizes, base64 bodies), so only the fields apitriage needs are required.

use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::exchange::{self, Exchange, Header};
use serde_json::Value;

/// HAR 1.2 captures.
pub struct Har;

fn headers(v: &Value) -> Vec<Header> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| {
                    let name = h.get("name")?.as_str()?;
                    let value = h.get("value").and_then(Value::as_str).unwrap_or("");
                    Some(Header {
                        name: name.to_string(),
                        value: exchange::redact_header(name, value),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn body_text(content: Option<&Value>) -> Option<String> {
    let c = content?;
    let text = c.get("text")?.as_str()?;
    if c.get("encoding").and_then(Value::as_str) == Some("base64") {
        return Some("(base64-encoded body not decoded)".into());
    }
    Some(exchange::redact_text(text))
}

/// Converts one HAR entry; `Err` says which required field is missing or wrong.
pub fn entry_to_exchange(file: &str, index: usize, e: &Value) -> Result<Exchange, String> {
    let req = e.get("request").ok_or("missing `request`")?;
    let resp = e.get("response");
    let started = e
        .get("startedDateTime")
        .and_then(Value::as_str)
        .ok_or("missing `startedDateTime`")?;
    let time = apitriage_model::time::parse(started)
        .ok_or_else(|| format!("`startedDateTime` {started:?} is not an ISO 8601 time"))?;
    let method = req
        .get("method")
        .and_then(Value::as_str)
        .ok_or("missing `request.method`")?;
    let url = req
        .get("url")
        .and_then(Value::as_str)
        .ok_or("missing `request.url`")?;
    let path = {
        let no_scheme = url.split_once("://").map(|x| x.1).unwrap_or(url);
        let p = no_scheme.find('/').map(|i| &no_scheme[i..]).unwrap_or("/");
        p.split(['?', '#']).next().unwrap_or("/").to_string()
    };
    let status = match resp.and_then(|r| r.get("status")) {
        Some(s) => s
            .as_i64()
            .and_then(|n| u16::try_from(n.max(0)).ok())
            .ok_or("`response.status` is not a number")?,
        None => 0,
    };
    let req_ct = req
        .get("postData")
        .and_then(|p| p.get("mimeType"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let resp_ct = resp
        .and_then(|r| r.get("content"))
        .and_then(|c| c.get("mimeType"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Ok(Exchange {
        file: file.to_string(),
        entry: index,
        time,
        method: method.to_ascii_uppercase(),
        url: exchange::redact_url(url),
        path,
        request_headers: headers(req.get("headers").unwrap_or(&Value::Null)),
        request_content_type: req_ct,
        request_body: req
            .get("postData")
            .and_then(|p| p.get("text"))
            .and_then(Value::as_str)
            .map(exchange::redact_text),
        status,
        response_headers: headers(resp.and_then(|r| r.get("headers")).unwrap_or(&Value::Null)),
        response_content_type: resp_ct,
        response_body: body_text(resp.and_then(|r| r.get("content"))),
        duration_ms: e.get("time").and_then(Value::as_f64).filter(|t| *t >= 0.0),
        page: e.get("pageref").and_then(Value::as_str).map(str::to_string),
    })
}

impl Format for Har {
    fn kind(&self) -> &'static str {
        "har"
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        let head = &input.head()[..input.head().len().min(4096)];
        let text = String::from_utf8_lossy(head);
        let t = text.trim_start();
        if t.starts_with('{')
            && t.contains("\"log\"")
            && (t.contains("\"entries\"") || t.contains("\"creator\"") || t.contains("\"version\""))
        {
            90
        } else {
            0
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let bytes = input.read_all(sink.config.max_document_bytes)?;
        let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
            IngestError::Invalid(format!(
                "line {} column {}: invalid JSON: {e}",
                e.line(),
                e.column()
            ))
        })?;
        let entries = doc
            .get("log")
            .and_then(|l| l.get("entries"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                IngestError::Invalid(
                    "expected a HAR document with `log.entries` as an array".into(),
                )
            })?;
        let file = sink.file.to_string();
        for (i, e) in entries.iter().enumerate() {
            match entry_to_exchange(&file, i, e) {
                Ok(x) => {
                    sink.summary.add_exchange(x);
                    sink.records("har", 1);
                }
                Err(msg) => sink.skip_at("har", &format!("log.entries[{i}]"), msg),
            }
        }
        sink.file("har");
        Ok(())
    }
}
