//! One function per verb.

use crate::cli::{
    Cli, Command, Common, OutputFormat, PatternsArgs, SimulateArgs, SpecCommand, TriageArgs,
};
use crate::output::{emit, use_color};
use crate::{config, Failure};
use apitriage_engine::TriageOptions;
use clap::CommandFactory;
use std::path::PathBuf;

/// Runs the chosen verb; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Triage(a) => triage(a),
        Command::Simulate(a) => simulate(a),
        Command::Patterns(a) => patterns(a),
        Command::Spec(s) => spec(s),
        Command::Serve(_) => Err(Failure::other(
            "serve (live OTLP receiver) is not available in this version; use `apitriage triage` on exported files",
        )),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "apitriage", &mut out);
            emit(None, &String::from_utf8_lossy(&out))?;
            Ok(0)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| Failure::other(e.to_string()))?;
            emit(None, &String::from_utf8_lossy(&out))?;
            Ok(0)
        }
    }
}

fn parse_time(flag: &str, v: &str) -> Result<i64, Failure> {
    apitriage_model::time::parse(v).ok_or_else(|| {
        Failure::usage(format!(
            "{flag} {v:?}: expected RFC 3339 (2025-11-26T14:02:10Z) or unix seconds / ms / ns"
        ))
    })
}

fn triage(a: TriageArgs) -> Result<u8, Failure> {
    let cfg = config::load(a.common.config.as_deref())?;
    let mut inputs: Vec<PathBuf> = a.inputs.clone();
    if let Some(r) = &a.request {
        inputs.push(r.clone());
    }
    for p in &inputs {
        if !p.exists() {
            return Err(Failure::usage(format!(
                "{}: no such file or directory",
                p.display()
            )));
        }
    }
    let started = std::time::Instant::now();
    let progress = crate::progress::Progress::start(a.common.quiet, count_files(&inputs));
    let summary = apitriage_ingest::read_paths(&inputs, &cfg.ingest, &|n| progress.advance(n))
        .map_err(|e| Failure::usage(e.to_string()))?;
    progress.finish();
    let read_done = started.elapsed();
    if summary.input.files == 0 {
        let why = if summary.input.ignored.is_empty() {
            "no files found".to_string()
        } else {
            summary.input.ignored.join("; ")
        };
        return Err(Failure::usage(format!(
            "no telemetry recognised in the inputs: {why}"
        )));
    }
    if let Some(r) = &a.request {
        let name = r.display().to_string();
        if !summary.exchanges.iter().any(|x| x.file == name) {
            return Err(Failure::usage(format!(
                "--request {name}: expected a HAR file (or a HAR entry as JSON) holding the failing request"
            )));
        }
    }
    if !a.common.quiet {
        for note in &summary.input.ignored {
            eprintln!("apitriage: ignored {note}");
        }
    }
    let opts = TriageOptions {
        at: a.at.as_deref().map(|t| parse_time("--at", t)).transpose()?,
        endpoint: a.endpoint.clone(),
        user: a.user.clone(),
        cohort: a.cohort.clone(),
        release: a.release.clone(),
        baseline: a
            .baseline
            .as_deref()
            .map(|b| {
                apitriage_model::time::parse_duration(b).ok_or_else(|| {
                    Failure::usage(format!(
                        "--baseline {b:?}: expected a duration such as 30m or 2h"
                    ))
                })
            })
            .transpose()?,
        settings: cfg.triage,
    };
    let report = apitriage_engine::triage(&summary, &opts);
    let triage_done = started.elapsed();
    if !a.common.quiet && summary.input.skipped > 0 {
        eprintln!(
            "apitriage: skipped {} malformed records (first: {})",
            summary.input.skipped,
            summary
                .input
                .problems
                .first()
                .map(String::as_str)
                .unwrap_or("-")
        );
    }
    let text = render(&report, &a.common)?;
    emit(a.common.output.as_deref(), &text)?;
    if a.timings {
        let done = started.elapsed();
        eprintln!(
            "apitriage: timings: read {:.3} s ({} files, {} records), triage {:.3} s, render {:.3} s, total {:.3} s",
            read_done.as_secs_f64(),
            summary.input.files,
            summary.input.records,
            (triage_done - read_done).as_secs_f64(),
            (done - triage_done).as_secs_f64(),
            done.as_secs_f64()
        );
        let dim_values: usize = summary.dims.values().map(|d| d.len()).sum();
        eprintln!(
            "apitriage: summary: {} request cells, {} downstream cells, {} strings, {} dimension values, {} signatures",
            summary.requests.len(),
            summary.downstream.len(),
            summary.strings.len(),
            dim_values,
            summary.signatures.len()
        );
    }
    Ok(0)
}

