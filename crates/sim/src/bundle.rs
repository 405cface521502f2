//! Writes one bundle: builds the system and the plan, runs the traffic, then writes the
//! end-of-run documents (metrics, change log, HAR, OpenAPI) and the label.

use std::path::Path;

use crate::error::SimError;
use crate::fleet::Fleet;
use crate::pressure::Pressure;
use crate::scenarios;
use crate::system::{self, MetricsFormat};
use crate::time::{rfc3339_secs, SEC};
use crate::writers::{self, changes, har, metrics, openapi, otlp_metrics, prometheus, Out};
use crate::{SimOptions, Truth, TruthCulprit};

/// Files a bundle may contain (removed first so a reused directory holds one bundle).
fn is_bundle_file(name: &str) -> bool {
    matches!(
        name,
        "traces.jsonl"
            | "logs.jsonl"
            | "alb.log"
            | "access.log"
            | "metrics.json"
            | "metrics.prom"
            | "metrics.jsonl"
            | "changes.jsonl"
            | "session.har"
            | "truth.json"
    ) || (name.starts_with("openapi-") && (name.ends_with(".yaml") || name.ends_with(".json")))
}

fn clean(dir: &Path) -> Result<(), SimError> {
    let entries = std::fs::read_dir(dir).map_err(|e| SimError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SimError::io(dir, e))?;
        let name = entry.file_name();
        if let Some(n) = name.to_str() {
            if is_bundle_file(n) {
                let p = entry.path();
                std::fs::remove_file(&p).map_err(|e| SimError::io(&p, e))?;
            }
        }
    }
    Ok(())
}

/// Writes the bundle and returns its label (does not write `truth.json`).
pub(crate) fn write_bundle(
    scenario: &str,
    seed: u64,
    opts: &SimOptions,
    volume: f64,
    dir: &Path,
) -> Result<Truth, SimError> {
    let info =
        scenarios::find(scenario).ok_or_else(|| SimError::UnknownScenario(scenario.to_string()))?;
    if let Some(f) = opts.trace_sample {
        // Written so that NaN fails too.
        if !(f > 0.0 && f <= 1.0) {
            return Err(SimError::InvalidOption(format!(
                "trace sample {f} is not in (0, 1]"
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| SimError::io(dir, e))?;
    clean(dir)?;
    let scale = f64::from(opts.scale.max(1)) * volume.max(0.0001);
    let sys = system::build(seed, scale);
    let plan = scenarios::plan(scenario, seed, &sys)
        .ok_or_else(|| SimError::UnknownScenario(scenario.to_string()))?;
    let press = Pressure::build(&sys, &plan);
    let fleet = Fleet::build(&sys, &plan, seed);
    let partial = opts.partial;
    let step = if partial.metrics_60s {
        60
    } else {
        sys.formats.metrics_step_s
    } * SEC;
    let run = crate::traffic::run(
        &sys,
        &plan,
        &press,
        &fleet,
        seed,
        scale,
        &partial,
        opts.trace_sample,
        dir,
        step,
    )?;

    let set = metrics::compute(&sys, &plan, &press, &fleet, &run.counters, step, seed);
    match sys.formats.metrics {
        MetricsFormat::PromJson => {
            let mut out = Out::create(&dir.join("metrics.json"))?;
            prometheus::write_json(&mut out, &set)?;
            out.finish()?;
        }
        MetricsFormat::PromText => {
            let mut out = Out::create(&dir.join("metrics.prom"))?;
            prometheus::write_text(&mut out, &set)?;
            out.finish()?;
        }
        MetricsFormat::Otlp => {
            let mut out = Out::create(&dir.join("metrics.jsonl"))?;
            otlp_metrics::write(&mut out, &sys, &set)?;
            out.finish()?;
        }
    }
    if sys.formats.changes_file && !partial.no_changes {
        let mut out = Out::create(&dir.join("changes.jsonl"))?;
        changes::write(&mut out, &sys, &plan)?;
        out.finish()?;
    }
    if !partial.no_har {
        let doc = har::document(&sys, &run.exchanges, seed);
        writers::write_file(
            &dir.join("session.har"),
            &writers::to_json_pretty("session.har", &doc)?,
        )?;
    }
    if !partial.no_spec {
        let ext = if sys.formats.spec_json {
            "json"
        } else {
            "yaml"
        };
        let spec = &plan.spec;
        let new_doc = openapi::document(&sys, spec, &spec.new_version, true);
        writers::write_file(
            &dir.join(format!("openapi-{}.{ext}", spec.new_version)),
            &openapi::render(&new_doc, sys.formats.spec_json)?,
        )?;
        if sys.formats.spec_both && spec.old_version != spec.new_version {
            let old_doc = openapi::document(&sys, spec, &spec.old_version, false);
            writers::write_file(
                &dir.join(format!("openapi-{}.{ext}", spec.old_version)),
                &openapi::render(&old_doc, sys.formats.spec_json)?,
            )?;
        }
    }
    Ok(Truth {
        scenario: info.name.to_string(),
        bucket: info.bucket.to_string(),
        culprit: TruthCulprit {
            service: plan.culprit.service.clone(),
            endpoint: plan.culprit.endpoint.clone(),
            dependency: plan.culprit.dependency.clone(),
        },
        onset: rfc3339_secs(plan.timeline.onset),
        seed,
        partial: partial.names(),
    })
}

/// Writes `dir/truth.json`.
pub(crate) fn write_truth(dir: &Path, truth: &Truth) -> Result<(), SimError> {
    let text = writers::to_json_pretty("truth.json", truth)?;
    writers::write_file(&dir.join("truth.json"), &(text + "\n"))
}
