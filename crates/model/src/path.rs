//! Turning raw URL paths into route templates when the telemetry carries no `http.route`:
//! identifier-like segments (numbers, UUIDs, hex, long tokens) become `{id}`, so that
//! `/orders/7` and `/orders/8` count as one endpoint and cardinality stays bounded.

/// Returns the route template of a raw path or URL (query string and scheme removed).
pub fn normalize(path_or_url: &str) -> String {
    let mut out = String::new();
    normalize_into(path_or_url, &mut out);
    out
}

/// [`normalize`] into a caller's buffer (cleared first), for the per-record path.
pub fn normalize_into(path_or_url: &str, out: &mut String) {
    out.clear();
    push_normalized(path_or_url, out);
}

/// Appends the route template of `path_or_url` to `out`.
fn push_normalized(path_or_url: &str, out: &mut String) {
    let start = out.len();
    let mut p = path_or_url;
    // Most inputs are already paths; only a URL needs its scheme and host cut.
    if !p.starts_with('/') {
        if let Some(rest) = p.split_once("://").map(|x| x.1) {
            p = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
        }
    }
    let p = match p.bytes().position(|b| b == b'?' || b == b'#') {
        Some(i) => &p[..i],
        None => p,
    };
    if p.is_empty() {
        out.push('/');
        return;
    }
    let mut rest = p;
    loop {
        let (seg, next) = match rest.bytes().position(|b| b == b'/') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if is_identifier(seg) {
            out.push_str("{id}");
        } else {
            out.push_str(seg);
        }
        match next {
            Some(n) => {
                out.push('/');
                rest = n;
            }
            None => break,
        }
    }
    if out.len() > start + 1 && out.ends_with('/') {
        out.pop();
    }
}

fn is_identifier(seg: &str) -> bool {
    if seg.is_empty() || seg.starts_with('{') {
        return false;
    }
    let digits = seg.bytes().filter(|b| b.is_ascii_digit()).count();
    if digits == seg.len() {
        return true;
    }
    if digits == 0 && !seg.contains('_') {
        // Every rule below needs a digit, or an underscore for a prefixed token.
        return false;
    }
    let hexish = seg
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b'-' || b == b'_');
    if hexish && seg.len() >= 8 && digits > 0 {
        return true;
    }
    // Long opaque tokens (base64 ids, prefixed ids like `acc_w2fy256bv5`, slugs with
    // numbers) rarely name a route; short ones (`v2`, `oauth2`) do.
    let letters = seg.bytes().filter(|b| b.is_ascii_alphabetic()).count();
    seg.len() >= 20 && digits > 0
        || digits >= 3 && digits * 2 >= seg.len()
        || seg.len() >= 8 && digits >= 2 && letters > 0
        || is_prefixed_token(seg)
}

/// Prefixed opaque ids, Stripe style (`cus_NffrFeUfNV2Hib`, `trf_zxprxgbasw`): a short
/// alphabetic prefix, `_`, and 8+ letters and digits that do not read as a word. About
/// one random lowercase token in twenty-five has no digit, and each such id would
/// otherwise become an endpoint of its own. Words are told apart by their vowels:
/// English route words are a third vowels or more (`accounts`, `subscriptions`), random
/// letters a fifth.
fn is_prefixed_token(seg: &str) -> bool {
    let Some((prefix, token)) = seg.split_once('_') else {
        return false;
    };
    if !(2..=6).contains(&prefix.len())
        || !prefix.bytes().all(|b| b.is_ascii_alphabetic())
        || token.len() < 8
        || !token.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return false;
    }
    let b = token.as_bytes();
    let digit = b.iter().any(u8::is_ascii_digit);
    // An upper-case letter after a lower-case one: camel humps do not occur in route
    // words written with underscores.
    let mixed_case = b
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    // Five consonants in a row: English route words have at most four ("subscriptions").
    let mut run = 0;
    let mut unpronounceable = false;
    let mut vowels = 0;
    for c in b {
        let c = c.to_ascii_lowercase();
        vowels += matches!(c, b'a' | b'e' | b'i' | b'o' | b'u') as usize;
        if matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            run = 0;
        } else {
            run += 1;
            unpronounceable |= run >= 5;
        }
    }
    let few_vowels = vowels * 4 < b.len();
    digit || mixed_case || unpronounceable || few_vowels
}

/// An endpoint key, `"POST /checkout"`.
pub fn endpoint(method: &str, route: &str) -> String {
    let mut out = String::new();
    endpoint_into(method, route, true, &mut out);
    out
}

/// [`endpoint`] into a caller's buffer (cleared first); a raw path (`is_template`
/// false) is normalized on the way in, as [`normalize`] would.
pub fn endpoint_into(method: &str, route: &str, is_template: bool, out: &mut String) {
    out.clear();
    if !method.is_empty() {
        out.extend(method.chars().map(|c| c.to_ascii_uppercase()));
        out.push(' ');
    }
    if is_template {
        out.push_str(route);
    } else {
        push_normalized(route, out);
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn identifiers_become_placeholders() {
        assert_eq!(normalize("/orders/7"), "/orders/{id}");
        assert_eq!(
            normalize("/users/3fa85f64-5717-4562-b3fc-2c963f66afa6/cart?x=1"),
            "/users/{id}/cart"
        );
        assert_eq!(normalize("https://api.example.com/v1/items/"), "/v1/items");
        assert_eq!(normalize("/v1/checkout"), "/v1/checkout");
        assert_eq!(normalize(""), "/");
        assert_eq!(normalize("/health"), "/health");
        assert_eq!(normalize("/orders/{orderId}"), "/orders/{orderId}");
        assert_eq!(
            normalize("/v2/accounts/acc_w2fy256bv5"),
            "/v2/accounts/{id}"
        );
        assert_eq!(normalize("/api/oauth2/token"), "/api/oauth2/token");
        assert_eq!(
            normalize("/v2/transfers/trf_zxprxgbasw/cancel"),
            "/v2/transfers/{id}/cancel"
        );
        assert_eq!(
            normalize("/v1/customers/cus_NffrFeUfNV2Hib"),
            "/v1/customers/{id}"
        );
        assert_eq!(
            normalize("/v1/products/prd_ykzemaspck"),
            "/v1/products/{id}"
        );
        // Route words joined by underscores stay.
        assert_eq!(
            normalize("/v1/user_subscriptions/account_settings/bank_accounts"),
            "/v1/user_subscriptions/account_settings/bank_accounts"
        );
        assert_eq!(
            normalize("/v2/payment_methods/tax_registrations"),
            "/v2/payment_methods/tax_registrations"
        );
    }
}
