//! Facts several checks share, computed once per triage: changes near the onset
//! (explicit and inferred from new releases), per-service and per-downstream
//! comparisons of the incident window with the baseline.

use crate::incident::Incident;
use crate::view::{DownStats, ReqStats, View};
use apitriage_model::record::{Change, ChangeKind};
use apitriage_model::time::{Nanos, SECOND};
use std::collections::BTreeMap;

/// How long before the onset a change counts as related (the runbook's 1-2 h).
pub const CHANGE_LOOKBACK: Nanos = 2 * 3600 * SECOND;

/// Baseline versus incident for one thing.
#[derive(Debug, Clone, Default)]
pub struct Delta<T> {
    /// Before the onset.
    pub before: T,
    /// After the onset.
    pub after: T,
}

/// A downstream's change at the onset.
#[derive(Debug, Clone, Default)]
pub struct DownDelta {
    /// Calling service.
    pub caller: String,
    /// Downstream name.
    pub downstream: String,
    /// Stats.
    pub d: Delta<DownStats>,
    /// Calls per caller request, before and after (load on the downstream).
    pub calls_per_request: (f64, f64),
    /// Strength of the change (0..1).
    pub strength: f64,
}

/// Where the blame chain ends: the component whose own change explains the failures.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// Service or downstream name.
    pub name: String,
    /// True when it serves requests in the telemetry (an internal service); false for a
    /// database, cache or third party seen only through client spans.
    pub internal: bool,
    /// The services walked through, from the focus down.
    pub hops: Vec<String>,
    /// Set when the walk stopped because the next step down was driven by our own load.
    pub load_driven_by: Option<String>,
}

impl DownDelta {
    /// True when more calls from us, not the downstream itself, explain its change: the
    /// first-attempt calls per request rose by half or more while its error rate did not
    /// jump (a failing downstream draws retries and reconnects, which is not load).
    pub fn load_driven(&self) -> bool {
        crate::checks::dependency::load_driven(self.calls_per_request)
            && self.d.after.error_rate() - self.d.before.error_rate() < 0.2
    }
}

/// A caller that stopped calling one address and started calling another at the
/// onset, where the new one fails: a base URL or host name changed in its configuration.
#[derive(Debug, Clone)]
pub struct AddressSwitch {
    /// The calling service.
    pub caller: String,
    /// The address it called before (last call near the onset).
    pub old: String,
    /// The address it calls now (never called before).
    pub new: String,
    /// First call to the new address.
    pub first: Nanos,
    /// Calls to the new address and how many failed.
    pub calls: u64,
    /// Failed calls to the new address.
    pub errors: u64,
    /// Calls to the old address before the switch.
    pub old_calls: u64,
}

