//! nginx and Apache access logs: the `combined` format, and any custom nginx
//! `log_format` given as `nginx_log_format` in the config.
//!
//! `combined` is the format both servers predefine (nginx `ngx_http_log_module`,
//! Apache `mod_log_config`):
//!
//! ```text
//! $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
//! ```
//!
//! Lines may go on after it, as most production setups append timing fields. What
//! follows the user agent is read as:
//!
//! - the ingress-nginx default tail `$request_length $request_time [$proxy_upstream_name]
//!   [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length
//!   $upstream_response_time $upstream_status $req_id` (the proxy upstream name, which
//!   is `namespace-service-port`, then names the service);
//! - `key=value` fields such as `rt=0.123 urt="0.120"` (`rt`, `request_time`, `urt`,
//!   `upstream_response_time`);
//! - otherwise the first number with a decimal point is `$request_time` (nginx writes
//!   it in seconds with millisecond resolution) and the field after it
//!   `$upstream_response_time` (a number, `-`, or a list `0.010, 0.020` / `0.010 : 0.020`
//!   when several upstreams or internal redirects were involved);
//! - a lone integer is Apache's `%D` (microseconds).
//!
//! The duration is `$request_time`; without it, the sum of the upstream response times.
//! The `common` format (no referer and user agent) is accepted too.
//!
//! A custom `log_format` is compiled ([`LogFormat::compile`]) into literal separators
//! and `$variables`, and each line is matched against it left to right, trying the next
//! occurrence of a separator when a variable's value does not fit its shape (a bounded
//! backtracking match, so `$upstream_response_time` lists and unbracketed
//! `$time_local` values are split correctly).
//!
//! **Service naming** (the same rule for every access-log reader): a service the log
//! itself names (ingress-nginx `$proxy_upstream_name`, an ALB target group, a JSON
//! `service` field) wins; then `default_service` from the config; then the Host header
//! (`$host`, `$server_name`, `$http_host`, Envoy's `:authority`) without its port; and
//! last the proxy's own name (`nginx` here).
//!
//! This file also holds the small helpers the access-log readers share (field
//! tokenizer, `$time_local` parser, request-line split, dimension buffer).

use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::{
    time::{self, Nanos, SECOND},
    RequestRecord, Source,
};

/// The nginx / Apache access-log reader (`combined` and custom `log_format`).
pub struct Combined;

const KIND: &str = "access_log";

impl Format for Combined {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn line_independent(&self, _input: &Input) -> bool {
        true
    }

    fn sniff(&self, input: &Input, config: &IngestConfig) -> u8 {
        let lines = super::head_lines(input.head(), 20);
        let combined = share_with_floor(&lines, |l| parse_combined(l).is_ok());
        let custom = config
            .nginx_log_format
            .as_deref()
            .and_then(|f| LogFormat::compile(f).ok())
            .map(|f| share_with_floor(&lines, |l| f.parse(l).is_ok()))
            .unwrap_or(0);
        // A configured format that matches is the user's own statement: it wins.
        let custom_score = (custom as u32 * 95 / 100) as u8;
        let combined_score = (combined as u32 * 90 / 100) as u8;
        custom_score.max(combined_score)
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let config = sink.config;
        let custom = match config.nginx_log_format.as_deref().map(LogFormat::compile) {
            Some(Ok(f)) => Some(f),
            Some(Err(e)) => {
                sink.summary.problem(format!(
                    "{}: nginx_log_format in the config cannot be used ({e}); reading as combined",
                    sink.file
                ));
                None
            }
            None => None,
        };
        // The configured format goes first when it matches the head at least as well
        // as `combined`; a line the first reading rejects is tried with the other.
        let custom_first = custom.as_ref().is_some_and(|f| {
            let lines = super::head_lines(input.head(), 20);
            super::share(&lines, |l| f.parse(l).is_ok())
                >= super::share(&lines, |l| parse_combined(l).is_ok())
        });
        super::for_each_line(input, sink, KIND, |line, number, sink| {
            let parsed = match (&custom, custom_first) {
                (Some(f), true) => f
                    .parse(line)
                    .or_else(|e| parse_combined_line(line).map_err(|_| e)),
                (Some(f), false) => {
                    parse_combined_line(line).or_else(|e| f.parse(line).map_err(|_| e))
                }
                (None, _) => parse_combined_line(line),
            };
            match parsed {
                Ok(p) => emit(&p, config, sink),
                Err(msg) => sink.skip_line(KIND, number, msg),
            }
        })
    }
}

/// Share of lines accepted, or 0 when fewer than a fifth are (a few look-alike lines
/// in another kind of file are no reason to claim it).
fn share_with_floor(lines: &[&str], pred: impl Fn(&str) -> bool) -> u8 {
    let s = super::share(lines, pred);
    if s < 20 {
        0
    } else {
        s
    }
}

/// One access-log line, read: everything a [`RequestRecord`] is built from.
#[derive(Debug, Default)]
struct Parsed<'a> {
    time: Nanos,
    method: &'a str,
    target: &'a str,
    status: Option<u16>,
    duration_ms: Option<f64>,
    user_agent: Option<&'a str>,
    user: Option<&'a str>,
    /// A service the log names itself.
    service: Option<&'a str>,
    /// The Host header or server name.
    host_header: Option<&'a str>,
    /// The upstream that served the request.
    upstream: Option<&'a str>,
    /// The nginx machine (`$hostname`).
    edge: Option<&'a str>,
    trace_id: Option<&'a str>,
    dims: DimBuf<'a>,
}

