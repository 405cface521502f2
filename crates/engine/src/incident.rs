//! Finding the incident: the onset, an incident window after it, a baseline window
//! before it, and the focus endpoint.
//!
//! Onset detection is a mean-shift change point on each endpoint's error rates (5xx,
//! 4xx) and tail latency: for every candidate bucket t, the window after t is compared
//! with everything before it (up to the baseline limit) — a binomial z-score for rates,
//! a log ratio for the p95. The endpoint with the strongest shift is the focus, and its
//! best t is the onset, moved earlier to where the shift first reached half its
//! strength (tails usually lift before errors do). With `--at`, the onset is the
//! strongest shift in the hour before the failing example, or `--at` itself.

use crate::view::{View, Window};
use apitriage_model::histogram::{LatencyHistogram, SlidingWindow, WindowHistogram};
use apitriage_model::summary::{RequestCell, BUCKET};
use apitriage_model::time::Nanos;

/// Buckets after a candidate onset that are compared with the baseline (5 min).
pub const AFTER: i64 = 30;
/// A score at which a shift counts as an incident.
pub const SIGNIFICANT: f64 = 6.0;

/// The incident the checks reason about.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Onset time.
    pub onset: Nanos,
    /// Incident window.
    pub window: Window,
    /// Baseline window.
    pub baseline: Window,
    /// Focus service.
    pub service: Option<String>,
    /// Focus endpoint.
    pub endpoint: Option<String>,
    /// How it was found: `at`, `change_point`, or `none`.
    pub source: &'static str,
    /// Strength of the shift at the onset.
    pub score: f64,
    /// Which measure shifted most: `server_errors`, `client_errors`, `latency`.
    pub measure: &'static str,
}

/// Dense per-bucket series of one endpoint.
pub struct Dense {
    /// First bucket.
    pub b0: i64,
    /// Requests per bucket.
    pub tot: Vec<f64>,
    /// 5xx per bucket.
    pub e5: Vec<f64>,
    /// 4xx per bucket.
    pub e4: Vec<f64>,
    /// Latency histogram per bucket.
    pub lat: Vec<LatencyHistogram>,
}

impl Dense {
    /// Builds the dense series over `range`.
    pub fn new(cells: &[(i64, &RequestCell)], range: Window) -> Dense {
        let n = (range.end - range.start).max(0) as usize;
        let mut d = Dense {
            b0: range.start,
            tot: vec![0.0; n],
            e5: vec![0.0; n],
            e4: vec![0.0; n],
            lat: vec![LatencyHistogram::new(); n],
        };
        for (b, c) in cells {
            let i = (b - range.start) as usize;
            if i < n {
                d.tot[i] += c.total() as f64;
                d.e5[i] += c.server_errors() as f64;
                d.e4[i] += c.client_errors() as f64;
                d.lat[i].merge(&c.latency);
            }
        }
        d
    }
}

fn prefix(v: &[f64]) -> Vec<f64> {
    let mut p = Vec::with_capacity(v.len() + 1);
    p.push(0.0);
    for x in v {
        p.push(p.last().copied().unwrap_or(0.0) + x);
    }
    p
}

/// Binomial z-score of a rate increase from `before` to `after`.
pub fn rate_z(bad_before: f64, tot_before: f64, bad_after: f64, tot_after: f64) -> f64 {
    if tot_after < 5.0 || tot_before < 5.0 {
        return 0.0;
    }
    let p0 = (bad_before + 0.5) / (tot_before + 1.0);
    let p1 = bad_after / tot_after;
    if p1 - p0 < 0.02 || p1 < 2.0 * p0 {
        return 0.0;
    }
    (p1 - p0) / (p0 * (1.0 - p0) / tot_after).sqrt().max(1e-9)
}

