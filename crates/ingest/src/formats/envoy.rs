//! Envoy access logs in Envoy's default format (and Istio's default, which extends it).
//!
//! Envoy's documented default format ("Access logging › Default format string"):
//!
//! ```text
//! [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
//! %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
//! %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
//! "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
//! ```
//!
//! Istio's default inserts `%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
//! "%UPSTREAM_TRANSPORT_FAILURE_REASON%"` after the response flags and appends
//! `%UPSTREAM_CLUSTER%` and addresses; both layouts are read (told apart by whether a
//! number follows the flags), and trailing extra fields are ignored.
//!
//! `%RESPONSE_CODE%` 0 means no response was sent (usually the client went away): the
//! record has no status. `%RESPONSE_FLAGS%` say why Envoy itself failed a request
//! (`UT` upstream timeout, `UF` connection failure, `UO` circuit breaking, `NR` no
//! route, `RL` rate limited, `UH` no healthy upstream...); the most telling one becomes
//! the record's `error_type`, worded so that the error classifier recognises it
//! ([`flag_text`]). `%DURATION%` (ms) is the duration; `%UPSTREAM_HOST%` is the
//! `host` dimension.
//!
//! Service: `default_service`, else `:authority` without its port (the virtual host,
//! which in a service mesh is the destination service), else `envoy`. TCP-proxy lines
//! (`"- - -"`) carry no HTTP request and are reported as skipped.

use super::combined::{
    excerpt, host_without_port, parse_status, service_name, split_request, status_or_none, DimBuf,
    Fields, Tok,
};
use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::{time, RequestRecord, Source};

/// The Envoy access-log reader.
pub struct Envoy;

const KIND: &str = "access_log";

impl Format for Envoy {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn line_independent(&self, _input: &Input) -> bool {
        true
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        super::sniff_lines(input, |l| parse(l).is_ok())
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let config = sink.config;
        super::for_each_line(input, sink, KIND, |line, number, sink| match parse(line) {
            Ok(e) => emit(&e, config, sink),
            Err(msg) => sink.skip_line(KIND, number, msg),
        })
    }
}

/// One Envoy line, read.
#[derive(Debug)]
struct Entry<'a> {
    time: i64,
    method: &'a str,
    path: &'a str,
    status: Option<u16>,
    flags: &'a str,
    duration_ms: Option<f64>,
    user_agent: &'a str,
    authority: &'a str,
    upstream_host: &'a str,
}

fn expected(what: &str, line: &str, at: usize) -> String {
    format!(
        "expected {what}, found {}",
        excerpt(line.get(at..).unwrap_or(""))
    )
}