fn emit(p: &Parsed<'_>, config: &IngestConfig, sink: &mut Sink<'_>) {
    let mut dims = DimBuf::new();
    for &(name, value) in p.dims.as_slice() {
        dims.push(name, value);
    }
    if let Some(ua) = p.user_agent {
        dims.user_agent(ua);
    }
    if let Some(u) = p.user {
        dims.push("user", u);
    }
    if let Some(h) = p.upstream {
        dims.push("host", h);
    }
    if let Some(e) = p.edge {
        dims.push("edge", e);
    }
    let service = service_name(
        p.service,
        config,
        p.host_header.map(host_without_port),
        "nginx",
    );
    let (method, route) = if p.method.is_empty() {
        ("", "-")
    } else {
        (p.method, p.target)
    };
    let rec = RequestRecord {
        time: p.time,
        service,
        method,
        route,
        route_is_template: false,
        status: p.status,
        duration_ms: p.duration_ms,
        trace_id: p.trace_id,
        dims: dims.as_slice(),
        source: Some(Source::AccessLog),
        ..RequestRecord::default()
    };
    sink.summary.add_request(&rec);
    sink.records(KIND, 1);
}

// ---------------------------------------------------------------------------------
// combined

/// The fixed part of a `combined` (or `common`) line.
#[derive(Debug)]
struct CombinedLine<'a> {
    user: &'a str,
    time: Nanos,
    request: &'a str,
    status: u16,
    user_agent: Option<&'a str>,
    rest: &'a str,
}

/// Where and why a line did not parse.
#[derive(Debug)]
struct Bad {
    expected: &'static str,
    at: usize,
}

impl Bad {
    fn message(&self, line: &str) -> String {
        format!(
            "expected {}, found {}",
            self.expected,
            excerpt(line.get(self.at..).unwrap_or(""))
        )
    }
}

fn parse_combined(line: &str) -> Result<CombinedLine<'_>, Bad> {
    let bad = |expected, at| Bad { expected, at };
    let mut f = Fields::new(line);
    let addr = f.bare().ok_or(bad("the client address", 0))?;
    if addr.starts_with(['[', '"', '{']) {
        return Err(bad("the client address", 0));
    }
    let at = f.pos();
    f.bare().ok_or(bad("the ident field (`-`)", at))?;
    let at = f.pos();
    let user = f.bare().ok_or(bad("the remote user (`-`)", at))?;
    let at = f.pos();
    let when = f
        .bracketed()
        .ok_or(bad("a time like [26/Nov/2025:14:02:10 +0000]", at))?;
    let time = parse_time_local(when).ok_or(bad("a time like [26/Nov/2025:14:02:10 +0000]", at))?;
    let at = f.pos();
    let request = f.quoted().ok_or(bad("a quoted request line", at))?;
    let at = f.pos();
    let status = f
        .bare()
        .and_then(parse_status)
        .ok_or(bad("an HTTP status after the request", at))?;
    let at = f.pos();
    let bytes = f.bare().ok_or(bad("the response size", at))?;
    if !(bytes == "-" || bytes.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad("the response size", at));
    }
    if f.at_end() {
        // `common`: no referer and user agent.
        return Ok(CombinedLine {
            user,
            time,
            request,
            status,
            user_agent: None,
            rest: "",
        });
    }
    let at = f.pos();
    f.quoted().ok_or(bad("a quoted referer", at))?;
    let at = f.pos();
    let ua = f.quoted().ok_or(bad("a quoted user agent", at))?;
    Ok(CombinedLine {
        user,
        time,
        request,
        status,
        user_agent: Some(ua),
        rest: f.rest(),
    })
}

fn parse_combined_line(line: &str) -> Result<Parsed<'_>, String> {
    let c = parse_combined(line).map_err(|b| b.message(line))?;
    let (method, target) = split_request(c.request).unwrap_or(("", "-"));
    let mut p = Parsed {
        time: c.time,
        method,
        target,
        status: status_or_none(c.status),
        user_agent: c.user_agent,
        user: Some(c.user),
        ..Parsed::default()
    };
    read_tail(c.rest, &mut p);
    Ok(p)
}

