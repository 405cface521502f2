//! OTLP protobuf files (`.pb`, `.binpb`): either one export request per file, or a
//! sequence of requests each preceded by its length as a 4-byte big-endian integer (the
//! framing the Collector's file exporter uses for `format: proto`). Protobuf carries no
//! type marker, so the message type is tried in the order the file name suggests.

use super::{otlp_convert, Format};
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;

/// OTLP protobuf traces, logs and metrics.
pub struct OtlpProto;

fn has_proto_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let n = n.trim_end_matches(".gz").trim_end_matches(".zst");
    n.ends_with(".pb") || n.ends_with(".binpb") || n.ends_with(".protobuf") || n.ends_with(".otlp")
}

fn order(name: &str) -> [&'static str; 3] {
    let n = name.to_ascii_lowercase();
    if n.contains("log") {
        ["logs", "traces", "metrics"]
    } else if n.contains("metric") {
        ["metrics", "traces", "logs"]
    } else {
        ["traces", "logs", "metrics"]
    }
}

/// Decodes one message as the first type that decodes to something non-empty.
fn decode(bytes: &[u8], name: &str, sink: &mut Sink<'_>) -> bool {
    for kind in order(name) {
        match kind {
            "traces" => {
                if let Ok(r) = ExportTraceServiceRequest::decode(bytes) {
                    if r.resource_spans
                        .iter()
                        .any(|rs| rs.scope_spans.iter().any(|s| !s.spans.is_empty()))
                    {
                        sink.file("traces");
                        otlp_convert::traces(&r, sink);
                        return true;
                    }
                }
            }
            "logs" => {
                if let Ok(r) = ExportLogsServiceRequest::decode(bytes) {
                    if r.resource_logs
                        .iter()
                        .any(|rl| rl.scope_logs.iter().any(|s| !s.log_records.is_empty()))
                    {
                        sink.file("logs");
                        otlp_convert::logs(&r, sink);
                        return true;
                    }
                }
            }
            _ => {
                if let Ok(r) = ExportMetricsServiceRequest::decode(bytes) {
                    if r.resource_metrics
                        .iter()
                        .any(|rm| rm.scope_metrics.iter().any(|s| !s.metrics.is_empty()))
                    {
                        sink.file("metrics");
                        otlp_convert::metrics(&r, sink);
                        return true;
                    }
                }
            }
        }
    }
    false
}

impl Format for OtlpProto {
    fn kind(&self) -> &'static str {
        "traces"
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        if has_proto_name(input.name()) && !input.head().is_empty() {
            80
        } else {
            0
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let name = input.name().to_string();
        let bytes = input.read_all(sink.config.max_document_bytes)?;
        // Length-prefixed framing first: it is unambiguous when every frame fits exactly.
        let mut frames = Vec::new();
        let mut at = 0usize;
        while at + 4 <= bytes.len() {
            let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                as usize;
            let Some(end) = (at + 4).checked_add(len).filter(|e| *e <= bytes.len()) else {
                break;
            };
            frames.push((at, &bytes[at + 4..end]));
            at = end;
        }
        if at == bytes.len() && !frames.is_empty() {
            for (offset, frame) in frames {
                if !decode(frame, &name, sink) {
                    sink.skip_at(
                        "traces",
                        &format!("byte {offset}"),
                        "frame is not a valid OTLP export request",
                    );
                }
            }
            return Ok(());
        }
        if !decode(&bytes, &name, sink) {
            return Err(IngestError::Invalid(
                "not a valid OTLP protobuf export request (traces, logs or metrics), nor a length-prefixed sequence of them".into(),
            ));
        }
        Ok(())
    }
}
