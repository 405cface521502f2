//! Request and response bodies of every operation, described once and used twice: as
//! JSON Schema in the OpenAPI documents and to render example bodies in the HAR. A
//! contract change is applied to both, so the new document and the captured failing
//! response tell the same story.

use serde_json::{json, Map, Value};

use crate::domains::EpKind;
use crate::random::{self as r, SimRng};
use crate::scenarios::{Rule, ShapeChange};
use crate::system::{OpKind, System};

/// A field type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    Str,
    Id(&'static str),
    DateTime,
    Email,
    Int,
    Num,
    Bool,
    Enum(Vec<String>),
    Money,
    Obj(Vec<Field>),
    Arr(Box<Ty>),
}

/// One property.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub pattern: Option<String>,
}

fn f(name: &str, ty: Ty) -> Field {
    Field {
        name: name.to_string(),
        ty,
        required: true,
        pattern: None,
    }
}

fn opt(name: &str, ty: Ty) -> Field {
    Field {
        name: name.to_string(),
        ty,
        required: false,
        pattern: None,
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A named object schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schema {
    pub name: String,
    pub fields: Vec<Field>,
}

fn item_fields(sys: &System) -> Vec<Field> {
    let d = sys.domain;
    vec![
        f("id", Ty::Id(d.item_prefix)),
        f("name", Ty::Str),
        f(d.money_field, Ty::Money),
        f(d.enum_field, Ty::Enum(strings(d.enum_values))),
        opt("updatedAt", Ty::DateTime),
    ]
}

fn order_fields(sys: &System) -> Vec<Field> {
    let d = sys.domain;
    vec![
        f("id", Ty::Id(d.order_prefix)),
        f("status", Ty::Enum(strings(d.status_values))),
        f("total", Ty::Money),
        f("createdAt", Ty::DateTime),
        f(
            "lines",
            Ty::Arr(Box::new(Ty::Obj(vec![
                f(d.item_id, Ty::Id(d.item_prefix)),
                f("quantity", Ty::Int),
            ]))),
        ),
    ]
}

fn basket_fields(sys: &System) -> Vec<Field> {
    let d = sys.domain;
    vec![
        f("id", Ty::Id("bsk")),
        f(
            "lines",
            Ty::Arr(Box::new(Ty::Obj(vec![
                f(d.item_id, Ty::Id(d.item_prefix)),
                f("quantity", Ty::Int),
                f(d.money_field, Ty::Money),
            ]))),
        ),
        f("total", Ty::Money),
    ]
}

fn profile_fields() -> Vec<Field> {
    vec![
        f("id", Ty::Str),
        f("email", Ty::Email),
        f("name", Ty::Str),
        opt(
            "address",
            Ty::Obj(vec![
                f("line1", Ty::Str),
                f("city", Ty::Str),
                f("postalCode", Ty::Str),
                f("country", Ty::Str),
            ]),
        ),
        opt(
            "loyaltyTier",
            Ty::Enum(strings(&["BRONZE", "SILVER", "GOLD"])),
        ),
    ]
}

/// The response body schema of an operation (edge operations share their owner's).
pub(crate) fn response(sys: &System, op: usize) -> Option<Schema> {
    let d = sys.domain;
    let o = &sys.ops[op];
    let (name, fields) = match o.kind {
        OpKind::Edge(k) | OpKind::Owner(k) => match k {
            EpKind::Search => (
                format!("{}Page", d.item),
                vec![
                    f("results", Ty::Arr(Box::new(Ty::Obj(item_fields(sys))))),
                    f("page", Ty::Int),
                    f("total", Ty::Int),
                ],
            ),
            EpKind::ItemGet => (d.item.to_string(), item_fields(sys)),
            EpKind::BasketGet | EpKind::BasketAdd => (d.basket.to_string(), basket_fields(sys)),
            EpKind::Promo => (
                "AppliedCode".to_string(),
                vec![f("code", Ty::Str), f("discount", Ty::Money)],
            ),
            EpKind::Checkout | EpKind::OrderGet | EpKind::OrderCancel => {
                (d.order.to_string(), order_fields(sys))
            }
            EpKind::OrderList => (
                format!("{}Page", d.order),
                vec![
                    f(
                        "items",
                        Ty::Arr(Box::new(Ty::Obj(vec![
                            f("id", Ty::Id(d.order_prefix)),
                            f("status", Ty::Enum(strings(d.status_values))),
                            f("total", Ty::Money),
                            f("createdAt", Ty::DateTime),
                        ]))),
                    ),
                    opt("nextCursor", Ty::Str),
                ],
            ),
            EpKind::Me | EpKind::MeUpdate => (d.profile.to_string(), profile_fields()),
            EpKind::Nearby => (
                format!("{}List", d.place),
                vec![f(
                    "results",
                    Ty::Arr(Box::new(Ty::Obj(vec![
                        f("id", Ty::Str),
                        f("name", Ty::Str),
                        f("distanceKm", Ty::Num),
                    ]))),
                )],
            ),
            EpKind::ClientEvents => ("Accepted".to_string(), vec![f("accepted", Ty::Int)]),
            EpKind::Report => (
                d.report.to_string(),
                vec![f(
                    "rows",
                    Ty::Arr(Box::new(Ty::Obj(vec![
                        f("day", Ty::Str),
                        f("count", Ty::Int),
                        f("amount", Ty::Money),
                    ]))),
                )],
            ),
        },
        OpKind::ItemsBatch => (
            format!("{}Batch", d.item),
            vec![f("items", Ty::Arr(Box::new(Ty::Obj(item_fields(sys)))))],
        ),
        OpKind::PriceQuote => (
            "Quote".to_string(),
            vec![
                f("currency", Ty::Str),
                f("amount", Ty::Money),
                f("rate", Ty::Num),
                f("validUntil", Ty::DateTime),
            ],
        ),
        OpKind::Reserve => (
            "Reservation".to_string(),
            vec![
                f("reservationId", Ty::Id("rsv")),
                f("status", Ty::Enum(strings(&["HELD", "CONFIRMED"]))),
            ],
        ),
        OpKind::Charge => (
            "PaymentResult".to_string(),
            vec![
                f("paymentId", Ty::Id("pay")),
                f(
                    "status",
                    Ty::Enum(strings(&["AUTHORIZED", "DECLINED", "PENDING"])),
                ),
                f("amount", Ty::Money),
            ],
        ),
        OpKind::Notify => (
            "NotificationReceipt".to_string(),
            vec![f("messageId", Ty::Str)],
        ),
        OpKind::Introspect => (
            "TokenInfo".to_string(),
            vec![
                f("active", Ty::Bool),
                f("sub", Ty::Str),
                f("scope", Ty::Str),
            ],
        ),
    };
    Some(Schema { name, fields })
}

/// The request body schema of an operation, if it takes one.
pub(crate) fn request(sys: &System, op: usize) -> Option<Schema> {
    let d = sys.domain;
    let o = &sys.ops[op];
    let (name, fields) = match o.kind {
        OpKind::Edge(k) | OpKind::Owner(k) => match k {
            EpKind::BasketAdd => (
                format!("Add{}Line", d.basket),
                vec![f(d.item_id, Ty::Str), f("quantity", Ty::Int)],
            ),
            EpKind::Promo => ("ApplyCode".to_string(), vec![f("code", Ty::Str)]),
            EpKind::Checkout => (
                format!("Create{}", d.order),
                vec![
                    f("basketId", Ty::Id("bsk")),
                    f("contactEmail", Ty::Str),
                    opt("paymentMethodId", Ty::Str),
                    opt("cardToken", Ty::Str),
                    f("shippingAddressId", Ty::Str),
                ],
            ),
            EpKind::MeUpdate => (
                format!("{}Update", d.profile),
                vec![
                    f("line1", Ty::Str),
                    f("city", Ty::Str),
                    f("postalCode", Ty::Str),
                    f("country", Ty::Str),
                ],
            ),
            EpKind::ClientEvents => (
                "ClientEvents".to_string(),
                vec![f(
                    "events",
                    Ty::Arr(Box::new(Ty::Obj(vec![
                        f("type", Ty::Str),
                        f("screen", Ty::Str),
                        opt("message", Ty::Str),
                    ]))),
                )],
            ),
            EpKind::OrderCancel => ("CancelRequest".to_string(), vec![opt("reason", Ty::Str)]),
            _ => return None,
        },
        OpKind::ItemsBatch => (
            "BatchRequest".to_string(),
            vec![f("ids", Ty::Arr(Box::new(Ty::Str)))],
        ),
        OpKind::PriceQuote => (
            "QuoteRequest".to_string(),
            vec![f("currency", Ty::Str), f("amount", Ty::Money)],
        ),
        OpKind::Reserve => (
            "ReservationRequest".to_string(),
            vec![f(d.item_id, Ty::Str), f("quantity", Ty::Int)],
        ),
        OpKind::Charge => (
            "ChargeRequest".to_string(),
            vec![
                f("amount", Ty::Money),
                f("paymentMethodId", Ty::Str),
                f("idempotencyKey", Ty::Str),
            ],
        ),
        OpKind::Notify => (
            "NotificationRequest".to_string(),
            vec![f("template", Ty::Str), f("to", Ty::Email)],
        ),
        OpKind::Introspect => (
            "IntrospectionRequest".to_string(),
            vec![f("token", Ty::Str)],
        ),
    };
    Some(Schema { name, fields })
}

fn change_fields(fields: &mut Vec<Field>, change: &ShapeChange) {
    for field in fields.iter_mut() {
        match &mut field.ty {
            Ty::Obj(inner) => change_fields(inner, change),
            Ty::Arr(inner) => {
                if let Ty::Obj(fs) = inner.as_mut() {
                    change_fields(fs, change);
                }
            }
            _ => {}
        }
    }
    match change {
        ShapeChange::Rename { from, to } => {
            for field in fields.iter_mut() {
                if &field.name == from {
                    field.name = to.clone();
                }
            }
        }
        ShapeChange::Remove { field } => fields.retain(|f| &f.name != field),
        ShapeChange::Retype { field } => {
            for f in fields.iter_mut() {
                if &f.name == field {
                    f.ty = Ty::Str;
                }
            }
        }
        ShapeChange::EnumValue { field, value } => {
            for f in fields.iter_mut() {
                if &f.name == field {
                    if let Ty::Enum(values) = &mut f.ty {
                        if !values.contains(value) {
                            values.push(value.clone());
                        }
                    }
                }
            }
        }
        ShapeChange::ContentType { .. } => {}
    }
}

/// The schema after a response change.
pub(crate) fn changed(schema: &Schema, change: &ShapeChange) -> Schema {
    let mut s = schema.clone();
    change_fields(&mut s.fields, change);
    s
}

/// The schema after a request rule is added.
pub(crate) fn with_rule(schema: &Schema, field: &str, rule: &Rule) -> Schema {
    let mut s = schema.clone();
    for f in s.fields.iter_mut() {
        if f.name == field {
            match rule {
                Rule::Pattern(p) => f.pattern = Some(p.clone()),
                Rule::Required => f.required = true,
                Rule::Email => f.ty = Ty::Email,
            }
        }
    }
    s
}

/// JSON Schema for a field type (OpenAPI 3.0 and 3.1 agree on this subset).
pub(crate) fn json_schema(ty: &Ty) -> Value {
    match ty {
        Ty::Str => json!({"type": "string"}),
        Ty::Id(_) => json!({"type": "string"}),
        Ty::DateTime => json!({"type": "string", "format": "date-time"}),
        Ty::Email => json!({"type": "string", "format": "email"}),
        Ty::Int => json!({"type": "integer", "format": "int32"}),
        Ty::Num => json!({"type": "number"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Enum(v) => json!({"type": "string", "enum": v}),
        Ty::Money => json!({"$ref": "#/components/schemas/Money"}),
        Ty::Obj(fields) => object_schema(fields),
        Ty::Arr(inner) => json!({"type": "array", "items": json_schema(inner)}),
    }
}

/// JSON Schema of an object with these fields.
pub(crate) fn object_schema(fields: &[Field]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let mut s = json_schema(&f.ty);
        if let (Some(p), Some(obj)) = (&f.pattern, s.as_object_mut()) {
            obj.insert("pattern".into(), Value::String(p.clone()));
        }
        props.insert(f.name.clone(), s);
        if f.required {
            required.push(Value::String(f.name.clone()));
        }
    }
    let mut o = Map::new();
    o.insert("type".into(), json!("object"));
    o.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        o.insert("required".into(), Value::Array(required));
    }
    Value::Object(o)
}

/// Values used when rendering example bodies.
pub(crate) struct Ctx<'a> {
    pub currency: &'a str,
    pub user_id: &'a str,
}

fn example_value(ty: &Ty, name: &str, rng: &mut SimRng, ctx: &Ctx) -> Value {
    match ty {
        Ty::Str => match name {
            "name" => json!(*r::pick(
                rng,
                &["Aurora", "Meridian", "Northstar", "Cascade", "Juniper"]
            )),
            "city" => json!(*r::pick(
                rng,
                &["Lyon", "Leeds", "Austin", "Osaka", "Porto"]
            )),
            "country" => json!(*r::pick(rng, &["FR", "GB", "US", "JP", "PT"])),
            "postalCode" => json!(format!("{}", r::int(rng, 10000, 99999))),
            "line1" => json!(format!("{} High Street", r::int(rng, 1, 200))),
            "currency" => json!(ctx.currency),
            "id" | "sub" => json!(ctx.user_id),
            "scope" => json!("openid profile"),
            "day" => json!("2025-01-01"),
            _ => json!(r::chars(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 12)),
        },
        Ty::Id(prefix) => json!(format!(
            "{prefix}_{}",
            r::chars(rng, "abcdefghijkmnpqrstuvwxyz23456789", 10)
        )),
        Ty::DateTime => json!("2025-01-01T12:00:00Z"),
        Ty::Email => json!(format!("user{}@example.com", r::int(rng, 100, 9999))),
        Ty::Int => json!(r::int(rng, 1, 3)),
        Ty::Num => json!((r::float(rng, 0.3, 12.0) * 10.0).round() / 10.0),
        Ty::Bool => json!(true),
        Ty::Enum(v) => json!(v.first().cloned().unwrap_or_default()),
        Ty::Money => {
            json!({"amount": (r::float(rng, 5.0, 240.0) * 100.0).round() / 100.0, "currency": ctx.currency})
        }
        Ty::Obj(fields) => example_object(fields, rng, ctx),
        Ty::Arr(inner) => {
            let n = r::int(rng, 1, 3);
            Value::Array((0..n).map(|_| example_value(inner, "", rng, ctx)).collect())
        }
    }
}

/// An example object for these fields.
pub(crate) fn example_object(fields: &[Field], rng: &mut SimRng, ctx: &Ctx) -> Value {
    let mut m = Map::new();
    for f in fields {
        m.insert(f.name.clone(), example_value(&f.ty, &f.name, rng, ctx));
    }
    Value::Object(m)
}