/// Reads what follows the user agent (see the module documentation).
fn read_tail<'a>(rest: &'a str, p: &mut Parsed<'a>) {
    let mut toks: [(Tok, &'a str); 16] = [(Tok::Bare, ""); 16];
    let mut n = 0;
    let mut f = Fields::new(rest);
    while let Some(Ok(t)) = f.next_field() {
        if let Some(slot) = toks.get_mut(n) {
            *slot = t;
            n += 1;
        } else {
            break;
        }
    }
    let toks = toks.get(..n).unwrap_or(&[]);
    let get = |i: usize| toks.get(i).copied();

    // ingress-nginx: int, seconds, [upstream name], [alternative], addr, len, time, status, id
    if let (Some((Tok::Bare, len)), Some((Tok::Bare, rt)), Some((Tok::Bracketed, upstream))) =
        (get(0), get(1), get(2))
    {
        if len.bytes().all(|b| b.is_ascii_digit()) && seconds_ms(rt).is_some() {
            p.duration_ms = seconds_ms(rt);
            if !matches!(upstream, "" | "-") {
                p.service = Some(upstream);
            }
            if let Some((Tok::Bare, addr)) = get(4) {
                p.upstream = last_of_list(addr);
            }
            if p.duration_ms.is_none() {
                p.duration_ms = get(6).and_then(|(_, t)| seconds_list_ms(t));
            }
            return;
        }
    }

    let mut request_time = None;
    let mut upstream_time = None;
    // key=value fields
    for &(_, t) in toks {
        let Some(eq) = memchr::memchr(b'=', t.as_bytes()) else {
            continue;
        };
        let (k, v) = (&t[..eq], &t[eq + 1..]);
        let v = v.trim_matches('"');
        match k {
            "rt" | "request_time" | "reqtime" => request_time = seconds_ms(v),
            "urt" | "upstream_response_time" | "upstream_time" => {
                upstream_time = seconds_list_ms(v)
            }
            "ua" | "upstream_addr" | "upstream" => p.upstream = last_of_list(v),
            _ => {}
        }
    }
    if request_time.is_none() && upstream_time.is_none() {
        let first_float = toks
            .iter()
            .position(|(_, t)| t.as_bytes().contains(&b'.') && seconds_ms(t).is_some());
        if let Some(i) = first_float {
            request_time = toks.get(i).and_then(|(_, t)| seconds_ms(t));
            upstream_time = toks.get(i + 1).and_then(|(_, t)| seconds_list_ms(t));
        } else if let Some((Tok::Bare, us)) = get(0) {
            // Apache %D: microseconds.
            if !us.is_empty() && us.len() <= 12 && us.bytes().all(|b| b.is_ascii_digit()) {
                request_time = us.parse::<f64>().ok().map(|v| v / 1000.0);
            }
        }
    }
    p.duration_ms = request_time.or(upstream_time);
}

// ---------------------------------------------------------------------------------
// custom log_format

/// At most this many variables in a `log_format`.
const MAX_VARS: usize = 64;
/// Match steps allowed per line before the line is declared ambiguous.
const MATCH_BUDGET: u32 = 4096;

/// A compiled nginx `log_format`: literal separators and variables.
#[derive(Debug, Clone)]
pub struct LogFormat {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
enum Piece {
    Lit(String),
    Var(Var, String),
}

/// What a variable is, for matching (its value's shape) and for the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    RemoteUser,
    TimeLocal,
    TimeIso,
    Msec,
    Request,
    Method,
    RequestUri,
    Uri,
    Status,
    /// A plain number (`$body_bytes_sent`, `$request_length`...), or `-`.
    Number,
    UserAgent,
    RequestTime,
    /// `$upstream_*` values: one per upstream tried, `, ` or ` : ` separated.
    UpstreamTimes,
    UpstreamList,
    UpstreamAddr,
    Host,
    ProxyUpstreamName,
    Hostname,
    TraceParent,
    AmznTrace,
    B3TraceId,
    CloudTrace,
    Dim(&'static str),
    Any,
}

impl LogFormat {
    /// Compiles an nginx `log_format` string. It may be given bare
    /// (`$remote_addr - ... "$http_user_agent"`), or as written in `nginx.conf`: a
    /// `log_format name [escape=...]` prefix and/or single-quoted pieces that nginx
    /// concatenates.
    pub fn compile(format: &str) -> Result<LogFormat, String> {
        let text = unwrap_nginx_conf(format);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut lit = String::new();
        let mut vars = 0usize;
        let mut i = 0usize;
        while let Some(rest) = text.get(i..).filter(|r| !r.is_empty()) {
            let Some(after) = rest.strip_prefix('$') else {
                let c = rest.chars().next().unwrap_or(' ');
                lit.push(c);
                i += c.len_utf8();
                continue;
            };
            let (name, used) = if let Some(braced) = after.strip_prefix('{') {
                let end = braced
                    .find('}')
                    .ok_or_else(|| format!("unterminated `${{` at byte {i}"))?;
                (braced.get(..end).unwrap_or(""), end + 2)
            } else {
                let end = after
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(after.len());
                (after.get(..end).unwrap_or(""), end)
            };
            i += 1 + used;
            if name.is_empty() {
                lit.push('$');
                if used == 2 {
                    lit.push_str("{}");
                }
                continue;
            }
            if !lit.is_empty() {
                pieces.push(Piece::Lit(std::mem::take(&mut lit)));
            }
            vars += 1;
            if vars > MAX_VARS {
                return Err(format!("more than {MAX_VARS} variables"));
            }
            pieces.push(Piece::Var(var_of(name), name.to_string()));
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        let has = |want: &[Var]| {
            pieces
                .iter()
                .any(|p| matches!(p, Piece::Var(v, _) if want.contains(v)))
        };
        if !has(&[Var::Status]) {
            return Err("the format has no $status".into());
        }
        if !has(&[Var::TimeLocal, Var::TimeIso, Var::Msec]) {
            return Err("the format has no $time_local, $time_iso8601 or $msec".into());
        }
        if !has(&[Var::Request, Var::RequestUri, Var::Uri]) {
            return Err("the format has no $request, $request_uri or $uri".into());
        }
        Ok(LogFormat { pieces })
    }

    /// Matches one line and reads it.
    fn parse<'l>(&self, line: &'l str) -> Result<Parsed<'l>, String> {
        let mut caps: [&'l str; MAX_VARS] = [""; MAX_VARS];
        let mut m = Matcher {
            line,
            budget: MATCH_BUDGET,
            fail_pos: 0,
            fail_piece: 0,
        };
        if !m.at(&self.pieces, 0, 0, 0, &mut caps) {
            if m.budget == 0 {
                return Err(
                    "line matches nginx_log_format in too many ways to split it (ambiguous separators)"
                        .into(),
                );
            }
            let what = match self.pieces.get(m.fail_piece) {
                Some(Piece::Lit(l)) => format!("`{l}`"),
                Some(Piece::Var(_, name)) => format!("${name}"),
                None => "end of line".into(),
            };
            return Err(format!(
                "expected {what} (nginx_log_format) at column {}, found {}",
                m.fail_pos + 1,
                excerpt(line.get(m.fail_pos..).unwrap_or(""))
            ));
        }
        self.build(&caps)
    }

    fn build<'l>(&self, caps: &[&'l str; MAX_VARS]) -> Result<Parsed<'l>, String> {
        let mut p = Parsed::default();
        let mut have_time = false;
        let mut uri: Option<&'l str> = None;
        let mut request_uri: Option<&'l str> = None;
        let mut request_time = None;
        let mut upstream_time = None;
        let vars = self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v, name) => Some((*v, name.as_str())),
            Piece::Lit(_) => None,
        });
        for ((var, name), &val) in vars.zip(caps.iter()) {
            let set = !(val.is_empty() || val == "-");
            match var {
                Var::RemoteUser => p.user = Some(val),
                Var::TimeLocal | Var::TimeIso | Var::Msec if !have_time => {
                    let t = match var {
                        Var::TimeLocal => parse_time_local(val),
                        _ => time::parse(val),
                    };
                    p.time = t.ok_or_else(|| {
                        format!("expected a time in ${name}, found {}", excerpt(val))
                    })?;
                    have_time = true;
                }
                Var::Request => {
                    if let Some((m, t)) = split_request(val) {
                        if p.method.is_empty() {
                            p.method = m;
                        }
                        p.target = t;
                    }
                }
                Var::Method if set => p.method = val,
                Var::RequestUri if set => request_uri = Some(val),
                Var::Uri if set => uri = Some(val),
                Var::Status => {
                    p.status = status_or_none(parse_status(val).ok_or_else(|| {
                        format!("expected an HTTP status in $status, found {}", excerpt(val))
                    })?)
                }
                Var::UserAgent if set => p.user_agent = Some(val),
                Var::RequestTime => request_time = seconds_ms(val),
                Var::UpstreamTimes if name == "upstream_response_time" => {
                    upstream_time = seconds_list_ms(val)
                }
                Var::UpstreamAddr if set => p.upstream = last_of_list(val),
                Var::Host if set && (p.host_header.is_none() || name == "host") => {
                    p.host_header = Some(val)
                }
                Var::ProxyUpstreamName if set => p.service = Some(val),
                Var::Hostname if set => p.edge = Some(val),
                Var::TraceParent | Var::AmznTrace | Var::B3TraceId | Var::CloudTrace
                    if set && p.trace_id.is_none() =>
                {
                    p.trace_id = trace_id_borrowed(val)
                }
                Var::Dim(d) if set => p.dims.push(d, val),
                _ => {}
            }
        }
        if !have_time {
            return Err("expected a time, found none".into());
        }
        if let Some(u) = request_uri.or(uri) {
            p.target = u;
        }
        if p.target.is_empty() && !p.method.is_empty() {
            p.target = "-";
        }
        p.duration_ms = request_time.or(upstream_time);
        Ok(p)
    }
}

