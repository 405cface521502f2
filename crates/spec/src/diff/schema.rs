//! Direction-aware comparison of two Schema Objects (OpenAPI 3.0.3 §4.7.24, OpenAPI
//! 3.1.0 §4.8.24 / JSON Schema 2020-12 Validation §6).
//!
//! Each side is first flattened into a [`View`]: `$ref`s followed, `allOf` parts merged
//! (properties united, `required` united, the first bound found kept), nullability
//! normalised across dialects (3.0 `nullable: true`, 3.1 `type: [x, "null"]`, and the
//! 3.1 idiom `oneOf: [X, {type: "null"}]` all mean "null allowed"), and 3.0's boolean
//! `exclusiveMinimum` turned into a bound. Two views are then compared keyword by keyword.
//!
//! Properties marked `readOnly` are ignored in requests and `writeOnly` ones in responses
//! (OpenAPI 3.0.3 §4.7.24 "Fixed Fields": a read-only property "SHOULD NOT be sent as part
//! of the request").
//!
//! Recursion and sharing: comparing a pair of schemas (identified by the pointers of their
//! definitions) yields its own findings plus the child pairs to compare next (properties,
//! items, `additionalProperties`, matched `oneOf`/`anyOf` branches). That result is
//! memoised per direction, so a schema shared by a hundred operations is compared once.
//! Each walk (one body, parameter or header) then visits the pair graph breadth-first with
//! its own visited set: a recursive schema terminates because a pair is visited once per
//! walk, every walk sees every reachable change whatever the order of earlier walks, and
//! the field path reported is the shortest one. Each `(rule, pointer)` is reported once per
//! walk.

use super::{by_direction, Ctx, Direction, Finding, Op, Severity};
use crate::load::Dialect;
use crate::pointer;
use crate::resolve::{deref, ref_of, target, Target};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::rc::Rc;

/// Deepest nesting of schemas compared.
const MAX_NEST: usize = 48;
/// Deepest `allOf` / `$ref` flattening.
const MAX_FLATTEN: usize = 32;

/// A node of one document and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub(crate) doc: &'a Value,
    pub(crate) v: &'a Value,
    pub(crate) ptr: String,
}

impl<'a> Node<'a> {
    /// The node as found (no `$ref` followed).
    pub(crate) fn new(doc: &'a Value, v: &'a Value, ptr: String) -> Node<'a> {
        Node { doc, v, ptr }
    }

    /// The node with its `$ref` chain followed.
    pub(crate) fn at(doc: &'a Value, v: &'a Value, ptr: &str) -> Node<'a> {
        let (v, ptr) = deref(doc, v, ptr);
        Node { doc, v, ptr }
    }

    /// A child object with `$ref` followed (for non-schema objects).
    pub(crate) fn child(&self, key: &str) -> Option<Node<'a>> {
        let v = self.v.get(key)?;
        let node = Node::at(self.doc, v, &pointer::join(&self.ptr, key));
        node.v.is_object().then_some(node)
    }

    /// A child as written (for schemas, whose `$ref` siblings may matter).
    pub(crate) fn raw(&self, key: &str) -> Option<Node<'a>> {
        let v = self.v.get(key)?;
        Some(Node::new(self.doc, v, pointer::join(&self.ptr, key)))
    }

    fn flag(&self, key: &str) -> bool {
        if self.v.get(key) == Some(&Value::Bool(true)) {
            return true;
        }
        let (target, _) = deref(self.doc, self.v, &self.ptr);
        target.get(key) == Some(&Value::Bool(true))
    }
}

/// A finding relative to the schema pair it was found in.
#[derive(Debug, Clone)]
pub(crate) struct RelFinding {
    id: &'static str,
    severity: Severity,
    /// Path from the pair's root: `items[].total`.
    field: String,
    pointer: String,
    message: String,
}

/// One comparison of two schemas at a place in an operation.
pub(crate) struct Walk<'o> {
    op: &'o Op,
    direction: Direction,
    /// `response 200 application/json`, `query parameter 'limit'`.
    label: String,
    /// Name of the root in field paths: `body` for bodies, empty for parameters.
    root: &'static str,
}