/// Score of a tail-latency increase: 10 × ln(p95 after / p95 before) when it at least
/// doubled... scaled so that a 1.5× rise scores about the significance level.
pub fn latency_score(before: &WindowHistogram, after: &WindowHistogram) -> f64 {
    if before.count() < 20 || after.count() < 10 {
        return 0.0;
    }
    let (Some(a), Some(b)) = (before.quantile(0.95), after.quantile(0.95)) else {
        return 0.0;
    };
    let r = b / a.max(0.001);
    if r < 1.3 || b - a < 20.0 {
        return 0.0;
    }
    15.0 * r.ln()
}

/// After-windows the change point is scored over, in buckets: 5 and 15 minutes. A
/// sustained step on a quiet endpoint (a few requests a minute) only stands out from
/// chance clusters of failures over the longer window; a short blip is diluted by it.
pub const SCALES: [i64; 2] = [AFTER, 3 * AFTER];
/// Failures above the baseline rate a shift over the long window must count.
const MIN_EXCESS_LONG: f64 = 8.0;
/// Requests before a candidate onset below which a failure rate is not known well
/// enough to call a rise new: no failures in 20 requests fits a true rate of up to about
/// 14%, so a routine 12% of rejected input would look like a step.
const MIN_BASELINE_REQUESTS: f64 = 30.0;

/// The best shift of one endpoint within `[lo, hi)`: (bucket, score, measure).
pub fn best_shift(d: &Dense, lo: i64, hi: i64, baseline_buckets: i64) -> (i64, f64, &'static str) {
    let n = d.tot.len() as i64;
    let (pt, p5, p4) = (prefix(&d.tot), prefix(&d.e5), prefix(&d.e4));
    let lo_i = (lo - d.b0).max(6);
    // At least half an after-window of data: a blip in the last bucket is no incident.
    let hi_i = (hi - d.b0).min(n - AFTER / 2);
    if hi_i <= lo_i {
        return (lo, 0.0, "none");
    }
    let span = hi_i - lo_i;
    let stride = (span / 300).max(1);
    // The two latency windows slide with t, so each step adds and removes a few cells
    // instead of re-merging up to an hour of them.
    let (mut wb, mut wa) = (SlidingWindow::new(), SlidingWindow::new());
    let mut score_at = |t: i64, w: i64| -> (f64, &'static str) {
        let a = (t - baseline_buckets).max(0) as usize;
        let t_u = t as usize;
        let e = (t + w).min(n) as usize;
        // A long comparison needs a baseline at least as long behind it.
        if w > AFTER && t_u - a < w as usize {
            return (0.0, "none");
        }
        let tb = pt[t_u] - pt[a];
        let ta = pt[e] - pt[t_u];
        // Over the long window, a handful of failures on a quiet endpoint is chance even
        // when the baseline had none: the excess must be a real count. And a rate needs a
        // baseline of some size to be new at all.
        let rz = |bb: f64, ba: f64| {
            let excess = ba - (bb + 0.5) / (tb + 1.0) * ta;
            let too_few = tb < MIN_BASELINE_REQUESTS || w > AFTER && excess < MIN_EXCESS_LONG;
            if too_few {
                0.0
            } else {
                rate_z(bb, tb, ba, ta)
            }
        };
        let z5 = rz(p5[t_u] - p5[a], p5[e] - p5[t_u]);
        let z4 = rz(p4[t_u] - p4[a], p4[e] - p4[t_u]);
        let mut best = (z5, "server_errors");
        if z4 > best.0 {
            best = (z4, "client_errors");
        }
        // Tail latency on the short window only: a p95 needs no more requests to move.
        if w == AFTER && (stride == 1 || t % stride == 0) {
            // The baseline tail: at most the last 360 buckets (1 h) before t.
            let hb = wb.move_to(&d.lat, a.max(t_u.saturating_sub(360)), t_u);
            let ha = wa.move_to(&d.lat, t_u, e);
            let zl = latency_score(hb, ha);
            if zl > best.0 {
                best = (zl, "latency");
            }
        }
        best
    };
    let mut best = (lo_i, 0.0, "none", AFTER);
    for w in SCALES {
        let mut t = lo_i;
        while t < hi_i {
            let (s, m) = score_at(t, w);
            if s > best.1 {
                best = (t, s, m, w);
            }
            t += stride;
        }
    }
    if stride > 1 {
        let w = best.3;
        for t in (best.0 - stride).max(lo_i)..(best.0 + stride).min(hi_i) {
            let (s, m) = score_at(t, w);
            if s > best.1 {
                best = (t, s, m, w);
            }
        }
    }
    // Move earlier while the shift is nearly as strong: with a step change the score
    // falls as the after-window loses incident buckets, so this finds the step's start.
    // A longer window loses them more slowly, so it must keep more of its score.
    let (w, keep) = (best.3, 1.0 - 0.15 * AFTER as f64 / best.3 as f64);
    let mut onset = best.0;
    let mut t = best.0 - 1;
    while t >= lo_i && t >= best.0 - AFTER {
        let (s, _) = score_at(t, w);
        if s >= best.1 * keep && s >= SIGNIFICANT {
            onset = t;
        }
        t -= 1;
    }
    // A step in a failure rate cannot start before its first excess failure: on a quiet
    // endpoint the score hardly drops across the empty buckets before it.
    if matches!(best.2, "server_errors" | "client_errors") {
        let bad = if best.2 == "server_errors" {
            &d.e5
        } else {
            &d.e4
        };
        let pb = if best.2 == "server_errors" { &p5 } else { &p4 };
        let a = (onset - baseline_buckets).max(0) as usize;
        let o = onset as usize;
        let p0 = (pb[o] - pb[a]) / (pt[o] - pt[a]).max(1.0);
        let stop = (best.0 + AFTER).min(n) as usize;
        if let Some(i) = (o..stop).find(|&i| bad[i] - p0 * d.tot[i] >= 1.0) {
            onset = i as i64;
        }
    }
    (onset + d.b0, best.1, best.2)
}

