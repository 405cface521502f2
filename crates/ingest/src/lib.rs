//! Reading what on-call engineers actually have: OTLP (JSON and protobuf), access logs,
//! HAR captures, Prometheus data, change events and OpenAPI documents.
//!
//! Every file is recognised by its content ([`formats::sniff`]), decompressed
//! transparently ([`decompress`]), and read by one [`formats::Format`] straight into a
//! per-file [`Summary`]; files are read in parallel and their Summaries merged. A file
//! that is recognised but partly malformed is read as far as possible: each bad record
//! is counted as skipped and the first few are reported with `file:line`.

pub mod config;
pub mod decompress;
pub mod dims;
pub mod error;
pub mod formats;
pub mod fuzz;
pub mod input;
pub mod sink;
pub mod walk;

pub use config::IngestConfig;
pub use error::IngestError;
pub use sink::Sink;

use apitriage_model::Summary;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Reads every file under `paths` into one finished Summary.
///
/// Errors only when an input path does not exist or cannot be listed; problems inside
/// files are counted in the Summary's `input` block instead.
pub fn read_paths(
    paths: &[PathBuf],
    config: &IngestConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, IngestError> {
    let files = walk::collect(paths)?;
    let mut summary = files
        .par_iter()
        .map(|f| {
            let mut s = Summary::new();
            read_file(f, config, &mut s);
            progress(1);
            s
        })
        .reduce(Summary::new, |mut a, b| {
            a.merge(&b);
            a
        });
    summary.finish();
    Ok(summary)
}

/// Reads one file into `summary`, recording (not returning) any problem.
pub fn read_file(path: &Path, config: &IngestConfig, summary: &mut Summary) {
    let name = path.display().to_string();
    let opened = match input::Input::open(path) {
        Ok(i) => i,
        Err(e) => {
            summary.ignore(format!("{name}: {e}"));
            summary.problem(format!("{name}: {e}"));
            return;
        }
    };
    read_input(opened, &name, config, summary);
}

/// Reads one in-memory input (tests and fuzzing use this).
pub fn read_bytes(name: &str, bytes: &[u8], config: &IngestConfig, summary: &mut Summary) {
    match input::Input::from_bytes(name, bytes.to_vec()) {
        Ok(i) => read_input(i, name, config, summary),
        Err(e) => summary.problem(format!("{name}: {e}")),
    }
}

/// A fuzzing harness: any bytes, under several file names, through sniffing and every
/// reader. Must never panic.
pub fn fuzz_any(data: &[u8]) {
    let config = IngestConfig { max_line_bytes: 4096, max_document_bytes: 1 << 20, ..IngestConfig::default() };
    for name in ["input", "input.pb", "input.har"] {
        let mut s = Summary::new();
        read_bytes(name, data, &config, &mut s);
        s.finish();
    }
}

fn read_input(mut inp: input::Input, name: &str, config: &IngestConfig, summary: &mut Summary) {
    let Some(format) = formats::sniff(&inp, config) else {
        summary.ignore(format!("{name}: {}", inp.why_unrecognised()));
        return;
    };
    let mut sink = Sink::new(summary, name, config);
    sink.file(format.kind());
    if let Err(e) = format.read(&mut inp, &mut sink) {
        sink.fail(format.kind(), e);
    }
}
