//! The metric series of a bundle, computed once and written in one of three formats.
//!
//! Request counters come from the simulated server spans; saturation gauges (pool,
//! worker queue, heap and GC, CPU, replicas) come from the same utilisation model the
//! request executor uses, so a pool that shows pending connections is a pool whose
//! requests waited. Names follow Micrometer's Prometheus naming for Java services,
//! the Go client's for Go services, cAdvisor and kube-state-metrics for containers,
//! and the redis and postgres exporters. The set of series depends only on the system,
//! never on the scenario.

use crate::exec::Counters;
use crate::fleet::Fleet;
use crate::pressure::{daily, Pressure};
use crate::random::{self as r};
use crate::scenarios::{DepFailure, Effect, Plan, Resource, Target};
use crate::system::{Lang, System};
use crate::time::SEC;

/// One time series; `None` where the series has no sample (pod not running).
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub name: &'static str,
    pub help: &'static str,
    pub counter: bool,
    pub labels: Vec<(&'static str, String)>,
    /// Service index and pod name (for OTLP resources).
    pub service: Option<usize>,
    pub pod: Option<String>,
    pub region: Option<usize>,
    pub values: Vec<Option<f64>>,
}

/// All series on a common time grid (Unix ns).
#[derive(Debug, Clone)]
pub(crate) struct MetricSet {
    pub times: Vec<i64>,
    pub series: Vec<Series>,
}

struct Grid<'a> {
    times: &'a [i64],
    step_s: f64,
    rng: r::SimRng,
}

impl Grid<'_> {
    fn noise(&mut self, sd: f64) -> f64 {
        (1.0 + sd * r::normal(&mut self.rng)).max(0.0)
    }
}

fn round(v: f64) -> f64 {
    if v.abs() >= 1000.0 {
        v.round()
    } else {
        (v * 10_000.0).round() / 10_000.0
    }
}

