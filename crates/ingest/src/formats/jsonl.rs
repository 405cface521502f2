//! JSON-lines access logs: one JSON object per line, fields found through the
//! `json_fields` mapping of the config ([`crate::config::JsonFields`]).
//!
//! Each line is parsed once, with `serde_json`, by a visitor that looks only for the
//! configured field names and skips everything else without building it: strings are
//! borrowed from the line (only strings with escapes are copied). A dotted name
//! (`http.status_code`) matches a nested object (`{"http":{"status_code":200}}`), a flat
//! key of that name (`{"http.status_code":200}`), or any mix. For each field the first
//! name present, in the configured order, wins.
//!
//! Values are taken as they usually come: statuses as numbers or numeric strings;
//! times as RFC 3339 / ISO 8601, nginx `$time_local`, or epoch numbers (seconds with
//! fractions, milliseconds, microseconds, nanoseconds: inferred from magnitude);
//! durations as numbers in `json_fields.duration_unit`, else in the unit the field's
//! name says (`_ms`, `_us`, `_ns`, `_s`/`_seconds`, nginx's `request_time` in seconds),
//! else milliseconds, or as strings with a unit (`"12.5ms"`, `"1.2s"`, Go's `"1m3.5s"`).
//! Beyond the mapping, a `request` string (`"GET /path HTTP/1.1"`, as nginx JSON logs
//! write `$request`) stands in for a missing method and path, an `error.type` /
//! `error_type` / `error` field becomes the error type, and Envoy's `response_flags`
//! are described as in [`super::envoy`].
//!
//! A JSON-lines file is an access log only when its lines have a status (a number, or
//! a numeric string, 100-599) and a method, path, route or request line. That leaves
//! OTLP JSON lines (top-level `resourceSpans` / `resourceLogs` / `resourceMetrics`,
//! refused explicitly), change events (`kind` + `service`, no status), Prometheus API
//! responses (`"status":"success"`), HAR and OpenAPI documents to their own readers.
//!
//! Service: the mapped `service` field, else `default_service`, else none.

use super::combined::{
    excerpt, is_decimal, parse_status, parse_time_any, service_name, split_request, status_or_none,
    trace_id_into, DimBuf, DIMS_CAP,
};
use super::Format;
use crate::{config::IngestConfig, error::IngestError, input::Input, sink::Sink};
use apitriage_model::{time, RequestRecord, Source};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// The JSON-lines access-log reader.
pub struct JsonLines;

const KIND: &str = "access_log";

impl Format for JsonLines {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn line_independent(&self, _input: &Input) -> bool {
        true
    }

    fn sniff(&self, input: &Input, config: &IngestConfig) -> u8 {
        let lines = super::head_lines(input.head(), 20);
        if !lines.iter().any(|l| l.starts_with('{')) {
            return 0;
        }
        let plan = Plan::new(config);
        let s = super::share(&lines, |l| plan.is_access_record(l));
        if s < 30 {
            0
        } else {
            (s as u32 * 85 / 100) as u8
        }
    }

    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let config = sink.config;
        let plan = Plan::new(config);
        let mut trace_buf = String::with_capacity(32);
        let mut num_buf = String::with_capacity(64);
        super::for_each_line(input, sink, KIND, |line, number, sink| {
            if let Err(msg) = plan.read_line(line, config, &mut trace_buf, &mut num_buf, sink) {
                sink.skip_line(KIND, number, msg);
            }
        })
    }
}

/// Fields looked for; each has a slot in [`Found`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Time = 0,
    Method,
    Route,
    Path,
    Status,
    Duration,
    Service,
    Version,
    Trace,
    UserAgent,
    RequestLine,
    Error,
    Flags,
    Otlp,
}

/// Slots before the configured dimensions.
const FIXED_SLOTS: usize = 14;
/// Configured dimensions read at most (room is left for the user-agent ones).
const MAX_DIMS: usize = DIMS_CAP - 3;
const MAX_SLOTS: usize = FIXED_SLOTS + MAX_DIMS;
/// Longest field name used (longer ones are ignored).
const MAX_NAME: usize = 256;

/// One value found in a line.
#[derive(Debug, Clone)]
enum Val<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// An object or array.
    Other,
}

/// For each slot, the index in [`Plan::wanted`] of the name that matched and its value.
type Found<'a> = [Option<(u16, Val<'a>)>; MAX_SLOTS];

/// One field name looked for.
#[derive(Debug)]
struct Wanted {
    path: String,
    slot: usize,
    /// For durations: milliseconds per unit of a bare number.
    unit_ms: f64,
}

