//! Same seed, same bytes; another seed, another system.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use apitriage_sim::{generate_sized, SimOptions};

fn service_names(dir: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(dir.join("traces.jsonl")).expect("traces");
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        for rs in v["resourceSpans"].as_array().expect("resourceSpans") {
            for kv in rs["resource"]["attributes"].as_array().expect("attributes") {
                if kv["key"] == "service.name" {
                    out.insert(
                        kv["value"]["stringValue"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
            }
        }
    }
    out
}

#[test]
fn same_seed_gives_byte_identical_bundles() {
    let root = common::scratch("determinism");
    let a = root.join("a");
    let b = root.join("b");
    let opts = SimOptions::default();
    let ta = generate_sized("null-pointer-after-deploy", 5, &opts, 0.03, &a).expect("a");
    let tb = generate_sized("null-pointer-after-deploy", 5, &opts, 0.03, &b).expect("b");
    assert_eq!(ta, tb);
    let fa = common::files(&a);
    let fb = common::files(&b);
    assert_eq!(
        fa.iter().map(|p| common::name(p)).collect::<Vec<_>>(),
        fb.iter().map(|p| common::name(p)).collect::<Vec<_>>()
    );
    for (x, y) in fa.iter().zip(&fb) {
        let bx = std::fs::read(x).expect("read");
        let by = std::fs::read(y).expect("read");
        assert!(bx == by, "{} differs between runs", common::name(x));
    }
    // Regenerating into a used directory leaves exactly one bundle there.
    generate_sized("null-pointer-after-deploy", 5, &opts, 0.03, &a).expect("again");
    assert_eq!(common::files(&a).len(), fa.len());
}

#[test]
fn different_seeds_give_different_systems() {
    let root = common::scratch("seeds");
    let opts = SimOptions::default();
    let mut systems = Vec::new();
    for seed in [1u64, 2, 3] {
        let dir = root.join(seed.to_string());
        generate_sized("control-steady", seed, &opts, 0.02, &dir).expect("bundle");
        systems.push(service_names(&dir));
    }
    assert_ne!(systems[0], systems[1]);
    assert_ne!(systems[1], systems[2]);
    for s in &systems {
        assert!(s.len() >= 3 && s.len() <= 12, "3 to 12 services: {s:?}");
    }
}