impl<'o> Walk<'o> {
    /// A walk over a request or response body.
    pub(crate) fn body(op: &'o Op, direction: Direction, label: String) -> Walk<'o> {
        Walk {
            op,
            direction,
            label,
            root: "body",
        }
    }

    /// A walk over a parameter or header value.
    pub(crate) fn value(op: &'o Op, direction: Direction, label: String) -> Walk<'o> {
        Walk {
            op,
            direction,
            label,
            root: "",
        }
    }
}

/// Memo key: direction and the pointers of both definitions.
pub(crate) type PairKey = (Direction, String, String);

/// Compares two schemas and records the findings on the walk's operation.
pub(crate) fn compare_root<'a>(ctx: &mut Ctx<'a>, walk: &Walk<'_>, old: &Node<'a>, new: &Node<'a>) {
    let findings = collect(ctx, walk.direction, old, new);
    let mut seen: HashSet<(&'static str, String)> = HashSet::new();
    for f in findings {
        if !seen.insert((f.id, f.pointer.clone())) {
            continue;
        }
        let field = join_field(walk.root, &f.field);
        let location = if field.is_empty() {
            walk.label.clone()
        } else {
            format!("{} {field}", walk.label)
        };
        ctx.push(
            walk.op,
            Finding {
                id: f.id,
                severity: f.severity,
                direction: Some(walk.direction),
                detail: format!("{location}: {}", f.message),
                location,
                pointer: f.pointer,
            },
        );
    }
}

/// `a` + `b` as a field path: `items` + `[]` → `items[]`, `items[]` + `total` →
/// `items[].total`.
fn join_field(a: &str, b: &str) -> String {
    if a.is_empty() {
        return b.to_string();
    }
    if b.is_empty() {
        return a.to_string();
    }
    if b.starts_with('[') || b.starts_with('<') {
        format!("{a}{b}")
    } else {
        format!("{a}.{b}")
    }
}

/// The memo identity of a schema node: its definition, unless a 3.1 `$ref` carries
/// sibling keywords (then the site itself).
fn identity(node: &Node<'_>) -> String {
    let has_siblings = node
        .v
        .as_object()
        .is_some_and(|m| m.contains_key("$ref") && m.keys().any(|k| !is_annotation(k)));
    if has_siblings {
        node.ptr.clone()
    } else {
        deref(node.doc, node.v, &node.ptr).1
    }
}

fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "$ref"
            | "description"
            | "summary"
            | "title"
            | "$comment"
            | "example"
            | "examples"
            | "externalDocs"
            | "xml"
            | "deprecated"
            | "discriminator"
    ) || key.starts_with("x-")
}

/// What comparing one pair of schemas found: its own findings, and the pairs below it.
#[derive(Debug, Default)]
pub(crate) struct PairResult<'a> {
    local: Vec<RelFinding>,
    /// `(field segment, old, new)`: `name`, `[]`, `{*}` or `<Variant>`.
    children: Vec<(String, Node<'a>, Node<'a>)>,
}

/// All findings reachable from a pair of schemas, with field paths from it.
fn collect<'a>(
    ctx: &mut Ctx<'a>,
    direction: Direction,
    old: &Node<'a>,
    new: &Node<'a>,
) -> Vec<RelFinding> {
    let mut out: Vec<RelFinding> = Vec::new();
    let mut visited: HashSet<PairKey> = HashSet::new();
    let mut queue: VecDeque<(String, Node<'a>, Node<'a>, usize)> = VecDeque::new();
    queue.push_back((String::new(), old.clone(), new.clone(), 0));
    while let Some((field, o, n, depth)) = queue.pop_front() {
        if depth > MAX_NEST || !ctx.step() {
            continue;
        }
        let key: PairKey = (direction, identity(&o), identity(&n));
        if !visited.insert(key.clone()) {
            continue;
        }
        let result = match ctx.memo.get(&key) {
            Some(done) => Rc::clone(done),
            None => {
                let computed = Rc::new(compare_pair(ctx, direction, &o, &n));
                ctx.memo.insert(key, Rc::clone(&computed));
                computed
            }
        };
        for finding in &result.local {
            let mut f = finding.clone();
            f.field = join_field(&field, &f.field);
            out.push(f);
        }
        for (segment, co, cn) in &result.children {
            queue.push_back((
                join_field(&field, segment),
                co.clone(),
                cn.clone(),
                depth + 1,
            ));
        }
    }
    out
}

/// Compares one pair of schemas, without descending.
fn compare_pair<'a>(
    ctx: &mut Ctx<'a>,
    direction: Direction,
    old: &Node<'a>,
    new: &Node<'a>,
) -> PairResult<'a> {
    let (old_dialect, new_dialect) = (ctx.old.dialect(), ctx.new.dialect());
    let old_view = View::build(ctx, old_dialect, old);
    let new_view = View::build(ctx, new_dialect, new);
    let mut result = PairResult::default();
    compare_views(direction, &old_view, &new_view, &mut result);
    result
}