/// True when two addresses name the same thing in different places: their first
/// distinctive labels agree (`paygrid` and `paygrid.staging.internal`, `payflow` and
/// `api.sandbox.payflow.example`). Generic labels (`api`, `internal`, top-level
/// domains), environment words (`staging`, `sandbox`), cloud provider domains and
/// region names are skipped, so `maps.googleapis.com` and `storage.googleapis.com`, or
/// `orders.staging.internal` and `ledger.staging.internal`, stay different.
pub fn same_name(a: &str, b: &str) -> bool {
    match (distinctive_label(a), distinctive_label(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The first label of a host name that names the thing rather than where it runs.
fn distinctive_label(host: &str) -> Option<String> {
    const GENERIC: &[&str] = &[
        "api",
        "www",
        "internal",
        "svc",
        "cluster",
        "local",
        "com",
        "net",
        "org",
        "io",
        "example",
        "default",
        "prod",
        "production",
        "staging",
        "stage",
        "sandbox",
        "dev",
        "test",
        "qa",
        "uat",
        "preprod",
        "amazonaws",
        "googleapis",
        "azure",
        "cloud",
        "windows",
        "gateway",
        "service",
        "http",
        "https",
    ];
    let region = |l: &str| {
        // us-east-1, eu-west-3, ap-southeast-2
        let parts: Vec<&str> = l.split('-').collect();
        parts.len() == 3 && parts[0].len() == 2 && parts[2].bytes().all(|b| b.is_ascii_digit())
    };
    host.to_ascii_lowercase()
        .split(['.', ':', '/'])
        .find(|l| {
            l.len() >= 3
                && !GENERIC.contains(l)
                && !region(l)
                && !l.bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
}

/// True for an IP address literal (`10.1.2.3`, `[fd00::1]`): addresses that change in a
/// failover or a redeploy without anyone touching configuration.
fn ip_literal(name: &str) -> bool {
    let n = name
        .trim_start_matches('[')
        .split(']')
        .next()
        .unwrap_or(name);
    n.parse::<std::net::IpAddr>().is_ok()
        || n.rsplit_once(':')
            .is_some_and(|(h, _)| h.parse::<std::net::IpAddr>().is_ok())
}

/// The host names of the URLs in a message (`... (calling https://api.geoapi.example/v1/x)`
/// gives `api.geoapi.example`).
pub fn url_hosts(text: &str) -> Vec<&str> {
    text.match_indices("://")
        .filter_map(|(i, _)| {
            let rest = &text[i + 3..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            let host = &rest[..end];
            (!host.is_empty()).then_some(host)
        })
        .collect()
}

/// Address switches near the onset (see [`AddressSwitch`]). The new address must be
/// unused for at least ten minutes of data before its first call, fail at least half
/// of its calls, and replace an address of the same name (or the only address the
/// caller stopped calling within five minutes of the switch).
pub fn address_switches(view: &View<'_>, inc: &Incident) -> Vec<AddressSwitch> {
    use apitriage_model::summary::BUCKET;
    let onset_b = inc.onset.div_euclid(BUCKET);
    let mut out = Vec::new();
    for ((caller, new), cells) in &view.downstreams {
        let Some(first) = cells.first().map(|c| c.0) else {
            continue;
        };
        if first < view.range.start + 60 || (first - onset_b).abs() > 60 {
            continue;
        }
        let calls: u64 = cells.iter().map(|c| c.1.calls as u64).sum();
        let errors: u64 = cells.iter().map(|c| c.1.errors as u64).sum();
        // A traced service taking over (blue/green) is followed by the walk like any
        // other; an IP literal changes in failovers and redeploys.
        if calls < 5 || errors * 2 < calls || view.is_service(new) || ip_literal(new) {
            continue;
        }
        // Addresses of the same caller that went quiet around the switch.
        let stopped: Vec<(&String, u64)> = view
            .downstreams
            .iter()
            .filter(|((c, d), _)| c == caller && d != new)
            .filter_map(|((_, d), run)| {
                let last = run.last()?.0;
                let (mut before, mut failed) = (0u64, 0u64);
                for c in run.iter().filter(|c| c.0 < first) {
                    before += c.1.calls as u64;
                    failed += c.1.errors as u64;
                }
                // It went quiet within five minutes of the switch, and it worked before.
                ((last - first).abs() <= 30 && before >= 5 && failed * 10 < before)
                    .then_some((d, before))
            })
            .collect();
        let old = stopped
            .iter()
            .find(|(d, _)| same_name(d, new))
            .or_else(|| (stopped.len() == 1 && !ip_literal(stopped[0].0)).then(|| &stopped[0]));
        if let Some((old, old_calls)) = old {
            out.push(AddressSwitch {
                caller: caller.clone(),
                old: (*old).clone(),
                new: new.clone(),
                first: first * BUCKET,
                calls,
                errors,
                old_calls: *old_calls,
            });
        }
    }
    out
}

/// Shared facts.
pub struct Facts {
    /// The end of the blame chain, when traces allow walking it.
    pub origin: Option<Origin>,
    /// Changes (explicit and inferred), sorted by time.
    pub changes: Vec<Change>,
    /// Changes within [onset - 2 h, onset + 2 min].
    pub near: Vec<Change>,
    /// Per service: requests before and after.
    pub services: BTreeMap<String, Delta<ReqStats>>,
    /// Focus endpoint before and after.
    pub focus: Delta<ReqStats>,
    /// Downstream changes, strongest first.
    pub downstreams: Vec<DownDelta>,
    /// Services that appear as a downstream and also serve requests.
    pub internal: Vec<String>,
    /// Request rate ratio after/before over all services.
    pub traffic_ratio: f64,
    /// Callers that switched to a new, failing address at the onset.
    pub switches: Vec<AddressSwitch>,
}

fn per_second(n: u64, secs: f64) -> f64 {
    if secs <= 0.0 {
        0.0
    } else {
        n as f64 / secs
    }
}

/// Deploys inferred from a new `service.version` appearing part way through the data.
pub fn inferred_deploys(view: &View<'_>) -> Vec<Change> {
    let s = view.s;
    let mut per_service: BTreeMap<String, Vec<(Nanos, String, u64)>> = BTreeMap::new();
    for ((svc, ver), seen) in &s.versions {
        per_service.entry(s.s(*svc).to_string()).or_default().push((
            seen.first,
            s.s(*ver).to_string(),
            seen.count,
        ));
    }
    let start = s.min_time.unwrap_or(0);
    let mut out = Vec::new();
    for (svc, mut versions) in per_service {
        if versions.len() < 2 {
            continue;
        }
        versions.sort();
        for (first, ver, count) in versions.into_iter().skip(1) {
            if first > start + 60 * SECOND && count >= 5 {
                out.push(Change {
                    time: first,
                    kind: ChangeKind::Deploy,
                    service: svc.clone(),
                    version: Some(ver),
                    description: Some("first seen in telemetry".into()),
                    inferred: true,
                });
            }
        }
    }
    out
}

impl Facts {
    /// Computes the facts for an incident.
    pub fn new(view: &View<'_>, inc: &Incident) -> Facts {
        let mut changes: Vec<Change> = view.s.changes.clone();
        for c in inferred_deploys(view) {
            // An explicit deploy of the same service within 10 minutes wins.
            let dup = changes.iter().any(|e| {
                e.service == c.service
                    && e.kind == ChangeKind::Deploy
                    && (e.time - c.time).abs() < 600 * SECOND
            });
            if !dup {
                changes.push(c);
            }
        }
        changes.sort_by(|a, b| (a.time, &a.service).cmp(&(b.time, &b.service)));
        let near: Vec<Change> = changes
            .iter()
            // A rollout can be first seen a little after the first errors it causes.
            .filter(|c| c.time >= inc.onset - CHANGE_LOOKBACK && c.time <= inc.onset + 300 * SECOND)
            .cloned()
            .collect();
        let (bw, iw) = (inc.baseline, inc.window);
        let mut services = BTreeMap::new();
        for svc in view.services() {
            let before = view.requests(bw, |s, _| s == svc);
            let after = view.requests(iw, |s, _| s == svc);
            if before.total + after.total > 0 {
                services.insert(svc, Delta { before, after });
            }
        }
        let focus = match (&inc.service, &inc.endpoint) {
            (Some(s), Some(e)) => Delta {
                before: view.endpoint(s, e, bw),
                after: view.endpoint(s, e, iw),
            },
            _ => Delta {
                before: view.requests(bw, |_, _| true),
                after: view.requests(iw, |_, _| true),
            },
        };
        let mut downstreams = Vec::new();
        for (caller, ds) in view.downstreams.keys() {
            let before = view.downstream(caller, ds, bw);
            let after = view.downstream(caller, ds, iw);
            if after.calls < 5 || before.calls < 5 {
                continue;
            }
            let caller_reqs = services.get(caller);
            let cpr = |calls: u64, reqs: u64| {
                if reqs == 0 {
                    0.0
                } else {
                    calls as f64 / reqs as f64
                }
            };
            // First attempts only: retries multiply calls when a downstream fails, which
            // is a consequence, not load.
            let first = |s: &DownStats| s.calls.saturating_sub(s.resent);
            let calls_per_request = caller_reqs
                .map(|d: &Delta<ReqStats>| {
                    (
                        cpr(first(&before), d.before.total),
                        cpr(first(&after), d.after.total),
                    )
                })
                .unwrap_or((0.0, 0.0));
            let err_jump = after.error_rate() - before.error_rate();
            let lat_ratio = match (before.latency.quantile(0.95), after.latency.quantile(0.95)) {
                (Some(a), Some(b)) if a > 0.0 => b / a,
                _ => 1.0,
            };
            let err_s = (err_jump / 0.3).clamp(0.0, 1.0);
            // A latency step must be large in both relative and absolute terms: 7 ms →
            // 40 ms is a ratio of six but explains nothing users feel.
            let lat_rise_ms = match (before.latency.quantile(0.95), after.latency.quantile(0.95)) {
                (Some(a), Some(b)) => b - a,
                _ => 0.0,
            };
            let lat_s =
                ((lat_ratio - 1.5) / 3.0).clamp(0.0, 1.0) * (lat_rise_ms / 500.0).clamp(0.0, 1.0);
            let strength = err_s.max(lat_s);
            downstreams.push(DownDelta {
                caller: caller.clone(),
                downstream: ds.clone(),
                d: Delta { before, after },
                calls_per_request,
                strength,
            });
        }
        downstreams.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(a.downstream.cmp(&b.downstream))
        });
        let served: std::collections::BTreeSet<&String> = services.keys().collect();
        let mut internal: Vec<String> = view
            .downstream_names()
            .into_iter()
            .filter(|d| served.contains(d))
            .collect();
        internal.sort();
        let all_before: u64 = services.values().map(|d| d.before.total).sum();
        let all_after: u64 = services.values().map(|d| d.after.total).sum();
        let traffic_ratio = {
            let b = per_second(all_before, bw.seconds());
            let a = per_second(all_after, iw.seconds());
            if b > 0.0 {
                a / b
            } else {
                1.0
            }
        };
        let mut facts = Facts {
            origin: None,
            changes,
            near,
            services,
            focus,
            downstreams,
            internal,
            traffic_ratio,
            switches: address_switches(view, inc),
        };
        facts.origin = facts.walk(inc);
        facts
    }

    fn excess(d: &Delta<ReqStats>) -> (f64, f64) {
        let err = d.after.server_errors as f64 - d.before.server_rate() * d.after.total as f64;
        let lat = match (d.before.q(0.95), d.after.q(0.95)) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        };
        (err, lat)
    }

    /// Walks from the focus service down the call graph, at each step following the
    /// downstream whose own change accounts for a good part of the caller's extra errors
    /// or latency. Symptoms propagate up; causes sit where the walk stops.
    fn walk(&self, inc: &Incident) -> Option<Origin> {
        if self.downstreams.is_empty() {
            return None;
        }
        let callers: std::collections::BTreeSet<&str> =
            self.downstreams.iter().map(|d| d.caller.as_str()).collect();
        let mut start = inc.service.clone().filter(|s| callers.contains(s.as_str()));
        if start.is_none() {
            // The focus is seen only at the edge (access logs): start from the top-most
            // traced services (not called by another traced service) with the largest change.
            let called: std::collections::BTreeSet<&str> = self
                .downstreams
                .iter()
                .filter(|d| callers.contains(d.caller.as_str()))
                .map(|d| d.downstream.as_str())
                .collect();
            start = self
                .services
                .iter()
                .filter(|(s, _)| callers.contains(s.as_str()) && !called.contains(s.as_str()))
                .map(|(s, d)| {
                    let (e, l) = Self::excess(d);
                    (e.max(0.0) + l.max(0.0) / 100.0, s)
                })
                .filter(|x| x.0 > 0.0)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
                .map(|x| x.1.clone());
        }
        let mut cur = start?;
        let mut hops = vec![cur.clone()];
        for _ in 0..8 {
            let (s_err, s_lat) = self
                .services
                .get(&cur)
                .map(Self::excess)
                .unwrap_or((0.0, 0.0));
            let mut best: Option<(f64, &DownDelta)> = None;
            for d in self.downstreams.iter().filter(|d| d.caller == cur) {
                let d_err =
                    d.d.after.errors as f64 - d.d.before.error_rate() * d.d.after.calls as f64;
                let d_lat = match (
                    d.d.before.latency.quantile(0.95),
                    d.d.after.latency.quantile(0.95),
                ) {
                    (Some(a), Some(b)) => b - a,
                    _ => 0.0,
                };
                let by_err = if s_err >= 5.0 && d_err >= 0.3 * s_err {
                    d_err / s_err
                } else {
                    0.0
                };
                let by_lat = if s_lat >= 50.0 && d_lat >= 0.3 * s_lat {
                    d_lat / s_lat
                } else {
                    0.0
                };
                // Errors the caller did not report (spans without status) still count.
                let by_err = if s_err < 5.0 && d_err >= 10.0 && d.d.after.error_rate() >= 0.05 {
                    1.0
                } else {
                    by_err
                };
                // A downstream whose calls multiplied is more likely a consequence (a cache
                // failing over to the database): prefer one that changed on its own.
                let load = d.load_driven();
                let score = by_err.min(3.0) + by_lat.min(3.0) + if load { 0.0 } else { 10.0 };
                if score > 10.0 * (!load as u8 as f64) && best.as_ref().is_none_or(|b| score > b.0)
                {
                    best = Some((score, d));
                }
            }
            let switched = best
                .as_ref()
                .is_some_and(|(_, d)| self.switched_to(&d.caller, &d.downstream));
            // Failures of an address the caller only started calling at the onset are
            // its configuration's, not the address owner's.
            let Some((_, d)) = best.filter(|_| !switched) else {
                return Some(Origin {
                    name: cur.clone(),
                    internal: true,
                    hops,
                    load_driven_by: None,
                });
            };
            if d.load_driven() {
                // More load sent down: an internal service receiving it is the one that
                // saturates; a store receiving it was overrun by the caller.
                if self.services.contains_key(&d.downstream) && !hops.contains(&d.downstream) {
                    hops.push(d.downstream.clone());
                    return Some(Origin {
                        name: d.downstream.clone(),
                        internal: true,
                        hops,
                        load_driven_by: Some(cur.clone()),
                    });
                }
                return Some(Origin {
                    name: cur.clone(),
                    internal: true,
                    hops,
                    load_driven_by: Some(d.downstream.clone()),
                });
            }
            if self.services.contains_key(&d.downstream) && !hops.contains(&d.downstream) {
                cur = d.downstream.clone();
                hops.push(cur.clone());
                continue;
            }
            return Some(Origin {
                name: d.downstream.clone(),
                internal: false,
                hops,
                load_driven_by: None,
            });
        }
        Some(Origin {
            name: cur,
            internal: true,
            hops,
            load_driven_by: None,
        })
    }

    /// The internal service where the blame chain ends, if it ends inside the system.
    pub fn origin_service(&self) -> Option<&str> {
        self.origin
            .as_ref()
            .filter(|o| o.internal)
            .map(|o| o.name.as_str())
    }

    /// The external downstream where the blame chain ends, if it ends outside.
    pub fn origin_dependency(&self) -> Option<&str> {
        self.origin
            .as_ref()
            .filter(|o| !o.internal)
            .map(|o| o.name.as_str())
    }

    /// The service to blame for a problem inside the system: the chain's end, else the
    /// focus service.
    pub fn blame_target(&self, inc: &Incident) -> Option<String> {
        self.origin_service()
            .map(str::to_string)
            .or_else(|| inc.service.clone())
    }

    /// True when `caller` only started calling `address` at the onset, in place of
    /// another address (see [`AddressSwitch`]): its failures are the caller's
    /// configuration's, not the address owner's.
    pub fn switched_to(&self, caller: &str, address: &str) -> bool {
        self.switches
            .iter()
            .any(|w| w.caller == caller && w.new.eq_ignore_ascii_case(address))
    }

    /// The latest change of `service` before the onset within the lookback, if any.
    pub fn change_of(&self, service: &str) -> Option<&Change> {
        self.near.iter().rev().find(|c| c.service == service)
    }
}