struct Matcher<'l> {
    line: &'l str,
    budget: u32,
    fail_pos: usize,
    fail_piece: usize,
}

impl<'l> Matcher<'l> {
    fn fail(&mut self, pos: usize, piece: usize) -> bool {
        if pos >= self.fail_pos {
            self.fail_pos = pos;
            self.fail_piece = piece;
        }
        false
    }

    /// True when `pieces[piece..]` match `line[pos..]`; fills `caps` from `var`.
    fn at(
        &mut self,
        pieces: &[Piece],
        piece: usize,
        pos: usize,
        var: usize,
        caps: &mut [&'l str; MAX_VARS],
    ) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let line = self.line;
        let rest = line.get(pos..).unwrap_or("");
        match pieces.get(piece) {
            // Extra fields appended after the format are allowed.
            None => rest.is_empty() || rest.starts_with([' ', '\t']) || self.fail(pos, piece),
            Some(Piece::Lit(l)) => {
                if rest.starts_with(l.as_str()) {
                    self.at(pieces, piece + 1, pos + l.len(), var, caps)
                } else {
                    self.fail(pos, piece)
                }
            }
            Some(Piece::Var(v, _)) => {
                let v = *v;
                match pieces.get(piece + 1) {
                    None => {
                        // The last variable takes the rest of the line.
                        if accepts(v, rest) {
                            if let Some(c) = caps.get_mut(var) {
                                *c = rest;
                            }
                            true
                        } else {
                            self.fail(pos, piece)
                        }
                    }
                    Some(Piece::Lit(next)) => {
                        let mut from = 0;
                        while let Some(found) = rest.get(from..).and_then(|r| r.find(next.as_str()))
                        {
                            let end = from + found;
                            from = end + next.chars().next().map_or(1, char::len_utf8);
                            if next.starts_with('"') && escaped(rest, end) {
                                continue;
                            }
                            let value = rest.get(..end).unwrap_or("");
                            if !accepts(v, value) {
                                if !can_grow(v) {
                                    break;
                                }
                                continue;
                            }
                            if let Some(c) = caps.get_mut(var) {
                                *c = value;
                            }
                            if self.at(pieces, piece + 1, pos + end, var + 1, caps) {
                                return true;
                            }
                            if self.budget == 0 {
                                return false;
                            }
                        }
                        self.fail(pos, piece)
                    }
                    Some(Piece::Var(..)) => {
                        // Two variables without a separator: try every split.
                        for end in (0..=rest.len()).filter(|&i| rest.is_char_boundary(i)) {
                            let value = rest.get(..end).unwrap_or("");
                            if !accepts(v, value) {
                                continue;
                            }
                            if let Some(c) = caps.get_mut(var) {
                                *c = value;
                            }
                            if self.at(pieces, piece + 1, pos + end, var + 1, caps) {
                                return true;
                            }
                            if self.budget == 0 {
                                return false;
                            }
                        }
                        self.fail(pos, piece)
                    }
                }
            }
        }
    }
}

