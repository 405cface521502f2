//! Breaking-change detection between two versions of an OpenAPI document.
//!
//! A change is breaking when a client written against the old document can fail against
//! a server implementing the new one. That depends on which way data flows, so every
//! schema rule is *direction-aware*:
//!
//! - in a **request** the client writes and the server validates: anything that narrows
//!   what the server accepts breaks (a new required property, a removed enum value, a
//!   lower `maxLength`), anything that widens is compatible;
//! - in a **response** the server writes and the client reads: anything that widens what
//!   the client may receive breaks (a new enum value, `nullable` added, a new `oneOf`
//!   variant), and removing something the client reads (a property, a status code,
//!   a media type) breaks too.
//!
//! Each finding is a [`Change`] with a stable kebab-case rule id from [`RULE_IDS`]; the
//! severity is computed per finding (see the rule list in [`RULE_IDS`]). Paths are matched
//! by their template shape, so renaming `{id}` to `{orderId}` is not a removal
//! (OpenAPI 3.0.3 §4.7.8: templated paths with the same hierarchy but different
//! parameter names are considered identical).
//!
//! The walk is bounded: referenced schemas are compared once per pair of `$ref` targets on
//! the current walk (so recursive schemas terminate), nesting is capped, and a global step
//! budget turns a pathological document into a `diff-truncated` warning instead of a hang.

mod params;
mod paths;
mod schema;
mod security;

pub(crate) use paths::media_essence;

use crate::load::Spec;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// Every rule id this module can emit, in a stable order. Severities:
///
/// | id | severity |
/// |---|---|
/// | `path-removed` | breaking |
/// | `path-added` | info |
/// | `operation-removed` | breaking |
/// | `operation-added` | info |
/// | `operation-deprecated` | info |
/// | `operation-id-changed` | warning |
/// | `required-request-parameter-added` | breaking |
/// | `optional-request-parameter-added` | info |
/// | `request-parameter-removed` | warning |
/// | `request-parameter-became-required` | breaking |
/// | `request-parameter-became-optional` | info |
/// | `request-body-became-required` | breaking (also a new required body) |
/// | `request-body-added` | info (optional body) |
/// | `request-body-removed` | warning |
/// | `request-content-type-removed` | breaking |
/// | `request-content-type-changed` | breaking |
/// | `request-content-type-added` | info |
/// | `response-content-type-removed` | breaking |
/// | `response-content-type-changed` | breaking |
/// | `response-content-type-added` | info |
/// | `response-status-removed` | breaking for 2xx/3xx, warning otherwise |
/// | `response-status-added` | info |
/// | `response-header-removed` | breaking when it was required, warning otherwise |
/// | `property-removed` | response: breaking; request: warning |
/// | `property-added` | info |
/// | `required-property-added` | request: breaking; response: info |
/// | `property-became-required` | request: breaking; response: info |
/// | `property-became-optional` | request: info; response: breaking |
/// | `type-changed` | breaking; info when it widens a request or narrows a response |
/// | `format-changed` | breaking when changed; warning/info when added or removed |
/// | `enum-value-removed` | request: breaking; response: info |
/// | `enum-value-added` | request: info; response: breaking |
/// | `constraint-narrowed` | request: breaking; response: info |
/// | `constraint-widened` | request: info; response: warning |
/// | `pattern-changed` | request: breaking; response: warning |
/// | `nullable-removed` | request: breaking; response: info |
/// | `nullable-added` | request: info; response: breaking |
/// | `variant-removed` | request: breaking; response: info |
/// | `variant-added` | request: info; response: breaking |
/// | `security-added` | breaking |
/// | `security-removed` | info |
/// | `security-changed` | breaking |
/// | `security-scope-added` | breaking |
/// | `security-scope-removed` | info |
/// | `security-scheme-changed` | breaking |
/// | `diff-truncated` | warning |
pub const RULE_IDS: &[&str] = &[
    "path-removed",
    "path-added",
    "operation-removed",
    "operation-added",
    "operation-deprecated",
    "operation-id-changed",
    "required-request-parameter-added",
    "optional-request-parameter-added",
    "request-parameter-removed",
    "request-parameter-became-required",
    "request-parameter-became-optional",
    "request-body-became-required",
    "request-body-added",
    "request-body-removed",
    "request-content-type-removed",
    "request-content-type-changed",
    "request-content-type-added",
    "response-content-type-removed",
    "response-content-type-changed",
    "response-content-type-added",
    "response-status-removed",
    "response-status-added",
    "response-header-removed",
    "property-removed",
    "property-added",
    "required-property-added",
    "property-became-required",
    "property-became-optional",
    "type-changed",
    "format-changed",
    "enum-value-removed",
    "enum-value-added",
    "constraint-narrowed",
    "constraint-widened",
    "pattern-changed",
    "nullable-removed",
    "nullable-added",
    "variant-removed",
    "variant-added",
    "security-added",
    "security-removed",
    "security-changed",
    "security-scope-added",
    "security-scope-removed",
    "security-scheme-changed",
    "diff-truncated",
];

