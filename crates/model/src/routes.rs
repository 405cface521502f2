//! Learning identifier positions from cardinality, after reading: an id the per-segment
//! rules of [`crate::path`] miss (a username, a random token that happens to look like a
//! word) shows up as one endpoint among hundreds of rare siblings. Folding those into
//! `{id}` keeps per-endpoint statistics whole and endpoint lists short.

use std::collections::HashMap;

/// A position needs at least this many rare siblings before it counts as an id.
const MIN_RARE_SIBLINGS: usize = 20;
/// A sibling is rare when it carries at most this share of its group's requests, or at
/// most twice the group's average (ids alike each get little).
const RARE_SHARE: f64 = 0.01;

/// Endpoints equal but for one segment: (method, segments before, segments after).
type SiblingKey<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>);

/// For `endpoints` (`"GET /users/alice"`, with request counts), the ones whose segment
/// at some position is one of many rare values under otherwise equal endpoints, and the
/// endpoint each becomes (that segment replaced by `{id}`). Frequent siblings
/// (`/users/me` next to thousands of user names) stay as they are.
pub fn rare_sibling_ids(endpoints: &[(&str, u64)]) -> Vec<(usize, String)> {
    let mut groups: HashMap<SiblingKey<'_>, Vec<usize>> = HashMap::new();
    let parsed: Vec<(&str, Vec<&str>)> = endpoints
        .iter()
        .map(|(e, _)| match e.split_once(' ') {
            Some((m, p)) if p.starts_with('/') => (m, p.split('/').collect()),
            _ => ("", e.split('/').collect()),
        })
        .collect();
    for (i, (method, segs)) in parsed.iter().enumerate() {
        for (pos, seg) in segs.iter().enumerate() {
            if seg.is_empty() || seg.starts_with('{') {
                continue;
            }
            let key = (*method, segs[..pos].to_vec(), segs[pos + 1..].to_vec());
            groups.entry(key).or_default().push(i);
        }
    }
    let mut out: HashMap<usize, String> = HashMap::new();
    let mut keys: Vec<_> = groups.keys().cloned().collect();
    // Deterministic: shorter prefixes first, so the leftmost id position wins.
    keys.sort();
    for key in keys {
        let members = &groups[&key];
        if members.len() < MIN_RARE_SIBLINGS {
            continue;
        }
        let total: u64 = members.iter().map(|&i| endpoints[i].1).sum();
        let cut = (total as f64 * RARE_SHARE).max(2.0 * total as f64 / members.len() as f64);
        let rare: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| endpoints[i].1 as f64 <= cut)
            .collect();
        if rare.len() < MIN_RARE_SIBLINGS {
            continue;
        }
        let (method, before, after) = &key;
        let mut path: Vec<&str> = before.clone();
        path.push("{id}");
        path.extend(after.iter().copied());
        let joined = path.join("/");
        let target = if method.is_empty() {
            joined
        } else {
            format!("{method} {joined}")
        };
        for i in rare {
            out.entry(i).or_insert_with(|| target.clone());
        }
    }
    let mut v: Vec<(usize, String)> = out.into_iter().collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_rare_siblings_fold_and_frequent_ones_stay() {
        let mut eps: Vec<(String, u64)> = vec![
            ("GET /users/{id}".into(), 5000),
            ("GET /users/me".into(), 3000),
            ("GET /users/search".into(), 900),
            ("GET /orders".into(), 100),
        ];
        for n in 0..40 {
            eps.push((
                format!("GET /users/name{}", "x".repeat(n % 7 + 1) + &n.to_string()),
                2,
            ));
            eps.push((format!("GET /users/u{n}/cart"), 1));
        }
        eps.push(("POST /users/alice".into(), 1));
        let refs: Vec<(&str, u64)> = eps.iter().map(|(e, n)| (e.as_str(), *n)).collect();
        let got = rare_sibling_ids(&refs);
        let mapped: HashMap<&str, &str> =
            got.iter().map(|(i, t)| (refs[*i].0, t.as_str())).collect();
        assert_eq!(mapped.get("GET /users/namex0"), Some(&"GET /users/{id}"));
        assert_eq!(
            mapped.get("GET /users/u3/cart"),
            Some(&"GET /users/{id}/cart")
        );
        assert!(!mapped.contains_key("GET /users/me"));
        assert!(!mapped.contains_key("GET /users/search"));
        assert!(!mapped.contains_key("GET /orders"));
        // One POST is no evidence of anything.
        assert!(!mapped.contains_key("POST /users/alice"));
    }

    #[test]
    fn few_siblings_are_routes() {
        let eps = [
            ("GET /v1/cart", 10),
            ("GET /v1/orders", 10),
            ("GET /v1/me", 10),
        ];
        assert!(rare_sibling_ids(&eps).is_empty());
    }
}
