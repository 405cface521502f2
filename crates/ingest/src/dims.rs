//! Blast-radius dimensions: which attribute names (OpenTelemetry semantic conventions,
//! and the custom names teams commonly use) say who and where a request came from, and
//! how a user agent names a client app and its version.

/// The dimension an attribute key feeds, if any.
pub fn dimension_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "cloud.region" | "region" | "aws.region" | "geo.region" | "client.geo.region" => "region",
        "cloud.availability_zone" | "availability_zone" | "zone" => "zone",
        "k8s.pod.name" | "host.name" | "service.instance.id" | "container.id" | "pod" | "host" => {
            "host"
        }
        "enduser.id" | "user.id" | "user_id" | "usr.id" | "app.user.id" => "user",
        "enduser.role" | "user.roles" | "app.user.role" | "role" => "role",
        "tenant.id" | "tenant" | "tenant_id" | "app.tenant.id" | "org.id" | "organization.id"
        | "account.id" => "tenant",
        "app.cohort"
        | "cohort"
        | "experiment"
        | "app.experiment"
        | "feature_flag.variant"
        | "feature_flag.result.variant" => "cohort",
        "app.version" | "client.version" | "app.client.version" | "client_version" => {
            "client_version"
        }
        "app.name" | "client.app" | "app.client.name" | "client_app" => "client_app",
        "client.asn" | "network.asn" | "asn" | "isp" | "client.isp" => "asn",
        "cdn.edge" | "edge" | "cdn.pop" | "x-amz-cf-pop" | "edge.location" => "edge",
        "deployment.environment.name" | "deployment.environment" => "environment",
        _ => return None,
    })
}

/// Client app name and version from a user agent: the first `Name/1.2.3` product token
/// that is not a generic browser engine token, so `ShopApp/4.12.0 (iOS 17.2)` gives
/// ("ShopApp", "4.12.0") and a desktop Chrome gives ("Chrome", "120").
pub fn client_of_user_agent(ua: &str) -> Option<(&str, &str)> {
    // A log holds a few thousand distinct user agents at most, each on many lines:
    // remember where the name and version were found in each.
    thread_local! {
        static SEEN: std::cell::RefCell<apitriage_model::FastMap<Box<str>, Option<[u16; 3]>>> =
            Default::default();
    }
    let at = |r: [u16; 3]| {
        let (start, mid, end) = (r[0] as usize, r[1] as usize, r[2] as usize);
        Some((ua.get(start..mid)?, ua.get(mid + 1..end)?))
    };
    if ua.len() > u16::MAX as usize {
        return parse_user_agent(ua);
    }
    if let Some(hit) = SEEN.with(|s| s.borrow().get(ua).copied()) {
        return hit.and_then(at);
    }
    let found = parse_user_agent(ua);
    let offsets = found.map(|(name, version)| {
        let start = name.as_ptr() as usize - ua.as_ptr() as usize;
        let mid = start + name.len();
        [start as u16, mid as u16, (mid + 1 + version.len()) as u16]
    });
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() >= 4096 {
            s.clear();
        }
        s.insert(ua.into(), offsets);
    });
    found
}

/// The parse behind [`client_of_user_agent`].
fn parse_user_agent(ua: &str) -> Option<(&str, &str)> {
    let mut fallback = None;
    let mut in_comment = 0i32;
    for tok in ua.split(' ') {
        if tok.starts_with('(') {
            in_comment += 1;
        }
        let closes = tok.ends_with(')');
        if in_comment == 0 {
            if let Some((name, ver)) = tok.split_once('/') {
                if name.is_empty() || ver.is_empty() {
                    continue;
                }
                let generic = matches!(
                    name,
                    "Mozilla" | "AppleWebKit" | "KHTML" | "Gecko" | "Safari" | "Version" | "Mobile"
                );
                if !generic {
                    let browser = matches!(name, "Chrome" | "Firefox" | "Edg" | "OPR" | "CriOS");
                    if browser {
                        // Browsers: major version only, the minor parts are noise.
                        let major = ver.find(['.', '-', '+']).unwrap_or(ver.len());
                        let v = &ver[..major];
                        fallback = fallback.or(Some((name, v)));
                        continue;
                    }
                    return Some((name, ver));
                }
            }
        }
        if closes {
            in_comment -= 1;
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents() {
        assert_eq!(
            client_of_user_agent("ShopApp/4.12.0 (iOS 17.2; iPhone14,2) Alamofire/5.8.0"),
            Some(("ShopApp", "4.12.0"))
        );
        assert_eq!(
            client_of_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36"),
            Some(("Chrome", "120"))
        );
        assert_eq!(
            client_of_user_agent("okhttp/4.9.3"),
            Some(("okhttp", "4.9.3"))
        );
        assert_eq!(client_of_user_agent("-"), None);
    }

    #[test]
    fn semantic_convention_names() {
        assert_eq!(dimension_of("cloud.region"), Some("region"));
        assert_eq!(dimension_of("enduser.id"), Some("user"));
        assert_eq!(dimension_of("http.route"), None);
    }
}
