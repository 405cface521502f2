//! Recognisers for the non-timestamp variables of [`crate::mask()`]: UUIDs, IP and MAC
//! addresses, e-mail addresses, hexadecimal values, numbers with units, ids in paths and
//! long mixed ids (Drain's pre-processing, He et al., ICWS 2017, §III-A). Each returns
//! the length it matched at the start of its input, ending at a word boundary, and scans
//! a bounded distance, so masking stays linear in the line length.

use crate::mask::{boundary, byte_is, digits, hex_digits};
use crate::timestamp::{clf_timestamp, clock, iso_timestamp, syslog_timestamp};

/// Longest e-mail address considered (RFC 5321 §4.5.3.1.3 path limit).
const MAX_EMAIL_LEN: usize = 254;
/// Most dot-separated groups in one number (`1.2.3.4.5…`), bounding rescans.
const MAX_NUMBER_GROUPS: usize = 16;

/// The length of the variable starting at `s[0]`, if any. `previous` is the byte before
/// it, which is never a word byte.
///
/// Most words of a log line are no variable, and the recognisers are tried in turn, so
/// each is first gated by a condition it needs, read off the word once: the length of
/// its leading run of letters and digits, whether that run holds a digit, and the byte
/// after it. A UUID is eight hex digits then `-`; dates, clocks, IPv4 addresses and
/// `0x` values start with a digit, numbers with a digit or a sign; a syslog stamp starts
/// with a capitalised three-letter name then a space; an IPv6 or MAC address has a `:`
/// after its first group of at most four hex digits; an e-mail address continues the
/// word with `@` or local-part punctuation; ids in paths follow a `/`; hex runs (8+) and
/// long ids (16+) contain a digit. Skipping a recogniser whose condition fails changes
/// no result, only the time spent.
pub(crate) fn value_len(s: &[u8], previous: Option<u8>) -> Option<usize> {
    let word = s.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let next = s.get(word).copied();
    let has_digit = s[..word].iter().any(u8::is_ascii_digit);
    let first = s.first().copied().unwrap_or(0);
    let digit_first = first.is_ascii_digit();
    let gate = |open: bool, recognise: &dyn Fn() -> Option<usize>| open.then(recognise).flatten();
    gate(word == 8 && next == Some(b'-'), &|| uuid(s))
        .or_else(|| gate(digit_first, &|| iso_timestamp(s)))
        .or_else(|| {
            gate(first.is_ascii_uppercase() && byte_is(s, 3, b' '), &|| {
                syslog_timestamp(s)
            })
        })
        .or_else(|| gate(digit_first, &|| clf_timestamp(s)))
        .or_else(|| gate(digit_first, &|| clock(s, 0).filter(|&end| boundary(s, end))))
        .or_else(|| gate(digit_first, &|| ipv4(s)))
        .or_else(|| gate(word <= 4 && next == Some(b':'), &|| ipv6(s)))
        .or_else(|| {
            let continued = matches!(next, Some(b'.' | b'_' | b'%' | b'+' | b'-' | b'@'));
            gate(continued, &|| email(s))
        })
        .or_else(|| gate(first == b'0', &|| prefixed_hex(s)))
        .or_else(|| {
            gate(digit_first || first == b'-' || first == b'+', &|| {
                number(s, previous)
            })
        })
        .or_else(|| gate(previous == Some(b'/'), &|| path_id(s, previous)))
        .or_else(|| gate(word >= 8 && has_digit, &|| hex_run(s)))
        .or_else(|| gate(word >= 16 && has_digit, &|| long_id(s)))
}

fn uuid(s: &[u8]) -> Option<usize> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let mut at = 0;
    for (n, len) in GROUPS.into_iter().enumerate() {
        if n > 0 {
            if !byte_is(s, at, b'-') {
                return None;
            }
            at += 1;
        }
        if hex_digits(s, at) != len {
            return None;
        }
        at += len;
    }
    boundary(s, at).then_some(at)
}

