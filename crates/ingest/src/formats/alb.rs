//! AWS Application Load Balancer access logs (and Classic Load Balancer HTTP logs).
//!
//! Follows "Access log entries" of the Elastic Load Balancing user guide for
//! Application Load Balancers: space-separated fields, in this order,
//!
//! ```text
//! type time elb client:port target:port request_processing_time
//! target_processing_time response_processing_time elb_status_code target_status_code
//! received_bytes sent_bytes "request" "user_agent" ssl_cipher ssl_protocol
//! target_group_arn "trace_id" "domain_name" "chosen_cert_arn" matched_rule_priority
//! request_creation_time "actions_executed" "redirect_url" "error_reason"
//! "target:port_list" "target_status_code_list" "classification"
//! "classification_reason" conn_trace_id ...
//! ```
//!
//! Fields were added over the years and AWS may append more: everything after
//! `"user_agent"` is optional and unknown trailing fields are ignored. A Classic Load
//! Balancer line is the same up to `ssl_protocol` without the leading `type`.
//!
//! How the fields become a record:
//!
//! - status: `elb_status_code`, what the client received;
//! - time: `request_creation_time` (when the request arrived), else `time` (when the
//!   response was sent) less the duration;
//! - duration: the sum of the three processing times; a processing time of `-1` means
//!   the load balancer could not dispatch the request or the target did not answer
//!   (closed the connection, timed out), and then the duration is `time -
//!   request_creation_time` when both are known; none for WebSocket connections
//!   (`ws`, `wss`), whose duration is the connection's lifetime;
//! - `error_type`: `error_reason` when set; otherwise, when `target_status_code` is `-`
//!   (the load balancer answered itself), a description of what that status means for
//!   an ALB (502 target connection error, 503 no healthy target, 504 target timeout,
//!   460 client closed the connection...);
//! - trace id: the X-Ray `Root=1-xxxxxxxx-yyyy…` of `trace_id`, in OpenTelemetry form;
//! - dimensions: user agent, client app/version, `host` = the target, `edge` = the
//!   load balancer's name, `region` from the target group ARN.
//!
//! Service: the target group's name (from `target_group_arn`), else `default_service`,
//! else the load balancer's name.

use super::combined::{
    excerpt, parse_status, service_name, split_request, trace_id_into, DimBuf, Fields, Tok,
};
use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::{time, RequestRecord, Source};

/// The ALB / Classic ELB access-log reader.
pub struct Alb;

const KIND: &str = "access_log";
/// Fields read from one line at most.
const MAX_FIELDS: usize = 40;

impl Format for Alb {
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
        let mut trace_buf = String::with_capacity(32);
        super::for_each_line(input, sink, KIND, |line, number, sink| match parse(line) {
            Ok(e) => emit(&e, config, &mut trace_buf, sink),
            Err(msg) => sink.skip_line(KIND, number, msg),
        })
    }
}

/// One load-balancer line, read.
#[derive(Debug)]
struct Entry<'a> {
    time: i64,
    lb_name: &'a str,
    target: &'a str,
    method: &'a str,
    path: &'a str,
    status: Option<u16>,
    target_answered: bool,
    duration_ms: Option<f64>,
    user_agent: &'a str,
    target_group: Option<&'a str>,
    region: Option<&'a str>,
    trace: Option<&'a str>,
    error_reason: Option<&'a str>,
}

fn is_alb_type(s: &str) -> bool {
    matches!(s, "http" | "https" | "h2" | "grpcs" | "ws" | "wss")
}

