//! A rough throughput probe, ignored by default (run it optimised:
//! `cargo test -p apitriage-patterns --release --test throughput -- --ignored --nocapture`).
//! The real comparison with drain3 belongs to the benchmark suite; this only guards
//! against accidental quadratic behaviour and prints lines per second.

use apitriage_patterns::{mask, Miner};
use std::time::Instant;

const SAMPLE: &str = include_str!("data/labelled.tsv");

/// `count` lines cycling through the sample, with digits rewritten so values vary.
fn corpus(count: usize) -> Vec<String> {
    let lines: Vec<&str> = SAMPLE
        .lines()
        .filter_map(|row| row.split_once('\t').map(|(_, line)| line))
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|n| {
            lines[n % lines.len()]
                .chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        char::from(b'0' + (state % 10) as u8)
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
#[ignore = "timing probe; run with --release --ignored"]
fn lines_per_second() {
    let lines = corpus(500_000);
    let bytes: usize = lines.iter().map(String::len).sum();
    let started = Instant::now();
    let masked: usize = lines.iter().map(|line| mask(line).len()).sum();
    let mask_time = started.elapsed();
    let started = Instant::now();
    let mut miner = Miner::default();
    for line in &lines {
        miner.add(line);
    }
    let mine_time = started.elapsed();
    let per_second = |d: std::time::Duration| lines.len() as f64 / d.as_secs_f64();
    println!(
        "{} lines, {:.1} MB: mask {:.0} lines/s, mask+mine {:.0} lines/s ({:.1} MB/s), {} clusters ({masked} masked bytes)",
        lines.len(),
        bytes as f64 / 1e6,
        per_second(mask_time),
        per_second(mine_time),
        bytes as f64 / 1e6 / mine_time.as_secs_f64(),
        miner.len(),
    );
    assert_eq!(miner.len(), 14);
}