/// Dotted-quad IPv4 with an optional `:port`.
fn ipv4(s: &[u8]) -> Option<usize> {
    let mut at = 0;
    for group in 0..4 {
        if group > 0 {
            if !byte_is(s, at, b'.') {
                return None;
            }
            at += 1;
        }
        let len = digits(s, at);
        if !(1..=3).contains(&len) {
            return None;
        }
        at += len;
    }
    if byte_is(s, at, b':') {
        let port = digits(s, at + 1);
        if (1..=5).contains(&port) && boundary(s, at + 1 + port) {
            return Some(at + 1 + port);
        }
    }
    boundary(s, at).then_some(at)
}

/// IPv6 (with `::`, or at least five colons) and MAC addresses: hex groups of at most
/// four digits separated by colons.
fn ipv6(s: &[u8]) -> Option<usize> {
    const MAX_LEN: usize = 39;
    let mut at = 0;
    let mut colons = 0;
    let mut compressed = false;
    let mut saw_digit = false;
    while at < s.len() && at < MAX_LEN {
        let group = hex_digits(s, at);
        if group > 4 {
            return None;
        }
        saw_digit |= s[at..at + group].iter().any(u8::is_ascii_digit);
        at += group;
        if !byte_is(s, at, b':') {
            break;
        }
        if group == 0 && at > 0 {
            compressed = true;
        }
        colons += 1;
        at += 1;
    }
    if !boundary(s, at) {
        return None;
    }
    // Trailing colons are punctuation (`… 00:1a:2b:3c:4d:5e: down`), and a value that
    // ends in a hex digit keeps masking idempotent.
    while at > 0 && s[at - 1] == b':' {
        at -= 1;
        colons -= 1;
    }
    let shaped = colons >= 2 && (compressed || colons >= 5) && saw_digit;
    (shaped && at > 0 && boundary(s, at)).then_some(at)
}

fn email(s: &[u8]) -> Option<usize> {
    let is_local = |b: &u8| b.is_ascii_alphanumeric() || b"._%+-".contains(b);
    let local = s.iter().take(64).take_while(|b| is_local(b)).count();
    if local == 0 || !byte_is(s, local, b'@') {
        return None;
    }
    let domain_start = local + 1;
    let is_domain = |b: &u8| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-';
    let mut domain = s
        .get(domain_start..)?
        .iter()
        .take(MAX_EMAIL_LEN - domain_start.min(MAX_EMAIL_LEN))
        .take_while(|b| is_domain(b))
        .count();
    // The scan must stop at a real boundary, not at a `<*>` (idempotence).
    if !boundary(s, domain_start + domain) {
        return None;
    }
    // A sentence may end right after the address.
    while domain > 0 && matches!(s[domain_start + domain - 1], b'.' | b'-') {
        domain -= 1;
    }
    let host = &s[domain_start..domain_start + domain];
    let last_dot = host.iter().rposition(|&b| b == b'.')?;
    let tld = &host[last_dot + 1..];
    let valid = last_dot > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic);
    let end = domain_start + domain;
    (valid && boundary(s, end)).then_some(end)
}

fn prefixed_hex(s: &[u8]) -> Option<usize> {
    if !(byte_is(s, 0, b'0') && matches!(s.get(1), Some(b'x' | b'X'))) {
        return None;
    }
    let len = hex_digits(s, 2);
    (len > 0 && boundary(s, 2 + len)).then_some(2 + len)
}

/// Units that turn a number into a duration, size or rate when written right after it.
const UNITS: &[&str] = &[
    "ns", "us", "µs", "ms", "nsec", "usec", "msec", "msecs", "s", "sec", "secs", "m", "min",
    "mins", "h", "hr", "hrs", "d", "b", "k", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib",
    "bytes",
];

/// Length of a unit starting at `from`, if the letters there spell one.
fn unit(s: &[u8], from: usize) -> Option<usize> {
    let rest = s.get(from..)?;
    let micro = "µ".as_bytes();
    let prefix = if rest.starts_with(micro) {
        micro.len()
    } else {
        0
    };
    let letters = rest[prefix..]
        .iter()
        .take(8)
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let len = prefix + letters;
    if len == 0 || len > 6 {
        return None;
    }
    let word = std::str::from_utf8(&rest[..len]).ok()?;
    UNITS
        .iter()
        .any(|u| u.eq_ignore_ascii_case(word))
        .then_some(len)
}