/// The best shift of a count series (errors logged per bucket) within `[lo, hi)`: a
/// Poisson z-score of the mean after t against the mean before it.
pub fn best_count_shift(
    counts: &[f64],
    b0: i64,
    lo: i64,
    hi: i64,
    baseline_buckets: i64,
) -> (i64, f64) {
    let n = counts.len() as i64;
    let p = prefix(counts);
    let lo_i = (lo - b0).max(6);
    let hi_i = (hi - b0).min(n - AFTER / 2);
    let score_at = |t: i64| -> f64 {
        let a = (t - baseline_buckets).max(0) as usize;
        let (t_u, e) = (t as usize, (t + AFTER).min(n) as usize);
        if e <= t_u || t_u <= a {
            return 0.0;
        }
        let before = (p[t_u] - p[a]) / (t_u - a) as f64;
        let after_total = p[e] - p[t_u];
        let after = after_total / (e - t_u) as f64;
        if after_total < 20.0 || after < 3.0 * before + 0.5 {
            return 0.0;
        }
        (after - before) / ((before + 0.1) / (e - t_u) as f64).sqrt()
    };
    let mut best = (lo_i, 0.0);
    for t in lo_i..hi_i {
        let s = score_at(t);
        if s > best.1 {
            best = (t, s);
        }
    }
    let mut onset = best.0;
    let mut t = best.0 - 1;
    while t >= lo_i && t >= best.0 - AFTER {
        let s = score_at(t);
        if s >= best.1 * 0.85 && s >= SIGNIFICANT {
            onset = t;
        }
        t -= 1;
    }
    (onset + b0, best.1)
}

