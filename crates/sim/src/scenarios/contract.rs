//! Contract scenarios: the request or response no longer matches what the other side
//! expects. Each one follows a release of the side that changed, shows up as 4xx
//! spikes, deserialisation errors or 200s with the wrong shape, and the new OpenAPI
//! document carries the breaking change.

use super::{Builder, Effect, Filter, Rule, ShapeChange, SpecChange};
use crate::curve::Curve;
use crate::domains::EpKind;
use crate::random as r;
use crate::system::{ClientKind, Lang, OpKind};
use crate::time::SEC;

fn maybe_rollback(b: &mut Builder, svc: usize, deployed_at: i64) {
    if r::chance(&mut b.rng, 0.3) {
        let at = b.tl.end - b.minutes(1.0, 3.0);
        b.rollback(svc, at, deployed_at);
    }
}

/// A public response renames a key; apps fail to read it (200s with the wrong shape).
pub(super) fn response_field_renamed(b: &mut Builder) {
    let d = b.sys.domain;
    let (kind, from, to) = if r::chance(&mut b.rng, 0.6) {
        (EpKind::ItemGet, d.money_field, d.money_renamed)
    } else {
        (EpKind::OrderGet, "total", "totalAmount")
    };
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let at = b.tl.onset;
    let gate = b.deploy(
        svc,
        at,
        "consistent naming of monetary fields across the API",
    );
    let change = ShapeChange::Rename {
        from: from.to_string(),
        to: to.to_string(),
    };
    b.plan.effects.push(Effect::Shape {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: 1.0,
        change: change.clone(),
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.2, 0.6);
    b.har(
        ep,
        t,
        Filter {
            clients: Some(vec![ClientKind::Ios, ClientKind::Android]),
            ..Filter::default()
        },
    );
    maybe_rollback(b, svc, at);
    b.spec(svc, Some(SpecChange::Response { op, change }));
}

/// An internal producer drops (Java consumer) or retypes (Go consumer) a field.
pub(super) fn producer_field_removed(b: &mut Builder) {
    let pair = b
        .sys
        .cross_service_call(OpKind::ItemsBatch)
        .or_else(|| b.sys.cross_service_call(OpKind::Charge));
    let Some((caller, callee)) = pair else {
        response_field_renamed(b);
        return;
    };
    let d = b.sys.domain;
    let consumer = b.sys.ops[caller].service;
    let producer = b.sys.ops[callee].service;
    let field = if b.sys.ops[callee].kind == OpKind::Charge {
        "amount".to_string()
    } else {
        d.money_field.to_string()
    };
    let change = match b.sys.services[consumer].lang {
        Lang::Java => ShapeChange::Remove { field },
        Lang::Go => ShapeChange::Retype { field },
    };
    let at = b.tl.onset;
    let gate = b.deploy(producer, at, "slim down internal batch payloads");
    b.plan.effects.push(Effect::Shape {
        op: callee,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: 1.0,
        change: change.clone(),
    });
    b.involved.push(producer);
    b.involved.push(consumer);
    let ep = b.endpoint_reaching(caller);
    let name = b.sys.services[producer].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.2, 0.7);
    b.har(ep, t, Filter::default());
    maybe_rollback(b, producer, at);
    b.spec(producer, Some(SpecChange::Response { op: callee, change }));
}

/// A release tightens validation of one request field.
pub(super) fn stricter_request_validation(b: &mut Builder) {
    let d = b.sys.domain;
    let (kind, field, rule) = if r::chance(&mut b.rng, 0.6) {
        (
            EpKind::BasketAdd,
            d.item_id.to_string(),
            Rule::Pattern(format!("^{}_[a-z0-9]{{10}}$", d.item_prefix)),
        )
    } else {
        (EpKind::Checkout, "contactEmail".to_string(), Rule::Email)
    };
    let ep = b.ep(kind);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let at = b.tl.onset;
    let gate = b.deploy(
        svc,
        at,
        "validate request payloads against the published schema",
    );
    let status = if r::chance(&mut b.rng, 0.75) {
        422
    } else {
        400
    };
    let share = r::float(&mut b.rng, 0.25, 0.5);
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: share,
        failure: super::HandlerFailure::Validation {
            status,
            field: field.clone(),
            rule: rule.clone(),
        },
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.15, 0.6);
    b.har(ep, t, Filter::default());
    maybe_rollback(b, svc, at);
    b.spec(svc, Some(SpecChange::Request { op, field, rule }));
}

