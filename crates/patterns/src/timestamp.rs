//! Timestamps, the most common variable at the head of a log line, recognised so that
//! masking turns each into a single `<*>` (see [`crate::mask()`]; Drain's pre-processing,
//! He et al., ICWS 2017, §III-A). Formats: ISO 8601 / RFC 3339 (`2024-03-12T10:15:32.123Z`,
//! `2024-03-12 10:15:32,123`), syslog and C `ctime` (`Dec 10 06:55:46`,
//! `Sun Dec 04 04:47:44 2005`), the Common Log Format (`10/Oct/2000:13:55:36 -0700`) and
//! clock times (`10:15:32.123`). Each recogniser returns the length it matched at the
//! start of its input, ending at a word boundary.

use crate::mask::{boundary, byte_is, digits};

/// `HH:MM`, `HH:MM:SS` and `HH:MM:SS.fff` (or `,fff`) starting at `from`; returns the end.
pub(crate) fn clock(s: &[u8], from: usize) -> Option<usize> {
    let hours = digits(s, from);
    if !(1..=2).contains(&hours) {
        return None;
    }
    let mut at = from + hours;
    if !byte_is(s, at, b':') || digits(s, at + 1) != 2 {
        return None;
    }
    at += 3;
    if byte_is(s, at, b':') && digits(s, at + 1) == 2 {
        at += 3;
        if (byte_is(s, at, b'.') || byte_is(s, at, b',')) && digits(s, at + 1) > 0 {
            at += 1 + digits(s, at + 1);
        }
    }
    Some(at)
}

/// `Z`, `+01:00` or `-0700` right after a time; returns the end (== `from` when absent).
fn zone(s: &[u8], from: usize) -> usize {
    match s.get(from) {
        Some(b'Z') => from + 1,
        Some(b'+' | b'-') if digits(s, from + 1) == 2 => {
            let mut at = from + 3;
            if byte_is(s, at, b':') && digits(s, at + 1) == 2 {
                at += 3;
            } else if digits(s, at) == 2 {
                at += 2;
            }
            at
        }
        Some(b'+' | b'-') if digits(s, from + 1) == 4 => from + 5,
        _ => from,
    }
}

/// `2024-03-12`, `2024/03/12`, optionally followed by `T` or a space and a time and zone.
pub(crate) fn iso_timestamp(s: &[u8]) -> Option<usize> {
    if digits(s, 0) != 4 {
        return None;
    }
    let separator = *s.get(4)?;
    if !(separator == b'-' || separator == b'/')
        || digits(s, 5) != 2
        || !byte_is(s, 7, separator)
        || digits(s, 8) != 2
    {
        return None;
    }
    let date_end = 10;
    if matches!(s.get(date_end), Some(b'T' | b' ')) {
        if let Some(time_end) = clock(s, date_end + 1) {
            let end = zone(s, time_end);
            if boundary(s, end) {
                return Some(end);
            }
        }
    }
    boundary(s, date_end).then_some(date_end)
}

fn is_one_of(s: &[u8], at: usize, names: &[&[u8; 3]]) -> bool {
    s.get(at..at + 3)
        .is_some_and(|word| names.iter().any(|name| word == name.as_slice()))
}

const WEEKDAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// `Dec 10 06:55:46`, `Dec  4 06:55:46`, `Sun Dec 04 04:47:44 2005` (syslog, ctime).
pub(crate) fn syslog_timestamp(s: &[u8]) -> Option<usize> {
    let mut at = 0;
    if is_one_of(s, 0, &WEEKDAYS) && byte_is(s, 3, b' ') {
        at = 4;
    }
    if !is_one_of(s, at, &MONTHS) || !byte_is(s, at + 3, b' ') {
        return None;
    }
    at += 4;
    if byte_is(s, at, b' ') {
        at += 1;
    }
    let day = digits(s, at);
    if !(1..=2).contains(&day) || !byte_is(s, at + day, b' ') {
        return None;
    }
    at += day + 1;
    let time_end = clock(s, at)?;
    if byte_is(s, time_end, b' ') && digits(s, time_end + 1) == 4 && boundary(s, time_end + 5) {
        return Some(time_end + 5);
    }
    boundary(s, time_end).then_some(time_end)
}

/// `10/Oct/2000:13:55:36 -0700` (Common Log Format).
pub(crate) fn clf_timestamp(s: &[u8]) -> Option<usize> {
    let day = digits(s, 0);
    if !(1..=2).contains(&day) || !byte_is(s, day, b'/') || !is_one_of(s, day + 1, &MONTHS) {
        return None;
    }
    let at = day + 4;
    if !byte_is(s, at, b'/') || digits(s, at + 1) != 4 || !byte_is(s, at + 5, b':') {
        return None;
    }
    let time_end = clock(s, at + 6)?;
    if byte_is(s, time_end, b' ') {
        let end = zone(s, time_end + 1);
        if end > time_end + 1 && boundary(s, end) {
            return Some(end);
        }
    }
    boundary(s, time_end).then_some(time_end)
}
