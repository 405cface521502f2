//! Plays one request through the system's call tree and records what the
//! instrumentation would: spans (server, client, database, cache, internal), log
//! records, and the response the client got.
//!
//! The request enters at the edge, is forwarded to the owner service, whose handler
//! runs its steps (SQL, cache reads with database fallback, calls to other services
//! or to third parties, in-process work). At every hop the plan's effects are looked
//! up: a downstream that is slow or failing for this request's region, a handler that
//! throws for this user's cohort on the new pods, a producer whose response changed
//! shape, a resource whose utilisation forces waits or rejections. Failures travel
//! back up the tree the way real services propagate them (timeouts become 504s at the
//! caller, refused connections 502/503, client retries with a resend count), and each
//! service logs what it would log about them.

use std::collections::BTreeMap;

use crate::domains::{EpKind, ExtKind};
use crate::exceptions::{self as ex, Downstream, Exc};
use crate::fleet::{Fleet, ResKey};
use crate::ids;
use crate::pressure::Pressure;
use crate::random::{self as r, SimRng};
use crate::records::{self as rec, Attr, EventRec, LogRec, Sev, SpanRec, Status};
use crate::scenarios::{
    DepFailure, Effect, Expect, Filter, HandlerFailure, Plan, Resource, Rule, ShapeChange, Target,
};
use crate::semconv::Semconv;
use crate::system::{Lang, OpKind, Step, System};
use crate::time::{MS, SEC};

/// One request as the client sends it.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub start: i64,
    pub ep: usize,
    pub user: usize,
    pub attempt: u32,
    pub force: Option<Expect>,
    /// A scanner probing a path that does not exist.
    pub scanner: Option<String>,
    /// Error text an app reports through the client-events endpoint.
    pub beacon: Option<String>,
    /// Stable per-request key (path parameters, body values).
    pub key: u64,
}

/// What the client got back.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub trace_id: String,
    pub status: u16,
    pub end: i64,
    /// Time spent waiting for the owner service, seen from the edge.
    pub upstream: Option<i64>,
    pub edge: ResKey,
    pub bytes: u64,
    pub shape: Option<ShapeChange>,
    pub content_type: Option<String>,
    pub retry_after: Option<u32>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub validation: Option<(String, Rule)>,
    pub path: String,
    pub query: String,
}

/// Per-metric-step request counts and latency sums of server spans.
#[derive(Debug, Clone)]
pub(crate) struct Counters {
    pub start: i64,
    pub step: i64,
    pub len: usize,
    /// (service, op, status) → per step (count, seconds).
    pub map: BTreeMap<(u16, u16, u16), Vec<(u32, f32)>>,
}

impl Counters {
    pub(crate) fn new(start: i64, end: i64, step: i64) -> Self {
        let len = ((end - start) / step + 2).max(1) as usize;
        Counters {
            start,
            step,
            len,
            map: BTreeMap::new(),
        }
    }

    fn record(&mut self, svc: u16, op: u16, status: u16, start: i64, end: i64) {
        let slot = (((start - self.start) / self.step).max(0) as usize).min(self.len - 1);
        let len = self.len;
        let v = self.map.entry((svc, op, status)).or_insert_with(|| vec![(0, 0.0); len]);
        v[slot].0 += 1;
        v[slot].1 += ((end - start) as f64 / SEC as f64) as f32;
    }
}

/// The response of one hop.
#[derive(Debug, Clone, Default)]
struct Served {
    status: u16,
    end: i64,
    shape: Option<ShapeChange>,
    ctype: Option<String>,
    retry_after: Option<u32>,
    code: Option<String>,
    msg: Option<String>,
    validation: Option<(String, Rule)>,
}

/// A failure inside a handler.
#[derive(Debug, Clone)]
struct Fail {
    status: u16,
    exc: Option<Exc>,
    code: String,
    msg: String,
    retry_after: Option<u32>,
    validation: Option<(String, Rule)>,
    /// Already logged where it happened.
    logged: bool,
    /// Thrown out of the handler (Tomcat logs it) rather than mapped by the app.
    unhandled: bool,
}

impl Fail {
    fn new(status: u16, code: &str, msg: impl Into<String>) -> Self {
        Fail {
            status,
            exc: None,
            code: code.to_string(),
            msg: msg.into(),
            retry_after: None,
            validation: None,
            logged: false,
            unhandled: false,
        }
    }

    fn with_exc(mut self, exc: Exc) -> Self {
        self.exc = Some(exc);
        self
    }
}

enum StepRes {
    Ok,
    Shape(ShapeChange, Option<String>),
    Fail(Fail),
}

struct StepOut {
    end: i64,
    res: StepRes,
}

#[derive(Clone)]
struct Here {
    op: usize,
    svc: usize,
    res: ResKey,
    span: String,
}

/// Executes requests; holds the spans and logs of the current one.
pub(crate) struct Exec<'a> {
    sys: &'a System,
    plan: &'a Plan,
    press: &'a Pressure,
    fleet: &'a Fleet,
    sc: Semconv,
    rng: SimRng,
    pub spans: Vec<SpanRec>,
    pub logs: Vec<LogRec>,
    pub counters: Counters,
    trace_id: String,
    user: usize,
    region: usize,
    path: String,
    query: String,
    owner_op: Option<usize>,
    upstream: Option<i64>,
    force_dep: bool,
    force_handler: bool,
    force_pressure: bool,
    force_biz: bool,
    beacon: Option<String>,
    goroutine: u64,
    completed: u64,
}

fn ms(v: f64) -> i64 {
    (v * MS as f64) as i64
}

fn default_status(kind: OpKind) -> u16 {
    match kind {
        OpKind::Edge(EpKind::Checkout) | OpKind::Owner(EpKind::Checkout) => 201,
        OpKind::Edge(EpKind::BasketAdd) | OpKind::Owner(EpKind::BasketAdd) => 201,
        OpKind::Edge(EpKind::ClientEvents) => 202,
        OpKind::Reserve | OpKind::Charge => 201,
        OpKind::Notify => 202,
        _ => 200,
    }
}

fn fill_route(route: &str, key: u64, sys: &System) -> String {
    let d = sys.domain;
    let mut out = String::with_capacity(route.len() + 8);
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).unwrap_or(rest.len() - 1);
        let name = &rest[open + 1..close];
        let prefix = if name == d.item_id { d.item_prefix } else { d.order_prefix };
        out.push_str(&format!("{prefix}_{}", base32(r::mix(key, 7), 10)));
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

fn base32(mut v: u64, n: usize) -> String {
    const A: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        s.push(A[(v % 32) as usize] as char);
        v /= 32;
    }
    s
}

