//! Mapping a concrete request (`GET /v1/orders/7?x=1`) onto a documented operation
//! (`GET /orders/{id}`).
//!
//! Follows OpenAPI 3.0.3 §4.7.8 "Paths Object": a path template's `{name}` expressions
//! match one path segment (or part of one: `/files/{name}.{ext}`), and "when matching
//! URLs, concrete (non-templated) paths would be matched before their templated
//! counterparts". The server URLs of §4.7.5 "Server Object" give base paths
//! (`https://api.example.com/v1` → `/v1`, with `{variables}` replaced by their defaults)
//! that are stripped before matching; a request that carries no base path still matches.
//!
//! A path that matches some template but none with the request's method is told apart
//! from a path that matches nothing: *method not allowed* and *unknown route* point at
//! different mistakes.

use crate::pointer;
use crate::resolve::deref;
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;

/// The operation keys of a Path Item Object (OpenAPI 3.0.3 §4.7.9).
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A documented operation that serves a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRef {
    /// The method, upper case (`GET`).
    pub method: String,
    /// The path template as written in the document (`/orders/{id}`).
    pub template: String,
    /// JSON pointer of the Operation Object (`/paths/~1orders~1{id}/get`; inside
    /// `components/pathItems` when the path item is a `$ref`).
    pub pointer: String,
    /// Path parameter values taken from the request path, by name.
    pub path_params: BTreeMap<String, String>,
}

/// The outcome of [`crate::Spec::find_operation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationMatch {
    /// An operation serves the request.
    Found(OperationRef),
    /// The path is documented, but not for this method.
    MethodNotAllowed {
        /// The most specific matching path template.
        template: String,
        /// The documented methods of every matching template, upper case, sorted.
        allowed: Vec<String>,
    },
    /// No documented path matches.
    UnknownRoute,
}

#[derive(Debug, Clone)]
struct Route {
    template: String,
    /// Pointer of the Path Item Object, `$ref` followed.
    item: String,
    regex: Regex,
    names: Vec<String>,
    /// Literal characters outside `{}`: more is more specific.
    literal_chars: usize,
    /// Segments without any template expression.
    literal_segments: usize,
    methods: Vec<&'static str>,
}

/// The compiled routes and base paths of one document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    routes: Vec<Route>,
    bases: Vec<String>,
}

impl Matcher {
    pub(crate) fn new(doc: &Value) -> Matcher {
        let mut routes = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (template, item) in paths {
                if !template.starts_with('/') {
                    continue;
                }
                let (item, item_ptr) = deref(doc, item, &pointer::join("/paths", template));
                let methods: Vec<&'static str> = METHODS
                    .into_iter()
                    .filter(|m| item.get(*m).is_some_and(Value::is_object))
                    .collect();
                if let Some(route) = compile(template, item_ptr, methods) {
                    routes.push(route);
                }
            }
        }
        // Most specific first; the template text breaks ties so the order never
        // depends on the document's key order.
        routes.sort_by(|a, b| {
            b.literal_segments
                .cmp(&a.literal_segments)
                .then(b.literal_chars.cmp(&a.literal_chars))
                .then(a.names.len().cmp(&b.names.len()))
                .then(a.template.cmp(&b.template))
        });
        Matcher {
            routes,
            bases: base_paths(doc),
        }
    }

    pub(crate) fn operations(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .routes
            .iter()
            .flat_map(|r| {
                r.methods
                    .iter()
                    .map(|m| (m.to_ascii_uppercase(), r.template.clone()))
            })
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        out
    }

    pub(crate) fn find(&self, method: &str, raw_path: &str) -> OperationMatch {
        let method = method.trim().to_ascii_lowercase();
        let path = request_path(raw_path);
        let mut not_allowed: Option<OperationMatch> = None;
        for base in &self.bases {
            let Some(rest) = strip_base(&path, base) else {
                continue;
            };
            match self.find_in(&method, &rest) {
                found @ OperationMatch::Found(_) => return found,
                other @ OperationMatch::MethodNotAllowed { .. } => {
                    not_allowed.get_or_insert(other);
                }
                OperationMatch::UnknownRoute => {}
            }
        }
        not_allowed.unwrap_or(OperationMatch::UnknownRoute)
    }

    fn find_in(&self, method: &str, path: &str) -> OperationMatch {
        let mut first_match: Option<&Route> = None;
        let mut allowed: Vec<String> = Vec::new();
        for route in &self.routes {
            let Some(captures) = route.regex.captures(path) else {
                continue;
            };
            first_match.get_or_insert(route);
            if let Some(m) = route.methods.iter().find(|m| **m == method) {
                let mut path_params = BTreeMap::new();
                for (i, name) in route.names.iter().enumerate() {
                    if let Some(value) = captures.get(i + 1) {
                        path_params.insert(name.clone(), pointer::percent_decode(value.as_str()));
                    }
                }
                return OperationMatch::Found(OperationRef {
                    method: m.to_ascii_uppercase(),
                    template: route.template.clone(),
                    pointer: pointer::join(&route.item, m),
                    path_params,
                });
            }
            allowed.extend(route.methods.iter().map(|m| m.to_ascii_uppercase()));
        }
        match first_match {
            Some(route) => {
                allowed.sort();
                allowed.dedup();
                OperationMatch::MethodNotAllowed {
                    template: route.template.clone(),
                    allowed,
                }
            }
            None => OperationMatch::UnknownRoute,
        }
    }
}