/// True when the byte at `at` is preceded by an odd number of backslashes.
fn escaped(s: &str, at: usize) -> bool {
    let before = s.as_bytes().get(..at).unwrap_or(&[]);
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Whether a longer value could still be accepted when a shorter one was not.
fn can_grow(v: Var) -> bool {
    !matches!(
        v,
        Var::Status | Var::Number | Var::RequestTime | Var::Msec | Var::Method
    )
}

/// Whether `value` has the shape of variable `v`.
fn accepts(v: Var, value: &str) -> bool {
    let dash = value == "-";
    match v {
        Var::Status => parse_status(value).is_some(),
        Var::Number => dash || (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())),
        Var::RequestTime | Var::Msec => dash || is_decimal(value),
        Var::TimeLocal => parse_time_local(value).is_some(),
        Var::TimeIso => time::parse(value).is_some(),
        Var::Method => {
            dash || (!value.is_empty() && value.bytes().all(|b| b.is_ascii_alphabetic()))
        }
        Var::UpstreamTimes => list_items(value, |i| i == "-" || is_decimal(i)),
        Var::UpstreamList | Var::UpstreamAddr => list_items(value, |i| !i.contains([' ', '"'])),
        Var::RequestUri | Var::Uri => !value.is_empty() && !value.contains(' '),
        Var::RemoteUser
        | Var::Request
        | Var::UserAgent
        | Var::Host
        | Var::ProxyUpstreamName
        | Var::Hostname
        | Var::TraceParent
        | Var::AmznTrace
        | Var::B3TraceId
        | Var::CloudTrace
        | Var::Dim(_)
        | Var::Any => true,
    }
}

/// An nginx upstream list: items separated by `, ` (several upstreams) or ` : `
/// (internal redirect), each accepted by `item`.
fn list_items(value: &str, item: impl Fn(&str) -> bool) -> bool {
    !value.is_empty()
        && value
            .split(", ")
            .flat_map(|p| p.split(" : "))
            .all(|i| !i.is_empty() && !i.contains(',') && item(i))
}

fn var_of(name: &str) -> Var {
    match name {
        "remote_user" => Var::RemoteUser,
        "time_local" => Var::TimeLocal,
        "time_iso8601" => Var::TimeIso,
        "msec" => Var::Msec,
        "request" => Var::Request,
        "request_method" => Var::Method,
        "request_uri" => Var::RequestUri,
        "uri" | "document_uri" => Var::Uri,
        "status" => Var::Status,
        "body_bytes_sent"
        | "bytes_sent"
        | "request_length"
        | "connection"
        | "connection_requests"
        | "pid"
        | "content_length" => Var::Number,
        "http_user_agent" => Var::UserAgent,
        "request_time" => Var::RequestTime,
        "host" | "server_name" | "http_host" => Var::Host,
        "proxy_upstream_name" => Var::ProxyUpstreamName,
        "hostname" => Var::Hostname,
        "upstream_addr" => Var::UpstreamAddr,
        "http_traceparent" => Var::TraceParent,
        "http_x_amzn_trace_id" => Var::AmznTrace,
        "http_x_b3_traceid" => Var::B3TraceId,
        "http_x_cloud_trace_context" => Var::CloudTrace,
        "remote_addr"
        | "http_referer"
        | "http_x_forwarded_for"
        | "request_id"
        | "http_x_request_id"
        | "req_id" => Var::Any,
        n if n.starts_with("upstream_") && n.ends_with("_time") => Var::UpstreamTimes,
        n if n.starts_with("upstream_") && !n.starts_with("upstream_http_") => Var::UpstreamList,
        n => match n.strip_prefix("http_") {
            Some(header) => header_dim(header).map_or(Var::Any, Var::Dim),
            None => Var::Any,
        },
    }
}

/// The blast-radius dimension a request header (`$http_x_tenant_id`) feeds, if any.
fn header_dim(header: &str) -> Option<&'static str> {
    let name = header.strip_prefix("x_").unwrap_or(header);
    crate::dims::dimension_of(name)
        .or_else(|| crate::dims::dimension_of(&name.replace('_', ".")))
        .or_else(|| crate::dims::dimension_of(&name.replacen('_', ".", 1)))
}

/// Strips `nginx.conf` syntax: `log_format name [escape=..]` and the single- or
/// double-quoted pieces nginx concatenates, leaving the format itself.
fn unwrap_nginx_conf(format: &str) -> String {
    let mut t = format.trim();
    let mut conf = false;
    if let Some(rest) = t.strip_prefix("log_format") {
        conf = true;
        let rest = rest.trim_start();
        // the format's name
        t = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r.trim_start());
        if let Some(rest) = t.strip_prefix("escape=") {
            t = rest
                .split_once(char::is_whitespace)
                .map_or("", |(_, r)| r.trim_start());
        }
    }
    if !(conf || t.starts_with('\'')) {
        return t.to_string();
    }
    let mut out = String::new();
    let mut chars = t.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) if c == '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            Some(_) => out.push(c),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == ';' => break,
            None if c.is_whitespace() => {}
            None => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// Helpers shared by the access-log readers.

/// How many dimensions one access-log record carries at most.
pub(crate) const DIMS_CAP: usize = 16;

/// A fixed-size, allocation-free list of a record's dimensions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DimBuf<'a> {
    items: [(&'a str, &'a str); DIMS_CAP],
    len: usize,
}

impl Default for DimBuf<'_> {
    fn default() -> Self {
        DimBuf {
            items: [("", ""); DIMS_CAP],
            len: 0,
        }
    }
}

