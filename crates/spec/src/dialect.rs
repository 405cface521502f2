//! Turning an OpenAPI Schema Object into a self-contained JSON Schema 2020-12 document
//! that the `jsonschema` crate can compile.
//!
//! OpenAPI 3.1.0 §4.8.24 schemas already are JSON Schema 2020-12; OpenAPI 3.0.3 §4.7.24
//! schemas are "an extended subset" of JSON Schema Wright draft 00 and need translating:
//!
//! - `nullable: true` → `"null"` added to `type` (and to `enum` when there is one), or the
//!   schema wrapped in `anyOf: [{type: "null"}, …]` when it has no `type`;
//! - boolean `exclusiveMinimum` / `exclusiveMaximum` (draft 4 style) → the numeric 2020-12
//!   form, taking the value of `minimum` / `maximum`;
//! - keywords with no validation meaning (`example`, `discriminator`, `xml`,
//!   `externalDocs`, `deprecated`, `x-*`) are dropped;
//! - `$ref` siblings are ignored (§4.7.23), except `nullable`, which authors commonly write
//!   next to a `$ref` and mean.
//!
//! For both dialects, keyword values of the wrong shape — the `required: true` of a
//! Swagger 2 habit, `type: file`, a negative `maxLength` — are dropped rather than let
//! the validator refuse the whole schema (it checks schemas against the 2020-12
//! meta-schema); the rest of the schema is still enforced.
//!
//! For both dialects, every local `$ref` is rewritten to point into a `$defs` section of
//! the produced document (`#/components/schemas/Order` → `#/$defs/Order`) and the
//! referenced schemas are copied there, translated the same way; and a property that is
//! `readOnly` is dropped from `required` when validating a request (`writeOnly` for a
//! response), as OpenAPI 3.0.3 §4.7.24 prescribes.

use crate::diff::Direction;
use crate::load::Dialect;
use crate::pointer;
use crate::resolve::{deref, target, Target};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Keywords whose value is one schema.
const ONE: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// Keywords whose value is an array of schemas.
const MANY: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const MAP: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// OpenAPI 3.0 keywords without validation meaning.
const DROP_30: [&str; 6] = [
    "example",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "nullable",
];

/// A self-contained JSON Schema 2020-12 document for `schema`, a Schema Object of `doc`.
pub(crate) fn validation_schema(
    doc: &Value,
    dialect: Dialect,
    direction: Direction,
    schema: &Value,
) -> Value {
    let mut t = Translator {
        doc,
        dialect,
        direction,
        names: BTreeMap::new(),
        used: BTreeSet::new(),
        queue: Vec::new(),
    };
    let body = t.schema(schema);
    let mut defs = Map::new();
    while let Some((ptr, name)) = t.queue.pop() {
        let translated = match doc.pointer(&ptr) {
            Some(target) => t.schema(target),
            None => Value::Bool(true),
        };
        defs.insert(name, translated);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
        "allOf": [body],
    })
}

struct Translator<'a> {
    doc: &'a Value,
    dialect: Dialect,
    direction: Direction,
    /// Pointer → name in `$defs`.
    names: BTreeMap<String, String>,
    used: BTreeSet<String>,
    /// Definitions still to translate.
    queue: Vec<(String, String)>,
}

