//! Validating captured traffic against the contract.
//!
//! Each [`Exchange`] is matched to an operation (see `matcher`), then checked in the
//! order a server would: the route and method, the required parameters (OpenAPI 3.0.3
//! §4.7.12; cookies are not checked because captures redact them), the request's content
//! type and body (§4.7.13, §4.7.14), whether the response status is documented (§4.7.16:
//! an exact code, a `2XX`-style range, or `default`), and the response's content type and
//! body. Media types are matched on their essence, most specific first
//! (`application/json`, then `application/*`, then `*/*`).
//!
//! Bodies are only validated when the media type is JSON (`application/json` or any
//! `+json` suffix); other bodies get the content-type check alone. A body that was cut at
//! the capture limit ([`apitriage_model::exchange::MAX_BODY`]) is not validated, since a
//! truncated document would fail for the wrong reason. A body that does not parse as JSON
//! while JSON is declared is a violation, never a crash.
//!
//! Schemas are translated to JSON Schema 2020-12 (see `dialect`) and compiled once per
//! schema and direction with the `jsonschema` crate, format assertions on. A schema the
//! validator cannot compile (an unsupported regex, say) is reported once in
//! [`CheckReport::notes`] and skipped.

use crate::diff::Direction;
use crate::load::Spec;
use crate::matcher::{OperationMatch, OperationRef};
use crate::pointer;
use crate::resolve::deref;
use apitriage_model::exchange::MAX_BODY;
use apitriage_model::Exchange;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Every rule id [`check`] can report.
pub const CHECK_RULES: &[&str] = &[
    "unknown-route",
    "method-not-allowed",
    "missing-required-parameter",
    "request-content-type",
    "request-body-schema",
    "undocumented-status",
    "response-content-type",
    "response-body-schema",
];

/// Most schema errors reported for one body.
const MAX_ERRORS_PER_BODY: usize = 20;

/// One way an exchange departs from the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The file the exchange came from.
    pub file: String,
    /// 0-based index of the exchange within its file.
    pub entry: usize,
    /// Request method as captured.
    pub method: String,
    /// Request path as captured.
    pub path: String,
    /// Response status (0 when none was received).
    pub status: u16,
    /// Rule id, one of [`CHECK_RULES`].
    pub rule: &'static str,
    /// JSON pointer into the body (the instance path), empty when not about a body.
    pub pointer: String,
    /// What the contract asks for.
    pub expected: String,
    /// What the traffic had.
    pub found: String,
    /// The matched operation (`GET /orders/{id}`), when one matched.
    pub operation: Option<String>,
}

/// The result of [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Exchanges checked.
    pub checked: usize,
    /// Violations, in exchange order.
    pub violations: Vec<Violation>,
    /// Things about the spec that limited the check (schemas that could not be compiled).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Validates every exchange against the spec.
pub fn check(spec: &Spec, exchanges: &[Exchange]) -> CheckReport {
    let mut checker = Checker {
        spec,
        validators: HashMap::new(),
        notes: Vec::new(),
    };
    let mut report = CheckReport::default();
    for exchange in exchanges {
        report.checked += 1;
        checker.exchange(exchange, &mut report.violations);
    }
    report.notes = checker.notes;
    report
}

struct Checker<'s> {
    spec: &'s Spec,
    /// Compiled validators by (schema pointer, direction); `None` when compiling failed.
    validators: HashMap<(String, Direction), Option<Validator>>,
    notes: Vec<String>,
}

/// Builds violations for one exchange.
struct Sink<'e> {
    exchange: &'e Exchange,
    operation: Option<String>,
    out: &'e mut Vec<Violation>,
}

impl Sink<'_> {
    fn push(&mut self, rule: &'static str, pointer: String, expected: String, found: String) {
        self.out.push(Violation {
            file: self.exchange.file.clone(),
            entry: self.exchange.entry,
            method: self.exchange.method.clone(),
            path: request_path(self.exchange).to_string(),
            status: self.exchange.status,
            rule,
            pointer,
            expected,
            found,
            operation: self.operation.clone(),
        });
    }
}

fn request_path(exchange: &Exchange) -> &str {
    if exchange.path.is_empty() {
        &exchange.url
    } else {
        &exchange.path
    }
}

