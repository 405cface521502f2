//! The `apitriage` binary: argument parsing, config, progress and wiring. The work lives
//! in the library crates; errors bubble up here, are printed once, and pick the exit
//! code (0 done, 2 usage or unreadable input, 1 anything else).

mod cli;
mod commands;
mod config;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

// Decoding OTLP allocates many short-lived strings per record on every thread;
// mimalloc's thread-local free lists cost about half of glibc's malloc there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An error with the exit code it should produce.
#[derive(Debug)]
pub struct Failure {
    /// 1 or 2.
    pub code: u8,
    /// What to print.
    pub message: String,
}

impl Failure {
    /// A usage error or unreadable input (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    /// Any other failure (exit 1).
    pub fn other(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("apitriage: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
