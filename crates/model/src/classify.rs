//! Recognising what an error text is about, from the words that libraries and runtimes
//! actually print (Java, Go, Node, Python, .NET, gRPC, nginx and the common HTTP
//! clients). These classes are the vocabulary the checks reason with; keeping the word
//! lists here, beside each other, makes them easy to audit and extend.

use serde::{Deserialize, Serialize};

/// What an error message or exception is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Input failed validation (422-style).
    Validation,
    /// A payload could not be parsed or mapped (JSON/XML/protobuf decoding).
    Deserialization,
    /// An operation timed out.
    Timeout,
    /// A circuit breaker is open or rejected a call.
    CircuitOpen,
    /// A connection, thread or worker pool had nothing free.
    PoolExhausted,
    /// Memory pressure: GC overhead, out of memory.
    Memory,
    /// Name resolution failed.
    Dns,
    /// TLS handshake or certificate failure.
    Tls,
    /// A rate limit or quota rejected the call.
    RateLimited,
    /// The peer refused or reset the connection, or was unavailable.
    Unavailable,
    /// No route or handler matched.
    RouteNotFound,
    /// A null / nil / undefined dereference.
    NullDeref,
    /// Authorization or authentication refused.
    Permission,
    /// Missing or wrong configuration or environment.
    Config,
    /// Queue or backlog full, load shed.
    Overload,
}

impl Signal {
    /// Every signal, in a fixed order.
    pub const ALL: [Signal; 15] = [
        Signal::Validation,
        Signal::Deserialization,
        Signal::Timeout,
        Signal::CircuitOpen,
        Signal::PoolExhausted,
        Signal::Memory,
        Signal::Dns,
        Signal::Tls,
        Signal::RateLimited,
        Signal::Unavailable,
        Signal::RouteNotFound,
        Signal::NullDeref,
        Signal::Permission,
        Signal::Config,
        Signal::Overload,
    ];

    /// A stable lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Validation => "validation",
            Signal::Deserialization => "deserialization",
            Signal::Timeout => "timeout",
            Signal::CircuitOpen => "circuit_open",
            Signal::PoolExhausted => "pool_exhausted",
            Signal::Memory => "memory",
            Signal::Dns => "dns",
            Signal::Tls => "tls",
            Signal::RateLimited => "rate_limited",
            Signal::Unavailable => "unavailable",
            Signal::RouteNotFound => "route_not_found",
            Signal::NullDeref => "null_deref",
            Signal::Permission => "permission",
            Signal::Config => "config",
            Signal::Overload => "overload",
        }
    }

    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            Signal::Validation => "validation errors",
            Signal::Deserialization => "parse/deserialization errors",
            Signal::Timeout => "timeouts",
            Signal::CircuitOpen => "circuit-breaker rejections",
            Signal::PoolExhausted => "pool exhaustion",
            Signal::Memory => "memory pressure / GC",
            Signal::Dns => "DNS resolution failures",
            Signal::Tls => "TLS/certificate failures",
            Signal::RateLimited => "rate limiting",
            Signal::Unavailable => "connection refused/unavailable",
            Signal::RouteNotFound => "route not found",
            Signal::NullDeref => "null dereferences",
            Signal::Permission => "permission denials",
            Signal::Config => "configuration errors",
            Signal::Overload => "overload / rejected work",
        }
    }
}

