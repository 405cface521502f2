//! Measuring the verdict on labelled incidents: every scenario × seed is simulated into
//! a scratch directory, triaged exactly as the CLI does, scored against its label and
//! deleted. The engine never sees the label or the simulator; this crate is the only
//! place that knows both.

use apitriage_engine::TriageOptions;
use apitriage_sim::{SimOptions, Truth};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One scored bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Partial-telemetry switches applied.
    pub partial: Vec<String>,
    /// True bucket (`none` for controls).
    pub truth: String,
    /// True culprit service.
    pub truth_culprit: Option<String>,
    /// Predicted bucket.
    pub predicted: String,
    /// Predicted culprit service.
    pub culprit: Option<String>,
    /// Reported confidence.
    pub confidence: f64,
    /// Raw bucket scores (for calibration fitting).
    pub scores: BTreeMap<String, f64>,
    /// Bucket right (controls: inconclusive or confidence < 0.5).
    pub bucket_ok: bool,
    /// Culprit right (only meaningful for incidents).
    pub culprit_ok: bool,
    /// Records the readers skipped (every simulated bundle must read cleanly).
    pub skipped: u64,
    /// Findings with a strength but no evidence (must be none).
    pub bare_findings: usize,
}

/// Which bundles to score and what to do with them afterwards.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Seeds to simulate.
    pub seeds: std::ops::Range<u64>,
    /// Fraction of the default traffic.
    pub volume: f64,
    /// Only scenarios whose name contains one of these (all when empty).
    pub only: Vec<String>,
    /// Keep the bundles (with their labels moved aside) instead of deleting them.
    pub keep: bool,
}

/// Simulates, triages and scores every selected scenario for every seed.
pub fn run(scratch: &Path, plan: &Plan) -> Vec<Scored> {
    let (volume, keep) = (plan.volume, plan.keep);
    let jobs: Vec<(String, u64)> = plan
        .seeds
        .clone()
        .flat_map(|seed| {
            apitriage_sim::scenarios()
                .into_iter()
                .filter(|s| {
                    plan.only.is_empty() || plan.only.iter().any(|o| s.name.contains(o.as_str()))
                })
                .map(move |s| (s.name.to_string(), seed))
        })
        .collect();
    let mut out: Vec<Scored> = jobs
        .par_iter()
        .filter_map(|(name, seed)| {
            let dir = scratch.join(format!("{name}-{seed}"));
            let partial = apitriage_sim::suite_partial(*seed, name);
            let opts = SimOptions {
                scale: 1,
                partial,
                ..SimOptions::default()
            };
            let truth = match apitriage_sim::generate_sized(name, *seed, &opts, volume, &dir) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{name}-{seed}: {e}");
                    return None;
                }
            };
            // The label file must not be among the inputs.
            let label = dir.join("truth.json");
            let kept_label = scratch.join(format!("{name}-{seed}.truth.json"));
            let _ = if keep {
                std::fs::rename(&label, &kept_label)
            } else {
                std::fs::remove_file(&label)
            };
            let scored = score(&dir, &truth);
            if !keep {
                let _ = std::fs::remove_dir_all(&dir);
            }
            scored
        })
        .collect();
    out.sort_by(|a, b| (&a.scenario, a.seed).cmp(&(&b.scenario, b.seed)));
    out
}

