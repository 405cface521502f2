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
//! `sshd[<*>]:`. Values joined by one or two of `-:/.,#_` (no space) are one compound
//! value and become a single `<*>`: a timestamp in a layout no rule knows
//! (`20171223-22:15:29:615`, `17/06/09`), a ratio (`2/3`), a list (`1#2#3`). Masked
//! part by part, such a value would mask to a different number of `<*>` as its fields
//! change width (`22:15:29:615` is a clock and a number, `0:1:2:45` four numbers), and
//! lines of one message would not share a template. Values are recognised only at word boundaries (the previous byte is not
//! an ASCII letter or digit, and neither is the byte after the value), the way drain3's
//! default number mask does, so `ssh2` and `log4j` keep their digits while `blk_-1608…`
//! becomes `blk_<*>` (`_` and `-` are boundaries).
//!
//! Recognised, in order of precedence (the recognisers live in `timestamp` and
//! `values`; this module holds the scanner, quoting and the boundary rules):
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

use crate::values::value_len;

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
            masked_end = value_len(&bytes[at..], previous).map(|len| at + len);
        }
        if let Some(end) = masked_end {
            push_slice(&mut out, line, copied, at);
            if replacement == WILDCARD_REPLACEMENT && joined_to_value(&out) {
                // `<*>-` + this value: one compound value, already a `<*>`.
                let joined = out.trim_end_matches(is_joiner).len();
                out.truncate(joined);
            } else {
                out.push_str(replacement);
            }
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

/// Punctuation that joins the parts of one compound value (`20171223-22:15:29:615`,
/// `17/06/09`, `2/3`, `1#2#3`).
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | ':' | '/' | '.' | ',' | '#' | '_')
}

/// Whether `out` ends in a masked value followed by one or two joiners: the value about
/// to be masked continues that one, and the two become a single `<*>`.
fn joined_to_value(out: &str) -> bool {
    let value = out.trim_end_matches(is_joiner);
    (1..=2).contains(&(out.len() - value.len())) && value.ends_with(WILDCARD)
}
const DOUBLE_QUOTED_REPLACEMENT: &str = "\"<*>\"";
const SINGLE_QUOTED_REPLACEMENT: &str = "'<*>'";

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
pub(crate) fn boundary(s: &[u8], len: usize) -> bool {
    let after = s.get(len..).unwrap_or_default();
    after.first().is_none_or(|&b| !is_word(b)) && !after.starts_with(WILDCARD.as_bytes())
}

pub(crate) fn digits(s: &[u8], from: usize) -> usize {
    s.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}

pub(crate) fn hex_digits(s: &[u8], from: usize) -> usize {
    s.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_hexdigit()).count()
    })
}

pub(crate) fn byte_is(s: &[u8], at: usize, wanted: u8) -> bool {
    s.get(at) == Some(&wanted)
}

/// `"name":` right after `{` or `,` (spaces allowed): an object key in embedded JSON.
fn is_json_key(bytes: &[u8], open: usize, close: usize) -> bool {
    let before = bytes[..open]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
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

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_each_kind() {
        let cases = [
            ("id 550e8400-e29b-41d4-a716-446655440000 ok", "id <*> ok"),
            ("at 2024-03-12T10:15:32.123+01:00 x", "at <*> x"),
            ("2024-03-12 10:15:32,123 INFO", "<*> INFO"),
            (
                "Dec 10 06:55:46 LabSZ sshd[24200]: x",
                "<*> LabSZ sshd[<*>]: x",
            ),
            ("[Sun Dec 04 04:47:44 2005] [error]", "[<*>] [error]"),
            ("[10/Oct/2000:13:55:36 -0700] GET", "[<*>] GET"),
            (
                "from 183.62.140.253 port 38927 ssh2",
                "from <*> port <*> ssh2",
            ),
            ("peer fe80::1ff:fe23:4567:890a down", "peer <*> down"),
            ("mail bob.smith@example.com.", "mail <*>."),
            ("ptr 0x7ffd5a3c ok", "ptr <*> ok"),
            (
                "took 3000ms, 1.5s, 1h30m, 512MiB, 75%",
                "took <*>, <*>, <*>, <*>, <*>%",
            ),
            (
                "GET /orders/ord_8f3k2j9/items/17",
                "GET /orders/<*>/items/<*>",
            ),
            ("trace 4bf92f3577b34da6a3ce929d0e0e4736", "trace <*>"),
            ("{\"user\":\"bob\",\"n\":5}", "{\"user\":\"<*>\",\"n\":<*>}"),
            ("can't find 'x y'", "can't find '<*>'"),
            ("for \"http://payments:8080/x\": Read", "for \"<*>\": Read"),
            (
                "{ \"a\" : 1, \"b\": \"c\" }",
                "{ \"a\" : <*>, \"b\": \"<*>\" }",
            ),
            ("ssh2 log4j v1 HTTP 2xx", "ssh2 log4j v1 HTTP 2xx"),
            ("blk_-1608999687919862906", "blk_<*>"),
            ("Müller42 ünïcode 42", "Müller42 ünïcode <*>"),
            ("20171223-22:15:29:615|Step", "<*>|Step"),
            ("20171224-0:1:2:45|Step", "<*>|Step"),
            ("17/06/09 20:10:40 INFO", "<*> <*> INFO"),
            ("attempt=2/3 rdd_42_0 1##2##3", "attempt=<*> rdd_<*> <*>"),
            ("node-212 a-1 [1, 2]", "node-<*> a-<*> [<*>, <*>]"),
        ];
        for (line, want) in cases {
            assert_eq!(mask(line), want, "masking {line:?}");
        }
    }
}
