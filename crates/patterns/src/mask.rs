//! Masking of obvious variables, the pre-processing step of Drain.
//!
//! He et al. ("Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017,
//! §III-A) replace "commonly-used variables" such as IP addresses and block ids with
//! simple regular expressions before the tree is searched, because one domain-knowledge
//! rule costs less than letting the similarity heuristic discover each variable. drain3
//! does the same with its `masking` instructions. This module is that step, written as a
//! single left-to-right byte scanner instead of a chain of regular expressions: one pass,
//! one output allocation, and no regex dependency on the hot path.
//!
//! Each masked value becomes [`WILDCARD`] (`<*>`); punctuation around it is kept, so
//! `src: /10.250.19.102:54106` becomes `src: /<*>` and `sshd[24200]:` becomes
//! `sshd[<*>]:`. Values are recognised only at word boundaries (the previous byte is not
//! an ASCII letter or digit, and neither is the byte after the value), the way drain3's
//! default number mask does, so `ssh2` and `log4j` keep their digits while `blk_-1608…`
//! becomes `blk_<*>` (`_` and `-` are boundaries).
//!
//! Recognised, in order of precedence:
//!
//! - UUIDs (`550e8400-e29b-41d4-a716-446655440000`);
//! - timestamps: ISO 8601 / RFC 3339 dates with an optional time and zone
//!   (`2024-03-12T10:15:32.123+01:00`, `2024-03-12 10:15:32,123`), syslog and ctime
//!   stamps (`Dec 10 06:55:46`, `Sun Dec 04 04:47:44 2005`), Common Log Format stamps
//!   (`10/Oct/2000:13:55:36 -0700`) and clock times (`10:15:32.123`);
//! - IPv4 addresses with an optional port (`10.250.19.102:54106`) and IPv6 / MAC
//!   addresses (`fe80::1`, `00:1a:2b:3c:4d:5e`);
//! - e-mail addresses;
//! - hexadecimal: `0x`-prefixed values and bare runs of at least 8 hex digits that
//!   contain a digit (trace ids, hashes);
//! - numbers, signed and dotted (`-42`, `3.14`, `1.2.3`), with an optional unit that
//!   makes them durations or sizes (`3000ms`, `1.5s`, `1h30m`, `512MiB`; `75%` becomes
//!   `<*>%`);
//! - ids inside paths: a path segment (after `/`) with at least three digits mixed with
//!   letters (`/orders/ord_8f3k2j9` → `/orders/<*>`), and long mixed tokens (16+ letters
//!   and digits with at least two digits: session ids, base62 keys);
//! - quoted strings: `"…"` (unless it is a JSON object key: after `{` or `,` and
//!   followed by `:`) and
//!   `'…'` (opened at a word boundary, so `can't` is left alone). The quotes are kept:
//!   `"<*>"`.
//!
//! Everything else is copied unchanged. Masking is meant to be idempotent: a `<*>`
//! counts as a word for the boundary rules, as the value it replaced did, so masking a
//! masked line (or a template) changes nothing. The scanner only ever cuts the line at ASCII
//! bytes, so the output is valid UTF-8 by construction, and every rule scans a bounded
//! distance from its start, so masking is linear in the line length.

/// The wildcard token used in masked lines and templates.
pub const WILDCARD: &str = "<*>";

