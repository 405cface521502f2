//! The operations of a system: each public endpoint's route on the edge and on its
//! owner service, the internal helper routes (batch lookups, quotes, reservations,
//! payments, notifications, token introspection), and the steps each handler runs
//! (SQL, cache reads, calls to other services and third parties). The call tree is the
//! same for every domain; only the names change.

use super::*;
use crate::domains::table;

pub(super) fn build_ops(sys: &mut System, rng: &mut SimRng) {
    let d = sys.domain;
    let item = d.item;
    let items_lower = format!("{}s", item.to_lowercase());
    let db_catalog = sys.db_of(Role::Catalog);
    let db_orders = sys.db_of(Role::Orders);
    let db_payments = sys.db_of(Role::Payments);
    let db_accounts = sys.db_of(Role::Accounts);
    let psp = sys.external(ExtKind::Psp);
    let fraud = sys.external(ExtKind::Fraud);
    let email = sys.external(ExtKind::Email);
    let maps = sys.external(ExtKind::Maps);
    let fx = sys.external(ExtKind::Fx);
    let svc = |role: Role| sys.role_service[role.index()];
    let db = |db: usize, verb: &'static str, t: usize, median: f64| Step::Db {
        db,
        verb,
        table: d.tables[t],
        write: verb != "SELECT",
        median_ms: median,
    };
    let call_timeout = *r::pick(rng, &[5000i64, 8000, 10000]);
    let psp_timeout = *r::pick(rng, &[8000i64, 10000, 15000]);

    let mut ops: Vec<Op> = Vec::new();
    let mut push = |op: Op| {
        ops.push(op);
        ops.len() - 1
    };
    let op = |kind: OpKind,
              role: Role,
              method: &'static str,
              route: String,
              steps: Vec<Step>,
              class: String,
              func: String,
              work_ms: f64| Op {
        kind,
        service: svc(role),
        role: Some(role),
        method,
        route,
        steps,
        biz: None,
        class,
        func,
        work_ms,
    };

    // Helpers first.
    let items_batch = push(op(
        OpKind::ItemsBatch,
        Role::Catalog,
        "POST",
        format!("/internal/{items_lower}/batch"),
        vec![db(db_catalog, "SELECT", table::ITEMS, 3.0)],
        format!("Internal{item}Controller"),
        "batchGet".into(),
        2.0,
    ));
    let price_quote = push(op(
        OpKind::PriceQuote,
        Role::Pricing,
        "POST",
        "/internal/quotes".into(),
        vec![
            Step::Cache {
                key: "fx:",
                hit: 0.96,
                miss: Box::new(Step::External {
                    ext: fx,
                    method: "GET",
                    path: "/v1/latest",
                    timeout_ms: 2000,
                    retries: 1,
                    fail_open: false,
                }),
                fallback: true,
            },
            Step::Work {
                name: "QuoteCalculator.compute".into(),
                median_ms: 3.0,
            },
        ],
        "QuoteController".into(),
        "quote".into(),
        1.5,
    ));
    let mut reserve_op = op(
        OpKind::Reserve,
        Role::Inventory,
        "POST",
        "/internal/reservations".into(),
        vec![db(db_catalog, "UPDATE", table::STOCK, 4.0)],
        "ReservationController".into(),
        "reserve".into(),
        1.5,
    );
    reserve_op.biz = Some(Biz {
        status: 409,
        rate: 0.02,
        code: "insufficient_stock",
        message: "Requested quantity is no longer available".into(),
    });
    let reserve = push(reserve_op);
    let mut charge_op = op(
        OpKind::Charge,
        Role::Payments,
        "POST",
        "/internal/payments".into(),
        vec![
            Step::External {
                ext: fraud,
                method: "POST",
                path: "/v2/assessments",
                timeout_ms: 1500,
                retries: 0,
                fail_open: true,
            },
            Step::External {
                ext: psp,
                method: "POST",
                path: "/v1/charges",
                timeout_ms: psp_timeout,
                retries: 1,
                fail_open: false,
            },
            db(db_payments, "INSERT", table::PAYMENTS, 3.0),
        ],
        "PaymentController".into(),
        "charge".into(),
        2.0,
    );
    charge_op.biz = Some(Biz {
        status: 402,
        rate: 0.025,
        code: "card_declined",
        message: "The payment was declined by the issuer".into(),
    });
    let charge = push(charge_op);
    let notify = push(op(
        OpKind::Notify,
        Role::Notifications,
        "POST",
        "/internal/notifications".into(),
        vec![Step::External {
            ext: email,
            method: "POST",
            path: "/v3/mail/send",
            timeout_ms: 5000,
            retries: 0,
            fail_open: true,
        }],
        "NotificationController".into(),
        "send".into(),
        1.0,
    ));
    let introspect = push(op(
        OpKind::Introspect,
        Role::Auth,
        "POST",
        "/oauth2/introspect".into(),
        vec![Step::Cache {
            key: "token:",
            hit: 0.97,
            miss: Box::new(Step::Db {
                db: db_accounts,
                verb: "SELECT",
                table: "access_tokens",
                write: false,
                median_ms: 2.0,
            }),
            fallback: false,
        }],
        "IntrospectionController".into(),
        "introspect".into(),
        0.8,
    ));
    let call = |op: usize, retries: u8| Step::Call {
        op,
        timeout_ms: call_timeout,
        retries,
    };

    // Owner operations of the public endpoints.
    let order = d.order;
    let basket = d.basket;
    let profile = d.profile;
    let mut endpoints = Vec::new();
    for kind in EpKind::ALL {
        let route = d.routes[kind as usize].to_string();
        let method = kind.method();
        let owner: Option<Op> = match kind {
            EpKind::Search => Some(op(
                OpKind::Owner(kind),
                Role::Search,
                method,
                route.clone(),
                vec![
                    Step::Cache {
                        key: "search:",
                        hit: 0.55,
                        miss: Box::new(db(db_catalog, "SELECT", table::ITEMS, 9.0)),
                        fallback: true,
                    },
                    call(price_quote, 1),
                ],
                format!("{item}SearchController"),
                "search".into(),
                4.0,
            )),
            EpKind::ItemGet => Some(op(
                OpKind::Owner(kind),
                Role::Catalog,
                method,
                route.clone(),
                vec![Step::Cache {
                    key: "item:",
                    hit: 0.88,
                    miss: Box::new(db(db_catalog, "SELECT", table::ITEMS, 2.5)),
                    fallback: true,
                }],
                format!("{item}Controller"),
                format!("get{item}"),
                1.5,
            )),
            EpKind::BasketGet => Some(op(
                OpKind::Owner(kind),
                Role::Basket,
                method,
                route.clone(),
                vec![
                    db(db_orders, "SELECT", table::BASKETS, 2.0),
                    call(items_batch, 1),
                ],
                format!("{basket}Controller"),
                format!("get{basket}"),
                2.0,
            )),
            EpKind::BasketAdd => Some(op(
                OpKind::Owner(kind),
                Role::Basket,
                method,
                route.clone(),
                vec![
                    call(reserve, 0),
                    db(db_orders, "INSERT", table::BASKET_LINES, 3.0),
                ],
                format!("{basket}Controller"),
                "addItem".into(),
                2.0,
            )),
            EpKind::Promo => {
                let mut o = op(
                    OpKind::Owner(kind),
                    Role::Basket,
                    method,
                    route.clone(),
                    vec![db(db_orders, "SELECT", table::COUPONS, 2.0)],
                    format!("{basket}PromotionController"),
                    "applyCode".into(),
                    1.5,
                );
                o.biz = Some(Biz {
                    status: 422,
                    rate: r::float(rng, 0.08, 0.16),
                    code: "invalid_coupon",
                    message: "Coupon code is invalid or has expired".into(),
                });
                Some(o)
            }
            EpKind::Checkout => Some(op(
                OpKind::Owner(kind),
                Role::Orders,
                method,
                route.clone(),
                vec![
                    db(db_orders, "SELECT", table::BASKETS, 2.0),
                    call(price_quote, 1),
                    call(charge, 0),
                    db(db_orders, "INSERT", table::ORDERS, 4.0),
                    call(notify, 0),
                ],
                format!("{order}Controller"),
                format!("create{order}"),
                5.0,
            )),
            EpKind::OrderGet => {
                let mut o = op(
                    OpKind::Owner(kind),
                    Role::Orders,
                    method,
                    route.clone(),
                    vec![db(db_orders, "SELECT", table::ORDERS, 2.0)],
                    format!("{order}Controller"),
                    format!("get{order}"),
                    1.5,
                );
                o.biz = Some(Biz {
                    status: 404,
                    rate: r::float(rng, 0.02, 0.05),
                    code: "not_found",
                    message: format!("{order} not found"),
                });
                Some(o)
            }
            EpKind::OrderList => Some(op(
                OpKind::Owner(kind),
                Role::Orders,
                method,
                route.clone(),
                vec![db(db_orders, "SELECT", table::ORDERS, 14.0)],
                format!("{order}HistoryController"),
                format!("list{order}s"),
                3.0,
            )),
            EpKind::Me => Some(op(
                OpKind::Owner(kind),
                Role::Accounts,
                method,
                route.clone(),
                vec![Step::Cache {
                    key: "profile:",
                    hit: 0.9,
                    miss: Box::new(db(db_accounts, "SELECT", table::CUSTOMERS, 2.0)),
                    fallback: true,
                }],
                format!("{profile}Controller"),
                "me".into(),
                1.0,
            )),
            EpKind::MeUpdate => {
                let mut o = op(
                    OpKind::Owner(kind),
                    Role::Accounts,
                    method,
                    route.clone(),
                    vec![db(db_accounts, "UPDATE", table::CUSTOMERS, 3.0)],
                    format!("{profile}Controller"),
                    "update".into(),
                    2.0,
                );
                o.biz = Some(Biz {
                    status: 422,
                    rate: 0.03,
                    code: "invalid_postal_code",
                    message: "Postal code does not match the country".into(),
                });
                Some(o)
            }
            EpKind::Nearby => Some(op(
                OpKind::Owner(kind),
                Role::Search,
                method,
                route.clone(),
                vec![Step::External {
                    ext: maps,
                    method: "GET",
                    path: "/v1/places/nearby",
                    timeout_ms: 3000,
                    retries: 1,
                    fail_open: false,
                }],
                format!("{}LocatorController", d.place),
                "nearby".into(),
                1.0,
            )),
            EpKind::ClientEvents => None,
            EpKind::OrderCancel => {
                let mut o = op(
                    OpKind::Owner(kind),
                    Role::Orders,
                    method,
                    route.clone(),
                    vec![
                        db(db_orders, "SELECT", table::ORDERS, 2.0),
                        db(db_orders, "UPDATE", table::ORDERS, 3.0),
                    ],
                    format!("{order}Controller"),
                    format!("cancel{order}"),
                    2.0,
                );
                o.biz = Some(Biz {
                    status: 409,
                    rate: r::float(rng, 0.06, 0.14),
                    code: "conflict",
                    message: format!("{order} can no longer be cancelled"),
                });
                Some(o)
            }
            EpKind::Report => Some(op(
                OpKind::Owner(kind),
                Role::Reporting,
                method,
                route.clone(),
                vec![db(db_orders, "SELECT", table::ORDERS, 180.0)],
                format!("{}Controller", d.report),
                "export".into(),
                20.0,
            )),
        };
        let owner_op = owner.map(&mut push);
        let mut edge_steps = Vec::new();
        if kind.authenticated_write() {
            edge_steps.push(Step::Call {
                op: introspect,
                timeout_ms: 2000,
                retries: 1,
            });
        }
        if let Some(o) = owner_op {
            edge_steps.push(Step::Call {
                op: o,
                timeout_ms: *r::pick(rng, &[15000i64, 20000, 30000]),
                retries: 0,
            });
        }
        let edge_op = push(Op {
            kind: OpKind::Edge(kind),
            service: 0,
            role: None,
            method,
            route: route.clone(),
            steps: edge_steps,
            biz: None,
            class: "GatewayRoute".into(),
            func: "forward".into(),
            work_ms: if owner_op.is_none() { 1.5 } else { 0.6 },
        });
        endpoints.push(Endpoint {
            kind,
            method,
            route,
            edge_op,
            owner_op,
            weight: kind.weight() * r::float(rng, 0.75, 1.3),
        });
    }
    sys.ops = ops;
    sys.endpoints = endpoints;
}