/// A numeric bound: value and exclusivity.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
}

/// A schema flattened for comparison.
#[derive(Debug, Clone, Default)]
struct View<'a> {
    ptr: String,
    never: bool,
    types: Option<BTreeSet<String>>,
    nullable: bool,
    format: Option<String>,
    enum_values: Option<Vec<Value>>,
    props: BTreeMap<String, Node<'a>>,
    required: BTreeSet<String>,
    items: Option<Node<'a>>,
    additional: Option<Node<'a>>,
    limits: BTreeMap<&'static str, f64>,
    minimum: Option<Bound>,
    maximum: Option<Bound>,
    pattern: Option<String>,
    unique_items: bool,
    variant_kind: &'static str,
    variants: Vec<Node<'a>>,
}

const LIMITS: [(&str, bool); 6] = [
    ("maxLength", true),
    ("minLength", false),
    ("maxItems", true),
    ("minItems", false),
    ("maxProperties", true),
    ("minProperties", false),
];

impl<'a> View<'a> {
    fn build(ctx: &mut Ctx<'a>, dialect: Dialect, node: &Node<'a>) -> View<'a> {
        let mut view = View {
            ptr: identity(node),
            ..View::default()
        };
        let mut seen: Vec<String> = Vec::new();
        view.fill(ctx, dialect, node, &mut seen, 0);
        // `{const: "card"}` is as much a string as `{type: string, enum: [card]}`.
        if view.types.is_none() {
            if let Some(values) = view.enum_values.as_ref().filter(|v| !v.is_empty()) {
                view.types = Some(values.iter().map(|v| json_type(v).to_string()).collect());
            }
        }
        view
    }

    /// Merges a schema into this view with `allOf` semantics.
    fn fill(
        &mut self,
        ctx: &mut Ctx<'a>,
        dialect: Dialect,
        node: &Node<'a>,
        seen: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_FLATTEN || !ctx.step() {
            return;
        }
        let map = match node.v {
            Value::Object(map) => map,
            Value::Bool(false) => {
                self.never = true;
                return;
            }
            _ => return,
        };
        if let Some(reference) = ref_of(node.v) {
            if let Target::Local(ptr) = target(reference) {
                if let Some(resolved) = node.doc.pointer(&ptr) {
                    if !seen.contains(&ptr) {
                        seen.push(ptr.clone());
                        let next = Node::new(node.doc, resolved, ptr);
                        self.fill(ctx, dialect, &next, seen, depth + 1);
                        seen.pop();
                    }
                }
            }
            // OpenAPI 3.0.3 §4.7.23: properties next to `$ref` are ignored.
            if dialect == Dialect::V30 {
                return;
            }
        }
        self.keywords(dialect, node, map);
        if let Some(Value::Array(parts)) = map.get("allOf") {
            for (i, part) in parts.iter().enumerate() {
                let at = pointer::join(&pointer::join(&node.ptr, "allOf"), &i.to_string());
                self.fill(
                    ctx,
                    dialect,
                    &Node::new(node.doc, part, at),
                    seen,
                    depth + 1,
                );
            }
        }
        for kind in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = map.get(kind) else {
                continue;
            };
            let base = pointer::join(&node.ptr, kind);
            let mut kept: Vec<Node<'a>> = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                let branch = Node::new(node.doc, branch, pointer::join(&base, &i.to_string()));
                if is_null_schema(&branch) {
                    self.nullable = true;
                } else {
                    kept.push(branch);
                }
            }
            if kept.len() == 1 {
                let only = kept.remove(0);
                self.fill(ctx, dialect, &only, seen, depth + 1);
            } else if self.variants.is_empty() && !kept.is_empty() {
                self.variant_kind = kind;
                self.variants = kept;
            }
        }
    }

    /// Reads the keywords of one schema object (first value wins, sets unite).
    fn keywords(&mut self, dialect: Dialect, node: &Node<'a>, map: &'a Map<String, Value>) {
        if let Some(t) = map.get("type") {
            let mut set: BTreeSet<String> = match t {
                Value::String(s) => [s.clone()].into(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => BTreeSet::new(),
            };
            if set.remove("null") {
                self.nullable = true;
            }
            if !set.is_empty() || matches!(t, Value::String(_)) {
                self.types = Some(match self.types.take() {
                    None => set,
                    Some(prev) => intersect_types(&prev, &set),
                });
            }
        }
        if dialect == Dialect::V30 && map.get("nullable") == Some(&Value::Bool(true)) {
            self.nullable = true;
        }
        if self.format.is_none() {
            // `binary` only says "raw bytes": 3.1 says it with contentMediaType instead, and
            // spells 3.0's `byte` as contentEncoding: base64 (OpenAPI 3.1.0 §4.8.14,
            // "Considerations for File Uploads").
            self.format = match map.get("format").and_then(Value::as_str) {
                Some("binary") | None => None,
                Some(f) => Some(f.to_string()),
            };
            if self.format.is_none()
                && map.get("contentEncoding").and_then(Value::as_str) == Some("base64")
            {
                self.format = Some("byte".to_string());
            }
        }
        if self.enum_values.is_none() {
            if let Some(Value::Array(values)) = map.get("enum") {
                self.enum_values = Some(values.iter().filter(|v| !v.is_null()).cloned().collect());
            } else if let Some(c) = map.get("const").filter(|c| !c.is_null()) {
                self.enum_values = Some(vec![c.clone()]);
            }
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            let base = pointer::join(&node.ptr, "properties");
            for (name, schema) in props {
                self.props
                    .entry(name.clone())
                    .or_insert_with(|| Node::new(node.doc, schema, pointer::join(&base, name)));
            }
        }
        if let Some(Value::Array(names)) = map.get("required") {
            self.required
                .extend(names.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if self.items.is_none() {
            if let Some(items) = map.get("items").filter(|i| i.is_object() || i.is_boolean()) {
                self.items = Some(Node::new(
                    node.doc,
                    items,
                    pointer::join(&node.ptr, "items"),
                ));
            }
        }
        if self.additional.is_none() {
            if let Some(extra) = map.get("additionalProperties") {
                self.additional = Some(Node::new(
                    node.doc,
                    extra,
                    pointer::join(&node.ptr, "additionalProperties"),
                ));
            }
        }
        for (key, _) in LIMITS {
            if let Some(n) = map.get(key).and_then(Value::as_f64) {
                self.limits.entry(key).or_insert(n);
            }
        }
        if let Some(n) = map.get("multipleOf").and_then(Value::as_f64) {
            self.limits.entry("multipleOf").or_insert(n);
        }
        let (lower, upper) = bounds(map);
        if self.minimum.is_none() {
            self.minimum = lower;
        }
        if self.maximum.is_none() {
            self.maximum = upper;
        }
        if self.pattern.is_none() {
            self.pattern = map
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        if map.get("uniqueItems") == Some(&Value::Bool(true)) {
            self.unique_items = true;
        }
    }

    fn may_be(&self, t: &str) -> bool {
        self.types
            .as_ref()
            .is_none_or(|set| set.contains(t) || (t == "integer" && set.contains("number")))
    }

    /// `additionalProperties: false`.
    fn closed(&self) -> bool {
        self.additional
            .as_ref()
            .is_some_and(|n| n.v == &Value::Bool(false))
    }
}

/// Lower and upper numeric bounds of a schema, across both dialects.
fn bounds(map: &Map<String, Value>) -> (Option<Bound>, Option<Bound>) {
    let pick = |plain: &str, exclusive: &str, higher_is_tighter: bool| -> Option<Bound> {
        let inclusive = map.get(plain).and_then(Value::as_f64);
        let mut candidates: Vec<Bound> = Vec::new();
        match map.get(exclusive) {
            // 3.0: a flag on the plain bound.
            Some(Value::Bool(true)) => {
                if let Some(v) = inclusive {
                    candidates.push(Bound {
                        value: v,
                        exclusive: true,
                    });
                }
            }
            // 3.1: a bound of its own.
            Some(Value::Number(n)) => {
                if let Some(v) = inclusive {
                    candidates.push(Bound {
                        value: v,
                        exclusive: false,
                    });
                }
                if let Some(v) = n.as_f64() {
                    candidates.push(Bound {
                        value: v,
                        exclusive: true,
                    });
                }
            }
            _ => {
                if let Some(v) = inclusive {
                    candidates.push(Bound {
                        value: v,
                        exclusive: false,
                    });
                }
            }
        }
        candidates.into_iter().reduce(|a, b| {
            if tighter(b, a, higher_is_tighter) {
                b
            } else {
                a
            }
        })
    };
    (
        pick("minimum", "exclusiveMinimum", true),
        pick("maximum", "exclusiveMaximum", false),
    )
}

/// True when `a` admits strictly fewer values than `b`.
fn tighter(a: Bound, b: Bound, higher_is_tighter: bool) -> bool {
    if a.value == b.value {
        return a.exclusive && !b.exclusive;
    }
    (a.value > b.value) == higher_is_tighter
}

fn intersect_types(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in a {
        if b.contains(t) {
            out.insert(t.clone());
        } else if (t == "number" && b.contains("integer"))
            || (t == "integer" && b.contains("number"))
        {
            out.insert("integer".to_string());
        }
    }
    out
}

/// `{type: "null"}`, `{type: ["null"]}`, `{enum: [null]}` or `{const: null}`.
fn is_null_schema(node: &Node<'_>) -> bool {
    let (v, _) = deref(node.doc, node.v, &node.ptr);
    let Some(map) = v.as_object() else {
        return false;
    };
    match map.get("type") {
        Some(Value::String(t)) => return t == "null",
        Some(Value::Array(items)) => return items.len() == 1 && items[0] == "null",
        _ => {}
    }
    if let Some(Value::Array(items)) = map.get("enum") {
        return items.len() == 1 && items[0].is_null();
    }
    map.get("const") == Some(&Value::Null)
}

/// The JSON Schema type of a value.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Does `a` accept every type `b` accepts (`None` is "any type")?
fn covers(a: &Option<BTreeSet<String>>, b: &Option<BTreeSet<String>>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => b
            .iter()
            .all(|t| a.contains(t) || (t == "integer" && a.contains("number"))),
    }
}

fn overlaps(a: &Option<BTreeSet<String>>, b: &Option<BTreeSet<String>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !intersect_types(a, b).is_empty(),
        _ => true,
    }
}

fn type_text(types: &Option<BTreeSet<String>>) -> String {
    match types {
        None => "any".to_string(),
        Some(set) if set.is_empty() => "none".to_string(),
        Some(set) => set.iter().cloned().collect::<Vec<_>>().join(" | "),
    }
}

/// Prints a number without a useless `.0`.
fn num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn bound_text(b: Bound, lower: bool) -> String {
    let op = match (lower, b.exclusive) {
        (true, false) => ">=",
        (true, true) => ">",
        (false, false) => "<=",
        (false, true) => "<",
    };
    format!("{op} {}", num(b.value))
}

struct Out<'v, 'a> {
    direction: Direction,
    list: &'v mut Vec<RelFinding>,
    children: &'v mut Vec<(String, Node<'a>, Node<'a>)>,
}

impl<'a> Out<'_, 'a> {
    fn push(
        &mut self,
        id: &'static str,
        request: Severity,
        response: Severity,
        field: &str,
        pointer: String,
        message: String,
    ) {
        self.list.push(RelFinding {
            id,
            severity: by_direction(self.direction, request, response),
            field: field.to_string(),
            pointer,
            message,
        });
    }

    /// Queues a pair below this one.
    fn child(&mut self, segment: &str, old: &Node<'a>, new: &Node<'a>) {
        self.children
            .push((segment.to_string(), old.clone(), new.clone()));
    }
}

