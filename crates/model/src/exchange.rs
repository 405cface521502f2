//! A captured HTTP exchange (a HAR entry, or a request/response record): the concrete
//! failing example the runbook asks for, and the path that led to it. Bodies are kept
//! bounded and secrets are redacted when the exchange is built, so nothing downstream
//! can render a credential.

use crate::time::Nanos;
use serde::{Deserialize, Serialize};

/// Longest body kept, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// One header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Name as captured.
    pub name: String,
    /// Value (redacted when sensitive).
    pub value: String,
}

/// One request and its response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// The file it came from.
    pub file: String,
    /// 0-based index within that file.
    pub entry: usize,
    /// When the request started.
    pub time: Nanos,
    /// Method.
    pub method: String,
    /// Full URL (query redacted where sensitive).
    pub url: String,
    /// Path without query.
    pub path: String,
    /// Request headers.
    pub request_headers: Vec<Header>,
    /// Request content type.
    pub request_content_type: Option<String>,
    /// Request body text (bounded, redacted).
    pub request_body: Option<String>,
    /// Response status (0 when none was received).
    pub status: u16,
    /// Response headers.
    pub response_headers: Vec<Header>,
    /// Response content type.
    pub response_content_type: Option<String>,
    /// Response body text (bounded, redacted).
    pub response_body: Option<String>,
    /// Total time in ms.
    pub duration_ms: Option<f64>,
    /// The page or screen that issued it, if captured (HAR `pageref`).
    pub page: Option<String>,
}

impl Exchange {
    /// A response header's value (case-insensitive name).
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// A request header's value (case-insensitive name).
    pub fn request_header(&self, name: &str) -> Option<&str> {
        self.request_headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// True when the exchange failed at the HTTP level (no response, 4xx, 5xx).
    pub fn failed(&self) -> bool {
        self.status == 0 || self.status >= 400
    }
}

/// The text that replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "x-access-token",
    "x-csrf-token",
    "x-xsrf-token",
    "x-amz-security-token",
];

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "auth",
    "session",
    "cookie",
    "credential",
    "private_key",
    "signature",
    "sig",
    "key",
];

/// True when a header or field name is likely to hold a credential.
pub fn is_secret_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    if SECRET_HEADERS.contains(&l.as_str()) {
        return true;
    }
    let compact: String = l
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    SECRET_WORDS.iter().any(|w| {
        compact == *w
            || compact.ends_with(&format!("_{w}"))
            || compact.starts_with(&format!("{w}_"))
            || (w.len() > 4 && compact.contains(w))
    })
}

/// Redacts a header value when its name is sensitive.
pub fn redact_header(name: &str, value: &str) -> String {
    if is_secret_name(name) {
        REDACTED.to_string()
    } else {
        redact_text(value)
    }
}

/// Redacts secret query parameters of a URL.
pub fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if is_secret_name(k) => format!("{k}={REDACTED}"),
            _ => kv.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// Redacts secrets inside free text or a body: JSON fields with secret names, form
/// fields, bearer tokens and JWT-looking strings. Bounded to [`MAX_BODY`] bytes.
pub fn redact_text(text: &str) -> String {
    let mut t = truncate(text, MAX_BODY).to_string();
    if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&t) {
        if v.is_object() || v.is_array() {
            redact_json(&mut v);
            t = serde_json::to_string(&v).unwrap_or(t);
            return t;
        }
    }
    if t.contains('=') && t.contains('&') && !t.contains(' ') {
        let parts: Vec<String> = t
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if is_secret_name(k) => format!("{k}={REDACTED}"),
                _ => kv.to_string(),
            })
            .collect();
        return parts.join("&");
    }
    redact_tokens(&t)
}

fn redact_tokens(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut redact_next = false;
    for (i, word) in t.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_ascii_lowercase();
        let jwt = word.matches('.').count() == 2 && word.starts_with("eyJ") && word.len() > 20;
        if redact_next || jwt {
            out.push_str(REDACTED);
            redact_next = false;
            continue;
        }
        if let Some((k, _)) = word.split_once('=') {
            if is_secret_name(k.trim_start_matches(['"', '\''])) {
                out.push_str(k);
                out.push('=');
                out.push_str(REDACTED);
                continue;
            }
        }
        if lower == "bearer" || lower == "basic" || lower == "token" {
            redact_next = true;
        }
        out.push_str(word);
    }
    out
}

/// Redacts values of secret-named fields anywhere in a JSON document.
pub fn redact_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_secret_name(k) && !val.is_object() && !val.is_array() {
                    *val = serde_json::Value::String(REDACTED.to_string());
                } else {
                    redact_json(val);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        serde_json::Value::String(s) if s.starts_with("eyJ") && s.matches('.').count() == 2 => {
            *s = REDACTED.to_string();
        }
        _ => {}
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_everywhere() {
        assert_eq!(redact_header("Authorization", "Bearer abc"), REDACTED);
        assert_eq!(redact_header("Cookie", "sid=1"), REDACTED);
        assert_eq!(
            redact_header("Accept", "application/json"),
            "application/json"
        );
        assert!(!redact_url("/login?user=a&password=hunter2").contains("hunter2"));
        let body = r#"{"user":"a","password":"hunter2","nested":{"api_key":"k-123"},"amount":5}"#;
        let r = redact_text(body);
        assert!(!r.contains("hunter2") && !r.contains("k-123") && r.contains("\"amount\":5"));
        assert!(!redact_text("user=a&password=hunter2").contains("hunter2"));
        assert!(!redact_text("sent Bearer sk_live_123 to provider").contains("sk_live_123"));
        assert!(
            !redact_text("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig123").contains("eyJzdWIi")
        );
        assert!(!is_secret_name("monkey_count"));
        assert!(!is_secret_name("amount"));
    }
}