/// Compiles a template into an anchored regex; `None` for a malformed template.
fn compile(template: &str, item: String, methods: Vec<&'static str>) -> Option<Route> {
    let trimmed = trim_slash(template);
    let mut pattern = String::from("^");
    let mut names = Vec::new();
    let mut literal_chars = 0;
    let mut rest = trimmed;
    while let Some(open) = rest.find('{') {
        let literal = &rest[..open];
        literal_chars += literal.len();
        pattern.push_str(&regex::escape(literal));
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        names.push(after[..close].to_string());
        pattern.push_str("([^/]+?)");
        rest = &after[close + 1..];
    }
    literal_chars += rest.len();
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    let literal_segments = trimmed
        .split('/')
        .filter(|s| !s.is_empty() && !s.contains('{'))
        .count();
    let regex = Regex::new(&pattern).ok()?;
    Some(Route {
        template: template.to_string(),
        item,
        regex,
        names,
        literal_chars,
        literal_segments,
        methods,
    })
}

/// The path part of a request target: scheme and authority, query and fragment removed,
/// trailing slash trimmed.
fn request_path(raw: &str) -> String {
    let mut path = raw.trim();
    if let Some(i) = path.find(['?', '#']) {
        path = &path[..i];
    }
    if let Some(after_scheme) = path.find("://").map(|i| &path[i + 3..]) {
        path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    }
    let trimmed = trim_slash(path);
    if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

fn trim_slash(path: &str) -> &str {
    if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    }
}

/// `path` without the base path, or `None` when it does not start with it.
fn strip_base(path: &str, base: &str) -> Option<String> {
    if base.is_empty() {
        return Some(path.to_string());
    }
    let rest = path.strip_prefix(base)?;
    if rest.is_empty() {
        Some("/".to_string())
    } else if rest.starts_with('/') {
        Some(rest.to_string())
    } else {
        None
    }
}

/// Base paths of `servers[].url`, longest first, always ending with `""` (no base).
fn base_paths(doc: &Value) -> Vec<String> {
    let mut bases: Vec<String> = Vec::new();
    if let Some(servers) = doc.get("servers").and_then(Value::as_array) {
        for server in servers {
            let Some(url) = server.get("url").and_then(Value::as_str) else {
                continue;
            };
            let url = substitute_variables(url, server.get("variables"));
            let path = match url.find("://") {
                Some(i) => {
                    let after = &url[i + 3..];
                    after.find('/').map_or("", |j| &after[j..])
                }
                None => url.as_str(),
            };
            let path = path.split(['?', '#']).next().unwrap_or("");
            let path = path.trim_end_matches('/');
            if path.starts_with('/') && !bases.iter().any(|b| b == path) {
                bases.push(path.to_string());
            }
        }
    }
    bases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    bases.push(String::new());
    bases
}

/// Replaces `{name}` in a server URL with the variable's default.
fn substitute_variables(url: &str, variables: Option<&Value>) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        let default = variables
            .and_then(|v| v.get(name))
            .and_then(|v| v.get("default"))
            .and_then(Value::as_str)
            .unwrap_or("");
        out.push_str(default);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matcher() -> Matcher {
        Matcher::new(&json!({
            "servers": [{"url": "https://{region}.example.com/{base}",
                         "variables": {"region": {"default": "eu"}, "base": {"default": "v1"}}}],
            "paths": {
                "/orders/{id}": {"get": {}, "delete": {}},
                "/orders/special": {"get": {}},
                "/files/{name}.{ext}": {"get": {}}
            }
        }))
    }

    #[test]
    fn concrete_paths_win_and_bases_are_stripped() {
        let m = matcher();
        let OperationMatch::Found(op) = m.find("get", "/v1/orders/special") else {
            panic!("not found");
        };
        assert_eq!(op.template, "/orders/special");
        let OperationMatch::Found(op) = m.find("DELETE", "https://x/v1/orders/special?x=1") else {
            panic!("not found");
        };
        assert_eq!(op.template, "/orders/{id}");
        assert_eq!(op.path_params["id"], "special");
        let OperationMatch::Found(op) = m.find("GET", "/files/report.pdf") else {
            panic!("not found");
        };
        assert_eq!(op.path_params["name"], "report");
        assert_eq!(op.path_params["ext"], "pdf");
    }

    #[test]
    fn method_not_allowed_is_not_unknown_route() {
        let m = matcher();
        assert_eq!(
            m.find("POST", "/orders/7"),
            OperationMatch::MethodNotAllowed {
                template: "/orders/{id}".into(),
                allowed: vec!["DELETE".into(), "GET".into()]
            }
        );
        assert_eq!(m.find("GET", "/customers/7"), OperationMatch::UnknownRoute);
        assert_eq!(
            m.find("GET", "/orders/7/items"),
            OperationMatch::UnknownRoute
        );
    }

    #[test]
    fn path_items_behind_refs_are_followed() {
        let m = Matcher::new(&json!({
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": {"get": {}}}}
        }));
        let OperationMatch::Found(op) = m.find("GET", "/a") else {
            panic!("not found");
        };
        assert_eq!(op.pointer, "/components/pathItems/A/get");
    }
}
