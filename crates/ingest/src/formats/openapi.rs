//! OpenAPI 3.0 and 3.1 documents, YAML or JSON. They are kept whole (they are small) for
//! the contract checks; several versions are told apart by `info.version`.

use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::summary::SpecDoc;

/// OpenAPI documents.
pub struct OpenApi;

impl Format for OpenApi {
    fn kind(&self) -> &'static str {
        "openapi"
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        let head = &input.head()[..input.head().len().min(8192)];
        let t = String::from_utf8_lossy(head);
        // Sorted YAML (PyYAML's default) opens on `components:` the same way.
        let yaml = t.lines().any(|l| {
            let l = l.trim_end();
            (l.starts_with("openapi:") || l.starts_with("\"openapi\":")) && l.contains('3')
        }) || t
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            == Some("components:")
            && t.lines().any(|l| l.trim_end() == "  schemas:");
        // Generators and `jq -S` write keys sorted, which puts a long "components"
        // before "openapi" and "paths": a document opening on components.schemas is
        // recognised by that shape (the reader then checks the version).
        let body = t.trim_start();
        let first_key = body
            .strip_prefix('{')
            .map(|r| r.trim_start())
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.split('"').next());
        let json = body.starts_with('{')
            && (t.contains("\"openapi\"") && t.contains("\"paths\"")
                || t.contains("\"openapi\": \"3")
                || t.contains("\"openapi\":\"3")
                || first_key == Some("components") && t.contains("\"schemas\""));
        if yaml || json {
            93
        } else {
            0
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let bytes = input.read_all(sink.config.max_document_bytes)?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            IngestError::Invalid(format!("invalid UTF-8 at byte {}", e.valid_up_to()))
        })?;
        let doc: serde_json::Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| {
                IngestError::Invalid(format!(
                    "line {} column {}: invalid JSON: {e}",
                    e.line(),
                    e.column()
                ))
            })?
        } else {
            serde_yaml_ng::from_str(text).map_err(|e| {
                let loc = e
                    .location()
                    .map(|l| format!("line {} column {}: ", l.line(), l.column()))
                    .unwrap_or_default();
                IngestError::Invalid(format!("{loc}invalid YAML: {e}"))
            })?
        };
        let openapi = doc.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
        if !openapi.starts_with('3') {
            let found = if openapi.is_empty() {
                "no top-level `openapi` field".to_string()
            } else {
                format!("openapi: {openapi:?}")
            };
            return Err(IngestError::Invalid(format!(
                "expected an OpenAPI 3.0 or 3.1 document (`openapi: 3.x`), found {found}"
            )));
        }
        let version = doc
            .get("info")
            .and_then(|i| i.get("version"))
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.to_string()))
            })
            .unwrap_or_default();
        sink.summary.add_spec(SpecDoc {
            file: sink.file.to_string(),
            version,
            doc,
        });
        sink.records("openapi", 1);
        Ok(())
    }
}