fn count_files(inputs: &[PathBuf]) -> u64 {
    apitriage_ingest::walk::collect(inputs)
        .map(|v| v.len() as u64)
        .unwrap_or(0)
}

fn render(report: &apitriage_model::Report, c: &Common) -> Result<String, Failure> {
    Ok(match c.format {
        OutputFormat::Json => apitriage_report::json(report),
        OutputFormat::Markdown => apitriage_report::markdown(report),
        OutputFormat::Text => apitriage_report::text(
            report,
            apitriage_report::TextStyle {
                color: use_color(c.output.is_some()),
            },
        ),
        OutputFormat::Html => apitriage_report::html(report),
    })
}

fn parse_seeds(s: &str) -> Result<std::ops::Range<u64>, Failure> {
    let bad = || Failure::usage(format!("--seeds {s:?}: expected A..B, e.g. 1..6"));
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let (a, b): (u64, u64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if b <= a {
        return Err(bad());
    }
    Ok(a..b)
}

fn simulate(a: SimulateArgs) -> Result<u8, Failure> {
    if a.list {
        let mut out = String::new();
        for s in apitriage_sim::scenarios() {
            out.push_str(&format!("{:<32} {:<11} {}\n", s.name, s.bucket, s.summary));
        }
        emit(None, &out)?;
        return Ok(0);
    }
    let mut partial = apitriage_sim::Partial::default();
    for p in &a.partial {
        match p.trim().replace('_', "-").as_str() {
            "no-span-status" => partial.no_span_status = true,
            "metrics-60s" => partial.metrics_60s = true,
            "no-changes" => partial.no_changes = true,
            "no-spec" => partial.no_spec = true,
            "logs-without-trace-ids" => partial.logs_without_trace_ids = true,
            "no-har" => partial.no_har = true,
            other => {
                return Err(Failure::usage(format!(
                    "--partial {other:?}: unknown switch"
                )))
            }
        }
    }
    let opts = apitriage_sim::SimOptions {
        scale: a.scale,
        partial,
        trace_sample: a.trace_sample,
    };
    if let Some(dir) = &a.suite {
        let seeds = parse_seeds(&a.seeds)?;
        let made = apitriage_sim::write_suite(dir, seeds, &opts)
            .map_err(|e| Failure::other(e.to_string()))?;
        if !a.quiet {
            eprintln!(
                "wrote {} bundles and labels.jsonl into {}",
                made.len(),
                dir.display()
            );
        }
        return Ok(0);
    }
    let Some(scenario) = a.scenario.as_deref() else {
        return Err(Failure::usage("a scenario is required (see --list)"));
    };
    let Some(out) = a.output.as_deref() else {
        return Err(Failure::usage("-o DIR is required"));
    };
    if !apitriage_sim::scenarios()
        .iter()
        .any(|s| s.name == scenario)
    {
        return Err(Failure::usage(format!(
            "unknown scenario {scenario:?}; see `apitriage simulate --list`"
        )));
    }
    let truth = apitriage_sim::generate(scenario, a.seed, &opts, out)
        .map_err(|e| Failure::other(e.to_string()))?;
    if !a.quiet {
        eprintln!(
            "wrote {} ({} incident, onset {}) into {}",
            truth.scenario,
            truth.bucket,
            truth.onset,
            out.display()
        );
    }
    Ok(0)
}

/// The message of a JSON log line (so that templates are mined from what was said, not
/// from the record's keys), or the line itself.
fn message_of(line: &str) -> std::borrow::Cow<'_, str> {
    if line.starts_with('{') {
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(line) {
            for k in ["message", "msg", "body", "log", "MESSAGE", "@message"] {
                if let Some(serde_json::Value::String(s)) = m.get(k) {
                    return std::borrow::Cow::Owned(s.clone());
                }
            }
        }
    }
    std::borrow::Cow::Borrowed(line)
}

