//! Property tests: `Spec::from_value`, `diff`, `check` and the renderers never panic or
//! hang on arbitrary small documents, and a document compared with itself is unchanged.
//! The generator favours OpenAPI keywords so that most documents get past loading and
//! exercise the walkers rather than the first validation step.

use apitriage_model::Exchange;
use apitriage_spec::{check, diff, render_check, render_diff, Format, Severity, Spec, Verdict};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &[
    "type",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "$ref",
    "required",
    "enum",
    "const",
    "nullable",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "multipleOf",
    "uniqueItems",
    "pattern",
    "format",
    "additionalProperties",
    "readOnly",
    "writeOnly",
    "title",
    "discriminator",
    "example",
    "A",
    "B",
    "x",
    "parameters",
    "name",
    "in",
    "schema",
    "responses",
    "200",
    "4XX",
    "default",
    "content",
    "application/json",
    "text/plain",
    "requestBody",
    "security",
    "deprecated",
    "operationId",
    "headers",
    "description",
    "examples",
    "value",
];

const STRINGS: &[&str] = &[
    "object",
    "string",
    "integer",
    "number",
    "array",
    "null",
    "boolean",
    "query",
    "header",
    "path",
    "cookie",
    "#/components/schemas/A",
    "#/components/schemas/B",
    "#/components/schemas/missing",
    "#/paths",
    "#",
    "other.yaml#/x",
    "^[a-z]+$",
    "(",
    "date-time",
    "int32",
    "int64",
    "email",
    "uuid",
    "x",
    "{id}",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..70).prop_map(Value::from),
        (-1e3f64..1e3).prop_map(|f| json!(f)),
        prop::sample::select(STRINGS).prop_map(|s| Value::String(s.to_string())),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(KEYS).prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), value(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>()))
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["3.0.3", "3.1.0"][..]),
        object(),
        object(),
        value(),
        value(),
        prop::option::of(value()),
    )
        .prop_map(|(version, get, post, a, b, security)| {
            let mut doc = json!({
                "openapi": version,
                "info": {"title": "generated", "version": "1"},
                "servers": [{"url": "/api"}],
                "paths": {"/p/{id}": {"get": get, "post": post}, "/q": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": a.clone()}}}}}}},
                "components": {"schemas": {"A": a, "B": b}}
            });
            if let Some(security) = security {
                doc["security"] = security;
            }
            doc
        })
}

fn exchanges() -> Vec<Exchange> {
    let base = |method: &str, path: &str, status: u16, body: &str| Exchange {
        file: "gen.har".into(),
        method: method.into(),
        url: format!("https://h{path}?id=1"),
        path: path.into(),
        status,
        request_content_type: Some("application/json".into()),
        request_body: Some(r#"{"a":1}"#.into()),
        response_content_type: Some("application/json".into()),
        response_body: Some(body.into()),
        ..Exchange::default()
    };
    vec![
        base("GET", "/api/p/7", 200, r#"{"x":"1","A":[1,2,null]}"#),
        base("POST", "/p/7", 404, "[1, {\"b\": true}]"),
        base("GET", "/q", 200, "not json"),
        base("PUT", "/q", 0, ""),
        base("GET", "/nowhere", 500, "null"),
    ]
}

fn exercise(spec: &Spec, other: &Spec) {
    let report = diff(spec, other);
    let breaking = report
        .changes
        .iter()
        .any(|c| c.severity == Severity::Breaking);
    assert_eq!(report.verdict == Verdict::Breaking, breaking);
    for format in [Format::Text, Format::Json, Format::Markdown] {
        let _ = render_diff(&report, format);
    }
    let checked = check(spec, &exchanges());
    assert_eq!(checked.checked, 5);
    for format in [Format::Text, Format::Json, Format::Markdown] {
        let _ = render_check(&checked, format);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn from_value_and_diff_never_panic(a in document(), b in document()) {
        let old = Spec::from_value(a, "old.json");
        let new = Spec::from_value(b, "new.json");
        if let (Ok(old), Ok(new)) = (&old, &new) {
            exercise(old, new);
            exercise(new, old);
            prop_assert_eq!(diff(old, old).verdict, Verdict::Unchanged);
        }
        for result in [old, new] {
            if let Err(e) = result {
                let text = e.to_string();
                prop_assert!(text.starts_with("old.json") || text.starts_with("new.json"), "{}", text);
            }
        }
    }

    #[test]
    fn arbitrary_values_never_panic(v in value()) {
        if let Ok(spec) = Spec::from_value(v, "any.json") {
            exercise(&spec, &spec);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = Spec::from_text(&text, "any.yaml");
        let _ = Spec::from_text(&format!("openapi: 3.1.0\npaths:\n  /a:\n{text}"), "any.yaml");
    }
}

/// Guards the generator itself: enough documents must load for the properties above to
/// exercise `diff` and `check`, not just the loader's first error.
#[test]
fn the_generator_mostly_produces_loadable_documents() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = document();
    let mut loaded = 0;
    let mut changed = 0;
    let mut previous: Option<Spec> = None;
    for _ in 0..400 {
        let doc = strategy.new_tree(&mut runner).expect("tree").current();
        if let Ok(spec) = Spec::from_value(doc, "gen.json") {
            loaded += 1;
            if let Some(before) = &previous {
                // Changes inside operations, not just whole paths.
                if diff(before, &spec)
                    .changes
                    .iter()
                    .any(|c| c.direction.is_some())
                {
                    changed += 1;
                }
            }
            previous = Some(spec);
        }
    }
    eprintln!("generator: {loaded} loaded, {changed} changed");
    assert!(
        loaded >= 120,
        "only {loaded} of 400 generated documents loaded"
    );
    assert!(
        changed >= 100,
        "only {changed} generated pairs differ inside operations"
    );
}