/// How much a change matters to existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Existing clients can fail.
    Breaking,
    /// Existing clients may misbehave, or a breaking change is likely but not certain.
    Warning,
    /// Compatible.
    Info,
}

impl Severity {
    /// The lowercase name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way the data flows where the change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Client to server: parameters and request bodies.
    Request,
    /// Server to client: status codes, headers and response bodies.
    Response,
}

impl Direction {
    /// `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

/// The overall outcome of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No change found.
    Unchanged,
    /// Changes, none breaking.
    Compatible,
    /// At least one breaking change.
    Breaking,
}

impl Verdict {
    /// The lowercase name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Unchanged => "unchanged",
            Verdict::Compatible => "compatible",
            Verdict::Breaking => "breaking",
        }
    }
}

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Stable kebab-case rule id, one of [`RULE_IDS`].
    pub id: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// Upper-case method (`GET`), or empty for a document-level change.
    pub method: String,
    /// Path template as written in the new document (the old one when removed), or empty
    /// for a document-level change.
    pub path: String,
    /// One sentence a person can act on.
    pub detail: String,
    /// Request or response side, when the change is inside one.
    pub direction: Option<Direction>,
    /// Where in the message, e.g. `response 200 application/json: items[].total` or
    /// `query parameter 'limit'`.
    pub location: String,
    /// JSON pointer of the changed node: into the new document, or into the old one when
    /// the node was removed.
    pub pointer: String,
}

/// The result of [`diff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// `breaking` when any change is, `compatible` when there are only non-breaking ones,
    /// `unchanged` when nothing was found.
    pub verdict: Verdict,
    /// Every change, sorted by path, method, direction, location and id.
    pub changes: Vec<Change>,
    /// Source name and `info.version` of the old document (not serialized).
    #[serde(skip)]
    pub old: (String, String),
    /// Source name and `info.version` of the new document (not serialized).
    #[serde(skip)]
    pub new: (String, String),
}

impl DiffReport {
    /// How many changes have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }
}

/// Compares two documents; see the module documentation for the rules.
pub fn diff(old: &Spec, new: &Spec) -> DiffReport {
    diff_with_budget(old, new, STEP_BUDGET)
}

