//! `session.har`: HAR 1.2 (`log.version`, `creator`, `pages`, `entries` with request,
//! response, `cache` and `timings`) holding the reporting user's path through the app
//! and the failing request last. Captured the way the user's client allows: browser
//! developer tools for web users, an intercepting proxy for app users. Headers include
//! the bearer token and session cookie a real capture contains, which consumers must
//! redact.

use serde_json::{json, Value};

use crate::exceptions::status_text;
use crate::exec::{Outcome, Request};
use crate::random::{self as r, SimRng};
use crate::scenarios::{Rule, ShapeChange};
use crate::schema;
use crate::system::{ClientKind, System};
use crate::time::{http_date, rfc3339_millis, MS};

/// One captured exchange.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub req: Request,
    pub out: Outcome,
}

fn apply_shape(v: &mut Value, change: &ShapeChange) {
    match v {
        Value::Object(m) => {
            for (_, inner) in m.iter_mut() {
                apply_shape(inner, change);
            }
            match change {
                ShapeChange::Rename { from, to } => {
                    if let Some(x) = m.remove(from) {
                        m.insert(to.clone(), x);
                    }
                }
                ShapeChange::Remove { field } => {
                    m.remove(field);
                }
                ShapeChange::Retype { field } => {
                    if let Some(x) = m.get_mut(field) {
                        let amount = x.get("amount").and_then(Value::as_f64).unwrap_or(12.5);
                        let ccy = x
                            .get("currency")
                            .and_then(Value::as_str)
                            .unwrap_or("EUR")
                            .to_string();
                        *x = json!(format!("{amount:.2} {ccy}"));
                    }
                }
                ShapeChange::EnumValue { field, value } => {
                    if m.contains_key(field) {
                        m.insert(field.clone(), json!(value));
                    }
                }
                ShapeChange::ContentType { .. } => {}
            }
        }
        Value::Array(a) => {
            for inner in a.iter_mut() {
                apply_shape(inner, change);
            }
        }
        _ => {}
    }
}

fn xml_of(v: &Value, tag: &str, out: &mut String) {
    match v {
        Value::Object(m) => {
            out.push_str(&format!("<{tag}>"));
            for (k, inner) in m {
                xml_of(inner, k, out);
            }
            out.push_str(&format!("</{tag}>"));
        }
        Value::Array(a) => {
            for inner in a {
                xml_of(inner, tag, out);
            }
        }
        Value::String(s) => out.push_str(&format!("<{tag}>{s}</{tag}>")),
        other => out.push_str(&format!("<{tag}>{other}</{tag}>")),
    }
}

fn request_body(sys: &System, x: &Exchange, rng: &mut SimRng) -> Option<String> {
    let ep = &sys.endpoints[x.req.ep];
    let op = ep.owner_op.unwrap_or(ep.edge_op);
    let sch = schema::request(sys, op)?;
    let user = &sys.users[x.req.user];
    let ctx = schema::Ctx {
        currency: "EUR",
        user_id: &user.id,
    };
    let mut v = schema::example_object(&sch.fields, rng, &ctx);
    let client = &sys.clients[user.client];
    if let Some(m) = v.as_object_mut() {
        if m.contains_key("paymentMethodId") {
            if client.old && matches!(client.kind, ClientKind::Ios | ClientKind::Android) {
                m.remove("paymentMethodId");
            } else {
                m.remove("cardToken");
            }
        }
        if m.contains_key("events") {
            let text = x.req.beacon.clone().unwrap_or_else(|| "screen_view".into());
            m.insert(
                "events".into(),
                json!([{"type": "decode_error", "screen": "Detail", "message": text}]),
            );
        }
    }
    if let Some((field, rule)) = &x.out.validation {
        let bad = match rule {
            Rule::Pattern(_) => json!(format!("{}", 100_000 + x.req.key % 900_000)),
            Rule::Email => json!(format!("{}@mail", user.id.replace(['_', '-'], "."))),
            Rule::Required => Value::Null,
        };
        if let Some(m) = v.as_object_mut() {
            if bad.is_null() {
                m.remove(field);
            } else {
                m.insert(field.clone(), bad);
            }
        }
    }
    serde_json::to_string(&v).ok()
}

fn response_body(sys: &System, x: &Exchange, rng: &mut SimRng) -> (String, String) {
    let ep = &sys.endpoints[x.req.ep];
    let o = &x.out;
    if o.status >= 400 {
        let mut body = json!({
            "type": format!("https://{}/problems/{}", sys.api_host, o.code.clone().unwrap_or_else(|| "error".into()).replace('_', "-")),
            "title": status_text(o.status),
            "status": o.status,
            "detail": o.message.clone().unwrap_or_default(),
            "instance": o.path,
            "traceId": o.trace_id,
        });
        if let (Some((field, _)), Some(m)) = (&o.validation, body.as_object_mut()) {
            m.insert(
                "errors".into(),
                json!([{"field": field, "message": o.message.clone().unwrap_or_default()}]),
            );
        }
        return (
            "application/problem+json".into(),
            serde_json::to_string(&body).unwrap_or_default(),
        );
    }
    let op = ep.owner_op.unwrap_or(ep.edge_op);
    let user = &sys.users[x.req.user];
    let ctx = schema::Ctx {
        currency: "EUR",
        user_id: &user.id,
    };
    let mut v = match schema::response(sys, op) {
        Some(s) => schema::example_object(&s.fields, rng, &ctx),
        None => json!({}),
    };
    if let Some(m) = v.as_object_mut() {
        if m.contains_key("id") {
            if let Some(last) = o.path.rsplit('/').next() {
                if last.contains('_') {
                    m.insert("id".into(), json!(last));
                }
            }
        }
    }
    let mime = o
        .content_type
        .clone()
        .unwrap_or_else(|| "application/json".into());
    if let Some(change) = &o.shape {
        apply_shape(&mut v, change);
        if let ShapeChange::ContentType { mime: m } = change {
            let mut text = String::new();
            if m.starts_with("text/html") {
                text.push_str("<!DOCTYPE html><html><head><title>OK</title></head><body><div id=\"app\"></div></body></html>");
            } else {
                text.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
                xml_of(&v, "response", &mut text);
            }
            return (m.clone(), text);
        }
    }
    (mime, serde_json::to_string(&v).unwrap_or_default())
}