/// Masks the obvious variables of one log line (see the module documentation for the
/// rules), replacing each with `<*>`.
///
/// ```
/// use apitriage_patterns::mask;
/// assert_eq!(
///     mask("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010"),
///     "Receiving block blk_<*> src: /<*> dest: /<*>"
/// );
/// assert_eq!(mask("took 3000ms for user 'bob'"), "took <*> for user '<*>'");
/// ```
pub fn mask(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    // `bytes[copied..at]` is unmasked text not yet copied to `out`.
    let mut copied = 0;
    let mut at = 0;
    // Once a search for a closing quote fails, every later search on the line fails too.
    let mut double_quotes_close = true;
    let mut single_quotes_close = true;
    while at < bytes.len() {
        let byte = bytes[at];
        let word_start = !word_before(bytes, at);
        let mut replacement = WILDCARD_REPLACEMENT;
        let mut masked_end = None;
        if byte == b'"' && double_quotes_close {
            match closing_double_quote(bytes, at) {
                // A JSON object key: a name, not a value; copy it whole.
                Some(close) if is_json_key(bytes, at, close) => {
                    at = close + 1;
                    continue;
                }
                Some(close) => {
                    masked_end = Some(close + 1);
                    replacement = DOUBLE_QUOTED_REPLACEMENT;
                }
                None => double_quotes_close = false,
            }
        } else if byte == b'\'' && word_start && single_quotes_close {
            match closing_single_quote(bytes, at) {
                Some(close) => {
                    masked_end = Some(close + 1);
                    replacement = SINGLE_QUOTED_REPLACEMENT;
                }
                None => single_quotes_close = false,
            }
        } else if word_start && (byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'+') {
            let previous = if at == 0 { None } else { Some(bytes[at - 1]) };
            masked_end = variable_len(&bytes[at..], previous).map(|len| at + len);
        }
        if let Some(end) = masked_end {
            push_slice(&mut out, line, copied, at);
            out.push_str(replacement);
            at = end;
            copied = end;
        } else if is_word(byte) {
            at = word_end(bytes, at);
        } else if bytes[at..].starts_with(WILDCARD.as_bytes()) {
            at += WILDCARD.len();
        } else {
            at += 1;
        }
    }
    push_slice(&mut out, line, copied, bytes.len());
    out
}

const WILDCARD_REPLACEMENT: &str = WILDCARD;
const DOUBLE_QUOTED_REPLACEMENT: &str = "\"<*>\"";
const SINGLE_QUOTED_REPLACEMENT: &str = "'<*>'";

/// Longest e-mail address considered (RFC 5321 §4.5.3.1.3 path limit).
const MAX_EMAIL_LEN: usize = 254;
/// Most dot-separated groups in one number (`1.2.3.4.5…`), bounding rescans.
const MAX_NUMBER_GROUPS: usize = 16;

fn push_slice(out: &mut String, line: &str, from: usize, to: usize) {
    // The scanner only stops at ASCII bytes, so these are always char boundaries.
    debug_assert!(line.is_char_boundary(from) && line.is_char_boundary(to));
    if let Some(text) = line.get(from..to) {
        out.push_str(text);
    }
}

/// Letters, digits and any non-ASCII byte (so UTF-8 sequences are never split and
/// non-English words count as words).
fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte >= 0x80
}

fn word_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| !is_word(b))
        .map_or(bytes.len(), |len| from + len)
}

/// Whether the text before `at` ends in a word. A `<*>` counts as a word, as the value
/// it replaced did: masking an already masked line then changes nothing.
fn word_before(bytes: &[u8], at: usize) -> bool {
    let before = &bytes[..at];
    before.last().is_some_and(|&b| is_word(b)) || before.ends_with(WILDCARD.as_bytes())
}

/// True when `len` ends a value inside `s`: end of input or a non-word byte follows
/// (a `<*>` counting as a word, see [`word_before`]).
fn boundary(s: &[u8], len: usize) -> bool {
    let after = s.get(len..).unwrap_or_default();
    after.first().is_none_or(|&b| !is_word(b)) && !after.starts_with(WILDCARD.as_bytes())
}

fn digits(s: &[u8], from: usize) -> usize {
    s.get(from..)
        .map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_digit()).count())
}

fn hex_digits(s: &[u8], from: usize) -> usize {
    s.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_hexdigit()).count()
    })
}

fn byte_is(s: &[u8], at: usize, wanted: u8) -> bool {
    s.get(at) == Some(&wanted)
}

/// `"name":` right after `{` or `,` (spaces allowed): an object key in embedded JSON.
fn is_json_key(bytes: &[u8], open: usize, close: usize) -> bool {
    let before = bytes[..open].iter().rev().find(|b| !b.is_ascii_whitespace());
    let after = bytes[close + 1..].iter().find(|b| !b.is_ascii_whitespace());
    matches!(before, Some(b'{' | b',')) && after == Some(&b':')
}

fn closing_double_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let mut from = open + 1;
    loop {
        let close = from + bytes.get(from..)?.iter().position(|&b| b == b'"')?;
        if bytes[close - 1] != b'\\' || close == open + 1 {
            return Some(close);
        }
        from = close + 1;
    }
}

