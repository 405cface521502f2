//! Dependency scenarios: the service is healthy but something it calls is not. The
//! first hard signal is a step change in one downstream's latency or errors (client
//! spans, error texts naming the host), before and independent of any deploy; the
//! caller's own saturation, when it comes, comes later as a consequence.

use super::{Builder, DepFailure, Effect, Filter, Resource, Target};
use crate::curve::Curve;
use crate::domains::{EpKind, ExtKind, Role};
use crate::random as r;
use crate::time::{MIN, SEC};

fn ext_and_endpoint(b: &mut Builder) -> (usize, usize) {
    if r::chance(&mut b.rng, 0.55) {
        (b.sys.external(ExtKind::Psp), b.ep(EpKind::Checkout))
    } else {
        (b.sys.external(ExtKind::Maps), b.ep(EpKind::Nearby))
    }
}

fn culprit_external(b: &mut Builder, ext: usize, ep: usize) {
    let peer = b.sys.externals[ext].peer.clone();
    b.culprit(Some(peer.clone()), ep, Some(peer));
}

/// The payment provider slows down and times out.
pub(super) fn payment_provider_timeout(b: &mut Builder) {
    let psp = b.sys.external(ExtKind::Psp);
    let ep = b.ep(EpKind::Checkout);
    let onset = b.tl.onset;
    let end = b.tl.end;
    let ramp = b.seconds(20.0, 60.0);
    b.plan.effects.push(Effect::Downstream {
        target: Target::External(psp),
        curve: Curve::from_points(vec![(onset, 0.0), (onset + ramp, 1.0), (end, 1.0)]),
        filter: Filter::default(),
        latency_mult: r::float(&mut b.rng, 6.0, 14.0),
        fail_prob: r::float(&mut b.rng, 0.45, 0.75),
        failure: Some(DepFailure::Timeout),
    });
    // Consequence: threads of the payment service and the orders pool fill later.
    let payments = b.sys.service_of(Role::Payments);
    let orders = b.sys.service_of(Role::Orders);
    let lag = b.minutes(3.0, 6.0);
    b.plan.effects.push(Effect::Pressure {
        service: payments,
        resource: Resource::Threads,
        curve: Curve::from_points(vec![(onset, 0.0), (onset + lag, 0.85), (end, 0.97)]),
    });
    b.plan.effects.push(Effect::Pressure {
        service: orders,
        resource: Resource::Pool,
        curve: Curve::from_points(vec![
            (onset + lag, 0.0),
            (onset + lag + 2 * MIN, 0.9),
            (end, r::float(&mut b.rng, 0.95, 1.05)),
        ]),
    });
    b.involved.extend([payments, orders]);
    culprit_external(b, psp, ep);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, Filter::default());
    let owner = b.sys.ops[b.owner(ep)].service;
    b.spec(owner, None);
}

/// A database fails over: refused connections, then read-only errors on writes.
pub(super) fn database_failover(b: &mut Builder) {
    let db = b.sys.db_of(Role::Orders);
    let ep = b.ep(EpKind::BasketAdd);
    let onset = b.tl.onset;
    let refused = b.seconds(30.0, 75.0);
    let read_only = b.minutes(2.0, 4.0);
    b.plan.effects.push(Effect::Downstream {
        target: Target::Db(db),
        curve: Curve::pulse(onset, SEC / 2, onset + refused, SEC, 1.0),
        filter: Filter::default(),
        latency_mult: 1.0,
        fail_prob: 0.92,
        failure: Some(DepFailure::Refused),
    });
    b.plan.effects.push(Effect::Downstream {
        target: Target::Db(db),
        curve: Curve::pulse(
            onset + refused,
            SEC / 2,
            onset + refused + read_only,
            2 * SEC,
            1.0,
        ),
        filter: Filter {
            writes_only: true,
            ..Filter::default()
        },
        latency_mult: 1.0,
        fail_prob: r::float(&mut b.rng, 0.7, 0.95),
        failure: Some(DepFailure::ReadOnly),
    });
    b.plan.effects.push(Effect::Downstream {
        target: Target::Db(db),
        curve: Curve::pulse(onset, SEC, onset + refused + read_only, 3 * MIN, 1.0),
        filter: Filter::default(),
        latency_mult: r::float(&mut b.rng, 2.0, 3.5),
        fail_prob: 0.0,
        failure: None,
    });
    let host = b.sys.dbs[db].host.clone();
    b.involved.push(b.sys.service_of(Role::Orders));
    b.involved.push(b.sys.service_of(Role::Basket));
    b.culprit(Some(host.clone()), ep, Some(host));
    let t = onset + refused + b.seconds(10.0, 60.0);
    b.har(ep, t, Filter::default());
    let owner = b.sys.ops[b.owner(ep)].service;
    b.spec(owner, None);
}