impl Translator<'_> {
    /// The rewritten reference for a local pointer; queues the definition.
    fn def_ref(&mut self, ptr: &str) -> String {
        if let Some(name) = self.names.get(ptr) {
            return format!("#/$defs/{name}");
        }
        let simple = ptr
            .strip_prefix("/components/schemas/")
            .map(pointer::unescape)
            .filter(|n| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            });
        let name = match simple {
            Some(n) if !self.used.contains(&n) => n,
            _ => format!("ref{}", self.names.len()),
        };
        self.used.insert(name.clone());
        self.names.insert(ptr.to_string(), name.clone());
        self.queue.push((ptr.to_string(), name.clone()));
        format!("#/$defs/{name}")
    }

    fn schema(&mut self, value: &Value) -> Value {
        let Value::Object(map) = value else {
            return value.clone();
        };
        let v30 = self.dialect == Dialect::V30;
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let rewritten = match target(reference) {
                Target::Local(ptr) => self.def_ref(&ptr),
                Target::External => reference.to_string(),
            };
            if v30 {
                let only = json!({ "$ref": rewritten });
                return if map.get("nullable") == Some(&Value::Bool(true)) {
                    json!({"anyOf": [{"type": "null"}, only]})
                } else {
                    only
                };
            }
        }
        let mut out = Map::new();
        for (key, child) in map {
            if key.starts_with("x-") || (v30 && DROP_30.contains(&key.as_str())) {
                continue;
            }
            let translated = if key == "$ref" {
                match child.as_str().map(target) {
                    Some(Target::Local(ptr)) => Value::String(self.def_ref(&ptr)),
                    _ => child.clone(),
                }
            } else if key == "items" && child.is_array() {
                // Tuple form (draft 4 to 2019-09); 2020-12 spells it prefixItems.
                out.insert("prefixItems".into(), self.list(child));
                continue;
            } else if ONE.contains(&key.as_str()) {
                self.schema(child)
            } else if MANY.contains(&key.as_str()) {
                self.list(child)
            } else if MAP.contains(&key.as_str()) {
                match child {
                    Value::Object(m) => {
                        Value::Object(m.iter().map(|(k, s)| (k.clone(), self.schema(s))).collect())
                    }
                    other => other.clone(),
                }
            } else {
                child.clone()
            };
            out.insert(key.clone(), translated);
        }
        if v30 {
            exclusive_bounds(map, &mut out);
        }
        self.filter_required(map, &mut out);
        out.retain(|key, value| well_formed(key, value));
        if let Some(Value::Array(names)) = out.get_mut("required") {
            let mut seen = BTreeSet::new();
            names.retain(|n| seen.insert(n.as_str().unwrap_or("").to_string()));
        }
        if v30 && map.get("nullable") == Some(&Value::Bool(true)) {
            return nullable(out);
        }
        Value::Object(out)
    }

    fn list(&mut self, value: &Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.iter().map(|i| self.schema(i)).collect()),
            other => other.clone(),
        }
    }

    /// Drops from `required` the properties this direction never carries.
    fn filter_required(&self, map: &Map<String, Value>, out: &mut Map<String, Value>) {
        let (Some(Value::Object(props)), Some(Value::Array(required))) =
            (map.get("properties"), map.get("required"))
        else {
            return;
        };
        let flag = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let hidden = |name: &str| {
            props.get(name).is_some_and(|p| {
                p.get(flag) == Some(&Value::Bool(true))
                    || deref(self.doc, p, "").0.get(flag) == Some(&Value::Bool(true))
            })
        };
        let kept: Vec<Value> = required
            .iter()
            .filter(|r| !r.as_str().is_some_and(hidden))
            .cloned()
            .collect();
        out.insert("required".into(), Value::Array(kept));
    }
}

/// The seven JSON Schema types.
const TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// Whether a keyword's value has the shape the 2020-12 meta-schema requires.
fn well_formed(key: &str, value: &Value) -> bool {
    let schema = |v: &Value| v.is_object() || v.is_boolean();
    let count = |v: &Value| {
        v.as_u64().is_some() || v.as_f64().is_some_and(|f| f >= 0.0 && f.fract() == 0.0)
    };
    match key {
        "type" => match value {
            Value::String(t) => TYPES.contains(&t.as_str()),
            Value::Array(items) => {
                !items.is_empty()
                    && items
                        .iter()
                        .all(|t| t.as_str().is_some_and(|t| TYPES.contains(&t)))
                    && items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<BTreeSet<_>>()
                        .len()
                        == items.len()
            }
            _ => false,
        },
        "enum" | "allOf" | "anyOf" | "oneOf" | "prefixItems" => match value {
            Value::Array(items) => !items.is_empty() && (key == "enum" || items.iter().all(schema)),
            _ => false,
        },
        "required" => value
            .as_array()
            .is_some_and(|names| names.iter().all(Value::is_string)),
        "multipleOf" => value.as_f64().is_some_and(|f| f > 0.0),
        "maximum" | "minimum" | "exclusiveMaximum" | "exclusiveMinimum" => value.is_number(),
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties"
        | "minContains" | "maxContains" => count(value),
        "pattern" | "format" | "$ref" | "title" | "description" | "contentMediaType"
        | "contentEncoding" => value.is_string(),
        "uniqueItems" | "readOnly" | "writeOnly" | "deprecated" => value.is_boolean(),
        "items"
        | "additionalProperties"
        | "not"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "contentSchema" => schema(value),
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            value.as_object().is_some_and(|m| m.values().all(schema))
        }
        _ => true,
    }
}

