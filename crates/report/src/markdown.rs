//! The Markdown report, ready to paste into an incident document: the verdict, the
//! runbook-style row for this incident, evidence, blast radius and what to do.

use crate::bucket_name;
use apitriage_model::Report;
use std::fmt::Write;

/// Escapes text for a Markdown table cell or line: pipes, backticks and angle brackets
/// from telemetry must not break the layout or inject HTML.
fn md(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '|' => "\\|".chars().collect::<Vec<_>>(),
            '<' => "&lt;".chars().collect(),
            '>' => "&gt;".chars().collect(),
            '`' => "'".chars().collect(),
            '\n' | '\r' => " ".chars().collect(),
            c if c.is_control() => vec![],
            c => vec![c],
        })
        .collect()
}

/// The Markdown report.
pub fn markdown(r: &Report) -> String {
    let v = &r.verdict;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "## API incident triage: {} ({:.0}% confidence)\n",
        bucket_name(&v.bucket),
        v.confidence * 100.0
    );
    let c = &v.culprit;
    let _ = writeln!(
        o,
        "- **Culprit:** {}",
        md(c.service.as_deref().unwrap_or("unknown"))
    );
    if let Some(d) = &c.dependency {
        let _ = writeln!(o, "- **Dependency:** {}", md(d));
    }
    if let Some(e) = &c.endpoint {
        let _ = writeln!(o, "- **Seen on:** {}", md(e));
    }
    if let Some(on) = &r.onset {
        let _ = writeln!(o, "- **Onset:** {on}");
    }
    if !r.failure_mode.is_empty() {
        let _ = writeln!(o, "- **Failure mode:** {}", r.failure_mode.join(", "));
    }
    let _ = writeln!(
        o,
        "- **Scope:** {}{}",
        r.blast_radius.scope,
        if r.blast_radius.after_deploy {
            " (after a deploy)"
        } else {
            ""
        }
    );
    if let Some(s) = &v.secondary {
        let _ = writeln!(o, "- **Secondary:** {}", bucket_name(s));
    }
    if let Some(fs) = &r.first_signal {
        let _ = writeln!(
            o,
            "- **First hard signal:** {} ({}) {}",
            fs.at,
            fs.kind,
            md(&fs.summary)
        );
    }
    if let Some(row) = &r.runbook_row {
        let _ = writeln!(o, "\n| What you see first | Most likely bucket | Fastest next check | What to avoid doing first |");
        let _ = writeln!(o, "|---|---|---|---|");
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            md(&row.seen_first),
            bucket_name(&row.bucket),
            md(&row.next_check),
            md(&row.avoid_first)
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o, "\n### Evidence\n");
        for f in r.findings.iter().take(12) {
            let _ = writeln!(
                o,
                "- **{}** ({}, strength {:.2}): {}",
                md(&f.check),
                bucket_name(&f.bucket),
                f.strength,
                md(&f.summary)
            );
            for e in f.evidence.iter().take(4) {
                let _ = writeln!(o, "  - {}", md(e));
            }
        }
    }
    if !r.blast_radius.dimensions.is_empty() {
        let _ = writeln!(o, "\n### Blast radius\n\n| Dimension | Value | Share of failures | Share of baseline |\n|---|---|---|---|");
        for d in &r.blast_radius.dimensions {
            let _ = writeln!(
                o,
                "| {} | {} | {:.0}% | {:.0}% |",
                md(&d.name),
                md(&d.value),
                d.share_of_failures * 100.0,
                d.share_of_baseline * 100.0
            );
        }
    }
    let _ = writeln!(
        o,
        "\n### Next\n\n- **Next check:** {}\n- **Avoid first:** {}",
        md(&r.next_check),
        md(&r.avoid_first)
    );
    let _ = writeln!(o, "- **Mitigation:**");
    for m in &r.mitigation {
        let _ = writeln!(o, "  - {}", md(m));
    }
    if let Some(ex) = &r.example {
        let _ = writeln!(
            o,
            "\n### Failing example\n\n- {} `{}` → {} ({})",
            ex.at,
            md(&ex.request),
            ex.status,
            md(&ex.source)
        );
        for p in &ex.path {
            let _ = writeln!(o, "  - after {}", md(p));
        }
    }
    if !r.not_run.is_empty() {
        let _ = writeln!(o, "\n### Checks that could not run\n");
        for n in &r.not_run {
            let _ = writeln!(o, "- {}: needs {}", md(&n.check), md(&n.needs));
        }
    }
    let i = &r.input;
    let _ = writeln!(
        o,
        "\n_Read {} files, {} records, {} skipped._",
        i.files, i.records, i.skipped
    );
    o
}
