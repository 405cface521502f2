//! The triage engine: the runbook's flow as code.
//!
//! ```text
//! Summary ─► View ─► Incident (onset, windows, focus) ─► Facts
//!         ─► checks (contract/ dependency/ capacity/ code_path/ general/)
//!         ─► failure mode · blast radius · first signal ─► Verdict ─► Report
//! ```
//!
//! Checks read only the Summary (through [`view::View`]), so the same engine serves
//! files, a live stream or a database.

pub mod advice;
pub mod blast;
pub mod calibration;
pub mod checks;
pub mod facts;
pub mod failure_mode;
pub mod first_signal;
pub mod incident;
pub mod options;
pub mod series;
pub mod verdict;
pub mod view;

pub use options::{EngineSettings, TriageOptions};

use apitriage_model::report::{ChangeInfo, IncidentInfo, NotRun};
use apitriage_model::time::format;
use apitriage_model::{BlastRadius, Report, Summary};
use checks::{Cx, Outcome};

/// Classifies the incident in a finished Summary.
pub fn triage(summary: &Summary, opts: &TriageOptions) -> Report {
    let mut opts = opts.clone();
    if opts.endpoint.is_none() {
        opts.endpoint = focus_from_example(summary, &opts);
    }
    let view = view::View::new(summary, &opts);
    let inc = incident::find(&view);
    let facts = facts::Facts::new(&view, &inc);
    let cx = Cx {
        view: &view,
        inc: &inc,
        facts: &facts,
    };
    let mut found = Vec::new();
    let mut not_run = Vec::new();
    for check in checks::all() {
        match check.run(&cx) {
            Outcome::Ran(f) => found.extend(f),
            Outcome::NotRun(needs) => not_run.push(NotRun {
                check: check.id().to_string(),
                needs: needs.to_string(),
            }),
        }
    }
    found.sort_by(|a, b| {
        b.finding
            .strength
            .total_cmp(&a.finding.strength)
            .then(a.finding.check.cmp(&b.finding.check))
    });
    let mut verdict = verdict::decide(&found, &inc);
    if verdict.bucket == "dependency" && verdict.culprit.dependency.is_none() {
        // Evidence from logs alone names no downstream: the traces' chain end, or the
        // downstream that changed most, is the better answer than the caller.
        let dep = facts.origin_dependency().map(str::to_string).or_else(|| {
            facts
                .downstreams
                .iter()
                .find(|d| !facts.internal.contains(&d.downstream))
                .map(|d| d.downstream.clone())
        });
        if let Some(d) = dep {
            verdict.culprit.service = Some(d.clone());
            verdict.culprit.dependency = Some(d);
        }
    }
    let failure_mode = failure_mode::modes(&cx, &found);
    let dims = blast::contrast(&cx);
    let scope = blast::scope(&dims, &cx);
    let after_deploy = facts
        .near
        .iter()
        .any(|c| c.kind == apitriage_model::ChangeKind::Deploy && c.time <= inc.onset);
    let first_signal = if inc.source == "none" {
        None
    } else {
        first_signal::find(&cx)
    };
    let release = opts.release.clone().or_else(|| {
        verdict
            .culprit
            .service
            .as_ref()
            .and_then(|s| facts.change_of(s))
            .and_then(|c| c.version.clone())
    });
    let advice = advice::advise(&verdict.bucket, &verdict.culprit, release.as_deref());
    let seen_first = found
        .iter()
        .find(|f| f.finding.bucket == verdict.bucket)
        .map(|f| f.finding.summary.clone())
        .unwrap_or_else(|| "no clear change".into());
    let runbook_row = advice::runbook_row(seen_first, &verdict.bucket, &advice);
    let changes = facts
        .changes
        .iter()
        .filter(|c| c.time >= inc.baseline.start_time() && c.time <= inc.window.end_time())
        .map(|c| ChangeInfo {
            at: format(c.time),
            kind: c.kind.name().to_string(),
            service: c.service.clone(),
            version: c.version.clone(),
            description: c.description.clone(),
            inferred: c.inferred,
        })
        .collect();
    Report {
        schema_version: 1,
        verdict,
        failure_mode,
        onset: (inc.source != "none").then(|| format(inc.onset)),
        blast_radius: BlastRadius {
            scope: scope.to_string(),
            after_deploy,
            dimensions: dims.into_iter().take(10).collect(),
        },
        first_signal,
        findings: found.into_iter().map(|f| f.finding).collect(),
        next_check: advice.next_check,
        avoid_first: advice.avoid_first,
        mitigation: advice.mitigation,
        input: summary.input.clone(),
        incident: Some(IncidentInfo {
            start: format(inc.window.start_time()),
            end: format(inc.window.end_time()),
            baseline_start: format(inc.baseline.start_time()),
            baseline_end: format(inc.baseline.end_time()),
            service: inc.service.clone(),
            endpoint: inc.endpoint.clone(),
            onset_source: inc.source.to_string(),
        }),
        not_run,
        runbook_row: Some(runbook_row),
        example: example(summary, &opts),
        series: series::build(&cx),
        changes,
    }
}

/// The endpoint of the captured failing example, if one matches an endpoint seen in
/// the telemetry.
fn focus_from_example(s: &Summary, opts: &TriageOptions) -> Option<String> {
    let ex = s
        .exchanges
        .iter()
        .rfind(|x| x.failed() || opts.at.is_some_and(|a| (x.time - a).abs() < 5_000_000_000))?;
    let want_path = apitriage_model::path::normalize(&ex.path);
    let want = apitriage_model::path::endpoint(&ex.method, &want_path);
    let mut volume: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (k, c) in &s.requests {
        *volume.entry(s.s(k.endpoint).to_string()).or_default() += c.total();
    }
    // The exact endpoint, or a route template matching the path segment by segment.
    // As routers do, literal segments beat parameters (`/bookings/history` is not
    // `/bookings/{id}` even when the template has more traffic); among equally specific
    // templates, the one with the most traffic.
    let params = |k: &str| {
        k.split('/')
            .filter(|seg| seg.starts_with('{') || seg.starts_with(':'))
            .count()
    };
    volume
        .into_iter()
        .filter(|(k, n)| {
            *n >= 30
                && (*k == want
                    || k.split_once(' ').is_some_and(|(m, route)| {
                        m == ex.method
                            && checks::route_matches(route, ex.path.split('?').next().unwrap_or(""))
                    }))
        })
        .max_by(|a, b| {
            params(&b.0)
                .cmp(&params(&a.0))
                .then(a.1.cmp(&b.1))
                .then(b.0.cmp(&a.0))
        })
        .map(|(k, _)| k)
}

/// The failing example and the path into it.
fn example(s: &Summary, opts: &TriageOptions) -> Option<apitriage_model::report::Example> {
    let ex = s
        .exchanges
        .iter()
        .rfind(|x| x.failed() || opts.at.is_some_and(|a| (x.time - a).abs() < 5_000_000_000))?;
    let path: Vec<String> = s
        .exchanges
        .iter()
        .filter(|x| x.file == ex.file && x.entry < ex.entry)
        .rev()
        .take(8)
        .map(|x| {
            format!(
                "{} {} {} → {}",
                apitriage_model::time::format_clock(x.time),
                x.method,
                x.path,
                x.status
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Some(apitriage_model::report::Example {
        at: format(ex.time),
        request: format!("{} {}", ex.method, ex.url),
        status: ex.status,
        source: format!("{} entry {}", ex.file, ex.entry),
        response_excerpt: ex
            .response_body
            .as_deref()
            .map(|b| apitriage_model::exchange::truncate(b, 300).to_string()),
        path,
    })
}
