//! OpenAPI contract tooling for apitriage: what changed between two versions of an API
//! contract ([`diff()`]), and whether captured traffic honours the contract ([`check()`]).
//!
//! The runbook's *contract* bucket asks two questions of a failing request: did the
//! contract change under the client (a breaking change shipped in a release), and does
//! the traffic still match what the contract promises? This crate answers both from an
//! OpenAPI document alone, with no network access.
//!
//! Documents are kept as plain [`serde_json::Value`]s rather than typed models: both
//! OpenAPI 3.0.3 and 3.1.0 are accepted, their schema dialects differ (OpenAPI 3.0.3 §4.7.24
//! "Schema Object" is an extended subset of JSON Schema Wright draft 00; OpenAPI 3.1.0
//! §4.8.24 is a superset of JSON Schema 2020-12), and a generic tree lets one walker serve
//! both and tolerate the sloppy documents found in the wild.
//!
//! The pieces, in the order data flows through them:
//!
//! - [`load`]: reading YAML or JSON, with file/line/column errors, and the [`Spec`] type;
//! - `resolve`: local `$ref` resolution (OpenAPI 3.0.3 §4.7.23 "Reference Object"),
//!   checked once at load time so that later walks never meet a dangling or cyclic ref;
//! - `matcher`: mapping a concrete request path onto a templated path
//!   (OpenAPI 3.0.3 §4.7.8 "Paths Object", §4.7.5 "Server Object");
//! - [`mod@diff`]: direction-aware breaking-change rules with stable ids ([`diff::RULE_IDS`]);
//! - `dialect`: translating 3.0 schemas into JSON Schema 2020-12 for validation;
//! - [`mod@check`]: validating captured [`apitriage_model::Exchange`]s;
//! - [`render`]: text, JSON and Markdown output.

pub mod check;
mod dialect;
pub mod diff;
mod error;
pub mod load;
mod matcher;
mod pointer;
pub mod render;
mod resolve;

pub use check::{check, CheckReport, Violation};
pub use diff::{diff, Change, DiffReport, Direction, Severity, Verdict};
pub use error::SpecError;
pub use load::{Dialect, Spec};
pub use matcher::{OperationMatch, OperationRef};
pub use render::{render_check, render_diff, Format};
