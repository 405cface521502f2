//! Prints the diff of two OpenAPI documents: `cargo run -p apitriage-spec --example spec_diff -- OLD NEW [text|json|markdown]`.

use apitriage_spec::{diff, render_diff, Format, Spec};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: spec_diff OLD NEW [text|json|markdown]");
        std::process::exit(2);
    }
    let load = |p: &str| match Spec::load(Path::new(p)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (old, new) = (load(&args[1]), load(&args[2]));
    let format = match args.get(3).map(String::as_str) {
        Some("json") => Format::Json,
        Some("markdown") => Format::Markdown,
        _ => Format::Text,
    };
    print!("{}", render_diff(&diff(&old, &new), format));
}
