//! Regression tests for recursive and shared schemas in `diff`.

use apitriage_spec::{diff, Spec};

fn doc(name_type: &str) -> String {
    format!(
        r##"
openapi: 3.0.3
info: {{title: cycle, version: '1'}}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}
  /owners:
    get:
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Owner'}}}}}}
components:
  schemas:
    Pet:
      type: object
      properties:
        tag: {{type: string}}
        owner: {{$ref: '#/components/schemas/Owner'}}
    Owner:
      type: object
      properties:
        name: {{type: {name_type}}}
        pets: {{type: array, items: {{$ref: '#/components/schemas/Pet'}}}}
"##
    )
}

/// `/owners` is walked first (Owner → Pet → [Owner: cycle]); the later `/pets` walk
/// (Pet → Owner) must still see the change in Owner, which a result memoised while the
/// cycle was cut would hide.
#[test]
fn shared_recursive_schemas_report_changes_in_every_walk() {
    let old = Spec::from_text(&doc("string"), "old.yaml").expect("valid");
    let new = Spec::from_text(&doc("integer"), "new.yaml").expect("valid");
    let report = diff(&old, &new);
    let found: Vec<(String, String)> = report
        .changes
        .iter()
        .map(|c| (format!("{} {}", c.method, c.path), c.location.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "GET /owners".to_string(),
                "response 200 application/json body.name".to_string()
            ),
            (
                "GET /pets".to_string(),
                "response 200 application/json body.owner.name".to_string()
            ),
        ],
        "{report:#?}"
    );
}
