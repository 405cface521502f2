//! Response shape and content type of captured responses: a 200 whose body lost fields
//! or changed type, or an HTML error page where JSON was expected, compared with earlier
//! responses of the same endpoint.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::Exchange;
use std::collections::BTreeSet;

/// Shape of captured responses.
pub struct Shape;

fn keys(e: &Exchange) -> Option<BTreeSet<String>> {
    let body = e.response_body.as_deref()?;
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let obj = match &v {
        serde_json::Value::Object(o) => o,
        serde_json::Value::Array(a) => a.first()?.as_object()?,
        _ => return None,
    };
    Some(obj.keys().cloned().collect())
}

fn mime(e: &Exchange) -> String {
    e.response_content_type
        .clone()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

impl Check for Shape {
    fn id(&self) -> &'static str {
        "contract.response_shape"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        let ex = &cx.view.s.exchanges;
        if ex.is_empty() {
            return Outcome::NotRun("captured requests (HAR)");
        }
        let mut out = Vec::new();
        let onset = cx.inc.onset;
        for late in ex.iter().filter(|e| e.time >= onset) {
            let ep = apitriage_model::path::normalize(&late.path);
            let earlier: Vec<&Exchange> = ex
                .iter()
                .filter(|e| {
                    e.time < onset
                        && e.method == late.method
                        && apitriage_model::path::normalize(&e.path) == ep
                        && !e.failed()
                })
                .collect();
            let Some(prev) = earlier.last() else { continue };
            if mime(prev) != mime(late) && !mime(late).is_empty() {
                out.push(found(
                    self.id(),
                    "contract",
                    0.6,
                    format!(
                        "{} {} answered {} where it answered {} before",
                        late.method,
                        ep,
                        mime(late),
                        mime(prev)
                    ),
                    vec![format!("{}: entry {}", late.file, late.entry)],
                ));
                break;
            }
            if let (Some(a), Some(b)) = (keys(prev), keys(late)) {
                let missing: Vec<&String> = a.difference(&b).collect();
                if !missing.is_empty() && !late.failed() {
                    let added: Vec<&String> = b.difference(&a).collect();
                    out.push(found(
                        self.id(),
                        "contract",
                        0.65,
                        format!(
                            "{} {} returned {} without field(s) {}",
                            late.method,
                            ep,
                            late.status,
                            missing
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        vec![
                            format!("earlier response (entry {}) had them", prev.entry),
                            if added.is_empty() {
                                String::new()
                            } else {
                                format!(
                                    "new field(s): {}",
                                    added
                                        .iter()
                                        .map(|s| s.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            },
                        ]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect(),
                    ));
                    break;
                }
            }
        }
        Outcome::Ran(out)
    }
}