/// The field names to look for, compiled from the config.
struct Plan {
    wanted: Vec<Wanted>,
    dims: Vec<String>,
    status_names: String,
    time_names: String,
    path_names: String,
}

fn names_hint(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(3)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 3 {
        s.push_str(", …");
    }
    s
}

impl Plan {
    fn new(config: &IngestConfig) -> Plan {
        let j = &config.json_fields;
        let fixed_unit = j.duration_unit.as_deref().and_then(unit_ms);
        let mut wanted = Vec::new();
        let mut add = |names: &[String], slot: usize, duration: bool| {
            for n in names {
                let n = n.trim();
                if n.is_empty() || n.len() > MAX_NAME || wanted.len() >= 2048 {
                    continue;
                }
                let unit = if duration {
                    fixed_unit.unwrap_or_else(|| unit_of_name(n))
                } else {
                    1.0
                };
                wanted.push(Wanted {
                    path: n.to_string(),
                    slot,
                    unit_ms: unit,
                });
            }
        };
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        add(&j.time, Slot::Time as usize, false);
        add(&j.method, Slot::Method as usize, false);
        add(&j.route, Slot::Route as usize, false);
        add(&j.path, Slot::Path as usize, false);
        add(&j.status, Slot::Status as usize, false);
        add(&j.duration, Slot::Duration as usize, true);
        add(&j.service, Slot::Service as usize, false);
        add(&j.version, Slot::Version as usize, false);
        add(&j.trace_id, Slot::Trace as usize, false);
        add(&j.user_agent, Slot::UserAgent as usize, false);
        add(
            &s(&["request", "request_line"]),
            Slot::RequestLine as usize,
            false,
        );
        add(
            &s(&["error.type", "error_type", "error", "err"]),
            Slot::Error as usize,
            false,
        );
        add(
            &s(&["response_flags", "envoy.response_flags"]),
            Slot::Flags as usize,
            false,
        );
        add(
            &s(&["resourceSpans", "resourceLogs", "resourceMetrics"]),
            Slot::Otlp as usize,
            false,
        );
        let mut dims = Vec::new();
        for (i, (name, candidates)) in j.dims.iter().take(MAX_DIMS).enumerate() {
            dims.push(name.clone());
            add(candidates, FIXED_SLOTS + i, false);
        }
        Plan {
            wanted,
            dims,
            status_names: names_hint(&j.status),
            time_names: names_hint(&j.time),
            path_names: names_hint(&j.path),
        }
    }

