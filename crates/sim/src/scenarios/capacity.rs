//! Capacity scenarios: the system runs out of something (connections, threads, heap,
//! CPU) because demand grew. Traffic or a resource curve rises first, tail latency
//! follows, errors come last; no downstream is at fault and no deploy is needed.

use super::{Builder, Effect, Filter, Resource, Surge, Target};
use crate::curve::Curve;
use crate::domains::{EpKind, Role};
use crate::random as r;
use crate::system::Lang;
use crate::time::{MIN, SEC};

/// Keeps the other services' utilisation low enough that only `target` saturates at
/// `peak` times the normal load.
fn calm_others(b: &mut Builder, target: usize, peak: f64) {
    for svc in 0..b.sys.services.len() {
        if svc == target {
            continue;
        }
        let s = &b.sys.services[svc];
        let cap = 0.6 / peak.max(1.0);
        b.plan
            .base_overrides
            .push((svc, Resource::Pool, s.base_pool.min(cap)));
        b.plan
            .base_overrides
            .push((svc, Resource::Threads, s.base_threads.min(cap)));
        b.plan
            .base_overrides
            .push((svc, Resource::Cpu, s.base_cpu.min(0.7 / peak.max(1.0))));
    }
}

fn finish(b: &mut Builder, svc: usize, har_at: i64, filter: Filter) {
    b.involved.push(svc);
    let ep = b.busiest_endpoint_of(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let at = har_at.clamp(b.tl.onset + 30 * SEC, b.tl.end - 30 * SEC);
    b.har(ep, at, filter);
    b.spec(svc, None);
}

/// A global surge exhausts one service's connection pool.
pub(super) fn traffic_surge_pool_exhaustion(b: &mut Builder) {
    let svc = if r::chance(&mut b.rng, 0.6) {
        b.sys.service_of(Role::Orders)
    } else {
        b.sys.service_of(Role::Basket)
    };
    let extra = r::float(&mut b.rng, 2.0, 2.6);
    let t0 = b.tl.onset - b.minutes(5.0, 7.0);
    let t1 = b.tl.onset + (b.tl.onset - t0);
    b.plan.surges.push(Surge {
        endpoint: None,
        tenant: None,
        curve: Curve::from_points(vec![(t0, 0.0), (t1, extra), (b.tl.end, extra * 1.05)]),
    });
    let base = 0.85 / (1.0 + extra / 2.0);
    b.plan.base_overrides.push((svc, Resource::Pool, base));
    b.plan
        .base_overrides
        .push((svc, Resource::Threads, base * 0.7));
    calm_others(b, svc, 1.0 + extra);
    let extra_pods = r::int(&mut b.rng, 1, 2) as f64;
    b.plan
        .scale_out
        .push((svc, Curve::step(b.tl.onset + MIN, 2 * MIN, extra_pods)));
    // The time the pool is clearly past full (u = 1.1).
    let frac = ((1.1 / base - 1.0) / extra).clamp(0.0, 1.0);
    let har_at = t0 + ((t1 - t0) as f64 * frac) as i64 + b.seconds(20.0, 90.0);
    finish(b, svc, har_at, Filter::default());
}

/// A JVM's heap fills under rising load; GC pauses take over.
pub(super) fn gc_storm_memory_pressure(b: &mut Builder) {
    let mut kinds = [
        EpKind::ItemGet,
        EpKind::Search,
        EpKind::BasketGet,
        EpKind::OrderGet,
        EpKind::Me,
    ];
    let k = r::index(&mut b.rng, kinds.len());
    kinds.rotate_left(k);
    let owners: Vec<usize> = kinds
        .iter()
        .map(|k| b.sys.ops[b.owner(b.ep(*k))].service)
        .collect();
    let svc = owners
        .iter()
        .copied()
        .find(|s| b.sys.services[*s].lang == Lang::Java)
        .unwrap_or(owners[0]);
    let onset = b.tl.onset;
    let end = b.tl.end;
    for (i, e) in b.sys.endpoints.iter().enumerate() {
        if e.owner_op.map(|o| b.sys.ops[o].service) == Some(svc) {
            b.plan.surges.push(Surge {
                endpoint: Some(i),
                tenant: None,
                curve: Curve::step(onset - 10 * MIN, 8 * MIN, 0.8),
            });
        }
    }
    let lead = b.minutes(6.0, 9.0);
    let peak_at = onset + b.minutes(5.0, 8.0);
    b.plan.effects.push(Effect::Pressure {
        service: svc,
        resource: Resource::Gc,
        curve: Curve::from_points(vec![
            (onset - lead, 0.0),
            (onset, 0.35),
            (peak_at, 0.8),
            (end, 0.95),
        ]),
    });
    calm_others(b, svc, 1.8);
    let har_at = b.during(0.4, 0.8);
    finish(b, svc, har_at, Filter::default());
}

/// Hot cache entries expire under a spike; misses stampede the database.
pub(super) fn cache_stampede(b: &mut Builder) {
    let ep = b.ep(EpKind::ItemGet);
    let svc = b.sys.ops[b.owner(ep)].service;
    let onset = b.tl.onset;
    let end = b.tl.end;
    b.plan.surges.push(Surge {
        endpoint: Some(ep),
        tenant: None,
        curve: Curve::step(onset - 2 * MIN, 3 * MIN, r::float(&mut b.rng, 0.6, 1.2)),
    });
    let miss = Curve::from_points(vec![
        (onset, 0.0),
        (onset + 20 * SEC, 0.85),
        (end, r::float(&mut b.rng, 0.45, 0.65)),
    ]);
    b.plan.effects.push(Effect::CacheMiss {
        key: "item:",
        curve: miss.clone(),
    });
    let db = b.sys.db_of(Role::Catalog);
    b.plan.effects.push(Effect::Downstream {
        target: Target::Db(db),
        curve: Curve::from_points(vec![(onset, 0.0), (onset + 2 * MIN, 1.0), (end, 0.8)]),
        filter: Filter::default(),
        latency_mult: r::float(&mut b.rng, 3.0, 5.0),
        fail_prob: 0.0,
        failure: None,
    });
    b.plan.effects.push(Effect::Pressure {
        service: svc,
        resource: Resource::Pool,
        curve: Curve::from_points(vec![
            (onset, 0.0),
            (onset + 90 * SEC, 1.0),
            (onset + 4 * MIN, r::float(&mut b.rng, 1.2, 1.4)),
            (end, 1.1),
        ]),
    });
    calm_others(b, svc, 1.6);
    let har_at = onset + b.minutes(2.0, 6.0);
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    b.har(ep, har_at.min(end - 30 * SEC), Filter::default());
    b.spec(svc, None);
}

/// One tenant floods one endpoint; the shared service saturates for everyone.
pub(super) fn hot_tenant_overload(b: &mut Builder) {
    let kind = if r::chance(&mut b.rng, 0.6) {
        EpKind::OrderList
    } else {
        EpKind::Search
    };
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let n_tenants = b.sys.tenants.len();
    let tenant = 1 + r::index(&mut b.rng, n_tenants.saturating_sub(1).max(1));
    let tenant = tenant.min(n_tenants - 1);
    let onset = b.tl.onset;
    let end = b.tl.end;
    b.plan.surges.push(Surge {
        endpoint: Some(ep),
        tenant: Some(tenant),
        curve: Curve::step(onset - 3 * MIN, 2 * MIN, r::float(&mut b.rng, 3.0, 6.0)),
    });
    b.plan.effects.push(Effect::Pressure {
        service: svc,
        resource: Resource::Pool,
        curve: Curve::from_points(vec![
            (onset - 2 * MIN, 0.0),
            (onset, 0.85),
            (onset + 3 * MIN, 1.3),
            (end, 1.35),
        ]),
    });
    b.plan.effects.push(Effect::Pressure {
        service: svc,
        resource: Resource::Threads,
        curve: Curve::from_points(vec![
            (onset - MIN, 0.0),
            (onset + 2 * MIN, 0.9),
            (end, 1.05),
        ]),
    });
    let role = b.sys.ops[op].role.unwrap_or(Role::Orders);
    let db = b.sys.db_of(role);
    b.plan.effects.push(Effect::Downstream {
        target: Target::Db(db),
        curve: Curve::step(onset - 2 * MIN, 3 * MIN, 1.0),
        filter: Filter::default(),
        latency_mult: r::float(&mut b.rng, 1.6, 2.4),
        fail_prob: 0.0,
        failure: None,
    });
    calm_others(b, svc, 1.3);
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.3, 0.8);
    b.har(
        ep,
        t,
        Filter {
            not_tenant: Some(tenant),
            ..Filter::default()
        },
    );
    b.spec(svc, None);
}