fn parse(line: &str) -> Result<Entry<'_>, String> {
    let mut fields: [(Tok, &str, usize); MAX_FIELDS] = [(Tok::Bare, "", 0); MAX_FIELDS];
    let mut n = 0;
    let mut f = Fields::new(line);
    while n < MAX_FIELDS {
        let at = f.pos();
        match f.next_field() {
            None => break,
            Some(Ok((kind, text))) => {
                if let Some(slot) = fields.get_mut(n) {
                    *slot = (kind, text, at);
                }
                n += 1;
            }
            Some(Err(at)) => {
                return Err(format!(
                    "expected a closing quote, found {}",
                    excerpt(line.get(at..).unwrap_or(""))
                ))
            }
        }
    }
    let first = fields.first().map_or("", |f| f.1);
    let alb = is_alb_type(first);
    // Classic ELB lines have no `type`: every field is one to the left.
    let base = usize::from(alb);
    let field =
        |i: usize, kind: Tok, what: &str| match fields.get(..n).and_then(|f| f.get(base + i)) {
            Some(&(k, text, _)) if k == kind => Ok(text),
            Some(&(_, _, at)) => Err(format!(
                "expected {what}, found {}",
                excerpt(line.get(at..).unwrap_or(""))
            )),
            None => Err(format!("expected {what}, found end of line")),
        };
    let optional = |i: usize| {
        fields
            .get(..n)
            .and_then(|f| f.get(base + i))
            .map(|f| f.1)
            .filter(|s| !s.is_empty() && *s != "-")
    };
    let kind = if alb { first } else { "http" };
    let time_text = field(
        0,
        Tok::Bare,
        "an ISO 8601 time such as 2025-11-26T14:02:10.123456Z",
    )?;
    let sent_at = time_text
        .contains('T')
        .then(|| time::parse(time_text))
        .flatten()
        .ok_or_else(|| {
            format!(
                "expected a load balancer type (http, https, h2, grpcs, ws, wss) or an ISO 8601 time, found {}",
                excerpt(line)
            )
        })?;
    let elb = field(1, Tok::Bare, "the load balancer id")?;
    if alb && !elb.contains('/') {
        return Err(format!(
            "expected the load balancer id like app/my-loadbalancer/50dc6c495c0c9188, found {}",
            excerpt(elb)
        ));
    }
    let lb_name = if alb {
        elb.split('/').nth(1).unwrap_or(elb)
    } else {
        elb
    };
    field(2, Tok::Bare, "client:port")?;
    let target = field(3, Tok::Bare, "target:port")?;
    let mut times = [0f64; 3];
    let names = [
        "request_processing_time",
        "target_processing_time",
        "response_processing_time",
    ];
    for (i, (slot, name)) in times.iter_mut().zip(names).enumerate() {
        let text = field(4 + i, Tok::Bare, name)?;
        *slot = match text.parse::<f64>() {
            Ok(v)
                if v.is_finite()
                    && (v >= 0.0 || v == -1.0)
                    && !text.contains(['e', 'E', 'i', 'n']) =>
            {
                v
            }
            _ => {
                return Err(format!(
                    "expected {name} in seconds (or -1), found {}",
                    excerpt(text)
                ))
            }
        };
    }
    let elb_status = field(7, Tok::Bare, "elb_status_code")?;
    let status = match elb_status {
        "-" => None,
        s => Some(
            parse_status(s)
                .ok_or_else(|| format!("expected elb_status_code, found {}", excerpt(s)))?,
        ),
    }
    .filter(|&s| s != 0);
    let target_status = field(8, Tok::Bare, "target_status_code")?;
    if target_status != "-" && parse_status(target_status).is_none() {
        return Err(format!(
            "expected target_status_code (a status or -), found {}",
            excerpt(target_status)
        ));
    }
    field(9, Tok::Bare, "received_bytes")?;
    field(10, Tok::Bare, "sent_bytes")?;
    let request = field(11, Tok::Quoted, "a quoted request \"METHOD URL PROTOCOL\"")?;
    let user_agent = field(12, Tok::Quoted, "a quoted user agent")?;
    let (method, path) = split_request(request).unwrap_or(("", "-"));

    let (target_group, region, trace, created, error_reason) = if alb {
        // Relative to `time` (ALB field 1): target_group_arn is field 16.
        let arn = optional(15);
        let tg = arn
            .and_then(|a| a.split_once(":targetgroup/"))
            .and_then(|(_, rest)| rest.split('/').next())
            .filter(|s| !s.is_empty());
        let region = arn
            .and_then(|a| a.split(':').nth(3))
            .filter(|s| !s.is_empty());
        let created = optional(20).and_then(time::parse);
        (tg, region, optional(16), created, optional(23))
    } else {
        (None, None, None, None, None)
    };

    let dispatched = times.iter().all(|&t| t >= 0.0);
    let duration_ms = if matches!(kind, "ws" | "wss") {
        None
    } else if dispatched {
        Some(times.iter().sum::<f64>() * 1000.0)
    } else {
        created
            .and_then(|c| sent_at.checked_sub(c))
            .filter(|&d| d >= 0)
            .map(|d| d as f64 / 1e6)
    };
    let start = created
        .unwrap_or_else(|| sent_at.saturating_sub(duration_ms.map_or(0, |d| (d * 1e6) as i64)));
    Ok(Entry {
        time: start,
        lb_name,
        target,
        method,
        path,
        status,
        // Classic ELB writes 0 where an ALB writes `-`.
        target_answered: !matches!(target_status, "-" | "0"),
        duration_ms,
        user_agent,
        target_group,
        region,
        trace,
        error_reason,
    })
}

