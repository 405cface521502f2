//! The failure mode: wrong status, wrong shape, wrong latency, or a missing side effect
//! (a success without the downstream write that normally follows it).

use crate::checks::{Cx, Found};

/// The failure modes present, in a fixed order.
pub fn modes(cx: &Cx<'_>, findings: &[Found]) -> Vec<String> {
    let mut out = Vec::new();
    let f = &cx.facts.focus;
    let (b, a) = (&f.before, &f.after);
    let err_b = b.server_rate() + b.client_rate();
    let err_a = a.server_rate() + a.client_rate();
    if a.total > 0 && err_a - err_b >= 0.02 && err_a > 1.5 * err_b {
        out.push("status".to_string());
    }
    let shape = findings.iter().any(|x| {
        x.finding.strength >= 0.3
            && matches!(
                x.finding.check.as_str(),
                "contract.response_shape" | "contract.spec_mismatch"
            )
            || x.finding.check == "contract.validation_errors"
                && x.finding.summary.contains("parse")
    });
    if shape {
        out.push("shape".to_string());
    }
    let slo = cx
        .inc
        .endpoint
        .as_ref()
        .and_then(|e| cx.view.opts.settings.slo_p99_ms.get(e))
        .copied();
    let slow = match (b.q(0.95), a.q(0.95)) {
        (Some(p0), Some(p1)) => p1 >= 1.5 * p0 && p1 - p0 >= 20.0,
        _ => false,
    } || matches!((slo, a.q(0.99)), (Some(s), Some(p)) if p > s);
    if slow {
        out.push("latency".to_string());
    }
    // A write-following endpoint that stopped writing while still answering success.
    for (svc, ep) in cx.view.endpoints.keys() {
        let sb = cx.view.endpoint(svc, ep, cx.inc.baseline);
        let sa = cx.view.endpoint(svc, ep, cx.inc.window);
        if sb.ok_write_known < 20 || sa.ok_write_known < 10 {
            continue;
        }
        let wb = sb.ok_wrote as f64 / sb.ok_write_known as f64;
        let wa = sa.ok_wrote as f64 / sa.ok_write_known as f64;
        if wb >= 0.8 && wa <= wb - 0.2 {
            out.push("side_effect".to_string());
            break;
        }
    }
    out
}
