//! Paths, operations, request bodies, responses and media types
//! (OpenAPI 3.0.3 §4.7.8 Paths, §4.7.9 Path Item, §4.7.10 Operation, §4.7.13 Request
//! Body, §4.7.14 Media Type, §4.7.16 Responses, §4.7.17 Response, §4.7.21 Header).
//!
//! Paths are paired by template shape (`/orders/{}`), operations by method, media types
//! by their lower-cased essence (`application/json`, parameters dropped), responses by
//! status code — an old `404` is still served by a new `4XX` range (§4.7.16).

use super::schema::{compare_root, Node, Walk};
use super::{by_direction, params, security, Ctx, Direction, Finding, Op, Severity};
use crate::matcher::METHODS;
use crate::pointer;
use crate::resolve::deref;
use serde_json::Value;
use std::collections::BTreeMap;

/// A path template with its parameter names blanked: `/orders/{id}` → `/orders/{}`.
pub(crate) fn shape(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_braces = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push('{');
            }
            '}' => {
                in_braces = false;
                out.push('}');
            }
            _ if in_braces => {}
            _ => out.push(c),
        }
    }
    out
}

/// `shape → (template, path item, pointer)` for one document.
fn path_items(doc: &Value) -> BTreeMap<String, (&str, &Value, String)> {
    let mut out = BTreeMap::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (template, item) in paths {
            if !template.starts_with('/') {
                continue;
            }
            let ptr = pointer::join("/paths", template);
            let (item, ptr) = deref(doc, item, &ptr);
            if item.is_object() {
                out.entry(shape(template))
                    .or_insert((template.as_str(), item, ptr));
            }
        }
    }
    out
}

fn operations(item: &Value) -> Vec<&'static str> {
    METHODS
        .into_iter()
        .filter(|m| item.get(*m).is_some_and(Value::is_object))
        .collect()
}

pub(crate) fn diff_paths(ctx: &mut Ctx<'_>) {
    let old_items = path_items(ctx.old.document());
    let new_items = path_items(ctx.new.document());
    for (shape, (template, item, ptr)) in &old_items {
        if new_items.contains_key(shape) {
            continue;
        }
        let methods = operations(item);
        let op_list: Vec<String> = methods.iter().map(|m| m.to_ascii_uppercase()).collect();
        let targets: Vec<String> = if op_list.is_empty() {
            vec![String::new()]
        } else {
            op_list.clone()
        };
        for method in targets {
            let op = Op {
                method,
                path: template.to_string(),
            };
            ctx.push(
                &op,
                Finding {
                    id: "path-removed",
                    severity: Severity::Breaking,
                    direction: None,
                    location: String::new(),
                    pointer: ptr.clone(),
                    detail: format!(
                        "path {template} was removed (it served {})",
                        if op_list.is_empty() {
                            "no operation".to_string()
                        } else {
                            op_list.join(", ")
                        }
                    ),
                },
            );
        }
    }
    for (shape, (template, item, ptr)) in &new_items {
        if old_items.contains_key(shape) {
            continue;
        }
        for method in operations(item) {
            let op = Op {
                method: method.to_ascii_uppercase(),
                path: template.to_string(),
            };
            ctx.push(
                &op,
                Finding {
                    id: "path-added",
                    severity: Severity::Info,
                    direction: None,
                    location: String::new(),
                    pointer: pointer::join(ptr, method),
                    detail: format!("path {template} was added with {}", op.method),
                },
            );
        }
    }
    for (shape, (old_template, old_item, old_ptr)) in &old_items {
        let Some((new_template, new_item, new_ptr)) = new_items.get(shape) else {
            continue;
        };
        let old_item = Node::new(ctx.old.document(), old_item, old_ptr.clone());
        let new_item = Node::new(ctx.new.document(), new_item, new_ptr.clone());
        diff_path_item(ctx, old_template, new_template, &old_item, &new_item);
    }
}

