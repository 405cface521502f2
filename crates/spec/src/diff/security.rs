//! Security requirements (OpenAPI 3.0.3 §4.7.30 "Security Requirement Object", §4.7.27
//! "Security Scheme Object").
//!
//! An operation's requirements are its own `security` or, when absent, the document's.
//! The list is an OR of alternatives; each alternative is an AND of schemes, each with
//! its scopes; an empty alternative `{}` makes authentication optional. A change breaks
//! clients when some old way of authenticating is no longer accepted: an operation that
//! was open now needs credentials, an alternative disappeared, or more scopes are
//! required. A scheme whose definition changes (an API key moved from a header to the
//! query, basic became bearer) breaks every client using it.

use super::paths::OpPair;
use super::schema::Node;
use super::{Ctx, Direction, Finding, Op, Severity};
use crate::pointer;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

type Requirement = BTreeMap<String, BTreeSet<String>>;

fn requirements(list: &Value) -> Vec<Requirement> {
    let Some(items) = list.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_object)
        .map(|alt| {
            alt.iter()
                .map(|(scheme, scopes)| {
                    let scopes = scopes
                        .as_array()
                        .map(|s| {
                            s.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    (scheme.clone(), scopes)
                })
                .collect()
        })
        .collect()
}

/// The effective requirements of an operation and where they are written.
fn effective(op: &Node<'_>) -> (Vec<Requirement>, String) {
    if let Some(list) = op.v.get("security") {
        return (requirements(list), pointer::join(&op.ptr, "security"));
    }
    match op.doc.get("security") {
        Some(list) => (requirements(list), "/security".to_string()),
        None => (Vec::new(), pointer::join(&op.ptr, "security")),
    }
}

fn anonymous(reqs: &[Requirement]) -> bool {
    reqs.is_empty() || reqs.iter().any(BTreeMap::is_empty)
}

fn describe(req: &Requirement) -> String {
    if req.is_empty() {
        return "no authentication".to_string();
    }
    req.iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                scheme.clone()
            } else {
                format!(
                    "{scheme} [{}]",
                    scopes.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn describe_all(reqs: &[Requirement]) -> String {
    reqs.iter().map(describe).collect::<Vec<_>>().join(" or ")
}

pub(crate) fn diff_security(ctx: &mut Ctx<'_>, op: &Op, pair: &OpPair<'_>) {
    let (old, _) = effective(&pair.old_op);
    let (new, ptr) = effective(&pair.new_op);
    let finding = |id, severity, detail: String| Finding {
        id,
        severity,
        direction: Some(Direction::Request),
        location: "security".into(),
        pointer: ptr.clone(),
        detail,
    };
    match (anonymous(&old), anonymous(&new)) {
        (true, false) => {
            let f = finding(
                "security-added",
                Severity::Breaking,
                format!("authentication is now required: {}", describe_all(&new)),
            );
            ctx.push(op, f);
            return;
        }
        (false, true) => {
            let f = finding(
                "security-removed",
                Severity::Info,
                "authentication is no longer required".into(),
            );
            ctx.push(op, f);
            return;
        }
        _ => {}
    }
    for alt in &old {
        if alt.is_empty() {
            continue;
        }
        let accepted = new.iter().any(|n| {
            n.iter()
                .all(|(scheme, scopes)| alt.get(scheme).is_some_and(|s| scopes.is_subset(s)))
        });
        if accepted {
            continue;
        }
        let same_schemes = new.iter().find(|n| n.keys().eq(alt.keys()));
        match same_schemes {
            Some(n) => {
                for (scheme, scopes) in n {
                    let had = alt.get(scheme).cloned().unwrap_or_default();
                    for scope in scopes.difference(&had) {
                        let f = finding(
                            "security-scope-added",
                            Severity::Breaking,
                            format!("scheme '{scheme}' now requires scope '{scope}'"),
                        );
                        ctx.push(op, f);
                    }
                }
            }
            None => {
                let f = finding(
                    "security-changed",
                    Severity::Breaking,
                    format!(
                        "clients authenticating with {} are no longer accepted; now: {}",
                        describe(alt),
                        describe_all(&new)
                    ),
                );
                ctx.push(op, f);
            }
        }
    }
    for alt in &new {
        let Some(before) = old.iter().find(|o| o.keys().eq(alt.keys())) else {
            continue;
        };
        for (scheme, scopes) in before {
            let now = alt.get(scheme).cloned().unwrap_or_default();
            for scope in scopes.difference(&now) {
                let f = finding(
                    "security-scope-removed",
                    Severity::Info,
                    format!("scheme '{scheme}' no longer requires scope '{scope}'"),
                );
                ctx.push(op, f);
            }
        }
    }
}

/// Fields of a Security Scheme Object that decide how a client authenticates.
const SCHEME_FIELDS: [&str; 5] = ["type", "in", "name", "scheme", "openIdConnectUrl"];

/// Compares `components.securitySchemes` by name.
pub(crate) fn diff_schemes(ctx: &mut Ctx<'_>) {
    let schemes = |doc: &Value| {
        doc.pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let old = schemes(ctx.old.document());
    let new = schemes(ctx.new.document());
    let document = Op {
        method: String::new(),
        path: String::new(),
    };
    for (name, old_scheme) in &old {
        let Some(new_scheme) = new.get(name) else {
            continue;
        };
        let old_ptr = pointer::join("/components/securitySchemes", name);
        let old_node = Node::at(ctx.old.document(), old_scheme, &old_ptr);
        let new_node = Node::at(ctx.new.document(), new_scheme, &old_ptr);
        let mut changed: Vec<String> = Vec::new();
        for field in SCHEME_FIELDS {
            let a = old_node.v.get(field);
            let b = new_node.v.get(field);
            let same = match (a, b) {
                (Some(Value::String(x)), Some(Value::String(y)))
                    if field == "scheme" || field == "in" || field == "type" =>
                {
                    x.eq_ignore_ascii_case(y)
                }
                _ => a == b,
            };
            if !same {
                let show = |v: Option<&Value>| v.map_or("(none)".to_string(), Value::to_string);
                changed.push(format!("{field} {} → {}", show(a), show(b)));
            }
        }
        if !changed.is_empty() {
            ctx.push(
                &document,
                Finding {
                    id: "security-scheme-changed",
                    severity: Severity::Breaking,
                    direction: Some(Direction::Request),
                    location: format!("security scheme '{name}'"),
                    pointer: new_node.ptr.clone(),
                    detail: format!("security scheme '{name}' changed: {}", changed.join(", ")),
                },
            );
        }
    }
}