/// Digits with dot-separated groups (`42`, `3.14`, `1.2.3`) from `from`: returns the
/// end, and where the run ends without its last group (the end itself for one group).
fn dotted_digits_and_prefix(s: &[u8], from: usize) -> Option<(usize, usize)> {
    let first = digits(s, from);
    if first == 0 {
        return None;
    }
    let mut at = from + first;
    let mut prefix = at;
    for _ in 1..MAX_NUMBER_GROUPS {
        let next = if byte_is(s, at, b'.') {
            digits(s, at + 1)
        } else {
            0
        };
        if next == 0 {
            break;
        }
        prefix = at;
        at += 1 + next;
    }
    Some((at, prefix))
}

/// Signed, dotted numbers with an optional unit (`-42`, `1.5s`, `1h30m`); a `%` after
/// the number is left in place (`75%` → `<*>%`). A sign belongs to the number only after
/// a separator (start, space, `=`, `(`, `[`, `{`, `,`, `:`, `;`, `_`, `/`), so `5-3`
/// reads as two numbers and `blk_-42` as `blk_<*>`.
fn number(s: &[u8], previous: Option<u8>) -> Option<usize> {
    let signed = matches!(s.first(), Some(b'-' | b'+'));
    let separated = previous.is_none_or(|b| b.is_ascii_whitespace() || b"=([{,:;_/".contains(&b));
    if signed && !separated {
        return None;
    }
    let sign = usize::from(signed);
    let (mut at, prefix) = dotted_digits_and_prefix(s, sign)?;
    // The longest match that ends before a `.` group, kept in case the whole fails.
    let mut before_last_group = (prefix < at).then_some(prefix);
    // Durations such as `1h30m5.5s` alternate numbers and units.
    while let Some(len) = unit(s, at) {
        at += len;
        match dotted_digits_and_prefix(s, at) {
            Some((end, prefix)) => {
                if prefix < end {
                    before_last_group = Some(prefix);
                }
                at = end;
            }
            None => break,
        }
    }
    if boundary(s, at) {
        return Some(at);
    }
    // A dotted run running into a word (`1.2.3abc`) still starts with a number (`1.2`):
    // masking it keeps masking idempotent, since the rest is masked apart anyway.
    before_last_group
}

/// A segment right after `/` holding an id: at least three digits, mixed with letters
/// (`/orders/ord_8f3k2j9`, `/users/user123`). Plain words and plain numbers are left to
/// the other rules.
fn path_id(s: &[u8], previous: Option<u8>) -> Option<usize> {
    if previous != Some(b'/') {
        return None;
    }
    let is_segment = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
    let mut len = s.iter().take_while(|b| is_segment(b)).count();
    if !boundary(s, len) {
        return None;
    }
    while len > 0 && matches!(s[len - 1], b'_' | b'-') {
        len -= 1;
    }
    let segment = &s[..len];
    let digit_count = segment.iter().filter(|b| b.is_ascii_digit()).count();
    let mixed = segment
        .split(|b| !b.is_ascii_alphanumeric())
        .any(|run| run.iter().any(u8::is_ascii_digit) && run.iter().any(u8::is_ascii_alphabetic));
    (digit_count >= 3 && mixed && boundary(s, len)).then_some(len)
}

/// A bare run of at least 8 hex digits with at least one digit (hashes, trace ids).
fn hex_run(s: &[u8]) -> Option<usize> {
    let len = hex_digits(s, 0);
    let has_digit = s[..len].iter().any(u8::is_ascii_digit);
    (len >= 8 && has_digit && boundary(s, len)).then_some(len)
}

/// A long token of letters and digits with at least two digits (session ids, keys).
fn long_id(s: &[u8]) -> Option<usize> {
    let len = s.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let digit_count = s[..len].iter().filter(|b| b.is_ascii_digit()).count();
    (len >= 16 && digit_count >= 2 && digit_count < len && boundary(s, len)).then_some(len)
}
