//! Log template mining throughput: `cargo bench -p apitriage-patterns`.
//!
//! The input is real logs: every LogPAI loghub sample vendored under
//! `benches/data/loghub/` (see the NOTICE there), concatenated, about 16 000 lines of
//! 8 systems. Throughput is in lines per second:
//!
//! - `mask`: the masking step alone;
//! - `add`: a fresh miner mining every line ([`Miner::add`]), masking included;
//! - `add_line`: the same through [`Miner::add_line`] (continuation lines folded into
//!   their record), which is what `apitriage patterns` does;
//! - `add_warm`: a miner that has already seen the input mines it again (every line
//!   matches an existing cluster: the steady state of a long file).

use std::path::PathBuf;
use std::time::Duration;

use apitriage_patterns::{mask, Miner, MinerConfig};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

fn loghub_lines() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../benches/data/loghub");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut lines = Vec::new();
    for name in names {
        let path = root.join(&name).join(format!("{name}_2k.log"));
        if let Ok(bytes) = std::fs::read(&path) {
            let text = String::from_utf8_lossy(&bytes);
            lines.extend(text.lines().map(|l| l.trim_end_matches('\r').to_string()));
        }
    }
    assert!(
        !lines.is_empty(),
        "no loghub sample under {}",
        root.display()
    );
    lines
}

fn miner(c: &mut Criterion) {
    let lines = loghub_lines();
    let mut group = c.benchmark_group("patterns");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("mask", |b| {
        b.iter(|| lines.iter().map(|l| mask(l).len()).sum::<usize>())
    });
    group.bench_function("add", |b| {
        b.iter(|| {
            let mut miner = Miner::new(MinerConfig::default());
            for line in &lines {
                miner.add(line);
            }
            miner.len()
        })
    });
    group.bench_function("add_line", |b| {
        b.iter(|| {
            let mut miner = Miner::new(MinerConfig::default());
            for line in &lines {
                miner.add_line(line);
            }
            miner.len()
        })
    });
    group.bench_function("add_warm", |b| {
        b.iter_batched(
            || {
                let mut miner = Miner::new(MinerConfig::default());
                for line in &lines {
                    miner.add(line);
                }
                miner
            },
            |mut miner| {
                for line in &lines {
                    miner.add(line);
                }
                miner
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, miner);
criterion_main!(benches);
