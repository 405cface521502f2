//! Renderers: one [`Report`] feeds every output format, the way one result stream feeds
//! ripgrep's printers. Renderers never invent facts: everything they print is in the
//! Report, so the JSON and the text always agree.

mod html;
mod markdown;
mod text;

use apitriage_model::Report;

pub use html::{esc, html};
pub use markdown::markdown;
pub use text::{text, TextStyle};

/// The Report as pretty JSON (schema_version 1), with a trailing newline.
pub fn json(r: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// A bucket id for people.
pub fn bucket_name(b: &str) -> &str {
    match b {
        "contract" => "Contract",
        "dependency" => "Dependency",
        "capacity" => "Capacity",
        "code_path" => "Code-path",
        "inconclusive" => "Inconclusive",
        other => other,
    }
}
