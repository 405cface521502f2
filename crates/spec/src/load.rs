//! Reading an OpenAPI document and the [`Spec`] that holds it.
//!
//! The format is recognised from the content, not the file name: a document whose first
//! non-blank character is `{` is JSON (so JSON errors carry JSON's own messages), anything
//! else is YAML 1.2 (OpenAPI 3.0.3 §4.2 "Format": "an OpenAPI document ... MAY be
//! represented either in JSON or YAML format"). YAML goes through `serde_yaml_ng`'s own
//! value type first so that merge keys (`<<`) are applied and non-string keys — the
//! unquoted `200:` of a responses map is an integer in YAML — become the strings OpenAPI
//! means.
//!
//! Loading is bounded: files over [`MAX_FILE_BYTES`], documents deeper than
//! [`MAX_DEPTH`] or with more than [`MAX_NODES`] nodes are refused with an error, and every
//! `$ref` is checked once here (see `resolve`) so that the walkers of `diff` and `check`
//! never meet a dangling, external or non-terminating reference.

use crate::error::SpecError;
use crate::matcher::{Matcher, OperationMatch};
use crate::resolve;
use serde_json::{Map, Value};
use std::path::Path;

/// Largest document file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 200;
/// Most JSON nodes accepted in one document.
pub const MAX_NODES: usize = 5_000_000;

/// Which schema dialect the document's Schema Objects use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dialect {
    /// OpenAPI 3.0.x: the extended subset of JSON Schema Wright draft 00
    /// (`nullable`, boolean `exclusiveMinimum`, `$ref` siblings ignored).
    V30,
    /// OpenAPI 3.1.x (and 3.2.x): JSON Schema 2020-12.
    V31,
}

/// A loaded, reference-checked OpenAPI 3.0 / 3.1 document.
#[derive(Debug, Clone)]
pub struct Spec {
    doc: Value,
    source: String,
    version: String,
    openapi: String,
    dialect: Dialect,
    matcher: Matcher,
}

impl Spec {
    /// Builds a spec from an already parsed document. `source` names it in errors and
    /// reports (usually the file name).
    ///
    /// Fails when the document is not an object, has no `openapi` field (or a `swagger`
    /// 2.0 one), names an unsupported version, has a malformed `paths`/`components`
    /// shape, holds an unresolved, external or cyclic `$ref`, or is too deep or too big.
    pub fn from_value(doc: Value, source: &str) -> Result<Spec, SpecError> {
        resolve::check_size(&doc, source)?;
        let Some(root) = doc.as_object() else {
            return Err(SpecError::NotOpenApi {
                file: source.to_string(),
                message: format!(
                    "the top level is {}, expected an object with an `openapi` field",
                    kind_of(&doc)
                ),
            });
        };
        let openapi = openapi_field(root, source)?;
        let dialect = if openapi.starts_with("3.0") {
            Dialect::V30
        } else if openapi.starts_with("3.1") || openapi.starts_with("3.2") {
            Dialect::V31
        } else {
            return Err(SpecError::UnsupportedVersion {
                file: source.to_string(),
                version: openapi,
            });
        };
        check_shape(root, source)?;
        resolve::check_refs(&doc, source)?;
        let version = root
            .get("info")
            .and_then(|i| i.get("version"))
            .map(scalar_text)
            .unwrap_or_default();
        let matcher = Matcher::new(&doc);
        Ok(Spec {
            doc,
            source: source.to_string(),
            version,
            openapi,
            dialect,
            matcher,
        })
    }