impl<'s> Checker<'s> {
    fn exchange(&mut self, exchange: &Exchange, out: &mut Vec<Violation>) {
        let found = self
            .spec
            .find_operation(&exchange.method, request_path(exchange));
        let mut sink = Sink {
            exchange,
            operation: None,
            out,
        };
        let op = match found {
            OperationMatch::UnknownRoute => {
                sink.push(
                    "unknown-route",
                    String::new(),
                    "a path documented in the spec".into(),
                    request_path(exchange).to_string(),
                );
                return;
            }
            OperationMatch::MethodNotAllowed { template, allowed } => {
                sink.push(
                    "method-not-allowed",
                    String::new(),
                    format!("{} on {template}", allowed.join(" or ")),
                    exchange.method.to_ascii_uppercase(),
                );
                return;
            }
            OperationMatch::Found(op) => op,
        };
        sink.operation = Some(format!("{} {}", op.method, op.template));
        let doc = self.spec.document();
        let Some(operation) = self.spec.at(&op.pointer) else {
            return;
        };
        self.parameters(&op, operation, &mut sink);
        self.request(&op, operation, &mut sink);
        if exchange.status != 0 {
            self.response(&op, operation, doc, &mut sink);
        }
    }

    fn parameters(&self, op: &OperationRef, operation: &Value, sink: &mut Sink<'_>) {
        let doc = self.spec.document();
        let item_ptr = op
            .pointer
            .rsplit_once('/')
            .map(|(item, _)| item)
            .unwrap_or("");
        let item = self.spec.at(item_ptr);
        // (in, name) → required; operation-level entries override path-level ones.
        let mut params: Vec<(String, String, bool)> = Vec::new();
        for owner in [item, Some(operation)].into_iter().flatten() {
            let Some(Value::Array(list)) = owner.get("parameters") else {
                continue;
            };
            for raw in list {
                let (p, _) = deref(doc, raw, "");
                let (Some(name), Some(location)) = (
                    p.get("name").and_then(Value::as_str),
                    p.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let required = p.get("required") == Some(&Value::Bool(true));
                let location = location.to_ascii_lowercase();
                params.retain(|(l, n, _)| !(*l == location && n == name));
                params.push((location, name.to_string(), required));
            }
        }
        let exchange = sink.exchange;
        let query = query_names(&exchange.url);
        for (location, name, required) in params {
            if !required {
                continue;
            }
            let present = match location.as_str() {
                "query" => match &query {
                    Some(names) => names
                        .iter()
                        .any(|n| n == &name || n.starts_with(&format!("{name}["))),
                    // Without a captured URL the query is unknown.
                    None => true,
                },
                "header" => {
                    let lower = name.to_ascii_lowercase();
                    ["accept", "content-type", "authorization"].contains(&lower.as_str())
                        || exchange.request_header(&name).is_some()
                }
                "path" => op.path_params.get(&name).is_some_and(|v| !v.is_empty()),
                _ => true,
            };
            if !present {
                sink.push(
                    "missing-required-parameter",
                    String::new(),
                    format!("required {location} parameter '{name}'"),
                    "absent".into(),
                );
            }
        }
    }

    fn request(&mut self, op: &OperationRef, operation: &Value, sink: &mut Sink<'_>) {
        let doc = self.spec.document();
        let Some(raw) = operation.get("requestBody") else {
            return;
        };
        let (body_def, body_ptr) = deref(doc, raw, &pointer::join(&op.pointer, "requestBody"));
        let exchange = sink.exchange;
        let text = exchange
            .request_body
            .as_deref()
            .filter(|b| !b.trim().is_empty());
        let Some(text) = text else {
            if body_def.get("required") == Some(&Value::Bool(true)) {
                sink.push(
                    "request-body-schema",
                    String::new(),
                    "a request body (required)".into(),
                    "none".into(),
                );
            }
            return;
        };
        let content_type = exchange
            .request_content_type
            .as_deref()
            .or_else(|| exchange.request_header("content-type"));
        self.body(
            Direction::Request,
            body_def.get("content"),
            &pointer::join(&body_ptr, "content"),
            content_type,
            text,
            sink,
        );
    }

    fn response(&mut self, op: &OperationRef, operation: &Value, doc: &Value, sink: &mut Sink<'_>) {
        let Some(Value::Object(responses)) = operation.get("responses") else {
            return;
        };
        let exchange = sink.exchange;
        let code = exchange.status.to_string();
        let range = format!("{}XX", &code[..1]);
        let key = responses
            .keys()
            .find(|k| **k == code)
            .or_else(|| responses.keys().find(|k| k.eq_ignore_ascii_case(&range)))
            .or_else(|| responses.keys().find(|k| k.eq_ignore_ascii_case("default")));
        let Some(key) = key else {
            let mut documented: Vec<&str> = responses
                .keys()
                .filter(|k| !k.starts_with("x-"))
                .map(String::as_str)
                .collect();
            documented.sort();
            sink.push(
                "undocumented-status",
                String::new(),
                format!("one of {}", documented.join(", ")),
                code,
            );
            return;
        };
        let responses_ptr = pointer::join(&op.pointer, "responses");
        let (resp, resp_ptr) = deref(doc, &responses[key], &pointer::join(&responses_ptr, key));
        let Some(text) = exchange
            .response_body
            .as_deref()
            .filter(|b| !b.trim().is_empty())
        else {
            return;
        };
        let content_type = exchange
            .response_content_type
            .as_deref()
            .or_else(|| exchange.response_header("content-type"));
        self.body(
            Direction::Response,
            resp.get("content"),
            &pointer::join(&resp_ptr, "content"),
            content_type,
            text,
            sink,
        );
    }

    /// Content-type check, then JSON parsing and schema validation of one body.
    fn body(
        &mut self,
        direction: Direction,
        content: Option<&Value>,
        content_ptr: &str,
        content_type: Option<&str>,
        text: &str,
        sink: &mut Sink<'_>,
    ) {
        let (type_rule, schema_rule) = match direction {
            Direction::Request => ("request-content-type", "request-body-schema"),
            Direction::Response => ("response-content-type", "response-body-schema"),
        };
        let Some(Value::Object(media_map)) = content else {
            return;
        };
        if media_map.is_empty() {
            return;
        }
        let actual = content_type.map(crate::diff::media_essence);
        let matched = match &actual {
            Some(actual) => find_media(media_map, actual),
            // No content type captured: assume the JSON media type, or the only one.
            None => media_map
                .iter()
                .find(|(k, _)| is_json(&crate::diff::media_essence(k)))
                .or_else(|| {
                    (media_map.len() == 1)
                        .then(|| media_map.iter().next())
                        .flatten()
                }),
        };
        let Some((key, media)) = matched else {
            let mut declared: Vec<&str> = media_map.keys().map(String::as_str).collect();
            declared.sort();
            sink.push(
                type_rule,
                String::new(),
                format!("one of {}", declared.join(", ")),
                actual.unwrap_or_else(|| "none".into()),
            );
            return;
        };
        let essence = actual.unwrap_or_else(|| crate::diff::media_essence(key));
        if !is_json(&essence) {
            return;
        }
        if text.len() >= MAX_BODY {
            // Cut at the capture limit: a truncated document proves nothing.
            return;
        }
        let instance: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                sink.push(
                    schema_rule,
                    String::new(),
                    format!("a json document ({essence})"),
                    format!("invalid json at line {} column {}", e.line(), e.column()),
                );
                return;
            }
        };
        let Some(schema) = media.get("schema") else {
            return;
        };
        let schema_ptr = pointer::join(&pointer::join(content_ptr, key), "schema");
        let Some(validator) = self.validator(&schema_ptr, schema, direction) else {
            return;
        };
        let mut found: Vec<(String, String, String)> = validator
            .iter_errors(&instance)
            .take(MAX_ERRORS_PER_BODY)
            .map(|error| {
                let (expected, found) = describe(error.kind(), error.instance());
                (error.instance_path().as_str().to_string(), expected, found)
            })
            .collect();
        found.sort();
        found.dedup();
        for (pointer, expected, found) in found {
            sink.push(schema_rule, pointer, expected, found);
        }
    }

    fn validator(&mut self, ptr: &str, schema: &Value, direction: Direction) -> Option<&Validator> {
        let key = (ptr.to_string(), direction);
        if !self.validators.contains_key(&key) {
            let translated = crate::dialect::validation_schema(
                self.spec.document(),
                self.spec.dialect(),
                direction,
                schema,
            );
            let built = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&translated);
            let compiled = match built {
                Ok(v) => Some(v),
                Err(e) => {
                    self.notes.push(format!(
                        "{}: schema at {ptr} could not be compiled, bodies using it were not validated: {e}",
                        self.spec.source()
                    ));
                    None
                }
            };
            self.validators.insert(key.clone(), compiled);
        }
        self.validators.get(&key).and_then(Option::as_ref)
    }
}

