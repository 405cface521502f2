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

mod handler;
mod logging;
mod steps;

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
        let v = self
            .map
            .entry((svc, op, status))
            .or_insert_with(|| vec![(0, 0.0); len]);
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
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .unwrap_or(rest.len() - 1);
        let name = &rest[open + 1..close];
        let prefix = if name == d.item_id {
            d.item_prefix
        } else {
            d.order_prefix
        };
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
        self.force_handler =
            failing && (self.plan.bucket == "code_path" || self.plan.bucket == "contract");
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
        let res = self
            .fleet
            .pick(self.press, 0, self.region, req.start, &mut self.rng);
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
        && filter
            .clients
            .as_ref()
            .is_none_or(|k| k.contains(&client.kind))
        && (!filter.old_clients || client.old)
        && filter
            .user_share
            .is_none_or(|(share, salt)| r::unit_hash(u.key, salt) < share)
}

fn served_to_step(s: Served) -> StepRes {
    if s.status < 400 {
        return match s.shape {
            Some(c) => StepRes::Shape(c, s.ctype),
            None => StepRes::Ok,
        };
    }
    let mut f = Fail::new(
        s.status,
        s.code.as_deref().unwrap_or("error"),
        s.msg.unwrap_or_default(),
    );
    f.retry_after = s.retry_after;
    f.validation = s.validation;
    f.logged = true;
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