    /// Reads a YAML or JSON document from a file (the format is told from the content).
    pub fn load(path: &Path) -> Result<Spec, SpecError> {
        let file = path.display().to_string();
        let io = |source| SpecError::Io {
            file: file.clone(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_FILE_BYTES {
            return Err(SpecError::TooLarge {
                file,
                size,
                max: MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let doc = parse_bytes(&bytes, &file)?;
        Spec::from_value(doc, &file)
    }

    /// Parses YAML or JSON text (told apart by content) and builds a spec from it.
    pub fn from_text(text: &str, source: &str) -> Result<Spec, SpecError> {
        let doc = parse_text(text, source)?;
        Spec::from_value(doc, source)
    }

    /// `info.version` as written (empty when absent).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The `openapi` field as written, e.g. `3.0.3`.
    pub fn openapi_version(&self) -> &str {
        &self.openapi
    }

    /// The schema dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The name given at load time (usually the file).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The whole document.
    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// Every documented operation as `(METHOD, path template)`, in document order.
    pub fn operations(&self) -> Vec<(String, String)> {
        self.matcher.operations()
    }

    /// Finds the operation serving a concrete request: `path` may carry a query string
    /// or be a full URL; server base paths (`servers[].url`) are stripped; concrete paths
    /// win over templated ones (OpenAPI 3.0.3 §4.7.8).
    pub fn find_operation(&self, method: &str, path: &str) -> OperationMatch {
        self.matcher.find(method, path)
    }

    /// The node at a JSON pointer.
    pub(crate) fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }
}

fn openapi_field(root: &Map<String, Value>, source: &str) -> Result<String, SpecError> {
    match root.get("openapi") {
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(scalar_text(v)),
        Some(other) => Err(SpecError::NotOpenApi {
            file: source.to_string(),
            message: format!(
                "the `openapi` field is {}, expected a version string such as \"3.1.0\"",
                kind_of(other)
            ),
        }),
        None if root.contains_key("swagger") => Err(SpecError::NotOpenApi {
            file: source.to_string(),
            message: "this is a swagger 2.0 document; convert it to openapi 3 first".to_string(),
        }),
        None => Err(SpecError::NotOpenApi {
            file: source.to_string(),
            message: "missing `openapi` field (expected e.g. `openapi: 3.1.0` at the top level)"
                .to_string(),
        }),
    }
}

/// Checks the containers every walker relies on: `paths`, its path items and
/// operations, and `components` with its maps are objects.
fn check_shape(root: &Map<String, Value>, source: &str) -> Result<(), SpecError> {
    let invalid = |pointer: String, message: String| SpecError::Invalid {
        file: source.to_string(),
        pointer,
        message,
    };
    if let Some(paths) = root.get("paths") {
        let Some(paths) = paths.as_object() else {
            return Err(invalid(
                "/paths".into(),
                format!("expected an object of path items, found {}", kind_of(paths)),
            ));
        };
        for (template, item) in paths {
            if template.starts_with("x-") {
                continue;
            }
            let at = crate::pointer::join("/paths", template);
            if !template.starts_with('/') {
                return Err(invalid(
                    at,
                    format!("path '{template}' must begin with '/'"),
                ));
            }
            let Some(item) = item.as_object() else {
                return Err(invalid(
                    at,
                    format!("expected a path item object, found {}", kind_of(item)),
                ));
            };
            for method in crate::matcher::METHODS {
                if let Some(op) = item.get(method) {
                    if !op.is_object() {
                        return Err(invalid(
                            crate::pointer::join(&at, method),
                            format!("expected an operation object, found {}", kind_of(op)),
                        ));
                    }
                }
            }
        }
    }
    if let Some(components) = root.get("components") {
        let Some(components) = components.as_object() else {
            return Err(invalid(
                "/components".into(),
                format!("expected an object, found {}", kind_of(components)),
            ));
        };
        for (name, map) in components {
            if !name.starts_with("x-") && !map.is_object() {
                return Err(invalid(
                    crate::pointer::join("/components", name),
                    format!("expected an object, found {}", kind_of(map)),
                ));
            }
        }
    }
    Ok(())
}

/// Parses bytes as UTF-8 YAML or JSON.
pub(crate) fn parse_bytes(bytes: &[u8], file: &str) -> Result<Value, SpecError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SpecError::Encoding {
        file: file.to_string(),
        offset: e.valid_up_to(),
    })?;
    parse_text(text, file)
}

/// Parses text as JSON when it starts with `{`, as YAML otherwise.
pub(crate) fn parse_text(text: &str, file: &str) -> Result<Value, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| SpecError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        });
    }
    let yaml_error = |e: serde_yaml_ng::Error| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        SpecError::Yaml {
            file: file.to_string(),
            line,
            column,
            message: strip_position(&e.to_string()),
        }
    };
    let mut yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(yaml_error)?;
    yaml.apply_merge().map_err(yaml_error)?;
    yaml_to_json(yaml, file, "")
}

/// Drops the " at line X column Y" parsers put in their messages (the position is
/// reported on its own).
fn strip_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let line_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let tail = &after[line_end..];
        let skipped = match tail.strip_prefix(" column ") {
            Some(col) => {
                let col_end = col.find(|c: char| !c.is_ascii_digit()).unwrap_or(col.len());
                &col[col_end..]
            }
            None => tail,
        };
        rest = skipped;
    }
    out.push_str(rest);
    out
}

fn yaml_to_json(value: serde_yaml_ng::Value, file: &str, at: &str) -> Result<Value, SpecError> {
    use serde_yaml_ng::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => yaml_number(&n, file, at)?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(yaml_to_json(item, file, &format!("{at}/{i}"))?);
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        return Err(SpecError::Invalid {
                            file: file.to_string(),
                            pointer: if at.is_empty() { "/".into() } else { at.into() },
                            message: format!(
                                "mapping key is a {}, expected a string",
                                match other {
                                    Y::Sequence(_) => "sequence",
                                    Y::Mapping(_) => "mapping",
                                    _ => "tagged value",
                                }
                            ),
                        })
                    }
                };
                let child = crate::pointer::join(at, &key);
                let converted = yaml_to_json(v, file, &child)?;
                out.insert(key, converted);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, file, at)?,
    })
}

fn yaml_number(n: &serde_yaml_ng::Number, file: &str, at: &str) -> Result<Value, SpecError> {
    if let Some(u) = n.as_u64() {
        return Ok(Value::from(u));
    }
    if let Some(i) = n.as_i64() {
        return Ok(Value::from(i));
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| SpecError::Invalid {
            file: file.to_string(),
            pointer: if at.is_empty() { "/".into() } else { at.into() },
            message: format!("number {n} cannot be represented in json"),
        })
}

/// A scalar as text: strings as is, numbers and booleans printed.
pub(crate) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(_) | Value::Bool(_) => v.to_string(),
        _ => String::new(),
    }
}

/// "an object", "a string", ... for messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_keys_become_strings() {
        let doc = parse_text("responses:\n  200:\n    description: ok\n", "t.yaml").unwrap();
        assert!(doc["responses"]["200"].is_object());
    }

    #[test]
    fn yaml_merge_keys_are_applied() {
        let text = "base: &b\n  type: string\nother:\n  <<: *b\n  format: uuid\n";
        let doc = parse_text(text, "t.yaml").unwrap();
        assert_eq!(doc["other"]["type"], "string");
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = parse_text("{\n  \"openapi\": 3,,\n}", "t.json").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.json:2:"), "{text}");
        assert!(!text.contains(" at line "), "{text}");
    }

    #[test]
    fn positions_are_cut_from_parser_messages() {
        assert_eq!(
            strip_position(
                "did not find expected key at line 11 column 8, while parsing a block mapping"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(
            strip_position("trailing comma at line 5 column 65"),
            "trailing comma"
        );
    }
}
