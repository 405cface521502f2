//! OTLP/JSON as the OpenTelemetry Collector's file exporter writes it: one
//! `ExportTraceServiceRequest` / `ExportLogsServiceRequest` / `ExportMetricsServiceRequest`
//! per line (the protobuf JSON mapping: hex trace and span ids, 64-bit integers as
//! strings, enums as integers), or a single request per file, pretty-printed or not.
//! Decoding uses the `opentelemetry-proto` types; [`super::otlp_convert`] turns them into
//! records.

use super::{otlp_convert, Format};
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;

/// OTLP/JSON traces, logs and metrics.
pub struct OtlpJson;

const KEYS: [(&str, &str); 3] = [
    ("\"resourceSpans\"", "traces"),
    ("\"resourceLogs\"", "logs"),
    ("\"resourceMetrics\"", "metrics"),
];

/// Which signal a JSON text holds: the OTLP key that appears first.
fn signal_of(text: &str) -> Option<&'static str> {
    KEYS.iter()
        .filter_map(|(k, kind)| {
            memchr::memmem::find(text.as_bytes(), k.as_bytes()).map(|p| (p, *kind))
        })
        .min()
        .map(|(_, kind)| kind)
}

fn read_one(text: &str, kind: &'static str, sink: &mut Sink<'_>) -> Result<(), serde_json::Error> {
    match kind {
        "traces" => {
            let req: ExportTraceServiceRequest = serde_json::from_str(text)?;
            sink.file("traces");
            otlp_convert::traces(&req, sink);
        }
        "logs" => {
            let req: ExportLogsServiceRequest = serde_json::from_str(text)?;
            sink.file("logs");
            otlp_convert::logs(&req, sink);
        }
        _ => {
            let req: ExportMetricsServiceRequest = serde_json::from_str(text)?;
            sink.file("metrics");
            otlp_convert::metrics(&req, sink);
        }
    }
    Ok(())
}

impl Format for OtlpJson {
    fn kind(&self) -> &'static str {
        "traces"
    }

    fn line_independent(&self, input: &Input) -> bool {
        // One request per line (the file exporter's layout), not one pretty-printed document.
        super::head_lines(input.head(), 1)
            .first()
            .is_some_and(|l| serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok())
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        let head = input.head();
        let start = head.iter().position(|b| !b.is_ascii_whitespace());
        if start.is_none_or(|s| head[s] != b'{') {
            return 0;
        }
        let window = &head[..head.len().min(4096)];
        let text = String::from_utf8_lossy(window);
        if signal_of(&text).is_some() {
            95
        } else {
            0
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let first_line_complete = {
            let lines = super::head_lines(input.head(), 1);
            lines
                .first()
                .is_some_and(|l| serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok())
        };
        if first_line_complete {
            return super::for_each_line(input, sink, "traces", |line, number, sink| {
                let Some(kind) = signal_of(line) else {
                    sink.skip_line("traces", number, "expected an OTLP export request (resourceSpans, resourceLogs or resourceMetrics)");
                    return;
                };
                if let Err(e) = read_one(line, kind, sink) {
                    sink.skip_line(
                        kind,
                        number,
                        format!("not a valid OTLP/JSON {kind} request: {e}"),
                    );
                }
            });
        }
        // One request per file, spread over many lines.
        let bytes = input.read_all(sink.config.max_document_bytes)?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            IngestError::Invalid(format!("invalid UTF-8 at byte {}", e.valid_up_to()))
        })?;
        let kind = signal_of(text).unwrap_or("traces");
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        let mut any = false;
        loop {
            match stream.next() {
                None => break,
                Some(Ok(value)) => {
                    any = true;
                    let piece = value.to_string();
                    let k = signal_of(&piece).unwrap_or(kind);
                    if let Err(e) = read_one(&piece, k, sink) {
                        sink.skip_at(
                            k,
                            "document",
                            format!("not a valid OTLP/JSON {k} request: {e}"),
                        );
                    }
                }
                Some(Err(e)) => {
                    sink.skip_line(
                        kind,
                        e.line() as u64,
                        format!("invalid JSON at column {}: {e}", e.column()),
                    );
                    break;
                }
            }
        }
        if !any {
            sink.file(kind);
        }
        Ok(())
    }
}
