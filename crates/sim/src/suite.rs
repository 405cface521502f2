//! Suites: every scenario for every seed in a range, each in its own directory, with
//! all labels in one `labels.jsonl` beside them (never inside a bundle, so a
//! classifier run on a bundle directory cannot see its answer). About 30% of the
//! bundles lose one or two kinds of telemetry, drawn per bundle and recorded in the
//! label.

use std::path::Path;

use serde::Serialize;

use crate::error::SimError;
use crate::random as r;
use crate::scenarios::scenarios;
use crate::writers::Out;
use crate::{bundle, Partial, SimOptions, Truth};

#[derive(Serialize)]
struct Label<'a> {
    bundle: &'a str,
    #[serde(flatten)]
    truth: &'a Truth,
}

/// Draws the partial-telemetry switches of one suite bundle.
pub(crate) fn draw_partial(seed: u64, scenario: &str) -> Partial {
    let mut rng = r::stream(seed, &format!("partial:{scenario}"));
    let mut p = Partial::default();
    if !r::chance(&mut rng, 0.3) {
        return p;
    }
    let k = if r::chance(&mut rng, 0.6) { 1 } else { 2 };
    for _ in 0..k {
        match r::index(&mut rng, 6) {
            0 => p.no_span_status = true,
            1 => p.metrics_60s = true,
            2 => p.no_changes = true,
            3 => p.no_spec = true,
            4 => p.logs_without_trace_ids = true,
            _ => p.no_har = true,
        }
    }
    p
}

pub(crate) fn write_suite(
    dir: &Path,
    seeds: std::ops::Range<u64>,
    opts: &SimOptions,
    volume: f64,
) -> Result<Vec<(String, Truth)>, SimError> {
    std::fs::create_dir_all(dir).map_err(|e| SimError::io(dir, e))?;
    let mut labels = Out::create(&dir.join("labels.jsonl"))?;
    let mut out = Vec::new();
    for seed in seeds {
        for info in scenarios() {
            let name = format!("{}-{seed}", info.name);
            let partial = draw_partial(seed, info.name).union(&opts.partial);
            let bundle_opts = SimOptions {
                scale: opts.scale,
                partial,
                trace_sample: opts.trace_sample,
            };
            let truth =
                bundle::write_bundle(info.name, seed, &bundle_opts, volume, &dir.join(&name))?;
            labels.json_line(&Label {
                bundle: &name,
                truth: &truth,
            })?;
            out.push((name, truth));
        }
    }
    labels.finish()?;
    Ok(out)
}
