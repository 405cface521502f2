//! `apitriage-eval [--seeds A..B] [--volume V] [--json FILE]`: simulate a labelled suite,
//! triage every bundle and print bucket and culprit accuracy, the confusion matrix and
//! calibration bands.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seeds = 100u64..103;
    let mut volume = 0.25f64;
    let mut json: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let val = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--seeds" => {
                let Some((a, b)) = val
                    .split_once("..")
                    .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
                else {
                    eprintln!("--seeds expects A..B");
                    return std::process::ExitCode::from(2);
                };
                seeds = a..b;
            }
            "--volume" => volume = val.parse().unwrap_or(volume),
            "--json" => json = Some(val),
            other => {
                eprintln!("unknown argument {other}; usage: apitriage-eval [--seeds A..B] [--volume V] [--json FILE]");
                return std::process::ExitCode::from(2);
            }
        }
        i += 2;
    }
    let scratch = std::env::temp_dir().join(format!("apitriage-eval-{}", std::process::id()));
    let rows = apitriage_eval::run(&scratch, seeds, volume);
    let _ = std::fs::remove_dir_all(&scratch);
    if let Some(path) = json {
        let text = rows
            .iter()
            .filter_map(|r| serde_json::to_string(r).ok())
            .collect::<Vec<_>>()
            .join("\n");
        if let Err(e) = std::fs::write(&path, text + "\n") {
            eprintln!("{path}: {e}");
        }
    }
    print!("{}", apitriage_eval::render(&rows));
    std::process::ExitCode::SUCCESS
}
