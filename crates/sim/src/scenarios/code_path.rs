//! Code-path scenarios: one branch or handler is broken by a change (a deploy, a
//! configuration change, a feature flag). Failures start with the change, are
//! consistent for the affected requests (same users, same cohort, same role), come
//! with stack traces or "no route" messages, and no downstream misbehaves.

use super::{Builder, Effect, ExcKind, Filter, HandlerFailure};
use crate::curve::Curve;
use crate::domains::{EpKind, ExtKind, Role};
use crate::random as r;
use crate::time::SEC;

fn maybe_rollback(b: &mut Builder, svc: usize, deployed_at: i64) {
    if r::chance(&mut b.rng, 0.3) {
        let at = b.tl.end - b.minutes(1.0, 3.0);
        b.rollback(svc, at, deployed_at);
    }
}

fn pick_kind(b: &mut Builder, kinds: &[EpKind]) -> EpKind {
    *r::pick(&mut b.rng, kinds)
}

/// A deploy adds a null dereference for some users' requests.
pub(super) fn null_pointer_after_deploy(b: &mut Builder) {
    let kind = pick_kind(
        b,
        &[
            EpKind::Checkout,
            EpKind::BasketGet,
            EpKind::OrderGet,
            EpKind::Me,
            EpKind::BasketAdd,
            EpKind::Search,
        ],
    );
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let at = b.tl.onset;
    let text = *r::pick(
        &mut b.rng,
        &[
            "refactor address and delivery handling",
            "new loyalty fields in responses",
            "simplify mapping layer",
        ],
    );
    let gate = b.deploy(svc, at, text);
    let steps = b.sys.ops[op].steps.len();
    let share = r::float(&mut b.rng, 0.25, 0.65);
    let salt = r::int(&mut b.rng, 1, 1 << 30) as u64;
    let filter = Filter {
        user_share: Some((share, salt)),
        ..Filter::default()
    };
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: filter.clone(),
        prob: 1.0,
        failure: HandlerFailure::Exception {
            exc: ExcKind::NullDeref,
            after_step: r::index(&mut b.rng, steps.max(1)),
        },
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, filter);
    maybe_rollback(b, svc, at);
    b.spec(svc, Some(super::SpecChange::Compatible { op }));
}

/// A deploy drops a route.
pub(super) fn route_missing_after_deploy(b: &mut Builder) {
    let kind = pick_kind(
        b,
        &[
            EpKind::OrderList,
            EpKind::BasketGet,
            EpKind::Promo,
            EpKind::OrderGet,
            EpKind::Nearby,
        ],
    );
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let at = b.tl.onset;
    let gate = b.deploy(svc, at, "move handlers to the new controller layout");
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: 1.0,
        failure: HandlerFailure::RouteMissing,
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, Filter::default());
    maybe_rollback(b, svc, at);
    b.spec(svc, None);
}

/// A flag enables a broken path for one cohort.
pub(super) fn feature_flag_cohort_breakage(b: &mut Builder) {
    let kind = pick_kind(
        b,
        &[
            EpKind::BasketGet,
            EpKind::Search,
            EpKind::ItemGet,
            EpKind::BasketAdd,
        ],
    );
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let cohort = 1 + r::index(&mut b.rng, crate::domains::COHORTS.len() - 1);
    let cohort_name = crate::domains::COHORTS[cohort].0;
    let flag = *r::pick(&mut b.rng, b.sys.domain.flag_names);
    let at = b.tl.onset;
    b.flag(
        svc,
        at,
        flag,
        &format!("{flag}: on for cohort {cohort_name}"),
    );
    let exc = *r::pick(
        &mut b.rng,
        &[
            ExcKind::ClassCast,
            ExcKind::IndexOutOfBounds,
            ExcKind::Arithmetic,
            ExcKind::IllegalArgument,
        ],
    );
    let steps = b.sys.ops[op].steps.len();
    let filter = Filter {
        cohort: Some(cohort),
        ..Filter::default()
    };
    let ramp = b.seconds(5.0, 30.0);
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, ramp, 1.0),
        gate: None,
        filter: filter.clone(),
        prob: r::float(&mut b.rng, 0.85, 1.0),
        failure: HandlerFailure::Exception {
            exc,
            after_step: r::index(&mut b.rng, steps.max(1)),
        },
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, filter);
    b.spec(svc, None);
}

/// A deploy breaks an authorisation check for one role.
pub(super) fn permission_check_regression(b: &mut Builder) {
    let kind = pick_kind(
        b,
        &[
            EpKind::OrderGet,
            EpKind::OrderList,
            EpKind::BasketGet,
            EpKind::Me,
            EpKind::BasketAdd,
        ],
    );
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let at = b.tl.onset;
    let gate = b.deploy(svc, at, "migrate authorisation checks to the policy engine");
    let filter = Filter {
        role: Some(1),
        ..Filter::default()
    };
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: filter.clone(),
        prob: 1.0,
        failure: HandlerFailure::Forbidden,
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, filter);
    maybe_rollback(b, svc, at);
    b.spec(svc, None);
}

/// A config change removes a property a handler needs.
pub(super) fn missing_config_property(b: &mut Builder) {
    let (op, property) = if r::chance(&mut b.rng, 0.6) {
        (
            b.op_of(crate::system::OpKind::Charge),
            *r::pick(
                &mut b.rng,
                &[
                    "payments.baseUrl",
                    "payments.provider.api-key",
                    "psp.webhook.secret",
                ],
            ),
        )
    } else {
        (
            b.op_of(crate::system::OpKind::PriceQuote),
            *r::pick(&mut b.rng, &["pricing.fx.baseUrl", "pricing.rounding.mode"]),
        )
    };
    let svc = b.sys.ops[op].service;
    let at = b.tl.onset;
    let gate = b.config(
        svc,
        at,
        "move provider settings to the shared configuration repository",
    );
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: 1.0,
        failure: HandlerFailure::ConfigMissing {
            property: property.to_string(),
        },
    });
    b.involved.push(svc);
    let ep = if b.sys.ops[op].role == Some(Role::Payments) {
        b.ep(EpKind::Checkout)
    } else {
        b.endpoint_reaching(op)
    };
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, Filter::default());
    b.spec(svc, None);
}

/// A config change points a client at the wrong base URL.
pub(super) fn wrong_base_url_config(b: &mut Builder) {
    let (ext, ep) = if r::chance(&mut b.rng, 0.6) {
        (b.sys.external(ExtKind::Psp), b.ep(EpKind::Checkout))
    } else {
        (b.sys.external(ExtKind::Maps), b.ep(EpKind::Nearby))
    };
    let svc = b
        .sys
        .services
        .iter()
        .enumerate()
        .position(|(i, _)| b.sys.service_uses_external(i, ext))
        .unwrap_or(0);
    let peer = b.sys.externals[ext].peer.clone();
    let (host, failure) = if r::chance(&mut b.rng, 0.5) {
        (
            format!("api.sandbox.{peer}.example"),
            super::DepFailure::Status {
                code: 401,
                retry_after: None,
            },
        )
    } else {
        (format!("{peer}.staging.internal"), super::DepFailure::Dns)
    };
    let at = b.tl.onset;
    let gate = b.config(svc, at, "point provider client at the regional endpoint");
    b.plan.effects.push(Effect::Rewire {
        service: svc,
        ext,
        host,
        gate: Some(gate),
        failure,
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, Filter::default());
    b.spec(svc, None);
}
