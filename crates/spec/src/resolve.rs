//! Local `$ref` resolution (OpenAPI 3.0.3 §4.7.23 "Reference Object", OpenAPI 3.1.0
//! §4.8.23 and JSON Schema 2020-12 §8.2.3.1 "Direct References with $ref").
//!
//! Only references inside the same document (`#/components/schemas/Order`, or any other
//! `#`-fragment JSON pointer) are followed; a reference to another file or URL is an
//! error that asks for a bundled document, because the tool must never fetch anything.
//!
//! Every reference is checked once, at load time ([`check_refs`]):
//!
//! - it must point at an existing node;
//! - a chain of pure references (`A: {$ref: B}`, `B: {$ref: A}`) must end somewhere;
//! - a schema must not include itself *in place* — through `$ref`, `allOf`, `anyOf`,
//!   `oneOf`, `not`, `if`/`then`/`else` — without first descending into a property or an
//!   item. Such a schema describes no finite instance and sends a naive validator into an
//!   endless loop. Ordinary recursive schemas (a tree node whose `children` are tree
//!   nodes) descend before they recur and are fine.
//!
//! After that, walkers follow references with [`deref`] and guard against legitimate
//! recursion themselves (the diff compares each pair of referenced schemas once per walk).

use crate::error::SpecError;
use crate::load::{MAX_DEPTH, MAX_NODES};
use crate::pointer;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Longest chain of `$ref` → `$ref` followed before giving up.
const MAX_CHAIN: usize = 64;

/// Where a `$ref` string points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A JSON pointer into the same document (decoded; `""` is the root).
    Local(String),
    /// Anything else.
    External,
}

/// Classifies a `$ref` value.
pub(crate) fn target(reference: &str) -> Target {
    match reference.strip_prefix('#') {
        Some(fragment) if fragment.is_empty() || fragment.starts_with('/') => {
            Target::Local(pointer::percent_decode(fragment))
        }
        // A plain-name fragment (`#foo`) is an `$anchor`, which needs the schema's base
        // URI; treat it as unsupported rather than guess.
        Some(_) => Target::External,
        None => Target::External,
    }
}

/// The `$ref` string of an object, if it has one.
pub(crate) fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Follows `$ref`s from `value` (found at `at`) to the node they end on. Returns the
/// node and its pointer. A dangling or over-long chain stops at the last node reached
/// (load-time checks make that unreachable for loaded documents).
pub(crate) fn deref<'a>(doc: &'a Value, value: &'a Value, at: &str) -> (&'a Value, String) {
    let mut node = value;
    let mut here = at.to_string();
    for _ in 0..MAX_CHAIN {
        let Some(reference) = ref_of(node) else {
            break;
        };
        let Target::Local(ptr) = target(reference) else {
            break;
        };
        match doc.pointer(&ptr) {
            Some(next) => {
                node = next;
                here = ptr;
            }
            None => break,
        }
    }
    (node, here)
}

/// Refuses documents that are too deep or too big for the recursive walkers.
pub(crate) fn check_size(doc: &Value, file: &str) -> Result<(), SpecError> {
    let mut stack: Vec<(&Value, usize)> = vec![(doc, 0)];
    let mut nodes = 0usize;
    while let Some((node, depth)) = stack.pop() {
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(SpecError::TooManyNodes {
                file: file.to_string(),
                max: MAX_NODES,
            });
        }
        if depth > MAX_DEPTH {
            return Err(SpecError::TooDeep {
                file: file.to_string(),
                pointer: path_to(doc, node).unwrap_or_else(|| "(unknown)".into()),
                max: MAX_DEPTH,
            });
        }
        match node {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// The pointer of `needle` (by identity) inside `doc`; used only to name an error site.
fn path_to(doc: &Value, needle: &Value) -> Option<String> {
    let mut stack: Vec<(&Value, String)> = vec![(doc, String::new())];
    while let Some((node, at)) = stack.pop() {
        if std::ptr::eq(node, needle) {
            return Some(if at.is_empty() { "/".into() } else { at });
        }
        match node {
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v, format!("{at}/{i}"))),
            ),
            Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (v, pointer::join(&at, k))));
            }
            _ => {}
        }
    }
    None
}

/// Keys whose values are free-form data, never OpenAPI objects: a `$ref` inside them
/// is data, not a reference.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Keys whose values map user-chosen names to objects: the names are not keywords.
fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "$defs"
            | "definitions"
            | "dependentSchemas"
            | "paths"
            | "schemas"
            | "responses"
            | "parameters"
            | "examples"
            | "requestBodies"
            | "headers"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "pathItems"
            | "webhooks"
            | "content"
            | "encoding"
    )
}

/// Checks every `$ref` of the document; see the module documentation.
pub(crate) fn check_refs(doc: &Value, file: &str) -> Result<(), SpecError> {
    // (value, pointer, is this object a map of names?)
    let mut stack: Vec<(&Value, String, bool)> = vec![(doc, String::new(), false)];
    let mut targets: BTreeSet<String> = BTreeSet::new();
    while let Some((node, at, names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !names {
                    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                        let ptr = check_one(doc, reference, &at, file)?;
                        targets.insert(ptr);
                    }
                }
                for (key, child) in map {
                    if !names && (is_data_key(key) || key == "$ref") {
                        continue;
                    }
                    // An Example Object's `value` is data (but `examples` in a 3.1
                    // schema is an array of data).
                    if !names && key == "examples" && child.is_array() {
                        continue;
                    }
                    if !names && key == "value" && at.contains("/examples/") {
                        continue;
                    }
                    let child_names = !names && is_name_map(key);
                    stack.push((child, pointer::join(&at, key), child_names));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((child, format!("{at}/{i}"), false));
                }
            }
            _ => {}
        }
    }
    check_in_place_cycles(doc, &targets, file)
}

