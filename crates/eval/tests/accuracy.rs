//! The verdict on a small labelled suite the engine was not tuned on: a regression in
//! classification shows up here, not only in docs/accuracy.md. (The full measurement is
//! `cargo run --release -p apitriage-eval`; this keeps to a few seconds.)

#[test]
fn verdicts_on_unseen_seeds_stay_accurate() {
    let scratch = std::env::temp_dir().join(format!("apitriage-eval-test-{}", std::process::id()));
    let plan = apitriage_eval::Plan {
        seeds: 900..901,
        volume: 0.1,
        only: Vec::new(),
        keep: false,
    };
    let rows = apitriage_eval::run(&scratch, &plan);
    let _ = std::fs::remove_dir_all(&scratch);
    let incidents: Vec<_> = rows.iter().filter(|r| r.truth != "none").collect();
    let controls: Vec<_> = rows.iter().filter(|r| r.truth == "none").collect();
    assert_eq!(incidents.len(), 24, "{}", apitriage_eval::render(&rows));
    let bucket = incidents.iter().filter(|r| r.bucket_ok).count() as f64 / incidents.len() as f64;
    let culprit = incidents.iter().filter(|r| r.culprit_ok).count() as f64 / incidents.len() as f64;
    let report = apitriage_eval::render(&rows);
    // One seed is a small sample: the bars sit below the suite-level figures.
    assert!(bucket >= 0.8, "bucket accuracy {bucket}\n{report}");
    assert!(culprit >= 0.7, "culprit accuracy {culprit}\n{report}");
    assert!(
        controls.iter().all(|r| r.bucket_ok),
        "a control was called an incident\n{report}"
    );
    // Every scenario's bundle, in every format the simulator writes, reads cleanly, and
    // every finding that argues for a bucket carries its figures.
    for r in &rows {
        assert_eq!(
            r.skipped, 0,
            "{}-{} had skipped records",
            r.scenario, r.seed
        );
        assert_eq!(
            r.bare_findings, 0,
            "{}-{} has findings without evidence",
            r.scenario, r.seed
        );
    }
}