// Ordered: the first matching class wins, so the more specific come first.
const PATTERNS: &[(Signal, &[&str])] = &[
    (
        Signal::Tls,
        &[
            "sslhandshake",
            "ssl handshake",
            "tls handshake",
            "certificate",
            "x509",
            "pkix path",
            "ssl_error",
            "sslexception",
            "tls: ",
        ],
    ),
    (
        Signal::Dns,
        &[
            "unknownhostexception",
            "no such host",
            "nxdomain",
            "name or service not known",
            "temporary failure in name resolution",
            "getaddrinfo",
            "enotfound",
            "eai_again",
            "dns ",
            "could not resolve host",
            "name resolution",
        ],
    ),
    (
        Signal::CircuitOpen,
        &[
            "circuit breaker",
            "circuitbreaker",
            "circuit is open",
            "callnotpermitted",
            "breaker open",
            "circuit open",
            "hystrix",
        ],
    ),
    (
        Signal::RateLimited,
        &[
            "too many requests",
            "rate limit",
            "ratelimit",
            "rate-limit",
            "throttl",
            "quota exceeded",
            "retry-after",
            "status 429",
            "status=429",
            "http 429",
        ],
    ),
    (
        Signal::PoolExhausted,
        &[
            "connection is not available",
            "pool exhausted",
            "pool is exhausted",
            "pool exhaust",
            "too many connections",
            "timeout waiting for connection",
            "could not get jdbc connection",
            "unable to acquire",
            "remaining connection slots",
            "no available connection",
            "threadpool",
            "thread pool",
            "rejectedexecution",
            "max_connections",
            "too many open files",
            "acquire connection",
        ],
    ),
    (
        Signal::Memory,
        &[
            "outofmemoryerror",
            "out of memory",
            "gc overhead",
            "java heap space",
            "heap out of memory",
            "memoryerror",
            "oomkilled",
            "allocation failed",
            "stop-the-world",
            "long gc pause",
            "gc pause",
        ],
    ),
    (
        Signal::Timeout,
        &[
            "timeout",
            "timed out",
            "deadline exceeded",
            "deadline_exceeded",
            "sockettimeout",
            "read timed",
            "etimedout",
            "context deadline",
            "took too long",
        ],
    ),
    (
        Signal::Unavailable,
        &[
            "connection refused",
            // PostgreSQL JDBC: "Connection to db:5432 refused. Check that the hostname ...".
            "postmaster is accepting",
            // MySQL Connector/J when the server went away.
            "communications link failure",
            "redisconnectionexception",
            "unable to connect",
            "could not connect",
            "failed to connect",
            "connectexception",
            "econnrefused",
            "connection reset",
            "econnreset",
            "service unavailable",
            "bad gateway",
            "no healthy upstream",
            "upstream connect error",
            "broken pipe",
            "unavailable",
            "failover",
            "read-only",
            "readonly",
            "connection closed",
        ],
    ),
    (
        Signal::Config,
        &[
            "environment variable",
            "is not set",
            "not configured",
            "missing property",
            "could not resolve placeholder",
            "no value for",
            "missing configuration",
            "env var",
            "configuration",
            "misconfig",
            "config ",
            "missing setting",
            "no such file or directory",
            "beancreationexception",
            "illegalstateexception: config",
            "invalid base url",
            "base url",
        ],
    ),
    (
        Signal::Deserialization,
        &[
            "cannot unmarshal",
            "unmarshal",
            "unexpected token",
            "jsonparseexception",
            "jsonmappingexception",
            "mismatchedinputexception",
            "unrecognizedpropertyexception",
            "invalidformatexception",
            "cannot deserialize",
            "deserializ",
            "json parse",
            "parse error",
            "failed to parse",
            "syntaxerror: json",
            "unexpected end of json",
            "is not valid json",
            "keynotfound",
            "jsondataexception",
            "looking for beginning of value",
            "json.syntaxerror",
            "no enum constant",
            "unknown enum",
            "unknown variant",
            "is not a valid enum",
            "not one of the values accepted",
            "required value",
            "unknowncontenttype",
            "httpmessagenotreadable",
            "httpmediatypenotsupported",
            "unsupported media type",
            "no suitable httpmessageconverter",
            "content type",
            "typemismatch",
            "decodingerror",
            "invalid type: ",
            "expected value at line",
            "missing field",
        ],
    ),
    (
        Signal::Validation,
        &[
            "validation",
            "validationexception",
            "constraintviolation",
            "methodargumentnotvalid",
            "missing required",
            "is required",
            "invalid enum",
            "not one of",
            "must not be null",
            "must be",
            "invalid value",
            "unprocessable",
            "schema",
            "bad request",
        ],
    ),
    (
        Signal::RouteNotFound,
        &[
            "route not found",
            "no route",
            "no handler found",
            "nohandlerfound",
            "no mapping for",
            "not found: /",
            "cannot get /",
            "cannot post /",
            "404 not found",
            "no static resource",
        ],
    ),
    (
        Signal::NullDeref,
        &[
            "nullpointerexception",
            "nil pointer",
            "null pointer",
            "nullreferenceexception",
            "object reference not set",
            "cannot read propert",
            "of undefined",
            "of null",
            "'nonetype' object",
            "is undefined",
            "is null",
            "unwrap()` on a `none`",
        ],
    ),
    (
        Signal::Permission,
        &[
            "accessdenied",
            "access denied",
            "permission denied",
            "forbidden",
            "not authorized",
            "unauthorized",
            "insufficient scope",
            "insufficient permission",
            "authorization failed",
        ],
    ),
    (
        Signal::Overload,
        &[
            "queue full",
            "queue is full",
            "backlog",
            "load shed",
            "overloaded",
            "server busy",
            "capacity exceeded",
        ],
    ),
];

