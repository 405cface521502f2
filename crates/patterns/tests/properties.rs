//! Property tests: mining never panics, whatever the input, and the memory caps hold.

use apitriage_patterns::{fuzz, mask, Miner, MinerConfig, MAX_TOKENS};
use proptest::prelude::*;

/// Lines built from log-like pieces, so the tree, similarity and eviction paths are
/// exercised, not only the "every line is unique" path arbitrary strings give.
fn log_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("ERROR".to_string()),
        Just("INFO".to_string()),
        Just("block".to_string()),
        Just("from".to_string()),
        Just("user".to_string()),
        Just("<*>".to_string()),
        Just("\tat".to_string()),
        Just("Caused by:".to_string()),
        "[a-c]{1,3}",
        "[0-9]{1,6}",
        "[0-9a-f]{8,12}",
        "10\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}:[0-9]{2,5}",
        "\"[a-z ]{0,6}\"",
        "'[a-z]{0,4}'",
        "[0-9]{1,4}(ms|s|MiB|%)",
        "\\PC{0,4}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.join(" "))
}

/// Log-like pieces glued with punctuation instead of spaces, to probe the boundary
/// rules of the masking step.
fn glued_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,5}",
        "[0-9a-f]{1,9}",
        "[A-Za-z]{1,4}",
        Just("Dec 04 10:11:12 2005".to_string()),
        Just("2024-03-12T10:15:32.5Z".to_string()),
        Just("10.1.2.3:80".to_string()),
        Just("fe80::1".to_string()),
        Just("a@b.co".to_string()),
        Just("<*>".to_string()),
        Just("µs".to_string()),
    ];
    let glue = prop_oneof![
        Just(""),
        Just(" "),
        Just(":"),
        Just("-"),
        Just("+"),
        Just("'"),
        Just("\""),
        Just("/"),
        Just("_"),
        Just("@"),
        Just("."),
        Just("%"),
        Just("{"),
        Just(","),
    ];
    prop::collection::vec((piece, glue), 0..10).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(piece, glue)| format!("{piece}{glue}"))
            .collect()
    })
}

fn small_config() -> impl Strategy<Value = MinerConfig> {
    (0.0f64..=1.0, 3usize..7, 1usize..12, 1usize..5).prop_map(
        |(similarity, depth, max_clusters, max_children)| MinerConfig {
            similarity,
            depth,
            max_clusters,
            max_children,
        },
    )
}