/// A step in a failure rate on a quiet endpoint is placed only roughly: at its first
/// excess failure, which can be a chance failure minutes early, or minutes late when
/// the first failures are sparse. A recorded change (deploy, flag, config) to a service
/// serving the endpoint within 15 minutes either side is, a priori, a likely place for
/// the step, so it becomes the onset unless the failures clearly say otherwise: the
/// two-rate (before/after) binomial log-likelihood of a step at the change may fall
/// short of that of a step at the found onset by at most [`CHANGE_PRIOR_NATS`], and the
/// rate after the change must be at least twice the rate before it. Returns the bucket.
fn snap_to_change(
    view: &View<'_>,
    svc: &str,
    ep: &str,
    onset_b: i64,
    measure: &str,
    (lo_b, hi_b): (i64, i64),
) -> Option<i64> {
    let cells = view.endpoints.get(&(svc.to_string(), ep.to_string()))?;
    let d = Dense::new(cells, view.range);
    let bad = if measure == "server_errors" {
        &d.e5
    } else {
        &d.e4
    };
    let (pb, pt) = (prefix(bad), prefix(&d.tot));
    let idx = |b: i64| (b - d.b0).clamp(0, d.tot.len() as i64) as usize;
    let count = |p: &[f64], a: i64, b: i64| p[idx(b)] - p[idx(a)];
    let serves = |service: &str| {
        service == svc
            || view
                .endpoints
                .contains_key(&(service.to_string(), ep.to_string()))
    };
    let ll = |k: f64, n: f64| -> f64 {
        let mut v = 0.0;
        if k > 0.0 {
            v += k * (k / n).ln();
        }
        if n - k > 0.0 {
            v += (n - k) * ((n - k) / n).ln();
        }
        v
    };
    let candidates: Vec<i64> = view
        .s
        .changes
        .iter()
        .filter(|c| serves(&c.service))
        .map(|c| c.time.div_euclid(BUCKET))
        // Within the span searched (with --at, the hour before the failing example).
        .filter(|&cb| cb != onset_b && (cb - onset_b).abs() <= 3 * AFTER && cb >= lo_b && cb < hi_b)
        .collect();
    let lo = candidates.iter().copied().chain([onset_b]).min()? - 360;
    let hi = candidates.iter().copied().chain([onset_b]).max()? + 3 * AFTER;
    let split = |t: i64| -> (f64, f64, f64) {
        let (kb, nb) = (count(&pb, lo, t), count(&pt, lo, t));
        let (ka, na) = (count(&pb, t, hi), count(&pt, t, hi));
        let rate = |k: f64, n: f64| k / n.max(1.0);
        (ll(kb, nb) + ll(ka, na), rate(kb, nb), rate(ka, na))
    };
    let found = split(onset_b).0;
    candidates
        .into_iter()
        .filter_map(|cb| {
            let (l, before, after) = split(cb);
            // A later change must not leave failures behind it unexplained: between the
            // found onset and the change, at most two more than the earlier rate predicts.
            let left_behind = cb > onset_b && {
                let (k0, n0) = (count(&pb, lo, onset_b), count(&pt, lo, onset_b));
                let (k, n) = (count(&pb, onset_b, cb), count(&pt, onset_b, cb));
                k > (k0 + 0.5) / (n0 + 1.0) * n + 2.0
            };
            (l >= found - CHANGE_PRIOR_NATS && after >= 2.0 * before && after > 0.0 && !left_behind)
                .then_some((cb, l))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(cb, _)| cb)
}

/// How much worse (in log-likelihood) a step at a recorded change may explain the
/// failures than the best step found blind, and still be preferred: prior odds of
/// about 20 to 1 that a step within minutes of a change starts at it.
const CHANGE_PRIOR_NATS: f64 = 3.0;

/// Finds the incident.
pub fn find(view: &View<'_>) -> Incident {
    let range = view.range;
    let opts = view.opts;
    let baseline_buckets = opts
        .baseline
        .map(|b| (b / BUCKET).max(6))
        .unwrap_or(24 * 360);
    let (lo, hi) = match opts.at {
        Some(at) => {
            let b = at.div_euclid(BUCKET);
            (b - 360, b + 6)
        }
        None => (range.start, range.end),
    };
    let mut focus_filter = opts.endpoint.as_deref();
    if let Some(f) = focus_filter {
        if !view
            .endpoints
            .keys()
            .any(|(_, e)| e.eq_ignore_ascii_case(f))
        {
            // An endpoint nobody served: look everywhere rather than nowhere.
            focus_filter = None;
        }
    }
    let mut best: Option<(String, String, i64, f64, &'static str, f64)> = None;
    for ((svc, ep), cells) in &view.endpoints {
        if let Some(f) = focus_filter {
            if !ep.eq_ignore_ascii_case(f) {
                continue;
            }
        }
        let volume: f64 = cells.iter().map(|(_, c)| c.total() as f64).sum();
        if volume < 30.0 {
            continue;
        }
        let d = Dense::new(cells, range);
        let (b, score, measure) = best_shift(&d, lo, hi, baseline_buckets);
        // Prefer the endpoint users call (more volume) when shifts are alike.
        let rank = score * (1.0 + 0.05 * volume.ln());
        if best.as_ref().is_none_or(|x| rank > x.5) {
            best = Some((svc.clone(), ep.clone(), b, score, measure, rank));
        }
    }
    // Errors clients report can be the only sign of a 200 with the wrong body: a log
    // shift that beats every request shift sets the onset (and the focus service).
    let mut log_best: Option<(String, i64, f64)> = None;
    for (svc, cells) in &view.logs {
        let n = (range.end - range.start).max(0) as usize;
        let mut counts = vec![0.0; n];
        for (b, c) in cells {
            let i = (b - range.start) as usize;
            if i < n {
                counts[i] += (c.by_severity[4] + c.by_severity[5]) as f64
                    + c.signals.iter().map(|x| *x as f64).sum::<f64>();
            }
        }
        let (b, score) = best_count_shift(&counts, range.start, lo, hi, baseline_buckets);
        if log_best.as_ref().is_none_or(|x| score > x.2) {
            log_best = Some((svc.clone(), b, score));
        }
    }
    let request_rank = best.as_ref().map(|b| b.3).unwrap_or(0.0);
    let logs_win = log_best.as_ref().is_some_and(|(_, _, s)| {
        *s >= SIGNIFICANT * 2.0 && request_rank < SIGNIFICANT * 3.0 && *s > 2.0 * request_rank
    });
    let (service, endpoint, onset_b, score, measure) = match (best, logs_win) {
        (_, true) => {
            let (svc, b, sc) = log_best.unwrap_or_default();
            (Some(svc), focus_filter.map(str::to_string), b, sc, "logs")
        }
        (Some((s, e, b, sc, m, _)), false) => (Some(s), Some(e), b, sc, m),
        (None, false) => (
            None,
            None,
            range.start + (range.end - range.start) / 2,
            0.0,
            "none",
        ),
    };
    let significant = score >= SIGNIFICANT;
    let onset_b = match (&service, &endpoint) {
        (Some(svc), Some(ep))
            if significant && matches!(measure, "server_errors" | "client_errors") =>
        {
            snap_to_change(view, svc, ep, onset_b, measure, (lo, hi)).unwrap_or(onset_b)
        }
        _ => onset_b,
    };
    let (onset_b, source) = match (opts.at, significant) {
        (_, true) => (
            onset_b,
            if opts.at.is_some() {
                "at"
            } else {
                "change_point"
            },
        ),
        (Some(at), false) => (at.div_euclid(BUCKET), "at"),
        (None, false) => (onset_b, "none"),
    };
    let win_len = (view.opts.settings.incident_window_s as i64 * 1_000_000_000 / BUCKET).max(6);
    let window = Window {
        start: onset_b,
        end: (onset_b + win_len).min(range.end.max(onset_b + 1)),
    };
    let baseline_end = onset_b.max(range.start);
    let baseline = Window {
        start: (onset_b - baseline_buckets)
            .max(range.start)
            .min(baseline_end),
        end: baseline_end,
    };
    Incident {
        onset: onset_b * BUCKET,
        window,
        baseline,
        service,
        endpoint,
        source,
        score,
        measure,
    }
}