#[allow(clippy::too_many_arguments)]
fn push_gauge(
    out: &mut Vec<Series>,
    name: &'static str,
    help: &'static str,
    labels: Vec<(&'static str, String)>,
    service: Option<usize>,
    pod: Option<String>,
    region: Option<usize>,
    values: Vec<Option<f64>>,
) {
    out.push(Series {
        name,
        help,
        counter: false,
        labels,
        service,
        pod,
        region,
        values: values.into_iter().map(|v| v.map(round)).collect(),
    });
}

#[allow(clippy::too_many_arguments)]
fn push_counter(
    out: &mut Vec<Series>,
    name: &'static str,
    help: &'static str,
    labels: Vec<(&'static str, String)>,
    service: Option<usize>,
    pod: Option<String>,
    region: Option<usize>,
    rates: Vec<Option<f64>>,
    step_s: f64,
) {
    // Counters have been counting since the process started.
    let mut acc = rates
        .iter()
        .flatten()
        .next()
        .copied()
        .unwrap_or(0.0)
        .max(0.0)
        * step_s
        * 240.0;
    let values = rates
        .into_iter()
        .map(|r| {
            r.map(|x| {
                acc += x.max(0.0) * step_s;
                round(acc)
            })
        })
        .collect();
    out.push(Series {
        name,
        help,
        counter: true,
        labels,
        service,
        pod,
        region,
        values,
    });
}

/// Computes every series over the last part of the window (from 25 minutes before
/// the onset, or the start if later), as a dashboard export would.
pub(crate) fn compute(
    sys: &System,
    plan: &Plan,
    press: &Pressure,
    fleet: &Fleet,
    counters: &Counters,
    step: i64,
    seed: u64,
) -> MetricSet {
    let from = plan.timeline.start.max(plan.timeline.onset - 25 * 60 * SEC);
    let first = (from + step - 1).div_euclid(step) * step;
    let times: Vec<i64> = (0..)
        .map(|k| first + k * step)
        .take_while(|t| *t <= plan.timeline.end)
        .collect();
    let mut g = Grid {
        times: &times,
        step_s: (step / SEC) as f64,
        rng: r::stream(seed, "metrics"),
    };
    let ts: Vec<i64> = times.clone();
    let mut out = Vec::new();
    for (svc_i, svc) in sys.services.iter().enumerate() {
        service_series(sys, press, fleet, svc_i, &ts, &mut g, &mut out);
        let _ = svc;
        http_series(sys, counters, svc_i, &ts, g.step_s, &mut out);
    }
    cache_and_db(sys, plan, press, &mut g, &mut out);
    MetricSet { times, series: out }
}

fn service_series(
    sys: &System,
    press: &Pressure,
    fleet: &Fleet,
    svc_i: usize,
    ts: &[i64],
    g: &mut Grid,
    out: &mut Vec<Series>,
) {
    let svc = &sys.services[svc_i];
    let has_db = sys.service_has_db(svc_i);
    let java = svc.lang == Lang::Java;
    let pods_f = (svc.pods * sys.regions.len()) as f64;
    let base = |extra: Vec<(&'static str, String)>| {
        let mut l = vec![("service", svc.name.clone())];
        l.extend(extra);
        l
    };
    let u = |res: Resource, t: i64| press.at(svc_i, res, t);
    for (reg_i, region) in sys.regions.iter().enumerate() {
        let replicas: Vec<Option<f64>> = ts
            .iter()
            .map(|t| {
                let gen = fleet.current(svc_i, *t);
                let rolling = gen > 0 && {
                    let gn = &fleet.gens[svc_i][gen];
                    *t < gn.from + gn.rollout
                };
                Some(
                    svc.pods as f64
                        + press.extra_pods(svc_i, *t).floor()
                        + if rolling { 1.0 } else { 0.0 },
                )
            })
            .collect();
        push_gauge(
            out,
            "kube_deployment_status_replicas",
            "The number of replicas per deployment.",
            vec![
                ("deployment", svc.name.clone()),
                ("namespace", sys.namespace.clone()),
                ("region", region.name.to_string()),
            ],
            Some(svc_i),
            None,
            Some(reg_i),
            replicas,
        );
    }
    let cores = if svc.edge { 2.0 } else { 1.0 };
    let mut cpu = Vec::new();
    let mut throttled = Vec::new();
    let mut gc_sum = Vec::new();
    let mut gc_count = Vec::new();
    let mut threads = Vec::new();
    let mut fds = Vec::new();
    let mut queued = Vec::new();
    for t in ts {
        let t = *t;
        cpu.push(Some(
            u(Resource::Cpu, t).min(1.0) * cores * pods_f * g.noise(0.04),
        ));
        throttled.push(Some((u(Resource::Cpu, t) - 0.85).max(0.0) * 60.0 * pods_f));
        let gc = u(Resource::Gc, t);
        gc_sum.push(Some((0.004 + 0.45 * gc * gc) * pods_f * g.noise(0.1)));
        gc_count.push(Some((0.15 + 1.5 * gc) * pods_f));
        let thr = u(Resource::Threads, t);
        threads.push(Some(
            ((if java { 45.0 } else { 12.0 })
                + svc.threads_max as f64 * thr.min(1.0) * 0.9 * g.noise(0.05))
            .round()
                * pods_f,
        ));
        fds.push(Some(
            ((110.0 + 160.0 * thr.min(1.3)) * g.noise(0.05) * pods_f).round(),
        ));
        queued.push(Some(
            ((thr - 0.85).max(0.0) * svc.threads_max as f64 * 4.0 * pods_f * g.noise(0.1)).round(),
        ));
    }
    push_counter(
        out,
        "container_cpu_usage_seconds_total",
        "Cumulative cpu time consumed in seconds.",
        base(vec![("container", svc.name.clone())]),
        Some(svc_i),
        None,
        None,
        cpu,
        g.step_s,
    );
    push_counter(
        out,
        "container_cpu_cfs_throttled_periods_total",
        "Number of throttled period intervals.",
        base(vec![("container", svc.name.clone())]),
        Some(svc_i),
        None,
        None,
        throttled,
        g.step_s,
    );
    let (gc_sum_name, gc_count_name, gc_labels) = if java {
        (
            "jvm_gc_pause_seconds_sum",
            "jvm_gc_pause_seconds_count",
            vec![
                ("action", "end of minor GC".to_string()),
                ("cause", "G1 Evacuation Pause".to_string()),
            ],
        )
    } else {
        (
            "go_gc_duration_seconds_sum",
            "go_gc_duration_seconds_count",
            vec![],
        )
    };
    push_counter(
        out,
        gc_sum_name,
        "Time spent in GC pause",
        base(gc_labels.clone()),
        Some(svc_i),
        None,
        None,
        gc_sum,
        g.step_s,
    );
    push_counter(
        out,
        gc_count_name,
        "Number of GC pauses",
        base(gc_labels),
        Some(svc_i),
        None,
        None,
        gc_count,
        g.step_s,
    );
    push_gauge(
        out,
        if java {
            "jvm_threads_live_threads"
        } else {
            "go_goroutines"
        },
        if java {
            "The current number of live threads"
        } else {
            "Number of goroutines that currently exist."
        },
        base(vec![]),
        Some(svc_i),
        None,
        None,
        threads,
    );
    push_gauge(
        out,
        "process_open_fds",
        "Number of open file descriptors.",
        base(vec![]),
        Some(svc_i),
        None,
        None,
        fds,
    );
    push_gauge(
        out,
        if java {
            "executor_queued_tasks"
        } else {
            "http_server_queued_requests"
        },
        "The approximate number of tasks that are queued for execution",
        base(vec![("name", "http-nio".to_string())]),
        Some(svc_i),
        None,
        None,
        queued,
    );
    if java {
        push_gauge(
            out,
            "jvm_memory_max_bytes",
            "The maximum amount of memory in bytes that can be used for memory management",
            base(vec![("area", "heap".to_string())]),
            Some(svc_i),
            None,
            None,
            vec![Some(svc.heap_max_mb * 1_048_576.0); ts.len()],
        );
    }
    if has_db {
        push_gauge(
            out,
            if java {
                "hikaricp_connections_max"
            } else {
                "db_client_connections_max"
            },
            "Max connections",
            base(vec![("pool", "HikariPool-1".to_string())]),
            Some(svc_i),
            None,
            None,
            vec![Some(svc.pool_max as f64); ts.len()],
        );
    }
    // Per pod.
    for (reg_i, region) in sys.regions.iter().enumerate() {
        for (gen_i, gen) in fleet.gens[svc_i].iter().enumerate() {
            let next = fleet.gens[svc_i].get(gen_i + 1);
            for (pod_i, pod) in gen.pods[reg_i].iter().enumerate() {
                let active: Vec<bool> = ts
                    .iter()
                    .map(|t| {
                        let started = gen_i == 0 || *t >= gen.from;
                        let gone = next.is_some_and(|n| *t >= n.from + n.rollout);
                        let count = svc.pods + press.extra_pods(svc_i, *t).floor() as usize;
                        started && !gone && pod_i < count
                    })
                    .collect();
                if !active.iter().any(|a| *a) {
                    continue;
                }
                let pl = |extra: Vec<(&'static str, String)>| {
                    let mut l = vec![
                        ("service", svc.name.clone()),
                        ("region", region.name.to_string()),
                        ("pod", pod.clone()),
                    ];
                    l.extend(extra);
                    l
                };
                let phase = (pod_i as f64 * 0.37 + gen_i as f64 * 0.11) % 1.0;
                let mut cpu = Vec::with_capacity(ts.len());
                let mut heap = Vec::with_capacity(ts.len());
                let mut active_conn = Vec::with_capacity(ts.len());
                let mut pending = Vec::with_capacity(ts.len());
                for (k, t) in ts.iter().enumerate() {
                    if !active[k] {
                        cpu.push(None);
                        heap.push(None);
                        active_conn.push(None);
                        pending.push(None);
                        continue;
                    }
                    cpu.push(Some((u(Resource::Cpu, *t) * g.noise(0.06)).min(0.995)));
                    let gc = u(Resource::Gc, *t);
                    let saw = ((*t as f64 / (SEC as f64 * 180.0)) + phase) % 1.0;
                    let frac = (0.3 + 0.25 * saw + 0.6 * gc).min(0.985);
                    heap.push(Some(
                        (svc.heap_max_mb * 1_048_576.0 * frac * g.noise(0.02)).round(),
                    ));
                    let u_pool = u(Resource::Pool, *t);
                    active_conn.push(Some(
                        (svc.pool_max as f64 * u_pool.min(1.0) * g.noise(0.08))
                            .min(svc.pool_max as f64)
                            .round(),
                    ));
                    pending.push(Some(
                        ((u_pool - 0.95).max(0.0) * svc.pool_max as f64 * 6.0 * g.noise(0.1))
                            .round(),
                    ));
                }
                push_gauge(
                    out,
                    "process_cpu_usage",
                    "The recent cpu usage of the process",
                    pl(vec![]),
                    Some(svc_i),
                    Some(pod.clone()),
                    Some(reg_i),
                    cpu,
                );
                if java {
                    push_gauge(
                        out,
                        "jvm_memory_used_bytes",
                        "The amount of used memory",
                        pl(vec![("area", "heap".to_string())]),
                        Some(svc_i),
                        Some(pod.clone()),
                        Some(reg_i),
                        heap,
                    );
                } else {
                    push_gauge(
                        out,
                        "go_memstats_heap_inuse_bytes",
                        "Number of heap bytes that are in use.",
                        pl(vec![]),
                        Some(svc_i),
                        Some(pod.clone()),
                        Some(reg_i),
                        heap,
                    );
                }
                if has_db {
                    let (a, p) = if java {
                        (
                            "hikaricp_connections_active",
                            "hikaricp_connections_pending",
                        )
                    } else {
                        (
                            "db_client_connections_usage",
                            "db_client_connections_pending_requests",
                        )
                    };
                    push_gauge(
                        out,
                        a,
                        "Active connections",
                        pl(vec![("pool", "HikariPool-1".to_string())]),
                        Some(svc_i),
                        Some(pod.clone()),
                        Some(reg_i),
                        active_conn,
                    );
                    push_gauge(
                        out,
                        p,
                        "Pending threads",
                        pl(vec![("pool", "HikariPool-1".to_string())]),
                        Some(svc_i),
                        Some(pod.clone()),
                        Some(reg_i),
                        pending,
                    );
                }
            }
        }
    }
}

/// Request counters from the simulated server spans (all regions together).
fn http_series(
    sys: &System,
    counters: &Counters,
    svc_i: usize,
    ts: &[i64],
    step_s: f64,
    out: &mut Vec<Series>,
) {
    let svc = &sys.services[svc_i];
    for ((c_svc, c_op, c_status), per_step) in &counters.map {
        if *c_svc as usize != svc_i {
            continue;
        }
        let op = &sys.ops[*c_op as usize];
        let labels = vec![
            ("service", svc.name.clone()),
            ("method", op.method.to_string()),
            ("uri", op.route.clone()),
            ("status", c_status.to_string()),
            (
                "outcome",
                match c_status {
                    200..=299 => "SUCCESS",
                    400..=499 => "CLIENT_ERROR",
                    _ => "SERVER_ERROR",
                }
                .to_string(),
            ),
        ];
        let mut counts = Vec::with_capacity(ts.len());
        let mut sums = Vec::with_capacity(ts.len());
        for t in ts {
            let slot =
                (((t - counters.start) / counters.step).max(0) as usize).min(counters.len - 1);
            let (c, s) = per_step[slot];
            counts.push(Some(f64::from(c) / step_s));
            sums.push(Some(f64::from(s) / step_s));
        }
        push_counter(
            out,
            "http_server_requests_seconds_count",
            "Duration of HTTP server request handling",
            labels.clone(),
            Some(svc_i),
            None,
            None,
            counts,
            step_s,
        );
        push_counter(
            out,
            "http_server_requests_seconds_sum",
            "Duration of HTTP server request handling",
            labels,
            Some(svc_i),
            None,
            None,
            sums,
            step_s,
        );
    }
}

fn cache_and_db(sys: &System, plan: &Plan, press: &Pressure, g: &mut Grid, out: &mut Vec<Series>) {
    let host = sys.cache.host.clone();
    let mut up = Vec::new();
    let mut hits = Vec::new();
    let mut misses = Vec::new();
    let mut clients = Vec::new();
    let times = g.times;
    for &t in times {
        let mut down = 0.0f64;
        let mut miss_boost = 0.0f64;
        for eff in &plan.effects {
            match eff {
                Effect::Downstream {
                    target: Target::Cache,
                    curve,
                    failure: Some(f),
                    fail_prob,
                    ..
                } if *f != DepFailure::ReadOnly => down = down.max(curve.at(t) * fail_prob),
                Effect::CacheMiss { curve, .. } => miss_boost = miss_boost.max(curve.at(t)),
                _ => {}
            }
        }
        let load = daily(t) / daily(plan.timeline.onset).max(0.3) * press.load(0, t);
        let ops = 180.0 * load * g.noise(0.05);
        if down > 0.5 {
            up.push(Some(0.0));
            hits.push(Some(0.0));
            misses.push(Some(0.0));
            clients.push(Some(0.0));
        } else {
            up.push(Some(1.0));
            let miss_ratio = (0.1 + 0.8 * miss_boost).min(0.95);
            hits.push(Some(ops * (1.0 - miss_ratio)));
            misses.push(Some(ops * miss_ratio));
            clients.push(Some((40.0 * g.noise(0.05)).round()));
        }
    }
    let labels = vec![("instance", format!("{host}:6379"))];
    push_gauge(
        out,
        "redis_up",
        "Information about the Redis instance",
        labels.clone(),
        None,
        None,
        None,
        up,
    );
    push_gauge(
        out,
        "redis_connected_clients",
        "connected_clients metric",
        labels.clone(),
        None,
        None,
        None,
        clients,
    );
    push_counter(
        out,
        "redis_keyspace_hits_total",
        "keyspace_hits metric",
        labels.clone(),
        None,
        None,
        None,
        hits,
        g.step_s,
    );
    push_counter(
        out,
        "redis_keyspace_misses_total",
        "keyspace_misses metric",
        labels,
        None,
        None,
        None,
        misses,
        g.step_s,
    );
    for (db_i, db) in sys.dbs.iter().enumerate() {
        let mut up = Vec::new();
        let mut active = Vec::new();
        for &t in times {
            let mut refused = 0.0f64;
            let mut lm = 1.0f64;
            for eff in &plan.effects {
                if let Effect::Downstream {
                    target: Target::Db(d),
                    curve,
                    failure,
                    latency_mult,
                    fail_prob,
                    ..
                } = eff
                {
                    if *d == db_i {
                        let c = curve.at(t);
                        lm *= 1.0 + (latency_mult - 1.0) * c;
                        if *failure == Some(DepFailure::Refused) {
                            refused = refused.max(c * fail_prob);
                        }
                    }
                }
            }
            let users: f64 = (0..sys.services.len())
                .filter(|s| sys.service_uses_db(*s, db_i))
                .map(|s| {
                    press.at(s, Resource::Pool, t).min(1.0)
                        * sys.services[s].pool_max as f64
                        * sys.services[s].pods as f64
                })
                .sum();
            if refused > 0.5 {
                up.push(Some(0.0));
                active.push(Some(0.0));
            } else {
                up.push(Some(1.0));
                active.push(Some((users * 0.6 * lm.min(4.0) * g.noise(0.08)).round()));
            }
        }
        let labels = vec![
            ("instance", format!("{}:5432", db.host)),
            ("datname", db.namespace.clone()),
        ];
        push_gauge(
            out,
            "pg_up",
            "Whether the last scrape of metrics from PostgreSQL was able to connect to the server",
            labels.clone(),
            None,
            None,
            None,
            up,
        );
        let mut l2 = labels;
        l2.push(("state", "active".to_string()));
        push_gauge(
            out,
            "pg_stat_activity_count",
            "number of connections in this state",
            l2,
            None,
            None,
            None,
            active,
        );
    }
}