/// What a status the load balancer sent itself (no target answered) means.
fn lb_error_text(status: Option<u16>) -> Option<&'static str> {
    Some(match status? {
        400 => "alb 400 bad request: malformed request rejected by the load balancer",
        403 => "alb 403 forbidden by a WAF or listener rule",
        405 => "alb 405 method not allowed by the load balancer",
        408 => "alb 408 client request timeout",
        413 => "alb 413 request too large for the target",
        460 => "alb 460 client closed the connection before the load balancer responded",
        463 => "alb 463 too many X-Forwarded-For addresses",
        464 => "alb 464 incompatible protocol versions between client and target group",
        500 => "alb 500 internal error in the load balancer",
        501 => "alb 501 not implemented: unsupported transfer-encoding",
        502 => "alb 502 bad gateway: upstream connect error, connection reset or malformed response from the target",
        503 => "alb 503 service unavailable: no registered or healthy target (no healthy upstream)",
        504 => "alb 504 gateway timeout: the target did not respond before the idle timeout",
        505 => "alb 505 HTTP version not supported",
        507 => "alb 507 insufficient storage: redirect url too long",
        561 => "alb 561 unauthorized by the identity provider",
        _ => return None,
    })
}

fn emit(e: &Entry<'_>, config: &IngestConfig, trace_buf: &mut String, sink: &mut Sink<'_>) {
    let mut dims = DimBuf::new();
    dims.user_agent(e.user_agent);
    dims.push("host", e.target);
    dims.push("edge", e.lb_name);
    if let Some(r) = e.region {
        dims.push("region", r);
    }
    let service = service_name(e.target_group, config, None, e.lb_name);
    let error_type = e.error_reason.or_else(|| {
        (!e.target_answered)
            .then(|| lb_error_text(e.status))
            .flatten()
    });
    let trace_id = e.trace.and_then(|t| trace_id_into(t, trace_buf));
    let rec = RequestRecord {
        time: e.time,
        service,
        method: e.method,
        route: e.path,
        route_is_template: false,
        status: e.status,
        error: e.status.is_none() && !e.target_answered,
        error_type,
        duration_ms: e.duration_ms,
        trace_id,
        dims: dims.as_slice(),
        source: Some(Source::AccessLog),
        ..RequestRecord::default()
    };
    sink.summary.add_request(&rec);
    sink.records(KIND, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_http_example() {
        let e = parse(r#"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-""#).unwrap();
        assert_eq!(e.status, Some(200));
        assert_eq!(e.target_group, Some("my-targets"));
        assert_eq!(e.region, Some("us-east-2"));
        assert_eq!(e.lb_name, "my-loadbalancer");
        assert!((e.duration_ms.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(time::format(e.time), "2018-07-02T22:22:48.364Z");
    }

    #[test]
    fn classic_elb_line() {
        let e = parse(r#"2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -"#).unwrap();
        assert_eq!(e.lb_name, "my-loadbalancer");
        assert_eq!(e.path, "http://www.example.com:80/");
    }
}