impl<'a> Exec<'a> {
    pub(crate) fn new(
        sys: &'a System,
        plan: &'a Plan,
        press: &'a Pressure,
        fleet: &'a Fleet,
        rng: SimRng,
        counters: Counters,
    ) -> Self {
        Exec {
            sys,
            plan,
            press,
            fleet,
            sc: Semconv {
                old: sys.formats.old_semconv,
            },
            rng,
            spans: Vec::new(),
            logs: Vec::new(),
            counters,
            trace_id: String::new(),
            user: 0,
            region: 0,
            path: String::new(),
            query: String::new(),
            owner_op: None,
            upstream: None,
            force_dep: false,
            force_handler: false,
            force_pressure: false,
            force_biz: false,
            beacon: None,
            goroutine: 1000,
            completed: 4_000_000,
        }
    }

    /// The random stream (shared with the traffic generator so one seed drives all).
    pub(crate) fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    /// The current request's trace id.
    pub(crate) fn trace_id(&self) -> &str {
        &self.trace_id
    }

    /// Query string for an endpoint request.
    fn query_for(&mut self, kind: EpKind, key: u64) -> String {
        let d = self.sys.domain;
        match kind {
            EpKind::Search => {
                let term = d.search_terms[(key % d.search_terms.len() as u64) as usize];
                format!("q={}&page={}", term.replace(' ', "+"), 1 + (key >> 8) % 3)
            }
            EpKind::Nearby => format!(
                "lat={:.4}&lon={:.4}&radiusKm=5",
                40.0 + (key % 1000) as f64 / 100.0,
                -3.0 + ((key >> 10) % 1000) as f64 / 100.0
            ),
            EpKind::OrderList => "limit=20".to_string(),
            EpKind::Report => "from=2025-01-01&format=csv".to_string(),
            _ => String::new(),
        }
    }

    /// Runs one request; spans and logs are left in `self.spans` / `self.logs`.
    pub(crate) fn handle(&mut self, req: &Request) -> Outcome {
        let sys = self.sys;
        self.spans.clear();
        self.logs.clear();
        self.user = req.user;
        self.region = sys.users[req.user].region;
        self.trace_id = ids::trace_id(&mut self.rng, sys.formats.xray_ids, req.start);
        self.upstream = None;
        self.beacon = req.beacon.clone();
        let failing = req.force == Some(Expect::Failure);
        self.force_dep = failing && self.plan.bucket == "dependency";
        self.force_handler = failing && (self.plan.bucket == "code_path" || self.plan.bucket == "contract");
        self.force_pressure = failing && self.plan.bucket == "capacity";
        self.force_biz = req.force == Some(Expect::Business);
        let ep = &sys.endpoints[req.ep];
        self.owner_op = ep.owner_op;
        if let Some(junk) = &req.scanner {
            self.path = junk.clone();
            self.query = String::new();
            return self.scanner(req);
        }
        self.path = fill_route(&ep.route, req.key, sys);
        self.query = self.query_for(ep.kind, req.key);
        let served = self.serve(ep.edge_op, None, req.start, None);
        let edge = self.spans.last().map(|s| s.res).unwrap_or(ResKey {
            svc: 0,
            gen: 0,
            region: self.region as u8,
            pod: 0,
        });
        let bytes = match served.status {
            200..=299 => match ep.kind {
                EpKind::Search | EpKind::OrderList => 3000 + r::int(&mut self.rng, 0, 9000) as u64,
                EpKind::Report => 20_000 + r::int(&mut self.rng, 0, 60_000) as u64,
                EpKind::ClientEvents => 16,
                _ => 400 + r::int(&mut self.rng, 0, 1400) as u64,
            },
            _ => 90 + r::int(&mut self.rng, 0, 200) as u64,
        };
        Outcome {
            trace_id: self.trace_id.clone(),
            status: served.status,
            end: served.end,
            upstream: self.upstream,
            edge,
            bytes,
            shape: served.shape,
            content_type: served.ctype,
            retry_after: served.retry_after,
            code: served.code,
            message: served.msg,
            validation: served.validation,
            path: self.path.clone(),
            query: self.query.clone(),
        }
    }

    fn scanner(&mut self, req: &Request) -> Outcome {
        let res = self.fleet.pick(self.press, 0, self.region, req.start, &mut self.rng);
        let end = req.start + ms(r::lognormal(&mut self.rng, 1.2, 0.4));
        let span = ids::span_id(&mut self.rng);
        let user = &self.sys.users[req.user];
        let attrs = vec![
            rec::s(self.sc.method(), "GET"),
            rec::s(self.sc.path(), self.path.clone()),
            rec::i(self.sc.status(), 404),
            rec::s(self.sc.user_agent(), "Mozilla/5.0 zgrab/0.x"),
            rec::s(self.sc.client_address(), ip(user.ip)),
        ];
        self.spans.push(SpanRec {
            res,
            scope: self.scope_server(0),
            id: span,
            parent: None,
            name: "GET".into(),
            kind: rec::SERVER,
            start: req.start,
            end,
            attrs,
            events: Vec::new(),
            status: Status::Unset,
        });
        Outcome {
            trace_id: self.trace_id.clone(),
            status: 404,
            end,
            upstream: None,
            edge: res,
            bytes: 150,
            shape: None,
            content_type: Some("application/json".into()),
            retry_after: None,
            code: Some("not_found".into()),
            message: Some("No route".into()),
            validation: None,
            path: self.path.clone(),
            query: String::new(),
        }
    }

    fn matches(&self, filter: &Filter) -> bool {
        filter_matches(self.sys, filter, self.user)
    }

    fn scope_server(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java if self.sys.services[svc].edge => "io.opentelemetry.netty-4.1",
            Lang::Java => "io.opentelemetry.tomcat-10.0",
            Lang::Go => "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        }
    }

    fn scope_client(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java if self.sys.services[svc].edge => "io.opentelemetry.netty-4.1",
            Lang::Java => "io.opentelemetry.apache-httpclient-5.0",
            Lang::Go => "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        }
    }