fn parse(line: &str) -> Result<Entry<'_>, String> {
    let mut f = Fields::new(line);
    let mut next = |what: &str, kind: Tok| {
        let at = f.pos();
        match f.next_field() {
            Some(Ok((k, s))) if k == kind => Ok(s),
            _ => Err(expected(what, line, at)),
        }
    };
    let start = next(
        "[%START_TIME%] like [2025-11-26T14:02:10.123Z]",
        Tok::Bracketed,
    )?;
    let time = time::parse(start)
        .filter(|_| start.contains('T') || start.contains('-'))
        .ok_or_else(|| expected("an ISO 8601 start time in brackets", line, 0))?;
    let request = next("a quoted request \"METHOD PATH PROTOCOL\"", Tok::Quoted)?;
    let (method, path) = match split_request(request) {
        Some(mp) => mp,
        None if request.starts_with("- ") || request == "-" => {
            return Err(format!(
                "expected an HTTP request, found {} (a TCP proxy connection)",
                excerpt(request)
            ))
        }
        None => return Err(expected("a request \"METHOD PATH PROTOCOL\"", request, 0)),
    };
    let code = next("%RESPONSE_CODE%", Tok::Bare)?;
    let status = parse_status(code).ok_or_else(|| {
        format!(
            "expected %RESPONSE_CODE% after the request, found {}",
            excerpt(code)
        )
    })?;
    let flags = next("%RESPONSE_FLAGS%", Tok::Bare)?;
    let after_flags = next("%BYTES_RECEIVED%", Tok::Bare)?;
    if !is_count(after_flags) {
        // Istio: %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
        // "%UPSTREAM_TRANSPORT_FAILURE_REASON%" come before the byte counts.
        next("%CONNECTION_TERMINATION_DETAILS%", Tok::Bare)?;
        next("a quoted %UPSTREAM_TRANSPORT_FAILURE_REASON%", Tok::Quoted)?;
        let received = next("%BYTES_RECEIVED%", Tok::Bare)?;
        if !is_count(received) {
            return Err(expected("%BYTES_RECEIVED%", received, 0));
        }
    }
    let sent = next("%BYTES_SENT%", Tok::Bare)?;
    if !is_count(sent) {
        return Err(expected("%BYTES_SENT%", sent, 0));
    }
    let duration = next("%DURATION%", Tok::Bare)?;
    let duration_ms = match duration {
        "-" => None,
        d if d.bytes().all(|b| b.is_ascii_digit()) && !d.is_empty() && d.len() < 16 => {
            d.parse::<f64>().ok()
        }
        d => return Err(expected("%DURATION% in milliseconds", d, 0)),
    };
    next("%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%", Tok::Bare)?;
    next("a quoted X-Forwarded-For", Tok::Quoted)?;
    let user_agent = next("a quoted User-Agent", Tok::Quoted)?;
    next("a quoted X-Request-Id", Tok::Quoted)?;
    let authority = next("a quoted :authority", Tok::Quoted)?;
    let upstream_host = next("a quoted %UPSTREAM_HOST%", Tok::Quoted)?;
    Ok(Entry {
        time,
        method,
        path,
        status: status_or_none(status),
        flags,
        duration_ms,
        user_agent,
        authority,
        upstream_host,
    })
}

