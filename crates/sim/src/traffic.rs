//! The traffic generator: requests in time order, second by second, streamed to the
//! bundle's line files.
//!
//! Arrivals are Poisson with a rate that follows the daily shape, the plan's surges and
//! the endpoint mix; each request picks a user (heavy users come back more often), who
//! brings a region, a client build, a tenant, a cohort and a role. Clients behave like
//! clients: apps retry failed calls after a second or two, and an app that cannot read
//! a response reports it through the client-events endpoint. The reporting user's own
//! session (a few steps leading to the failing request) is played in the same stream
//! and captured for the HAR. Background log lines (routine chatter, steady warnings,
//! startup lines of new pods, flag reloads) are emitted as time passes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domains::EpKind;
use crate::error::SimError;
use crate::exec::{filter_matches, Counters, Exec, Outcome, Request};
use crate::fleet::{Fleet, ResKey};
use crate::messages;
use crate::pressure::{daily, Pressure};
use crate::random::{self as r, SimRng};
use crate::records::{LogRec, Sev};
use crate::scenarios::{Plan, Resource, ShapeChange};
use crate::semconv::Semconv;
use crate::system::{AccessFormat, ClientKind, System};
use crate::time::{MS, SEC};
use crate::writers::har::Exchange;
use crate::writers::otlp::Resources;
use crate::writers::{alb, nginx, otlp_logs, otlp_traces, Out};
use crate::Partial;

const SCHEMA_URL: &str = "https://opentelemetry.io/schemas/1.26.0";
const SCANNER_PATHS: &[&str] = &[
    "/.env",
    "/wp-login.php",
    "/.git/config",
    "/actuator/env",
    "/phpmyadmin/",
    "/v1/../../etc/passwd",
];

/// What the run leaves for the end-of-bundle writers.
pub(crate) struct RunOutput {
    pub exchanges: Vec<Exchange>,
    pub counters: Counters,
}

struct Access<'a> {
    out: Out,
    format: AccessFormat,
    sys: &'a System,
    account: String,
    lb_ids: Vec<String>,
    tg_ids: Vec<String>,
    cert_ids: Vec<String>,
}

impl Access<'_> {
    fn write(
        &mut self,
        fleet: &Fleet,
        req: &Request,
        o: &Outcome,
        rng: &mut SimRng,
    ) -> Result<(), SimError> {
        let sys = self.sys;
        let user = &sys.users[req.user];
        let client = &sys.clients[user.client];
        let ep = &sys.endpoints[req.ep];
        let method = if req.scanner.is_some() {
            "GET"
        } else {
            ep.method
        };
        let path_query = if o.query.is_empty() {
            o.path.clone()
        } else {
            format!("{}?{}", o.path, o.query)
        };
        let ua = if req.scanner.is_some() {
            "Mozilla/5.0 zgrab/0.x"
        } else {
            client.ua.as_str()
        };
        let ip = crate::exec::ip(user.ip);
        let line = match self.format {
            AccessFormat::Alb => {
                let region = user.region;
                let gen = fleet.generation(o.edge);
                let target_ip = &gen.ips[o.edge.region as usize][o.edge.pod as usize];
                let conn = r::hex(rng, 16);
                let lb_name = format!("{}-{}-{}", sys.company, sys.env, sys.regions[region].name);
                let tg_name = format!("{}-{}", sys.services[0].name, sys.env);
                alb::line(&alb::Entry {
                    start: req.start,
                    end: o.end,
                    region: sys.regions[region].name,
                    account: &self.account,
                    lb_name: &lb_name,
                    lb_id: &self.lb_ids[region],
                    tg_name: &tg_name,
                    tg_id: &self.tg_ids[region],
                    cert_id: &self.cert_ids[region],
                    client_ip: &ip,
                    client_port: r::int(rng, 1024, 65535) as u16,
                    target_ip,
                    target_port: sys.services[0].port,
                    status: o.status,
                    received: 180 + r::int(rng, 0, 900) as u64,
                    sent: o.bytes + 220,
                    method,
                    host: &sys.api_host,
                    path_query: &path_query,
                    user_agent: ua,
                    trace_id: &o.trace_id,
                    conn_id: &conn,
                })
            }
            AccessFormat::Nginx => {
                let referer = if client.kind == ClientKind::Web && req.scanner.is_none() {
                    format!("https://www.{}/", sys.api_host.trim_start_matches("api."))
                } else {
                    "-".to_string()
                };
                nginx::line(&nginx::Entry {
                    end: o.end,
                    total: o.end - req.start,
                    upstream: o
                        .upstream
                        .map(|u| u + r::int(rng, 100_000, 600_000))
                        .or_else(|| {
                            (req.scanner.is_none())
                                .then(|| o.end - req.start - r::int(rng, 100_000, 400_000))
                        }),
                    client_ip: &ip,
                    method,
                    path_query: &path_query,
                    protocol: if client.kind == ClientKind::Partner {
                        "HTTP/1.1"
                    } else {
                        "HTTP/2.0"
                    },
                    status: o.status,
                    bytes: o.bytes,
                    referer: &referer,
                    user_agent: ua,
                })
            }
        };
        self.out.line(&line)
    }
}