/// The class of an error text (message, exception type or both), if it has one.
pub fn signal_of(text: &str) -> Option<Signal> {
    if text.is_empty() {
        return None;
    }
    // Lowercasing a bounded prefix: the class is in the first line of any message.
    let head: String = text
        .chars()
        .take(400)
        .flat_map(|c| c.to_lowercase())
        .collect();
    let found = PATTERNS
        .iter()
        .find(|(_, words)| words.iter().any(|w| head.contains(w)))
        .map(|(sig, _)| *sig)
        .or_else(|| unknown_value(&head).then_some(Signal::Deserialization));
    // An error a client reports about what it received (a JS TypeError on a missing
    // field, a Swift keyNotFound) is about the response's shape, not a server bug.
    let client_side = [
        "client-reported",
        "client reported",
        "reported by client",
        "frontend error",
        "browser error",
        "rum error",
    ]
    .iter()
    .any(|w| head.contains(w));
    match found {
        Some(Signal::NullDeref) if client_side => Some(Signal::Deserialization),
        other => other,
    }
}

/// Words a hand-written decoder uses for a value it has no case for.
const UNKNOWN_WORDS: [&str; 6] = [
    "unknown",
    "unrecognized",
    "unrecognised",
    "unexpected",
    "unsupported",
    "unhandled",
];
/// What such a value usually is: an enumerated field.
const ENUM_NOUNS: [&str; 12] = [
    "status", "state", "type", "kind", "value", "variant", "enum", "code", "mode", "category",
    "reason", "result",
];

/// A decoder meeting an enumerated value it has no case for, phrased by hand rather
/// than by a JSON library (`unknown paymentresult status "REQUIRES_ACTION"`,
/// `unexpected order state 'ON_HOLD'`): one of [`UNKNOWN_WORDS`], then within three
/// words one of [`ENUM_NOUNS`], then a quoted value. That is a payload the code was not
/// written for, the same failure as Jackson's "No enum constant".
fn unknown_value(head: &str) -> bool {
    let words: Vec<&str> = head.split_whitespace().collect();
    words.iter().enumerate().any(|(i, w)| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        UNKNOWN_WORDS.contains(&w)
            && words[i + 1..].iter().take(3).enumerate().any(|(j, n)| {
                let n = n.trim_matches(|c: char| !c.is_alphanumeric());
                ENUM_NOUNS.contains(&n)
                    && words[i + 1 + j + 1..]
                        .iter()
                        .take(2)
                        .any(|v| quoted_symbol(v))
            })
    })
}