fn is_count(s: &str) -> bool {
    s == "-" || (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

fn emit(e: &Entry<'_>, config: &IngestConfig, sink: &mut Sink<'_>) {
    let mut dims = DimBuf::new();
    dims.user_agent(e.user_agent);
    dims.push("host", e.upstream_host);
    let service = service_name(None, config, Some(host_without_port(e.authority)), "envoy");
    let flag = most_telling_flag(e.flags);
    // Status 0: nothing was sent. A failure Envoy flagged is a failure; a client that
    // went away (DC) or no flag at all is not counted as one.
    let error = e.status.is_none() && flag.is_some_and(|(f, _)| !matches!(f, "DC" | "DI"));
    let rec = RequestRecord {
        time: e.time,
        service,
        method: e.method,
        route: e.path,
        route_is_template: false,
        status: e.status,
        error,
        error_type: flag.map(|(_, text)| text),
        duration_ms: e.duration_ms,
        dims: dims.as_slice(),
        source: Some(Source::AccessLog),
        ..RequestRecord::default()
    };
    sink.summary.add_request(&rec);
    sink.records(KIND, 1);
}

/// Envoy's response flags: short name, long name (`%RESPONSE_FLAGS_LONG%`), and the
/// descriptive text, most telling first.
const FLAGS: &[(&str, &str, &str)] = &[
    (
        "UT",
        "UpstreamRequestTimeout",
        "envoy UT upstream request timeout",
    ),
    (
        "UF",
        "UpstreamConnectionFailure",
        "envoy UF upstream connect error (connection failure)",
    ),
    (
        "UO",
        "UpstreamOverflow",
        "envoy UO upstream overflow (circuit breaker open)",
    ),
    ("UH", "NoHealthyUpstream", "envoy UH no healthy upstream"),
    ("NR", "NoRouteFound", "envoy NR no route configured"),
    (
        "URX",
        "UpstreamRetryLimitExceeded",
        "envoy URX upstream retry limit exceeded",
    ),
    (
        "UR",
        "UpstreamRemoteReset",
        "envoy UR upstream connection reset (remote reset)",
    ),
    (
        "UC",
        "UpstreamConnectionTermination",
        "envoy UC upstream connection closed (connection termination)",
    ),
    (
        "LR",
        "LocalReset",
        "envoy LR connection reset by envoy (local reset)",
    ),
    ("RL", "RateLimited", "envoy RL rate limited locally"),
    (
        "RLSE",
        "RateLimitServiceError",
        "envoy RLSE rate limit service error",
    ),
    (
        "UAEX",
        "UnauthorizedExternalService",
        "envoy UAEX unauthorized by external authorization",
    ),
    ("SI", "StreamIdleTimeout", "envoy SI stream idle timeout"),
    (
        "UMSDR",
        "UpstreamMaxStreamDurationReached",
        "envoy UMSDR upstream max stream duration reached (timeout)",
    ),
    ("DT", "DurationTimeout", "envoy DT max duration timeout"),
    (
        "DF",
        "DnsResolutionFailed",
        "envoy DF dns resolution failure",
    ),
    (
        "NC",
        "NoClusterFound",
        "envoy NC upstream cluster not found (no route to cluster)",
    ),
    (
        "LH",
        "FailedLocalHealthCheck",
        "envoy LH local service failed health check (unavailable)",
    ),
    (
        "OM",
        "OverloadManagerTerminated",
        "envoy OM overload manager terminated the request (overload)",
    ),
    (
        "DO",
        "DropOverLoad",
        "envoy DO request dropped by drop_overload (overload)",
    ),
    (
        "UPE",
        "UpstreamProtocolError",
        "envoy UPE upstream protocol error",
    ),
    (
        "DPE",
        "DownstreamProtocolError",
        "envoy DPE downstream protocol error",
    ),
    (
        "IH",
        "InvalidEnvoyRequestHeaders",
        "envoy IH invalid request header value (bad request)",
    ),
    ("FI", "FaultInjected", "envoy FI fault injected abort"),
    (
        "DC",
        "DownstreamConnectionTermination",
        "envoy DC downstream connection termination (client disconnected)",
    ),
    (
        "DI",
        "DelayInjected",
        "envoy DI delay injected (fault injection)",
    ),
];

/// The descriptive text of one response flag (short or long name), e.g. `UT` →
/// `envoy UT upstream request timeout`.
pub fn flag_text(flag: &str) -> Option<&'static str> {
    let flag = flag.trim();
    FLAGS
        .iter()
        .find(|(short, long, _)| *short == flag || *long == flag)
        .map(|(_, _, text)| *text)
}

/// The most telling of a `%RESPONSE_FLAGS%` value (`-`, `UT`, `UT,URX`): its short
/// name and text.
pub(crate) fn most_telling_flag(flags: &str) -> Option<(&'static str, &'static str)> {
    flags
        .split([',', ' ', '|'])
        .filter_map(|f| {
            let f = f.trim();
            FLAGS
                .iter()
                .position(|(short, long, _)| *short == f || *long == f)
        })
        .min()
        .and_then(|i| FLAGS.get(i))
        .map(|(short, _, text)| (*short, *text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_parses() {
        let e = parse(r#"[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80""#).unwrap();
        assert_eq!(e.method, "POST");
        assert_eq!(e.status, Some(204));
        assert_eq!(e.duration_ms, Some(226.0));
        assert_eq!(e.authority, "locations");
    }

    #[test]
    fn flags_pick_the_most_telling() {
        assert_eq!(most_telling_flag("-"), None);
        assert_eq!(most_telling_flag("URX,UT").map(|f| f.0), Some("UT"));
        assert_eq!(most_telling_flag("DC").map(|f| f.0), Some("DC"));
        assert_eq!(flag_text("UpstreamOverflow"), flag_text("UO"));
    }
}
