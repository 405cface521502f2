//! Timestamps as they appear in telemetry: RFC 3339, or unix epoch numbers in seconds,
//! milliseconds, microseconds or nanoseconds. The unit of a bare number is inferred from
//! its magnitude, which is unambiguous for any date between 1973 and 2286.

use chrono::{DateTime, SecondsFormat, Utc};

/// Nanoseconds since the unix epoch, the one time unit inside apitriage.
pub type Nanos = i64;

/// One second in nanoseconds.
pub const SECOND: Nanos = 1_000_000_000;

/// Parses an epoch number whose unit is inferred from its magnitude.
pub fn from_epoch_number(v: f64) -> Option<Nanos> {
    if !v.is_finite() || v <= 0.0 {
        return None;
    }
    let ns = if v < 1e11 {
        v * 1e9
    } else if v < 1e14 {
        v * 1e6
    } else if v < 1e17 {
        v * 1e3
    } else {
        v
    };
    if ns > i64::MAX as f64 {
        return None;
    }
    Some(ns as Nanos)
}

/// Parses RFC 3339 (also with a space instead of `T`), or an epoch number in any unit.
pub fn parse(text: &str) -> Option<Nanos> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if !t.contains('.') {
            if let Ok(n) = t.parse::<i64>() {
                return from_epoch_int(n);
            }
        }
        return t.parse::<f64>().ok().and_then(from_epoch_number);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return dt.timestamp_nanos_opt();
    }
    let spaced = t.replacen(' ', "T", 1);
    if let Ok(dt) = DateTime::parse_from_rfc3339(&spaced) {
        return dt.timestamp_nanos_opt();
    }
    // A naive timestamp without an offset is taken as UTC, as most log shippers write it.
    let naive = format!("{}Z", spaced.trim_end_matches('Z'));
    DateTime::parse_from_rfc3339(&naive)
        .ok()
        .and_then(|dt| dt.timestamp_nanos_opt())
}

/// Integer epoch values keep full nanosecond precision.
pub fn from_epoch_int(n: i64) -> Option<Nanos> {
    if n <= 0 {
        return None;
    }
    if n < 100_000_000_000 {
        n.checked_mul(SECOND)
    } else if n < 100_000_000_000_000 {
        n.checked_mul(1_000_000)
    } else if n < 100_000_000_000_000_000 {
        n.checked_mul(1_000)
    } else {
        Some(n)
    }
}

/// Formats as RFC 3339 in UTC with millisecond precision, e.g. `2026-11-26T14:02:10.120Z`.
pub fn format(ns: Nanos) -> String {
    DateTime::<Utc>::from_timestamp_nanos(ns).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Formats the time of day only, `14:02:10`, for compact evidence lines.
pub fn format_clock(ns: Nanos) -> String {
    DateTime::<Utc>::from_timestamp_nanos(ns)
        .format("%H:%M:%S")
        .to_string()
}

/// Formats a duration in seconds for people: `40 s`, `12 min`, `2.5 h`.
pub fn format_duration_s(secs: f64) -> String {
    let a = secs.abs();
    if a < 120.0 {
        format!("{:.0} s", secs)
    } else if a < 7200.0 {
        format!("{:.0} min", secs / 60.0)
    } else {
        format!("{:.1} h", secs / 3600.0)
    }
}

/// Parses a duration such as `30m`, `2h`, `90s`, `1d` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Nanos> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let v: f64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 0.001,
        "m" | "min" | "mins" => 60.0,
        "h" | "hr" | "hours" => 3600.0,
        "d" | "days" => 86400.0,
        _ => return None,
    };
    let ns = v * mult * 1e9;
    (ns.is_finite() && ns >= 0.0 && ns < i64::MAX as f64).then_some(ns as Nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_units_are_inferred_from_magnitude() {
        let s = 1_764_165_730i64;
        assert_eq!(parse("1764165730"), Some(s * SECOND));
        assert_eq!(parse("1764165730000"), Some(s * SECOND));
        assert_eq!(parse("1764165730000000"), Some(s * SECOND));
        assert_eq!(parse("1764165730000000000"), Some(s * SECOND));
        assert_eq!(parse("1764165730.5"), Some(s * SECOND + SECOND / 2));
    }

    #[test]
    fn rfc3339_variants() {
        let a = parse("2025-11-26T14:02:10Z").unwrap();
        assert_eq!(parse("2025-11-26 14:02:10Z"), Some(a));
        assert_eq!(parse("2025-11-26T15:02:10+01:00"), Some(a));
        assert_eq!(parse("2025-11-26T14:02:10"), Some(a));
        assert_eq!(format(a), "2025-11-26T14:02:10.000Z");
        assert_eq!(parse("not a time"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("-5"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Some(1800 * SECOND));
        assert_eq!(parse_duration("2h"), Some(7200 * SECOND));
        assert_eq!(parse_duration("45"), Some(45 * SECOND));
        assert_eq!(parse_duration("3 weeks"), None);
    }
}