/// [`diff`] with an explicit step budget.
fn diff_with_budget(old: &Spec, new: &Spec, budget: usize) -> DiffReport {
    let mut ctx = Ctx::new(old, new, budget);
    paths::diff_paths(&mut ctx);
    security::diff_schemes(&mut ctx);
    if ctx.truncated {
        ctx.changes.push(Change {
            id: "diff-truncated",
            severity: Severity::Warning,
            method: String::new(),
            path: String::new(),
            detail: format!(
                "the comparison stopped after {budget} steps; later changes are not reported"
            ),
            direction: None,
            location: String::new(),
            pointer: String::new(),
        });
    }
    let mut changes = ctx.changes;
    changes.sort_by(|a, b| {
        (
            &a.path,
            method_rank(&a.method),
            &a.direction,
            &a.location,
            a.id,
            &a.detail,
        )
            .cmp(&(
                &b.path,
                method_rank(&b.method),
                &b.direction,
                &b.location,
                b.id,
                &b.detail,
            ))
    });
    changes.dedup();
    let verdict = if changes.iter().any(|c| c.severity == Severity::Breaking) {
        Verdict::Breaking
    } else if changes.is_empty() {
        Verdict::Unchanged
    } else {
        Verdict::Compatible
    };
    DiffReport {
        verdict,
        changes,
        old: (old.source().to_string(), old.version().to_string()),
        new: (new.source().to_string(), new.version().to_string()),
    }
}

/// Sort key for methods: document order of the Path Item Object, then anything else.
fn method_rank(method: &str) -> (usize, &str) {
    let lower = method.to_ascii_lowercase();
    let rank = crate::matcher::METHODS
        .iter()
        .position(|m| *m == lower)
        .unwrap_or(crate::matcher::METHODS.len());
    (rank, method)
}

/// Comparison steps allowed for one diff.
const STEP_BUDGET: usize = 10_000_000;

/// The operation a change belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub(crate) method: String,
    pub(crate) path: String,
}

/// The walk's shared state: both documents, the changes found, the budget.
pub(crate) struct Ctx<'a> {
    pub(crate) old: &'a Spec,
    pub(crate) new: &'a Spec,
    changes: Vec<Change>,
    steps: usize,
    budget: usize,
    truncated: bool,
    /// Schema pairs already compared.
    pub(crate) memo: HashMap<schema::PairKey, Rc<schema::PairResult<'a>>>,
}

/// One change before it is attached to its operation.
pub(crate) struct Finding {
    pub(crate) id: &'static str,
    pub(crate) severity: Severity,
    pub(crate) direction: Option<Direction>,
    pub(crate) location: String,
    pub(crate) pointer: String,
    pub(crate) detail: String,
}

impl<'a> Ctx<'a> {
    fn new(old: &'a Spec, new: &'a Spec, budget: usize) -> Ctx<'a> {
        Ctx {
            old,
            new,
            changes: Vec::new(),
            steps: 0,
            budget,
            truncated: false,
            memo: HashMap::new(),
        }
    }

    /// Spends one step; false when the budget is exhausted.
    pub(crate) fn step(&mut self) -> bool {
        self.steps += 1;
        if self.steps > self.budget {
            self.truncated = true;
            return false;
        }
        true
    }

    pub(crate) fn push(&mut self, op: &Op, finding: Finding) {
        debug_assert!(
            RULE_IDS.contains(&finding.id),
            "unknown rule {}",
            finding.id
        );
        self.changes.push(Change {
            id: finding.id,
            severity: finding.severity,
            method: op.method.clone(),
            path: op.path.clone(),
            detail: finding.detail,
            direction: finding.direction,
            location: finding.location,
            pointer: finding.pointer,
        });
    }
}

/// Picks a severity by direction.
pub(crate) fn by_direction(
    direction: Direction,
    request: Severity,
    response: Severity,
) -> Severity {
    match direction {
        Direction::Request => request,
        Direction::Response => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exhausted_budget_is_reported_not_hidden() {
        let text = |max: u32| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: string, maxLength: {max}}}\n"
            )
        };
        let old = Spec::from_text(&text(10), "old").expect("valid");
        let new = Spec::from_text(&text(5), "new").expect("valid");
        let full = diff(&old, &new);
        assert_eq!(full.changes.len(), 1);
        let cut = diff_with_budget(&old, &new, 0);
        assert!(cut.changes.iter().any(|c| c.id == "diff-truncated"));
        assert_eq!(cut.verdict, Verdict::Compatible);
    }
}
