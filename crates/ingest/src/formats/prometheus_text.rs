//! Prometheus and OpenMetrics text exposition (`name{label="v"} value timestamp`), as
//! scraped and saved, or dumped by `promtool tsdb dump`. Only samples with a timestamp
//! can be placed in time; a sample without one is counted as skipped, not guessed.
//! Prometheus timestamps are milliseconds; OpenMetrics ones are seconds: the unit is
//! inferred from magnitude.

use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::MetricPoint;
use std::collections::HashMap;

/// Prometheus / OpenMetrics text.
pub struct PrometheusText;

/// One parsed sample line: (name, labels, value, timestamp text).
type Sample<'a> = (&'a str, Vec<(&'a str, String)>, f64, Option<&'a str>);

fn parse_sample(line: &str) -> Result<Sample<'_>, String> {
    let name_end = line
        .find(|c: char| c == '{' || c.is_whitespace())
        .ok_or("expected `name value [timestamp]`")?;
    let name = &line[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    {
        return Err(format!("invalid metric name {:?}", truncate(name)));
    }
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if rest.starts_with('{') {
        let mut i = 1;
        let b = rest.as_bytes();
        loop {
            while i < b.len() && (b[i] == b' ' || b[i] == b',') {
                i += 1;
            }
            if i >= b.len() {
                return Err("unterminated label set".into());
            }
            if b[i] == b'}' {
                i += 1;
                break;
            }
            let k_start = i;
            while i < b.len() && b[i] != b'=' {
                i += 1;
            }
            let key = rest.get(k_start..i).ok_or("bad label")?.trim();
            i += 1;
            if i >= b.len() || b[i] != b'"' {
                return Err(format!("expected a quoted value for label {key:?}"));
            }
            i += 1;
            let mut value = String::new();
            let mut closed = false;
            while i < b.len() {
                match b[i] {
                    b'\\' if i + 1 < b.len() => {
                        // The escaped character may be multi-byte: step over it whole.
                        let ch = rest
                            .get(i + 1..)
                            .and_then(|r| r.chars().next())
                            .unwrap_or(' ');
                        value.push(if ch == 'n' { '\n' } else { ch });
                        i += 1 + ch.len_utf8();
                    }
                    b'"' => {
                        closed = true;
                        i += 1;
                        break;
                    }
                    _ => {
                        let ch = rest[i..].chars().next().unwrap_or(' ');
                        value.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            if !closed {
                return Err(format!("unterminated value for label {key:?}"));
            }
            labels.push((key, value));
        }
        rest = rest.get(i..).unwrap_or("");
    }
    let mut parts = rest.split_whitespace();
    let v = parts.next().ok_or("expected a sample value")?;
    let value = match v {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        _ => v
            .parse::<f64>()
            .map_err(|_| format!("sample value {:?} is not a number", truncate(v)))?,
    };
    Ok((name, labels, value, parts.next()))
}

fn truncate(s: &str) -> &str {
    apitriage_model::exchange::truncate(s, 40)
}

impl Format for PrometheusText {
    fn kind(&self) -> &'static str {
        "metrics"
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        let lines = super::head_lines(input.head(), 40);
        if lines.is_empty() {
            return 0;
        }
        let meta = lines
            .iter()
            .any(|l| l.starts_with("# TYPE ") || l.starts_with("# HELP "));
        let samples = super::share(&lines, |l| {
            l.starts_with('#') || parse_sample(l).is_ok_and(|s| s.3.is_some())
        });
        match (meta, samples) {
            (true, s) if s >= 80 => 88,
            (false, s) if s == 100 && lines.len() >= 2 => 50,
            _ => 0,
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let mut types: HashMap<String, String> = HashMap::new();
        super::for_each_line(input, sink, "metrics", |line, number, sink| {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let mut it = rest.split_whitespace();
                if let (Some(n), Some(t)) = (it.next(), it.next()) {
                    types.insert(n.to_string(), t.to_string());
                }
                return;
            }
            if line.starts_with('#') {
                return;
            }
            match parse_sample(line) {
                Ok((name, labels, value, ts)) => {
                    let Some(ts) = ts else {
                        sink.skip_line(
                            "metrics",
                            number,
                            "sample has no timestamp, so it cannot be placed in time",
                        );
                        return;
                    };
                    let Some(time) = ts
                        .parse::<f64>()
                        .ok()
                        .and_then(apitriage_model::time::from_epoch_number)
                    else {
                        sink.skip_line(
                            "metrics",
                            number,
                            format!("timestamp {:?} is not a number", truncate(ts)),
                        );
                        return;
                    };
                    let base = name
                        .trim_end_matches("_total")
                        .trim_end_matches("_count")
                        .trim_end_matches("_sum")
                        .trim_end_matches("_bucket");
                    let ty = types
                        .get(name)
                        .or_else(|| types.get(base))
                        .map(String::as_str);
                    let cumulative = matches!(ty, Some("counter" | "histogram" | "summary"))
                        && !name.ends_with("_created")
                        || ty.is_none() && name.ends_with("_total");
                    let refs: Vec<(&str, &str)> =
                        labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    sink.summary.add_metric(&MetricPoint {
                        time,
                        name,
                        labels: &refs,
                        value,
                        cumulative,
                    });
                    sink.records("metrics", 1);
                }
                Err(msg) => sink.skip_line("metrics", number, msg),
            }
        })
    }
}
