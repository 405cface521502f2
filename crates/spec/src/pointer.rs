//! JSON Pointer helpers (RFC 6901) and the fragment form used by `$ref`
//! (RFC 3986 §3.5: a pointer in a URI fragment is percent-encoded).

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/` + escaped `token`.
pub(crate) fn join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    out.push_str(&escape(token));
    out
}

/// Unescapes one reference token.
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The last token of a pointer, unescaped.
pub(crate) fn last_token(pointer: &str) -> String {
    unescape(pointer.rsplit('/').next().unwrap_or(""))
}

/// Decodes `%XX` escapes; invalid escapes are kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        assert_eq!(join("/paths", "/orders/{id}"), "/paths/~1orders~1{id}");
        assert_eq!(unescape("~1orders~1{id}~0x"), "/orders/{id}~x");
        assert_eq!(last_token("/components/schemas/A~1B"), "A/B");
        assert_eq!(percent_decode("/a%20b%7Bc%"), "/a b{c%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}
