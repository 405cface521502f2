//! The crate's one error type. Generation itself cannot fail; only the file system, the
//! caller's scenario name and out-of-range options can, so the variants say which file,
//! which name or which option.

use std::path::PathBuf;

/// What went wrong while writing a bundle.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario name is not one of [`crate::scenarios`]; list them and pick one.
    #[error("unknown scenario {0:?} (see `apitriage simulate --list`)")]
    UnknownScenario(String),
    /// A file or directory could not be created or written; check the path and space.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An option is out of range (the message says which and what is accepted).
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// A value could not be serialised (a bug in the simulator).
    #[error("cannot serialise {what}: {message}")]
    Serialize {
        /// What was being written.
        what: String,
        /// The serialiser's message.
        message: String,
    },
}

impl SimError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SimError::Io {
            path: path.into(),
            source,
        }
    }
}
