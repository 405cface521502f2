//! The terminal report: the verdict first, then why, then what to do, readable in 80
//! columns. Colour only when asked (the binary honours NO_COLOR and non-terminals).

use crate::bucket_name;
use apitriage_model::Report;
use std::fmt::Write;

/// How to style the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    /// Use ANSI colours.
    pub color: bool,
}

struct Paint(bool);

impl Paint {
    fn bold(&self, s: &str) -> String {
        if self.0 {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn dim(&self, s: &str) -> String {
        if self.0 {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn accent(&self, s: &str, bucket: &str) -> String {
        if !self.0 {
            return s.to_string();
        }
        let code = match bucket {
            "contract" => "35",
            "dependency" => "33",
            "capacity" => "36",
            "code_path" => "31",
            _ => "37",
        };
        format!("\x1b[1;{code}m{s}\x1b[0m")
    }
}

/// Wraps `text` to `width` columns with `indent` on continuation lines.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = 0usize;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if line > 0 && line + 1 + w > width {
            out.push('\n');
            out.push_str(indent);
            line = indent.len();
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
    }
    out
}

/// Sanitises telemetry text for a terminal: control characters (escape sequences
/// included) become visible, so a log line cannot repaint the screen.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The text report.
pub fn text(r: &Report, style: TextStyle) -> String {
    let p = Paint(style.color);
    let v = &r.verdict;
    let mut o = String::new();
    let title = format!(
        "{} ({:.0}% confidence)",
        bucket_name(&v.bucket).to_uppercase(),
        v.confidence * 100.0
    );
    let _ = writeln!(o, "{} {}", p.bold("Verdict:"), p.accent(&title, &v.bucket));
    if let Some(s) = &v.secondary {
        let _ = writeln!(o, "  secondary: {}", bucket_name(s));
    }
    let c = &v.culprit;
    if c.service.is_some() || c.endpoint.is_some() {
        let mut parts = Vec::new();
        if let Some(s) = &c.service {
            parts.push(format!("service {}", clean(s)));
        }
        if let Some(d) = c
            .dependency
            .as_ref()
            .filter(|d| Some(*d) != c.service.as_ref())
        {
            parts.push(format!("dependency {}", clean(d)));
        }
        if let Some(e) = &c.endpoint {
            parts.push(format!("seen on {}", clean(e)));
        }
        let _ = writeln!(
            o,
            "  culprit:   {}",
            wrap(&parts.join(", "), 66, "             ")
        );
    }
    if let Some(on) = &r.onset {
        let _ = writeln!(o, "  onset:     {on}");
    }
    if !r.failure_mode.is_empty() {
        let _ = writeln!(o, "  failure:   {}", r.failure_mode.join(", "));
    }
    let b = &r.blast_radius;
    let _ = writeln!(
        o,
        "  scope:     {}{}",
        b.scope,
        if b.after_deploy {
            ", after a deploy"
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "  scores:    {}",
        v.scores
            .iter()
            .map(|(k, s)| format!("{} {:.0}%", bucket_name(k), s * 100.0))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    if let Some(fs) = &r.first_signal {
        let _ = writeln!(o, "\n{}", p.bold("First hard signal"));
        let _ = writeln!(
            o,
            "  {} [{}] {}",
            fs.at,
            fs.kind,
            wrap(&clean(&fs.summary), 50, "      ")
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o, "\n{}", p.bold("Evidence"));
        for f in r.findings.iter().filter(|f| f.strength > 0.0).take(8) {
            let _ = writeln!(
                o,
                "  {} {}",
                p.accent("●", &f.bucket),
                wrap(&clean(&f.summary), 74, "    ")
            );
            for e in f.evidence.iter().take(3) {
                let _ = writeln!(o, "    {}", p.dim(&wrap(&clean(e), 74, "    ")));
            }
            let _ = writeln!(
                o,
                "    {}",
                p.dim(&format!("[{} · {:.2}]", f.check, f.strength))
            );
        }
        let notes: Vec<_> = r.findings.iter().filter(|f| f.strength == 0.0).collect();
        if !notes.is_empty() {
            let _ = writeln!(o, "\n{}", p.bold("Notes"));
            for f in notes {
                let _ = writeln!(o, "  - {}", wrap(&clean(&f.summary), 74, "    "));
            }
        }
    }
    if !b.dimensions.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            p.bold("Blast radius (share of failures vs baseline)")
        );
        for d in b.dimensions.iter().take(6) {
            let label = clean(&format!("{}={}", d.name, d.value));
            let label: String = label.chars().take(40).collect();
            let _ = writeln!(
                o,
                "  {:<40} {:>5.0}% vs {:>3.0}%",
                label,
                d.share_of_failures * 100.0,
                d.share_of_baseline * 100.0
            );
        }
    }
    let _ = writeln!(o, "\n{}", p.bold("Next check"));
    let _ = writeln!(o, "  {}", wrap(&r.next_check, 76, "  "));
    let _ = writeln!(o, "{}", p.bold("Avoid first"));
    let _ = writeln!(o, "  {}", wrap(&r.avoid_first, 76, "  "));
    let _ = writeln!(o, "{}", p.bold("Mitigation"));
    for m in &r.mitigation {
        let _ = writeln!(o, "  - {}", wrap(m, 74, "    "));
    }
    if let Some(ex) = &r.example {
        let _ = writeln!(o, "\n{}", p.bold("Failing example"));
        let _ = writeln!(
            o,
            "  {} {} → {}  ({})",
            ex.at,
            clean(&ex.request),
            ex.status,
            clean(&ex.source)
        );
        for step in &ex.path {
            let _ = writeln!(o, "    after {}", clean(step));
        }
    }
    let i = &r.input;
    let _ = writeln!(
        o,
        "\n{}",
        p.dim(&format!(
            "read {} files, {} records, {} skipped{}",
            i.files,
            i.records,
            i.skipped,
            if i.ignored.is_empty() {
                String::new()
            } else {
                format!(", {} files ignored", i.ignored.len())
            }
        ))
    );
    for pr in i.problems.iter().take(5) {
        let _ = writeln!(o, "  {}", p.dim(&clean(pr)));
    }
    if !r.not_run.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            p.dim(&format!(
                "{} checks could not run for lack of data (see --format json: not_run)",
                r.not_run.len()
            ))
        );
    }
    o
}
