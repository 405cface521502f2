//! Parameters (OpenAPI 3.0.3 §4.7.12 "Parameter Object").
//!
//! A parameter is identified by its location and name; header names are compared
//! case-insensitively (RFC 9110 §5.1) and path parameters by their position in the
//! template, so `/orders/{id}` → `/orders/{orderId}` changes nothing for clients.
//! Operation-level parameters override path-level ones with the same identity (§4.7.9).
//! Headers named `Accept`, `Content-Type` or `Authorization` are ignored, as the
//! specification says they SHALL be. A path parameter is always required (§4.7.12).

use super::paths::OpPair;
use super::schema::{compare_root, Node, Walk};
use super::{Ctx, Direction, Finding, Op, Severity};
use crate::pointer;
use serde_json::Value;
use std::collections::BTreeMap;

/// One effective parameter of an operation.
struct Param<'a> {
    node: Node<'a>,
    name: String,
    location: String,
    required: bool,
}

impl<'a> Param<'a> {
    fn label(&self) -> String {
        format!("{} parameter '{}'", self.location, self.name)
    }

    fn schema(&self) -> Option<Node<'a>> {
        if let Some(schema) = self.node.raw("schema") {
            return Some(schema);
        }
        let content = self.node.child("content")?;
        let (key, _) = content.v.as_object()?.iter().next()?;
        content.child(key)?.raw("schema")
    }
}

/// The `{name}`s of a path template, in order.
pub(crate) fn template_names(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        names.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    names
}

/// Effective parameters by identity key.
fn collect<'a>(item: &Node<'a>, op: &Node<'a>, template: &str) -> BTreeMap<String, Param<'a>> {
    let names = template_names(template);
    let mut out = BTreeMap::new();
    for owner in [item, op] {
        let Some(Value::Array(list)) = owner.v.get("parameters") else {
            continue;
        };
        let base = pointer::join(&owner.ptr, "parameters");
        for (i, raw) in list.iter().enumerate() {
            let node = Node::at(owner.doc, raw, &pointer::join(&base, &i.to_string()));
            let (Some(name), Some(location)) = (
                node.v.get("name").and_then(Value::as_str),
                node.v.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let location = location.to_ascii_lowercase();
            if location == "header"
                && ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let key = match location.as_str() {
                "header" => format!("header:{}", name.to_ascii_lowercase()),
                "path" => match names.iter().position(|n| n == name) {
                    Some(position) => format!("path:#{position}"),
                    None => format!("path:{name}"),
                },
                other => format!("{other}:{name}"),
            };
            let required = location == "path" || node.v.get("required") == Some(&Value::Bool(true));
            out.insert(
                key,
                Param {
                    name: name.to_string(),
                    location,
                    required,
                    node,
                },
            );
        }
    }
    out
}

pub(crate) fn diff_parameters<'a>(ctx: &mut Ctx<'a>, op: &Op, pair: &OpPair<'a>) {
    let old = collect(&pair.old_item, &pair.old_op, &pair.old_template);
    let new = collect(&pair.new_item, &pair.new_op, &pair.new_template);
    for (key, p) in &old {
        if !new.contains_key(key) {
            ctx.push(
                op,
                Finding {
                    id: "request-parameter-removed",
                    severity: Severity::Warning,
                    direction: Some(Direction::Request),
                    location: p.label(),
                    pointer: p.node.ptr.clone(),
                    detail: format!(
                        "{} was removed; clients still sending it may be rejected or ignored",
                        p.label()
                    ),
                },
            );
        }
    }
    for (key, p) in &new {
        let Some(o) = old.get(key) else {
            let (id, severity, what) = if p.required {
                (
                    "required-request-parameter-added",
                    Severity::Breaking,
                    "required",
                )
            } else {
                (
                    "optional-request-parameter-added",
                    Severity::Info,
                    "optional",
                )
            };
            ctx.push(
                op,
                Finding {
                    id,
                    severity,
                    direction: Some(Direction::Request),
                    location: p.label(),
                    pointer: p.node.ptr.clone(),
                    detail: format!("new {what} {} was added", p.label()),
                },
            );
            continue;
        };
        if p.required && !o.required {
            ctx.push(
                op,
                Finding {
                    id: "request-parameter-became-required",
                    severity: Severity::Breaking,
                    direction: Some(Direction::Request),
                    location: p.label(),
                    pointer: pointer::join(&p.node.ptr, "required"),
                    detail: format!("{} became required", p.label()),
                },
            );
        } else if o.required && !p.required {
            ctx.push(
                op,
                Finding {
                    id: "request-parameter-became-optional",
                    severity: Severity::Info,
                    direction: Some(Direction::Request),
                    location: p.label(),
                    pointer: p.node.ptr.clone(),
                    detail: format!("{} became optional", p.label()),
                },
            );
        }
        if let (Some(os), Some(ns)) = (o.schema(), p.schema()) {
            let walk = Walk::value(op, Direction::Request, p.label());
            compare_root(ctx, &walk, &os, &ns);
        }
    }
}
