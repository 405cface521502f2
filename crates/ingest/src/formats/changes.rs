//! Change events as JSON lines, one change a line:
//! `{"time": RFC 3339, "kind": "deploy"|"config"|"flag"|"rollback", "service": "...",
//! "version": "...", "description": "..."}`. Common spellings from deploy tools
//! (`timestamp`, `type`, `app`, `release`) are accepted too.

use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::{Change, ChangeKind};
use serde_json::Value;

/// Change events.
pub struct Changes;

fn field<'a>(v: &'a Value, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| v.get(*n))
        .filter(|x| !x.is_null())
}

fn kind_of(s: &str) -> Option<ChangeKind> {
    Some(match s.to_ascii_lowercase().as_str() {
        "deploy" | "deployment" | "release" => ChangeKind::Deploy,
        "config" | "configuration" | "config_change" => ChangeKind::Config,
        "flag" | "feature_flag" | "feature-flag" | "featureflag" => ChangeKind::Flag,
        "rollback" | "revert" => ChangeKind::Rollback,
        _ => return None,
    })
}

const TIME: &[&str] = &["time", "timestamp", "at", "date", "@timestamp"];
const KIND: &[&str] = &["kind", "type", "event"];

/// Parses one change line.
pub fn parse(line: &str) -> Result<Change, String> {
    let v: Value = serde_json::from_str(line)
        .map_err(|e| format!("invalid JSON at column {}: {e}", e.column()))?;
    if !v.is_object() {
        return Err("expected a JSON object".into());
    }
    let time = match field(&v, TIME) {
        Some(Value::String(s)) => apitriage_model::time::parse(s)
            .ok_or_else(|| format!("`time` {s:?} is not RFC 3339 or an epoch number"))?,
        Some(Value::Number(n)) => n
            .as_f64()
            .and_then(apitriage_model::time::from_epoch_number)
            .ok_or("`time` is not a valid epoch number")?,
        Some(_) => return Err("`time` must be a string or a number".into()),
        None => return Err("missing `time`".into()),
    };
    let kind_text = field(&v, KIND)
        .and_then(Value::as_str)
        .ok_or("missing `kind` (deploy, config, flag or rollback)")?;
    let kind = kind_of(kind_text).ok_or_else(|| {
        format!("unknown `kind` {kind_text:?}; expected deploy, config, flag or rollback")
    })?;
    let text = |names: &[&str]| {
        field(&v, names).map(|x| match x {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    Ok(Change {
        time,
        kind,
        service: text(&["service", "app", "application", "component"]).unwrap_or_default(),
        version: text(&["version", "release", "sha", "commit"]),
        description: text(&["description", "message", "summary", "flag", "key"]),
        inferred: false,
    })
}

impl Format for Changes {
    fn kind(&self) -> &'static str {
        "changes"
    }

    fn line_independent(&self, _input: &Input) -> bool {
        true
    }

    fn sniff(&self, input: &Input, _config: &IngestConfig) -> u8 {
        let lines = super::head_lines(input.head(), 20);
        if lines.is_empty() || !lines[0].starts_with('{') {
            return 0;
        }
        // The shape decides (an object with a time and a known kind), not whether every
        // value parses: a bad record is reported with its line, not a reason to refuse.
        let shaped = |l: &str| {
            serde_json::from_str::<Value>(l).is_ok_and(|v| {
                field(&v, TIME).is_some()
                    && field(&v, KIND)
                        .and_then(Value::as_str)
                        .and_then(kind_of)
                        .is_some()
            })
        };
        if shaped(lines[0]) || super::share(&lines, shaped) >= 60 {
            92
        } else {
            0
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        super::for_each_line(input, sink, "changes", |line, number, sink| {
            match parse(line) {
                Ok(c) => {
                    sink.summary.add_change(c);
                    sink.records("changes", 1);
                }
                Err(msg) => sink.skip_line("changes", number, msg),
            }
        })
    }
}