fn compare_views<'a>(
    direction: Direction,
    old: &View<'a>,
    new: &View<'a>,
    result: &mut PairResult<'a>,
) {
    use Severity::{Breaking as B, Info as I};
    let mut out = Out {
        direction,
        list: &mut result.local,
        children: &mut result.children,
    };
    if old.never || new.never {
        if old.never != new.never {
            let (sev_req, sev_resp) = if new.never { (B, I) } else { (I, B) };
            out.push(
                "type-changed",
                sev_req,
                sev_resp,
                "",
                new.ptr.clone(),
                format!(
                    "schema changed from {} to {}",
                    if old.never {
                        "false (nothing)"
                    } else {
                        "a schema"
                    },
                    if new.never {
                        "false (nothing)"
                    } else {
                        "a schema"
                    }
                ),
            );
        }
        return;
    }
    if old.nullable && !new.nullable {
        out.push(
            "nullable-removed",
            B,
            I,
            "",
            new.ptr.clone(),
            "null is no longer allowed".into(),
        );
    } else if !old.nullable && new.nullable {
        out.push(
            "nullable-added",
            I,
            B,
            "",
            new.ptr.clone(),
            "null is now allowed".into(),
        );
    }
    if old.types != new.types {
        let compatible = match direction {
            Direction::Request => covers(&new.types, &old.types),
            Direction::Response => covers(&old.types, &new.types),
        };
        let severity = if compatible { I } else { B };
        out.push(
            "type-changed",
            severity,
            severity,
            "",
            pointer::join(&new.ptr, "type"),
            format!(
                "type changed from {} to {}",
                type_text(&old.types),
                type_text(&new.types)
            ),
        );
        if !overlaps(&old.types, &new.types) {
            return;
        }
    }
    compare_format(&mut out, old, new);
    compare_enum(&mut out, old, new);
    compare_limits(&mut out, old, new);
    if old.may_be("object") && new.may_be("object") {
        compare_properties(&mut out, old, new);
        if let (Some(o), Some(n)) = (&old.additional, &new.additional) {
            if o.v.is_object() && n.v.is_object() {
                out.child("{*}", o, n);
            }
        }
    }
    if old.may_be("array") && new.may_be("array") {
        if let (Some(o), Some(n)) = (&old.items, &new.items) {
            out.child("[]", o, n);
        }
    }
    compare_variants(&mut out, old, new);
}

