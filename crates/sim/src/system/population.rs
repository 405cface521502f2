//! Who uses the system: regions, client builds (app versions on iOS and Android,
//! browsers, a partner SDK), tenants, and users with their region, client, tenant,
//! cohort and role; also the resting utilisation of each service, which follows the
//! share of traffic it serves.

use super::*;

/// Busy services run hotter: resting utilisation follows each service's share of the
/// traffic (a payment service taking 4% of requests idles; the catalogue does not).
pub(super) fn scale_utilisation(sys: &mut System) {
    let mut weight = vec![0.0; sys.services.len()];
    for e in 0..sys.endpoints.len() {
        for svc in sys.services_of_endpoint(e) {
            weight[svc] += sys.endpoints[e].weight;
        }
    }
    let max_internal = weight
        .iter()
        .enumerate()
        .filter(|(i, _)| !sys.services[*i].edge)
        .map(|(_, w)| *w)
        .fold(0.0, f64::max)
        .max(1e-9);
    for (i, s) in sys.services.iter_mut().enumerate() {
        let rel = (weight[i] / max_internal).min(1.0);
        let lerp = |lo: f64, hi: f64| lo + (hi - lo) * rel;
        // The seeded draws (0.1..0.3 and so on) become jitter around the scaled value.
        s.base_pool = lerp(0.04, 0.26) * (0.8 + s.base_pool);
        s.base_threads = lerp(0.03, 0.22) * (0.85 + s.base_threads);
        s.base_cpu = lerp(0.08, 0.3) * (0.8 + s.base_cpu);
    }
}

pub(super) fn build_population(sys: &mut System, rng: &mut SimRng, volume: f64) {
    // Regions.
    let n_regions = r::int(rng, 2, 3) as usize;
    let mut idx: Vec<usize> = (0..domains::REGIONS.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = r::index(rng, i + 1);
        idx.swap(i, j);
    }
    let weights = [0.55, 0.3, 0.15];
    sys.regions = idx
        .iter()
        .take(n_regions)
        .enumerate()
        .map(|(k, i)| Region {
            name: domains::REGIONS[*i].0,
            weight: weights[k] * r::float(rng, 0.8, 1.2),
            ip: domains::REGIONS[*i].1,
        })
        .collect();

    // Client builds: current and older app versions on iOS and Android, browsers, an SDK.
    let app = format!("{}{}", cap(sys.company), sys.domain.app_suffix);
    let major = r::int(rng, 3, 9);
    let minor = r::int(rng, 8, 30);
    let versions = [
        (
            format!("{major}.{minor}.{}", r::int(rng, 0, 3)),
            false,
            0.55,
        ),
        (
            format!("{major}.{}.{}", minor - 1, r::int(rng, 0, 4)),
            true,
            0.3,
        ),
        (
            format!("{major}.{}.{}", minor - 2, r::int(rng, 0, 4)),
            true,
            0.15,
        ),
    ];
    let mut clients = Vec::new();
    for (kind, share) in [(ClientKind::Ios, 0.3), (ClientKind::Android, 0.27)] {
        for (v, old, w) in &versions {
            let (os, device) = match kind {
                ClientKind::Ios => *r::pick(rng, domains::IOS),
                _ => *r::pick(rng, domains::ANDROID),
            };
            let ua = match kind {
                ClientKind::Ios => format!("{app}/{v} (iOS {os}; {device})"),
                _ => format!("{app}/{v} (Android {os}; {device})"),
            };
            clients.push(Client {
                kind,
                ua,
                version: Some(v.clone()),
                old: *old,
                weight: share * w,
            });
        }
    }
    for (i, ua) in domains::BROWSERS.iter().enumerate() {
        clients.push(Client {
            kind: ClientKind::Web,
            ua: (*ua).to_string(),
            version: None,
            old: false,
            weight: [0.18, 0.08, 0.04, 0.06][i],
        });
    }
    let sdk_version = format!(
        "{}.{}.{}",
        r::int(rng, 1, 3),
        r::int(rng, 0, 9),
        r::int(rng, 0, 9)
    );
    clients.push(Client {
        kind: ClientKind::Partner,
        ua: format!(
            "{}-python-sdk/{sdk_version} python-requests/2.31.0",
            sys.company
        ),
        version: Some(sdk_version),
        old: false,
        weight: 0.04,
    });
    sys.clients = clients;

    // Tenants.
    let n_tenants = r::int(rng, 6, 14) as usize;
    let mut tidx: Vec<usize> = (0..domains::TENANTS.len()).collect();
    for i in (1..tidx.len()).rev() {
        let j = r::index(rng, i + 1);
        tidx.swap(i, j);
    }
    sys.tenants = tidx
        .iter()
        .take(n_tenants)
        .map(|i| domains::TENANTS[*i])
        .collect();

    // Users.
    let n_users = ((600.0 * volume.max(0.01)) as usize).clamp(150, 200_000);
    let region_w: Vec<f64> = sys.regions.iter().map(|r| r.weight).collect();
    let client_w: Vec<f64> = sys.clients.iter().map(|c| c.weight).collect();
    let tenant_w: Vec<f64> = (0..sys.tenants.len())
        .map(|i| 1.0 / (i as f64 + 1.5))
        .collect();
    let cohort_w: Vec<f64> = domains::COHORTS.iter().map(|c| c.1).collect();
    let role_w: Vec<f64> = domains::USER_ROLES.iter().map(|c| c.1).collect();
    let id_style = r::index(rng, 3);
    let mut users = Vec::with_capacity(n_users);
    let mut cdf = Vec::with_capacity(n_users);
    let mut acc = 0.0;
    for i in 0..n_users {
        let region = r::weighted(rng, &region_w);
        let ip_base = sys.regions[region].ip;
        let key = r::mix(i as u64, 0x5eed);
        let id = match id_style {
            0 => format!("u-{}", 100_000 + (key % 900_000)),
            1 => format!("usr_{}", r::hex(rng, 6)),
            _ => format!("{}", 10_000_000 + (key % 90_000_000)),
        };
        users.push(User {
            id,
            tenant: r::weighted(rng, &tenant_w),
            region,
            client: r::weighted(rng, &client_w),
            cohort: r::weighted(rng, &cohort_w),
            role: r::weighted(rng, &role_w),
            ip: [
                ip_base[0],
                ip_base[1],
                r::int(rng, 0, 255) as u8,
                r::int(rng, 1, 254) as u8,
            ],
            key: r::mix(key, 0xfeed),
        });
        acc += 1.0 / ((i as f64) + 8.0).powf(0.7);
        cdf.push(acc);
    }
    sys.users = users;
    sys.user_cdf = cdf;
}
