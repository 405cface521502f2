//! The one error type of this crate. Every message is lowercase, names the file, and says
//! where in it (line and column for syntax errors, a JSON pointer for semantic ones) and
//! what was expected, so that the CLI can print it as is and exit with code 2.

use thiserror::Error;

/// Why an OpenAPI document could not be loaded. All variants mean "fix the document (or
/// the path to it) and try again"; none is transient.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file.
        file: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is larger than the size accepted for a contract.
    #[error("{file}: {size} bytes is larger than the {max}-byte limit for an openapi document")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size in bytes.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{file}: byte {offset}: not utf-8 text; expected a yaml or json openapi document")]
    Encoding {
        /// The file.
        file: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// A JSON syntax error.
    #[error("{file}:{line}:{column}: invalid json: {message}")]
    Json {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A YAML syntax error (line and column are 0 when the parser gave no position).
    #[error("{file}:{line}:{column}: invalid yaml: {message}")]
    Yaml {
        /// The file.
        file: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The document is not an OpenAPI 3 document.
    #[error("{file}: not an openapi document: {message}")]
    NotOpenApi {
        /// The file.
        file: String,
        /// What is missing or wrong.
        message: String,
    },
    /// The `openapi` field names a version this crate does not read.
    #[error("{file}: unsupported openapi version '{version}'; expected 3.0.x or 3.1.x")]
    UnsupportedVersion {
        /// The file.
        file: String,
        /// The version as written.
        version: String,
    },
    /// A part of the document has the wrong shape.
    #[error("{file}: at {pointer}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// JSON pointer of the offending node.
        pointer: String,
        /// What was expected there.
        message: String,
    },
    /// A local `$ref` points nowhere.
    #[error("{file}: at {pointer}: unresolved $ref '{target}': no such node in the document")]
    UnresolvedRef {
        /// The file.
        file: String,
        /// JSON pointer of the object holding the `$ref`.
        pointer: String,
        /// The reference as written.
        target: String,
    },
    /// A `$ref` into another file or URL; only self-contained documents are read.
    #[error(
        "{file}: at {pointer}: external $ref '{target}' is not supported; bundle the document into one file first"
    )]
    ExternalRef {
        /// The file.
        file: String,
        /// JSON pointer of the object holding the `$ref`.
        pointer: String,
        /// The reference as written.
        target: String,
    },
    /// A chain of `$ref`s that comes back to itself without ever reaching a definition, or
    /// a schema that includes itself in place (through `allOf`/`anyOf`/`oneOf`/`not`)
    /// without descending into a property or item: no instance could ever be checked
    /// against it.
    #[error("{file}: recursive $ref without progress: {chain}")]
    RefCycle {
        /// The file.
        file: String,
        /// The cycle, as `a -> b -> a`.
        chain: String,
    },
    /// The document nests deeper than the walkers accept.
    #[error("{file}: at {pointer}: the document nests deeper than {max} levels")]
    TooDeep {
        /// The file.
        file: String,
        /// Where the limit was reached.
        pointer: String,
        /// The limit.
        max: usize,
    },
    /// The document has more nodes than accepted.
    #[error("{file}: the document has more than {max} nodes")]
    TooManyNodes {
        /// The file.
        file: String,
        /// The limit.
        max: usize,
    },
}