fn compare_format(out: &mut Out<'_, '_>, old: &View<'_>, new: &View<'_>) {
    use Severity::{Breaking as B, Info as I, Warning as W};
    let widens = |from: &str, to: &str| {
        matches!(
            (from, to),
            ("int32", "int64") | ("float", "double") | ("int32", "double") | ("int64", "double")
        )
    };
    let ptr = pointer::join(&new.ptr, "format");
    match (&old.format, &new.format) {
        (None, Some(f)) => out.push(
            "format-changed",
            W,
            I,
            "",
            ptr,
            format!("format {f} was added"),
        ),
        (Some(f), None) => out.push(
            "format-changed",
            I,
            W,
            "",
            pointer::join(&old.ptr, "format"),
            format!("format {f} was removed"),
        ),
        (Some(a), Some(b)) if a != b => {
            let (req, resp) = if widens(a, b) {
                (I, B)
            } else if widens(b, a) {
                (B, I)
            } else {
                (B, B)
            };
            out.push(
                "format-changed",
                req,
                resp,
                "",
                ptr,
                format!("format changed from {a} to {b}"),
            );
        }
        _ => {}
    }
}

fn compare_enum(out: &mut Out<'_, '_>, old: &View<'_>, new: &View<'_>) {
    use Severity::{Breaking as B, Info as I, Warning as W};
    let ptr = pointer::join(&new.ptr, "enum");
    match (&old.enum_values, &new.enum_values) {
        (Some(a), Some(b)) => {
            let mut removed: Vec<String> = a
                .iter()
                .filter(|v| !b.contains(v))
                .map(Value::to_string)
                .collect();
            let mut added: Vec<String> = b
                .iter()
                .filter(|v| !a.contains(v))
                .map(Value::to_string)
                .collect();
            removed.sort();
            added.sort();
            for value in removed {
                out.push(
                    "enum-value-removed",
                    B,
                    I,
                    "",
                    ptr.clone(),
                    format!("enum value {value} was removed"),
                );
            }
            for value in added {
                out.push(
                    "enum-value-added",
                    I,
                    B,
                    "",
                    ptr.clone(),
                    format!("enum value {value} was added"),
                );
            }
        }
        (None, Some(b)) => out.push(
            "constraint-narrowed",
            B,
            I,
            "",
            ptr,
            format!("enum {} was added", Value::Array(b.clone())),
        ),
        (Some(_), None) => out.push(
            "constraint-widened",
            I,
            W,
            "",
            pointer::join(&old.ptr, "enum"),
            "enum was removed: any value of the type is now allowed".into(),
        ),
        (None, None) => {}
    }
}