fn diff_path_item<'a>(
    ctx: &mut Ctx<'a>,
    old_template: &str,
    new_template: &str,
    old_item: &Node<'a>,
    new_item: &Node<'a>,
) {
    for method in METHODS {
        let old_op = old_item.v.get(method).filter(|v| v.is_object());
        let new_op = new_item.v.get(method).filter(|v| v.is_object());
        let upper = method.to_ascii_uppercase();
        match (old_op, new_op) {
            (Some(_), None) => {
                let op = Op {
                    method: upper.clone(),
                    path: old_template.to_string(),
                };
                ctx.push(
                    &op,
                    Finding {
                        id: "operation-removed",
                        severity: Severity::Breaking,
                        direction: None,
                        location: String::new(),
                        pointer: pointer::join(&old_item.ptr, method),
                        detail: format!("operation {upper} {old_template} was removed"),
                    },
                );
            }
            (None, Some(_)) => {
                let op = Op {
                    method: upper.clone(),
                    path: new_template.to_string(),
                };
                ctx.push(
                    &op,
                    Finding {
                        id: "operation-added",
                        severity: Severity::Info,
                        direction: None,
                        location: String::new(),
                        pointer: pointer::join(&new_item.ptr, method),
                        detail: format!("operation {upper} {new_template} was added"),
                    },
                );
            }
            (Some(o), Some(n)) => {
                let op = Op {
                    method: upper,
                    path: new_template.to_string(),
                };
                let pair = OpPair {
                    old_op: Node::new(old_item.doc, o, pointer::join(&old_item.ptr, method)),
                    new_op: Node::new(new_item.doc, n, pointer::join(&new_item.ptr, method)),
                    old_item: old_item.clone(),
                    new_item: new_item.clone(),
                    old_template: old_template.to_string(),
                    new_template: new_template.to_string(),
                };
                diff_operation(ctx, &op, &pair);
            }
            (None, None) => {}
        }
    }
}

/// One operation in both documents, with its path items (for path-level parameters).
pub(crate) struct OpPair<'a> {
    pub(crate) old_op: Node<'a>,
    pub(crate) new_op: Node<'a>,
    pub(crate) old_item: Node<'a>,
    pub(crate) new_item: Node<'a>,
    pub(crate) old_template: String,
    pub(crate) new_template: String,
}

fn diff_operation<'a>(ctx: &mut Ctx<'a>, op: &Op, pair: &OpPair<'a>) {
    let old_deprecated = pair.old_op.v.get("deprecated") == Some(&Value::Bool(true));
    let new_deprecated = pair.new_op.v.get("deprecated") == Some(&Value::Bool(true));
    if new_deprecated && !old_deprecated {
        ctx.push(
            op,
            Finding {
                id: "operation-deprecated",
                severity: Severity::Info,
                direction: None,
                location: String::new(),
                pointer: pointer::join(&pair.new_op.ptr, "deprecated"),
                detail: format!("operation {} {} is now deprecated", op.method, op.path),
            },
        );
    }
    let old_id = pair.old_op.v.get("operationId").and_then(Value::as_str);
    let new_id = pair.new_op.v.get("operationId").and_then(Value::as_str);
    if let (Some(a), Some(b)) = (old_id, new_id) {
        if a != b {
            ctx.push(
                op,
                Finding {
                    id: "operation-id-changed",
                    severity: Severity::Warning,
                    direction: None,
                    location: String::new(),
                    pointer: pointer::join(&pair.new_op.ptr, "operationId"),
                    detail: format!(
                        "operationId changed from '{a}' to '{b}' (generated clients rename the method)"
                    ),
                },
            );
        }
    }
    params::diff_parameters(ctx, op, pair);
    diff_request_body(ctx, op, pair);
    diff_responses(ctx, op, pair);
    security::diff_security(ctx, op, pair);
}

fn diff_request_body<'a>(ctx: &mut Ctx<'a>, op: &Op, pair: &OpPair<'a>) {
    let old_body = pair.old_op.child("requestBody");
    let new_body = pair.new_op.child("requestBody");
    let required = |n: &Option<Node<'_>>| {
        n.as_ref()
            .is_some_and(|b| b.v.get("required") == Some(&Value::Bool(true)))
    };
    let (old_required, new_required) = (required(&old_body), required(&new_body));
    match (&old_body, &new_body) {
        (None, Some(nb)) => {
            let (id, severity, what) = if new_required {
                (
                    "request-body-became-required",
                    Severity::Breaking,
                    "required",
                )
            } else {
                ("request-body-added", Severity::Info, "optional")
            };
            ctx.push(
                op,
                Finding {
                    id,
                    severity,
                    direction: Some(Direction::Request),
                    location: "request body".into(),
                    pointer: nb.ptr.clone(),
                    detail: format!("a {what} request body was added"),
                },
            );
        }
        (Some(ob), None) => ctx.push(
            op,
            Finding {
                id: "request-body-removed",
                severity: Severity::Warning,
                direction: Some(Direction::Request),
                location: "request body".into(),
                pointer: ob.ptr.clone(),
                detail: "the request body was removed; clients still sending one may be rejected"
                    .into(),
            },
        ),
        (Some(_), Some(nb)) => {
            if new_required && !old_required {
                ctx.push(
                    op,
                    Finding {
                        id: "request-body-became-required",
                        severity: Severity::Breaking,
                        direction: Some(Direction::Request),
                        location: "request body".into(),
                        pointer: pointer::join(&nb.ptr, "required"),
                        detail: "the request body became required".into(),
                    },
                );
            }
        }
        (None, None) => {}
    }
    if let (Some(ob), Some(nb)) = (&old_body, &new_body) {
        diff_content(
            ctx,
            op,
            Direction::Request,
            "request body",
            ob.child("content"),
            nb.child("content"),
        );
    }
}