impl<'a> DimBuf<'a> {
    /// An empty list.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a dimension unless its value is empty or `-`, or the list is full.
    pub(crate) fn push(&mut self, name: &'a str, value: &'a str) {
        let value = value.trim();
        if value.is_empty() || value == "-" {
            return;
        }
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = (name, value);
            self.len += 1;
        }
    }

    /// Whether a dimension of that name is present.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.as_slice().iter().any(|(n, _)| *n == name)
    }

    /// The dimensions.
    pub(crate) fn as_slice(&self) -> &[(&'a str, &'a str)] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    /// Adds the user agent and the client app and version it names.
    pub(crate) fn user_agent(&mut self, ua: &'a str) {
        let ua = ua.trim();
        if ua.is_empty() || ua == "-" {
            return;
        }
        self.push("user_agent", ua);
        if let Some((name, version)) = crate::dims::client_of_user_agent(ua) {
            if !self.has("client_app") {
                self.push("client_app", name);
            }
            if !self.has("client_version") {
                if let Some(both) = joined(ua, name, version) {
                    self.push("client_version", both);
                }
            }
        }
    }
}

/// `name/version` as one slice of `ua`, when the two are adjacent there (they are:
/// `client_of_user_agent` returns the halves of one product token).
fn joined<'a>(ua: &'a str, name: &str, version: &str) -> Option<&'a str> {
    let base = ua.as_ptr() as usize;
    let start = (name.as_ptr() as usize).checked_sub(base)?;
    let end = (version.as_ptr() as usize)
        .checked_sub(base)?
        .checked_add(version.len())?;
    let s = ua.get(start..end)?;
    (s.len() == name.len() + 1 + version.len() && s.as_bytes().get(name.len()) == Some(&b'/'))
        .then_some(s)
}

/// The service of an access-log record (see the module documentation).
pub(crate) fn service_name<'a>(
    named: Option<&'a str>,
    config: &'a IngestConfig,
    host: Option<&'a str>,
    fallback: &'a str,
) -> &'a str {
    let usable = |s: &&str| !s.is_empty() && *s != "-";
    named
        .filter(usable)
        .or(config.default_service.as_deref().filter(usable))
        .or(host.filter(usable))
        .unwrap_or(fallback)
}

/// `api.example.com:8443` → `api.example.com` (IPv6 literals in brackets are kept).
pub(crate) fn host_without_port(host: &str) -> &str {
    let host = host.trim();
    if host.starts_with('[') {
        return host.find(']').and_then(|i| host.get(..=i)).unwrap_or(host);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// Kind of a field in a space-separated log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A bare word.
    Bare,
    /// A `"quoted"` field (the quotes removed).
    Quoted,
    /// A `[bracketed]` field (the brackets removed).
    Bracketed,
}

/// Splits a log line into bare words, `"quoted strings"` and `[bracketed]` fields,
/// borrowing from the line. A quote ends a field only when followed by a space or
/// the end of the line, and `\"` does not end it (Apache's escaping).
pub(crate) struct Fields<'a> {
    line: &'a str,
    pos: usize,
}

impl<'a> Fields<'a> {
    /// Starts at the beginning of `line`.
    pub(crate) fn new(line: &'a str) -> Self {
        Fields { line, pos: 0 }
    }

    /// Byte offset of the next field (after spaces).
    pub(crate) fn pos(&self) -> usize {
        let bytes = self.line.as_bytes();
        let mut p = self.pos.min(bytes.len());
        while matches!(bytes.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        p
    }

    /// What is left, from the next field on.
    pub(crate) fn rest(&self) -> &'a str {
        self.line.get(self.pos()..).unwrap_or("")
    }

    /// True when no field is left.
    pub(crate) fn at_end(&self) -> bool {
        self.rest().is_empty()
    }

    /// The next field, `Err(offset)` for an unterminated quote or bracket.
    pub(crate) fn next_field(&mut self) -> Option<Result<(Tok, &'a str), usize>> {
        let start = self.pos();
        let rest = self.line.get(start..).unwrap_or("");
        let bytes = rest.as_bytes();
        let (kind, close) = match bytes.first()? {
            b'"' => (Tok::Quoted, b'"'),
            b'[' => (Tok::Bracketed, b']'),
            _ => {
                let end = memchr::memchr2(b' ', b'\t', bytes).unwrap_or(rest.len());
                self.pos = start + end;
                return Some(Ok((Tok::Bare, rest.get(..end).unwrap_or(""))));
            }
        };
        let escape = if kind == Tok::Quoted { b'\\' } else { close };
        let mut i = 1;
        while let Some(off) = bytes
            .get(i..)
            .and_then(|tail| memchr::memchr2(close, escape, tail))
        {
            i += off;
            let b = bytes.get(i).copied().unwrap_or(0);
            if b == b'\\' && kind == Tok::Quoted {
                i += 2;
                continue;
            }
            if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) {
                self.pos = start + i + 1;
                return Some(Ok((kind, rest.get(1..i).unwrap_or(""))));
            }
            i += 1;
        }
        self.pos = self.line.len();
        Some(Err(start))
    }

    /// The next field if it is a bare word.
    pub(crate) fn bare(&mut self) -> Option<&'a str> {
        self.expect(Tok::Bare)
    }

    /// The next field if it is quoted.
    pub(crate) fn quoted(&mut self) -> Option<&'a str> {
        self.expect(Tok::Quoted)
    }

    /// The next field if it is bracketed.
    pub(crate) fn bracketed(&mut self) -> Option<&'a str> {
        self.expect(Tok::Bracketed)
    }

    fn expect(&mut self, kind: Tok) -> Option<&'a str> {
        match self.next_field()? {
            Ok((k, s)) if k == kind => Some(s),
            _ => None,
        }
    }
}