fn compare_limits(out: &mut Out<'_, '_>, old: &View<'_>, new: &View<'_>) {
    use Severity::{Breaking as B, Info as I, Warning as W};
    let narrowed = |out: &mut Out<'_, '_>, ptr: String, message: String| {
        out.push("constraint-narrowed", B, I, "", ptr, message);
    };
    let widened = |out: &mut Out<'_, '_>, ptr: String, message: String| {
        out.push("constraint-widened", I, W, "", ptr, message);
    };
    for (key, is_upper) in LIMITS {
        let ptr = pointer::join(&new.ptr, key);
        let old_ptr = pointer::join(&old.ptr, key);
        let (a, b) = (old.limits.get(key).copied(), new.limits.get(key).copied());
        // An absent lower limit is 0; an absent upper limit is unbounded.
        let a = if is_upper { a } else { a.or(Some(0.0)) };
        let b = if is_upper { b } else { b.or(Some(0.0)) };
        match (a, b) {
            (None, Some(v)) => narrowed(out, ptr, format!("{key} {} was added", num(v))),
            (Some(v), None) => widened(out, old_ptr, format!("{key} {} was removed", num(v))),
            (Some(x), Some(y)) if x != y => {
                let narrower = if is_upper { y < x } else { y > x };
                let verb = if y < x { "decreased" } else { "increased" };
                let message = format!("{key} {verb} from {} to {}", num(x), num(y));
                if narrower {
                    narrowed(out, ptr, message);
                } else {
                    widened(out, ptr, message);
                }
            }
            _ => {}
        }
    }
    for (lower, a, b, key) in [
        (true, old.minimum, new.minimum, "minimum"),
        (false, old.maximum, new.maximum, "maximum"),
    ] {
        let ptr = pointer::join(&new.ptr, key);
        match (a, b) {
            (None, Some(y)) => narrowed(
                out,
                ptr,
                format!("bound {} was added", bound_text(y, lower)),
            ),
            (Some(x), None) => widened(
                out,
                pointer::join(&old.ptr, key),
                format!("bound {} was removed", bound_text(x, lower)),
            ),
            (Some(x), Some(y)) if x != y => {
                let message = format!(
                    "{key} changed from {} to {}",
                    bound_text(x, lower),
                    bound_text(y, lower)
                );
                if tighter(y, x, lower) {
                    narrowed(out, ptr, message);
                } else {
                    widened(out, ptr, message);
                }
            }
            _ => {}
        }
    }
    let ptr = pointer::join(&new.ptr, "multipleOf");
    match (old.limits.get("multipleOf"), new.limits.get("multipleOf")) {
        (None, Some(y)) => narrowed(out, ptr, format!("multipleOf {} was added", num(*y))),
        (Some(x), None) => widened(out, ptr, format!("multipleOf {} was removed", num(*x))),
        (Some(x), Some(y)) if x != y => {
            let message = format!("multipleOf changed from {} to {}", num(*x), num(*y));
            // A multiple of the old step is still accepted; anything else narrows.
            if *y != 0.0 && (x / y).fract() == 0.0 {
                widened(out, ptr, message);
            } else {
                narrowed(out, ptr, message);
            }
        }
        _ => {}
    }
    if !old.unique_items && new.unique_items {
        narrowed(
            out,
            pointer::join(&new.ptr, "uniqueItems"),
            "uniqueItems was added".into(),
        );
    } else if old.unique_items && !new.unique_items {
        widened(
            out,
            pointer::join(&new.ptr, "uniqueItems"),
            "uniqueItems was removed".into(),
        );
    }
    if !old.closed() && new.closed() {
        narrowed(
            out,
            pointer::join(&new.ptr, "additionalProperties"),
            "additionalProperties: false was added (unknown properties are now rejected)".into(),
        );
    } else if old.closed() && !new.closed() {
        widened(
            out,
            pointer::join(&new.ptr, "additionalProperties"),
            "additionalProperties: false was removed (unknown properties are now allowed)".into(),
        );
    }
    let ptr = pointer::join(&new.ptr, "pattern");
    match (&old.pattern, &new.pattern) {
        (None, Some(p)) => narrowed(out, ptr, format!("pattern /{p}/ was added")),
        (Some(p), None) => widened(
            out,
            pointer::join(&old.ptr, "pattern"),
            format!("pattern /{p}/ was removed"),
        ),
        (Some(a), Some(b)) if a != b => out.push(
            "pattern-changed",
            B,
            W,
            "",
            ptr,
            format!("pattern changed from /{a}/ to /{b}/"),
        ),
        _ => {}
    }
}

