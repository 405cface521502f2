//! Broken or hostile documents give a specific, lowercase error naming the file and the
//! place — never a panic or a hang.

use apitriage_model::Exchange;
use apitriage_spec::{check, diff, Spec, SpecError};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

fn load_err(name: &str) -> (SpecError, String) {
    match Spec::load(&fixture(name)) {
        Ok(_) => panic!("{name} loaded but should not"),
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains(name), "the error must name the file: {text}");
            assert_eq!(
                text.chars().next().map(char::is_uppercase),
                Some(false),
                "lowercase messages: {text}"
            );
            (e, text)
        }
    }
}

#[test]
fn invalid_yaml_reports_line_and_column() {
    let (err, text) = load_err("invalid-indentation.yaml");
    let SpecError::Yaml { line, column, .. } = err else {
        panic!("not a yaml error: {text}");
    };
    assert_eq!((line, column), (11, 8), "{text}");
    assert!(
        text.contains("invalid-indentation.yaml:11:8: invalid yaml:"),
        "{text}"
    );
}

#[test]
fn invalid_json_reports_line_and_column() {
    let (err, text) = load_err("invalid.json");
    let SpecError::Json { line, .. } = err else {
        panic!("not a json error: {text}");
    };
    assert_eq!(line, 5, "{text}");
    assert!(text.contains("invalid json: trailing comma"), "{text}");
}

#[test]
fn missing_openapi_field_and_swagger_2_are_named() {
    let (_, text) = load_err("missing-openapi.yaml");
    assert!(text.contains("missing `openapi` field"), "{text}");
    let (_, text) = load_err("swagger2.yaml");
    assert!(text.contains("swagger 2.0"), "{text}");
    let (_, text) = load_err("unsupported-version.yaml");
    assert!(
        text.contains("unsupported openapi version '4.0.0'"),
        "{text}"
    );
}

#[test]
fn unresolved_ref_names_the_site_and_the_target() {
    let (err, text) = load_err("unresolved-ref.yaml");
    assert!(matches!(err, SpecError::UnresolvedRef { .. }), "{text}");
    assert!(
        text.contains("/paths/~1pets/get/responses/200/content/application~1json/schema"),
        "{text}"
    );
    assert!(text.contains("'#/components/schemas/Pett'"), "{text}");
}

#[test]
fn external_ref_asks_for_a_bundled_document() {
    let (err, text) = load_err("external-ref.yaml");
    assert!(matches!(err, SpecError::ExternalRef { .. }), "{text}");
    assert!(text.contains("bundle"), "{text}");
}

#[test]
fn ref_cycles_and_in_place_self_inclusion_are_refused() {
    let (err, text) = load_err("ref-cycle.yaml");
    assert!(matches!(err, SpecError::RefCycle { .. }), "{text}");
    assert!(text.contains("/components/schemas/A"), "{text}");
    let (err, text) = load_err("self-inclusion.yaml");
    assert!(matches!(err, SpecError::RefCycle { .. }), "{text}");
    assert!(
        text.contains("/components/schemas/Pet") && text.contains("/components/schemas/Animal"),
        "{text}"
    );
}

#[test]
fn wrong_shapes_and_encodings_are_named() {
    let (_, text) = load_err("paths-not-an-object.yaml");
    assert!(text.contains("at /paths: expected an object"), "{text}");
    let (err, text) = load_err("not-utf8.yaml");
    assert!(
        matches!(err, SpecError::Encoding { offset: 30, .. }),
        "{text}"
    );
    let missing = Spec::load(&fixture("does-not-exist.yaml")).expect_err("missing file");
    assert!(matches!(missing, SpecError::Io { .. }), "{missing}");
}

#[test]
fn recursive_schemas_terminate_in_diff_and_check() {
    let old =
        Spec::load(&fixture("recursive-tree.yaml")).expect("recursion through properties is fine");
    let new = Spec::load(&fixture("recursive-tree-v2.yaml")).expect("valid");
    let report = diff(&old, &new);
    let ids: Vec<&str> = report.changes.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec!["constraint-narrowed"], "{report:#?}");
    assert!(diff(&old, &old).changes.is_empty());
    // Deeply nested instance of a recursive schema.
    let mut body = json!({"name": "leaf"});
    for i in 0..60 {
        body = json!({"name": format!("n{i}"), "children": [body], "parent": {"name": "p"}});
    }
    let exchange = Exchange {
        file: "t.har".into(),
        method: "GET".into(),
        path: "/categories/1".into(),
        status: 200,
        response_content_type: Some("application/json".into()),
        response_body: Some(body.to_string()),
        ..Exchange::default()
    };
    let report = check(&new, &[exchange]);
    assert!(report.violations.is_empty(), "{report:#?}");
}

#[test]
fn documents_nested_too_deep_are_refused() {
    let mut deep = json!({"type": "string"});
    for _ in 0..300 {
        deep = json!({"type": "array", "items": deep});
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "deep", "version": "1"},
        "components": {"schemas": {"Deep": deep}}
    });
    let err = Spec::from_value(doc, "deep.json").expect_err("too deep");
    assert!(matches!(err, SpecError::TooDeep { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("deep.json: at /components/schemas/Deep/items/"),
        "{err}"
    );
}

#[test]
fn from_value_refuses_non_objects() {
    for doc in [json!(null), json!([1, 2]), json!("openapi: 3.0.0")] {
        let err = Spec::from_value(doc, "x").expect_err("not a document");
        assert!(err.to_string().contains("expected an object"), "{err}");
    }
    let err = Spec::from_value(json!({"openapi": {"v": 3}}), "x").expect_err("bad field");
    assert!(
        err.to_string().contains("the `openapi` field is an object"),
        "{err}"
    );
    // A numeric `openapi` (YAML `openapi: 3.1`) is read leniently.
    let spec = Spec::from_value(json!({"openapi": 3.1, "paths": {}}), "x").expect("lenient");
    assert_eq!(spec.openapi_version(), "3.1");
    assert_eq!(spec.version(), "");
    let _: Value = spec.document().clone();
}

#[test]
fn a_large_flat_document_loads_quickly() {
    // 4,000 operations sharing one schema: loading, matching and diffing stay linear.
    let mut paths = serde_json::Map::new();
    for i in 0..2000 {
        let ok = json!({"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}});
        paths.insert(
            format!("/items{i}/{{id}}"),
            json!({"get": {"responses": {"200": ok.clone()}}, "put": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}, "responses": {"200": ok}}}),
        );
    }
    let doc = |max: u32| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "big", "version": max.to_string()},
            "paths": paths.clone(),
            "components": {"schemas": {"Item": {"type": "object", "properties": {
                "name": {"type": "string", "maxLength": max},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}}}
        })
    };
    let old = Spec::from_value(doc(64), "old").expect("valid");
    let new = Spec::from_value(doc(32), "new").expect("valid");
    let report = diff(&old, &new);
    // One request and one response finding per operation pair that carries the schema.
    assert_eq!(report.changes.len(), 2000 * 3);
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let path =
        std::env::temp_dir().join(format!("apitriage-spec-huge-{}.yaml", std::process::id()));
    let file = std::fs::File::create(&path).expect("temp file");
    // Sparse: nothing is written, the size alone must be enough to refuse it.
    file.set_len(apitriage_spec::load::MAX_FILE_BYTES + 1)
        .expect("set_len");
    drop(file);
    let result = Spec::load(&path);
    let _ = std::fs::remove_file(&path);
    let err = result.expect_err("too large");
    assert!(matches!(err, SpecError::TooLarge { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("larger than the 67108864-byte limit"),
        "{err}"
    );
}
