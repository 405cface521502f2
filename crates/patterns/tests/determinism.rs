//! Template ids are deterministic and stable: the same input gives the same ids, and
//! since an id hashes its template, the same template gets the same id whatever else
//! the input holds.

use apitriage_patterns::{Miner, MinerConfig};

const LINES: &str = include_str!("data/labelled.tsv");

fn lines() -> Vec<&'static str> {
    LINES
        .lines()
        .filter_map(|row| row.split_once('\t').map(|(_, line)| line))
        .collect()
}

fn label(lines: &[&str]) -> Vec<(String, String)> {
    let mut miner = Miner::new(MinerConfig::default());
    let clusters: Vec<usize> = lines.iter().map(|line| miner.add(line)).collect();
    clusters
        .into_iter()
        .map(|c| (miner.id(c), miner.template(c)))
        .collect()
}

#[test]
fn same_input_same_ids_and_templates() {
    let input = lines();
    assert_eq!(label(&input), label(&input));
}

#[test]
fn id_is_pinned_for_a_known_template() {
    let mut miner = Miner::default();
    let c = miner.add("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010");
    assert_eq!(
        miner.template(c),
        "Receiving block blk_<*> src: /<*> dest: /<*>"
    );
    // Changing the hash changes every id users may have recorded: keep this value.
    assert_eq!(miner.id(c), "pe3f5e82faa94");
}

#[test]
fn ids_do_not_depend_on_unrelated_lines_or_their_order() {
    let hdfs = [
        "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010",
        "Receiving block blk_7503483334202473044 src: /10.251.215.16:55695 dest: /10.251.215.16:50010",
    ];
    let alone = label(&hdfs);
    let mut mixed = lines();
    mixed.insert(3, hdfs[0]);
    mixed.push(hdfs[1]);
    let labelled = label(&mixed);
    assert_eq!(labelled[3], alone[0]);
    assert_eq!(labelled[labelled.len() - 1], alone[1]);
    let mut reversed = lines();
    reversed.reverse();
    let mut forward: Vec<_> = label(&lines()).into_iter().collect();
    let mut backward: Vec<_> = label(&reversed).into_iter().collect();
    forward.sort();
    forward.dedup();
    backward.sort();
    backward.dedup();
    assert_eq!(forward, backward, "same patterns whatever the order");
}

#[test]
fn cluster_listing_is_in_creation_order() {
    let mut miner = Miner::default();
    for line in lines() {
        miner.add(line);
    }
    let listed: Vec<usize> = miner.clusters().map(|c| c.index).collect();
    assert_eq!(listed, (0..miner.len()).collect::<Vec<_>>());
    let total: u64 = miner.clusters().map(|c| c.count).sum();
    assert_eq!(total, 100);
}
