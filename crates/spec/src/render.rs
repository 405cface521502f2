//! Text, JSON and Markdown renderings of [`DiffReport`] and [`CheckReport`].
//!
//! The JSON form is the contract of INTERFACE.md (`spec diff --format json`,
//! `spec check --format json`) and is the serde serialization of the report types; the
//! text and Markdown forms are for people and never hold a fact the JSON lacks. Every
//! rendering is deterministic: the reports are already sorted.

use crate::check::CheckReport;
use crate::diff::{DiffReport, Severity};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// The JSON of INTERFACE.md, pretty-printed, with a trailing newline.
    Json,
    /// GitHub-flavoured Markdown, e.g. for a pull-request comment.
    Markdown,
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Serializing these plain structs cannot fail; fall back to an empty object anyway.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

fn counts(r: &DiffReport) -> String {
    format!(
        "{} breaking, {} warning, {} info",
        r.count(Severity::Breaking),
        r.count(Severity::Warning),
        r.count(Severity::Info)
    )
}

fn versions(r: &DiffReport) -> String {
    let side = |(source, version): &(String, String)| {
        if version.is_empty() {
            source.clone()
        } else {
            format!("{source} ({version})")
        }
    };
    format!("{} → {}", side(&r.old), side(&r.new))
}

fn operation(method: &str, path: &str) -> String {
    match (method.is_empty(), path.is_empty()) {
        (true, true) => "(document)".to_string(),
        (true, false) => path.to_string(),
        _ => format!("{method} {path}"),
    }
}

/// Renders a diff report.
pub fn render_diff(r: &DiffReport, format: Format) -> String {
    match format {
        Format::Json => json(r),
        Format::Text => {
            let mut out = format!("{}: {} ({})\n", versions(r), r.verdict.as_str(), counts(r));
            for severity in [Severity::Breaking, Severity::Warning, Severity::Info] {
                for c in r.changes.iter().filter(|c| c.severity == severity) {
                    out.push_str(&format!(
                        "\n{:<8}  {}  {}\n          {}\n",
                        c.severity.as_str(),
                        operation(&c.method, &c.path),
                        c.id,
                        c.detail
                    ));
                }
            }
            out
        }
        Format::Markdown => {
            let mut out = format!(
                "## API contract diff: **{}**\n\n{}: {}.\n",
                r.verdict.as_str(),
                escape_md(&versions(r)),
                counts(r)
            );
            if !r.changes.is_empty() {
                out.push_str("\n| severity | operation | rule | detail |\n|---|---|---|---|\n");
                for severity in [Severity::Breaking, Severity::Warning, Severity::Info] {
                    for c in r.changes.iter().filter(|c| c.severity == severity) {
                        out.push_str(&format!(
                            "| {} | `{}` | `{}` | {} |\n",
                            c.severity.as_str(),
                            escape_md(&operation(&c.method, &c.path)),
                            c.id,
                            escape_md(&c.detail)
                        ));
                    }
                }
            }
            out
        }
    }
}

/// Renders a check report.
pub fn render_check(r: &CheckReport, format: Format) -> String {
    match format {
        Format::Json => json(r),
        Format::Text => {
            let mut out = format!(
                "checked {} exchange{}, {} violation{}\n",
                r.checked,
                plural(r.checked),
                r.violations.len(),
                plural(r.violations.len())
            );
            for v in &r.violations {
                let at = if v.pointer.is_empty() {
                    String::new()
                } else {
                    format!(" at {}", v.pointer)
                };
                out.push_str(&format!(
                    "\n{}#{}  {} {} → {}  {}{at}\n    expected {}, found {}\n",
                    v.file, v.entry, v.method, v.path, v.status, v.rule, v.expected, v.found
                ));
            }
            for note in &r.notes {
                out.push_str(&format!("\nnote: {note}\n"));
            }
            out
        }
        Format::Markdown => {
            let mut out = format!(
                "## API contract check\n\n{} exchange{} checked, {} violation{}.\n",
                r.checked,
                plural(r.checked),
                r.violations.len(),
                plural(r.violations.len())
            );
            if !r.violations.is_empty() {
                out.push_str(
                    "\n| exchange | request | status | rule | pointer | expected | found |\n|---|---|---|---|---|---|---|\n",
                );
                for v in &r.violations {
                    out.push_str(&format!(
                        "| {}#{} | `{} {}` | {} | `{}` | `{}` | {} | {} |\n",
                        escape_md(&v.file),
                        v.entry,
                        escape_md(&v.method),
                        escape_md(&v.path),
                        v.status,
                        v.rule,
                        escape_md(&v.pointer),
                        escape_md(&v.expected),
                        escape_md(&v.found)
                    ));
                }
            }
            for note in &r.notes {
                out.push_str(&format!("\n> note: {}\n", escape_md(note)));
            }
            out
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Escapes what would break a table cell.
fn escape_md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
