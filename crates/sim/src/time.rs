//! Time in the simulator: Unix nanoseconds as `i64`, and the handful of textual forms
//! the bundle formats need (RFC 3339 at several precisions for OTLP-adjacent JSON, HAR
//! and ALB logs; nginx's `$time_local`; the HTTP `Date` header). Written by hand from
//! the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`) so the crate
//! needs no clock and no date library.

/// Nanoseconds in a millisecond.
pub(crate) const MS: i64 = 1_000_000;
/// Nanoseconds in a second.
pub(crate) const SEC: i64 = 1_000_000_000;
/// Nanoseconds in a minute.
pub(crate) const MIN: i64 = 60 * SEC;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
    weekday: usize,
}

fn civil(ns: i64) -> Civil {
    let secs = ns.div_euclid(SEC);
    let nanos = ns.rem_euclid(SEC);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = if m <= 2 { y + 1 } else { y };
    Civil {
        year,
        month: m,
        day: d,
        hour: sod / 3600,
        minute: (sod / 60) % 60,
        second: sod % 60,
        nanos,
        weekday: days.rem_euclid(7) as usize,
    }
}

/// `2025-03-14T13:42:10Z`.
pub(crate) fn rfc3339_secs(ns: i64) -> String {
    let c = civil(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `2025-03-14T13:42:10.123Z`.
pub(crate) fn rfc3339_millis(ns: i64) -> String {
    let c = civil(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.nanos / MS
    )
}

/// `2025-03-14T13:42:10.186641Z` (the ALB access-log form).
pub(crate) fn rfc3339_micros(ns: i64) -> String {
    let c = civil(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.nanos / 1000
    )
}

/// `14/Mar/2025:13:42:10 +0000` (nginx `$time_local` on a UTC host).
pub(crate) fn nginx_local(ns: i64) -> String {
    let c = civil(ns);
    format!(
        "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
        c.day,
        MONTHS[(c.month - 1) as usize],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// `Fri, 14 Mar 2025 13:42:10 GMT` (the HTTP `Date` header).
pub(crate) fn http_date(ns: i64) -> String {
    let c = civil(ns);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[c.weekday],
        c.day,
        MONTHS[(c.month - 1) as usize],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// Hour of day (UTC, fractional) of `ns`.
pub(crate) fn hour_of_day(ns: i64) -> f64 {
    ns.rem_euclid(86_400 * SEC) as f64 / (3600.0 * SEC as f64)
}

/// Seconds as a decimal string with three places (`0.048`), for access logs.
pub(crate) fn secs3(ns: i64) -> String {
    let ms = ns.max(0) / MS;
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        // 2018-07-02T22:23:00.186641Z
        let ns = 1_530_570_180 * SEC + 186_641_000;
        assert_eq!(rfc3339_micros(ns), "2018-07-02T22:23:00.186641Z");
        assert_eq!(nginx_local(ns), "02/Jul/2018:22:23:00 +0000");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(rfc3339_secs(951_782_400 * SEC), "2000-02-29T00:00:00Z");
        assert_eq!(secs3(48 * MS), "0.048");
    }
}