    fn extract<'de>(&self, line: &'de str) -> Result<Found<'de>, serde_json::Error> {
        let mut found: Found<'de> = [const { None }; MAX_SLOTS];
        let mut de = serde_json::Deserializer::from_str(line);
        Top {
            plan: self,
            found: &mut found,
        }
        .deserialize(&mut de)?;
        de.end()?;
        Ok(found)
    }

    /// True when the line is a JSON access-log record (used to sniff).
    fn is_access_record(&self, line: &str) -> bool {
        let Ok(found) = self.extract(line) else {
            return false;
        };
        let has = |s: Slot| found.get(s as usize).is_some_and(Option::is_some);
        let status = found
            .get(Slot::Status as usize)
            .and_then(|v| v.as_ref())
            .and_then(|(_, v)| status_of(v))
            .is_some_and(|s| (100..=599).contains(&s));
        let request_line = self
            .text(&found, Slot::RequestLine)
            .and_then(split_request)
            .is_some();
        status
            && !has(Slot::Otlp)
            && (has(Slot::Method) || has(Slot::Path) || has(Slot::Route) || request_line)
    }

    fn name(&self, idx: u16) -> &str {
        self.wanted
            .get(idx as usize)
            .map_or("", |w| w.path.as_str())
    }

    fn text<'v>(&self, found: &'v Found<'_>, slot: Slot) -> Option<&'v str> {
        match found.get(slot as usize)? {
            Some((_, Val::Str(s))) => {
                let t = s.trim();
                (!t.is_empty() && t != "-").then_some(t)
            }
            _ => None,
        }
    }

    fn read_line(
        &self,
        line: &str,
        config: &IngestConfig,
        trace_buf: &mut String,
        num_buf: &mut String,
        sink: &mut Sink<'_>,
    ) -> Result<(), String> {
        let found = self
            .extract(line)
            .map_err(|e| format!("expected a JSON object, found {} ({e})", excerpt(line)))?;
        let slot = |s: Slot| found.get(s as usize).and_then(|v| v.as_ref());

        let (status_idx, status_val) = slot(Slot::Status).ok_or_else(|| {
            format!(
                "expected a status field ({}), found none",
                self.status_names
            )
        })?;
        let status = status_of(status_val).ok_or_else(|| {
            format!(
                "expected an HTTP status in `{}`, found {}",
                self.name(*status_idx),
                shown(status_val)
            )
        })?;

        let (time_idx, time_val) = slot(Slot::Time)
            .ok_or_else(|| format!("expected a time field ({}), found none", self.time_names))?;
        let when = time_of(time_val).ok_or_else(|| {
            format!(
                "expected a time (RFC 3339, epoch, or 26/Nov/2025:14:02:10 +0000) in `{}`, found {}",
                self.name(*time_idx),
                shown(time_val)
            )
        })?;

        let request_line = self.text(&found, Slot::RequestLine).and_then(split_request);
        let route = self.text(&found, Slot::Route);
        let path = self
            .text(&found, Slot::Path)
            .or(request_line.map(|(_, p)| p));
        let method = self
            .text(&found, Slot::Method)
            .or(request_line.map(|(m, _)| m))
            .unwrap_or("");
        let (route, is_template) = match (route, path) {
            (Some(r), _) => (r, true),
            (None, Some(p)) => (p, false),
            (None, None) => {
                return Err(format!(
                    "expected a path field ({}) or a route, found none",
                    self.path_names
                ))
            }
        };

        let duration_ms = match slot(Slot::Duration) {
            None => None,
            Some((idx, v)) => {
                let unit = self.wanted.get(*idx as usize).map_or(1.0, |w| w.unit_ms);
                let d = duration_of(v, unit);
                if d.is_none()
                    && !matches!(v, Val::Str(s) if s.trim().is_empty() || s.trim() == "-")
                {
                    return Err(format!(
                        "expected a duration in `{}`, found {}",
                        self.name(*idx),
                        shown(v)
                    ));
                }
                d
            }
        };

        // Numbers and booleans used as text (a numeric user id, version 3) are written
        // into one reusable buffer first, then borrowed.
        num_buf.clear();
        let mut spans: [Option<(usize, usize)>; MAX_SLOTS] = [None; MAX_SLOTS];
        for (i, (v, span)) in found.iter().zip(spans.iter_mut()).enumerate() {
            let wants_text = i == Slot::Version as usize || i >= FIXED_SLOTS;
            if !wants_text {
                continue;
            }
            let start = num_buf.len();
            let _ = match v {
                Some((_, Val::Int(n))) => write!(num_buf, "{n}"),
                Some((_, Val::Float(x))) => write!(num_buf, "{x}"),
                Some((_, Val::Bool(b))) => write!(num_buf, "{b}"),
                _ => continue,
            };
            *span = Some((start, num_buf.len()));
        }
        let as_text = |i: usize| match found.get(i)?.as_ref()? {
            (_, Val::Str(s)) => Some(s.as_ref()),
            _ => {
                let (a, b) = (*spans.get(i)?)?;
                num_buf.get(a..b)
            }
        };

        let mut dims = DimBuf::new();
        for (i, name) in self.dims.iter().enumerate() {
            if let Some(v) = as_text(FIXED_SLOTS + i) {
                dims.push(name, v);
            }
        }
        if let Some(ua) = self.text(&found, Slot::UserAgent) {
            dims.user_agent(ua);
        }

        let mut error = false;
        let mut error_type = None;
        match slot(Slot::Error) {
            Some((_, Val::Bool(true))) => error = true,
            Some((_, Val::Str(s))) => {
                let t = s.trim();
                if !matches!(t, "" | "-" | "null" | "none" | "false" | "0") {
                    error_type = Some(t);
                }
            }
            _ => {}
        }
        if error_type.is_none() {
            if let Some((flag, text)) = self
                .text(&found, Slot::Flags)
                .and_then(super::envoy::most_telling_flag)
            {
                error_type = Some(text);
                error |= !matches!(flag, "DC" | "DI") && status_or_none(status).is_none();
            }
        }

        let trace_id = self
            .text(&found, Slot::Trace)
            .and_then(|t| trace_id_into(t, trace_buf));
        let service = service_name(self.text(&found, Slot::Service), config, None, "");
        let version = as_text(Slot::Version as usize)
            .map(str::trim)
            .filter(|v| !v.is_empty() && *v != "-");

        let rec = RequestRecord {
            time: when,
            service,
            method,
            route,
            route_is_template: is_template,
            status: status_or_none(status),
            error,
            error_type,
            duration_ms,
            trace_id,
            version,
            dims: dims.as_slice(),
            source: Some(Source::AccessLog),
            ..RequestRecord::default()
        };
        sink.summary.add_request(&rec);
        sink.records(KIND, 1);
        Ok(())
    }
}