/// The steps a user takes before the reported request.
fn journey(kind: EpKind) -> &'static [EpKind] {
    match kind {
        EpKind::ItemGet => &[EpKind::Search],
        EpKind::Search | EpKind::Me => &[EpKind::Search],
        EpKind::BasketGet | EpKind::BasketAdd => &[EpKind::Search, EpKind::ItemGet],
        EpKind::Promo | EpKind::Checkout => {
            &[EpKind::ItemGet, EpKind::BasketAdd, EpKind::BasketGet]
        }
        EpKind::OrderGet => &[EpKind::Me, EpKind::OrderList],
        EpKind::OrderCancel => &[EpKind::OrderList, EpKind::OrderGet],
        _ => &[EpKind::Me],
    }
}

fn har_session(sys: &System, plan: &Plan, rng: &mut SimRng) -> Vec<Request> {
    let n = sys.users.len();
    let offset = r::index(rng, n);
    let mut user = offset;
    for k in 0..n {
        let u = (offset + k) % n;
        if filter_matches(sys, &plan.har.filter, u)
            && sys.clients[sys.users[u].client].kind != ClientKind::Partner
        {
            user = u;
            break;
        }
    }
    let target = &sys.endpoints[plan.har.endpoint];
    let mut reqs = Vec::new();
    let mut t = plan.har.at;
    let steps = journey(target.kind);
    let mut times = Vec::new();
    for _ in steps {
        t -= (r::float(rng, 4.0, 25.0) * SEC as f64) as i64;
        times.push(t);
    }
    times.reverse();
    for (kind, at) in steps.iter().zip(times) {
        reqs.push(Request {
            start: at,
            ep: sys.endpoint(*kind),
            user,
            attempt: 0,
            force: None,
            scanner: None,
            beacon: None,
            key: r::mix(plan.har.at as u64, at as u64),
        });
    }
    reqs.push(Request {
        start: plan.har.at,
        ep: plan.har.endpoint,
        user,
        attempt: 0,
        force: Some(plan.har.expect),
        scanner: None,
        beacon: None,
        key: r::mix(plan.har.at as u64, 99),
    });
    reqs
}

fn beacon_text(kind: ClientKind, change: &ShapeChange) -> String {
    let field = match change {
        ShapeChange::Rename { from, .. } => from.clone(),
        ShapeChange::Remove { field }
        | ShapeChange::Retype { field }
        | ShapeChange::EnumValue { field, .. } => field.clone(),
        ShapeChange::ContentType { .. } => String::new(),
    };
    match (kind, change) {
        (_, ShapeChange::ContentType { .. }) => "SyntaxError: Unexpected token '<', \"<?xml vers\"... is not valid JSON".to_string(),
        (ClientKind::Ios, _) => format!(
            "keyNotFound(CodingKeys(stringValue: \"{field}\", intValue: nil), Swift.DecodingError.Context(codingPath: [], debugDescription: \"No value associated with key CodingKeys(stringValue: \\\"{field}\\\", intValue: nil) (\\\"{field}\\\").\", underlyingError: nil))"
        ),
        (ClientKind::Android, _) => format!("com.squareup.moshi.JsonDataException: Required value '{field}' missing at $"),
        _ => "TypeError: Cannot read properties of undefined (reading 'amount')".to_string(),
    }
}

