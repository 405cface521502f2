//! Controls: no incident. The confounders every scenario carries (background errors,
//! expected business errors, retries, deploys, daily shape) and, in some controls, a
//! benign peak or a blip that retries absorb. The captured request is an expected
//! business error, as in a user report that turns out not to be an outage.

use super::{Builder, DepFailure, Effect, Expect, Filter, Surge, Target};
use crate::curve::Curve;
use crate::domains::{EpKind, ExtKind};
use crate::random as r;
use crate::time::{MIN, SEC};

fn business_example(b: &mut Builder) {
    let kind = *r::pick(
        &mut b.rng,
        &[
            EpKind::Promo,
            EpKind::OrderGet,
            EpKind::OrderCancel,
            EpKind::Promo,
        ],
    );
    let ep = b.ep(kind);
    b.plan.har = super::HarPlan {
        endpoint: ep,
        at: b.tl.onset,
        filter: Filter::default(),
        expect: Expect::Business,
    };
    let owner = b.sys.ops[b.owner(ep)].service;
    b.spec(owner, None);
}

/// Nothing but the usual noise.
pub(super) fn steady(b: &mut Builder) {
    business_example(b);
}

/// A daily peak and two routine deploys.
pub(super) fn peak_and_deploy(b: &mut Builder) {
    let start = b.tl.onset - b.minutes(10.0, 20.0);
    let extra = r::float(&mut b.rng, 0.25, 0.45);
    b.plan.surges.push(Surge {
        endpoint: None,
        tenant: None,
        curve: Curve::pulse(start, 10 * MIN, b.tl.onset + 8 * MIN, 10 * MIN, extra),
    });
    let n = b.sys.services.len();
    let svc = r::index(&mut b.rng, n);
    let at = b.tl.onset - b.minutes(0.5, 3.0);
    b.deploy(svc, at, "library and base image refresh");
    business_example(b);
}

/// A short provider slowdown that retries absorb.
pub(super) fn transient_blip(b: &mut Builder) {
    let ext = b.sys.external(if r::chance(&mut b.rng, 0.5) {
        ExtKind::Psp
    } else {
        ExtKind::Fx
    });
    let at = b.tl.onset - b.minutes(1.0, 4.0);
    let dur = b.seconds(25.0, 50.0);
    b.plan.effects.push(Effect::Downstream {
        target: Target::External(ext),
        curve: Curve::pulse(at, 5 * SEC, at + dur, 5 * SEC, 1.0),
        filter: Filter::default(),
        latency_mult: r::float(&mut b.rng, 2.0, 3.0),
        fail_prob: 0.05,
        failure: Some(DepFailure::Timeout),
    });
    business_example(b);
}