fn patterns(a: PatternsArgs) -> Result<u8, Failure> {
    use apitriage_ingest::input::{Input, Line};
    let config = apitriage_patterns::MinerConfig {
        similarity: a.similarity,
        ..Default::default()
    };
    let mut miner = apitriage_patterns::Miner::new(config);
    // Per file, the cluster of every line; ids are final only after the last line.
    let mut assigned: Vec<(String, Vec<usize>)> = Vec::new();
    let mut skipped = 0u64;
    for path in &a.files {
        let mut input = Input::open(path).map_err(|e| Failure::usage(e.to_string()))?;
        let name = path.display().to_string();
        let mut ids = Vec::new();
        loop {
            match input.next_line(apitriage_patterns::MAX_LINE_BYTES * 64) {
                Ok(Line::End) => break,
                Ok(Line::TooLong { number, .. }) => {
                    skipped += 1;
                    if !a.common.quiet {
                        eprintln!(
                            "apitriage: {name}:{number}: line too long, given its own pattern"
                        );
                    }
                    ids.push(usize::MAX);
                }
                Ok(Line::Ok(l)) => {
                    let text = String::from_utf8_lossy(l.bytes);
                    ids.push(miner.add_line(&message_of(&text)));
                }
                Err(e) => {
                    eprintln!("apitriage: {name}: {e}");
                    break;
                }
            }
        }
        miner.end_record();
        assigned.push((name, ids));
    }
    let multi = assigned.len() > 1;
    let out = match a.common.format {
        OutputFormat::Json => {
            // One object per line, keys in serde_json's (sorted) order: `file` (several
            // files only), `line`, `pattern`, `template`. The `pattern`/`template` tail is
            // serialised once per cluster, not once per line.
            use std::fmt::Write as _;
            let quoted = |s: &str| serde_json::Value::from(s).to_string();
            let mut tails: Vec<Option<String>> = Vec::new();
            let tail_of = |c: usize| -> String {
                let (id, template) = if c == usize::MAX {
                    ("none".to_string(), String::new())
                } else {
                    (miner.id(c), miner.template(c))
                };
                format!(
                    ",\"pattern\":{},\"template\":{}}}",
                    quoted(&id),
                    quoted(&template)
                )
            };
            let mut o = String::new();
            for (name, ids) in &assigned {
                let file = multi.then(|| format!("\"file\":{},", quoted(name)));
                for (i, &c) in ids.iter().enumerate() {
                    let slot = if c == usize::MAX { 0 } else { c + 1 };
                    if slot >= tails.len() {
                        tails.resize(slot + 1, None);
                    }
                    let tail = tails[slot].get_or_insert_with(|| tail_of(c));
                    o.push('{');
                    o.push_str(file.as_deref().unwrap_or(""));
                    let _ = write!(o, "\"line\":{}", i + 1);
                    o.push_str(tail);
                    o.push('\n');
                }
            }
            o
        }
        OutputFormat::Text | OutputFormat::Markdown => {
            let mut rows: Vec<_> = miner.clusters().filter(|c| c.count > 0).collect();
            rows.sort_by(|x, y| y.count.cmp(&x.count).then(x.id.cmp(&y.id)));
            let total: u64 = rows.iter().map(|r| r.count).sum();
            let mut o = String::new();
            if a.common.format == OutputFormat::Markdown {
                o.push_str("| count | share | pattern | template |\n|---|---|---|---|\n");
                for r in &rows {
                    o.push_str(&format!(
                        "| {} | {:.1}% | {} | `{}` |\n",
                        r.count,
                        100.0 * r.count as f64 / total.max(1) as f64,
                        r.id,
                        r.template.replace('|', "\\|").replace('`', "'")
                    ));
                }
            } else {
                for r in &rows {
                    o.push_str(&format!(
                        "{:>9} {:>6.1}%  {}  {}\n",
                        r.count,
                        100.0 * r.count as f64 / total.max(1) as f64,
                        r.id,
                        r.template
                    ));
                }
                o.push_str(&format!(
                    "{} templates from {} lines{}\n",
                    rows.len(),
                    total,
                    if skipped > 0 {
                        format!(", {skipped} over-long lines")
                    } else {
                        String::new()
                    }
                ));
            }
            o
        }
        OutputFormat::Html => {
            return Err(Failure::usage(
                "patterns supports --format text, json or markdown",
            ))
        }
    };
    emit(a.common.output.as_deref(), &out)?;
    Ok(0)
}

