//! Errors of the ingest layer. Most problems inside a file are not errors but skipped
//! records (see [`crate::Sink`]); these are the ones that stop a whole file or input.

use std::path::PathBuf;

/// What went wrong reading an input.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The path does not exist or cannot be read: a usage error.
    #[error("{path}: {source}")]
    Open {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Reading stopped part way, e.g. a truncated compressed stream. The records
    /// before `offset` were kept.
    #[error("byte {offset}: {message}")]
    Truncated {
        /// Offset in the decompressed stream where reading stopped.
        offset: u64,
        /// What was found.
        message: String,
    },
    /// The whole document is not of the expected shape.
    #[error("{0}")]
    Invalid(String),
}