fn score(dir: &Path, truth: &Truth) -> Option<Scored> {
    let summary =
        apitriage_ingest::read_paths(&[dir.to_path_buf()], &Default::default(), &|_| {}).ok()?;
    let report = apitriage_engine::triage(&summary, &TriageOptions::default());
    let v = &report.verdict;
    let is_control = truth.bucket == "none";
    let bucket_ok = if is_control {
        v.bucket == "inconclusive" || v.confidence < 0.5
    } else {
        v.bucket == truth.bucket
    };
    let culprit_ok =
        !is_control && v.culprit.service.is_some() && v.culprit.service == truth.culprit.service;
    Some(Scored {
        scenario: truth.scenario.clone(),
        seed: truth.seed,
        partial: truth.partial.clone(),
        truth: truth.bucket.clone(),
        truth_culprit: truth.culprit.service.clone(),
        predicted: v.bucket.clone(),
        culprit: v.culprit.service.clone(),
        confidence: v.confidence,
        scores: v.scores.clone(),
        bucket_ok,
        culprit_ok,
        skipped: summary.input.skipped,
        bare_findings: report
            .findings
            .iter()
            .filter(|f| f.strength > 0.0 && f.evidence.is_empty())
            .count(),
    })
}

/// The report: accuracy, confusion matrix, calibration bands, misses.
pub fn render(rows: &[Scored]) -> String {
    let incidents: Vec<&Scored> = rows.iter().filter(|r| r.truth != "none").collect();
    let controls: Vec<&Scored> = rows.iter().filter(|r| r.truth == "none").collect();
    let acc = |v: &[&Scored], f: fn(&Scored) -> bool| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().filter(|r| f(r)).count() as f64 / v.len() as f64
        }
    };
    let mut o = String::new();
    o.push_str(&format!(
        "incidents: {}  bucket accuracy: {:.1}%  culprit accuracy: {:.1}%\ncontrols: {}  inconclusive or low-confidence: {:.1}%\n\n",
        incidents.len(),
        100.0 * acc(&incidents, |r| r.bucket_ok),
        100.0 * acc(&incidents, |r| r.culprit_ok),
        controls.len(),
        100.0 * acc(&controls, |r| r.bucket_ok),
    ));
    let labels = ["contract", "dependency", "capacity", "code_path", "none"];
    let preds = [
        "contract",
        "dependency",
        "capacity",
        "code_path",
        "inconclusive",
    ];
    o.push_str(&format!(
        "| truth \\ predicted | {} |\n|---|{}\n",
        preds.join(" | "),
        "---|".repeat(preds.len())
    ));
    for t in labels {
        let cells: Vec<String> = preds
            .iter()
            .map(|p| {
                rows.iter()
                    .filter(|r| r.truth == t && r.predicted == *p)
                    .count()
                    .to_string()
            })
            .collect();
        o.push_str(&format!("| {t} | {} |\n", cells.join(" | ")));
    }
    o.push_str(
        "\n| confidence band | n | mean confidence | bucket accuracy |\n|---|---|---|---|\n",
    );
    for (lo, hi) in [
        (0.0, 0.5),
        (0.5, 0.7),
        (0.7, 0.85),
        (0.85, 0.95),
        (0.95, 1.01),
    ] {
        let band: Vec<&&Scored> = incidents
            .iter()
            .filter(|r| r.confidence >= lo && r.confidence < hi)
            .collect();
        if band.is_empty() {
            continue;
        }
        let mean = band.iter().map(|r| r.confidence).sum::<f64>() / band.len() as f64;
        let a = band.iter().filter(|r| r.bucket_ok).count() as f64 / band.len() as f64;
        o.push_str(&format!(
            "| {lo:.2}-{hi:.2} | {} | {:.2} | {:.2} |\n",
            band.len(),
            mean,
            a
        ));
    }
    let misses: Vec<String> = rows
        .iter()
        .filter(|r| !r.bucket_ok || (r.truth != "none" && !r.culprit_ok))
        .map(|r| {
            format!(
                "- {}-{} {:?}: truth {} / {:?}, predicted {} / {:?} ({:.2})",
                r.scenario,
                r.seed,
                r.partial,
                r.truth,
                r.truth_culprit,
                r.predicted,
                r.culprit,
                r.confidence
            )
        })
        .collect();
    if !misses.is_empty() {
        o.push_str(&format!(
            "\nmisses ({}):\n{}\n",
            misses.len(),
            misses.join("\n")
        ));
    }
    o
}