/// Checks one reference: local, resolvable, and not part of a pure `$ref` loop.
/// Returns the target pointer.
fn check_one(doc: &Value, reference: &str, at: &str, file: &str) -> Result<String, SpecError> {
    let site = if at.is_empty() { "/" } else { at };
    let Target::Local(first) = target(reference) else {
        return Err(SpecError::ExternalRef {
            file: file.to_string(),
            pointer: site.to_string(),
            target: reference.to_string(),
        });
    };
    let mut chain = vec![site.to_string()];
    let mut ptr = first.clone();
    loop {
        let Some(node) = doc.pointer(&ptr) else {
            return Err(SpecError::UnresolvedRef {
                file: file.to_string(),
                pointer: site.to_string(),
                target: reference.to_string(),
            });
        };
        if chain.contains(&ptr) || chain.len() > MAX_CHAIN {
            chain.push(ptr);
            return Err(SpecError::RefCycle {
                file: file.to_string(),
                chain: chain.join(" -> "),
            });
        }
        chain.push(ptr.clone());
        match ref_of(node) {
            None => return Ok(first),
            Some(next) => match target(next) {
                Target::Local(next_ptr) => ptr = next_ptr,
                Target::External => {
                    return Err(SpecError::ExternalRef {
                        file: file.to_string(),
                        pointer: ptr,
                        target: next.to_string(),
                    })
                }
            },
        }
    }
}

/// In-place applicators: keywords that apply a subschema to the same instance.
const IN_PLACE_ARRAYS: [&str; 3] = ["allOf", "anyOf", "oneOf"];
const IN_PLACE_OBJECTS: [&str; 4] = ["not", "if", "then", "else"];

/// The references a schema applies in place (without descending into the instance).
fn in_place_refs(schema: &Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(Target::Local(ptr)) = ref_of(schema).map(target) {
        out.insert(ptr);
    }
    for key in IN_PLACE_ARRAYS {
        if let Some(Value::Array(items)) = map.get(key) {
            for item in items {
                in_place_refs(item, out, depth + 1);
            }
        }
    }
    for key in IN_PLACE_OBJECTS {
        if let Some(child) = map.get(key) {
            in_place_refs(child, out, depth + 1);
        }
    }
}

/// Finds a cycle in the graph "target A applies target B in place".
fn check_in_place_cycles(
    doc: &Value,
    targets: &BTreeSet<String>,
    file: &str,
) -> Result<(), SpecError> {
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for ptr in targets {
        let mut out = BTreeSet::new();
        if let Some(node) = doc.pointer(ptr) {
            in_place_refs(node, &mut out, 0);
        }
        edges.insert(ptr.as_str(), out);
    }
    // Iterative depth-first search with colours: 1 = on the stack, 2 = done.
    let mut colour: HashMap<&str, u8> = HashMap::new();
    for start in edges.keys() {
        if colour.contains_key(start) {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        let mut iters: Vec<std::collections::btree_set::Iter<'_, String>> =
            vec![edges.get(start).map(|e| e.iter()).unwrap_or_default()];
        colour.insert(start, 1);
        while let Some(iter) = iters.last_mut() {
            match iter.next() {
                Some(next) => {
                    let next = next.as_str();
                    match colour.get(next) {
                        Some(1) => {
                            let from = path.iter().position(|p| *p == next).unwrap_or(0);
                            let mut chain: Vec<&str> = path[from..].to_vec();
                            chain.push(next);
                            return Err(SpecError::RefCycle {
                                file: file.to_string(),
                                chain: chain.join(" -> "),
                            });
                        }
                        Some(_) => {}
                        None => {
                            colour.insert(next, 1);
                            path.push(next);
                            iters.push(edges.get(next).map(|e| e.iter()).unwrap_or_default());
                        }
                    }
                }
                None => {
                    if let Some(done) = path.pop() {
                        colour.insert(done, 2);
                    }
                    iters.pop();
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_are_classified() {
        assert_eq!(
            target("#/components/schemas/A%20B"),
            Target::Local("/components/schemas/A B".into())
        );
        assert_eq!(target("other.yaml#/x"), Target::External);
        assert_eq!(target("#anchor"), Target::External);
    }

    #[test]
    fn pure_ref_loops_are_refused() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"}}}});
        let err = check_refs(&doc, "t").unwrap_err().to_string();
        assert!(err.contains("recursive $ref"), "{err}");
    }

    #[test]
    fn in_place_self_inclusion_is_refused_but_trees_are_fine() {
        let bad = json!({"components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/A"}]}}}});
        assert!(check_refs(&bad, "t").is_err());
        let tree = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}});
        assert!(check_refs(&tree, "t").is_ok());
    }

    #[test]
    fn refs_in_examples_are_data() {
        let doc = json!({"components": {"schemas": {"A": {"type": "object",
            "example": {"$ref": "nowhere"},
            "properties": {"example": {"$ref": "#/components/schemas/A"}}}}}});
        assert!(check_refs(&doc, "t").is_ok());
    }
}