/// A quoted enumerated value (`"REQUIRES_ACTION"`, `'on_hold'`), not a quoted HTTP
/// status or number (`"500 Internal Server Error"`, `'502'`), which Go's
/// `unexpected status %q` prints for an answer, not a payload.
fn quoted_symbol(v: &str) -> bool {
    let inner = v.trim_start_matches(['"', '\'', '`']);
    v.starts_with(['"', '\'', '`'])
        && inner.len() > 1
        && inner.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The class implied by an HTTP status alone.
pub fn signal_of_status(status: u16) -> Option<Signal> {
    match status {
        401 | 403 => Some(Signal::Permission),
        404 => Some(Signal::RouteNotFound),
        408 | 504 => Some(Signal::Timeout),
        422 => Some(Signal::Validation),
        429 => Some(Signal::RateLimited),
        502 | 503 => Some(Signal::Unavailable),
        _ => None,
    }
}

/// Masks the variable parts of a message (numbers, ids, quoted values, addresses), so
/// that messages of one kind share one signature whatever order they arrive in.
pub fn mask(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut out = String::with_capacity(first.len().min(200));
    for (i, tok) in first.split_whitespace().enumerate() {
        if i >= 24 {
            out.push_str(" …");
            break;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&mask_token(tok));
    }
    out
}

fn mask_token(tok: &str) -> String {
    let trimmed = tok.trim_matches(|c: char| ",;:()[]{}\"'".contains(c));
    if trimmed.is_empty() {
        return tok.to_string();
    }
    let digits = trimmed.bytes().filter(|b| b.is_ascii_digit()).count();
    let variable = digits > 0
        && (digits * 3 >= trimmed.len()
            || trimmed.len() >= 12
            || trimmed.contains('-') && trimmed.len() >= 8)
        || (tok.starts_with('"') || tok.starts_with('\'')) && !trimmed.is_empty()
        || trimmed.contains('@')
        || trimmed.starts_with("http://")
        || trimmed.starts_with("https://");
    if !variable {
        return tok.to_string();
    }
    let start = tok.find(trimmed).unwrap_or(0);
    let end = start + trimmed.len();
    format!("{}<*>{}", &tok[..start], &tok[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_runtime_messages_are_classified() {
        let cases = [
            ("java.net.SocketTimeoutException: Read timed out", Signal::Timeout),
            ("HikariPool-1 - Connection is not available, request timed out after 30000ms", Signal::PoolExhausted),
            ("java.lang.NullPointerException: Cannot invoke \"String.length()\"", Signal::NullDeref),
            ("json: cannot unmarshal string into Go struct field Order.total of type float64", Signal::Deserialization),
            ("java.net.UnknownHostException: payments.internal", Signal::Dns),
            ("javax.net.ssl.SSLHandshakeException: PKIX path building failed", Signal::Tls),
            ("io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'pay' is OPEN", Signal::CircuitOpen),
            ("429 Too Many Requests", Signal::RateLimited),
            ("java.lang.OutOfMemoryError: Java heap space", Signal::Memory),
            ("No route matches GET /v2/orders", Signal::RouteNotFound),
            ("dial tcp 10.0.0.1:5432: connect: connection refused", Signal::Unavailable),
            ("org.postgresql.util.PSQLException: Connection to orders-db:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.", Signal::Unavailable),
            ("ERROR: cannot execute INSERT in a read-only transaction", Signal::Unavailable),
            ("request body: missing required property 'currency'", Signal::Validation),
            ("java.lang.IllegalStateException: required property payments.baseUrl is not set", Signal::Config),
        ];
        for (text, want) in cases {
            assert_eq!(signal_of(text), Some(want), "{text}");
        }
        assert_eq!(signal_of("order created"), None);
        // Enumerated values a decoder has no case for, phrased by hand or by serde.
        for text in [
            "POST /v1/pickups: unknown paymentresult status \"REQUIRES_ACTION\"",
            "unexpected order state 'ON_HOLD' from fulfilment",
            "unknown variant `PARTIAL`, expected one of `OPEN`, `CLOSED`",
        ] {
            assert_eq!(signal_of(text), Some(Signal::Deserialization), "{text}");
        }
        // An unknown thing without a quoted value is not a decoding failure.
        assert_eq!(signal_of("unknown status of job 42"), None);
        assert_eq!(signal_of("unexpected EOF while reading status"), None);
        // Statuses and numbers in quotes are answers, not payload values.
        assert_ne!(
            signal_of("ledger: unexpected status \"500 Internal Server Error\""),
            Some(Signal::Deserialization)
        );
        assert_ne!(
            signal_of("unexpected response code '502' from placeindex"),
            Some(Signal::Deserialization)
        );
        assert_eq!(
            signal_of(
                "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure"
            ),
            Some(Signal::Unavailable)
        );
        assert_eq!(
            signal_of("client-reported error from web: TypeError: Cannot read properties of undefined (reading 'amount')"),
            Some(Signal::Deserialization)
        );
        assert_eq!(
            signal_of("TypeError: Cannot read properties of undefined (reading 'amount')"),
            Some(Signal::NullDeref)
        );
    }

    #[test]
    fn masking_groups_messages_of_one_kind() {
        assert_eq!(
            mask("timeout after 3000ms calling 10.1.2.3:443 for order 8812"),
            mask("timeout after 2999ms calling 10.1.2.4:443 for order 17")
        );
        assert_ne!(mask("user not found"), mask("cart not found"));
    }
}