fn check_caps(miner: &Miner, config: &MinerConfig) {
    let stats = miner.stats();
    assert!(stats.live_clusters <= config.max_clusters, "{stats:?}");
    assert!(stats.fullest_leaf <= config.max_children, "{stats:?}");
    assert!(stats.widest_node <= config.max_children, "{stats:?}");
    assert_eq!(stats.clusters, miner.len());
    assert_eq!(
        stats.clusters as u64 - stats.evictions,
        stats.live_clusters as u64
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn add_never_panics_on_arbitrary_strings(
        config in small_config(),
        lines in prop::collection::vec(any::<String>(), 0..40),
    ) {
        let mut miner = Miner::new(config);
        let mut assigned = Vec::new();
        for line in &lines {
            let cluster = miner.add(line);
            // Right after adding, the line's cluster is live and covers the line.
            prop_assert!(miner.find(line).is_some());
            let tokens = mask(line).split_ascii_whitespace().count().min(MAX_TOKENS);
            prop_assert_eq!(miner.template(cluster).split_ascii_whitespace().count(), tokens);
            assigned.push(cluster);
            check_caps(&miner, &config);
        }
        for cluster in assigned {
            prop_assert!(miner.id(cluster).starts_with('p'));
        }
    }

    #[test]
    fn caps_hold_on_log_like_lines(
        config in small_config(),
        lines in prop::collection::vec(log_line(), 0..80),
    ) {
        let mut miner = Miner::new(config);
        let mut assigned = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            let cluster = if n % 2 == 0 { miner.add(line) } else { miner.add_line(line) };
            assigned.push(cluster);
            check_caps(&miner, &config);
        }
        // Evicted clusters still answer: every assigned line has a template and an id.
        for cluster in assigned {
            prop_assert!(!miner.id(cluster).is_empty());
            let _ = miner.template(cluster);
        }
        let counted: u64 = miner.clusters().map(|c| c.count).sum();
        prop_assert!(counted <= lines.len() as u64);
    }

    #[test]
    fn mask_is_idempotent_on_any_string(line in any::<String>()) {
        let once = mask(&line);
        prop_assert_eq!(mask(&once), once.clone());
    }

    #[test]
    fn mask_is_idempotent_on_punctuated_text(
        line in "[0-9a-fxXsmZTDec .:_/'\"<*>%@{},=+é-]{0,40}"
    ) {
        let once = mask(&line);
        prop_assert_eq!(mask(&once), once.clone());
    }

    #[test]
    fn mask_is_idempotent_on_glued_pieces(line in glued_line()) {
        let once = mask(&line);
        prop_assert_eq!(mask(&once), once.clone());
    }

    #[test]
    fn mask_is_idempotent(line in log_line()) {
        let once = mask(&line);
        prop_assert_eq!(mask(&once), once.clone());
    }

    #[test]
    fn fuzz_never_panics(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        fuzz(&data);
    }

    #[test]
    fn fuzz_never_panics_on_log_like_text(lines in prop::collection::vec(log_line(), 0..60)) {
        fuzz(lines.join("\n").as_bytes());
    }
}

#[test]
fn eviction_keeps_evicted_templates_and_ids() {
    let mut miner = Miner::new(MinerConfig {
        max_clusters: 2,
        ..MinerConfig::default()
    });
    let a = miner.add("disk full on volume data");
    let b = miner.add("connection refused by payments");
    let a_id = miner.id(a);
    let c = miner.add("cache warmed in 12ms with 300 entries");
    assert_eq!(miner.stats().live_clusters, 2);
    assert_eq!(miner.stats().evictions, 1);
    assert_eq!(
        miner.template(a),
        "disk full on volume data",
        "frozen, still answered"
    );
    assert!(
        miner.find("disk full on volume data").is_none(),
        "evicted: not searchable"
    );
    let again = miner.add("disk full on volume data");
    assert_ne!(again, a);
    assert_eq!(
        miner.id(again),
        a_id,
        "a returning pattern gets its old id back"
    );
    assert_eq!(miner.template(b), "connection refused by payments");
    assert!(miner.template(c).contains("<*>"));
}

#[test]
fn a_full_leaf_evicts_its_stalest_cluster() {
    let mut miner = Miner::new(MinerConfig {
        max_children: 2,
        depth: 3,
        ..MinerConfig::default()
    });
    let a = miner.add("alpha one two");
    let b = miner.add("beta three four");
    miner.add("alpha one two");
    let c = miner.add("gamma five six");
    let stats = miner.stats();
    assert_eq!(stats.fullest_leaf, 2);
    assert_eq!(miner.find("alpha one two"), Some(a), "recently used, kept");
    assert_eq!(miner.find("beta three four"), None, "stalest, evicted");
    assert_eq!(miner.find("gamma five six"), Some(c));
    assert_eq!(miner.template(b), "beta three four");
}

#[test]
fn very_long_lines_are_bounded() {
    let line = "word ".repeat(10_000);
    let mut miner = Miner::default();
    let c = miner.add(&line);
    let template = miner.template(c);
    assert_eq!(template.split(' ').count(), MAX_TOKENS);
    assert!(template.ends_with(" <*>"));
    let huge = "é".repeat(20_000);
    let c = miner.add(&huge);
    assert!(miner.template(c).len() <= apitriage_patterns::MAX_LINE_BYTES);
}
