#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers, the pattern miner and the spec loader.
#   scripts/fuzz.sh [target] [seconds]     targets: readers (default), patterns, spec
# cargo-fuzz needs nightly-only flags; this machine has stable only, so RUSTC_BOOTSTRAP=1
# lets stable accept them. Crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-readers}"
secs="${2:-300}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p "fuzz/corpus/$target"
# Seed the readers with the committed fixtures: every format, good and bad.
if [ "$target" = readers ]; then
  find crates/ingest/tests/fixtures -type f -size -512k -exec cp {} "fuzz/corpus/$target/" \;
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- -max_total_time="$secs" -max_len=65536