/// A value for a message.
fn shown(v: &Val<'_>) -> String {
    match v {
        Val::Str(s) => excerpt(s),
        Val::Int(n) => n.to_string(),
        Val::Float(x) => x.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Other => "an object or array".into(),
    }
}

fn status_of(v: &Val<'_>) -> Option<u16> {
    match v {
        Val::Int(n) => u16::try_from(*n).ok().filter(|&s| s < 1000),
        Val::Float(x) if x.fract() == 0.0 && (0.0..1000.0).contains(x) => Some(*x as u16),
        Val::Str(s) => parse_status(s.trim()),
        _ => None,
    }
}

fn time_of(v: &Val<'_>) -> Option<i64> {
    match v {
        Val::Int(n) => time::from_epoch_int(*n),
        Val::Float(x) => time::from_epoch_number(*x),
        Val::Str(s) => parse_time_any(s),
        _ => None,
    }
}

fn duration_of(v: &Val<'_>, unit_ms: f64) -> Option<f64> {
    let ms = match v {
        Val::Int(n) => *n as f64 * unit_ms,
        Val::Float(x) => x * unit_ms,
        Val::Str(s) => duration_text_ms(s.trim(), unit_ms)?,
        _ => return None,
    };
    (ms.is_finite() && ms >= 0.0).then_some(ms)
}

/// Milliseconds per unit for a unit name.
fn unit_ms(unit: &str) -> Option<f64> {
    Some(match unit.trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1000.0,
        "ms" | "msec" | "millis" | "milliseconds" => 1.0,
        "us" | "µs" | "μs" | "usec" | "micros" | "microseconds" => 0.001,
        "ns" | "nsec" | "nanos" | "nanoseconds" => 0.000_001,
        "m" | "min" | "minutes" => 60_000.0,
        "h" | "hours" => 3_600_000.0,
        _ => return None,
    })
}

/// The unit a duration field's name implies; milliseconds when it says none.
fn unit_of_name(name: &str) -> f64 {
    let last = name.rsplit('.').next().unwrap_or(name);
    let lower = last.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "request_time" | "upstream_response_time" | "upstream_time"
    ) {
        return 1000.0;
    }
    let suffix_units: &[(&[&str], f64)] = &[
        (&["_ms", "ms", "_millis", "millis", "_msec"], 1.0),
        (&["_us", "_micros", "micros", "_usec", "_µs"], 0.001),
        (&["_ns", "_nanos", "nanos", "_nsec"], 0.000_001),
        (
            &["_s", "_sec", "_secs", "_seconds", "seconds", "secs"],
            1000.0,
        ),
    ];
    for (suffixes, unit) in suffix_units {
        if suffixes.iter().any(|s| lower.ends_with(s)) {
            return *unit;
        }
    }
    1.0
}

/// `"12.5"` (in the field's unit), `"12.5ms"`, `"1.2s"`, `"350µs"`, Go's `"1m3.5s"`.
fn duration_text_ms(s: &str, unit: f64) -> Option<f64> {
    if is_decimal(s) {
        return s.parse::<f64>().ok().map(|v| v * unit);
    }
    let mut total = 0.0;
    let mut rest = s;
    let mut any = false;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, after) = rest.split_at(num_end);
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (u, next) = after.split_at(unit_end);
        if !is_decimal(num) {
            return None;
        }
        total += num.parse::<f64>().ok()? * unit_ms(u)?;
        any = true;
        rest = next;
    }
    any.then_some(total)
}

// ---------------------------------------------------------------------------------
// The field-finding visitor.

/// The top level of a line: must be an object.
struct Top<'p, 'f, 'de> {
    plan: &'p Plan,
    found: &'f mut Found<'de>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        visit_object(self.plan, self.found, None, map)
    }
}

