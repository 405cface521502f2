//! Prometheus formats: `metrics.json`, the body of an HTTP API `query_range` response
//! (`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},
//! "values":[[<unix seconds>,"<value>"],...]}]}}`), and `metrics.prom`, the text
//! exposition format with millisecond timestamps (`# HELP`, `# TYPE`, then
//! `name{labels} value timestamp` lines, one family at a time).

use std::collections::BTreeMap;

use super::metrics::MetricSet;
use super::Out;
use crate::error::SimError;
use crate::time::{MS, SEC};

fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes a query_range response holding every series.
pub(crate) fn write_json(out: &mut Out, set: &MetricSet) -> Result<(), SimError> {
    out.write_str("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[")?;
    let mut first = true;
    for s in &set.series {
        if s.values.iter().all(|v| v.is_none()) {
            continue;
        }
        if !first {
            out.write_str(",")?;
        }
        first = false;
        let mut metric: BTreeMap<&str, &str> = BTreeMap::new();
        metric.insert("__name__", s.name);
        for (k, v) in &s.labels {
            metric.insert(k, v);
        }
        let m = serde_json::to_string(&metric).map_err(|e| SimError::Serialize {
            what: "metrics.json".into(),
            message: e.to_string(),
        })?;
        out.write_str("{\"metric\":")?;
        out.write_str(&m)?;
        out.write_str(",\"values\":[")?;
        let mut first_v = true;
        let mut buf = String::new();
        for (t, v) in set.times.iter().zip(&s.values) {
            if let Some(v) = v {
                if !first_v {
                    buf.push(',');
                }
                first_v = false;
                buf.push_str(&format!("[{},\"{}\"]", t / SEC, value(*v)));
            }
        }
        out.write_str(&buf)?;
        out.write_str("]}")?;
    }
    out.write_str("]}}\n")
}

/// Writes the text exposition with timestamps.
pub(crate) fn write_text(out: &mut Out, set: &MetricSet) -> Result<(), SimError> {
    let mut families: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in set.series.iter().enumerate() {
        families.entry(s.name).or_default().push(i);
    }
    for (name, idx) in families {
        let first = &set.series[idx[0]];
        out.line(&format!("# HELP {name} {}", first.help))?;
        out.line(&format!(
            "# TYPE {name} {}",
            if first.counter { "counter" } else { "gauge" }
        ))?;
        for i in idx {
            let s = &set.series[i];
            let labels: Vec<String> = s
                .labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
                .collect();
            let head = format!("{name}{{{}}}", labels.join(","));
            let mut buf = String::new();
            for (t, v) in set.times.iter().zip(&s.values) {
                if let Some(v) = v {
                    buf.push_str(&format!("{head} {} {}\n", value(*v), t / MS));
                }
            }
            out.write_str(&buf)?;
        }
    }
    Ok(())
}
