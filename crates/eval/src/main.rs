//! `apitriage-eval [--seeds A..B] [--volume V] [--only NAME,..] [--keep DIR] [--json FILE]`:
//! simulate a labelled suite (or the scenarios named), triage every bundle and print bucket and culprit accuracy, the confusion matrix and
//! calibration bands.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seeds = 100u64..103;
    let mut volume = 0.25f64;
    let mut json: Option<String> = None;
    let mut only: Vec<String> = Vec::new();
    let mut keep: Option<std::path::PathBuf> = None;
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
            "--only" => only.extend(val.split(',').map(str::to_string)),
            "--keep" => keep = Some(std::path::PathBuf::from(val)),
            "--json" => json = Some(val),
            other => {
                eprintln!("unknown argument {other}; usage: apitriage-eval [--seeds A..B] [--volume V] [--only NAME,..] [--keep DIR] [--json FILE]");
                return std::process::ExitCode::from(2);
            }
        }
        i += 2;
    }
    let scratch = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("apitriage-eval-{}", std::process::id()))
    });
    let plan = apitriage_eval::Plan {
        seeds,
        volume,
        only,
        keep: keep.is_some(),
    };
    let rows = apitriage_eval::run(&scratch, &plan);
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
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