/// Parses nginx `$time_local` / Apache `%t`: `26/Nov/2025:14:02:10 +0000`, exactly.
pub fn parse_time_local(s: &str) -> Option<Nanos> {
    let b = s.as_bytes();
    if b.len() != 26 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0i64, |a, &d| a * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let separators = [
        (2, b'/'),
        (6, b'/'),
        (11, b':'),
        (14, b':'),
        (17, b':'),
        (20, b' '),
    ];
    if !separators.iter().all(|&(at, c)| sep(at, c)) {
        return None;
    }
    let day = num(0, 2)?;
    let month = match b.get(3..6)? {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    };
    let year = num(7, 4)?;
    let (hour, minute, second) = (num(12, 2)?, num(15, 2)?, num(18, 2)?);
    let sign = match b.get(21)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (off_h, off_m) = (num(22, 2)?, num(24, 2)?);
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || off_m > 59 {
        return None;
    }
    if day > days_in_month(year, month) || year < 1970 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs =
        days * 86_400 + hour * 3600 + minute * 60 + second - sign * (off_h * 3600 + off_m * 60);
    secs.checked_mul(SECOND).filter(|&ns| ns > 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Any access-log time: `$time_local`, RFC 3339 / ISO 8601, or epoch seconds (with a
/// fraction, as `$msec`) / milliseconds / microseconds / nanoseconds.
pub(crate) fn parse_time_any(s: &str) -> Option<Nanos> {
    let s = s.trim();
    parse_time_local(s).or_else(|| time::parse(s))
}

/// Splits a request line `GET /path?q HTTP/1.1` into method and target. `None` when
/// it is not one (`-`, or the bytes of a TLS handshake sent to a plain port).
pub(crate) fn split_request(request: &str) -> Option<(&str, &str)> {
    let request = request.trim_start_matches(' ');
    let sp = memchr::memchr(b' ', request.as_bytes())?;
    let method = &request[..sp];
    let rest = request[sp..].trim_start_matches(' ');
    let target = &rest[..memchr::memchr(b' ', rest.as_bytes()).unwrap_or(rest.len())];
    let is_method = (1..=20).contains(&method.len())
        && method
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_uppercase)
        && method
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_');
    (is_method && !target.is_empty()).then_some((method, target))
}

/// A response status of one to three digits. 0 (no response sent) is `Some(0)`.
pub(crate) fn parse_status(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A status of 0 means no response was sent: no status.
pub(crate) fn status_or_none(s: u16) -> Option<u16> {
    (s != 0).then_some(s)
}

/// True for a plain non-negative decimal number: digits and at most one point.
pub(crate) fn is_decimal(s: &str) -> bool {
    let mut dots = 0;
    !s.is_empty()
        && s.len() <= 24
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().all(|b| {
            dots += (b == b'.') as u32;
            b.is_ascii_digit() || b == b'.'
        })
        && dots <= 1
}

/// Seconds (`0.123`) as milliseconds; `None` for `-` or anything else.
pub(crate) fn seconds_ms(s: &str) -> Option<f64> {
    let s = s.trim_matches('"');
    if let Some(v) = simple_decimal(s) {
        return Some(v * 1000.0);
    }
    if !is_decimal(s) {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .map(|v| v * 1000.0)
        .filter(|v| v.is_finite())
}

/// `123.456` (at most 15 significant digits, no sign or exponent) without the general
/// float parser: logs write request times this way on every line. Exact: both the
/// digits and the power of ten are integers a double holds exactly, and one correctly
/// rounded division gives the same double as parsing the text.
fn simple_decimal(s: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 16 {
        return None;
    }
    let (mut mantissa, mut frac_digits, mut dot, mut digits) = (0u64, 0usize, false, 0usize);
    for &c in b {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (c - b'0') as u64;
                digits += 1;
                frac_digits += dot as usize;
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    Some(mantissa as f64 / POW10[frac_digits])
}

/// The total of an nginx upstream-times list (`0.010, 0.020` or `0.010 : 0.020`) in
/// milliseconds; `None` when no item is a number.
pub(crate) fn seconds_list_ms(s: &str) -> Option<f64> {
    let s = s.trim_matches('"');
    let mut total = None;
    for item in s.split([',', ':']).map(str::trim) {
        if let Some(ms) = seconds_ms(item) {
            total = Some(total.unwrap_or(0.0) + ms);
        }
    }
    total
}

/// The last item of an nginx upstream list (the upstream that finally answered).
fn last_of_list(s: &str) -> Option<&str> {
    s.rsplit([',', ' '])
        .map(str::trim)
        .find(|i| !i.is_empty() && *i != ":" && *i != "-")
}

/// A trace id already in its final form (lower-case hex), borrowed from `raw`:
/// W3C `traceparent`, X-Ray `Root=1-...` is not (see [`trace_id_into`]).
fn trace_id_borrowed(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    let id = if raw.len() == 55 && raw.get(2..3) == Some("-") {
        raw.get(3..35)? // traceparent 00-<trace>-<span>-<flags>
    } else if let Some((id, _)) = raw.split_once('/') {
        id // X-Cloud-Trace-Context <trace>/<span>;o=1
    } else {
        raw
    };
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    (matches!(id.len(), 16 | 32) && hex(id)).then_some(id)
}

/// A trace id in lower-case hex from any common spelling: plain hex, W3C
/// `traceparent`, AWS X-Ray (`Root=1-5759e988-bd862e3fe1be46a994272793`, which maps to
/// `5759e988bd862e3fe1be46a994272793`), GCP `X-Cloud-Trace-Context`, or a UUID.
/// Written into `buf` when it has to be rewritten.
pub(crate) fn trace_id_into<'a>(raw: &'a str, buf: &'a mut String) -> Option<&'a str> {
    let raw = raw.trim();
    if let Some(id) = trace_id_borrowed(raw) {
        return Some(id);
    }
    buf.clear();
    let xray = raw
        .split(';')
        .find_map(|p| p.trim().strip_prefix("Root="))
        .or_else(|| raw.starts_with("1-").then_some(raw));
    let source = match xray.and_then(|x| x.strip_prefix("1-")) {
        Some(x) => x,
        None => raw.split_once('/').map_or(raw, |(id, _)| id),
    };
    for c in source.chars() {
        match c {
            '0'..='9' | 'a'..='f' => buf.push(c),
            'A'..='F' => buf.push(c.to_ascii_lowercase()),
            '-' => {}
            _ => return None,
        }
        if buf.len() > 32 {
            return None;
        }
    }
    matches!(buf.len(), 16 | 32).then_some(buf.as_str())
}

/// A short, printable excerpt of `s` for a message: at most 48 characters, quoted
/// with control characters escaped, or `end of line`.
pub(crate) fn excerpt(s: &str) -> String {
    if s.is_empty() {
        return "end of line".into();
    }
    let cut: String = s.chars().take(48).collect();
    let more = if cut.len() < s.len() { "…" } else { "" };
    format!("{:?}{more}", cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast decimal path must give the very double the float parser gives.
        #[test]
        fn simple_decimal_equals_the_float_parser(int in 0u64..1_000_000, frac in 0u64..1_000_000_000, digits in 0usize..10) {
            let text = if digits == 0 {
                int.to_string()
            } else {
                let f = format!("{frac:09}");
                format!("{int}.{}", &f[..digits])
            };
            prop_assert_eq!(simple_decimal(&text), Some(text.parse::<f64>().unwrap()));
        }
    }

    #[test]
    fn simple_decimal_refuses_what_it_cannot_do_exactly() {
        for s in [
            "",
            ".",
            "1.2.3",
            "-1.0",
            "1e3",
            "12345678901234567",
            "0.0000000000000001",
        ] {
            assert_eq!(simple_decimal(s), None, "{s}");
        }
        assert_eq!(seconds_ms("0.016"), Some(16.0));
    }

    #[test]
    fn time_local_is_exact() {
        let t = parse_time_local("26/Nov/2025:14:02:10 +0000").unwrap();
        assert_eq!(time::format(t), "2025-11-26T14:02:10.000Z");
        let t2 = parse_time_local("26/Nov/2025:15:02:10 +0100").unwrap();
        assert_eq!(t, t2);
        let t3 = parse_time_local("29/Feb/2024:00:00:00 -0130").unwrap();
        assert_eq!(time::format(t3), "2024-02-29T01:30:00.000Z");
        assert_eq!(parse_time_local("29/Feb/2025:00:00:00 +0000"), None);
        assert_eq!(parse_time_local("26/Foo/2025:14:02:10 +0000"), None);
        assert_eq!(parse_time_local("26/Nov/2025:14:02:10"), None);
        assert_eq!(parse_time_local("26/Nov/2025 14:02:10 +0000"), None);
        assert_eq!(parse_time_local("٢٦/Nov/2025:14:02:10 +00"), None);
    }

    #[test]
    fn fields_tokenize() {
        let mut f = Fields::new(r#"a "b c\" d" [e f] "g"h" i"#);
        assert_eq!(f.next_field(), Some(Ok((Tok::Bare, "a"))));
        assert_eq!(f.next_field(), Some(Ok((Tok::Quoted, r#"b c\" d"#))));
        assert_eq!(f.next_field(), Some(Ok((Tok::Bracketed, "e f"))));
        assert_eq!(f.next_field(), Some(Ok((Tok::Quoted, r#"g"h"#))));
        assert_eq!(f.next_field(), Some(Ok((Tok::Bare, "i"))));
        assert_eq!(f.next_field(), None);
        let mut g = Fields::new(r#""open"#);
        assert_eq!(g.next_field(), Some(Err(0)));
    }

    #[test]
    fn trace_ids() {
        let mut b = String::new();
        assert_eq!(
            trace_id_into("Root=1-58337262-36d228ad5d99923122bbe354", &mut b),
            Some("5833726236d228ad5d99923122bbe354")
        );
        assert_eq!(
            trace_id_into(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                &mut b
            ),
            Some("0af7651916cd43dd8448eb211c80319c")
        );
        assert_eq!(
            trace_id_into("0AF7651916CD43DD8448EB211C80319C", &mut b),
            Some("0af7651916cd43dd8448eb211c80319c")
        );
        assert_eq!(trace_id_into("hello", &mut b), None);
    }

    #[test]
    fn user_agent_dims_borrow() {
        let mut d = DimBuf::new();
        d.user_agent("ShopApp/4.12.0 (iOS 17.2; iPhone14,2) Alamofire/5.8.0");
        assert!(d.as_slice().contains(&("client_app", "ShopApp")));
        assert!(d.as_slice().contains(&("client_version", "ShopApp/4.12.0")));
    }

    #[test]
    fn log_format_compiles_conf_syntax() {
        let f = LogFormat::compile(
            "log_format main escape=default '$remote_addr - $remote_user [$time_local] \"$request\" '\n    '$status $body_bytes_sent';",
        )
        .unwrap();
        assert!(f
            .parse(r#"1.2.3.4 - - [26/Nov/2025:14:02:10 +0000] "GET /a HTTP/1.1" 200 12"#)
            .is_ok());
        assert!(LogFormat::compile("$remote_addr $status").is_err());
    }
}
