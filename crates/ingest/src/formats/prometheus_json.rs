//! Prometheus HTTP API responses of `query` and `query_range`
//! (`{"status":"success","data":{"resultType":"matrix","result":[...]}}`), one response
//! per file or one per line. Sample values are strings in that API (so that NaN and
//! infinities survive JSON); timestamps are unix seconds with a fraction.

use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::MetricPoint;
use serde_json::Value;

/// Prometheus API JSON.
pub struct PrometheusJson;

fn sample(v: &Value) -> Option<(i64, f64)> {
    let a = v.as_array()?;
    let t = a.first()?.as_f64()?;
    let value = match a.get(1)? {
        Value::String(s) => s.parse::<f64>().ok()?,
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    Some((apitriage_model::time::from_epoch_number(t)?, value))
}

fn read_response(doc: &Value, at: &str, sink: &mut Sink<'_>) {
    let status = doc.get("status").and_then(Value::as_str).unwrap_or("");
    if status != "success" {
        let err = doc
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no error text");
        sink.skip_at(
            "metrics",
            at,
            format!("response status is {status:?}, not \"success\": {err}"),
        );
        return;
    }
    let Some(data) = doc.get("data") else {
        sink.skip_at("metrics", at, "expected a `data` object");
        return;
    };
    let result = data.get("result");
    let Some(series) = result.and_then(Value::as_array) else {
        sink.skip_at("metrics", at, "expected `data.result` to be an array");
        return;
    };
    for (i, s) in series.iter().enumerate() {
        let empty = serde_json::Map::new();
        let metric = s.get("metric").and_then(Value::as_object).unwrap_or(&empty);
        let name = metric
            .get("__name__")
            .and_then(Value::as_str)
            .unwrap_or("query_result");
        let labels: Vec<(&str, &str)> = metric
            .iter()
            .filter(|(k, _)| k.as_str() != "__name__")
            .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
            .collect();
        let points: Vec<&Value> = match (s.get("values"), s.get("value")) {
            (Some(Value::Array(vs)), _) => vs.iter().collect(),
            (_, Some(v)) => vec![v],
            _ => {
                sink.skip_at(
                    "metrics",
                    &format!("{at} data.result[{i}]"),
                    "expected `values` or `value`",
                );
                continue;
            }
        };
        // counters are recognised by the name suffix Prometheus conventions give them.
        let cumulative = name.ends_with("_total")
            || name.ends_with("_count")
            || name.ends_with("_sum")
            || name.ends_with("_bucket");
        for (j, p) in points.iter().enumerate() {
            match sample(p) {
                Some((time, value)) => {
                    sink.summary.add_metric(&MetricPoint {
                        time,
                        name,
                        labels: &labels,
                        value,
                        cumulative,
                    });
                    sink.records("metrics", 1);
                }
                None => sink.skip_at(
                    "metrics",
                    &format!("{at} data.result[{i}].values[{j}]"),
                    "expected [unix_seconds, \"value\"]",
                ),
            }
        }
    }
}

impl Format for PrometheusJson {
    fn kind(&self) -> &'static str {
        "metrics"
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        let head = &input.head()[..input.head().len().min(4096)];
        let t = String::from_utf8_lossy(head);
        let tt = t.trim_start();
        if tt.starts_with('{') && t.contains("\"status\"") && t.contains("\"resultType\"")
            || tt.starts_with('{')
                && t.contains("\"data\"")
                && t.contains("\"result\"")
                && t.contains("\"status\"")
        {
            90
        } else {
            0
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let bytes = input.read_all(sink.config.max_document_bytes)?;
        let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Value>();
        let mut n = 0;
        sink.file("metrics");
        loop {
            match stream.next() {
                None => break,
                Some(Ok(doc)) => {
                    n += 1;
                    read_response(&doc, &format!("response {n}"), sink);
                }
                Some(Err(e)) => {
                    sink.skip_line(
                        "metrics",
                        e.line() as u64,
                        format!("invalid JSON at column {}: {e}", e.column()),
                    );
                    break;
                }
            }
        }
        Ok(())
    }
}