/// Draft 4 boolean exclusive bounds → 2020-12 numeric ones.
fn exclusive_bounds(source: &Map<String, Value>, out: &mut Map<String, Value>) {
    for (exclusive, plain) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match source.get(exclusive) {
            Some(Value::Bool(true)) => {
                out.remove(exclusive);
                if let Some(bound) = out.remove(plain) {
                    out.insert(exclusive.into(), bound);
                }
            }
            Some(Value::Bool(false)) => {
                out.remove(exclusive);
            }
            _ => {}
        }
    }
}

/// Makes a translated 3.0 schema accept `null`.
fn nullable(mut out: Map<String, Value>) -> Value {
    let null = Value::String("null".into());
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let single = Value::String(std::mem::take(t));
            out.insert("type".into(), Value::Array(vec![single, null]));
        }
        Some(Value::Array(types)) => {
            if !types.contains(&null) {
                types.push(null);
            }
        }
        _ => return json!({"anyOf": [{"type": "null"}, Value::Object(out)]}),
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_30_keywords_are_translated() {
        let doc = json!({"components": {"schemas": {"Money": {
            "type": "number", "minimum": 0, "exclusiveMinimum": true, "nullable": true,
            "example": 1.5}}}});
        let schema = json!({"type": "object", "required": ["id", "total"], "properties": {
            "id": {"type": "string", "readOnly": true},
            "total": {"$ref": "#/components/schemas/Money"}}});
        let out = validation_schema(&doc, Dialect::V30, Direction::Request, &schema);
        assert_eq!(
            out["$defs"]["Money"],
            json!({"type": ["number", "null"], "exclusiveMinimum": 0})
        );
        assert_eq!(out["allOf"][0]["required"], json!(["total"]));
        assert_eq!(
            out["allOf"][0]["properties"]["total"]["$ref"],
            "#/$defs/Money"
        );
        let response = validation_schema(&doc, Dialect::V30, Direction::Response, &schema);
        assert_eq!(response["allOf"][0]["required"], json!(["id", "total"]));
    }

    #[test]
    fn malformed_keywords_are_dropped_so_the_rest_still_validates() {
        let doc = json!({});
        let schema = json!({"type": "object", "required": ["a"], "properties": {
            "a": {"type": "string", "required": true, "maxLength": -1},
            "b": {"type": "file"},
            "c": {"items": [{"type": "integer"}]}}});
        let out = validation_schema(&doc, Dialect::V30, Direction::Response, &schema);
        let a = &out["allOf"][0]["properties"]["a"];
        assert_eq!(a, &json!({"type": "string"}));
        assert_eq!(out["allOf"][0]["properties"]["b"], json!({}));
        assert_eq!(
            out["allOf"][0]["properties"]["c"],
            json!({"prefixItems": [{"type": "integer"}]})
        );
        let validator = jsonschema::draft202012::options()
            .build(&out)
            .expect("compiles");
        assert!(validator.is_valid(&json!({"a": "x", "b": 1})));
        assert!(!validator.is_valid(&json!({"a": 1})));
    }

    #[test]
    fn nullable_without_type_wraps() {
        let doc = json!({});
        let schema = json!({"nullable": true, "enum": ["a"]});
        let out = validation_schema(&doc, Dialect::V30, Direction::Response, &schema);
        assert_eq!(out["allOf"][0]["anyOf"][0], json!({"type": "null"}));
    }
}
