//! `openapi-<version>.yaml` (or `.json`): OpenAPI 3.0 or 3.1 documents of the service
//! whose API matters to the scenario, at its previous and current release
//! (`info.version`). For contract scenarios the newer document carries the breaking
//! change (a renamed, removed or retyped property, a new enum value, another media
//! type, a new required or stricter request field); otherwise the two differ at most by
//! a compatible addition.

use serde_json::{json, Map, Value};

use crate::error::SimError;
use crate::scenarios::{ShapeChange, SpecChange, SpecPlan};
use crate::schema::{self, Ty};
use crate::system::{OpKind, System};

fn params(route: &str, kind: OpKind) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        out.push(
            json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
        );
        rest = &rest[open + close + 1..];
    }
    let query: &[(&str, &str)] = match kind {
        OpKind::Owner(crate::domains::EpKind::Search)
        | OpKind::Edge(crate::domains::EpKind::Search) => &[("q", "string"), ("page", "integer")],
        OpKind::Owner(crate::domains::EpKind::Nearby)
        | OpKind::Edge(crate::domains::EpKind::Nearby) => {
            &[("lat", "number"), ("lon", "number"), ("radiusKm", "number")]
        }
        OpKind::Owner(crate::domains::EpKind::OrderList)
        | OpKind::Edge(crate::domains::EpKind::OrderList) => {
            &[("limit", "integer"), ("cursor", "string")]
        }
        _ => &[],
    };
    for (name, ty) in query {
        out.push(json!({"name": name, "in": "query", "required": false, "schema": {"type": ty}}));
    }
    out
}

fn success_code(kind: OpKind, method: &str) -> &'static str {
    match kind {
        OpKind::Owner(crate::domains::EpKind::Checkout)
        | OpKind::Owner(crate::domains::EpKind::BasketAdd)
        | OpKind::Reserve
        | OpKind::Charge => "201",
        OpKind::Notify | OpKind::Edge(crate::domains::EpKind::ClientEvents) => "202",
        _ if method == "DELETE" => "204",
        _ => "200",
    }
}

/// Builds the document for `spec.service` at `version`, with or without the change.
pub(crate) fn document(sys: &System, spec: &SpecPlan, version: &str, with_change: bool) -> Value {
    let svc = &sys.services[spec.service];
    let mut paths: Map<String, Value> = Map::new();
    let mut schemas: Map<String, Value> = Map::new();
    schemas.insert(
        "Money".into(),
        json!({"type": "object", "required": ["amount", "currency"], "properties": {
            "amount": {"type": "number"}, "currency": {"type": "string", "minLength": 3, "maxLength": 3}}}),
    );
    schemas.insert(
        "Problem".into(),
        json!({"type": "object", "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "instance": {"type": "string"}}}),
    );
    for (i, op) in sys.ops.iter().enumerate() {
        if op.service != spec.service {
            continue;
        }
        if matches!(op.kind, OpKind::Edge(_)) && !svc.edge {
            continue;
        }
        let change = spec.change.as_ref().filter(|_| with_change);
        let mut resp = schema::response(sys, i);
        let mut mime = "application/json".to_string();
        let mut req = schema::request(sys, i);
        match change {
            Some(SpecChange::Response { op: c_op, change }) if *c_op == i => {
                if let ShapeChange::ContentType { mime: m } = change {
                    mime = m.split(';').next().unwrap_or(m).to_string();
                }
                resp = resp.map(|s| schema::changed(&s, change));
            }
            Some(SpecChange::Request {
                op: c_op,
                field,
                rule,
            }) if *c_op == i => {
                req = req.map(|s| schema::with_rule(&s, field, rule));
            }
            Some(SpecChange::Compatible { op: c_op }) if *c_op == i => {
                resp = resp.map(|mut s| {
                    s.fields.push(schema::Field {
                        name: "loyaltyPoints".into(),
                        ty: Ty::Int,
                        required: false,
                        pattern: None,
                    });
                    s
                });
            }
            _ => {}
        }
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(op.func.clone()));
        operation.insert(
            "summary".into(),
            json!(format!("{} {}", op.method, op.route)),
        );
        let ps = params(&op.route, op.kind);
        if !ps.is_empty() {
            operation.insert("parameters".into(), Value::Array(ps));
        }
        if let Some(rq) = &req {
            schemas.insert(rq.name.clone(), schema::object_schema(&rq.fields));
            operation.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", rq.name)}}}}),
            );
        }
        let mut responses = Map::new();
        if let Some(rs) = &resp {
            schemas.insert(rs.name.clone(), schema::object_schema(&rs.fields));
            responses.insert(
                success_code(op.kind, op.method).into(),
                json!({"description": "Success", "content": {mime: {"schema": {"$ref": format!("#/components/schemas/{}", rs.name)}}}}),
            );
        }
        let problem = json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
        if req.is_some() {
            responses.insert(
                "400".into(),
                json!({"description": "Invalid request", "content": problem.clone()}),
            );
        }
        if let Some(b) = &op.biz {
            responses.insert(
                b.status.to_string(),
                json!({"description": b.message.clone(), "content": problem.clone()}),
            );
        }
        responses.insert(
            "500".into(),
            json!({"description": "Server error", "content": problem}),
        );
        operation.insert("responses".into(), Value::Object(responses));
        let entry = paths.entry(op.route.clone()).or_insert_with(|| json!({}));
        if let Some(m) = entry.as_object_mut() {
            m.insert(op.method.to_lowercase(), Value::Object(operation));
        }
    }
    let server = if svc.edge {
        sys.base_url()
    } else {
        format!("http://{}:{}", svc.name, svc.port)
    };
    json!({
        "openapi": if sys.formats.openapi_31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": format!("{} API", svc.name), "version": version,
                 "description": format!("HTTP API of {} ({}).", svc.name, sys.company)},
        "servers": [{"url": server}],
        "security": [{"bearerAuth": []}],
        "paths": Value::Object(paths),
        "components": {
            "schemas": Value::Object(schemas),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
        }
    })
}

/// Renders a document as YAML or JSON.
pub(crate) fn render(doc: &Value, json_format: bool) -> Result<String, SimError> {
    if json_format {
        super::to_json_pretty("openapi", doc)
    } else {
        serde_yaml_ng::to_string(doc).map_err(|e| SimError::Serialize {
            what: "openapi".into(),
            message: e.to_string(),
        })
    }
}
