//! Refused connections and unavailable stores, from the error logs of the service that
//! calls them: "Connection to orders-db:5432 refused", "cannot execute INSERT in a
//! read-only transaction" after a failover. Drivers name the host they could not reach,
//! so the message ties the errors to one of the service's downstreams.

use super::super::{found, Check, Cx, Outcome};
use apitriage_model::classify::Signal;
use std::collections::BTreeMap;

/// Connections refused by a named downstream.
pub struct RefusedConnections;

/// True when `name` appears in `text` as a whole host token (not inside a longer name).
fn names_host(text: &str, name: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let n = name.to_ascii_lowercase();
    if n.len() < 3 {
        return false;
    }
    let host_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    t.match_indices(&n).any(|(i, _)| {
        let before = t[..i].chars().next_back();
        let after = t[i + n.len()..].chars().next();
        !before.is_some_and(host_char) && !after.is_some_and(host_char)
    })
}

impl Check for RefusedConnections {
    fn id(&self) -> &'static str {
        "dependency.refused_connections"
    }

    fn run(&self, cx: &Cx<'_>) -> Outcome {
        if cx.view.s.signatures.is_empty() {
            return Outcome::NotRun("error logs or span exception events");
        }
        // (caller, downstream) → (records in the window, signatures, first example)
        let mut hits: BTreeMap<(String, String), (u64, u32, String)> = BTreeMap::new();
        let mut unnamed: BTreeMap<String, u64> = BTreeMap::new();
        for (svc, st, _, n) in crate::checks::code_path::surging(cx) {
            if st.signal != Some(Signal::Unavailable) {
                continue;
            }
            // Stores and third parties only: an internal service answering 503 may be
            // overloaded, which is a capacity question for its own checks.
            let named: Vec<&String> = cx
                .view
                .downstreams
                .keys()
                .filter(|(c, d)| {
                    *c == svc
                        && !cx.facts.internal.contains(d)
                        && names_host(&st.example, d)
                        // A new address the caller switched to is its configuration's.
                        && !cx.facts.switched_to(c, d)
                })
                .map(|(_, d)| d)
                .collect();
            if named.is_empty() {
                *unnamed.entry(svc.clone()).or_default() += n;
            }
            for d in named {
                let e = hits
                    .entry((svc.clone(), d.clone()))
                    .or_insert((0, 0, st.example.clone()));
                e.0 += n;
                e.1 += 1;
            }
        }
        // Messages that name no host (a read-only node, a reset connection): the store of
        // that caller whose calls started failing at the onset, when there is one.
        let mut by_rise = false;
        if hits.is_empty() {
            for (caller, n) in &unnamed {
                let stepped = cx
                    .facts
                    .downstreams
                    .iter()
                    .filter(|d| {
                        d.caller == *caller
                            && !cx.facts.internal.contains(&d.downstream)
                            && d.d.after.errors >= 3
                            && d.d.after.error_rate() - d.d.before.error_rate() >= 0.02
                    })
                    .max_by(|a, b| {
                        (a.d.after.error_rate() - a.d.before.error_rate())
                            .total_cmp(&(b.d.after.error_rate() - b.d.before.error_rate()))
                    });
                if let Some(d) = stepped {
                    hits.insert(
                        (caller.clone(), d.downstream.clone()),
                        (*n, 0, String::new()),
                    );
                    by_rise = true;
                }
            }
        }
        let Some(((caller, dep), (n, sigs, example))) = hits
            .into_iter()
            .max_by(|a, b| (a.1 .0).cmp(&b.1 .0).then(b.0.cmp(&a.0)))
        else {
            return Outcome::Ran(vec![]);
        };
        let more = if by_rise {
            0
        } else {
            unnamed.get(&caller).copied().unwrap_or(0)
        };
        // A store picked by its error rise is not named by the messages.
        let weight = super::super::named_log_weight(cx, !by_rise);
        let strength = (0.35 + 0.1 * ((n + more) as f64 / 10.0).min(1.5)) * weight;
        let mut ev = if by_rise {
            let d = cx
                .facts
                .downstreams
                .iter()
                .find(|d| d.caller == caller && d.downstream == dep);
            vec![
                format!("{n} connection failures (refused, reset, read-only) logged by {caller} in the incident window, none naming a host"),
                d.map(|d| {
                    format!(
                        "{caller} → {dep} is the call of {caller} whose errors rose: {} → {}",
                        super::super::pct(d.d.before.error_rate()),
                        super::super::pct(d.d.after.error_rate())
                    )
                })
                .unwrap_or_default(),
            ]
        } else {
            vec![
                format!("{n} records in the incident window naming {dep}, in {sigs} new or surging message kind(s)"),
                format!("first: {example}"),
            ]
        };
        if more > 0 {
            ev.push(format!(
                "{more} more connection failures in {caller} without a host name (refused, reset, read-only)"
            ));
        }
        Outcome::Ran(vec![found(
            self.id(),
            "dependency",
            strength,
            format!("{caller} cannot reach {dep}: connection refused or unavailable"),
            ev,
        )
        .blame_dependency(dep)])
    }
}
