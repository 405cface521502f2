//! Writers: one module per file format of the bundle, each following the format's own
//! documentation (OTLP/JSON, AWS ALB access logs, nginx `combined`, Prometheus
//! query_range responses and text exposition, HAR 1.2, OpenAPI 3, the change log).
//! Line formats stream through buffered writers; the small documents (HAR, OpenAPI,
//! metrics) are written at the end.

pub(crate) mod alb;
pub(crate) mod changes;
pub(crate) mod har;
pub(crate) mod metrics;
pub(crate) mod nginx;
pub(crate) mod openapi;
pub(crate) mod otlp;
pub(crate) mod otlp_logs;
pub(crate) mod otlp_metrics;
pub(crate) mod otlp_traces;
pub(crate) mod prometheus;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::SimError;

/// A buffered file that remembers its path for error messages.
pub(crate) struct Out {
    path: PathBuf,
    w: BufWriter<File>,
}

impl Out {
    pub(crate) fn create(path: &Path) -> Result<Out, SimError> {
        let f = File::create(path).map_err(|e| SimError::io(path, e))?;
        Ok(Out {
            path: path.to_path_buf(),
            w: BufWriter::with_capacity(1 << 16, f),
        })
    }

    pub(crate) fn write_str(&mut self, s: &str) -> Result<(), SimError> {
        self.w
            .write_all(s.as_bytes())
            .map_err(|e| SimError::io(&self.path, e))
    }

    pub(crate) fn line(&mut self, s: &str) -> Result<(), SimError> {
        self.write_str(s)?;
        self.write_str("\n")
    }

    /// Serialises `v` as one JSON line.
    pub(crate) fn json_line<T: serde::Serialize>(&mut self, v: &T) -> Result<(), SimError> {
        serde_json::to_writer(&mut self.w, v).map_err(|e| SimError::Serialize {
            what: self.path.display().to_string(),
            message: e.to_string(),
        })?;
        self.write_str("\n")
    }

    pub(crate) fn finish(mut self) -> Result<(), SimError> {
        self.w.flush().map_err(|e| SimError::io(&self.path, e))
    }
}

/// Writes a whole file.
pub(crate) fn write_file(path: &Path, contents: &str) -> Result<(), SimError> {
    std::fs::write(path, contents).map_err(|e| SimError::io(path, e))
}

/// Serialises a JSON document (pretty).
pub(crate) fn to_json_pretty<T: serde::Serialize>(what: &str, v: &T) -> Result<String, SimError> {
    serde_json::to_string_pretty(v).map_err(|e| SimError::Serialize {
        what: what.to_string(),
        message: e.to_string(),
    })
}
