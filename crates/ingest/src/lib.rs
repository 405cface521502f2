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
pub mod exchange_lines;
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
    // Folded: each worker reads file after file into its own Summary, so the hash
    // tables and strings it has built are reused rather than rebuilt per file.
    let mut summary = files
        .par_iter()
        .fold(Summary::new, |mut s, f| {
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
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > config.chunk_bytes.max(4096) * 2 {
        if let Some(done) = read_in_chunks(path, size, config) {
            summary.merge(&done);
            return;
        }
    }
    let opened = match input::Input::open(path) {
        Ok(i) => i,
        Err(e) => return unreadable(&name, e, summary),
    };
    read_input(opened, &name, config, summary);
}

/// Reads one in-memory input (tests and fuzzing use this).
pub fn read_bytes(name: &str, bytes: &[u8], config: &IngestConfig, summary: &mut Summary) {
    match input::Input::from_bytes(name, bytes.to_vec()) {
        Ok(i) => read_input(i, name, config, summary),
        Err(e) => unreadable(name, e, summary),
    }
}

/// A file that could not even be started: a damaged compressed stream counts as one
/// skipped record of an unknown kind; a file that cannot be opened is noted as ignored.
fn unreadable(name: &str, e: IngestError, summary: &mut Summary) {
    match e {
        IngestError::Truncated { .. } => {
            summary.count_file("unreadable");
            summary.skip("unreadable", format!("{name}: {e}"));
        }
        _ => {
            summary.ignore(format!("{name}: {e}"));
            summary.problem(format!("{name}: {e}"));
        }
    }
}

/// A fuzzing harness: any bytes, under several file names, through sniffing and every
/// reader. Must never panic.
pub fn fuzz_any(data: &[u8]) {
    let config = IngestConfig {
        max_line_bytes: 4096,
        max_document_bytes: 1 << 20,
        ..IngestConfig::default()
    };
    for name in ["input", "input.pb", "input.har"] {
        let mut s = Summary::new();
        read_bytes(name, data, &config, &mut s);
        s.finish();
    }
}

/// Reads a large uncompressed line-oriented file as parallel chunks; `None` when the
/// file is compressed or its format needs the whole file in order.
fn read_in_chunks(path: &Path, size: u64, config: &IngestConfig) -> Option<Summary> {
    let probe = input::Input::open(path).ok()?;
    if probe.compression() != decompress::Compression::None {
        return None;
    }
    let format = formats::sniff(&probe, config)?;
    if !format.line_independent(&probe) {
        return None;
    }
    let name = path.display().to_string();
    let chunk = config.chunk_bytes.max(4096);
    let n = size.div_ceil(chunk);
    // Folded into one Summary per worker and reduced as they finish: memory holds
    // about one Summary per thread, whatever the file size.
    let out = (0..n)
        .into_par_iter()
        .fold(Summary::new, |mut s, i| {
            let (start, end) = (i * chunk, ((i + 1) * chunk).min(size));
            match input::Input::open_chunk(path, start, end) {
                Ok(mut inp) => {
                    let mut sink = Sink::new(&mut s, &name, config);
                    sink.by_offset = i > 0;
                    sink.counts_file = i == 0;
                    sink.file(format.kind());
                    if let Err(e) = format.read(&mut inp, &mut sink) {
                        sink.fail(format.kind(), e);
                    }
                }
                Err(e) => s.problem(format!("{name}: {e}")),
            }
            s
        })
        .reduce(Summary::new, |mut a, b| {
            a.merge(&b);
            a
        });
    Some(out)
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