/// A provider returns a new enum value its consumer cannot map.
pub(super) fn enum_value_added(b: &mut Builder) {
    let Some((caller, callee)) = b.sys.cross_service_call(OpKind::Charge) else {
        producer_field_removed(b);
        return;
    };
    let producer = b.sys.ops[callee].service;
    let consumer = b.sys.ops[caller].service;
    let at = b.tl.onset;
    let gate = b.deploy(
        producer,
        at,
        "support issuer challenge flow for card payments",
    );
    let change = ShapeChange::EnumValue {
        field: "status".into(),
        value: "REQUIRES_ACTION".into(),
    };
    b.plan.effects.push(Effect::Shape {
        op: callee,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: r::float(&mut b.rng, 0.2, 0.45),
        change: change.clone(),
    });
    b.involved.push(producer);
    b.involved.push(consumer);
    let ep = b.endpoint_reaching(caller);
    let name = b.sys.services[producer].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.2, 0.7);
    b.har(ep, t, Filter::default());
    maybe_rollback(b, producer, at);
    b.spec(producer, Some(SpecChange::Response { op: callee, change }));
}

/// A producer answers XML or HTML where JSON is expected.
pub(super) fn content_type_changed(b: &mut Builder) {
    let mut kinds = [OpKind::PriceQuote, OpKind::ItemsBatch, OpKind::Reserve];
    let first = r::index(&mut b.rng, kinds.len());
    kinds.rotate_left(first);
    let pair = kinds.iter().find_map(|k| b.sys.cross_service_call(*k));
    let Some((caller, callee)) = pair else {
        producer_field_removed(b);
        return;
    };
    let producer = b.sys.ops[callee].service;
    let consumer = b.sys.ops[caller].service;
    let (mime, text) = if r::chance(&mut b.rng, 0.6) {
        (
            "application/xml;charset=UTF-8",
            "upgrade web framework; enable XML message conversion for partner exports",
        )
    } else {
        (
            "text/html;charset=UTF-8",
            "serve errors and fallbacks through the new page template layer",
        )
    };
    let at = b.tl.onset;
    let gate = b.deploy(producer, at, text);
    let change = ShapeChange::ContentType { mime: mime.into() };
    b.plan.effects.push(Effect::Shape {
        op: callee,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: Filter::default(),
        prob: 1.0,
        change: change.clone(),
    });
    b.involved.push(producer);
    b.involved.push(consumer);
    let ep = b.endpoint_reaching(caller);
    let name = b.sys.services[producer].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.2, 0.7);
    b.har(ep, t, Filter::default());
    maybe_rollback(b, producer, at);
    b.spec(producer, Some(SpecChange::Response { op: callee, change }));
}

/// A request field becomes required; older app builds do not send it.
pub(super) fn old_app_version_rejected(b: &mut Builder) {
    let ep = b.ep(EpKind::Checkout);
    let op = b.owner(ep);
    let svc = b.sys.ops[op].service;
    let field = "paymentMethodId".to_string();
    let at = b.tl.onset;
    let gate = b.deploy(
        svc,
        at,
        "payment method must now be given explicitly at creation",
    );
    let filter = Filter {
        clients: Some(vec![ClientKind::Ios, ClientKind::Android]),
        old_clients: true,
        ..Filter::default()
    };
    b.plan.effects.push(Effect::Handler {
        op,
        curve: Curve::step(at, SEC, 1.0),
        gate: Some(gate),
        filter: filter.clone(),
        prob: 1.0,
        failure: super::HandlerFailure::Validation {
            status: 400,
            field: field.clone(),
            rule: Rule::Required,
        },
    });
    b.involved.push(svc);
    let name = b.sys.services[svc].name.clone();
    b.culprit(Some(name), ep, None);
    let t = b.during(0.2, 0.7);
    b.har(ep, t, filter);
    maybe_rollback(b, svc, at);
    b.spec(
        svc,
        Some(SpecChange::Request {
            op,
            field,
            rule: Rule::Required,
        }),
    );
}