/// The exchanges in traffic files: JSON lines of request/response records, or anything
/// the readers turn into exchanges (HAR entries, OTLP spans carrying bodies).
fn traffic_exchanges(
    files: &[PathBuf],
    cfg: &apitriage_ingest::IngestConfig,
) -> Result<Vec<apitriage_model::Exchange>, Failure> {
    use apitriage_ingest::input::{Input, Line};
    let mut out = Vec::new();
    for path in apitriage_ingest::walk::collect(files).map_err(|e| Failure::usage(e.to_string()))? {
        let name = path.display().to_string();
        let mut input = Input::open(&path).map_err(|e| Failure::usage(e.to_string()))?;
        let mut records = Vec::new();
        let mut lines = 0usize;
        let looks_like_lines =
            input.head().first() == Some(&b'{') && !input.head().starts_with(b"{\"log\"");
        if looks_like_lines {
            while let Ok(Line::Ok(l)) = input.next_line(cfg.max_line_bytes) {
                if let Some(x) = std::str::from_utf8(l.bytes)
                    .ok()
                    .and_then(|t| apitriage_ingest::exchange_lines::parse(&name, lines, t))
                {
                    records.push(x);
                }
                lines += 1;
            }
        }
        if records.is_empty() {
            let mut s = apitriage_model::Summary::new();
            apitriage_ingest::read_file(&path, cfg, &mut s);
            records = s.exchanges;
        }
        out.extend(records);
    }
    Ok(out)
}

fn spec(s: SpecCommand) -> Result<u8, Failure> {
    let fmt = |c: &Common| -> Result<apitriage_spec::Format, Failure> {
        Ok(match c.format {
            OutputFormat::Text => apitriage_spec::Format::Text,
            OutputFormat::Json => apitriage_spec::Format::Json,
            OutputFormat::Markdown => apitriage_spec::Format::Markdown,
            OutputFormat::Html => {
                return Err(Failure::usage(
                    "spec verbs support --format text, json or markdown",
                ))
            }
        })
    };
    match s {
        SpecCommand::Diff {
            old,
            new,
            fail_on,
            common,
        } => {
            let o = apitriage_spec::Spec::load(&old).map_err(|e| Failure::usage(e.to_string()))?;
            let n = apitriage_spec::Spec::load(&new).map_err(|e| Failure::usage(e.to_string()))?;
            let r = apitriage_spec::diff(&o, &n);
            emit(
                common.output.as_deref(),
                &apitriage_spec::render_diff(&r, fmt(&common)?),
            )?;
            let breaking = r.count(apitriage_spec::Severity::Breaking) > 0;
            Ok(if fail_on.is_some() && breaking { 1 } else { 0 })
        }
        SpecCommand::Check {
            spec,
            traffic,
            fail_on,
            common,
        } => {
            let sp =
                apitriage_spec::Spec::load(&spec).map_err(|e| Failure::usage(e.to_string()))?;
            let cfg = config::load(common.config.as_deref())?;
            for p in &traffic {
                if !p.exists() {
                    return Err(Failure::usage(format!(
                        "{}: no such file or directory",
                        p.display()
                    )));
                }
            }
            let exchanges = traffic_exchanges(&traffic, &cfg.ingest)?;
            let r = apitriage_spec::check(&sp, &exchanges);
            emit(
                common.output.as_deref(),
                &apitriage_spec::render_check(&r, fmt(&common)?),
            )?;
            Ok(if fail_on.is_some() && !r.violations.is_empty() {
                1
            } else {
                0
            })
        }
    }
}