fn closing_single_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let mut from = open + 1;
    loop {
        let close = from + bytes.get(from..)?.iter().position(|&b| b == b'\'')?;
        if boundary(bytes, close + 1) {
            return Some(close);
        }
        from = close + 1;
    }
}

/// The length of the variable starting at `s[0]`, if any. `previous` is the byte before
/// it, which is never a word byte.
fn variable_len(s: &[u8], previous: Option<u8>) -> Option<usize> {
    uuid(s)
        .or_else(|| iso_timestamp(s))
        .or_else(|| syslog_timestamp(s))
        .or_else(|| clf_timestamp(s))
        .or_else(|| clock(s, 0).filter(|&end| boundary(s, end)))
        .or_else(|| ipv4(s))
        .or_else(|| ipv6(s))
        .or_else(|| email(s))
        .or_else(|| prefixed_hex(s))
        .or_else(|| number(s, previous))
        .or_else(|| path_id(s, previous))
        .or_else(|| hex_run(s))
        .or_else(|| long_id(s))
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

/// `HH:MM`, `HH:MM:SS` and `HH:MM:SS.fff` (or `,fff`) starting at `from`; returns the end.
fn clock(s: &[u8], from: usize) -> Option<usize> {
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
fn iso_timestamp(s: &[u8]) -> Option<usize> {
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
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
    b"Dec",
];

/// `Dec 10 06:55:46`, `Dec  4 06:55:46`, `Sun Dec 04 04:47:44 2005` (syslog, ctime).
fn syslog_timestamp(s: &[u8]) -> Option<usize> {
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
fn clf_timestamp(s: &[u8]) -> Option<usize> {
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
    "mins", "h", "hr", "hrs", "d", "b", "k", "kb", "mb", "gb", "tb", "kib", "mib", "gib",
    "tib", "bytes",
];

/// Length of a unit starting at `from`, if the letters there spell one.
fn unit(s: &[u8], from: usize) -> Option<usize> {
    let rest = s.get(from..)?;
    let micro = "µ".as_bytes();
    let prefix = if rest.starts_with(micro) { micro.len() } else { 0 };
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
    let separated = previous.is_none_or(|b| {
        b.is_ascii_whitespace() || b"=([{,:;_/".contains(&b)
    });
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

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_each_kind() {
        let cases = [
            ("id 550e8400-e29b-41d4-a716-446655440000 ok", "id <*> ok"),
            ("at 2024-03-12T10:15:32.123+01:00 x", "at <*> x"),
            ("2024-03-12 10:15:32,123 INFO", "<*> INFO"),
            ("Dec 10 06:55:46 LabSZ sshd[24200]: x", "<*> LabSZ sshd[<*>]: x"),
            ("[Sun Dec 04 04:47:44 2005] [error]", "[<*>] [error]"),
            ("[10/Oct/2000:13:55:36 -0700] GET", "[<*>] GET"),
            ("from 183.62.140.253 port 38927 ssh2", "from <*> port <*> ssh2"),
            ("peer fe80::1ff:fe23:4567:890a down", "peer <*> down"),
            ("mail bob.smith@example.com.", "mail <*>."),
            ("ptr 0x7ffd5a3c ok", "ptr <*> ok"),
            ("took 3000ms, 1.5s, 1h30m, 512MiB, 75%", "took <*>, <*>, <*>, <*>, <*>%"),
            ("GET /orders/ord_8f3k2j9/items/17", "GET /orders/<*>/items/<*>"),
            ("trace 4bf92f3577b34da6a3ce929d0e0e4736", "trace <*>"),
            ("{\"user\":\"bob\",\"n\":5}", "{\"user\":\"<*>\",\"n\":<*>}"),
            ("can't find 'x y'", "can't find '<*>'"),
            ("for \"http://payments:8080/x\": Read", "for \"<*>\": Read"),
            ("{ \"a\" : 1, \"b\": \"c\" }", "{ \"a\" : <*>, \"b\": \"<*>\" }"),
            ("ssh2 log4j v1 HTTP 2xx", "ssh2 log4j v1 HTTP 2xx"),
            ("blk_-1608999687919862906", "blk_<*>"),
            ("Müller42 ünïcode 42", "Müller42 ünïcode <*>"),
        ];
        for (line, want) in cases {
            assert_eq!(mask(line), want, "masking {line:?}");
        }
    }
}
