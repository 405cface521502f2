//! The self-contained HTML report: one file, no network, everything inline (CSS and SVG
//! charts drawn here), to attach to an incident channel. Every value that comes from
//! telemetry goes through [`esc`], so a log line holding `<script>` or `</svg>` renders
//! as text; secrets were redacted before the Report was built.

use crate::bucket_name;
use apitriage_model::report::Series;
use apitriage_model::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Control characters and bidi overrides could hide or reorder what is shown.
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d232b}
main{max-width:1100px;margin:0 auto;padding:24px}
header{background:#fff;border-radius:10px;padding:18px 22px;box-shadow:0 1px 3px #0002;display:grid;grid-template-columns:1fr auto;gap:8px}
h1{margin:0;font-size:24px}h2{font-size:17px;margin:26px 0 10px}
.b-contract{color:#8e24aa}.b-dependency{color:#c77700}.b-capacity{color:#00838f}.b-code_path{color:#c62828}.b-inconclusive{color:#555}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin-top:8px}.meta dt{color:#5b6470}.meta dd{margin:0}
.conf{font-size:36px;font-weight:700;text-align:right}
.card{background:#fff;border-radius:10px;padding:14px 18px;box-shadow:0 1px 3px #0002;margin-bottom:12px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:12px}.chart h3{margin:0 0 4px;font-size:14px}
svg text{font-size:11px;fill:#5b6470}.finding{border-left:4px solid #ccc;padding:6px 12px;margin:8px 0;background:#fff;border-radius:4px}
.finding .s{float:right;color:#5b6470}.finding ul{margin:4px 0 0 0;padding-left:18px;color:#3c4450;font-size:13px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
.bar{height:10px;background:#c62828;display:inline-block}.bar.base{background:#9aa4ae}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all}";

const COLORS: [&str; 4] = ["#1565c0", "#c62828", "#ef6c00", "#6a1b9a"];

fn chart(title: &str, series: &[&Series], marks: &[(i64, String)], t0: i64, t1: i64) -> String {
    let (w, h, left, bottom) = (520.0, 170.0, 48.0, 22.0);
    let ymax = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.1;
    let span = (t1 - t0).max(1) as f64;
    let x = |t: i64| left + (t - t0) as f64 / span * (w - left - 8.0);
    let y = |v: f64| (h - bottom) - v / ymax * (h - bottom - 8.0);
    let mut o = String::new();
    let _ = write!(o, "<div class=\"card chart\"><h3>{}</h3><svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{}\">", esc(title), esc(title));
    // Axes with a max label, the unit, and start/end clock times.
    let unit = series.first().map(|s| s.unit.as_str()).unwrap_or("");
    let _ = write!(
        o,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#bbb\"/>",
        h - bottom,
        w - 8.0,
        h - bottom
    );
    let _ = write!(
        o,
        "<line x1=\"{left}\" y1=\"8\" x2=\"{left}\" y2=\"{}\" stroke=\"#bbb\"/>",
        h - bottom
    );
    let top = if ymax >= 100.0 {
        format!("{ymax:.0}")
    } else if ymax >= 1.0 {
        format!("{ymax:.1}")
    } else {
        format!("{ymax:.3}")
    };
    let _ = write!(o, "<text x=\"2\" y=\"14\">{top}</text><text x=\"2\" y=\"{}\">0</text><text x=\"2\" y=\"{}\">{}</text>", h - bottom, h / 2.0, esc(unit));
    let clock = |t: i64| apitriage_model::time::format_clock(t * 1_000_000);
    let _ = write!(o, "<text x=\"{left}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} UTC</text>", h - 6.0, clock(t0), w - 8.0, h - 6.0, clock(t1));
    for (t, label) in marks {
        if *t < t0 || *t > t1 {
            continue;
        }
        let _ = write!(o, "<line x1=\"{0:.1}\" y1=\"8\" x2=\"{0:.1}\" y2=\"{1}\" stroke=\"#888\" stroke-dasharray=\"3 3\"><title>{2}</title></line>", x(*t), h - bottom, esc(label));
    }
    for (i, s) in series.iter().enumerate() {
        let pts: Vec<String> = s
            .points
            .iter()
            .map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v)))
            .collect();
        let color = COLORS[i % COLORS.len()];
        let _ = write!(o, "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{}\"><title>{}</title></polyline>", pts.join(" "), esc(&s.label));
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" fill=\"{color}\" style=\"fill:{color}\">{}</text>",
            left + 8.0 + 110.0 * i as f64,
            14,
            esc(&s.label)
        );
    }
    o.push_str("</svg></div>");
    o
}

/// The HTML report.
pub fn html(r: &Report) -> String {
    let v = &r.verdict;
    let mut o = String::new();
    let _ = write!(o, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"><title>apitriage: {}</title><style>{CSS}</style></head><body><main>", esc(bucket_name(&v.bucket)));
    let c = &v.culprit;
    let _ = write!(
        o,
        "<header><div><h1 class=\"b-{}\" id=\"verdict\">{}</h1><dl class=\"meta\">",
        esc(&v.bucket),
        esc(bucket_name(&v.bucket))
    );
    let mut meta = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&val));
        }
    };
    meta("culprit", c.service.clone());
    meta("dependency", c.dependency.clone());
    meta("seen on", c.endpoint.clone());
    meta("onset", r.onset.clone());
    meta(
        "failure mode",
        (!r.failure_mode.is_empty()).then(|| r.failure_mode.join(", ")),
    );
    meta(
        "scope",
        Some(format!(
            "{}{}",
            r.blast_radius.scope,
            if r.blast_radius.after_deploy {
                ", after a deploy"
            } else {
                ""
            }
        )),
    );
    meta(
        "secondary",
        v.secondary.as_deref().map(|s| bucket_name(s).to_string()),
    );
    let _ = write!(o, "</dl></div><div class=\"conf\">{:.0}%<div style=\"font-size:12px;font-weight:400;color:#5b6470\">confidence</div></div></header>", v.confidence * 100.0);

    // Timelines on one shared axis with the onset and every change marked.
    let t0 = r
        .series
        .iter()
        .flat_map(|s| s.points.first().map(|p| p.0))
        .min();
    let t1 = r
        .series
        .iter()
        .flat_map(|s| s.points.last().map(|p| p.0))
        .max();
    if let (Some(t0), Some(t1)) = (t0, t1) {
        let mut marks: Vec<(i64, String)> = r
            .changes
            .iter()
            .filter_map(|ch| {
                apitriage_model::time::parse(&ch.at).map(|t| {
                    (
                        t / 1_000_000,
                        format!(
                            "{} {} {}",
                            ch.kind,
                            ch.service,
                            ch.version.clone().unwrap_or_default()
                        ),
                    )
                })
            })
            .collect();
        if let Some(on) = r.onset.as_deref().and_then(apitriage_model::time::parse) {
            marks.push((on / 1_000_000, "onset".into()));
        }
        let mut charts: BTreeMap<&str, Vec<&Series>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for s in &r.series {
            if !charts.contains_key(s.chart.as_str()) {
                order.push(&s.chart);
            }
            charts.entry(&s.chart).or_default().push(s);
        }
        o.push_str("<h2>Timeline</h2><div class=\"charts\" id=\"charts\">");
        for name in order {
            o.push_str(&chart(name, &charts[name], &marks, t0, t1));
        }
        o.push_str("</div>");
    }
    if let Some(row) = &r.runbook_row {
        let _ = write!(o, "<h2>Runbook row</h2><div class=\"card\"><table><tr><th>What you see first</th><th>Most likely bucket</th><th>Fastest next check</th><th>What to avoid doing first</th></tr><tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></table></div>", esc(&row.seen_first), esc(bucket_name(&row.bucket)), esc(&row.next_check), esc(&row.avoid_first));
    }
    if let Some(fs) = &r.first_signal {
        let _ = write!(
            o,
            "<div class=\"card\"><b>First hard signal</b> ({}) at {}: {}</div>",
            esc(&fs.kind),
            esc(&fs.at),
            esc(&fs.summary)
        );
    }
    o.push_str("<h2>Findings</h2>");
    for bucket in ["contract", "dependency", "capacity", "code_path", "general"] {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.bucket == bucket).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = write!(
            o,
            "<h3 class=\"b-{bucket}\">{}</h3>",
            esc(bucket_name(bucket))
        );
        for f in fs {
            let _ = write!(
                o,
                "<div class=\"finding\"><span class=\"s\">{} · {:.2}</span>{}<ul>",
                esc(&f.check),
                f.strength,
                esc(&f.summary)
            );
            for e in &f.evidence {
                let _ = write!(o, "<li>{}</li>", esc(e));
            }
            o.push_str("</ul></div>");
        }
    }
    if !r.blast_radius.dimensions.is_empty() {
        o.push_str("<h2>Blast radius</h2><div class=\"card\"><table><tr><th>dimension</th><th>share of failures vs baseline</th></tr>");
        for d in &r.blast_radius.dimensions {
            let _ = write!(o, "<tr><td>{}={}</td><td><span class=\"bar\" style=\"width:{:.0}px\"></span> {:.0}%<br><span class=\"bar base\" style=\"width:{:.0}px\"></span> {:.0}%</td></tr>", esc(&d.name), esc(&d.value), d.share_of_failures * 300.0, d.share_of_failures * 100.0, d.share_of_baseline * 300.0, d.share_of_baseline * 100.0);
        }
        o.push_str("</table></div>");
    }
    let _ = write!(o, "<h2>What to do</h2><div class=\"card\"><p><b>Next check:</b> {}</p><p><b>Avoid first:</b> {}</p><ul>", esc(&r.next_check), esc(&r.avoid_first));
    for m in &r.mitigation {
        let _ = write!(o, "<li>{}</li>", esc(m));
    }
    o.push_str("</ul></div>");
    if let Some(ex) = &r.example {
        let _ = write!(
            o,
            "<h2>Failing example</h2><div class=\"card\"><code>{} {} → {}</code> ({})",
            esc(&ex.at),
            esc(&ex.request),
            ex.status,
            esc(&ex.source)
        );
        if !ex.path.is_empty() {
            o.push_str("<ol>");
            for p in &ex.path {
                let _ = write!(o, "<li><code>{}</code></li>", esc(p));
            }
            o.push_str("</ol>");
        }
        if let Some(b) = &ex.response_excerpt {
            let _ = write!(o, "<pre>{}</pre>", esc(b));
        }
        o.push_str("</div>");
    }
    if !r.not_run.is_empty() {
        o.push_str("<h2>Checks that could not run</h2><div class=\"card\"><ul>");
        for n in &r.not_run {
            let _ = write!(o, "<li>{}: needs {}</li>", esc(&n.check), esc(&n.needs));
        }
        o.push_str("</ul></div>");
    }
    let _ = writeln!(o, "<p style=\"color:#5b6470\">Read {} files, {} records, {} skipped. Generated by apitriage.</p></main></body></html>", r.input.files, r.input.records, r.input.skipped);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_strings_are_inert() {
        let mut r = Report::default();
        r.verdict.bucket = "dependency".into();
        r.verdict.culprit.service = Some("<script>alert(1)</script>".into());
        r.next_check = "\"onload=alert(1) </svg><img src=x onerror=alert(1)>".into();
        r.findings.push(apitriage_model::Finding {
            check: "x".into(),
            bucket: "dependency".into(),
            strength: 0.5,
            summary: "javascript:alert(1) \u{1b}[31m".into(),
            evidence: vec!["</svg><script>".into()],
        });
        let h = html(&r);
        assert!(!h.contains("<script>"));
        assert!(!h.contains("<img"));
        assert!(!h.contains("</svg><"));
        assert!(!h.contains('\u{1b}'));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
