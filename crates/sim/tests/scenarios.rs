//! Every scenario, two seeds: the bundles parse, follow their formats, and never state
//! their own label.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use apitriage_sim::{generate_sized, scenarios, SimOptions, Truth};

const SEEDS: [u64; 2] = [11, 12];
const VOLUME: f64 = 0.02;

/// Generates every scenario for both seeds once (two worker threads).
fn bundles() -> &'static Vec<(PathBuf, Truth)> {
    static CELL: OnceLock<Vec<(PathBuf, Truth)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let root = common::scratch("scenarios");
        let mut jobs: Vec<(String, u64)> = Vec::new();
        for s in scenarios() {
            for seed in SEEDS {
                jobs.push((s.name.to_string(), seed));
            }
        }
        let halves: Vec<Vec<(String, u64)>> = vec![
            jobs.iter().step_by(2).cloned().collect(),
            jobs.iter().skip(1).step_by(2).cloned().collect(),
        ];
        let mut out: Vec<(PathBuf, Truth)> = std::thread::scope(|scope| {
            let handles: Vec<_> = halves
                .into_iter()
                .map(|half| {
                    let root = root.clone();
                    scope.spawn(move || {
                        half.into_iter()
                            .map(|(name, seed)| {
                                let dir = root.join(format!("{name}-{seed}"));
                                let truth = generate_sized(
                                    &name,
                                    seed,
                                    &SimOptions::default(),
                                    VOLUME,
                                    &dir,
                                )
                                .unwrap_or_else(|e| panic!("{name} seed {seed}: {e}"));
                                (dir, truth)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("worker panicked"))
                .collect()
        });
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    })
}

#[test]
fn the_catalogue_has_enough_scenarios_per_bucket() {
    let all = scenarios();
    for bucket in ["contract", "dependency", "capacity", "code_path"] {
        let n = all.iter().filter(|s| s.bucket == bucket).count();
        assert!(n >= 5, "{bucket} has {n} scenarios");
    }
    assert!(all.iter().filter(|s| s.bucket == "none").count() >= 2);
    assert!(all.iter().filter(|s| s.bucket != "none").count() >= 24);
    let mut names: Vec<&str> = all.iter().map(|s| s.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all.len(), "scenario names are unique");
    assert!(all.iter().all(|s| !s.summary.is_empty()));
}

#[test]
fn unknown_scenarios_are_an_error() {
    let dir = common::scratch("unknown");
    let err = generate_sized("no-such-scenario", 1, &SimOptions::default(), VOLUME, &dir);
    assert!(err.is_err());
}

#[test]
fn every_scenario_generates_files_that_follow_their_formats() {
    for (dir, _) in bundles() {
        let traces = common::check_bundle(dir);
        assert!(traces > 5, "{}: only {traces} traces", dir.display());
    }
}

#[test]
fn truths_are_consistent_with_the_catalogue() {
    let all = scenarios();
    for (dir, truth) in bundles() {
        let info = all
            .iter()
            .find(|s| s.name == truth.scenario)
            .expect("known scenario");
        assert_eq!(info.bucket, truth.bucket);
        let on_disk: Truth = serde_json::from_str(
            &std::fs::read_to_string(dir.join("truth.json")).expect("truth.json"),
        )
        .expect("truth parses");
        assert_eq!(&on_disk, truth);
        assert!(
            truth.onset.ends_with('Z') && truth.onset.len() == 20,
            "{}",
            truth.onset
        );
        if truth.bucket == "none" {
            assert!(truth.culprit.service.is_none() && truth.culprit.endpoint.is_none());
        } else {
            let service = truth.culprit.service.clone().expect("culprit service");
            let endpoint = truth.culprit.endpoint.clone().expect("culprit endpoint");
            assert!(endpoint.contains(" /"), "METHOD /route: {endpoint}");
            if truth.bucket == "dependency" {
                assert_eq!(truth.culprit.dependency.as_deref(), Some(service.as_str()));
            }
            // The culprit is spelled as the telemetry spells it.
            let traces = std::fs::read_to_string(dir.join("traces.jsonl")).expect("traces");
            assert!(
                traces.contains(&format!("\"{service}\"")),
                "{}: culprit {service} never appears in the traces",
                dir.display()
            );
            let route = endpoint.split_once(' ').map(|x| x.1).unwrap_or_default();
            assert!(
                traces.contains(&format!("\"{route}\"")),
                "{}: route {route} never appears in the traces",
                dir.display()
            );
        }
    }
}

#[test]
fn no_bundle_file_states_its_label() {
    for (dir, truth) in bundles() {
        for p in common::files(dir) {
            if common::name(&p) == "truth.json" {
                continue;
            }
            let mut bytes = std::fs::read(&p).expect("read");
            bytes.make_ascii_lowercase();
            let mut banned = vec![
                truth.scenario.clone(),
                truth.scenario.replace('-', "_"),
                "contract".to_string(),
                "dependency".to_string(),
                "capacity".to_string(),
                "code_path".to_string(),
                "code-path".to_string(),
                "fault".to_string(),
                "incident".to_string(),
                "\"none\"".to_string(),
                "scenario".to_string(),
            ];
            banned.dedup();
            for word in banned {
                assert!(
                    memchr::memmem::find(&bytes, word.as_bytes()).is_none(),
                    "{} contains {word:?}",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn failing_example_is_captured_at_the_end_of_the_session() {
    for (dir, truth) in bundles() {
        let har = dir.join("session.har");
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(har).expect("har")).expect("json");
        let entries = v["log"]["entries"].as_array().expect("entries");
        let last = entries.last().expect("an entry");
        let status = last["response"]["status"].as_u64().unwrap_or(0);
        match truth.bucket.as_str() {
            "none" => assert!(
                (400..500).contains(&status),
                "{}: control example is a business error",
                dir.display()
            ),
            _ if truth.scenario == "response-field-renamed" => {
                assert_eq!(status, 200, "{}", dir.display())
            }
            _ => assert!(
                status >= 400,
                "{}: failing example has status {status}",
                dir.display()
            ),
        }
    }
}
