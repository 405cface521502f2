//! The command line, defined once: `--help`, the man page and shell completions are all
//! generated from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Classify a production API failure in seconds: contract, dependency, capacity or
/// code-path, with the evidence for every claim.
#[derive(Parser, Debug)]
#[command(name = "apitriage", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Human-readable text.
    Text,
    /// JSON (schema_version 1 for triage).
    Json,
    /// Markdown, ready to paste into an incident document.
    Markdown,
    /// A self-contained HTML report.
    Html,
}

/// Options every verb takes.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// TOML config file ([ingest] and [triage] tables).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print nothing on standard error but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The verbs.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Classify one incident from telemetry files and directories (the main job).
    Triage(TriageArgs),
    /// Write a realistic labelled incident bundle (for tests, demos and benchmarks).
    Simulate(SimulateArgs),
    /// Group log lines or error messages into templates.
    Patterns(PatternsArgs),
    /// OpenAPI contract tools: breaking-change diff and traffic validation.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Live mode: OTLP/HTTP receiver and triage API (not available yet).
    Serve(ServeArgs),
    /// Print shell completions for SHELL.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output.
    Man,
}

/// `triage` arguments.
#[derive(Args, Debug)]
pub struct TriageArgs {
    /// Files and directories to read (directories are walked; .gz and .zst are read transparently).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// When the failing example happened (RFC 3339, or unix seconds / ms / ns).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// The one concrete failing request: a HAR file, or a HAR entry as JSON.
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,
    /// Focus on one endpoint, "METHOD /route".
    #[arg(long, value_name = "ENDPOINT")]
    pub endpoint: Option<String>,
    /// The affected user, for the report.
    #[arg(long)]
    pub user: Option<String>,
    /// The affected cohort, for the report.
    #[arg(long)]
    pub cohort: Option<String>,
    /// The release the failing example ran.
    #[arg(long)]
    pub release: Option<String>,
    /// How much time before the onset counts as normal (e.g. 30m, 2h; default: all of it, up to 24h).
    #[arg(long, value_name = "DURATION")]
    pub baseline: Option<String>,
    /// Print how long reading, triage and rendering took, and the records read, on
    /// standard error.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub common: Common,
}

/// `simulate` arguments.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// The scenario to simulate (see --list).
    #[arg(required_unless_present_any = ["list", "suite"])]
    pub scenario: Option<String>,
    /// List the scenarios and what each injects.
    #[arg(long)]
    pub list: bool,
    /// Seed: same seed, same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Multiply request volume by N (for benchmarks).
    #[arg(long, default_value_t = 1)]
    pub scale: u32,
    /// Head-sample traces at the collector: keep each trace, and the OTLP logs
    /// correlated to it, with this probability (0 < FRACTION <= 1, deterministic from the
    /// seed), at any --scale. Access logs stay complete. Without it, the simulated system
    /// samples spans its own way (fewer at larger --scale) and keeps every log.
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub trace_sample: Option<f64>,
    /// Write a labelled suite of every scenario into DIR (labels beside the bundles).
    #[arg(long, value_name = "DIR")]
    pub suite: Option<PathBuf>,
    /// Seed range for --suite, e.g. 1..6.
    #[arg(long, default_value = "1..2")]
    pub seeds: String,
    /// Partial telemetry: comma-separated switches (no-span-status, metrics-60s, no-changes,
    /// no-spec, logs-without-trace-ids, no-har).
    #[arg(long, value_delimiter = ',')]
    pub partial: Vec<String>,
    /// Output directory of the bundle.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print nothing on standard error but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `patterns` arguments.
#[derive(Args, Debug)]
pub struct PatternsArgs {
    /// Log files to mine.
    #[arg(required = true, value_name = "LOGFILE")]
    pub files: Vec<PathBuf>,
    /// Similarity threshold (0..1) for joining a template.
    #[arg(long, default_value_t = 0.5)]
    pub similarity: f64,
    #[command(flatten)]
    pub common: Common,
}

/// `spec` verbs.
#[derive(Subcommand, Debug)]
pub enum SpecCommand {
    /// Breaking-change report between two OpenAPI documents.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// Exit with 1 when the verdict is breaking.
        #[arg(long, value_name = "LEVEL")]
        fail_on: Option<FailOnDiff>,
        #[command(flatten)]
        common: Common,
    },
    /// Validate captured traffic (HAR files) against a spec.
    Check {
        /// The OpenAPI document.
        #[arg(long, value_name = "OPENAPI")]
        spec: PathBuf,
        /// Traffic files.
        #[arg(required = true, value_name = "TRAFFIC")]
        traffic: Vec<PathBuf>,
        /// Exit with 1 when any violation is found.
        #[arg(long, value_name = "LEVEL")]
        fail_on: Option<FailOnCheck>,
        #[command(flatten)]
        common: Common,
    },
}

/// `--fail-on` for `spec diff`.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FailOnDiff {
    /// Fail on breaking changes.
    Breaking,
}

/// `--fail-on` for `spec check`.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FailOnCheck {
    /// Fail on any violation.
    Violation,
}

/// `serve` arguments.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4318")]
    pub listen: String,
}

/// A probability in (0, 1], for `--trace-sample`.
fn parse_fraction(s: &str) -> Result<f64, String> {
    let f: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if f > 0.0 && f <= 1.0 {
        Ok(f)
    } else {
        Err(format!(
            "{s} is not in (0, 1] (e.g. 0.1 keeps one trace in ten)"
        ))
    }
}