    fn scope_db(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java => "io.opentelemetry.jdbc",
            Lang::Go => "github.com/XSAM/otelsql",
        }
    }

    fn scope_cache(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java => "io.opentelemetry.lettuce-5.1",
            Lang::Go => "github.com/redis/go-redis/extra/redisotel",
        }
    }

    fn log(&mut self, here: &Here, time: i64, sev: Sev, scope: String, body: String, exc: Option<&Exc>) {
        let svc = &self.sys.services[here.svc];
        let mut attrs = Vec::new();
        if svc.lang == Lang::Java {
            attrs.push(rec::s(
                "thread.name",
                format!("http-nio-{}-exec-{}", svc.port, 1 + r::index(&mut self.rng, 40)),
            ));
        }
        if let Some(e) = exc {
            attrs.push(rec::s("exception.type", e.ty.clone()));
            attrs.push(rec::s("exception.message", e.msg.clone()));
            if !e.stack.is_empty() {
                attrs.push(rec::s("exception.stacktrace", e.stack.clone()));
            }
        }
        self.logs.push(LogRec {
            res: here.res,
            scope,
            time,
            sev,
            body,
            attrs,
            span: Some(here.span.clone()),
            trace: true,
        });
    }

    fn app_logger(&self, svc: usize, suffix: &str) -> String {
        let s = &self.sys.services[svc];
        match s.lang {
            Lang::Java => format!("{}.{}", s.pkg, suffix),
            Lang::Go => s.pkg.clone(),
        }
    }

    fn exception_event(time: i64, e: &Exc) -> EventRec {
        let mut attrs = vec![
            rec::s("exception.type", e.ty.clone()),
            rec::s("exception.message", e.msg.clone()),
        ];
        if !e.stack.is_empty() {
            attrs.push(rec::s("exception.stacktrace", e.stack.clone()));
        }
        EventRec {
            name: "exception",
            time,
            attrs,
        }
    }

    /// Serves `op` (a server span, or an internal span when `inline` is the caller's pod).
    fn serve(&mut self, op_i: usize, parent: Option<String>, t0: i64, inline: Option<ResKey>) -> Served {
        let sys = self.sys;
        let plan = self.plan;
        let op = &sys.ops[op_i];
        let svc_i = op.service;
        let svc = &sys.services[svc_i];
        let res = match inline {
            Some(r) => r,
            None => self.fleet.pick(self.press, svc_i, self.region, t0, &mut self.rng),
        };
        let gen_change = self.fleet.generation(res).change;
        let span_id = ids::span_id(&mut self.rng);
        let here = Here {
            op: op_i,
            svc: svc_i,
            res,
            span: span_id.clone(),
        };
        let server = inline.is_none();
        let mut t = t0;
        let mut fail: Option<Fail> = None;
        let mut shape_out: Option<ShapeChange> = None;
        let mut ctype: Option<String> = None;
        let mut events = Vec::new();

        if server && !svc.edge {
            fail = self.saturation(&here, &mut t);
        }

        // Handler effects (the plan's code and contract changes).
        let mut throw_after: Option<(usize, Exc)> = None;
        let mut route_missing = false;
        if fail.is_none() {
            for eff in &plan.effects {
                let Effect::Handler {
                    op: e_op,
                    curve,
                    gate,
                    filter,
                    prob,
                    failure,
                } = eff
                else {
                    continue;
                };
                if *e_op != op_i || gate.is_some_and(|g| g != gen_change) {
                    continue;
                }
                let c = curve.at(t);
                if c <= 0.0 || !self.matches(filter) {
                    continue;
                }
                if !(self.force_handler || r::chance(&mut self.rng, prob * c)) {
                    continue;
                }
                match failure {
                    HandlerFailure::RouteMissing => {
                        route_missing = true;
                        let mut f = Fail::new(404, "not_found", format!("No handler for {} {}", op.method, self.path));
                        if svc.lang == Lang::Java {
                            self.log(
                                &here,
                                t + MS / 2,
                                Sev::Warn,
                                "org.springframework.web.servlet.PageNotFound".into(),
                                format!("No mapping for {} {}", op.method, self.path),
                                None,
                            );
                        }
                        f.logged = true;
                        fail = Some(f);
                    }
                    HandlerFailure::Forbidden => {
                        let u = &sys.users[self.user];
                        let action = format!("{}:read", sys.domain.order.to_lowercase());
                        self.log(
                            &here,
                            t + MS,
                            Sev::Warn,
                            self.app_logger(svc_i, "security.PolicyEnforcer"),
                            format!(
                                "Access denied: subject={} role={} action={action} resource={}",
                                u.id,
                                crate::domains::USER_ROLES[u.role].0,
                                op.route
                            ),
                            None,
                        );
                        let mut f = Fail::new(403, "forbidden", "You are not allowed to perform this action");
                        f.logged = true;
                        fail = Some(f);
                    }
                    HandlerFailure::Validation { status, field, rule } => {
                        let detail = match rule {
                            Rule::Pattern(p) => format!("{field}: must match \"{p}\""),
                            Rule::Required => format!("{field}: must not be null"),
                            Rule::Email => format!("{field}: must be a well-formed email address"),
                        };
                        let body = match svc.lang {
                            Lang::Java => format!(
                                "Validation failed for {} {}: 1 error(s): [{detail}]",
                                op.method, op.route
                            ),
                            Lang::Go => format!("invalid request body: {detail}"),
                        };
                        self.log(&here, t + MS, Sev::Warn, self.app_logger(svc_i, "api.ApiExceptionHandler"), body, None);
                        let mut f = Fail::new(*status, "validation_failed", detail);
                        f.validation = Some((field.clone(), rule.clone()));
                        f.logged = true;
                        fail = Some(f);
                    }
                    HandlerFailure::ConfigMissing { property } => {
                        let e = ex::config_missing(sys, op, property);
                        let mut f = Fail::new(500, "internal_error", "Internal Server Error").with_exc(e);
                        f.unhandled = true;
                        fail = Some(f);
                    }
                    HandlerFailure::Exception { exc, after_step } => {
                        self.goroutine += 1 + r::index(&mut self.rng, 50) as u64;
                        let e = ex::handler(sys, op, *exc, self.goroutine);
                        throw_after = Some(((*after_step).min(op.steps.len().saturating_sub(1)), e));
                    }
                }
                break;
            }
        }

        // Steady background failure of this handler, and expected business errors.
        let noise = fail.is_none()
            && throw_after.is_none()
            && server
            && !svc.edge
            && r::chance(&mut self.rng, 0.0015);
        if noise {
            throw_after = Some((0, ex::background(sys, op)));
        }
        let biz = fail.is_none()
            && op.biz.as_ref().is_some_and(|b| {
                (self.force_biz && Some(op_i) == self.owner_op) || r::chance(&mut self.rng, b.rate)
            });

        if fail.is_none() {
            if op.steps.is_empty() {
                if let Some((_, e)) = throw_after.take() {
                    let mut f = Fail::new(500, "internal_error", "Internal Server Error").with_exc(e);
                    f.unhandled = true;
                    fail = Some(f);
                }
            }
            for (k, step) in op.steps.iter().enumerate() {
                let out = self.step(&here, step, t, biz);
                t = out.end;
                match out.res {
                    StepRes::Ok => {}
                    StepRes::Shape(change, ct) => {
                        if svc.edge {
                            shape_out = Some(change);
                            ctype = ct;
                        } else {
                            let callee = match step {
                                Step::Call { op, .. } => *op,
                                _ => op_i,
                            };
                            let e = ex::shape(sys, op, &sys.ops[callee], &change);
                            let status = if matches!(change, ShapeChange::EnumValue { .. }) { 500 } else { 502 };
                            let mut f = Fail::new(status, "upstream_response_invalid", "Bad Gateway").with_exc(e);
                            f.unhandled = status == 500;
                            fail = Some(f);
                            break;
                        }
                    }
                    StepRes::Fail(f) => {
                        fail = Some(f);
                        break;
                    }
                }
                if throw_after.as_ref().is_some_and(|(after, _)| *after == k) {
                    if let Some((_, e)) = throw_after.take() {
                        let mut f = Fail::new(500, "internal_error", "Internal Server Error").with_exc(e);
                        f.unhandled = true;
                        fail = Some(f);
                    }
                    break;
                }
                if biz && k == 0 && op.kind != OpKind::Charge {
                    break;
                }
            }
        }
        if fail.is_none() && biz {
            if let Some(b) = &op.biz {
                let f = Fail::new(b.status, b.code, b.message.clone());
                self.biz_log(&here, t, b.status);
                fail = Some(f);
            }
        }

        // In-handler work.
        let work = r::lognormal(&mut self.rng, op.work_ms, 0.5) * self.cpu_factor(svc_i, t);
        t += ms(work);

        // Producer side of a contract change.
        if fail.is_none() {
            for eff in &plan.effects {
                let Effect::Shape {
                    op: e_op,
                    curve,
                    gate,
                    filter,
                    prob,
                    change,
                } = eff
                else {
                    continue;
                };
                if *e_op != op_i || gate.is_some_and(|g| g != gen_change) {
                    continue;
                }
                let c = curve.at(t);
                if c > 0.0 && self.matches(filter) && (self.force_handler || r::chance(&mut self.rng, prob * c)) {
                    if let ShapeChange::ContentType { mime } = change {
                        ctype = Some(mime.clone());
                    }
                    shape_out = Some(change.clone());
                }
            }
        }

        let status = fail.as_ref().map(|f| f.status).unwrap_or_else(|| default_status(op.kind));
        // Log and record the failure where it originated.
        if let Some(f) = &fail {
            if f.status >= 500 && !f.logged {
                if let Some(e) = &f.exc {
                    events.push(Self::exception_event(t, e));
                    let panicked = f.unhandled && (svc.lang == Lang::Java || !e.stack.is_empty());
                    let (scope, body) = match (svc.lang, panicked) {
                        (Lang::Java, true) => (
                            "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]".to_string(),
                            format!(
                                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: {}: {}] with root cause",
                                e.ty, first_line(&e.msg)
                            ),
                        ),
                        (Lang::Java, false) => (
                            self.app_logger(svc_i, "api.ApiExceptionHandler"),
                            format!("{} {} failed with {}: {}", op.method, op.route, f.status, first_line(&e.msg)),
                        ),
                        (Lang::Go, true) => (self.app_logger(svc_i, ""), format!("panic recovered: {}", e.msg)),
                        (Lang::Go, false) => (
                            self.app_logger(svc_i, ""),
                            format!("{} {}: {}", op.method, op.route, first_line(&e.msg)),
                        ),
                    };
                    self.log(&here, t, Sev::Error, scope, body, Some(e));
                }
            }
        }

        let end = t + if server { ms(r::float(&mut self.rng, 0.05, 0.3)) } else { 0 };
        // The span.
        let u = &sys.users[self.user];
        let mut attrs: Vec<Attr> = Vec::new();
        let kind;
        let name;
        if server {
            kind = rec::SERVER;
            name = if route_missing {
                op.method.to_string()
            } else {
                format!("{} {}", op.method, op.route)
            };
            attrs.push(rec::s(self.sc.method(), op.method));
            if !route_missing {
                attrs.push(rec::s("http.route", op.route.clone()));
            }
            let path = if matches!(op.kind, OpKind::Edge(_) | OpKind::Owner(_)) {
                self.path.clone()
            } else {
                op.route.clone()
            };
            if self.sc.old {
                let target = if self.query.is_empty() || !matches!(op.kind, OpKind::Edge(_) | OpKind::Owner(_)) {
                    path
                } else {
                    format!("{path}?{}", self.query)
                };
                attrs.push(rec::s(self.sc.path(), target));
            } else {
                attrs.push(rec::s(self.sc.path(), path));
                if !self.query.is_empty() && matches!(op.kind, OpKind::Edge(_) | OpKind::Owner(_)) {
                    attrs.push(rec::s("url.query", self.query.clone()));
                }
            }
            attrs.push(rec::s(self.sc.scheme(), if svc.edge { "https" } else { "http" }));
            attrs.push(rec::i(self.sc.status(), i64::from(status)));
            attrs.push(rec::s(self.sc.protocol_version(), if svc.edge { "2" } else { "1.1" }));
            if svc.edge {
                let client = &sys.clients[u.client];
                attrs.push(rec::s(self.sc.host_name_attr(), sys.api_host.clone()));
                attrs.push(rec::s(self.sc.user_agent(), client.ua.clone()));
                attrs.push(rec::s(self.sc.client_address(), ip(u.ip)));
                if let (Some(v), true) = (&client.version, matches!(client.kind, crate::system::ClientKind::Ios | crate::system::ClientKind::Android)) {
                    attrs.push(rec::a("http.request.header.x-app-version", vec![v.clone()]));
                }
            }
            if svc.edge || matches!(op.kind, OpKind::Owner(_)) {
                attrs.push(rec::s("enduser.id", u.id.clone()));
                attrs.push(rec::s("enduser.role", crate::domains::USER_ROLES[u.role].0));
                attrs.push(rec::s("tenant.id", sys.tenants[u.tenant]));
                attrs.push(rec::s("app.cohort", crate::domains::COHORTS[u.cohort].0));
            }
            if status >= 500 && !self.sc.old {
                let et = fail
                    .as_ref()
                    .and_then(|f| f.exc.as_ref().map(|e| e.ty.clone()))
                    .unwrap_or_else(|| status.to_string());
                attrs.push(rec::s("error.type", et));
            }
        } else {
            kind = rec::INTERNAL;
            name = format!("{}.{}", op.class.replace("Controller", "Service"), op.func);
            attrs.push(rec::s("code.function", op.func.clone()));
            attrs.push(rec::s("code.namespace", format!("{}.service.{}", svc.pkg, op.class.replace("Controller", "Service"))));
        }
        let status_rec = if status >= 500 {
            Status::Error(
                fail.as_ref()
                    .and_then(|f| f.exc.as_ref().map(|e| first_line(&e.msg).to_string()))
                    .unwrap_or_default(),
            )
        } else {
            Status::Unset
        };
        self.spans.push(SpanRec {
            res,
            scope: if server {
                self.scope_server(svc_i)
            } else {
                "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16"
            },
            id: span_id,
            parent,
            name,
            kind,
            start: t0,
            end,
            attrs,
            events,
            status: status_rec,
        });
        if server {
            self.counters.record(svc_i as u16, op_i as u16, status, t0, end);
        }
        match fail {
            Some(f) => Served {
                status,
                end,
                shape: None,
                ctype,
                retry_after: f.retry_after,
                code: Some(f.code),
                msg: Some(f.msg),
                validation: f.validation,
            },
            None => Served {
                status,
                end,
                shape: shape_out,
                ctype,
                ..Served::default()
            },
        }
    }

    fn biz_log(&mut self, here: &Here, t: i64, status: u16) {
        let sys = self.sys;
        let op = &sys.ops[here.op];
        let d = sys.domain;
        let key = r::int(&mut self.rng, 0, 1 << 30) as u64;
        let (sev, body) = match status {
            422 if op.kind == OpKind::Owner(EpKind::Promo) => (
                Sev::Info,
                format!(
                    "Code {} rejected: expired or not applicable",
                    d.promo_codes[(key % d.promo_codes.len() as u64) as usize]
                ),
            ),
            422 => (Sev::Info, "Address rejected: postal code does not match country".to_string()),
            409 if op.kind == OpKind::Reserve => (
                Sev::Warn,
                format!("Insufficient availability for {}_{}: requested 2, available 1", d.item_prefix, base32(key, 10)),
            ),
            409 => (Sev::Info, format!("{} cannot be cancelled in its current status", d.order)),
            402 => (Sev::Info, "Payment declined by provider: card_declined".to_string()),
            _ => return,
        };
        let scope = self.app_logger(here.svc, &format!("service.{}", op.class.replace("Controller", "Service")));
        self.log(here, t, sev, scope, body, None);
    }

    fn cpu_factor(&self, svc: usize, t: i64) -> f64 {
        let u = self.press.at(svc, Resource::Cpu, t);
        let base = self.sys.services[svc].base_cpu;
        ((1.0 - base) / (1.0 - u.min(0.97))).max(1.0)
    }

    fn saturation(&mut self, here: &Here, t: &mut i64) -> Option<Fail> {
        let svc = &self.sys.services[here.svc];
        let u = self.press.at(here.svc, Resource::Threads, *t);
        if u > 0.85 {
            let x = (u - 0.85) / 0.15;
            let wait = r::exponential(&mut self.rng, 5.0 + 60.0 * x * x).min(30_000.0);
            *t += ms(wait);
            if u > 1.0 && (self.force_pressure || r::chance(&mut self.rng, ((u - 1.0) * 1.6).min(0.85))) {
                let queued = (svc.threads_max as f64 * 5.0 * (u - 0.8)).round() as u32;
                self.completed += r::int(&mut self.rng, 100, 5000) as u64;
                let e = ex::rejected(svc, queued, self.completed);
                return Some(Fail::new(503, "service_unavailable", "Service Unavailable").with_exc(e));
            }
        }
        let g = self.press.at(here.svc, Resource::Gc, *t);
        if g > 0.08 && r::chance(&mut self.rng, g.min(0.9)) {
            *t += ms(r::lognormal(&mut self.rng, 30.0 + 1500.0 * g * g, 0.6));
        }
        if g > 0.7 && (r::chance(&mut self.rng, (g - 0.7) * 0.8) || (self.force_pressure && g > 0.5)) {
            let e = ex::out_of_memory(svc);
            let status = if svc.lang == Lang::Java { 500 } else { 503 };
            let mut f = Fail::new(status, "internal_error", "Internal Server Error").with_exc(e);
            f.unhandled = svc.lang == Lang::Java;
            return Some(f);
        }
        let c = self.press.at(here.svc, Resource::Cpu, *t);
        if c > 0.95 {
            let mean = 3000.0 * ((c - 0.95) / 0.25).powi(2) + 50.0;
            let wait = if self.force_pressure {
                45_000.0
            } else {
                r::exponential(&mut self.rng, mean)
            };
            *t += ms(wait);
        }
        None
    }

    fn step(&mut self, here: &Here, step: &Step, t: i64, biz: bool) -> StepOut {
        match step {
            Step::Call {
                op,
                timeout_ms,
                retries,
            } => self.call(here, *op, *timeout_ms, *retries, t),
            Step::Db {
                db,
                verb,
                table,
                write,
                median_ms,
            } => self.db(here, *db, verb, table, *write, *median_ms, t),
            Step::Cache {
                key,
                hit,
                miss,
                fallback,
                ..
            } => self.cache(here, key, *hit, miss, *fallback, t, biz),
            Step::External {
                ext,
                method,
                path,
                timeout_ms,
                retries,
                fail_open,
            } => self.external(here, *ext, method, path, *timeout_ms, *retries, *fail_open, t, biz),
            Step::Work { name, median_ms } => {
                let dur = ms(r::lognormal(&mut self.rng, *median_ms, 0.5) * self.cpu_factor(here.svc, t));
                let id = ids::span_id(&mut self.rng);
                self.spans.push(SpanRec {
                    res: here.res,
                    scope: "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16",
                    id,
                    parent: Some(here.span.clone()),
                    name: name.clone(),
                    kind: rec::INTERNAL,
                    start: t,
                    end: t + dur,
                    attrs: Vec::new(),
                    events: Vec::new(),
                    status: Status::Unset,
                });
                StepOut {
                    end: t + dur,
                    res: StepRes::Ok,
                }
            }
        }
    }

    fn call(&mut self, here: &Here, callee: usize, timeout_ms: i64, retries: u8, t: i64) -> StepOut {
        let sys = self.sys;
        let cop = &sys.ops[callee];
        let caller_svc = &sys.services[here.svc];
        if cop.service == here.svc {
            let s = self.serve(callee, Some(here.span.clone()), t, Some(here.res));
            return StepOut {
                end: s.end,
                res: served_to_step(s, caller_svc.edge),
            };
        }
        let csvc = &sys.services[cop.service];
        let path = if matches!(cop.kind, OpKind::Owner(_)) {
            self.path.clone()
        } else {
            cop.route.clone()
        };
        let url = if self.query.is_empty() || !matches!(cop.kind, OpKind::Owner(_)) {
            format!("http://{}:{}{}", csvc.name, csvc.port, path)
        } else {
            format!("http://{}:{}{}?{}", csvc.name, csvc.port, path, self.query)
        };
        let mut t_cur = t;
        let mut last = None;
        for attempt in 0..=retries {
            let cspan = ids::span_id(&mut self.rng);
            let send = t_cur + ms(r::float(&mut self.rng, 0.1, 0.5));
            let s = self.serve(callee, Some(cspan.clone()), send, None);
            let mut end = s.end + ms(r::float(&mut self.rng, 0.1, 0.6));
            let timed_out = end - t_cur > timeout_ms * MS;
            if timed_out {
                end = t_cur + timeout_ms * MS;
            }
            let mut attrs = vec![
                rec::s(self.sc.method(), cop.method),
                rec::s(self.sc.url_full(), url.clone()),
                rec::s(self.sc.server_address(), csvc.name.clone()),
                rec::i(self.sc.server_port(), i64::from(csvc.port)),
                rec::s("peer.service", csvc.name.clone()),
            ];
            if attempt > 0 {
                attrs.push(rec::i(self.sc.resend_count(), i64::from(attempt)));
            }
            let mut events = Vec::new();
            let status;
            let exc;
            if timed_out {
                let e = ex::downstream(
                    caller_svc,
                    DepFailure::Timeout,
                    Downstream::Http {
                        host: &csvc.name,
                        url: &url,
                        method: cop.method,
                        client: &client_name(&csvc.name),
                        ip: "10.0.0.1",
                    },
                );
                if !self.sc.old {
                    attrs.push(rec::s("error.type", e.ty.clone()));
                }
                events.push(Self::exception_event(end, &e));
                status = Status::Error(e.msg.clone());
                exc = Some(e);
            } else {
                attrs.push(rec::i(self.sc.status(), i64::from(s.status)));
                if s.status >= 400 {
                    if !self.sc.old {
                        attrs.push(rec::s("error.type", s.status.to_string()));
                    }
                    status = Status::Error(String::new());
                } else {
                    status = Status::Unset;
                }
                exc = None;
            }
            self.spans.push(SpanRec {
                res: here.res,
                scope: self.scope_client(here.svc),
                id: cspan,
                parent: Some(here.span.clone()),
                name: if self.sc.old {
                    format!("HTTP {}", cop.method)
                } else {
                    cop.method.to_string()
                },
                kind: rec::CLIENT,
                start: t_cur,
                end,
                attrs,
                events,
                status,
            });
            if caller_svc.edge && Some(callee) == self.owner_op {
                self.upstream = Some(end - t_cur);
            }
            t_cur = end;
            let retryable = timed_out || matches!(s.status, 502..=504);
            last = Some((s, timed_out, exc));
            if !retryable || attempt == retries {
                break;
            }
            t_cur += ms(r::float(&mut self.rng, 50.0, 250.0));
        }
        let Some((s, timed_out, exc)) = last else {
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        };
        if timed_out {
            let e = exc.unwrap_or_else(|| ex::upstream_status(caller_svc, &csvc.name, &url, 504));
            if caller_svc.edge {
                let body = match caller_svc.lang {
                    Lang::Java => format!("Timeout waiting for {} after {} ms on {} {}", csvc.name, timeout_ms, cop.method, path),
                    Lang::Go => format!("http: proxy error: context deadline exceeded (upstream {})", csvc.name),
                };
                let scope = match caller_svc.lang {
                    Lang::Java => "org.springframework.cloud.gateway.filter.NettyRoutingFilter".to_string(),
                    Lang::Go => caller_svc.pkg.clone(),
                };
                self.log(here, t_cur, Sev::Warn, scope, body, None);
                let mut f = Fail::new(504, "gateway_timeout", "Gateway Timeout");
                f.logged = true;
                return StepOut {
                    end: t_cur,
                    res: StepRes::Fail(f),
                };
            }
            return StepOut {
                end: t_cur,
                res: StepRes::Fail(Fail::new(504, "gateway_timeout", "Upstream timed out").with_exc(e)),
            };
        }
        if s.status >= 500 && !caller_svc.edge {
            let e = ex::upstream_status(caller_svc, &csvc.name, &url, s.status);
            let mut f = Fail::new(s.status, s.code.as_deref().unwrap_or("upstream_error"), s.msg.clone().unwrap_or_default()).with_exc(e);
            f.retry_after = s.retry_after;
            return StepOut {
                end: t_cur,
                res: StepRes::Fail(f),
            };
        }
        StepOut {
            end: t_cur,
            res: served_to_step(s, caller_svc.edge),
        }
    }

    /// Downstream effects on `target` for this request: (latency multiplier, failure).
    fn downstream_effects(&mut self, target: Target, write: bool, t: i64) -> (f64, Option<DepFailure>) {
        let plan = self.plan;
        let mut mult = 1.0;
        let mut failure = None;
        for eff in &plan.effects {
            let Effect::Downstream {
                target: e_t,
                curve,
                filter,
                latency_mult,
                fail_prob,
                failure: e_f,
            } = eff
            else {
                continue;
            };
            if *e_t != target || (filter.writes_only && !write) {
                continue;
            }
            let c = curve.at(t);
            if c <= 0.0 || !self.matches(filter) {
                continue;
            }
            mult *= 1.0 + (latency_mult - 1.0) * c;
            if failure.is_none() {
                if let Some(fk) = e_f {
                    if (self.force_dep && *fail_prob > 0.3) || r::chance(&mut self.rng, fail_prob * c) {
                        failure = Some(*fk);
                    }
                }
            }
        }
        (mult.max(0.05), failure)
    }

    #[allow(clippy::too_many_arguments)]
    fn db(&mut self, here: &Here, db: usize, verb: &str, table: &str, write: bool, median_ms: f64, t: i64) -> StepOut {
        let sys = self.sys;
        let svc = &sys.services[here.svc];
        let dbi = &sys.dbs[db];
        let mut t = t;
        // Connection pool.
        let u = self.press.at(here.svc, Resource::Pool, t);
        if u > 0.75 {
            let x = (u - 0.75) / 0.25;
            let wait = r::exponential(&mut self.rng, median_ms * 30.0 * x * x).min(svc.pool_timeout_ms as f64 * 0.9);
            t += ms(wait);
            if u > 1.0 && (self.force_pressure || r::chance(&mut self.rng, ((u - 1.0) * 1.8).min(0.9))) {
                let end = t + svc.pool_timeout_ms * MS;
                let waiting = (svc.pool_max as f64 * (u - 0.9) * 4.0).round() as u32;
                let e = ex::pool_exhausted(svc, waiting);
                return StepOut {
                    end,
                    res: StepRes::Fail(Fail::new(503, "service_unavailable", "Service Unavailable").with_exc(e)),
                };
            }
        }
        let (mult, failure) = self.downstream_effects(Target::Db(db), write, t);
        let failure = match failure {
            Some(DepFailure::ReadOnly) if !write => None,
            f => f,
        };
        let mut lat = r::lognormal(&mut self.rng, median_ms * dbi.median_ms / 2.5 * mult, 0.5);
        match failure {
            Some(DepFailure::Refused) => lat = r::float(&mut self.rng, 1.0, 4.0),
            Some(DepFailure::Timeout) => lat = 5000.0,
            _ => {}
        }
        let end = t + ms(lat);
        let collection = table.to_string();
        let query = match verb {
            "SELECT" => format!("SELECT * FROM {table} WHERE id = ?"),
            "INSERT" => format!("INSERT INTO {table} (id, payload, created_at) VALUES (?, ?, ?)"),
            _ => format!("UPDATE {table} SET status = ?, updated_at = ? WHERE id = ?"),
        };
        let mut attrs = vec![
            rec::s("db.system", "postgresql"),
            rec::s(self.sc.db_namespace(), dbi.namespace.clone()),
            rec::s(self.sc.db_operation(), verb.to_string()),
            rec::s(self.sc.db_collection(), collection.clone()),
            rec::s(self.sc.db_query(), query),
            rec::s(self.sc.server_address(), dbi.host.clone()),
            rec::i(self.sc.server_port(), 5432),
        ];
        let mut events = Vec::new();
        let mut status = Status::Unset;
        let mut fail = None;
        if let Some(fk) = failure {
            let e = ex::downstream(
                svc,
                fk,
                Downstream::Db {
                    host: &dbi.host,
                    verb,
                    ip: "10.0.9.3",
                },
            );
            if !self.sc.old {
                attrs.push(rec::s("error.type", e.ty.clone()));
            }
            events.push(Self::exception_event(end, &e));
            status = Status::Error(first_line(&e.msg).to_string());
            let code = match fk {
                DepFailure::Refused => 503,
                _ => 500,
            };
            fail = Some(Fail::new(code, "internal_error", "Internal Server Error").with_exc(e));
        }
        let name = if self.sc.old {
            format!("{verb} {}.{collection}", dbi.namespace)
        } else {
            format!("{verb} {collection}")
        };
        let id = ids::span_id(&mut self.rng);
        self.spans.push(SpanRec {
            res: here.res,
            scope: self.scope_db(here.svc),
            id,
            parent: Some(here.span.clone()),
            name,
            kind: rec::CLIENT,
            start: t,
            end,
            attrs,
            events,
            status,
        });
        StepOut {
            end,
            res: match fail {
                Some(f) => StepRes::Fail(f),
                None => StepRes::Ok,
            },
        }
    }

    fn cache_span(&mut self, here: &Here, op: &str, key: &str, t: i64, end: i64, err: Option<&Exc>) {
        let sys = self.sys;
        let mut attrs = vec![
            rec::s("db.system", "redis"),
            rec::s(self.sc.db_operation(), op.to_string()),
            rec::s(self.sc.db_query(), format!("{op} {key}?")),
            rec::s(self.sc.server_address(), sys.cache.host.clone()),
            rec::i(self.sc.server_port(), 6379),
        ];
        let mut events = Vec::new();
        let mut status = Status::Unset;
        if let Some(e) = err {
            if !self.sc.old {
                attrs.push(rec::s("error.type", e.ty.clone()));
            }
            events.push(Self::exception_event(end, e));
            status = Status::Error(e.msg.clone());
        }
        let id = ids::span_id(&mut self.rng);
        self.spans.push(SpanRec {
            res: here.res,
            scope: self.scope_cache(here.svc),
            id,
            parent: Some(here.span.clone()),
            name: op.to_string(),
            kind: rec::CLIENT,
            start: t,
            end,
            attrs,
            events,
            status,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn cache(&mut self, here: &Here, key: &str, hit: f64, miss: &Step, fallback: bool, t: i64, biz: bool) -> StepOut {
        let sys = self.sys;
        let plan = self.plan;
        let svc = &sys.services[here.svc];
        let (mult, failure) = self.downstream_effects(Target::Cache, false, t);
        if let Some(fk) = failure {
            let lat = match fk {
                DepFailure::Timeout => 1000.0,
                _ => r::float(&mut self.rng, 0.5, 3.0),
            };
            let end = t + ms(lat);
            let e = ex::downstream(
                svc,
                fk,
                Downstream::Cache {
                    host: &sys.cache.host,
                    ip: "10.0.4.12",
                },
            );
            self.cache_span(here, "GET", key, t, end, Some(&e));
            if fallback {
                let scope = self.app_logger(here.svc, "cache.CacheClient");
                self.log(
                    here,
                    end,
                    Sev::Warn,
                    scope,
                    format!("Cache read failed for {key}*, falling back to the database: {}", first_line(&e.msg)),
                    None,
                );
                return self.step(here, miss, end, biz);
            }
            return StepOut {
                end,
                res: StepRes::Fail(Fail::new(503, "service_unavailable", "Service Unavailable").with_exc(e)),
            };
        }
        let end = t + ms(r::lognormal(&mut self.rng, 0.35 * mult, 0.4));
        self.cache_span(here, "GET", key, t, end, None);
        let mut miss_boost = 0.0;
        for eff in &plan.effects {
            if let Effect::CacheMiss { key: k, curve } = eff {
                if *k == key {
                    miss_boost = f64::max(miss_boost, curve.at(t));
                }
            }
        }
        let p_hit = hit * (1.0 - miss_boost);
        if r::chance(&mut self.rng, p_hit) {
            return StepOut { end, res: StepRes::Ok };
        }
        let out = self.step(here, miss, end, biz);
        if matches!(out.res, StepRes::Ok) {
            let set_end = out.end + ms(r::lognormal(&mut self.rng, 0.3, 0.4));
            self.cache_span(here, "SET", key, out.end, set_end, None);
            return StepOut {
                end: set_end,
                res: StepRes::Ok,
            };
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn external(
        &mut self,
        here: &Here,
        ext_i: usize,
        method: &str,
        path: &str,
        timeout_ms: i64,
        retries: u8,
        fail_open: bool,
        t: i64,
        biz: bool,
    ) -> StepOut {
        let sys = self.sys;
        let plan = self.plan;
        let svc = &sys.services[here.svc];
        let ext = &sys.externals[ext_i];
        let gen_change = self.fleet.generation(here.res).change;
        let mut host = ext.host.clone();
        let mut rewired = None;
        for eff in &plan.effects {
            if let Effect::Rewire {
                service,
                ext: e,
                host: h,
                gate,
                failure,
            } = eff
            {
                if *service == here.svc && *e == ext_i && gate.is_none_or(|g| g == gen_change) {
                    host = h.clone();
                    rewired = Some(*failure);
                }
            }
        }
        let url = format!("https://{host}{path}");
        let mut t_cur = t;
        let mut result: Option<(Option<DepFailure>, u16)> = None;
        for attempt in 0..=retries {
            let (mult, mut failure) = self.downstream_effects(Target::External(ext_i), false, t_cur);
            if rewired.is_some() {
                failure = rewired;
            }
            let declined = biz && ext.kind == ExtKind::Psp;
            let mut lat = r::lognormal(&mut self.rng, ext.median_ms * mult, 0.35);
            let mut code: u16 = if method == "POST" { 201 } else { 200 };
            match failure {
                Some(DepFailure::Timeout) => lat = timeout_ms as f64,
                Some(DepFailure::Status { code: c, .. }) => {
                    code = c;
                    lat = r::float(&mut self.rng, 15.0, 60.0);
                }
                Some(DepFailure::Dns) => lat = r::float(&mut self.rng, 2.0, 40.0),
                Some(DepFailure::Tls) => lat = r::float(&mut self.rng, 25.0, 90.0),
                Some(DepFailure::Refused) => lat = r::float(&mut self.rng, 1.0, 5.0),
                _ => {}
            }
            if failure.is_none() && lat > timeout_ms as f64 {
                failure = Some(DepFailure::Timeout);
                lat = timeout_ms as f64;
            }
            if failure.is_none() && declined {
                code = 402;
            }
            let end = t_cur + ms(lat);
            let mut attrs = vec![
                rec::s(self.sc.method(), method.to_string()),
                rec::s(self.sc.url_full(), url.clone()),
                rec::s(self.sc.server_address(), host.clone()),
                rec::i(self.sc.server_port(), 443),
            ];
            if rewired.is_none() {
                attrs.push(rec::s("peer.service", ext.peer.clone()));
            }
            if attempt > 0 {
                attrs.push(rec::i(self.sc.resend_count(), i64::from(attempt)));
            }
            let mut events = Vec::new();
            let mut status = Status::Unset;
            let has_status = matches!(failure, None | Some(DepFailure::Status { .. }));
            if has_status {
                attrs.push(rec::i(self.sc.status(), i64::from(code)));
            }
            if failure.is_some() || code >= 400 {
                let e = failure.map(|fk| {
                    ex::downstream(
                        svc,
                        fk,
                        Downstream::Http {
                            host: &host,
                            url: &url,
                            method,
                            client: &client_name(&ext.peer),
                            ip: "203.0.113.10",
                        },
                    )
                });
                if !self.sc.old {
                    let et = match (&e, failure) {
                        (_, Some(DepFailure::Status { code, .. })) => code.to_string(),
                        (Some(e), _) if svc.lang == Lang::Java => e.ty.clone(),
                        (Some(_), Some(DepFailure::Timeout)) => "timeout".to_string(),
                        (Some(e), _) => e.ty.clone(),
                        (None, _) => code.to_string(),
                    };
                    attrs.push(rec::s("error.type", et));
                }
                if let Some(e) = &e {
                    if !matches!(failure, Some(DepFailure::Status { .. })) {
                        events.push(Self::exception_event(end, e));
                    }
                    status = Status::Error(first_line(&e.msg).to_string());
                } else {
                    status = Status::Error(String::new());
                }
            }
            let id = ids::span_id(&mut self.rng);
            self.spans.push(SpanRec {
                res: here.res,
                scope: self.scope_client(here.svc),
                id,
                parent: Some(here.span.clone()),
                name: if self.sc.old {
                    format!("HTTP {method}")
                } else {
                    method.to_string()
                },
                kind: rec::CLIENT,
                start: t_cur,
                end,
                attrs,
                events,
                status,
            });
            t_cur = end;
            let retryable = matches!(
                failure,
                Some(DepFailure::Timeout) | Some(DepFailure::Refused) | Some(DepFailure::Status { code: 500..=599, .. })
            );
            result = Some((failure, code));
            if !retryable || attempt == retries {
                break;
            }
            t_cur += ms(r::float(&mut self.rng, 100.0, 400.0));
        }
        let Some((failure, code)) = result else {
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        };
        let Some(fk) = failure else {
            if code == 402 {
                return StepOut {
                    end: t_cur,
                    res: StepRes::Ok,
                };
            }
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        };
        let e = ex::downstream(
            svc,
            fk,
            Downstream::Http {
                host: &host,
                url: &url,
                method,
                client: &client_name(&ext.peer),
                ip: "203.0.113.10",
            },
        );
        if fail_open {
            let scope = self.app_logger(here.svc, &format!("client.{}Client", client_name(&ext.peer)));
            self.log(
                here,
                t_cur,
                Sev::Warn,
                scope,
                format!("{} unavailable, continuing without it: {}", ext.peer, first_line(&e.msg)),
                None,
            );
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        }
        let (status, code, msg, retry_after) = match fk {
            DepFailure::Timeout => (504, "gateway_timeout", "Upstream provider timed out", None),
            DepFailure::Status { code: 429, retry_after } => (503, "provider_unavailable", "Provider is rate limiting requests", retry_after),
            _ => (502, "bad_gateway", "Upstream provider error", None),
        };
        let mut f = Fail::new(status, code, msg).with_exc(e);
        f.retry_after = retry_after;
        StepOut {
            end: t_cur,
            res: StepRes::Fail(f),
        }
    }

    /// Logs an app-reported client error at the edge (client-events endpoint).
    pub(crate) fn beacon_log(&mut self) {
        let Some(text) = self.beacon.clone() else {
            return;
        };
        let Some(span) = self.spans.iter().find(|s| s.kind == rec::SERVER) else {
            return;
        };
        let here = Here {
            op: 0,
            svc: 0,
            res: span.res,
            span: span.id.clone(),
        };
        let t = span.start + MS;
        let u = &self.sys.users[self.user];
        let client = &self.sys.clients[u.client];
        let scope = self.app_logger(0, "events.ClientEventsController");
        let body = format!(
            "client-reported error from {}: {}",
            client.version.clone().unwrap_or_else(|| "web".into()),
            text
        );
        self.log(&here, t, Sev::Warn, scope, body, None);
    }
}

/// Whether a user satisfies a filter (its per-request conditions aside).
pub(crate) fn filter_matches(sys: &System, filter: &Filter, user: usize) -> bool {
    let u = &sys.users[user];
    let client = &sys.clients[u.client];
    filter.region.is_none_or(|r| r == u.region)
        && filter.cohort.is_none_or(|c| c == u.cohort)
        && filter.role.is_none_or(|x| x == u.role)
        && filter.tenant.is_none_or(|x| x == u.tenant)
        && filter.not_tenant.is_none_or(|x| x != u.tenant)
        && filter.clients.as_ref().is_none_or(|k| k.contains(&client.kind))
        && (!filter.old_clients || client.old)
        && filter
            .user_share
            .is_none_or(|(share, salt)| r::unit_hash(u.key, salt) < share)
}

fn served_to_step(s: Served, caller_is_edge: bool) -> StepRes {
    if s.status < 400 {
        return match s.shape {
            Some(c) => StepRes::Shape(c, s.ctype),
            None => StepRes::Ok,
        };
    }
    let mut f = Fail::new(s.status, s.code.as_deref().unwrap_or("error"), s.msg.unwrap_or_default());
    f.retry_after = s.retry_after;
    f.validation = s.validation;
    f.logged = true;
    let _ = caller_is_edge;
    StepRes::Fail(f)
}

fn client_name(name: &str) -> String {
    name.split(['-', '.'])
        .map(crate::system::cap)
        .collect::<Vec<_>>()
        .join("")
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Dotted quad.
pub(crate) fn ip(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}