/// Runs the whole window and streams traces, logs and access log into `dir`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    sys: &System,
    plan: &Plan,
    press: &Pressure,
    fleet: &Fleet,
    seed: u64,
    volume: f64,
    partial: &Partial,
    trace_sample: Option<f64>,
    dir: &Path,
    metric_step: i64,
) -> Result<RunOutput, SimError> {
    let mut arrivals = r::stream(seed, "arrivals");
    let mut side = r::stream(seed, "side");
    let counters = Counters::new(plan.timeline.start, plan.timeline.end, metric_step);
    let mut exec = Exec::new(sys, plan, press, fleet, r::stream(seed, "exec"), counters);
    let sc = Semconv {
        old: sys.formats.old_semconv,
    };
    let mut traces = Out::create(&dir.join("traces.jsonl"))?;
    let mut logs = Out::create(&dir.join("logs.jsonl"))?;
    let access_name = match sys.formats.access {
        AccessFormat::Alb => "alb.log",
        AccessFormat::Nginx => "access.log",
    };
    let mut access = Access {
        out: Out::create(&dir.join(access_name))?,
        format: sys.formats.access,
        sys,
        account: format!("{}", 100_000_000_000 + r::mix(seed, 3) % 900_000_000_000),
        lb_ids: (0..sys.regions.len())
            .map(|_| r::hex(&mut side, 8))
            .collect(),
        tg_ids: (0..sys.regions.len())
            .map(|_| r::hex(&mut side, 8))
            .collect(),
        cert_ids: (0..sys.regions.len())
            .map(|_| {
                format!(
                    "{}-{}-{}-{}-{}",
                    r::hex(&mut side, 4),
                    r::hex(&mut side, 2),
                    r::hex(&mut side, 2),
                    r::hex(&mut side, 2),
                    r::hex(&mut side, 6)
                )
            })
            .collect(),
    };
    let mut resources = Resources::new(sys, fleet);

    let rate = sys.base_rps * volume;
    let w_total: f64 = sys.endpoints.iter().map(|e| e.weight).sum();
    let onset_day = daily(plan.timeline.onset).max(0.3);
    let mut tenant_users: Vec<Vec<usize>> = vec![Vec::new(); sys.tenants.len()];
    for (i, u) in sys.users.iter().enumerate() {
        tenant_users[u.tenant].push(i);
    }
    let mut scripted = har_session(sys, plan, &mut side);
    scripted.sort_by_key(|q| q.start);
    let mut scripted = scripted.into_iter().peekable();
    let mut queue: BTreeMap<(i64, u64), Request> = BTreeMap::new();
    let mut seq: u64 = 0;
    let mut exchanges = Vec::new();
    let with_ids = !partial.logs_without_trace_ids;
    let client_events = sys.endpoint(EpKind::ClientEvents);

    let first_sec = plan.timeline.start / SEC;
    let last_sec = plan.timeline.end / SEC;
    let mut batch: Vec<(i64, u64, Request, bool)> = Vec::new();
    let mut bg: Vec<LogRec> = Vec::new();
    for sec in first_sec..last_sec {
        let t = sec * SEC;
        let t_next = t + SEC;
        batch.clear();
        // Arrivals.
        let day = daily(t) / onset_day;
        let rates: Vec<f64> = (0..sys.endpoints.len())
            .map(|e| {
                rate * sys.endpoints[e].weight / w_total
                    * day
                    * crate::pressure::endpoint_multiplier_no_tenant(plan, e, t)
            })
            .collect();
        let total: f64 = rates.iter().sum();
        let n = r::poisson(&mut arrivals, total);
        for _ in 0..n {
            let at = t + (r::unit(&mut arrivals) * SEC as f64) as i64;
            let ep = r::weighted(&mut arrivals, &rates);
            let user = r::from_cdf(&mut arrivals, &sys.user_cdf);
            let scanner = if r::chance(&mut arrivals, 0.003) {
                Some(r::pick(&mut arrivals, SCANNER_PATHS).to_string())
            } else {
                None
            };
            let key = r::mix(seed, (sec as u64) << 20 ^ seq);
            seq += 1;
            batch.push((
                at,
                seq,
                Request {
                    start: at,
                    ep,
                    user,
                    attempt: 0,
                    force: None,
                    scanner,
                    beacon: None,
                    key,
                },
                false,
            ));
        }
        for s in &plan.surges {
            let (Some(ep), Some(tenant)) = (s.endpoint, s.tenant) else {
                continue;
            };
            let extra = s.curve.at(t);
            if extra <= 0.0 || tenant_users[tenant].is_empty() {
                continue;
            }
            let base = rate * sys.endpoints[ep].weight / w_total * day;
            let k = r::poisson(&mut arrivals, base * extra);
            for _ in 0..k {
                let at = t + (r::unit(&mut arrivals) * SEC as f64) as i64;
                let users = &tenant_users[tenant];
                // The tenant's integration runs as a handful of service users.
                let user = users[r::index(&mut arrivals, users.len().min(4))];
                seq += 1;
                batch.push((
                    at,
                    seq,
                    Request {
                        start: at,
                        ep,
                        user,
                        attempt: 0,
                        force: None,
                        scanner: None,
                        beacon: None,
                        key: r::mix(seed, seq),
                    },
                    false,
                ));
            }
        }
        while let Some(entry) = queue.first_entry() {
            if entry.key().0 >= t_next {
                break;
            }
            let ((at, s), req) = entry.remove_entry();
            batch.push((at, s, req, false));
        }
        while scripted.peek().is_some_and(|q| q.start < t_next) {
            if let Some(q) = scripted.next() {
                seq += 1;
                batch.push((q.start, seq, q, true));
            }
        }
        batch.sort_by_key(|b| (b.0, b.1));

        for (_, _, req, captured) in batch.drain(..) {
            let out = exec.handle(&req);
            if req.ep == client_events && req.beacon.is_some() {
                exec.beacon_log();
            }
            // Head sampling by trace id: the system's own rate, or the collector's
            // (`trace_sample`), which drops the logs correlated to a dropped trace too.
            // A hash, not a draw, so the random streams (and so the access log and
            // everything else) do not depend on it.
            let rate = trace_sample.unwrap_or(sys.formats.sample_rate);
            let sampled = req.force.is_some()
                || captured
                || r::unit_hash(r::fnv64(exec.trace_id()), seed) < rate;
            let logs_kept = sampled || trace_sample.is_none();
            if sampled {
                otlp_traces::write_trace(
                    &mut traces,
                    &mut resources,
                    &out.trace_id,
                    &exec.spans,
                    sc,
                    partial.no_span_status,
                    SCHEMA_URL,
                )?;
            }
            if logs_kept {
                otlp_logs::write_logs(
                    &mut logs,
                    &mut resources,
                    &out.trace_id,
                    &exec.logs,
                    with_ids,
                )?;
            }
            access.write(fleet, &req, &out, &mut side)?;
            // Client behaviour after the response.
            let user = &sys.users[req.user];
            let kind = sys.clients[user.client].kind;
            if req.scanner.is_none() && kind != ClientKind::Partner {
                let shape_broken = out.status < 400 && out.shape.is_some();
                if let (true, Some(change)) = (shape_broken, &out.shape) {
                    if r::chance(&mut side, 0.8) {
                        let at = out.end + (r::float(&mut side, 0.3, 2.0) * SEC as f64) as i64;
                        seq += 1;
                        queue.insert(
                            (at, seq),
                            Request {
                                start: at,
                                ep: client_events,
                                user: req.user,
                                attempt: 0,
                                force: None,
                                scanner: None,
                                beacon: Some(beacon_text(kind, change)),
                                key: r::mix(seed, seq),
                            },
                        );
                    }
                }
                let retry = (out.status >= 500 || out.status == 429 || shape_broken)
                    && req.attempt < 2
                    && !captured
                    && req.ep != client_events
                    && r::chance(&mut side, 0.35);
                if retry {
                    let at = out.end + (r::float(&mut side, 1.0, 4.0) * SEC as f64) as i64;
                    seq += 1;
                    let mut again = req.clone();
                    again.start = at;
                    again.attempt += 1;
                    again.force = None;
                    queue.insert((at, seq), again);
                }
            }
            if captured {
                exchanges.push(Exchange { req, out });
            }
        }

        // Background logs for this second.
        bg.clear();
        for svc in 0..sys.services.len() {
            if r::chance(&mut side, 1.0 / 30.0) {
                let region = r::index(&mut side, sys.regions.len());
                let res = fleet.pick(press, svc, region, t, &mut side);
                let (sev, scope, body) = messages::routine(sys, svc, &mut side);
                bg.push(bg_rec(
                    res,
                    t + (r::unit(&mut side) * SEC as f64) as i64,
                    sev,
                    scope,
                    body,
                ));
            }
            if press.at(svc, Resource::Gc, t) > 0.5 && r::chance(&mut side, 0.04) {
                if let Some((sev, scope, body)) = messages::housekeeper(sys, svc, &mut side) {
                    let res = fleet.pick(
                        press,
                        svc,
                        r::index(&mut side, sys.regions.len()),
                        t,
                        &mut side,
                    );
                    bg.push(bg_rec(
                        res,
                        t + (r::unit(&mut side) * SEC as f64) as i64,
                        sev,
                        scope,
                        body,
                    ));
                }
            }
            for (gen_i, gen) in fleet.gens[svc].iter().enumerate() {
                if gen_i == 0 || gen.from < t || gen.from >= t_next {
                    continue;
                }
                let pods = sys.services[svc].pods;
                for region in 0..sys.regions.len() {
                    for pod in 0..pods {
                        let at = gen.from + gen.rollout * pod as i64 / pods.max(1) as i64 + 8 * SEC;
                        let (sev, scope, body) =
                            messages::startup(sys, svc, &gen.version, &mut side);
                        let res = ResKey {
                            svc: svc as u16,
                            gen: gen_i as u16,
                            region: region as u8,
                            pod: pod as u8,
                        };
                        bg.push(bg_rec(res, at, sev, scope, body));
                    }
                }
            }
        }
        for (svc, at, flag, rev) in &plan.flag_logs {
            if *at < t || *at >= t_next {
                continue;
            }
            let g = fleet.current(*svc, *at);
            for region in 0..sys.regions.len() {
                for pod in 0..sys.services[*svc].pods {
                    let (sev, scope, body) = messages::flag_reload(sys, *svc, flag, *rev);
                    let res = ResKey {
                        svc: *svc as u16,
                        gen: g as u16,
                        region: region as u8,
                        pod: pod as u8,
                    };
                    bg.push(bg_rec(res, at + (pod as i64) * 300 * MS, sev, scope, body));
                }
            }
        }
        if !bg.is_empty() {
            otlp_logs::write_logs(&mut logs, &mut resources, "", &bg, false)?;
        }
    }
    traces.finish()?;
    logs.finish()?;
    access.out.finish()?;
    Ok(RunOutput {
        exchanges,
        counters: exec.counters,
    })
}

fn bg_rec(res: ResKey, time: i64, sev: Sev, scope: String, body: String) -> LogRec {
    LogRec {
        res,
        scope,
        time,
        sev,
        body,
        attrs: Vec::new(),
        span: None,
        trace: false,
    }
}
