//! Suites: bundles without their labels, labels beside them, partial telemetry drawn
//! per bundle and honoured.

mod common;

use apitriage_sim::{scenarios, write_suite_sized, SimOptions};

#[test]
fn labels_live_beside_the_bundles_not_inside() {
    let dir = common::scratch("suite");
    let written = write_suite_sized(&dir, 20..21, &SimOptions::default(), 0.015).expect("suite");
    assert_eq!(written.len(), scenarios().len());
    let labels = std::fs::read_to_string(dir.join("labels.jsonl")).expect("labels");
    let lines: Vec<serde_json::Value> = labels
        .lines()
        .map(|l| serde_json::from_str(l).expect("label json"))
        .collect();
    assert_eq!(lines.len(), written.len());
    let mut partial_bundles = 0;
    for (label, (name, truth)) in lines.iter().zip(&written) {
        assert_eq!(label["bundle"], name.as_str());
        assert_eq!(label["scenario"], truth.scenario.as_str());
        assert_eq!(label["bucket"], truth.bucket.as_str());
        assert_eq!(name, &format!("{}-20", truth.scenario));
        let bundle = dir.join(name);
        assert!(bundle.is_dir());
        assert!(
            !bundle.join("truth.json").exists(),
            "{name}: label inside the bundle"
        );
        assert!(!bundle.join("labels.jsonl").exists());
        let files: Vec<String> = common::files(&bundle)
            .iter()
            .map(|p| common::name(p))
            .collect();
        if !truth.partial.is_empty() {
            partial_bundles += 1;
        }
        for p in &truth.partial {
            match p.as_str() {
                "no_har" => assert!(!files.iter().any(|f| f == "session.har"), "{name}"),
                "no_spec" => assert!(!files.iter().any(|f| f.starts_with("openapi-")), "{name}"),
                "no_changes" => assert!(!files.iter().any(|f| f == "changes.jsonl"), "{name}"),
                _ => {}
            }
        }
    }
    assert!(partial_bundles > 0, "some bundles get partial telemetry");
    assert!(partial_bundles < written.len(), "most bundles are complete");
}