fn diff_responses<'a>(ctx: &mut Ctx<'a>, op: &Op, pair: &OpPair<'a>) {
    let old_map = responses(&pair.old_op);
    let new_map = responses(&pair.new_op);
    let mut matched_new: Vec<&str> = Vec::new();
    for (code, old_resp) in &old_map {
        let mut targets: Vec<&str> = Vec::new();
        if new_map.contains_key(code.as_str()) {
            targets.push(code.as_str());
        } else if let Some(range) = range_of(code) {
            if new_map.contains_key(range.as_str()) {
                targets.extend(new_map.keys().find(|k| **k == range).map(String::as_str));
            }
        } else if code.ends_with("XX") {
            let prefix: String = code.chars().take(1).collect();
            targets.extend(
                new_map
                    .keys()
                    .filter(|k| k.len() == 3 && k.starts_with(&prefix) && !k.ends_with("XX"))
                    .map(String::as_str),
            );
        }
        if targets.is_empty() {
            let success = code.starts_with('2') || code.starts_with('3');
            ctx.push(
                op,
                Finding {
                    id: "response-status-removed",
                    severity: if success {
                        Severity::Breaking
                    } else {
                        Severity::Warning
                    },
                    direction: Some(Direction::Response),
                    location: format!("response {code}"),
                    pointer: old_resp.ptr.clone(),
                    detail: format!("response status {code} is no longer documented"),
                },
            );
            continue;
        }
        for target in targets {
            matched_new.push(target);
            if let Some(new_resp) = new_map.get(target) {
                diff_response(ctx, op, code, target, old_resp, new_resp);
            }
        }
    }
    for (code, new_resp) in &new_map {
        if old_map.contains_key(code) || matched_new.contains(&code.as_str()) {
            continue;
        }
        ctx.push(
            op,
            Finding {
                id: "response-status-added",
                severity: Severity::Info,
                direction: Some(Direction::Response),
                location: format!("response {code}"),
                pointer: new_resp.ptr.clone(),
                detail: format!("response status {code} was added"),
            },
        );
    }
}

fn diff_response<'a>(
    ctx: &mut Ctx<'a>,
    op: &Op,
    old_code: &str,
    new_code: &str,
    old_resp: &Node<'a>,
    new_resp: &Node<'a>,
) {
    let label = if old_code == new_code {
        format!("response {new_code}")
    } else {
        format!("response {old_code}→{new_code}")
    };
    diff_content(
        ctx,
        op,
        Direction::Response,
        &label,
        old_resp.child("content"),
        new_resp.child("content"),
    );
    let old_headers = headers(old_resp);
    let new_headers = headers(new_resp);
    for (key, (name, old_header)) in &old_headers {
        let location = format!("{label} header {name}");
        match new_headers.get(key).map(|(_, node)| node) {
            None => {
                let required = old_header.v.get("required") == Some(&Value::Bool(true));
                ctx.push(
                    op,
                    Finding {
                        id: "response-header-removed",
                        severity: if required {
                            Severity::Breaking
                        } else {
                            Severity::Warning
                        },
                        direction: Some(Direction::Response),
                        location: location.clone(),
                        pointer: old_header.ptr.clone(),
                        detail: format!(
                            "{} response header {name} was removed",
                            if required { "required" } else { "optional" }
                        ),
                    },
                );
            }
            Some(new_header) => {
                if let (Some(os), Some(ns)) = (old_header.raw("schema"), new_header.raw("schema")) {
                    let walk = Walk::value(op, Direction::Response, location);
                    compare_root(ctx, &walk, &os, &ns);
                }
            }
        }
    }
}