/// Type (without null) and format of a property, to spot renames across spellings.
fn signature(node: &Node<'_>) -> (Vec<String>, String) {
    let (v, _) = deref(node.doc, node.v, &node.ptr);
    let mut types: Vec<String> = match v.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    types.retain(|t| t != "null");
    types.sort();
    let format = v
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    (types, format)
}

fn compare_properties<'a>(out: &mut Out<'_, 'a>, old: &View<'a>, new: &View<'a>) {
    use Severity::{Breaking as B, Info as I, Warning as W};
    let direction = out.direction;
    // Properties a side never carries in this direction.
    let hidden = |node: &Node<'_>| match direction {
        Direction::Request => node.flag("readOnly"),
        Direction::Response => node.flag("writeOnly"),
    };
    let added: Vec<(&String, &Node<'a>)> = new
        .props
        .iter()
        .filter(|(name, node)| !old.props.contains_key(*name) && !hidden(node))
        .collect();
    for (name, old_node) in &old.props {
        if hidden(old_node) {
            continue;
        }
        match new.props.get(name) {
            None => {
                let sig = signature(old_node);
                let renamed: Vec<&str> = added
                    .iter()
                    .filter(|(_, n)| signature(n) == sig)
                    .map(|(k, _)| k.as_str())
                    .collect();
                let hint = match renamed.as_slice() {
                    [] => String::new(),
                    [one] => format!(" (possibly renamed to '{one}': same type)"),
                    many => format!(
                        " (possibly renamed to one of {}: same type)",
                        many.iter()
                            .map(|m| format!("'{m}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(
                    "property-removed",
                    W,
                    B,
                    name,
                    old_node.ptr.clone(),
                    format!("property '{name}' was removed{hint}"),
                );
            }
            Some(new_node) => {
                if hidden(new_node) {
                    continue;
                }
                let was = old.required.contains(name);
                let is = new.required.contains(name);
                if is && !was {
                    out.push(
                        "property-became-required",
                        B,
                        I,
                        name,
                        new_node.ptr.clone(),
                        format!("property '{name}' became required"),
                    );
                } else if was && !is {
                    out.push(
                        "property-became-optional",
                        I,
                        B,
                        name,
                        new_node.ptr.clone(),
                        format!("property '{name}' became optional"),
                    );
                }
                out.child(name, old_node, new_node);
            }
        }
    }
    for (name, node) in added {
        if new.required.contains(name) {
            out.push(
                "required-property-added",
                B,
                I,
                name,
                node.ptr.clone(),
                format!("required property '{name}' was added"),
            );
        } else {
            out.push(
                "property-added",
                I,
                I,
                name,
                node.ptr.clone(),
                format!("optional property '{name}' was added"),
            );
        }
    }
    // Required names without a property definition on either side.
    for name in new.required.difference(&old.required) {
        if !old.props.contains_key(name) && !new.props.contains_key(name) {
            out.push(
                "required-property-added",
                B,
                I,
                name,
                pointer::join(&new.ptr, "required"),
                format!("property '{name}' is now required"),
            );
        }
    }
}

/// The name of a `oneOf`/`anyOf` branch: its title, or the name of its `$ref`.
fn variant_name(node: &Node<'_>) -> Option<String> {
    if let Some(reference) = ref_of(node.v) {
        return Some(pointer::last_token(reference));
    }
    node.v
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn compare_variants<'a>(out: &mut Out<'_, 'a>, old: &View<'a>, new: &View<'a>) {
    use Severity::{Breaking as B, Info as I};
    if old.variants.is_empty() && new.variants.is_empty() {
        return;
    }
    let kind = if new.variant_kind.is_empty() {
        old.variant_kind
    } else {
        new.variant_kind
    };
    let old_list = old.variants.clone();
    let new_list = new.variants.clone();
    if old_list.is_empty() || new_list.is_empty() {
        // A `oneOf` appeared or disappeared: report it as a variant change of the whole.
        let (id, req, resp, message) = if old_list.is_empty() {
            (
                "variant-added",
                I,
                B,
                format!("the schema became a {kind} of {} variants", new_list.len()),
            )
        } else {
            (
                "variant-removed",
                B,
                I,
                format!(
                    "the {kind} of {} variants was replaced by a single schema",
                    old_list.len()
                ),
            )
        };
        out.push(id, req, resp, "", new.ptr.clone(), message);
        return;
    }
    let names_old: Vec<Option<String>> = old_list.iter().map(variant_name).collect();
    let names_new: Vec<Option<String>> = new_list.iter().map(variant_name).collect();
    let unique = |names: &Vec<Option<String>>| {
        let set: BTreeSet<&Option<String>> = names.iter().collect();
        set.len() == names.len() && names.iter().all(Option::is_some)
    };
    let by_name = unique(&names_old) && unique(&names_new);
    let key = |names: &Vec<Option<String>>, i: usize| -> String {
        if by_name {
            names[i].clone().unwrap_or_default()
        } else {
            format!("#{i}")
        }
    };
    let old_keys: Vec<String> = (0..old_list.len()).map(|i| key(&names_old, i)).collect();
    let new_keys: Vec<String> = (0..new_list.len()).map(|i| key(&names_new, i)).collect();
    for (i, k) in old_keys.iter().enumerate() {
        match new_keys.iter().position(|n| n == k) {
            None => out.push(
                "variant-removed",
                B,
                I,
                "",
                old_list[i].ptr.clone(),
                format!("{kind} variant {k} was removed"),
            ),
            Some(j) => {
                out.child(&format!("<{k}>"), &old_list[i], &new_list[j]);
            }
        }
    }
    for (j, k) in new_keys.iter().enumerate() {
        if !old_keys.contains(k) {
            out.push(
                "variant-added",
                I,
                B,
                "",
                new_list[j].ptr.clone(),
                format!("{kind} variant {k} was added"),
            );
        }
    }
}