/// Reads one object's entries. `active` holds the (wanted index, byte offset into its
/// name) pairs still possible at this depth; `None` at the top level means all, at
/// offset 0.
fn visit_object<'de, A: MapAccess<'de>>(
    plan: &Plan,
    found: &mut Found<'de>,
    active: Option<&[(u16, u16)]>,
    mut map: A,
) -> Result<(), A::Error> {
    while let Some(Key(key)) = map.next_key_seed(KeySeed)? {
        let mut exact: [u16; 8] = [0; 8];
        let mut n_exact = 0;
        let mut nested: Vec<(u16, u16)> = Vec::new();
        let mut check = |idx: u16, off: u16| {
            let Some(rem) = plan
                .wanted
                .get(idx as usize)
                .and_then(|w| w.path.get(off as usize..))
            else {
                return;
            };
            if rem == key.as_ref() {
                if let Some(e) = exact.get_mut(n_exact) {
                    *e = idx;
                    n_exact += 1;
                }
            } else if rem.starts_with(key.as_ref()) && rem.as_bytes().get(key.len()) == Some(&b'.')
            {
                nested.push((idx, off + key.len() as u16 + 1));
            }
        };
        match active {
            None => {
                for idx in 0..plan.wanted.len().min(u16::MAX as usize) {
                    check(idx as u16, 0);
                }
            }
            Some(list) => {
                for &(idx, off) in list {
                    check(idx, off);
                }
            }
        }
        map.next_value_seed(Value {
            plan,
            found: &mut *found,
            exact: exact.get(..n_exact).unwrap_or(&[]),
            nested: &nested,
        })?;
    }
    Ok(())
}

/// An object key, borrowed from the line when it has no escapes.
struct Key<'de>(Cow<'de, str>);
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// One value: stored into the slots of the names that end at it (`exact`), searched
/// for the names that go deeper (`nested`), skipped otherwise.
struct Value<'p, 'f, 'de> {
    plan: &'p Plan,
    found: &'f mut Found<'de>,
    exact: &'p [u16],
    nested: &'p [(u16, u16)],
}

fn have_idx(cell: &Option<(u16, Val<'_>)>) -> u16 {
    cell.as_ref().map_or(u16::MAX, |(i, _)| *i)
}

impl<'de> Value<'_, '_, 'de> {
    fn store(self, v: Val<'de>) {
        for &idx in self.exact {
            let Some(slot) = self.plan.wanted.get(idx as usize).map(|w| w.slot) else {
                continue;
            };
            if let Some(cell) = self.found.get_mut(slot) {
                // An object or array is kept only until a usable value turns up
                // (`url` is an object when `url.path` is the path).
                let other = matches!(v, Val::Other);
                let better = match cell {
                    None => true,
                    Some((_, Val::Other)) => !other || idx < have_idx(cell),
                    Some((have, _)) => !other && idx < *have,
                };
                if better {
                    *cell = Some((idx, v.clone()));
                }
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Value<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.exact.is_empty() && self.nested.is_empty() {
            d.deserialize_ignored_any(IgnoredAny).map(|_| ())
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Value<'_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.store(Val::Str(Cow::Borrowed(v)));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.store(Val::Str(Cow::Owned(v.to_string())));
        Ok(())
    }
    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.store(Val::Str(Cow::Owned(v)));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.store(Val::Int(v));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.store(i64::try_from(v).map_or(Val::Float(v as f64), Val::Int));
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.store(Val::Float(v));
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.store(Val::Bool(v));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let Value {
            plan,
            found,
            exact,
            nested,
        } = self;
        Value {
            plan,
            found: &mut *found,
            exact,
            nested: &[],
        }
        .store(Val::Other);
        if nested.is_empty() {
            let mut map = map;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(())
        } else {
            visit_object(plan, found, Some(nested), map)
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.store(Val::Other);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_with_units() {
        assert_eq!(duration_text_ms("12.5ms", 1.0), Some(12.5));
        assert_eq!(duration_text_ms("1.5s", 1.0), Some(1500.0));
        assert_eq!(duration_text_ms("1m3.5s", 1.0), Some(63_500.0));
        assert_eq!(duration_text_ms("0.25", 1000.0), Some(250.0));
        assert_eq!(duration_text_ms("soon", 1.0), None);
        assert_eq!(unit_of_name("latency_ms"), 1.0);
        assert_eq!(unit_of_name("request_time"), 1000.0);
        assert_eq!(unit_of_name("http.duration_ns"), 0.000_001);
    }

    #[test]
    fn nested_and_flat_dotted_names() {
        let plan = Plan::new(&IngestConfig::default());
        let f = plan
            .extract(
                r#"{"http":{"status_code":503,"method":"GET"},"url.path":"/a","ts":1764165730}"#,
            )
            .unwrap();
        assert!(matches!(f[Slot::Status as usize], Some((_, Val::Int(503)))));
        assert!(matches!(&f[Slot::Method as usize], Some((_, Val::Str(m))) if m == "GET"));
        assert!(matches!(&f[Slot::Path as usize], Some((_, Val::Str(p))) if p == "/a"));
    }
}