/// Compares two `content` maps (request body or response).
pub(crate) fn diff_content<'a>(
    ctx: &mut Ctx<'a>,
    op: &Op,
    direction: Direction,
    label: &str,
    old_content: Option<Node<'a>>,
    new_content: Option<Node<'a>>,
) {
    let old_media = media_types(old_content.as_ref());
    let new_media = media_types(new_content.as_ref());
    let (removed_id, changed_id, added_id) = match direction {
        Direction::Request => (
            "request-content-type-removed",
            "request-content-type-changed",
            "request-content-type-added",
        ),
        Direction::Response => (
            "response-content-type-removed",
            "response-content-type-changed",
            "response-content-type-added",
        ),
    };
    let removed: Vec<&String> = old_media
        .keys()
        .filter(|k| !new_media.contains_key(*k))
        .collect();
    let added: Vec<&String> = new_media
        .keys()
        .filter(|k| !old_media.contains_key(*k))
        .collect();
    let replaced = old_media.len() == 1 && new_media.len() == 1 && removed.len() == 1;
    if replaced {
        if let (Some((old_key, old_node)), Some((new_key, new_node))) =
            (old_media.iter().next(), new_media.iter().next())
        {
            ctx.push(
                op,
                Finding {
                    id: changed_id,
                    severity: Severity::Breaking,
                    direction: Some(direction),
                    location: format!("{label} {old_key}"),
                    pointer: new_node.ptr.clone(),
                    detail: format!("{label} content type changed from {old_key} to {new_key}"),
                },
            );
            if let (Some(os), Some(ns)) = (old_node.raw("schema"), new_node.raw("schema")) {
                let walk = Walk::body(op, direction, format!("{label} {new_key}"));
                compare_root(ctx, &walk, &os, &ns);
            }
        }
        return;
    }
    for key in removed {
        let ptr = old_media
            .get(key)
            .map(|n| n.ptr.clone())
            .unwrap_or_default();
        ctx.push(
            op,
            Finding {
                id: removed_id,
                severity: Severity::Breaking,
                direction: Some(direction),
                location: format!("{label} {key}"),
                pointer: ptr,
                detail: match direction {
                    Direction::Request => {
                        format!("{label} no longer accepts content type {key}")
                    }
                    Direction::Response => format!("{label} no longer returns content type {key}"),
                },
            },
        );
    }
    for key in added {
        let ptr = new_media
            .get(key)
            .map(|n| n.ptr.clone())
            .unwrap_or_default();
        ctx.push(
            op,
            Finding {
                id: added_id,
                severity: by_direction(direction, Severity::Info, Severity::Info),
                direction: Some(direction),
                location: format!("{label} {key}"),
                pointer: ptr,
                detail: format!("{label} content type {key} was added"),
            },
        );
    }
    for (key, old_node) in &old_media {
        let Some(new_node) = new_media.get(key) else {
            continue;
        };
        if let (Some(os), Some(ns)) = (old_node.raw("schema"), new_node.raw("schema")) {
            let walk = Walk::body(op, direction, format!("{label} {key}"));
            compare_root(ctx, &walk, &os, &ns);
        }
    }
}

/// Normalised media type: lower-case essence without parameters.
pub(crate) fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn media_types<'a>(content: Option<&Node<'a>>) -> BTreeMap<String, Node<'a>> {
    let mut out = BTreeMap::new();
    if let Some(map) = content.and_then(|c| c.v.as_object()) {
        for (key, media) in map {
            if media.is_object() {
                let ptr = content
                    .map(|c| pointer::join(&c.ptr, key))
                    .unwrap_or_default();
                if let Some(c) = content {
                    out.entry(media_essence(key))
                        .or_insert_with(|| Node::new(c.doc, media, ptr));
                }
            }
        }
    }
    out
}

/// Responses by normalised status (`200`, `4XX`, `default`), `$ref`s followed.
fn responses<'a>(op: &Node<'a>) -> BTreeMap<String, Node<'a>> {
    let mut out = BTreeMap::new();
    let Some(map) = op.v.get("responses").and_then(Value::as_object) else {
        return out;
    };
    let base = pointer::join(&op.ptr, "responses");
    for (code, resp) in map {
        if code.starts_with("x-") {
            continue;
        }
        let key = if code.eq_ignore_ascii_case("default") {
            "default".to_string()
        } else {
            code.to_ascii_uppercase()
        };
        out.insert(key, Node::at(op.doc, resp, &pointer::join(&base, code)));
    }
    out
}

/// `404` → `4XX`.
fn range_of(code: &str) -> Option<String> {
    (code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{}XX", &code[..1]))
}

/// Response headers by lower-case name, with the name as written (`Content-Type` is
/// ignored, §4.7.17).
fn headers<'a>(resp: &Node<'a>) -> BTreeMap<String, (String, Node<'a>)> {
    let mut out = BTreeMap::new();
    let Some(map) = resp.v.get("headers").and_then(Value::as_object) else {
        return out;
    };
    let base = pointer::join(&resp.ptr, "headers");
    for (name, header) in map {
        if name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let node = Node::at(resp.doc, header, &pointer::join(&base, name));
        if node.v.is_object() {
            out.insert(name.to_ascii_lowercase(), (name.clone(), node));
        }
    }
    out
}