/// Slow requests pile up in one service's worker pool.
pub(super) fn thread_pool_starvation(b: &mut Builder) {
    let (svc, slow) = if r::chance(&mut b.rng, 0.5) {
        (b.sys.service_of(Role::Reporting), b.ep(EpKind::Report))
    } else {
        (b.sys.service_of(Role::Orders), b.ep(EpKind::OrderList))
    };
    let onset = b.tl.onset;
    let end = b.tl.end;
    b.plan.surges.push(Surge {
        endpoint: Some(slow),
        tenant: None,
        curve: Curve::step(onset - 4 * MIN, 3 * MIN, r::float(&mut b.rng, 4.0, 8.0)),
    });
    b.plan.effects.push(Effect::Pressure {
        service: svc,
        resource: Resource::Threads,
        curve: Curve::from_points(vec![
            (onset - 3 * MIN, 0.0),
            (onset, 0.9),
            (onset + 4 * MIN, 1.3),
            (end, 1.4),
        ]),
    });
    calm_others(b, svc, 1.2);
    // The flooded endpoint is where most users hit the rejections.
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), slow, None);
    let har_at = b.during(0.3, 0.8);
    b.har(slow, har_at, Filter::default());
    b.spec(svc, None);
}

/// A surge meets an autoscaler at its maximum; CPU throttles.
pub(super) fn cpu_throttling_autoscale_capped(b: &mut Builder) {
    let kind = if r::chance(&mut b.rng, 0.5) {
        EpKind::Search
    } else {
        EpKind::ItemGet
    };
    let svc = b.sys.ops[b.owner(b.ep(kind))].service;
    let onset = b.tl.onset;
    let end = b.tl.end;
    let extra = r::float(&mut b.rng, 1.0, 1.6);
    b.plan.surges.push(Surge {
        endpoint: None,
        tenant: None,
        curve: Curve::from_points(vec![
            (onset - 8 * MIN, 0.0),
            (onset + 2 * MIN, extra),
            (end, extra),
        ]),
    });
    b.plan.effects.push(Effect::Pressure {
        service: svc,
        resource: Resource::Cpu,
        curve: Curve::from_points(vec![
            (onset - 6 * MIN, 0.0),
            (onset, 0.92),
            (onset + 5 * MIN, 1.2),
            (end, 1.25),
        ]),
    });
    let extra_pods = r::int(&mut b.rng, 1, 3) as f64;
    b.plan
        .scale_out
        .push((svc, Curve::step(onset - 6 * MIN, 4 * MIN, extra_pods)));
    calm_others(b, svc, 1.0 + extra);
    let har_at = b.during(0.4, 0.85);
    finish(b, svc, har_at, Filter::default());
}