/// Names in the query string of a URL; `None` when the URL was not captured.
fn query_names(url: &str) -> Option<Vec<String>> {
    if url.is_empty() {
        return None;
    }
    let Some((_, query)) = url.split_once('?') else {
        return Some(Vec::new());
    };
    let query = query.split('#').next().unwrap_or("");
    Some(
        query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let name = kv.split('=').next().unwrap_or("");
                pointer::percent_decode(&name.replace('+', " "))
            })
            .collect(),
    )
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

/// The declared media type serving `actual`: exact, then `type/*`, then `*/*`.
fn find_media<'m>(
    map: &'m serde_json::Map<String, Value>,
    actual: &str,
) -> Option<(&'m String, &'m Value)> {
    let by_essence = |wanted: &str| {
        map.iter()
            .find(|(k, _)| crate::diff::media_essence(k) == wanted)
    };
    if let Some(hit) = by_essence(actual) {
        return Some(hit);
    }
    let major = actual.split('/').next().unwrap_or("");
    by_essence(&format!("{major}/*")).or_else(|| by_essence("*/*"))
}

/// A value in a few words: `string "12.50"`, `number 3`, `array of 2 items`.
fn short(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => {
            let mut text: String = s.chars().take(40).collect();
            if s.chars().count() > 40 {
                text.push('…');
            }
            format!("string {}", Value::String(text))
        }
        Value::Array(items) => format!("array of {} items", items.len()),
        Value::Object(map) => format!("object with {} properties", map.len()),
    }
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let mut cut: String = text.chars().take(80).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// `(expected, found)` for one validation error.
fn describe(kind: &ValidationErrorKind, instance: &Value) -> (String, String) {
    use ValidationErrorKind as K;
    let found = short(instance);
    match kind {
        K::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.as_str().to_string(),
                TypeKind::Multiple(set) => {
                    // "string or null" reads better than the set's order.
                    let mut names: Vec<&str> = set.into_iter().map(|t| t.as_str()).collect();
                    names.sort_by_key(|n| (*n == "null", *n));
                    names.join(" or ")
                }
            };
            (expected, found)
        }
        K::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            (
                format!("required property '{name}'"),
                format!("object without '{name}'"),
            )
        }
        K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => (
            "no undocumented properties".into(),
            format!(
                "{} {}",
                if unexpected.len() == 1 {
                    "property"
                } else {
                    "properties"
                },
                unexpected
                    .iter()
                    .map(|u| format!("'{u}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        K::Enum { options } => (format!("one of {}", compact(options)), found),
        K::Constant { expected_value } => (format!("constant {}", compact(expected_value)), found),
        K::Minimum { limit } => (format!(">= {limit}"), found),
        K::Maximum { limit } => (format!("<= {limit}"), found),
        K::ExclusiveMinimum { limit } => (format!("> {limit}"), found),
        K::ExclusiveMaximum { limit } => (format!("< {limit}"), found),
        K::MinLength { limit } => (
            format!("at least {limit} characters"),
            with_length(instance, found),
        ),
        K::MaxLength { limit } => (
            format!("at most {limit} characters"),
            with_length(instance, found),
        ),
        K::Pattern { pattern } => (format!("string matching /{pattern}/"), found),
        K::Format { format } => (format!("format {format}"), found),
        K::MinItems { limit } => (format!("at least {limit} items"), found),
        K::MaxItems { limit } => (format!("at most {limit} items"), found),
        K::MinProperties { limit } => (format!("at least {limit} properties"), found),
        K::MaxProperties { limit } => (format!("at most {limit} properties"), found),
        K::UniqueItems => ("unique items".into(), "array with duplicates".into()),
        K::OneOfNotValid { .. } => (
            "exactly one oneOf variant".into(),
            format!("{found}, matching none"),
        ),
        K::OneOfMultipleValid { .. } => (
            "exactly one oneOf variant".into(),
            format!("{found}, matching several"),
        ),
        K::AnyOf { .. } => ("at least one anyOf variant".into(), found),
        K::Not { .. } => ("a value the 'not' schema rejects".into(), found),
        K::FalseSchema => ("nothing (false schema)".into(), found),
        other => (other.keyword().to_string(), found),
    }
}

fn with_length(instance: &Value, found: String) -> String {
    match instance.as_str() {
        Some(s) => format!("{found} ({} characters)", s.chars().count()),
        None => found,
    }
}