/// A third party answers 429 with Retry-After.
pub(super) fn third_party_rate_limited(b: &mut Builder) {
    let (ext, ep) = ext_and_endpoint(b);
    let onset = b.tl.onset;
    let retry_after = *r::pick(&mut b.rng, &[30u32, 60, 120]);
    let ramp = b.seconds(10.0, 40.0);
    b.plan.effects.push(Effect::Downstream {
        target: Target::External(ext),
        curve: Curve::step(onset, ramp, 1.0),
        filter: Filter::default(),
        latency_mult: 0.6,
        fail_prob: r::float(&mut b.rng, 0.5, 0.85),
        failure: Some(DepFailure::Status {
            code: 429,
            retry_after: Some(retry_after),
        }),
    });
    culprit_external(b, ext, ep);
    let owner = b.sys.ops[b.owner(ep)].service;
    b.involved.push(owner);
    let t = b.during(0.15, 0.7);
    b.har(ep, t, Filter::default());
    b.spec(owner, None);
}

fn one_region(b: &mut Builder, failure: DepFailure, fail_lo: f64) {
    let (ext, ep) = ext_and_endpoint(b);
    let region = r::index(&mut b.rng, b.sys.regions.len());
    let onset = b.tl.onset;
    let filter = Filter {
        region: Some(region),
        ..Filter::default()
    };
    let ramp = b.seconds(5.0, 30.0);
    b.plan.effects.push(Effect::Downstream {
        target: Target::External(ext),
        curve: Curve::step(onset, ramp, 1.0),
        filter: filter.clone(),
        latency_mult: 1.0,
        fail_prob: r::float(&mut b.rng, fail_lo, 1.0),
        failure: Some(failure),
    });
    culprit_external(b, ext, ep);
    let owner = b.sys.ops[b.owner(ep)].service;
    b.involved.push(owner);
    let t = b.during(0.15, 0.7);
    b.har(ep, t, filter);
    b.spec(owner, None);
}

/// DNS resolution of one third party fails in one region.
pub(super) fn dns_failure_one_region(b: &mut Builder) {
    one_region(b, DepFailure::Dns, 0.6);
}

/// TLS handshakes with one third party fail in one region.
pub(super) fn tls_failure_one_region(b: &mut Builder) {
    one_region(b, DepFailure::Tls, 0.95);
}

/// The cache cluster goes down; reads fall back to databases, token checks fail.
pub(super) fn cache_cluster_down(b: &mut Builder) {
    let onset = b.tl.onset;
    let down_for = b.minutes(6.0, 14.0);
    let curve = Curve::pulse(onset, b.seconds(5.0, 20.0), onset + down_for, MIN, 1.0);
    b.plan.effects.push(Effect::Downstream {
        target: Target::Cache,
        curve: curve.clone(),
        filter: Filter::default(),
        latency_mult: 1.0,
        fail_prob: 0.96,
        failure: Some(if r::chance(&mut b.rng, 0.8) {
            DepFailure::Refused
        } else {
            DepFailure::Timeout
        }),
    });
    for db in 0..b.sys.dbs.len() {
        b.plan.effects.push(Effect::Downstream {
            target: Target::Db(db),
            curve: curve.clone(),
            filter: Filter::default(),
            latency_mult: r::float(&mut b.rng, 1.3, 1.8),
            fail_prob: 0.0,
            failure: None,
        });
    }
    let ep = b.ep(EpKind::BasketAdd);
    let host = b.sys.cache.host.clone();
    b.involved.push(b.sys.service_of(Role::Auth));
    b.culprit(Some(host.clone()), ep, Some(host));
    let t = onset + b.seconds(40.0, (down_for / SEC) as f64 * 0.7);
    b.har(ep, t, Filter::default());
    let owner = b.sys.ops[b.owner(ep)].service;
    b.spec(owner, None);
}
