//! Multi-version, public-style APIs (a petstore in three versions, 3.0 → 3.0 → 3.1, and
//! an orders API, 3.0 YAML → 3.1 JSON). The JSON reports are pinned in golden files next
//! to the documents, so a change of rule id, severity, order or wording shows up in
//! review. Regenerate with `UPDATE_GOLDEN=1 cargo test -p apitriage-spec --test realistic`.

use apitriage_spec::diff::RULE_IDS;
use apitriage_spec::{diff, render_diff, Format, OperationMatch, Severity, Spec, Verdict};
use std::path::{Path, PathBuf};

const PAIRS: &[(&str, &str, &str, &str)] = &[
    ("petstore", "v1.yaml", "v2.yaml", "diff-v1-v2.json"),
    ("petstore", "v2.yaml", "v3.yaml", "diff-v2-v3.json"),
    ("petstore", "v1.yaml", "v3.yaml", "diff-v1-v3.json"),
    ("orders", "v1.yaml", "v2.json", "diff-v1-v2.json"),
];

fn dir(api: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(api)
}

fn load(api: &str, name: &str) -> Spec {
    Spec::load(&dir(api).join(name)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reports_match_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for (api, old, new, golden) in PAIRS {
        let report = diff(&load(api, old), &load(api, new));
        let json = render_diff(&report, Format::Json);
        let path = dir(api).join(golden);
        if update {
            std::fs::write(&path, &json).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
        assert!(
            want == json,
            "{api} {old} → {new} differs from {golden}; rerun with UPDATE_GOLDEN=1 and review.\n{json}"
        );
    }
}

#[test]
fn output_is_deterministic_and_independent_of_the_serialisation() {
    for (api, old, new, _) in PAIRS {
        let (a, b) = (load(api, old), load(api, new));
        let first = render_diff(&diff(&a, &b), Format::Json);
        let second = render_diff(&diff(&a, &b), Format::Json);
        assert_eq!(first, second);
        // The same documents, re-read from a JSON value, give the same changes.
        let a2 = Spec::from_value(a.document().clone(), a.source()).expect("valid");
        let b2 = Spec::from_value(b.document().clone(), b.source()).expect("valid");
        assert_eq!(diff(&a, &b).changes, diff(&a2, &b2).changes);
        for format in [Format::Text, Format::Markdown] {
            assert_eq!(
                render_diff(&diff(&a, &b), format),
                render_diff(&diff(&a2, &b2), format)
            );
        }
    }
}

#[test]
fn changes_are_sorted_and_use_known_ids() {
    let methods = [
        "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
    ];
    let rank = |m: &str| {
        methods
            .iter()
            .position(|x| *x == m)
            .unwrap_or(methods.len())
    };
    for (api, old, new, _) in PAIRS {
        let report = diff(&load(api, old), &load(api, new));
        assert!(!report.changes.is_empty());
        let keys: Vec<_> = report
            .changes
            .iter()
            .map(|c| {
                (
                    c.path.clone(),
                    rank(&c.method),
                    c.direction,
                    c.location.clone(),
                    c.id,
                    c.detail.clone(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{api} {old} → {new}");
        for c in &report.changes {
            assert!(RULE_IDS.contains(&c.id), "{}", c.id);
            assert!(!c.detail.is_empty());
        }
        let json: serde_json::Value =
            serde_json::from_str(&render_diff(&report, Format::Json)).expect("json");
        let mut top: Vec<&String> = json.as_object().expect("object").keys().collect();
        top.sort();
        assert_eq!(top, ["changes", "verdict"]);
        for change in json["changes"].as_array().expect("array") {
            for key in ["id", "severity", "method", "path", "detail"] {
                assert!(change[key].is_string(), "{key} in {change}");
            }
        }
    }
}

fn has(
    report: &apitriage_spec::DiffReport,
    id: &str,
    severity: Severity,
    op: &str,
    detail: &str,
) -> bool {
    report.changes.iter().any(|c| {
        c.id == id
            && c.severity == severity
            && format!("{} {}", c.method, c.path) == op
            && c.detail.contains(detail)
    })
}

#[test]
fn the_headline_changes_are_found() {
    let v1 = load("petstore", "v1.yaml");
    let v2 = load("petstore", "v2.yaml");
    let v3 = load("petstore", "v3.yaml");
    let r = diff(&v1, &v2);
    assert_eq!(r.verdict, Verdict::Breaking);
    assert!(has(
        &r,
        "property-removed",
        Severity::Breaking,
        "GET /pets",
        "possibly renamed to 'nickname'"
    ));
    assert!(has(
        &r,
        "enum-value-added",
        Severity::Breaking,
        "GET /pets/{id}",
        "\"adopted\""
    ));
    assert!(has(
        &r,
        "enum-value-added",
        Severity::Info,
        "GET /pets",
        "query parameter 'status'"
    ));
    assert!(has(
        &r,
        "security-changed",
        Severity::Breaking,
        "DELETE /pets/{id}",
        "api_key"
    ));
    assert!(has(
        &r,
        "path-added",
        Severity::Info,
        "GET /pets/{id}/photos",
        ""
    ));
    let r = diff(&v2, &v3);
    assert!(has(
        &r,
        "operation-removed",
        Severity::Breaking,
        "DELETE /pets/{id}",
        ""
    ));
    assert!(has(
        &r,
        "constraint-narrowed",
        Severity::Breaking,
        "GET /pets",
        "maximum"
    ));
    assert!(has(
        &r,
        "type-changed",
        Severity::Breaking,
        "GET /pets/{id}",
        "integer to string"
    ));
    assert!(has(
        &r,
        "response-content-type-changed",
        Severity::Breaking,
        "GET /pets/{id}/photos",
        "application/vnd.petstore.photos+json"
    ));
    // 3.0 `nullable: true` → 3.1 `type: [string, "null"]` and boolean → numeric
    // exclusiveMinimum are the same contract.
    assert!(!r
        .changes
        .iter()
        .any(|c| c.location.contains("nickname") || c.location.contains("price")));
    // Going back is breaking the other way round.
    assert_eq!(diff(&v3, &v2).verdict, Verdict::Breaking);
    assert_eq!(diff(&v3, &v3).verdict, Verdict::Unchanged);

    let o1 = load("orders", "v1.yaml");
    let o2 = load("orders", "v2.json");
    let r = diff(&o1, &o2);
    assert!(has(
        &r,
        "security-scope-added",
        Severity::Breaking,
        "POST /orders",
        "payments:write"
    ));
    assert!(has(
        &r,
        "variant-added",
        Severity::Breaking,
        "GET /orders/{id}",
        "Wallet"
    ));
    assert!(has(
        &r,
        "variant-added",
        Severity::Info,
        "POST /orders",
        "Wallet"
    ));
    assert!(has(
        &r,
        "required-property-added",
        Severity::Breaking,
        "POST /orders",
        "currency"
    ));
    assert!(has(
        &r,
        "response-header-removed",
        Severity::Breaking,
        "GET /orders",
        "X-Total-Count"
    ));
}

#[test]
fn operations_are_found_behind_server_base_paths() {
    let spec = load("petstore", "v3.yaml");
    let OperationMatch::Found(op) =
        spec.find_operation("get", "https://eu.petstore.example.com/v1/pets/42/photos")
    else {
        panic!("not found");
    };
    assert_eq!(
        (op.method.as_str(), op.template.as_str()),
        ("GET", "/pets/{id}/photos")
    );
    assert_eq!(op.path_params["id"], "42");
    assert_eq!(op.pointer, "/paths/~1pets~1{id}~1photos/get");
    assert!(matches!(
        spec.find_operation("DELETE", "/v1/pets/42"),
        OperationMatch::MethodNotAllowed { ref allowed, .. } if allowed == &["GET".to_string()]
    ));
    assert_eq!(
        spec.find_operation("GET", "/v1/owners"),
        OperationMatch::UnknownRoute
    );
    assert_eq!(spec.version(), "2.0.0");
    assert_eq!(spec.operations().len(), 4);
}