/// Builds the HAR document for the captured exchanges (in time order).
pub(crate) fn document(sys: &System, exchanges: &[Exchange], seed: u64) -> Value {
    let mut rng = r::stream(seed, "har");
    let Some(first) = exchanges.first() else {
        return json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "pages": [], "entries": []}});
    };
    let user = &sys.users[first.req.user];
    let client = &sys.clients[user.client];
    let (creator, version) = match client.kind {
        ClientKind::Web => ("WebInspector", "537.36"),
        ClientKind::Ios | ClientKind::Android => ("Charles Proxy", "4.6.6"),
        ClientKind::Partner => ("mitmproxy", "10.1.6"),
    };
    let token = format!(
        "eyJhbGciOiJSUzI1NiIsImtpZCI6I{}.eyJzdWIiOiI{}.{}",
        r::chars(
            &mut rng,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            20
        ),
        r::chars(
            &mut rng,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            40
        ),
        r::chars(
            &mut rng,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            86
        )
    );
    let cookie = format!(
        "session={}; _ga=GA1.2.{}.{}",
        r::hex(&mut rng, 16),
        r::int(&mut rng, 100_000_000, 999_999_999),
        r::int(&mut rng, 1_600_000_000, 1_700_000_000)
    );
    let page_title = format!("{}/", sys.base_url());
    let mut entries = Vec::new();
    for x in exchanges {
        let ep = &sys.endpoints[x.req.ep];
        let o = &x.out;
        let url = if o.query.is_empty() {
            format!("{}{}", sys.base_url(), o.path)
        } else {
            format!("{}{}?{}", sys.base_url(), o.path, o.query)
        };
        let mut headers = vec![
            json!({"name": "accept", "value": "application/json"}),
            json!({"name": "authorization", "value": format!("Bearer {token}")}),
            json!({"name": "user-agent", "value": client.ua}),
            json!({"name": "cookie", "value": cookie}),
        ];
        if let (Some(v), true) = (
            &client.version,
            matches!(client.kind, ClientKind::Ios | ClientKind::Android),
        ) {
            headers.push(json!({"name": "x-app-version", "value": v}));
        }
        let body = request_body(sys, x, &mut rng);
        if body.is_some() {
            headers.push(json!({"name": "content-type", "value": "application/json"}));
        }
        let query: Vec<Value> = o
            .query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                json!({"name": k, "value": v})
            })
            .collect();
        let cookies = vec![
            json!({"name": "session", "value": cookie.split(';').next().unwrap_or("").trim_start_matches("session=")}),
        ];
        let mut request = json!({
            "method": ep.method,
            "url": url,
            "httpVersion": "HTTP/2.0",
            "headers": headers,
            "queryString": query,
            "cookies": cookies,
            "headersSize": -1,
            "bodySize": body.as_ref().map(|b| b.len() as i64).unwrap_or(0),
        });
        if let (Some(b), Some(m)) = (&body, request.as_object_mut()) {
            m.insert(
                "postData".into(),
                json!({"mimeType": "application/json", "text": b, "params": []}),
            );
        }
        let (mime, text) = response_body(sys, x, &mut rng);
        let mut resp_headers = vec![
            json!({"name": "content-type", "value": mime}),
            json!({"name": "date", "value": http_date(o.end)}),
            json!({"name": "x-request-id", "value": o.trace_id}),
            json!({"name": "content-length", "value": text.len().to_string()}),
        ];
        if let Some(ra) = o.retry_after {
            resp_headers.push(json!({"name": "retry-after", "value": ra.to_string()}));
        }
        let total_ms = (o.end - x.req.start) as f64 / MS as f64;
        let send = 0.2;
        let receive = 1.0 + (text.len() as f64 / 4000.0);
        let wait = (total_ms - send - receive).max(0.5);
        entries.push(json!({
            "pageref": "page_1",
            "startedDateTime": rfc3339_millis(x.req.start),
            "time": ((send + wait + receive) * 1000.0).round() / 1000.0,
            "request": request,
            "response": {
                "status": o.status,
                "statusText": status_text(o.status),
                "httpVersion": "HTTP/2.0",
                "headers": resp_headers,
                "cookies": [],
                "content": {"size": text.len(), "mimeType": mime, "text": text},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": text.len(),
            },
            "cache": {},
            "timings": {"blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": send, "wait": (wait * 1000.0).round() / 1000.0, "receive": (receive * 1000.0).round() / 1000.0},
            "serverIPAddress": "203.0.113.40",
            "connection": "443",
        }));
    }
    let mut log = json!({
        "version": "1.2",
        "creator": {"name": creator, "version": version},
        "pages": [{
            "startedDateTime": rfc3339_millis(first.req.start - 800 * MS),
            "id": "page_1",
            "title": page_title,
            "pageTimings": {"onContentLoad": 412.6, "onLoad": 903.1},
        }],
        "entries": entries,
    });
    if client.kind == ClientKind::Web {
        if let Some(m) = log.as_object_mut() {
            m.insert(
                "browser".into(),
                json!({"name": "Chrome", "version": "131.0.6778.86"}),
            );
        }
    }
    json!({ "log": log })
}
